package search

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"
)

// streamed builds docs with BuildStreaming, collecting what emit is given;
// it fails the test if a path is given twice.
func streamed(t *testing.T, docs []Doc, prev *Index) (*Index, map[string]File) {
	t.Helper()
	var mu sync.Mutex
	got := map[string]File{}
	ix, err := BuildStreaming(context.Background(), docs, prev, func(f File) error {
		mu.Lock()
		defer mu.Unlock()
		if _, dup := got[f.Path]; dup {
			t.Errorf("%s emitted twice", f.Path)
		}
		got[f.Path] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ix, got
}

// longParagraph is a paragraph past the 4,096 words whose positions a
// block can tell apart, of words frequent enough to be paired.
func longParagraph() string {
	return strings.Repeat("the council of the security ", 1000)
}

// A streamed build hands on every file of the index but the root and
// index.json, each once, with the very bytes and keys Build lists; it
// keeps nothing to patch, so a Build offered it as prev builds afresh and
// still gives a fresh build's bytes.
func TestStreamedBuildEqualsBuild(t *testing.T) {
	edit := func(docs []Doc) []Doc { // a body edit: Build would patch it
		if len(docs) == 0 {
			return nil
		}
		docs = slices.Clone(docs)
		d := &docs[len(docs)/2]
		d.Paragraphs = append(slices.Clone(d.Paragraphs), Paragraph{ID: "pz", Text: "quayside words only this edit brings"})
		return docs
	}
	long := corpus(60, 400, 5)
	long[7].Paragraphs = append(long[7].Paragraphs, Paragraph{ID: "long", Text: longParagraph()})
	// A heavy stem whose forms are cut into chunks of their own: equal
	// chunks, one file.
	equal := make([]Doc, 1100)
	for i := range equal {
		equal[i] = Doc{URL: fmt.Sprintf("/a/%d/", i), Kind: "article", Title: fmt.Sprintf("R%d", i), Paragraphs: []Paragraph{{Text: "Security and securities, secure."}}}
	}
	for _, c := range []struct {
		name        string
		docs        []Doc
		equalChunks bool
	}{
		{"none", nil, false},
		{"one", corpus(1, 50, 1), false},
		{"many chunks", corpus(600, 3000, 3), false},
		{"frequent words, long paragraph", long, false},
		{"equal chunks", equal, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := mustIndex(t, c.docs, nil)
			if c.equalChunks {
				r, files := newReader(t, want.Files), 0
				for _, f := range want.Files {
					if strings.HasPrefix(f.Path, "search/c/") {
						files++
					}
				}
				if files >= len(r.root.Chunks) {
					t.Fatalf("%d chunk files for %d chunks: the case needs equal chunks", files, len(r.root.Chunks))
				}
			}
			ix, got := streamed(t, c.docs, nil)
			if ix.Stats.Emitted != len(got) {
				t.Errorf("Stats.Emitted %d, %d files emitted", ix.Stats.Emitted, len(got))
			}
			for _, f := range ix.Files {
				if _, dup := got[f.Path]; dup {
					t.Errorf("%s both emitted and listed", f.Path)
				}
				if !strings.HasPrefix(f.Path, "search/root.") && f.Path != "search/index.json" {
					t.Errorf("a streamed build listed %s", f.Path)
				}
				got[f.Path] = f
			}
			all := map[string]File{}
			for _, f := range want.Files {
				all[f.Path] = f
			}
			if len(got) != len(all) {
				t.Errorf("%d files streamed, Build lists %d", len(got), len(all))
			}
			if !maps.EqualFunc(got, all, func(a, b File) bool { return a.Key == b.Key && string(a.Data) == string(b.Data) }) {
				for p, f := range all {
					if g, ok := got[p]; !ok || g.Key != f.Key || string(g.Data) != string(f.Data) {
						t.Errorf("%s: streamed %q (key %s), Build %q (key %s)", p, trim(g.Data), g.Key, trim(f.Data), f.Key)
					}
				}
			}
			if ix.Stats.Chunks != want.Stats.Chunks || ix.Stats.Stems != want.Stats.Stems || ix.Stats.Docs != want.Stats.Docs {
				t.Errorf("stats %+v, Build's %+v", ix.Stats, want.Stats)
			}

			// After a streamed build: the same documents, then an edit.
			for _, docs := range [][]Doc{c.docs, edit(c.docs)} {
				if len(docs) == 0 {
					continue
				}
				next := mustIndex(t, docs, ix)
				if next.Stats.Patched {
					t.Error("a Build patched a streamed index")
				}
				if fresh := mustIndex(t, docs, nil); !maps.EqualFunc(filesByPath(next), filesByPath(fresh), func(a, b []byte) bool { return string(a) == string(b) }) {
					t.Error("a Build after a streamed one differs from a fresh build")
				}
			}
		})
	}
}

// A streamed build of an edit, offered Build's index, patches it and hands
// on the reused chunks too: what it gives is a fresh build's.
func TestStreamedBuildPatchesBuild(t *testing.T) {
	docs := corpus(600, 3000, 3)
	prev := mustIndex(t, docs, nil)
	docs = slices.Clone(docs)
	docs[17].Paragraphs = append(slices.Clone(docs[17].Paragraphs), Paragraph{ID: "pz", Text: "quayside quayside"})
	ix, got := streamed(t, docs, prev)
	if !ix.Stats.Patched {
		t.Fatal("a body edit was not patched")
	}
	for _, f := range ix.Files {
		got[f.Path] = f
	}
	want := filesByPath(mustIndex(t, docs, nil))
	if len(got) != len(want) {
		t.Errorf("%d files streamed, a fresh build has %d", len(got), len(want))
	}
	for p, data := range want {
		if string(got[p].Data) != string(data) {
			t.Errorf("%s differs from a fresh build", p)
		}
	}
}

// emit's first error ends the build and is returned, whichever file it
// failed on.
func TestStreamedBuildStopsOnEmitError(t *testing.T) {
	docs := corpus(300, 2000, 4)
	for _, prefix := range []string{"search/c/", "search/x/", "search/f/"} {
		t.Run(prefix, func(t *testing.T) {
			failed := errors.New("disk full")
			_, err := BuildStreaming(context.Background(), docs, nil, func(f File) error {
				if strings.HasPrefix(f.Path, prefix) {
					return fmt.Errorf("writing %s: %w", f.Path, failed)
				}
				return nil
			})
			if !errors.Is(err, failed) {
				t.Errorf("error %v, want emit's", err)
			}
		})
	}
}

func trim(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// Documents whose paragraphs are made when read (ReadParagraphs) index as
// the same documents with their paragraphs given, streamed or not; the
// reader is called only while the build reads the text, and the build
// keeps nothing of the paragraphs it was lent (see scribbled).
func TestReadParagraphsEqualsParagraphs(t *testing.T) {
	docs := withAccents(corpus(300, 2000, 6))
	want := filesByPath(mustIndex(t, docs, nil))
	lazy := slices.Clone(docs)
	var loads atomic.Int64
	for i := range lazy {
		lazy[i].ReadParagraphs = scribbled(lazy[i].Paragraphs, &loads)
		lazy[i].Paragraphs = nil
	}
	if got := filesByPath(mustIndex(t, lazy, nil)); !maps.EqualFunc(got, want, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Error("lazy paragraphs give another index")
	}
	streamedEquals(t, lazy, want, "streamed from lazy paragraphs")
	if loads.Load() == 0 {
		t.Error("ReadParagraphs was never called")
	}
}

// withAccents gives every third paragraph words that fold (accents,
// capitals), whose folded forms a careless index could take from the text.
func withAccents(docs []Doc) []Doc {
	for i := range docs {
		docs[i].Paragraphs = slices.Clone(docs[i].Paragraphs)
		for k := range docs[i].Paragraphs {
			if (i+k)%3 == 0 {
				docs[i].Paragraphs[k].Text += fmt.Sprintf(" Café Ørsted naïve déjà vu%d Lavrov", i%7)
			}
		}
	}
	return docs
}

// scribbled returns a ReadParagraphs that lends copies of paras, their
// strings views of one buffer that is overwritten once read returns, as
// the build's buffers are reused: an index that kept any of those strings
// would show the scribbles.
func scribbled(paras []Paragraph, loads *atomic.Int64) func(func([]Paragraph)) {
	return func(read func([]Paragraph)) {
		loads.Add(1)
		var buf []byte
		for _, p := range paras {
			buf = append(append(buf, p.ID...), p.Text...)
		}
		view := func(off, n int) string {
			if n == 0 {
				return ""
			}
			return unsafe.String(&buf[off], n)
		}
		lent := make([]Paragraph, len(paras))
		off := 0
		for i, p := range paras {
			lent[i] = Paragraph{ID: view(off, len(p.ID)), Text: view(off+len(p.ID), len(p.Text)), Weight: p.Weight}
			off += len(p.ID) + len(p.Text)
		}
		read(lent)
		for i := range buf {
			buf[i] = '#'
		}
	}
}

// A document that says the length of the text it loads is weighed without
// loading it, and indexed as if it had been: streamed, its text is then
// loaded once, for the analysis and the fragment together.
func TestParagraphBytesSparesALoad(t *testing.T) {
	docs := withAccents(corpus(200, 2000, 7))
	want := filesByPath(mustIndex(t, docs, nil))
	lazy := slices.Clone(docs)
	var loads atomic.Int64
	withText := 0
	for i := range lazy {
		paras := lazy[i].Paragraphs
		n := 0
		for _, p := range paras {
			if p.Weight != 0 {
				t.Fatalf("corpus paragraph with weight %d: the test needs default weights", p.Weight)
			}
			n += len(p.Text)
		}
		if n > 0 {
			withText++
		}
		lazy[i].Paragraphs = nil
		lazy[i].ParagraphBytes = n
		lazy[i].Version = "v1 " + lazy[i].URL // as the build's are: no hashing of the text
		lazy[i].ReadParagraphs = scribbled(paras, &loads)
	}
	streamedEquals(t, lazy, want, "weighed from ParagraphBytes")
	if int(loads.Load()) != len(lazy) || withText == 0 {
		t.Errorf("%d loads for %d documents (%d with text): want one each", loads.Load(), len(lazy), withText)
	}
}

// streamedEquals checks that a streamed build of docs gives every file of
// want (path -> bytes) with the same bytes; how says how docs were made.
func streamedEquals(t *testing.T, docs []Doc, want map[string][]byte, how string) {
	t.Helper()
	ix, got := streamed(t, docs, nil)
	for _, f := range ix.Files {
		got[f.Path] = f
	}
	for p, data := range want {
		if string(got[p].Data) != string(data) {
			t.Errorf("%s differs when %s", p, how)
		}
	}
}
