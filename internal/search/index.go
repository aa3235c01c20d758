package search

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync/atomic"
	"unicode/utf8"

	"github.com/dossier-news/dossier/internal/bufpool"
	"github.com/dossier-news/dossier/internal/workpool"
)

// BM25 parameters. The browser reads k1 from the root; b only shapes the
// impacts computed here.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Format is the index format version, written into the root; the browser
// refuses a root of another version.
const Format = 1

// EntryPath is the index's one file of a fixed name (pages name it; it names
// the root, whose name is its hash, which names the rest).
const EntryPath = "search/index.json"

// File is one file of the index.
type File struct {
	Path string // relative to the site root: "search/c/1a2b3c4d5e.json"
	// Key identifies the content: equal keys mean equal bytes, so a caller
	// can reuse what it made of the file last time (hashes, compression).
	Key  string
	Data []byte
	// Done, when set, is for BuildStreaming's emit to call once it no
	// longer needs Data, which is then lent again (a fragment's buffer).
	Done func()
}

// Index is a built index, and the state the next Build reuses: after an
// edit that changes no document's number (a body edit), only the stems of
// the edited documents are re-encoded and only the chunks holding them get
// new bytes and names.
type Index struct {
	// Files are every file of the index, sorted by path.
	Files []File
	// Stats describe the build, for benchmarks and tests.
	Stats Stats

	epoch    string
	avg      float64 // quantised average weighted document length
	docs     []*docState
	stems    map[string]*stem
	surfaces map[string]*surface
	chunks   map[string]*chunk // by range key, for reuse
	target   int
	byID     []*stem          // stems by id; nil where deleted
	surfByID []*surface       // surfaces by id; nil where deleted
	pairs    map[uint64]*stem // pair stems by their stems' ids
	frequent int              // document frequency from which stems are paired
	// consumed is set once a later Build took over this state.
	consumed bool
}

// Stats describe an index build.
type Stats struct {
	Docs, Stems, Surfaces, Chunks int
	Patched                       bool // an incremental build that re-encoded only changed stems
	Reanalysed                    int  // documents tokenised in this build
	Emitted                       int  // files handed to BuildStreaming's emit (none for Build)
}

type docState struct {
	url, version string
	stems        []int32  // stem ids (ids, not pointers: nothing for the collector to scan)
	surfaces     []int32  // surface ids
	pairs        []uint64 // adjacent stem pairs (ids); after the build, the frequent ones only
	frag         File     // Path without the epoch folder (filled at write time)
}

type stem struct {
	name     string
	id       int32 // index in Index.byID
	df       int
	post     []byte
	pos      []byte
	surfaces []string // sorted; filled at chunking time (a pair's: its key)
	dirty    bool
	last     int32 // last doc appended, during a full build
	// grown are post and pos while a full build appends to them, joined
	// into post and pos at its end (see blockBuf).
	grown *[2]blockBuf
	pair  bool // a pair of frequent stems, adjacent somewhere: postings only
	// lastChunk is the number of the last chunk holding the stem, during
	// a streamed build: its postings are dropped once that is written.
	lastChunk int32
}

type surface struct {
	word string
	stem *stem
	n    int // documents containing it
	id   int32
}

type chunk struct {
	first, last string
	stems       []*stem
	hash        string
	sum         string // contentHash of c, whole: equal sums, equal bytes
	c           []byte
	x           []File // position parts
	reused      bool   // c and x are the previous build's
}

// analysed is one document after tokenising.
type analysed struct {
	an    *analyser
	terms []aterm
	pairs []uint64 // adjacent terms (analyser stem numbers), sorted, distinct
	all   []uint32 // the terms' positions, one run per term
}

type aterm struct {
	stem    string
	sid     int32 // the analyser's stem number
	wtf     float64
	n       int // occurrences
	pos     []uint32
	surface *wordInfo   // the first surface form met
	more    []*wordInfo // others, rarely any
}

// forms calls fn for each surface form of t.
func (t *aterm) forms(fn func(*wordInfo)) {
	fn(t.surface)
	for _, wi := range t.more {
		fn(wi)
	}
}

// Build makes the index of docs. prev, the previous build's index or nil,
// lets a rebuild reuse unchanged work; the result is byte for byte what a
// build without prev makes.
//
// It stops early, returning ctx's error, when ctx is cancelled; prev is
// then left as it was or marked used up, never half patched.
func Build(ctx context.Context, docs []Doc, prev *Index) (*Index, error) {
	return BuildStreaming(ctx, docs, prev, nil)
}

