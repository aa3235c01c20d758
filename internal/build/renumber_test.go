package build

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/annotate"
	"github.com/dossier-news/dossier/internal/testtool"
)

// marked returns a page of n paragraphs (about 1 KB each), each with a
// passage marked as annotate does, and the n notes in reverse order of
// their marks (so that renumbering changes every number).
func marked(n int) ([]byte, []annotate.Note) {
	var b strings.Builder
	filler := strings.Repeat("The union said the port would stay shut. ", 12)
	notes := make([]annotate.Note, n)
	for i := range n {
		id := fmt.Sprintf("a%d", n-i)
		fmt.Fprintf(&b, `<p id="p%d">%s<mark class="ann" id="%s">passage</mark>%s</p>`, i+1, filler, id, filler)
		notes[n-1-i] = annotate.Note{ID: id, Number: n - i}
	}
	return []byte(b.String()), notes
}

func TestRenumberReadingOrder(t *testing.T) {
	html := []byte(`<p><mark id="a3">x</mark> <mark id="a1">y</mark> <span id="a10">not a note</span> <mark id="a2">z</mark></p>`)
	notes := []annotate.Note{{ID: "a1", Number: 1}, {ID: "a2", Number: 2}, {ID: "a3", Number: 3}, {ID: "a4", Number: 4}}
	renumber(html, notes)
	var got []int
	for _, n := range notes {
		got = append(got, n.Number)
	}
	if fmt.Sprint(got) != "[2 3 1 4]" { // a4 is not anchored: last
		t.Errorf("numbers %v, want [2 3 1 4]", got)
	}
}

// Renumbering is linear in the page's size when notes grow with it (it once
// searched the whole page for every note).
func TestScalingRenumber(t *testing.T) {
	if testtool.Race {
		t.Skip("timing test: run without the race detector (make test does, after the race run)")
	}
	if testing.Short() {
		t.Skip("slow")
	}
	const n, factor, bound = 250, 16, 48
	timeOf := func(n int) time.Duration {
		best := time.Duration(1<<63 - 1)
		for range 5 {
			html, notes := marked(n)
			start := time.Now()
			renumber(html, notes)
			best = min(best, time.Since(start))
		}
		return best
	}
	var small, large time.Duration
	ratio := testtool.LeastGrowth(3, bound, func() float64 {
		small, large = timeOf(n), timeOf(n*factor)
		return float64(large) / float64(small)
	})
	t.Logf("%d notes: %v; %d notes: %v; ×%.1f", n, small, n*factor, large, ratio)
	if ratio > bound {
		t.Errorf("%d times the notes and page took %.0f times as long (linear is about %d)", factor, ratio, factor)
	}
}
