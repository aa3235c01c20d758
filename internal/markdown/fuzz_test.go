package markdown

import (
	"bytes"
	"testing"
)

// FuzzLimits: the Markdown shape check never panics, names lines inside the
// text, and refuses nothing short (a refused text is always long or deeply
// quoted).
func FuzzLimits(f *testing.F) {
	for _, s := range []string{"para\n\nmore", "```\ncode\n```\n", "~~~\n\n~~~", "> > > > > > > > > > > > > > > > > x", "[a](", "```\nunclosed"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		ps := checkLimits(src, Options{File: "x.md", BodyLine: 5})
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, p := range ps {
			if p.File != "x.md" || p.Line < 5 || p.Line >= 5+lines {
				t.Fatalf("problem outside the text: %+v (%d lines)", p, lines)
			}
		}
		if len(ps) > 0 && len(src) <= min(MaxBlock, MaxWord) && bytes.Count(src, []byte(">")) <= MaxQuoteDepth {
			t.Fatalf("a short text was refused: %v", ps)
		}
	})
}
