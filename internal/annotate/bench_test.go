package annotate

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// benchArticle builds a synthetic article of about 6 KB rendered the way the
// markdown stage renders, with 60 entities (two names each) mentioned in it,
// and 8 notes quoting it.
func benchArticle() ([]byte, []Entity, []Note) {
	first := []string{"John", "Sergei", "Vladimir", "Bashar", "Ban", "Ahmed", "Maria", "Laurent", "Angela", "William"}
	last := []string{"Kerry", "Lavrov", "Putin", "al-Assad", "Ki-moon", "Jarba", "Zakharova", "Fabius", "Merkel", "Hague",
		"Brahimi", "Idriss", "Mikdad", "Haddad", "Salim", "Petrov", "Ivanov", "Volkov", "Sokolov", "Popov"}
	var ents []Entity
	for i := 0; len(ents) < 60; i++ {
		f, l := first[i%len(first)], last[i%len(last)]
		if i >= len(last) {
			l = fmt.Sprintf("%s%c", l, 'a'+i/len(last))
		}
		ents = append(ents, Entity{
			Slug:  strings.ToLower(f + "-" + l),
			URL:   "/entities/" + strings.ToLower(f+"-"+l) + "/",
			Names: []string{f + " " + l, l},
		})
	}
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("the talks on a political solution to the civil war in Syria were expected to focus on the " +
		"missile shield system and Iran's nuclear programme while officials said that the plan agreed in Geneva had gone nowhere")
	var b strings.Builder
	var notes []Note
	b.WriteString(`<h1 id="kerry-in-moscow">Kerry in Moscow mission to sway Putin on Syria</h1>` + "\n")
	for p := 1; b.Len() < 6000; p++ {
		fmt.Fprintf(&b, `<p id="p%d">`, p)
		for s := 0; s < 4; s++ {
			e := ents[r.IntN(len(ents))]
			name := e.Names[r.IntN(2)]
			fmt.Fprintf(&b, "&ldquo;We have their formal commitment,&rdquo; %s said in dispatch %d&ndash;%d", name, p, s)
			for w := 0; w < 10; w++ {
				b.WriteByte(' ')
				if w == 4 {
					fmt.Fprintf(&b, "<em>%s</em>", words[r.IntN(len(words))])
				} else {
					b.WriteString(words[r.IntN(len(words))])
				}
			}
			b.WriteString(". ")
		}
		b.WriteString("</p>\n")
		if p <= 8 {
			notes = append(notes, Note{ID: fmt.Sprintf("a%d", p), Number: p, Kind: "context", Label: "Context",
				Quote: fmt.Sprintf(`said in dispatch %d--2`, p), HTML: "An editor's note.", Line: p})
		}
	}
	return []byte(b.String()), ents, notes
}

func BenchmarkAnchor(b *testing.B) {
	art, _, notes := benchArticle()
	b.SetBytes(int64(len(art)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, probs := anchorNotes("bench.md", art, notes); len(probs) > 0 {
			b.Fatal(probs)
		}
	}
}

func BenchmarkLink(b *testing.B) {
	art, ents, _ := benchArticle()
	l := NewLinker(ents)
	b.SetBytes(int64(len(art)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ms := l.Link(art); len(ms) == 0 {
			b.Fatal("no mentions")
		}
	}
}

// BenchmarkAnchorOrphan times the error path (near-match search) on the same article.
func BenchmarkAnchorOrphan(b *testing.B) {
	art, _, _ := benchArticle()
	notes := []Note{{ID: "a1", Number: 1, Quote: "the plan agreed in Genva had gone nowhere", Line: 1}}
	b.SetBytes(int64(len(art)))
	for b.Loop() {
		anchorNotes("bench.md", art, notes)
	}
}

func BenchmarkParagraphs(b *testing.B) {
	art, _, _ := benchArticle()
	b.SetBytes(int64(len(art)))
	for b.Loop() {
		Paragraphs(art)
	}
}

// BenchmarkTokenizerBaseline is the bare x/net/html tokenizer on the same
// article, to read the other figures against on a noisy machine.
func BenchmarkTokenizerBaseline(b *testing.B) {
	art, _, _ := benchArticle()
	b.SetBytes(int64(len(art)))
	for b.Loop() {
		z := html.NewTokenizer(bytes.NewReader(art))
		for z.Next() != html.ErrorToken {
		}
	}
}

func TestBenchArticle(t *testing.T) {
	art, ents, notes := benchArticle()
	if len(art) < 5500 || len(art) > 7500 || len(ents) != 60 {
		t.Fatalf("article %d bytes, %d entities", len(art), len(ents))
	}
	out, places, probs := anchorNotes("bench.md", art, notes)
	if len(probs) > 0 || len(places) != len(notes) {
		t.Fatalf("%d placed, problems %v", len(places), probs)
	}
	checkWellFormed(t, out)
	out, ms := NewLinker(ents).Link(out)
	checkWellFormed(t, out)
	linked := 0
	for _, m := range ms {
		if m.Linked {
			linked++
		}
	}
	if linked == 0 || linked > 60 || len(ms) < 20 {
		t.Errorf("%d mentions, %d linked", len(ms), linked)
	}
}
