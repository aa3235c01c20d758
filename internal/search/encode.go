package search

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"unicode/utf8"
)

// Postings and positions are written as strings of variable-length numbers
// in a 64-letter alphabet that needs no escaping in JSON: compact, gzips
// well, and decodes in a few lines of JavaScript without a binary parser.
// A number is little-endian groups of 5 bits, one letter each; a letter
// worth 32 or more says another group follows.
const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

var alphaValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = int8(i)
	}
	return t
}()

func appendNum(b []byte, v uint32) []byte {
	for v >= 32 {
		b = append(b, alphabet[32|v&31])
		v >>= 5
	}
	return append(b, alphabet[v])
}

// blockBuf is bytes appended a few at a time, kept in blocks that double in
// size up to maxBlock, so that nothing is copied until bytes joins them.
// A full build grows each stem's postings and positions by a few bytes a
// document, to megabytes for a frequent word; append grows a slice of 256
// bytes or more by only a quarter, so those were allocated (and copied)
// five to six times over: 1.8 GB of allocations for 300 MB of postings at
// 100,000 articles, each of them a step towards the next collection.
type blockBuf struct {
	full [][]byte // blocks filled
	last []byte   // the block being filled
}

// maxBlock bounds a block, and so the space a buffer leaves unused.
const maxBlock = 64 << 10

func (b *blockBuf) write(x []byte) {
	// The common case, small enough to be inlined in the merge's loop.
	if len(x) <= cap(b.last)-len(b.last) {
		b.last = append(b.last, x...)
		return
	}
	b.grow(x)
}

// grow writes what fits of x into the last block, then starts new ones.
// Not inlined, so that write is.
//
//go:noinline
func (b *blockBuf) grow(x []byte) {
	for len(x) > 0 {
		if len(b.last) == cap(b.last) {
			size := 8
			if b.last != nil {
				b.full = append(b.full, b.last)
				size = min(2*cap(b.last), maxBlock)
			}
			b.last = make([]byte, 0, size)
		}
		m := min(len(x), cap(b.last)-len(b.last))
		b.last = append(b.last, x[:m]...)
		x = x[m:]
	}
}

// bytes returns the bytes written, in one slice: the only block when there
// is one, else a new slice of exactly their length.
func (b *blockBuf) bytes() []byte {
	if len(b.full) == 0 {
		return b.last
	}
	n := len(b.last)
	for _, blk := range b.full {
		n += len(blk)
	}
	out := make([]byte, 0, n)
	for _, blk := range b.full {
		out = append(out, blk...)
	}
	return append(out, b.last...)
}

var errCorrupt = errors.New("search: corrupt encoded postings")

// readNum reads a number at b[i:], returning it and the next offset.
func readNum(b []byte, i int) (uint32, int, error) {
	var v uint32
	for shift := 0; i < len(b) && shift < 35; shift += 5 {
		c := alphaValue[b[i]]
		i++
		if c < 0 {
			return 0, i, errCorrupt
		}
		v |= uint32(c&31) << shift
		if c < 32 {
			return v, i, nil
		}
	}
	return 0, i, errCorrupt
}

// posting is one document's entry in a stem's postings.
type posting struct {
	doc    int32
	impact uint8    // 1..63: quantised BM25 term-frequency component
	pos    []uint32 // word positions in the document, ascending
}

// encodePostings appends a stem's postings (sorted by doc) to post (doc
// gap minus one, impact letter) and pos (count minus one, first position,
// then gaps minus one).
func encodePostings(ps []posting, post, pos []byte) ([]byte, []byte) {
	prev := int32(-1)
	for _, p := range ps {
		post = appendNum(post, uint32(p.doc-prev-1))
		post = append(post, alphabet[p.impact])
		prev = p.doc
		pos = appendPositions(pos, p.pos)
	}
	return post, pos
}

func appendPositions(b []byte, pos []uint32) []byte {
	b = appendNum(b, uint32(len(pos)-1))
	last := uint32(0)
	for i, p := range pos {
		if i == 0 {
			b = appendNum(b, p)
		} else {
			b = appendNum(b, p-last-1)
		}
		last = p
	}
	return b
}