// BuildStreaming is Build that hands each fragment, chunk and position
// part to emit as soon as it is made, instead of listing it in Files and
// keeping its bytes: `dossier build` writes them out at once. Files then
// lists only the root and index.json, and Stats.Emitted counts the files
// emit was given (each path once). A nil emit is Build. emit is called
// from several goroutines at once; its first error ends the build.
//
// A streamed index keeps nothing a later build could reuse (postings are
// dropped as their chunks are written): it is marked used up, so a Build
// offered it as prev builds from scratch.
func BuildStreaming(ctx context.Context, docs []Doc, prev *Index, emit func(File) error) (*Index, error) {
	stream := emit != nil
	order := orderDocs(docs)
	groups, kinds, outlets := facetGroups(docs, order)
	ix := &Index{stems: map[string]*stem{}, surfaces: map[string]*surface{}, chunks: map[string]*chunk{}, pairs: map[uint64]*stem{}}
	ix.epoch = epochOf(docs, order)
	versions := make([]string, len(order))
	lengths := make([]float64, len(order))
	if err := workpool.Each(ctx, len(order), func(i int) {
		versions[i] = docVersion(&docs[order[i]])
		lengths[i] = textLength(&docs[order[i]])
	}); err != nil {
		return nil, err
	}

	patched := false
	if prev != nil && !prev.consumed && prev.epoch == ix.epoch && len(prev.docs) == len(order) {
		var err error
		if patched, err = ix.patch(ctx, docs, order, versions, lengths, prev); err != nil {
			return nil, err
		}
	}
	fragPath := func(i int) string { return "search/f/" + ix.epoch[:12] + "/" + strconv.Itoa(i) + ".json" }
	fragKey := func(i int) string { return contentHash([]byte(versions[i]), []byte(docs[order[i]].URL))[:16] }
	var emitted atomic.Int64
	fragsDone := false
	// A streamed fragment is written into a lent buffer, taken back
	// once written (File.Done): one a document, most of the index's bytes.
	var fragBufs bufpool.Slices
	emitFragment := func(f File, d *Doc) error {
		buf := fragBufs.Get()
		*buf = appendFragment((*buf)[:0], d)
		f.Data, f.Done = *buf, func() { fragBufs.Put(buf) }
		return emit(f)
	}
	if !patched {
		// Streamed, each fragment is made and handed on as its document
		// is analysed, from the same unpacked text.
		var frag func(i int, d *Doc) error
		if stream {
			frag = func(i int, d *Doc) error {
				emitted.Add(1)
				return emitFragment(File{Path: fragPath(i), Key: fragKey(i)}, d)
			}
			fragsDone = true
		}
		if err := ix.full(ctx, docs, order, versions, lengths, !stream, frag); err != nil {
			return nil, err
		}
	}
	ix.Stats.Patched = patched
	ix.Stats.Docs = len(order)
	ix.Stats.Stems = len(ix.stems)
	ix.Stats.Surfaces = len(ix.surfaces)

	chunks := ix.chunk(prev)
	ix.Stats.Chunks = len(chunks)
	var files []File
	// Chunks are named by their content: two equal chunks are one file.
	listed := map[string]bool{}
	out := func(batch []File) error {
		var fresh []File
		for _, f := range batch {
			if !listed[f.Path] {
				listed[f.Path] = true
				fresh = append(fresh, f)
			}
		}
		if !stream {
			files = append(files, fresh...)
			return nil
		}
		emitted.Add(int64(len(fresh)))
		return workpool.EachErr(ctx, len(fresh), func(i int) error { return emit(fresh[i]) })
	}
	if err := ix.encodeChunks(ctx, chunks, stream, out); err != nil {
		return nil, err
	}
	root := rootJSON{V: Format, N: len(order), K1: bm25K1, PairDF: ix.frequent, Epoch: ix.epoch[:12], Kinds: kinds, Outlets: outlets, Groups: groups,
		Bounds: make([]string, 0, len(chunks)), Chunks: make([]string, 0, len(chunks))}
	for i, c := range chunks {
		if i == 0 {
			root.Bounds = append(root.Bounds, "")
		} else {
			root.Bounds = append(root.Bounds, separator(chunks[i-1].last, c.first))
		}
		root.Chunks = append(root.Chunks, c.hash)
	}
	chunks = nil
	if stream {
		// Nothing of a streamed index is reused (see above): let it go
		// before the fragments are made.
		ix.stems, ix.surfaces, ix.chunks, ix.byID, ix.surfByID, ix.pairs = nil, nil, nil, nil, nil, nil
		ix.consumed = true
	}
	rootData := marshal(root)
	rootHash := contentHash(rootData)[:12]
	files = append(files, File{Path: "search/root." + rootHash + ".json", Key: rootHash, Data: rootData})
	files = append(files, File{Path: EntryPath, Key: rootHash, Data: marshal(map[string]any{"v": Format, "root": "root." + rootHash + ".json"})})

	// Fragments: reuse the previous bytes of an unchanged document.
	var err error
	switch {
	case fragsDone:
		// Made with the analysis (full).
	case stream:
		// A streamed build that patched an index: its fragments are not
		// kept, so there is nothing to reuse them from.
		err = workpool.EachErr(ctx, len(order), func(i int) error {
			return emitFragment(File{Path: fragPath(i), Key: fragKey(i)}, &docs[order[i]])
		})
		emitted.Add(int64(len(order)))
	default:
		var prevFrag map[string]*docState
		if prev != nil {
			prevFrag = make(map[string]*docState, len(prev.docs))
			for _, d := range prev.docs {
				prevFrag[d.url] = d
			}
		}
		err = workpool.EachErr(ctx, len(order), func(i int) error {
			d := ix.docs[i]
			if p := prevFrag[d.url]; p != nil && p.version == d.version && p.frag.Data != nil {
				d.frag = p.frag
			} else {
				d.frag = File{Key: fragKey(i), Data: fragmentJSON(&docs[order[i]])}
			}
			return nil
		})
		for i, d := range ix.docs {
			files = append(files, File{Path: fragPath(i), Key: d.frag.Key, Data: d.frag.Data})
		}
	}
	if err != nil {
		return nil, err
	}
	ix.Stats.Emitted = int(emitted.Load())
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	ix.Files = files
	for _, s := range ix.stems {
		s.dirty = false
	}
	return ix, nil
}

// orderDocs numbers documents so that each facet group (kind, year,
// outlet) is a run of consecutive numbers: the root then describes every
// document's facets in a few bytes per group, instead of a few per
// document. Within a group, newest first.
func orderDocs(docs []Doc) []int {
	kindRank := map[string]int{}
	for i, k := range Kinds {
		kindRank[k] = i
	}
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := &docs[order[x]], &docs[order[y]]
		if ka, kb := kindRank[a.Kind], kindRank[b.Kind]; ka != kb {
			return ka < kb
		}
		if a.Year != b.Year {
			return a.Year > b.Year
		}
		if a.Outlet != b.Outlet {
			return a.Outlet < b.Outlet
		}
		if a.Date != b.Date {
			return a.Date > b.Date
		}
		return a.URL < b.URL
	})
	return order
}

