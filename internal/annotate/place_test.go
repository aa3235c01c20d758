package annotate

import (
	"fmt"
	"strings"
	"testing"
)

// PlaceNotes reads the text once, whatever the number of notes: it counted
// each note's placeholder in a pass of its own over the whole text, so
// 16,000 notes (2 MB) took 18 s, 3.8 times as long as 8,000.
func TestPlaceNotesReadsTheTextOnce(t *testing.T) {
	scanned := 0
	slotScanned = func(n int) { scanned += n }
	defer func() { slotScanned = nil }()
	for _, n := range []int{100, 2000} {
		html, notes := manyNotes(n)
		out, places, probs := Anchor("f.md", html, notes)
		if len(probs) > 0 || len(places) != n {
			t.Fatalf("%d placed, problems: %v", len(places), probs)
		}
		scanned = 0
		placed, err := PlaceNotes(out, notes, func(n *Note) (string, error) { return "[" + n.ID + "]", nil })
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
