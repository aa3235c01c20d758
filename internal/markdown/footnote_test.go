package markdown

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// The footnotes render as goldmark's own extension renders them, byte for
// byte: duplicate labels (the first wins), definitions nothing refers to,
// references to nothing, references out of order, definitions inside a
// quote or a list, an image's '!' before a reference, a reference inside a
// note.
func TestFootnotesAsGoldmark(t *testing.T) {
	srcs := []string{
		"Plain text.\n",
		"One[^a] two[^b] one again[^a].\n\n[^a]: First.\n[^b]: Second.\n",
		"Out of order[^3] and[^1] and[^2].\n\n[^1]: one\n[^2]: two\n[^3]: three\n[^4]: unused\n",
		"Dup[^x].\n\n[^x]: first x\n\n[^x]: second x\n",
		"To nothing[^nope] and [^].\n\n[^a]: unused\n",
		"Image![^a] and ![^b].\n\n[^a]: A.\n[^b]: B.\n",
		"> Quoted[^q].\n>\n> [^q]: In a quote.\n\n- item[^l]\n\n  [^l]: In a list.\n",
		"Nested[^n].\n\n[^n]: Refers to[^m].\n\n    Second paragraph.\n\n[^m]: Inner.\n",
		"Label [^a b] and [^a\\]b].\n\n[^a b]: spaced\n[^a\\]b]: escaped\n",
	}
	var many strings.Builder
	for i := 300; i > 0; i-- {
		fmt.Fprintf(&many, "Ref[^%d] and[^x%d].\n\n", i%97, i)
	}
	for i := range 120 {
		fmt.Fprintf(&many, "[^%d]: Note %d.\n", i, i)
	}
	srcs = append(srcs, many.String())
	ours := goldmark.New(goldmark.WithExtensions(footnotes{}))
	theirs := goldmark.New(goldmark.WithExtensions(extension.Footnote))
	for _, src := range srcs {
		var a, b bytes.Buffer
		if err := ours.Convert([]byte(src), &a); err != nil {
			t.Fatal(err)
		}
		if err := theirs.Convert([]byte(src), &b); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%q:\nours   %s\ntheirs %s", src, a.String(), b.String())
		}
	}
}

// Resolving references and ordering the notes looks at each definition a
// bounded number of times, whatever the number of notes: goldmark walked
// the list of definitions for each reference and sorted it by insertion,
// so 40,000 notes (1.6 MB) took 12 s, 4.5 times as long as 20,000.
func TestFootnotesLinearWork(t *testing.T) {
	var work atomic.Int64
	md := goldmark.New(goldmark.WithExtensions(footnotes{work: &work}))
	for _, n := range []int{1000, 4000} {
		var src strings.Builder
		for i := range n {
			fmt.Fprintf(&src, "Text[^%d] and a reference to nothing[^none%d].\n\n", i, i)
		}
		for i := range n {
			fmt.Fprintf(&src, "[^%d]: Note %d.\n\n", i, i)
		}
		work.Store(0)
		if err := md.Convert([]byte(src.String()), io.Discard); err != nil {
			t.Fatal(err)
		}
		got := int(work.Load())
		bound := 4*n + 2*int(float64(n)*math.Log2(float64(n)))
		t.Logf("%d notes: %d definitions looked at (bound %d)", n, got, bound)
		if got == 0 || got > bound {
			t.Errorf("%d notes: %d definitions looked at, want at most %d", n, got, bound)
		}
	}
}