// facetGroups returns the runs of documents sharing kind, outlet and year:
// [kind index, outlet index or -1, year or 0, first document number].
func facetGroups(docs []Doc, order []int) ([][4]int, []string, []string) {
	outletSet := map[string]bool{}
	for _, d := range docs {
		if d.Outlet != "" {
			outletSet[d.Outlet] = true
		}
	}
	outlets := make([]string, 0, len(outletSet))
	for o := range outletSet {
		outlets = append(outlets, o)
	}
	sort.Strings(outlets)
	oIdx := map[string]int{}
	for i, o := range outlets {
		oIdx[o] = i
	}
	kIdx := map[string]int{}
	for i, k := range Kinds {
		kIdx[k] = i
	}
	var groups [][4]int
	for id, i := range order {
		d := &docs[i]
		o := -1
		if d.Outlet != "" {
			o = oIdx[d.Outlet]
		}
		k, ok := kIdx[d.Kind]
		if !ok {
			k = 0
		}
		g := [4]int{k, o, d.Year, id}
		if n := len(groups); n > 0 && groups[n-1][0] == g[0] && groups[n-1][1] == g[1] && groups[n-1][2] == g[2] {
			continue
		}
		groups = append(groups, g)
	}
	if groups == nil {
		groups = [][4]int{}
	}
	return groups, Kinds, outlets
}

func epochOf(docs []Doc, order []int) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d\x00%d\x00", Format, len(order))
	for _, i := range order {
		b.WriteString(docs[i].URL)
		b.WriteByte(0)
	}
	return contentHash(b.Bytes())
}

func docVersion(d *Doc) string {
	if d.Version != "" {
		return d.Version
	}
	parts := [][]byte{[]byte(d.URL), []byte(d.Kind), []byte(d.Title), []byte(d.Outlet), []byte(strconv.Itoa(d.Year)), []byte(d.Date), []byte(d.When), []byte(d.Summary)}
	for _, f := range d.Fields {
		parts = append(parts, []byte(f.Text), []byte(strconv.Itoa(f.Weight)))
	}
	var sum string
	d.withParagraphs(func(paras []Paragraph) {
		for _, p := range paras {
			parts = append(parts, []byte(p.ID), []byte(p.Text), []byte(strconv.Itoa(p.Weight)))
		}
		sum = contentHash(parts...)
	})
	return sum
}

// blockShift splits a word position into block (title, summary, each
// field and paragraph) and offset in the block: an edit then moves only the
// positions of its own paragraph, and no phrase spans two blocks. Words past
// the 4,095th of a block share the last offset.
const blockShift = 12

// analyser tokenises and stems documents, one at a time, reusing its
// memory: words are looked up folded in a per-analyser table that interns
// them and remembers their stem, and a document's terms are found by stem
// number, without hashing a word twice. Not safe for concurrent use.
type analyser struct {
	words  map[string]*wordInfo
	nstems int32
	stems  map[string]int32
	slot   []int32 // stem number -> index in terms + 1, for the current document
	seen   map[uint64]struct{}
	id     int // its number among a full build's analysers
	toks   []tok
	terms  []aterm
	fold   []byte
}

type wordInfo struct {
	word, stem string
	sid        int32
	sf         *surface // the index's, cached by the merge of a full build
}

type tok struct {
	term int32
	pos  uint32
}

func newAnalyser() *analyser {
	return &analyser{words: map[string]*wordInfo{}, stems: map[string]int32{}, seen: map[uint64]struct{}{}}
}

func (an *analyser) word(w []byte, s string) *wordInfo {
	if wi, ok := an.words[string(w)]; ok {
		return wi
	}
	word := string(w)
	if s != "" {
		word = s
	}
	wi := &wordInfo{word: word, stem: Stem(word)}
	sid, ok := an.stems[wi.stem]
	if !ok {
		sid = an.nstems
		an.nstems++
		an.stems[wi.stem] = sid
		an.slot = append(an.slot, 0)
	}
	wi.sid = sid
	an.words[word] = wi
	return wi
}

