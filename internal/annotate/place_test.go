package annotate

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/diag"
)

// PlaceNotes reads the text once, whatever the number of notes: it counted
// each note's placeholder in a pass of its own over the whole text, so
// 16,000 notes (2 MB) took 18 s, 3.8 times as long as 8,000.
func TestPlaceNotesReadsTheTextOnce(t *testing.T) {
	scanned := 0
	for _, n := range []int{100, 2000} {
		html, notes := manyNotes(n)
		out, places, probs := Anchor("f.md", html, notes)
		if len(probs) > 0 || len(places) != n {
			t.Fatalf("%d placed, problems: %v", len(places), probs)
		}
		scanned = 0
		placed, err := placeNotes(out, notes, func(n *Note) (string, error) { return "[" + n.ID + "]", nil }, &scanned)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(string(placed), "[a"); got != n {
			t.Errorf("%d notes: %d placed", n, got)
		}
		if scanned > 2*len(out) {
			t.Errorf("%d notes: %d bytes read in a text of %d", n, scanned, len(out))
		}
	}
}

// Placeholders are counted as they occur whole, also inside a broken one
// (raw HTML that copied part of one); twice is an error.
func TestPlaceNotesCountsPlaceholders(t *testing.T) {
	notes := []Note{{ID: "a1"}, {ID: "a2"}, {ID: "a3"}}
	markup := func(n *Note) (string, error) { return "[" + n.ID + "]", nil }
	src := "x " + noteSlot("a1") + " <!--dossier-note junk " + noteSlot("a2") + " <!--dossier-note " + strings.Repeat("z", 100) + "-->"
	out, err := PlaceNotes([]byte(src), notes, markup)
	if err != nil {
		t.Fatal(err)
	}
	if want := "x [a1] <!--dossier-note junk [a2] <!--dossier-note " + strings.Repeat("z", 100) + "-->"; string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
	_, err = PlaceNotes([]byte(src+noteSlot("a2")), notes, markup)
	if want := fmt.Sprintf("the text contains the placeholder of note a2 more than once: remove %q", noteSlot("a2")); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// Notes that do not anchor are explained in full up to maxExplained, each
// explanation a search of the whole text, and the others in short, from the
// one pass that found every quote: 10,000 notes whose quotes were not in the
// text took 20 s, 2.8 times as long as 5,000. Counted in bytes allocated
// (each full explanation copies the text).
func TestManyNotesThatDoNotAnchor(t *testing.T) {
	html, _ := manyNotes(100)
	notes := func(n int) []Note {
		ns := make([]Note, n)
		for i := range ns {
			switch i % 3 {
			case 0:
				ns[i] = Note{ID: fmt.Sprintf("a%d", i+1), Number: i + 1, Quote: fmt.Sprintf("Nowhere %d to be found", i), Line: i + 1}
			case 1:
				ns[i] = Note{ID: fmt.Sprintf("a%d", i+1), Number: i + 1, Quote: "passage", Line: i + 1}
			default:
				ns[i] = Note{ID: fmt.Sprintf("a%d", i+1), Number: i + 1, Quote: "passage", Prefix: "nothing like it", Line: i + 1}
			}
		}
		return ns
	}
	allocated := func(ns []Note) (uint64, diag.List) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, _, probs := Anchor("f.md", html, ns)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc, probs
	}
	small, _ := allocated(notes(60))
	large, probs := allocated(notes(600))
	t.Logf("60 notes: %d bytes allocated; 600: %d (×%.1f)", small, large, float64(large)/float64(small))
	if large > 4*small {
		t.Errorf("10 times the notes that do not anchor took %.1f times the bytes", float64(large)/float64(small))
	}
	if len(probs) != 600 {
		t.Fatalf("%d problems for 600 notes", len(probs))
	}
	want := map[int]string{
		1:   `f.md:1: annotation quote "Nowhere 0 to be found" is not in the article text`,
		2:   `f.md:2: annotation quote "passage" occurs 100 times (p1, p2, p3, p4, p5, p6, p7, p8, …): add prefix: or suffix: to pick one`,
		3:   `f.md:3: annotation quote "passage" occurs 100 times (p1, p2, p3, p4, p5, p6, p7, p8, …) but never with prefix "nothing like it"`,
		598: `f.md:598: annotation quote "Nowhere 597 to be found" is not in the article text: copy the passage exactly as it appears`,
		599: `f.md:599: annotation quote "passage" occurs more than once: add prefix: or suffix: to pick one`,
		600: `f.md:600: annotation quote "passage" occurs in the text but never with the given prefix/suffix: copy prefix: and suffix: exactly`,
	}
	for _, p := range probs {
		if w, ok := want[p.Line]; ok && !strings.HasPrefix(p.Error(), w) {
			t.Errorf("got %q, want %q", p.Error(), w)
		}
	}
}

// Many notes quoting passages that start alike are each compared with every
// place the text has those words: past a budget of comparisons (proportional
// to the text), the article's notes are refused, naming the first of them,
// rather than anchored in time quadratic in their number (20,000 notes on
// one phrase, told apart by their prefixes, took 5.4 s).
func TestNotesThatStartAlike(t *testing.T) {
	var text strings.Builder
	var notes []Note
	for i := range 300 {
		fmt.Fprintf(&text, "<p id=\"p%d\">Item %d says yes.</p>", i+1, i)
		notes = append(notes, Note{ID: fmt.Sprintf("a%d", i+1), Number: i + 1, Quote: "says yes", Prefix: fmt.Sprintf("Item %d", i), Line: 10 + i})
	}
	out, places, probs := anchor("f.md", []byte(text.String()), notes, func(n int) int { return 4 * n })
	if want := `f.md:10: this and 299 other annotations quote passages that start alike ("says yes…"): too many to anchor in one article`; len(probs) != 1 || !strings.HasPrefix(probs[0].Error(), want) {
		t.Errorf("problems %v, want one %q", probs, want)
	}
	if len(places) != 0 || string(out) != text.String() {
		t.Errorf("%d notes placed", len(places))
	}
	// Within the budget they anchor.
	if _, places, probs := anchor("f.md", []byte(text.String()), notes, func(n int) int { return 400 * n }); len(probs) != 0 || len(places) != 300 {
		t.Errorf("%d placed, problems %v", len(places), probs)
	}
}
