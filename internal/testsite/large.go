package testsite

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// largeWords mixes the fixture's entity names and characters that HTML and
// XML escape, so that every stage (entity linking, escaping, minifying) works
// on a large article as it does on a normal one.
var largeWords = strings.Fields(`port strike union minister wages pay ship cargo rail freight talks
offer picket dock worker harbour crane container ferry customs Okafor Pereira Brandt Calden
& < > "quoted" it's the a of to and in on for with said`)

// LargeArticle returns the source of a valid article for the fixture project
// (topics strike and wages) whose Markdown body is about size bytes, with
// notes annotations spread evenly over it. Each annotated passage is unique
// ("checkpoint 000042 passage"), so every annotation anchors. The same
// arguments give the same bytes. For tests and benchmarks of large input.
func LargeArticle(size, notes int) string {
	r := rand.New(rand.NewPCG(uint64(size), uint64(notes)))
	var body strings.Builder
	body.Grow(size + 1024)
	var paras []int // body offsets of paragraph starts
	for body.Len() < size {
		paras = append(paras, body.Len())
		n := 40 + r.IntN(80)
		for i := 0; i < n; i++ {
			if i > 0 {
				body.WriteByte(' ')
			}
			body.WriteString(largeWords[r.IntN(len(largeWords))])
		}
		body.WriteString(".\n\n")
	}
	// Insert the annotated passages at paragraph starts, evenly spaced.
	text := body.String()
	var out strings.Builder
	out.Grow(len(text) + notes*32)
	last := 0
	for i := 0; i < notes && len(paras) > 0; i++ {
		at := paras[i*len(paras)/notes]
		if at < last {
			continue
		}
		out.WriteString(text[last:at])
		fmt.Fprintf(&out, "Checkpoint %06d passage. ", i)
		last = at
	}
	out.WriteString(text[last:])
	var fm strings.Builder
	fm.WriteString("---\ntitle: A very long report\noutlet: Calden Herald\ndate: 2024-03-20\ntopics: [strike, wages]\nsummary: A long article for tests of large input.\n")
	if notes > 0 {
		fm.WriteString("annotations:\n")
		for i := 0; i < notes; i++ {
			fmt.Fprintf(&fm, "  - quote: \"Checkpoint %06d passage\"\n    kind: context\n    note: Note %d on the passage.\n", i, i)
		}
	}
	fm.WriteString("---\n\n")
	return fm.String() + out.String()
}