// analyse tokenises and stems one document: weighted term frequencies,
// positions and surface forms, and the weighted length; into, when not nil,
// is an earlier result, merged already, whose memory it reuses.
func (an *analyser) analyse(d *Doc, into *analysed) *analysed {
	an.toks, an.terms = an.toks[:0], an.terms[:0]
	block := uint32(0)
	add := func(text string, weight int) {
		pos := block << blockShift
		end := pos + 1<<blockShift - 1
		block++
		if weight <= 0 {
			weight = WeightBody
		}
		scanWords(text, func(start, stop int) {
			raw := text[start:stop]
			var wi *wordInfo
			ascii := true
			for i := 0; i < len(raw); i++ {
				if raw[i] >= utf8.RuneSelf {
					ascii = false
					break
				}
			}
			if ascii {
				upper := false
				for i := 0; i < len(raw); i++ {
					if c := raw[i]; c >= 'A' && c <= 'Z' {
						upper = true
						break
					}
				}
				if !upper {
					if wi = an.words[raw]; wi == nil {
						wi = an.word([]byte(raw), "") // a copy: raw would pin the whole text
					}
				} else {
					an.fold = an.fold[:0]
					for i := 0; i < len(raw); i++ {
						c := raw[i]
						if c >= 'A' && c <= 'Z' {
							c += 'a' - 'A'
						}
						an.fold = append(an.fold, c)
					}
					wi = an.word(an.fold, "")
				}
			} else {
				f := Fold(raw)
				if f == "" {
					return
				}
				wi = an.word([]byte(f), "") // f may be raw, a view of the caller's text
			}
			k := an.slot[wi.sid]
			if k == 0 {
				an.terms = append(an.terms, aterm{stem: wi.stem, sid: wi.sid})
				k = int32(len(an.terms))
				an.slot[wi.sid] = k
			}
			t := &an.terms[k-1]
			t.wtf += float64(weight)
			t.n++
			if t.surface == nil {
				t.surface = wi
			} else if t.surface != wi && !slices.Contains(t.more, wi) {
				t.more = append(t.more, wi)
			}
			an.toks = append(an.toks, tok{k - 1, pos})
			if pos < end {
				pos++
			}
		})
	}
	add(d.Title, WeightTitle)
	add(d.Summary, WeightSummary)
	for _, f := range d.Fields {
		add(f.Text, f.Weight)
	}
	d.withParagraphs(func(paras []Paragraph) {
		for _, p := range paras {
			add(p.Text, p.Weight)
		}
	})
	// Positions: one array for the document, each term's run in order.
	a := into
	if a == nil {
		a = &analysed{}
	}
	a.an = an
	a.terms = append(a.terms[:0], an.terms...)
	a.pairs = a.pairs[:0]
	if cap(a.all) < len(an.toks) {
		a.all = make([]uint32, len(an.toks))
	}
	all := a.all[:len(an.toks)]
	off := 0
	for i := range a.terms {
		t := &a.terms[i]
		t.pos = all[off : off : off+t.n]
		off += t.n
	}
	for _, tk := range an.toks {
		t := &a.terms[tk.term]
		if n := len(t.pos); n == 0 || t.pos[n-1] != tk.pos {
			t.pos = append(t.pos, tk.pos)
		}
	}
	clear(an.seen)
	for k := 1; k < len(an.toks); k++ {
		if an.toks[k].pos == an.toks[k-1].pos+1 {
			x, y := an.terms[an.toks[k-1].term].sid, an.terms[an.toks[k].term].sid
			p := uint64(uint32(x))<<32 | uint64(uint32(y))
			if _, dup := an.seen[p]; !dup {
				an.seen[p] = struct{}{}
				a.pairs = append(a.pairs, p)
			}
		}
	}
	for i := range an.terms {
		an.slot[an.terms[i].sid] = 0
		an.terms[i] = aterm{}
	}
	return a
}

// quantiseAvg rounds the average document length to a step of about 6%, so
// that an edit rarely moves it: impacts (and so every chunk) change only
// when it does.
func quantiseAvg(avg float64) float64 {
	if avg <= 1 {
		return 1
	}
	return math.Pow(2, math.Round(math.Log2(avg)*12)/12)
}

// impact is the BM25 term-frequency component of a term in a document,
// quantised to 1..63; the browser multiplies it by the term's IDF.
func impact(wtf, dl, avg float64) uint8 {
	norm := wtf * (bm25K1 + 1) / (wtf + bm25K1*(1-bm25B+bm25B*dl/avg))
	q := int(math.Round(norm / (bm25K1 + 1) * 63))
	return uint8(min(63, max(1, q)))
}

