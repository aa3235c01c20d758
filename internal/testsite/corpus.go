package testsite

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// corpusWords is the vocabulary of generated articles: enough distinct words
// for search and topic matching to do real work, few enough to stay readable.
var corpusWords = strings.Fields(`port strike union minister wages pay ship cargo rail freight
talks offer picket dock worker city council harbour crane container ferry customs fuel
price inflation contract vote ballot court ruling appeal mayor police protest march crowd
leader statement report figure estimate loss profit company owner share investor bank loan
budget tax subsidy election campaign party government opposition coalition treaty border
trade export import grain steel coal energy power grid storm flood bridge road tunnel
airport train station timetable delay cancel resume agreement deal settlement compromise
the a of to and in on for with at by from after before during while said says told asked`)

// corpusTopics are the generated corpus's topics.
var corpusTopics = []string{"strike", "wages", "shipping", "energy", "elections", "trade"}

var corpusOutlets = []string{"Calden Herald", "Northern Wire", "Radio Meridian", "Varn Daily", "The Coast Post", "Harbour Times", "Evening Ledger"}

// GenerateCorpus writes a deterministic synthetic project of n articles into
// dir (content/dossier.yaml, content/topics/*.md, content/articles/*.md):
// 300 to 900 words an article in paragraphs, a heading, a list, and links to
// earlier articles. The same n and seed give the same bytes. For tests and
// benchmarks that need volume (the bundled dossier and the fixture are tiny).
func GenerateCorpus(dir string, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	write := func(rel, data string) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(data), 0o644)
	}
	if err := write("content/dossier.yaml", "title: Generated corpus\ndescription: A synthetic dossier for tests and benchmarks.\nbaseURL: https://example.org/corpus/\nlanguage: en\n"); err != nil {
		return err
	}
	for _, t := range corpusTopics {
		body := fmt.Sprintf("---\ntitle: %s\nsummary: Generated articles about %s.\nkeywords: [%s]\n---\n\nAn overview of %s in the generated corpus.\n", strings.ToUpper(t[:1])+t[1:], t, t, t)
		if err := write("content/topics/"+t+".md", body); err != nil {
			return err
		}
	}
	sentence := func() string {
		k := 8 + r.IntN(14)
		ws := make([]string, k)
		for i := range ws {
			ws[i] = corpusWords[r.IntN(len(corpusWords))]
		}
		ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
		return strings.Join(ws, " ") + "."
	}
	slugs := make([]string, n)
	for i := range n {
		slugs[i] = fmt.Sprintf("%05d-%s-%s", i, corpusWords[r.IntN(40)], corpusWords[r.IntN(40)])
	}
	for i := range n {
		var b strings.Builder
		day := 1 + i%28
		month := 1 + (i/28)%12
		year := 2000 + (i/336)%25
		nt := 1 + r.IntN(3)
		topics := make([]string, 0, nt)
		for _, t := range r.Perm(len(corpusTopics))[:nt] {
			topics = append(topics, corpusTopics[t])
		}
		fmt.Fprintf(&b, "---\ntitle: %q\noutlet: %q\ndate: %04d-%02d-%02d\ntopics: [%s]\nsummary: %q\n---\n\n",
			fmt.Sprintf("Report %d on the %s", i, strings.Join(topics, " and ")), corpusOutlets[r.IntN(len(corpusOutlets))],
			year, month, day, strings.Join(topics, ", "), sentence())
		words := 300 + r.IntN(600)
		for written, para := 0, 0; written < words; para++ {
			if para == 2 {
				b.WriteString("## Background\n\n")
			}
			if para == 4 {
				b.WriteString("- " + sentence() + "\n- " + sentence() + "\n\n")
			}
			var p strings.Builder
			for s := 0; s < 2+r.IntN(4); s++ {
				st := sentence()
				written += strings.Count(st, " ") + 1
				p.WriteString(st + " ")
			}
			if para == 1 && i > 0 {
				j := r.IntN(i)
				fmt.Fprintf(&p, "See [an earlier report](%s.md).", slugs[j])
			}
			b.WriteString(strings.TrimSpace(p.String()) + "\n\n")
		}
		if err := write("content/articles/"+slugs[i]+".md", b.String()); err != nil {
			return err
		}
	}
	return nil
}
