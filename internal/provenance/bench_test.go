package provenance

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// largePair makes an original of about size bytes of English-like words in
// paragraphs, and a rendition of it that leaves out one sentence in every
// `every` paragraphs (a furniture line each, quoted by one removed: entry) and,
// when changes > 0, changes that many words (the errors then reported).
func largePair(size, every, changes int, seed uint64) (string, []Run, []Removal) {
	r := rand.New(rand.NewPCG(seed, 1))
	words := strings.Fields("the port strike union minister wages pay ship cargo rail freight talks offer picket dock worker city council harbour crane container ferry customs fuel price inflation contract vote ballot court ruling appeal mayor police protest march crowd leader statement report figure estimate loss")
	var orig strings.Builder
	var runs []Run
	para := 0
	for orig.Len() < size {
		var p strings.Builder
		for s := 0; s < 4; s++ {
			for w := 0; w < 12; w++ {
				if w > 0 {
					p.WriteByte(' ')
				}
				p.WriteString(words[r.IntN(len(words))])
			}
			p.WriteString(". ")
		}
		text := strings.TrimSpace(p.String())
		orig.WriteString(text + "\n\n")
		para++
		if para%every == 0 {
			orig.WriteString("Advertisement: subscribe to the Herald\n\n")
		}
		runs = append(runs, Run{Text: text, Line: para * 2, Anchor: fmt.Sprintf("p%d", para)}, Run{Text: "\n"})
	}
	for c := 0; c < changes; c++ {
		k := r.IntN(len(runs) / 2)
		runs[2*k].Text = strings.Replace(runs[2*k].Text, " ", " changed ", 1)
	}
	return orig.String(), runs, []Removal{{Text: "Advertisement: subscribe to the Herald", Why: "advert", Line: 5}}
}

// Verification is near linear: a few MB a second, whatever the size, and a
// rendition that differs in many places stays bounded.
func BenchmarkVerify(b *testing.B) {
	for _, tc := range []struct{ size, every, changes int }{
		{1 << 20, 20, 0}, {8 << 20, 20, 0}, {50 << 20, 20, 0}, {8 << 20, 3, 2000},
	} {
		orig, runs, rem := largePair(tc.size, tc.every, tc.changes, 7)
		b.Run(fmt.Sprintf("%dMB-every%d-changes%d", tc.size>>20, tc.every, tc.changes), func(b *testing.B) {
			b.SetBytes(int64(len(orig)))
			for b.Loop() {
				_, ps := Verify(Input{File: "a.md", OriginalFile: "o.txt", Text: runs, Removed: rem}, []byte(orig))
				if tc.changes == 0 && len(ps) > 0 {
					b.Fatalf("unexpected problems: %v", ps[:1])
				}
			}
		})
	}
}