// full builds every stem's postings from scratch: documents are analysed
// in parallel in batches (bounded memory) and merged in number order.
// keep says to keep the per-document state a later patch needs (not for a
// streamed build, which is never patched).
//
// frag, when set, is given each document (by number, with its paragraphs
// loaded) right after it is analysed, and its first error ends the build.
func (ix *Index) full(ctx context.Context, docs []Doc, order []int, versions []string, lengths []float64, keep bool, frag func(int, *Doc) error) error {
	n := len(order)
	if keep {
		ix.docs = make([]*docState, n)
	}
	// Each document's adjacent stem pairs, until the frequent stems are
	// known: stem ids as varints (most ids are small; a pair as a uint64
	// would take most of the merge's memory).
	pairs := make([][]byte, n)
	var buf, enc []byte
	ix.Stats.Reanalysed = n
	ix.avg = averageLength(lengths)
	// One analyser per worker, handed round: each keeps its word table.
	ans := make(chan *analyser, runtime.GOMAXPROCS(0))
	for i := range cap(ans) {
		an := newAnalyser()
		an.id = i
		ans <- an
	}
	// The index's stem of each analyser's stem number, found by the merge
	// once per analyser and stem (the merge's own: the analysers grow their
	// tables while it runs).
	stemOf := make([][]*stem, cap(ans))
	merge := func(lo int, analyses []*analysed) {
		for i := lo; i < lo+len(analyses); i++ {
			a := analyses[i-lo]
			of := stemOf[a.an.id]
			var d *docState
			if keep {
				d = &docState{url: docs[order[i]].URL, version: versions[i], stems: make([]int32, len(a.terms))}
				ix.docs[i] = d
			}
			for k := range a.terms {
				t := &a.terms[k]
				for int(t.sid) >= len(of) {
					of = append(of, nil)
				}
				s := of[t.sid]
				if s == nil {
					s = ix.stem(t.stem)
					of[t.sid] = s
				}
				if s.grown == nil {
					s.grown = new([2]blockBuf)
				}
				enc = appendNum(enc[:0], uint32(int32(i)-s.last-1))
				enc = append(enc, alphabet[impact(t.wtf, lengths[i], ix.avg)])
				s.grown[0].write(enc)
				enc = appendPositions(enc[:0], t.pos)
				s.grown[1].write(enc)
				s.last = int32(i)
				s.df++
				if keep {
					d.stems[k] = s.id
				}
				t.forms(func(wi *wordInfo) {
					if wi.sf == nil {
						wi.sf = ix.surface(wi.word, s)
					}
					wi.sf.n++
					if keep {
						d.surfaces = append(d.surfaces, wi.sf.id)
					}
				})
			}
			buf = buf[:0]
			for _, p := range a.pairs {
				buf = binary.AppendUvarint(buf, uint64(of[p>>32].id))
				buf = binary.AppendUvarint(buf, uint64(of[uint32(p)].id))
			}
			pairs[i] = bytes.Clone(buf)
			stemOf[a.an.id] = of
		}
	}
	// Batches of 256 documents (bounded memory), each analysed on every
	// core while the one before it is merged (the merge, in number order,
	// is serial): into two sets of analyses in turn, each reused once its
	// merge is done, so a build makes 512 of them, not one a document.
	const batch = 256
	sets := [2][]*analysed{make([]*analysed, batch), make([]*analysed, batch)}
	merged := make(chan struct{})
	close(merged) // nothing to wait for before the first batch
	for lo, turn := 0, 0; lo < n; lo, turn = lo+batch, turn^1 {
		hi := min(n, lo+batch)
		analyses := sets[turn]
		err := workpool.EachErr(ctx, hi-lo, func(k int) error {
			work := func(d *Doc) error {
				an := <-ans
				analyses[k] = an.analyse(d, analyses[k])
				ans <- an
				if frag != nil {
					return frag(lo+k, d)
				}
				return nil
			}
			d := &docs[order[lo+k]]
			if frag == nil || d.Paragraphs != nil || d.ReadParagraphs == nil {
				return work(d)
			}
			// Unpacked once for the analysis and the fragment.
			var err error
			d.ReadParagraphs(func(paras []Paragraph) {
				cp := *d
				cp.Paragraphs, cp.ReadParagraphs = paras, nil
				err = work(&cp)
			})
			return err
		})
		<-merged // the last batch's, whose analyses the next one reuses
		if err != nil {
			return err
		}
		done := make(chan struct{})
		go func(lo int, analyses []*analysed) {
			defer close(done)
			merge(lo, analyses)
		}(lo, analyses[:hi-lo])
		merged = done
	}
	<-merged
	// Pairs of frequent stems, now that frequencies are known.
	ix.frequent = frequentDF(n)
	var ps []uint64
	for i, b := range pairs {
		ps = ps[:0]
		for len(b) > 0 {
			x, k := binary.Uvarint(b)
			y, l := binary.Uvarint(b[k:])
			b = b[k+l:]
			if ix.byID[x].df >= ix.frequent && ix.byID[y].df >= ix.frequent {
				ps = append(ps, x<<32|y)
			}
		}
		pairs[i] = nil
		if keep {
			ix.docs[i].pairs = slices.Clone(ps) // not the unfiltered array's size
		}
		for _, p := range ps {
			ps := ix.pairStem(p)
			if ps.grown == nil {
				ps.grown = new([2]blockBuf)
			}
			enc = appendNum(enc[:0], uint32(int32(i)-ps.last-1))
			enc = append(enc, alphabet[1])
			ps.grown[0].write(enc)
			ps.last = int32(i)
			ps.df++
		}
	}
	for _, s := range ix.stems {
		s.join()
	}
	for _, s := range ix.pairs {
		s.join()
	}
	return nil
}

// join ends a full build's appending to s: its postings and positions
// become one slice each.
func (s *stem) join() {
	if s.grown != nil {
		s.post, s.pos = s.grown[0].bytes(), s.grown[1].bytes()
		s.grown = nil
	}
	s.dirty = true
}

// stem returns the index's stem of that name, adding it if new.
func (ix *Index) stem(name string) *stem {
	s := ix.stems[name]
	if s == nil {
		s = &stem{name: name, last: -1, id: int32(len(ix.byID))}
		ix.stems[name] = s
		ix.byID = append(ix.byID, s)
	}
	return s
}

// Phrases of frequent words would need their long position lists; so for
// every two stems that both occur in at least frequentDF documents, the
// index lists the documents where they stand side by side ("security
// council"), and a phrase of such words needs no positions.
func frequentDF(n int) int { return max(32, n/8) }

// frequentPairs keeps the pairs whose stems both have df(s) >= frequent,
// in place.
func (ix *Index) frequentPairs(pairs []uint64, df func(*stem) int) []uint64 {
	out := pairs[:0]
	for _, p := range pairs {
		a, b := ix.byID[p>>32], ix.byID[uint32(p)]
		if df(a) >= ix.frequent && df(b) >= ix.frequent {
			out = append(out, p)
		}
	}
	return slices.Clip(out)
}

func (ix *Index) pairStem(p uint64) *stem {
	ps := ix.pairs[p]
	if ps == nil {
		a, b := ix.byID[p>>32], ix.byID[uint32(p)]
		ps = &stem{name: a.name + " " + b.name, pair: true, last: -1}
		ix.pairs[p] = ps
	}
	return ps
}

// surface returns the index's surface form w of stem s, adding it if new.
func (ix *Index) surface(w string, s *stem) *surface {
	sf := ix.surfaces[w]
	if sf == nil {
		sf = &surface{word: w, stem: s, id: int32(len(ix.surfByID))}
		ix.surfaces[w] = sf
		ix.surfByID = append(ix.surfByID, sf)
	}
	return sf
}

