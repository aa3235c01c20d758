package annotate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/testtool"
)

// manyNotes returns an article of n paragraphs (about 1 KB each), each with
// a unique passage, and a note on every passage.
func manyNotes(n int) ([]byte, []Note) {
	var b strings.Builder
	notes := make([]Note, n)
	filler := strings.Repeat("The union said the port would stay shut until the offer is fair. ", 15)
	for i := range n {
		fmt.Fprintf(&b, `<p id="p%d">%sCheckpoint %06d passage. %s</p>`, i+1, filler[:500], i, filler[:500])
		notes[i] = Note{ID: fmt.Sprintf("a%d", i+1), Number: i + 1, Quote: fmt.Sprintf("Checkpoint %06d passage", i), Kind: "context", Line: i + 1}
	}
	return []byte(b.String()), notes
}

// anchorTime is the shortest of five runs of Anchor.
func anchorTime(t *testing.T, html []byte, notes []Note) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range 5 {
		start := time.Now()
		_, places, probs := Anchor("f.md", html, notes)
		best = min(best, time.Since(start))
		if len(probs) > 0 || len(places) != len(notes) {
			t.Fatalf("%d placed, problems: %v", len(places), probs)
		}
	}
	return best
}

// Anchoring is linear in the article's size when notes grow with it: 16
// times the text with 16 times the notes takes about 16 times as long (256
// times if every note searched the whole text, as it once did). Generous
// bound: timings are noisy (and a large text falls out of the CPU caches);
// quadratic is not subtle.
func TestScalingAnchor(t *testing.T) {
	if testtool.Race {
		t.Skip("timing test: run without the race detector (make test does, after the race run)")
	}
	if testing.Short() {
		t.Skip("slow")
	}
	const n, factor, bound = 250, 16, 48
	smallHTML, smallNotes := manyNotes(n)
	largeHTML, largeNotes := manyNotes(n * factor)
	var small, large time.Duration
	ratio := testtool.LeastGrowth(3, bound, func() float64 {
		small, large = anchorTime(t, smallHTML, smallNotes), anchorTime(t, largeHTML, largeNotes)
		return float64(large) / float64(small)
	})
	t.Logf("%d notes in %d KB: %v; %d in %d KB: %v; ×%.1f", n, n, small, n*factor, n*factor, large, ratio)
	if ratio > bound {
		t.Errorf("%d times the notes and text took %.0f times as long (linear is about %d)", factor, ratio, factor)
	}
}
