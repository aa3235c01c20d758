package build

import (
	"testing"

	"github.com/dossier-news/dossier/internal/annotate"
	"github.com/dossier-news/dossier/internal/content"
)

// A note finds its annotation at once: it walked every annotation of the
// article (making each one's id), so an article of 16,000 notes took 18 s,
// 3.8 times as long as 8,000.
func TestNoteViewLooksOnce(t *testing.T) {
	a := &content.Article{Slug: "x", Annotations: make([]content.Annotation, 2000)}
	a.Annotations[1234].Claim = "c"
	e := &env{claims: map[string]*claimEnv{}}
	n := &annotate.Note{ID: noteID(1999), Number: 7}
	allocs := testing.AllocsPerRun(10, func() { e.noteView(a, n, &article{}) })
	if allocs > 10 {
		t.Errorf("one note's view took %.0f allocations in an article of 2,000 notes", allocs)
	}
	ar := &article{}
	e.noteView(a, &annotate.Note{ID: noteID(1234), Number: 3}, ar) // numbered in the order of the text
	if _, ok := ar.claims["c"]; !ok {
		t.Errorf("the 1,235th note's claim was not recorded: %v", ar.claims)
	}
}