// textLength is a document's length for BM25: the bytes of its text, each
// field's times its weight. (Bytes rather than words: BM25 needs only the
// ratio to the average, and bytes are known before tokenising, so impacts
// are computed as documents are merged.)
func textLength(d *Doc) float64 {
	n := WeightTitle*len(d.Title) + WeightSummary*len(d.Summary)
	for _, f := range d.Fields {
		n += max(f.Weight, 1) * len(f.Text)
	}
	if d.Paragraphs == nil && d.ReadParagraphs != nil && d.ParagraphBytes > 0 {
		return float64(n + WeightBody*d.ParagraphBytes) // not loaded to be weighed
	}
	d.withParagraphs(func(paras []Paragraph) {
		for _, p := range paras {
			w := p.Weight
			if w <= 0 {
				w = WeightBody
			}
			n += w * len(p.Text)
		}
	})
	return float64(n)
}

func averageLength(lengths []float64) float64 {
	total := 0.0
	for _, l := range lengths {
		total += l
	}
	return quantiseAvg(total / float64(max(1, len(lengths))))
}

// patch updates prev's stems for the documents whose version changed and
// moves prev's state into ix. It reports false (leaving prev untouched) when
// the change moves the average length bucket: then every impact changes and
// a full build is needed.
func (ix *Index) patch(ctx context.Context, docs []Doc, order []int, versions []string, lengths []float64, prev *Index) (bool, error) {
	var changed []int
	for i := range order {
		if prev.docs[i].version != versions[i] {
			changed = append(changed, i)
		}
	}
	if averageLength(lengths) != prev.avg {
		return false, nil
	}
	analyses := make([]*analysed, len(changed))
	if err := workpool.Each(ctx, len(changed), func(k int) { analyses[k] = newAnalyser().analyse(&docs[order[changed[k]]], nil) }); err != nil {
		return false, err
	}
	// A stem crossing the frequent threshold changes which pairs exist
	// in every document: that needs a full build. Check before touching prev.
	delta := map[string]int{}
	for k, i := range changed {
		for _, id := range prev.docs[i].stems {
			delta[prev.byID[id].name]--
		}
		for _, t := range analyses[k].terms {
			delta[t.stem]++
		}
	}
	for name, dd := range delta {
		old := 0
		if s := prev.stems[name]; s != nil {
			old = s.df
		}
		if dd != 0 && (old >= prev.frequent) != (old+dd >= prev.frequent) {
			return false, nil
		}
	}
	// Take over prev's state: prev must not be patched again.
	prev.consumed = true
	ix.avg, ix.stems, ix.surfaces, ix.byID, ix.surfByID, ix.pairs, ix.frequent = prev.avg, prev.stems, prev.surfaces, prev.byID, prev.surfByID, prev.pairs, prev.frequent
	ix.docs = make([]*docState, len(prev.docs))
	for i, d := range prev.docs {
		c := *d
		ix.docs[i] = &c
	}
	ix.Stats.Reanalysed = len(changed)
	// Per dirty stem (and pair): the documents whose entry is removed or
	// replaced.
	type edit struct {
		removed map[int32]bool
		added   []posting
	}
	edits := map[*stem]*edit{}
	get := func(s *stem) *edit {
		e := edits[s]
		if e == nil {
			e = &edit{removed: map[int32]bool{}}
			edits[s] = e
		}
		return e
	}
	newDF := func(s *stem) int { return s.df + delta[s.name] }
	for k, i := range changed {
		d := ix.docs[i]
		for _, id := range d.stems {
			get(ix.byID[id]).removed[int32(i)] = true
		}
		for _, p := range d.pairs {
			get(ix.pairStem(p)).removed[int32(i)] = true
		}
		for _, id := range d.surfaces {
			sf := ix.surfByID[id]
			sf.n--
			sf.stem.dirty = true
			if sf.n == 0 {
				delete(ix.surfaces, sf.word)
				ix.surfByID[id] = nil
			}
		}
		a := analyses[k]
		d.version, d.stems, d.surfaces = versions[i], make([]int32, len(a.terms)), nil
		d.frag = File{}
		bySid := map[int32]*stem{}
		for j := range a.terms {
			t := &a.terms[j]
			s := ix.stem(t.stem)
			bySid[t.sid] = s
			get(s).added = append(get(s).added, posting{doc: int32(i), impact: impact(t.wtf, lengths[i], ix.avg), pos: t.pos})
			d.stems[j] = s.id
			t.forms(func(wi *wordInfo) {
				sf := ix.surface(wi.word, s)
				sf.n++
				d.surfaces = append(d.surfaces, sf.id)
			})
		}
		d.pairs = make([]uint64, len(a.pairs))
		for j, p := range a.pairs {
			d.pairs[j] = uint64(uint32(bySid[int32(p>>32)].id))<<32 | uint64(uint32(bySid[int32(uint32(p))].id))
		}
		slices.Sort(d.pairs)
		d.pairs = ix.frequentPairs(d.pairs, newDF)
		for _, p := range d.pairs {
			get(ix.pairStem(p)).added = append(get(ix.pairStem(p)).added, posting{doc: int32(i), impact: 1})
		}
	}
	for s, e := range edits {
		sort.Slice(e.added, func(i, j int) bool { return e.added[i].doc < e.added[j].doc })
		post, pos, df, err := splicePostings(s.post, s.pos, e.removed, e.added, !s.pair)
		if err != nil {
			panic(err) // we wrote these bytes ourselves
		}
		s.post, s.pos, s.df, s.dirty = post, pos, df, true
	}
	for name, s := range ix.stems {
		if s.df == 0 {
			delete(ix.stems, name)
			ix.byID[s.id] = nil
		}
	}
	for key, s := range ix.pairs {
		if s.df == 0 {
			delete(ix.pairs, key)
		}
	}
	return true, nil
}