// decodePostings is the inverse of encodePostings.
func decodePostings(post, pos []byte) ([]posting, error) {
	var out []posting
	prev := int32(-1)
	j := 0
	for i := 0; i < len(post); {
		gap, next, err := readNum(post, i)
		if err != nil || next >= len(post) {
			return nil, errCorrupt
		}
		imp := alphaValue[post[next]]
		i = next + 1
		p := posting{doc: prev + 1 + int32(gap), impact: uint8(imp)}
		prev = p.doc
		var n uint32
		if n, j, err = readNum(pos, j); err != nil {
			return nil, err
		}
		p.pos = make([]uint32, n+1)
		var last uint32
		for k := range p.pos {
			var v uint32
			if v, j, err = readNum(pos, j); err != nil {
				return nil, err
			}
			if k > 0 {
				v += last + 1
			}
			p.pos[k], last = v, v
		}
		out = append(out, p)
	}
	return out, nil
}

// decodeDocs decodes postings without positions (a pair's).
func decodeDocs(post []byte) ([]posting, error) {
	var out []posting
	prev := int32(-1)
	for i := 0; i < len(post); {
		gap, next, err := readNum(post, i)
		if err != nil || next >= len(post) {
			return nil, errCorrupt
		}
		p := posting{doc: prev + 1 + int32(gap), impact: uint8(alphaValue[post[next]])}
		i, prev = next+1, p.doc
		out = append(out, p)
	}
	return out, nil
}

// contentHash names content-addressed files.
func contentHash(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// compareJS compares strings as JavaScript does (by UTF-16 code units), so
// that the browser's binary search over chunk boundaries agrees with the
// order they were cut in.
func compareJS(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ka, kb := utf16Key(ra), utf16Key(rb)
			if ka < kb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// utf16Key orders a rune by its first UTF-16 code unit (then by rune, which
// orders the second unit the same way).
func utf16Key(r rune) int64 {
	if r >= 0x10000 {
		return int64(0xD800+((r-0x10000)>>10))<<21 | int64(r)
	}
	return int64(r) << 21
}

// splicePostings returns a stem's postings with the entries of the documents
// in removed dropped and added (sorted by doc, each a removed or a new
// document) merged in: what decoding, editing and encoding again gives, in
// one pass over the bytes. An entry's positions are encoded on their own,
// so a kept entry's are copied as they are; only doc gaps are rewritten.
// A preview edit of one article touches most stems of a large dossier, so
// this is its hot path. withPos is false for a pair's postings, which have
// no positions.
func splicePostings(post, pos []byte, removed map[int32]bool, added []posting, withPos bool) ([]byte, []byte, int, error) {
	outPost := make([]byte, 0, len(post)+8*len(added))
	var outPos []byte
	if withPos {
		outPos = make([]byte, 0, len(pos)+32*len(added))
	}
	last, df := int32(-1), 0
	emit := func(doc int32, impact byte) {
		outPost = appendNum(outPost, uint32(doc-last-1))
		outPost = append(outPost, impact)
		last = doc
		df++
	}
	a := 0
	emitAdded := func(limit int32) {
		for ; a < len(added) && added[a].doc < limit; a++ {
			emit(added[a].doc, alphabet[added[a].impact])
			if withPos {
				outPos = appendPositions(outPos, added[a].pos)
			}
		}
	}
	prev, j := int32(-1), 0
	for i := 0; i < len(post); {
		gap, next, err := readNum(post, i)
		if err != nil || next >= len(post) {
			return nil, nil, 0, errCorrupt
		}
		impact := post[next]
		i = next + 1
		doc := prev + 1 + int32(gap)
		prev = doc
		start := j
		if withPos {
			var n uint32
			if n, j, err = readNum(pos, j); err != nil {
				return nil, nil, 0, err
			}
			for k := uint32(0); k <= n; k++ {
				if _, j, err = readNum(pos, j); err != nil {
					return nil, nil, 0, err
				}
			}
		}
		emitAdded(doc)
		if removed[doc] {
			continue
		}
		if a < len(added) && added[a].doc == doc {
			return nil, nil, 0, errors.New("search: a document added to a stem it is already in")
		}
		emit(doc, impact)
		if withPos {
			outPos = append(outPos, pos[start:j]...)
		}
	}
	emitAdded(1<<31 - 1)
	return outPost, outPos, df, nil
}
