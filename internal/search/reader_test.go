package search

import (
	"encoding/json"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
)

// reader answers queries from the index files the way static/search.js
// does, so that tests can check the index's content and ranking in Go.
type reader struct {
	t      testing.TB
	files  map[string][]byte
	root   rootJSON
	chunks map[int]*readChunk
}

type readChunk struct {
	G [][]string
	P []string
	X [][2]any
}

type hit struct {
	Doc   int
	Score float64
}

func newReader(t testing.TB, files []File) *reader {
	t.Helper()
	r := &reader{t: t, files: map[string][]byte{}, chunks: map[int]*readChunk{}}
	for _, f := range files {
		r.files[f.Path] = f.Data
	}
	var p struct{ Root string }
	r.decode("search/index.json", &p)
	r.decode("search/"+p.Root, &r.root)
	return r
}

func (r *reader) decode(path string, v any) {
	r.t.Helper()
	data, ok := r.files[path]
	if !ok {
		r.t.Fatalf("no file %s", path)
	}
	if err := json.Unmarshal(data, v); err != nil {
		r.t.Fatalf("%s: %v", path, err)
	}
}

// chunkOf is the chunk a word is looked up in: the last boundary <= w.
func (r *reader) chunkOf(w string) int {
	i := sort.Search(len(r.root.Bounds), func(i int) bool { return compareJS(r.root.Bounds[i], w) > 0 })
	return i - 1
}

func (r *reader) chunk(i int) *readChunk {
	if c := r.chunks[i]; c != nil {
		return c
	}
	c := &readChunk{}
	r.decode("search/c/"+r.root.Chunks[i]+".json", c)
	r.chunks[i] = c
	return c
}

// lookup returns the postings of the stem a surface form stands for.
func (r *reader) lookup(w string) ([]posting, bool) {
	ci := r.chunkOf(w)
	c := r.chunk(ci)
	for k, g := range c.G {
		for _, s := range g {
			if s == w {
				part := 0
				for j, x := range c.X {
					if int(x[0].(float64)) <= k {
						part = j
					}
				}
				if strings.Contains(w, " ") { // a pair: documents only
					ps, err := decodeDocs([]byte(c.P[k]))
					if err != nil {
						r.t.Fatal(err)
					}
					return ps, true
				}
				var pos []string
				r.decode("search/x/"+c.X[part][1].(string)+".json", &pos)
				ps, err := decodePostings([]byte(c.P[k]), []byte(pos[k-int(c.X[part][0].(float64))]))
				if err != nil {
					r.t.Fatal(err)
				}
				return ps, true
			}
		}
	}
	return nil, false
}

// pairKey is the key a phrase's two words are looked up as, as the browser
// makes it: the first form listed with each word's stem.
func (r *reader) pairKey(a, b string) string {
	first := func(w string) string {
		for _, g := range r.chunk(r.chunkOf(w)).G {
			if slices.Contains(g, w) {
				return g[0]
			}
		}
		r.t.Fatalf("no stem lists %q", w)
		return ""
	}
	return first(a) + " " + first(b)
}

// search runs a query: all words (AND), BM25 summed, phrases checked on
// positions; hits by score, then document number.
func (r *reader) search(q string) []hit {
	pq := ParseQuery(q, false)
	scores := map[int]float64{}
	byWord := map[string]map[int][]uint32{}
	for i, w := range pq.Terms {
		ps, _ := r.lookup(w)
		n := float64(r.root.N)
		df := float64(len(ps))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		next := map[int]float64{}
		pos := map[int][]uint32{}
		for _, p := range ps {
			pos[int(p.doc)] = p.pos
			v := idf * float64(p.impact) / 63 * (r.root.K1 + 1)
			if i == 0 {
				next[int(p.doc)] = v
			} else if old, ok := scores[int(p.doc)]; ok {
				next[int(p.doc)] = old + v
			}
		}
		scores = next
		byWord[w] = pos
	}
	for _, ph := range pq.Phrases {
		for d := range scores {
			ok := false
			for _, p0 := range byWord[ph[0]][d] {
				all := true
				for j, w := range ph[1:] {
					found := false
					for _, p := range byWord[w][d] {
						if p == p0+uint32(j+1) {
							found = true
						}
					}
					all = all && found
				}
				ok = ok || all
			}
			if !ok {
				delete(scores, d)
			}
		}
	}
	var hits []hit
	for d, v := range scores {
		hits = append(hits, hit{d, v})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Doc < hits[j].Doc
	})
	return hits
}

// url returns the URL of document d, from its fragment.
func (r *reader) url(d int) string {
	var f fragJSON
	r.decode("search/f/"+r.root.Epoch+"/"+itoa(d)+".json", &f)
	return f.URL
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