// chunk cuts the sorted surface forms into chunks. Cuts are content
// defined: a cut falls before a surface when a hash of the word is below
// its cost (bytes its stem adds) over the target size, when the previous
// surface was heavy, or when the chunk would grow past four targets. So
// cuts depend only on the words near them: an edit that changes a few
// stems moves no cut elsewhere, and unchanged chunks keep their bytes and
// names. The target grows with the square root of the index (in powers of
// two, so it rarely changes), which balances root size against chunk size.
func (ix *Index) chunk(prev *Index) []*chunk {
	words := make([]string, 0, len(ix.surfaces))
	stemOf := make(map[string]*stem, len(ix.surfaces))
	for w, sf := range ix.surfaces {
		words = append(words, w)
		stemOf[w] = sf.stem
	}
	// Each stem is also listed among its own forms, so that a base form
	// the corpus never uses ("dog" where the text says "dogs", "veto"
	// where it says "vetoed") finds the stem: the browser looks words up
	// as written and does not stem.
	for _, sf := range ix.surfaces {
		if s := sf.stem; stemOf[s.name] == nil {
			words = append(words, s.name)
			stemOf[s.name] = s
		}
	}
	sortJS(words)
	for _, s := range ix.stems {
		s.surfaces = s.surfaces[:0]
	}
	for _, w := range words {
		s := stemOf[w]
		s.surfaces = append(s.surfaces, w)
	}
	// A pair is looked up as its stems' first surface forms, with a space
	// between: the browser knows them from the chunks of the phrase's words.
	if len(ix.pairs) > 0 {
		for p, ps := range ix.pairs {
			key := ix.byID[p>>32].surfaces[0] + " " + ix.byID[uint32(p)].surfaces[0]
			if len(ps.surfaces) != 1 || ps.surfaces[0] != key {
				ps.surfaces = []string{key}
				ps.dirty = true
			}
			words = append(words, key)
			stemOf[key] = ps
		}
		sortJS(words)
	}
	total := 0
	for _, w := range words {
		s := stemOf[w]
		if s.surfaces[0] == w {
			total += len(s.post) + 8
		}
		total += len(w) + 3
	}
	target := 4096
	for target*target < total*64 {
		target *= 2
	}
	ix.target = target

	var chunks []*chunk
	var cur *chunk
	size, prevCost := 0, 0
	in := map[*stem]bool{}
	for _, w := range words {
		s := stemOf[w]
		cost := len(w) + 3
		if !in[s] {
			cost += len(s.post) + 8
		}
		cut := cur == nil || prevCost*2 >= target || size+cost > 4*target ||
			float64(hash64(w))/float64(math.MaxUint64) < float64(cost)/float64(target)
		if cut {
			cur = &chunk{first: w}
			chunks = append(chunks, cur)
			size = 0
			clear(in)
			cost = len(w) + 3 + len(s.post) + 8
		}
		if !in[s] {
			in[s] = true
			cur.stems = append(cur.stems, s)
		}
		cur.last = w
		size += cost
		prevCost = cost
	}
	if prev != nil && prev.target == ix.target {
		for _, c := range chunks {
			p := prev.chunks[c.first+"\x00"+c.last]
			if p == nil || len(p.stems) != len(c.stems) {
				continue
			}
			c.reused = true
			for k, s := range c.stems {
				if s.dirty || p.stems[k] != s {
					c.reused = false
					break
				}
			}
			if c.reused {
				c.hash, c.sum, c.c, c.x = p.hash, p.sum, p.c, p.x
			}
		}
	}
	return chunks
}

// encodeChunks encodes the chunks not reused, a batch at a time in
// parallel, names them, and hands each batch's files (chunks and position
// parts) to out in chunk order. Streaming, each batch's bytes are let go
// once out has them, and so are the postings of the stems no later chunk
// holds: the encoded index is never all in memory at once, and the
// postings shrink as it is written.
func (ix *Index) encodeChunks(ctx context.Context, chunks []*chunk, stream bool, out func([]File) error) error {
	if stream {
		for i, c := range chunks {
			for _, s := range c.stems {
				s.lastChunk = int32(i)
			}
		}
	}
	sums := map[string]string{} // chunk name -> sum of the chunk so named
	const batch = 32
	var files []File
	for lo := 0; lo < len(chunks); lo += batch {
		hi := min(len(chunks), lo+batch)
		if err := workpool.Each(ctx, hi-lo, func(k int) {
			if c := chunks[lo+k]; !c.reused {
				c.encode()
			}
		}); err != nil {
			return err
		}
		files = files[:0]
		for i := lo; i < hi; i++ {
			c := chunks[i]
			for {
				sum, taken := sums[c.hash]
				if !taken || sum == c.sum {
					break
				}
				c.hash = contentHash([]byte(c.hash))[:len(c.hash)+2] // a collision: lengthen, deterministically
			}
			sums[c.hash] = c.sum
			files = append(files, File{Path: "search/c/" + c.hash + ".json", Key: c.hash, Data: c.c})
			files = append(files, c.x...)
			if !stream {
				ix.chunks[c.first+"\x00"+c.last] = c
			}
		}
		if err := out(files); err != nil {
			return err
		}
		if stream {
			clear(files)
			for i := lo; i < hi; i++ {
				c := chunks[i]
				for _, s := range c.stems {
					if s.lastChunk == int32(i) {
						s.post, s.pos, s.surfaces = nil, nil, nil
					}
				}
				c.stems, c.c, c.x = nil, nil, nil
			}
		}
	}
	return nil
}

// positionPart is the size (bytes) past which a chunk's positions are cut
// into another file: a phrase fetches the positions of its own words, not
// of every word in their chunks.
const positionPart = 12 << 10

