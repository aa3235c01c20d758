package search

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// mustIndex builds an index or fails the test.
func mustIndex(t testing.TB, docs []Doc, prev *Index) *Index {
	t.Helper()
	ix, err := Build(context.Background(), docs, prev)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestWords(t *testing.T) {
	long := strings.Repeat("x", MaxWordBytes+1)
	cases := []struct {
		in   string
		want []string
	}{
		{"Dock workers walked out.", []string{"dock", "workers", "walked", "out"}},
		{"Okafor's union, don’t", []string{"okafor's", "union", "don't"}},
		{"Zoë BRANDT, Ångström", []string{"zoe", "brandt", "angstrom"}},
		{"Zoe\u0308 (combining)", []string{"zoe", "combining"}},
		{"al-Assad 70,000 lives", []string{"al", "assad", "70", "000", "lives"}},
		{"'quoted' dockers' pay", []string{"quoted", "dockers", "pay"}},
		{"ΟΔΟΣ Москва 東京", []string{"οδοσ", "москва", "東", "京"}},
		// Chinese characters, hiragana and katakana are words of their own.
		{"東京で会議。Tokyoの会議", []string{"東", "京", "て\u3099", "会", "議", "tokyo", "の", "会", "議"}},
		{"ガ and カ", []string{"カ\u3099", "and", "カ"}}, // voicing marks stay
		{"コーヒーshop", []string{"コ", "ー", "ヒ", "ー", "shop"}},
		{"Kerry's 東", []string{"kerry's", "東"}},
		{"a " + long + " b", []string{"a", "b"}},
		{"", nil},
		{"— … !!", nil},
	}
	for _, c := range cases {
		var got []string
		Words(c.in, func(sp Span) {
			got = append(got, sp.Word)
			if Fold(c.in[sp.Start:sp.End]) != sp.Word {
				t.Errorf("%q: span %d-%d folds to %q, not %q", c.in, sp.Start, sp.End, Fold(c.in[sp.Start:sp.End]), sp.Word)
			}
		})
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Words(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStem(t *testing.T) {
	cases := []struct {
		words []string
		same  bool
	}{
		{[]string{"veto", "vetoes", "vetoed", "vetoing"}, true},
		{[]string{"strike", "strikes", "striking"}, true},
		{[]string{"negotiation", "negotiations", "negotiate"}, true},
		{[]string{"okafor", "okafor's"}, true},
		{[]string{"port", "party"}, false},
		{[]string{"1998", "1999"}, false},
	}
	for _, c := range cases {
		stems := map[string]bool{}
		for _, w := range c.words {
			stems[Stem(w)] = true
		}
		if (len(stems) == 1) != c.same {
			t.Errorf("stems of %v: %v (same stem wanted: %v)", c.words, stems, c.same)
		}
	}
	if Stem("москва") != "москва" || Stem("70") != "70" {
		t.Error("words other than English letters must be their own stem")
	}
}

func TestParseQuery(t *testing.T) {
	cases := []struct {
		in     string
		typing bool
		want   Query
	}{
		{"Port strike", false, Query{Terms: []string{"port", "strike"}}},
		{"port stri", true, Query{Terms: []string{"port", "stri"}, Prefix: true}},
		{"port strike ", true, Query{Terms: []string{"port", "strike"}}},
		{`"fair offer" pay`, false, Query{Terms: []string{"fair", "offer", "pay"}, Phrases: [][]string{{"fair", "offer"}}}},
		{`“two million” euros`, true, Query{Terms: []string{"two", "million", "euros"}, Phrases: [][]string{{"two", "million"}}, Prefix: true}},
		{`"unclosed phrase`, true, Query{Terms: []string{"unclosed", "phrase"}, Phrases: [][]string{{"unclosed", "phrase"}}}},
		{`"one"`, false, Query{Terms: []string{"one"}}},
		{"", true, Query{}},
		// A run of characters that are words of their own is a phrase;
		// a space or another word ends it.
		{"会議 東京 x", false, Query{Terms: []string{"会", "議", "東", "京", "x"}, Phrases: [][]string{{"会", "議"}, {"東", "京"}}}},
		{"東京で会議", false, Query{Terms: []string{"東", "京", "て\u3099", "会", "議"}, Phrases: [][]string{{"東", "京", "て\u3099", "会", "議"}}}},
		{"会 議talks", false, Query{Terms: []string{"会", "議", "talks"}}},
		{`"会議 talks"`, false, Query{Terms: []string{"会", "議", "talks"}, Phrases: [][]string{{"会", "議", "talks"}}}},
	}
	for _, c := range cases {
		if got := ParseQuery(c.in, c.typing); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseQuery(%q, %v) = %+v, want %+v", c.in, c.typing, got, c.want)
		}
	}
}

// fixedDocs is a small corpus with known answers.
func fixedDocs() []Doc {
	filler := strings.Repeat("The harbour was quiet and the cranes stood still over the water. ", 12)
	return []Doc{
		{URL: "/a/talks/", Kind: "article", Title: "Kerry meets Lavrov", Outlet: "AFP", Year: 2013, Date: "2013-05-07",
			Paragraphs: []Paragraph{{ID: "p1", Text: "Talks on Syria lasted three hours."}, {ID: "p2", Text: "The union gave a fair offer on pay, the minister said."}}},
		{URL: "/e/kerry/", Kind: "person", Title: "John Kerry", Summary: "Secretary of State",
			Fields: []Field{{Text: "Kerry", Weight: WeightName}}, Paragraphs: []Paragraph{{Text: "John Kerry is the US Secretary of State."}}},
		{URL: "/a/weather/", Kind: "article", Title: "Weather report", Outlet: "Reuters", Year: 2014, Date: "2014-01-02",
			Paragraphs: []Paragraph{{ID: "p1", Text: filler + "Kerry was not there. " + filler}}},
		{URL: "/a/visit/", Kind: "article", Title: "A visit to Moscow", Outlet: "AFP", Year: 2013, Date: "2013-05-08",
			Paragraphs: []Paragraph{{ID: "p1", Text: "Kerry arrived. Kerry spoke. Kerry left, and the offer is fair, he said."}, {ID: "p2", Text: "Russia vetoed the draft; it vetoes most drafts."}}},
		{URL: "/a/zoe/", Kind: "article", Title: "Port chief speaks", Outlet: "Reuters", Year: 2014, Date: "2014-02-01",
			Paragraphs: []Paragraph{{ID: "p1", Text: "Zoë Brandt said the veto was unfair."}}},
		{URL: "/t/syria/", Kind: "topic", Title: "Syria", Summary: "The war in Syria."},
	}
}

func urls(r *reader, hs []hit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, r.url(h.Doc))
	}
	return out
}

func TestRankingAndMatching(t *testing.T) {
	ix := mustIndex(t, fixedDocs(), nil)
	r := newReader(t, ix.Files)
	cases := []struct {
		q    string
		want []string // in rank order
	}{
		// A name weighs most, then a title, then many mentions in a short
		// text, then one mention in a long one.
		{"kerry", []string{"/e/kerry/", "/a/talks/", "/a/visit/", "/a/weather/"}},
		{"KERRY", []string{"/e/kerry/", "/a/talks/", "/a/visit/", "/a/weather/"}},
		{"syria", []string{"/t/syria/", "/a/talks/"}},
		{"vetoes", []string{"/a/visit/", "/a/zoe/"}},
		{"veto", []string{"/a/visit/", "/a/zoe/"}},
		{"zoe", []string{"/a/zoe/"}},
		{"kerry offer", []string{"/a/talks/", "/a/visit/"}},
		{`"fair offer"`, []string{"/a/talks/"}},
		{`"offer is fair"`, []string{"/a/visit/"}},
		{"kerry xylophone", nil},
	}
	for _, c := range cases {
		got := urls(r, r.search(c.q))
		if c.q == "vetoes" || c.q == "veto" || c.q == "kerry offer" {
			slices.Sort(got) // equal relevance: order not asserted
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %v, want %v", c.q, got, c.want)
		}
	}
}

// TestBaseFormFindsInflectedForms: a word is looked up as written, so a
// base form the corpus never uses ("dog" where the text says "dogs", "veto"
// where it says "vetoed") must still land on its stem: every stem is listed
// among its own surface forms (found by hostile testing: "dog" had no
// results while "dogs" had one).
func TestBaseFormFindsInflectedForms(t *testing.T) {
	docs := []Doc{
		{URL: "/a/one/", Kind: "article", Title: "Running dogs", Paragraphs: []Paragraph{{ID: "p1", Text: "Russia vetoed the drafts; it happened twice in the cities."}}},
		{URL: "/a/two/", Kind: "article", Title: "Quiet harbour", Paragraphs: []Paragraph{{ID: "p1", Text: "Nothing of the kind here."}}},
	}
	r := newReader(t, mustIndex(t, docs, nil).Files)
	for _, q := range []string{"dog", "dogs", "veto", "vetoed", "happen", "run", "draft", "citi"} {
		if got := urls(r, r.search(q)); !reflect.DeepEqual(got, []string{"/a/one/"}) {
			t.Errorf("%q: %v, want [/a/one/]", q, got)
		}
	}
	if got := urls(r, r.search("harbour")); !reflect.DeepEqual(got, []string{"/a/two/"}) {
		t.Errorf("harbour: %v, want [/a/two/]", got)
	}
}

// An index of nothing lists no chunks as empty lists, not null.
func TestEmptyIndexRoot(t *testing.T) {
	r := newReader(t, mustIndex(t, nil, nil).Files)
	if r.root.Bounds == nil || r.root.Chunks == nil || len(r.root.Chunks) != 0 {
		t.Errorf("root of an empty index: bounds %#v, chunks %#v, want empty lists", r.root.Bounds, r.root.Chunks)
	}
}

func TestFacetGroups(t *testing.T) {
	ix := mustIndex(t, fixedDocs(), nil)
	r := newReader(t, ix.Files)
	// Every document's group (kind, outlet, year) must match its doc.
	want := map[string][3]string{}
	for _, d := range fixedDocs() {
		want[d.URL] = [3]string{d.Kind, d.Outlet, fmt.Sprint(d.Year)}
	}
	for d := 0; d < r.root.N; d++ {
		g := r.root.Groups[0]
		for _, x := range r.root.Groups {
			if x[3] <= d {
				g = x
			}
		}
		outlet := ""
		if g[1] >= 0 {
			outlet = r.root.Outlets[g[1]]
		}
		got := [3]string{r.root.Kinds[g[0]], outlet, fmt.Sprint(g[2])}
		if u := r.url(d); got != want[u] {
			t.Errorf("document %d (%s): facets %v, want %v", d, u, got, want[u])
		}
	}
}

// corpus makes n deterministic documents over a vocabulary of vocab words.
func corpus(n, vocab int, seed uint64) []Doc {
	rnd := rand.New(rand.NewPCG(seed, 7))
	syll := []string{"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "bra", "dre", "qua"}
	words := make([]string, vocab)
	for i := range words {
		var b strings.Builder
		for k := 0; k < 2+i%3; k++ {
			b.WriteString(syll[rnd.IntN(len(syll))])
		}
		words[i] = b.String() + []string{"", "s", "ed", "ing"}[rnd.IntN(4)]
	}
	docs := make([]Doc, n)
	for i := range docs {
		var ps []Paragraph
		for p := 0; p < 3+rnd.IntN(4); p++ {
			var b strings.Builder
			for w := 0; w < 20+rnd.IntN(40); w++ {
				// Zipf-like: low indexes far more often.
				b.WriteString(words[int(float64(vocab)*rnd.Float64()*rnd.Float64()*rnd.Float64())] + " ")
			}
			ps = append(ps, Paragraph{ID: fmt.Sprintf("p%d", p+1), Text: b.String()})
		}
		docs[i] = Doc{URL: fmt.Sprintf("/articles/%04d/", i), Kind: "article", Title: fmt.Sprintf("Report %d on %s", i, words[i%vocab]),
			Outlet: []string{"AFP", "Reuters", "TASS"}[i%3], Year: 2010 + i%5, Date: fmt.Sprintf("%d-01-%02d", 2010+i%5, 1+i%28), Paragraphs: ps}
	}
	return docs
}

func filesByPath(ix *Index) map[string][]byte {
	m := map[string][]byte{}
	for _, f := range ix.Files {
		m[f.Path] = f.Data
	}
	return m
}

func TestChunkAssignment(t *testing.T) {
	ix := mustIndex(t, corpus(600, 3000, 1), nil)
	r := newReader(t, ix.Files)
	if len(r.root.Chunks) < 5 {
		t.Fatalf("%d chunks: the corpus should need several", len(r.root.Chunks))
	}
	if r.root.Bounds[0] != "" {
		t.Errorf("the first boundary is %q, want empty", r.root.Bounds[0])
	}
	for i := 1; i < len(r.root.Bounds); i++ {
		if compareJS(r.root.Bounds[i-1], r.root.Bounds[i]) >= 0 {
			t.Errorf("boundaries out of order: %q, %q", r.root.Bounds[i-1], r.root.Bounds[i])
		}
	}
	// Every surface form is found in the chunk its boundaries point to.
	seen := 0
	for i := range r.root.Chunks {
		c := r.chunk(i)
		for _, g := range c.G {
			for _, w := range g {
				ci := r.chunkOf(w)
				if !slices.ContainsFunc(r.chunk(ci).G, func(g []string) bool { return slices.Contains(g, w) }) {
					t.Errorf("%q is in chunk %d but lookup goes to chunk %d, which lacks it", w, i, ci)
				}
				seen++
			}
		}
		if len(c.P) != len(c.G) {
			t.Errorf("chunk %d: %d stems, %d posting lists", i, len(c.G), len(c.P))
		}
	}
	if seen < ix.Stats.Surfaces {
		t.Errorf("chunks list %d surface forms, the index has %d", seen, ix.Stats.Surfaces)
	}
	// No chunk is far above the target, unless one stem alone is.
	for p, data := range filesByPath(ix) {
		if strings.HasPrefix(p, "search/c/") && len(data) > 5*ix.target {
			var c readChunk
			json.Unmarshal(data, &c)
			if len(c.G) > 1 {
				t.Errorf("%s: %d bytes, %d stems; target %d", p, len(data), len(c.G), ix.target)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	docs := corpus(300, 2000, 2)
	a := mustIndex(t, docs, nil)
	rev := slices.Clone(docs)
	slices.Reverse(rev)
	b := mustIndex(t, rev, nil)
	if !reflect.DeepEqual(filesByPath(a), filesByPath(b)) {
		t.Error("the same documents in another order give other files")
	}
	c := mustIndex(t, docs, mustIndex(t, docs, nil)) // a rebuild with nothing changed
	if !reflect.DeepEqual(filesByPath(a), filesByPath(c)) {
		t.Error("a rebuild of unchanged documents gives other files")
	}
}

// A body edit re-encodes only the stems it touches: the chunk files that
// change are exactly those holding a stem whose postings changed, plus the
// root, index.json and the document's fragment; and the result equals a
// build from scratch.
func TestIncrementalEdit(t *testing.T) {
	docs := corpus(600, 3000, 3)
	prev := mustIndex(t, docs, nil)
	before := filesByPath(prev)
	rb := newReader(t, prev.Files)

	edited := slices.Clone(docs)
	d := &edited[17]
	d.Paragraphs = slices.Clone(d.Paragraphs)
	d.Paragraphs[1].Text += " quayside quayside"
	next := mustIndex(t, edited, prev)
	if !next.Stats.Patched || next.Stats.Reanalysed != 1 {
		t.Errorf("stats %+v: want a patched build that analysed one document", next.Stats)
	}
	after := filesByPath(next)
	if fresh := filesByPath(mustIndex(t, edited, nil)); !reflect.DeepEqual(after, fresh) {
		t.Fatal("the incremental index differs from a full build")
	}
	ra := newReader(t, next.Files)

	// Which surface forms' postings changed (compared through the reader).
	changedWords := map[string]bool{}
	for _, r := range []*reader{rb, ra} {
		for i := range r.root.Chunks {
			for _, g := range r.chunk(i).G {
				for _, w := range g {
					p1, _ := rb.lookup(w)
					p2, _ := ra.lookup(w)
					if !reflect.DeepEqual(p1, p2) {
						changedWords[w] = true
					}
				}
			}
		}
	}
	if !changedWords["quayside"] {
		t.Fatal("the new word is not among the changed ones")
	}
	holds := func(data []byte) bool {
		var c readChunk
		json.Unmarshal(data, &c)
		for _, g := range c.G {
			for _, w := range g {
				if changedWords[w] {
					return true
				}
			}
		}
		return false
	}
	// near reports whether chunk i of r holds a changed word, or its range
	// (or a neighbour's: a new word may cut a chunk in two) contains one.
	near := func(r *reader, i int) bool {
		for k := max(0, i-1); k <= min(len(r.root.Chunks)-1, i+1); k++ {
			if holds(r.files["search/c/"+r.root.Chunks[k]+".json"]) {
				return true
			}
			for w := range changedWords {
				if r.chunkOf(w) == k {
					return true
				}
			}
		}
		return false
	}
	var changedChunks, frags int
	for _, m := range []struct {
		a, b map[string][]byte
		r    *reader
	}{{before, after, rb}, {after, before, ra}} {
		for p := range m.a {
			if _, same := m.b[p]; same {
				continue
			}
			switch {
			case strings.HasPrefix(p, "search/c/"):
				changedChunks++
				i := slices.Index(m.r.root.Chunks, strings.TrimSuffix(strings.TrimPrefix(p, "search/c/"), ".json"))
				if !near(m.r, i) {
					t.Errorf("%s changed but holds no changed word, nor is next to one that does", p)
				}
			case strings.HasPrefix(p, "search/f/"):
				frags++
			case strings.HasPrefix(p, "search/x/"), strings.HasPrefix(p, "search/root."):
			default:
				t.Errorf("%s appeared or went", p)
			}
		}
	}
	for p, data := range after {
		if old, ok := before[p]; ok && !bytes.Equal(old, data) && p != "search/index.json" && !strings.HasPrefix(p, "search/f/") {
			t.Errorf("%s changed content under the same name", p)
		}
	}
	// Conversely, every chunk holding a changed word has a new name.
	for i, h := range rb.root.Chunks {
		if holds(before["search/c/"+h+".json"]) && after["search/c/"+h+".json"] != nil {
			t.Errorf("chunk %d (%s) holds a changed word but kept its name", i, h)
		}
	}
	if frags != 0 {
		t.Errorf("%d fragment files appeared or went; the edit keeps every document's number", frags)
	}
	if f := "search/f/" + ra.root.Epoch + "/"; true {
		n := 0
		for p, data := range after {
			if strings.HasPrefix(p, f) && !bytes.Equal(before[p], data) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d fragments changed, want the edited document's only", n)
		}
	}
	if changedChunks == 0 || changedChunks > len(rb.root.Chunks) {
		t.Errorf("%d chunk files changed of %d", changedChunks, len(rb.root.Chunks))
	}
	t.Logf("%d chunk files appeared or went (of %d chunks); %d words changed", changedChunks, len(rb.root.Chunks), len(changedWords))

	// Adding a document renumbers: a full build, still equal to a fresh one.
	added := append(slices.Clone(edited), Doc{URL: "/articles/new/", Kind: "article", Title: "New", Year: 2012, Paragraphs: []Paragraph{{ID: "p1", Text: "quayside"}}})
	n2 := mustIndex(t, added, next)
	if n2.Stats.Patched {
		t.Error("a new document was patched in")
	}
	if !reflect.DeepEqual(filesByPath(n2), filesByPath(mustIndex(t, added, nil))) {
		t.Error("the index after an added document differs from a full build")
	}
}

// Hostile text in any field reaches the index as JSON string data: no raw
// markup in any file, and the text decodes back unchanged.
func TestHostileText(t *testing.T) {
	evil := `</script><img src=x onerror="alert(1)">&amp;<!--`
	docs := []Doc{{URL: "/a/x/?q=<b>", Kind: "article", Title: evil, Outlet: evil, Year: 2020, Date: "2020", When: evil, Summary: evil,
		Fields: []Field{{Text: evil, Weight: 3}}, Paragraphs: []Paragraph{{ID: `p1"><script>`, Text: evil}}}}
	ix := mustIndex(t, docs, nil)
	for _, f := range ix.Files {
		if bytes.ContainsAny(f.Data, "<>") {
			t.Errorf("%s contains raw < or >: %s", f.Path, f.Data)
		}
		if !json.Valid(f.Data) {
			t.Errorf("%s is not valid JSON", f.Path)
		}
	}
	r := newReader(t, ix.Files)
	var fr fragJSON
	r.decode("search/f/"+r.root.Epoch+"/0.json", &fr)
	if fr.Title != evil || fr.Outlet != evil || fr.Summary != evil || fr.Paras[0][1] != evil || fr.Paras[0][0] != `p1"><script>` {
		t.Errorf("hostile text did not survive as data: %+v", fr)
	}
	if hs := r.search("onerror img"); len(hs) != 1 {
		t.Errorf("the words of hostile text are searchable as words: %v", hs)
	}
}

func TestPostingsRoundTrip(t *testing.T) {
	ps := []posting{{doc: 0, impact: 63, pos: []uint32{0}}, {doc: 5, impact: 1, pos: []uint32{3, 4, 4097, 1 << 20}}, {doc: 1 << 20, impact: 30, pos: []uint32{7}}}
	post, pos := encodePostings(ps, nil, nil)
	if bytes.ContainsAny(post, `"\`) || bytes.ContainsAny(pos, `"\`) {
		t.Error("encoded postings need JSON escaping")
	}
	got, err := decodePostings(post, pos)
	if err != nil || !reflect.DeepEqual(got, ps) {
		t.Errorf("round trip: %v, %v", got, err)
	}
	if _, err := decodePostings([]byte("ZZZZZZZZ"), nil); err == nil {
		t.Error("corrupt postings decoded without error")
	}
}

// blockBuf keeps what is written, in order, without copying it while it
// grows: blocks double up to maxBlock, so a buffer of n bytes has about
// log2(maxBlock) + n/maxBlock blocks, and bytes joins them into exactly n.
func TestBlockBuf(t *testing.T) {
	for _, tc := range []struct {
		name        string
		step, total int
	}{
		{"empty", 1, 0},
		{"one byte", 1, 1},
		{"fills the first block", 8, 8},
		{"crosses the first block", 3, 10},
		{"a write larger than a block", 100_000, 300_000},
		{"many small writes", 3, 1 << 20},
		{"uneven writes", 37, 500_001},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b blockBuf
			var want []byte
			for i := 0; len(want) < tc.total; i++ {
				x := make([]byte, min(tc.step, tc.total-len(want)))
				for k := range x {
					x[k] = byte(i*7 + k)
				}
				b.write(x)
				want = append(want, x...)
			}
			got := b.bytes()
			if !bytes.Equal(got, want) {
				t.Fatalf("bytes() differ from what was written (%d against %d bytes)", len(got), len(want))
			}
			blocks := b.full
			if b.last != nil {
				blocks = append(blocks, b.last)
			}
			for i, blk := range blocks {
				if cap(blk) > maxBlock {
					t.Errorf("block %d holds %d bytes, more than %d", i, cap(blk), maxBlock)
				}
				if i < len(blocks)-1 && len(blk) != cap(blk) {
					t.Errorf("block %d is not full (%d of %d) but a later one was started", i, len(blk), cap(blk))
				}
			}
			if len(blocks) > 1 && cap(got) != len(want) {
				t.Errorf("joined into %d bytes of capacity for %d", cap(got), len(want))
			}
			// Doubling from 8 to maxBlock takes 14 blocks.
			if limit := 14 + tc.total/maxBlock; len(blocks) > limit {
				t.Errorf("%d blocks for %d bytes, want at most %d", len(blocks), tc.total, limit)
			}
		})
	}
}

// Frequent stems side by side are listed as pairs, so that a phrase of
// common words needs no positions; an edit keeps the pairs exact.
func TestPhrasePairs(t *testing.T) {
	docs := make([]Doc, 40) // frequentDF is 32
	for i := range docs {
		text := "The security of the council was discussed."
		if i < 10 {
			text = "The security council met; the council spoke of security."
		}
		docs[i] = Doc{URL: fmt.Sprintf("/a/%02d/", i), Kind: "article", Title: fmt.Sprintf("Report %d", i), Paragraphs: []Paragraph{{ID: "p1", Text: text}}}
	}
	check := func(ix *Index, want int) {
		t.Helper()
		r := newReader(t, ix.Files)
		ps, ok := r.lookup(r.pairKey("security", "council"))
		if !ok || len(ps) != want {
			t.Fatalf("pair security council: %d documents (found %v), want %d", len(ps), ok, want)
		}
		for _, p := range ps {
			if u := r.url(int(p.doc)); u >= "/a/10/" && u != "/a/20/" {
				t.Errorf("pair lists %s, where the words are apart", u)
			}
		}
		if _, ok := r.lookup("the of"); ok {
			t.Error("a pair that never occurs is listed")
		}
		if got := len(r.search(`"security council"`)); got != want {
			t.Errorf("phrase by positions: %d, want %d", got, want)
		}
	}
	prev := mustIndex(t, docs, nil)
	check(prev, 10)
	edited := slices.Clone(docs)
	edited[20].Paragraphs = []Paragraph{{ID: "p1", Text: "The security council of the council was discussed."}}
	next := mustIndex(t, edited, prev)
	if !next.Stats.Patched {
		t.Error("the edit was not patched in")
	}
	check(next, 11)
	if !reflect.DeepEqual(filesByPath(next), filesByPath(mustIndex(t, edited, nil))) {
		t.Error("patched pairs differ from a full build")
	}
}

// splicePostings gives the bytes that decoding, editing and encoding again
// give, for random postings and edits.
func TestSplicePostingsEqualsDecodeEncode(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 500 {
		withPos := trial%4 != 0
		var ps []posting
		doc := int32(-1)
		for range r.IntN(40) {
			doc += 1 + int32(r.IntN(200))
			p := posting{doc: doc, impact: uint8(1 + r.IntN(63))}
			if withPos {
				last := uint32(0)
				for k := range 1 + r.IntN(5) {
					last += uint32(r.IntN(5000)) + uint32(min(k, 1))
					p.pos = append(p.pos, last)
				}
			}
			ps = append(ps, p)
		}
		post, pos := encodePostings(ps, nil, nil)
		removed := map[int32]bool{}
		var added []posting
		for _, p := range ps {
			if r.IntN(4) == 0 {
				removed[p.doc] = true
				if r.IntN(2) == 0 { // re-added with new data
					added = append(added, posting{doc: p.doc, impact: uint8(1 + r.IntN(63)), pos: []uint32{uint32(r.IntN(100))}})
				}
			}
		}
		for range r.IntN(4) { // new documents, beyond or between the others
			d := int32(r.IntN(int(doc) + 300))
			if !slices.ContainsFunc(ps, func(p posting) bool { return p.doc == d }) && !slices.ContainsFunc(added, func(p posting) bool { return p.doc == d }) {
				added = append(added, posting{doc: d, impact: 5, pos: []uint32{1, 7}})
			}
		}
		if !withPos {
			for i := range added {
				added[i].pos = nil
			}
		}
		sort.Slice(added, func(i, j int) bool { return added[i].doc < added[j].doc })

		var want []posting
		for _, p := range ps {
			if !removed[p.doc] {
				want = append(want, p)
			}
		}
		want = append(want, added...)
		sort.Slice(want, func(i, j int) bool { return want[i].doc < want[j].doc })
		wantPost, wantPos := encodePostings(want, nil, nil)

		gotPost, gotPos, df, err := splicePostings(post, pos, removed, added, withPos)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if string(gotPost) != string(wantPost) || withPos && string(gotPos) != string(wantPos) || df != len(want) {
			t.Fatalf("trial %d: got %q %q (df %d), want %q %q (df %d)", trial, gotPost, gotPos, df, wantPost, wantPos, len(want))
		}
	}
}