// encode writes a chunk, {"g":[[surfaces of stem 1],...],"p":["postings",...],
// "x":[[first stem,"part hash"],...]}, and its position parts, each a JSON
// array of the positions of a run of its stems.
func (c *chunk) encode() {
	var cb, xb bytes.Buffer
	type part struct {
		start int
		hash  string
		data  []byte
	}
	var parts []part
	flush := func(start int) {
		if xb.Len() == 0 {
			return
		}
		xb.WriteByte(']')
		data := bytes.Clone(xb.Bytes())
		parts = append(parts, part{start, contentHash(data)[:10], data})
		xb.Reset()
	}
	start := 0
	for i, s := range c.stems {
		if xb.Len() > 0 && xb.Len()+len(s.pos) > positionPart {
			flush(start)
		}
		if xb.Len() == 0 {
			start = i
			xb.WriteByte('[')
		} else {
			xb.WriteByte(',')
		}
		xb.WriteByte('"')
		xb.Write(s.pos)
		xb.WriteByte('"')
	}
	flush(start)
	cb.WriteString(`{"g":[`)
	for i, s := range c.stems {
		if i > 0 {
			cb.WriteByte(',')
		}
		appendWords(&cb, s.surfaces)
	}
	cb.WriteString(`],"p":[`)
	for i, s := range c.stems {
		if i > 0 {
			cb.WriteByte(',')
		}
		cb.WriteByte('"')
		cb.Write(s.post)
		cb.WriteByte('"')
	}
	cb.WriteString(`],"x":[`)
	c.x = c.x[:0]
	for i, p := range parts {
		if i > 0 {
			cb.WriteByte(',')
		}
		fmt.Fprintf(&cb, `[%d,"%s"]`, p.start, p.hash)
		c.x = append(c.x, File{Path: "search/x/" + p.hash + ".json", Key: p.hash, Data: p.data})
	}
	cb.WriteString("]}")
	c.c = cb.Bytes()
	c.sum = contentHash(c.c)
	c.hash = c.sum[:10]
}

// sortJS sorts words in JavaScript's order. Byte order is the same unless
// a word has a character from U+E000 up (UTF-16 puts characters past
// U+FFFF, as surrogates, before those), so the slower comparison runs only
// then.
func sortJS(words []string) {
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			if w[i] >= 0xEE { // lead byte of U+E000 and above
				sort.Slice(words, func(i, j int) bool { return compareJS(words[i], words[j]) < 0 })
				return
			}
		}
	}
	sort.Strings(words)
}

// appendWords writes a JSON array of words. Folded words are letters,
// digits, marks and apostrophes, which need no escaping; anything else
// goes through encoding/json.
func appendWords(b *bytes.Buffer, ws []string) {
	b.WriteByte('[')
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(',')
		}
		plain := true
		for k := 0; k < len(w); k++ {
			if c := w[k]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == 0xE2 {
				plain = false // 0xE2: U+2028/2029 and friends, escaped by encoding/json
				break
			}
		}
		if plain {
			b.WriteByte('"')
			b.WriteString(w)
			b.WriteByte('"')
		} else {
			j, _ := json.Marshal(w)
			b.Write(j)
		}
	}
	b.WriteByte(']')
}

// separator returns the shortest prefix of next that sorts after last: the
// boundary the root stores for the chunk starting at next.
func separator(last, next string) string {
	for i := range next {
		if i > 0 && compareJS(next[:i], last) > 0 {
			return next[:i]
		}
	}
	return next
}

// hash64 is FNV-1a with a final mix: a fixed function (not seeded per
// process), so chunk cuts are the same in every build.
func hash64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

type rootJSON struct {
	V       int      `json:"v"`
	N       int      `json:"n"`
	K1      float64  `json:"k1"`
	PairDF  int      `json:"pf"` // stems in this many documents or more are paired
	Epoch   string   `json:"e"`
	Kinds   []string `json:"kinds"`
	Outlets []string `json:"outlets"`
	Groups  [][4]int `json:"groups"`
	Bounds  []string `json:"b"`
	Chunks  []string `json:"c"`
}

// fragmentJSON is d's fragment in a slice of its own (see appendFragment).
func fragmentJSON(d *Doc) []byte { return appendFragment(nil, d) }

// appendFragment appends d's fragment, {"u","t","k","o","h","s","p"} with
// o, h, s and p left out when empty: the bytes encoding/json makes of the
// struct fragJSON in fuzz_test.go (FuzzFragmentJSON holds it to them),
// written without reflection or a copy of the paragraphs: a fragment a
// document, most of the index.
func appendFragment(b []byte, d *Doc) []byte {
	b = append(b, `{"u":`...)
	b = appendJSONString(b, d.URL)
	b = append(b, `,"t":`...)
	b = appendJSONString(b, d.Title)
	b = append(b, `,"k":`...)
	b = appendJSONString(b, d.Kind)
	for _, f := range [...]struct{ name, v string }{{`,"o":`, d.Outlet}, {`,"h":`, d.When}, {`,"s":`, d.Summary}} {
		if f.v != "" {
			b = append(b, f.name...)
			b = appendJSONString(b, f.v)
		}
	}
	d.withParagraphs(func(paras []Paragraph) {
		if len(paras) == 0 {
			return
		}
		b = append(b, `,"p":[`...)
		for i, p := range paras {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = appendJSONString(b, p.ID)
			b = append(b, ',')
			b = appendJSONString(b, p.Text)
			b = append(b, ']')
		}
		b = append(b, ']')
	})
	return append(b, '}')
}

// appendJSONString appends s as a JSON string as encoding/json writes it:
// <, > and & escaped (see marshal), as are U+2028 and U+2029, and a byte
// that is not UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// marshal encodes JSON with <, > and & escaped (encoding/json's default):
// text from content stays data even if a file is opened as HTML.
func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain strings and numbers: cannot fail
	}
	return b
}
