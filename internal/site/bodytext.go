package site

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"html/template"
	"strings"
	"unsafe"

	"github.com/klauspost/compress/s2"
)

// packedText is an article body's HTML and paragraph text, compressed.
// They are most of an article's memory (at 100,000 articles well over a
// gigabyte) and each is read once or twice a build (the article page, the
// topic passages, the search index, a feed's excerpt), so a body keeps them
// compressed with s2, which unpacks at gigabytes a second, and unpacks them
// where they are read. A streamed build moves the blocks out of the heap
// into a Spill.
type packedText struct {
	html  []byte // s2 block of the HTML (nil when spilled)
	paras []byte // s2 block of the paragraphs: for each, uvarint lengths and bytes of ID and Text
	// spill, when set, holds the HTML block at at and the paragraphs'
	// right after it, of htmlN and parasN bytes.
	spill         *Spill
	at            int64
	htmlN, parasN int
}

// packText compresses html and paras, into spill when it is not nil and
// takes them. It keeps nothing of html.
func packText(html []byte, paras []Paragraph, spill *Spill) packedText {
	if spill != nil && (len(html) > 0 || len(paras) > 0) {
		// Packed in a scratch buffer of the spill's, written, and the
		// buffer reused: nothing of it stays in the heap.
		sc := spill.scratch()
		defer spill.release(sc)
		sc.raw = appendParagraphs(sc.raw[:0], paras)
		mh, mr := 0, 0
		if len(html) > 0 {
			mh = s2.MaxEncodedLen(len(html))
		}
		if len(sc.raw) > 0 {
			mr = s2.MaxEncodedLen(len(sc.raw))
		}
		if mh >= 0 && mr >= 0 { // MaxEncodedLen is -1 past 4 GB
			if cap(sc.out) < mh+mr {
				sc.out = make([]byte, mh+mr)
			}
			out := sc.out[:mh+mr]
			var h, r []byte
			if mh > 0 {
				h = s2.Encode(out[:mh], html)
			}
			if mr > 0 {
				r = s2.Encode(out[len(h):len(h)+mr], sc.raw)
			}
			if at, ok := spill.put(out[:len(h)+len(r)]); ok {
				return packedText{spill: spill, at: at, htmlN: len(h), parasN: len(r)}
			}
		}
		// Not written (a full disk): kept in memory.
	}
	return packedText{html: compress(html), paras: compress(appendParagraphs(nil, paras))}
}

// appendParagraphs appends the paragraphs' IDs and texts, each after its
// length as a uvarint, to b.
func appendParagraphs(b []byte, paras []Paragraph) []byte {
	for _, p := range paras {
		b = binary.AppendUvarint(b, uint64(len(p.ID)))
		b = append(b, p.ID...)
		b = binary.AppendUvarint(b, uint64(len(p.Text)))
		b = append(b, p.Text...)
	}
	return b
}

// bytesOf returns the bytes of s without copying them, for a reader that
// never writes them (s2.Encode, and so compress, reads its source only).
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// stringOf returns b as a string without copying it, for a reader that
// keeps nothing of it (a hash) while b is not written.
func stringOf(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// compress returns the s2 block of b in a slice of its own size (s2 encodes
// into a buffer of the worst case's size).
func compress(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return bytes.Clone(s2.Encode(nil, b))
}

// block passes the s2 block at off (of n bytes) of a spilled text, or mem,
// to use, which must not keep it.
func (t packedText) block(mem []byte, off int64, n int, use func([]byte)) {
	if t.spill == nil || n == 0 {
		use(mem)
		return
	}
	t.spill.get(off, n, use)
}

// decode decodes an s2 block made by packText into a slice of its own.
func decode(block []byte) []byte {
	var b []byte
	return decodeInto(&b, block)
}

// decodeInto decodes an s2 block made by packText into *buf, which it grows
// as needed.
func decodeInto(buf *[]byte, block []byte) []byte {
	if len(block) == 0 {
		return nil
	}
	n, err := s2.DecodedLen(block)
	if err == nil {
		if cap(*buf) < n {
			*buf = make([]byte, n)
		}
		var b []byte
		if b, err = s2.Decode((*buf)[:cap(*buf)], block); err == nil {
			return b
		}
	}
	// Blocks are made by packText in this process: a failure is a bug.
	panic(fmt.Sprintf("site: unpacking a body: %v", err))
}

// HTML unpacks the HTML into a string without a second copy: the decoded
// bytes are never written again.
func (t packedText) HTML() template.HTML {
	var b []byte
	t.block(t.html, t.at, t.htmlN, func(block []byte) { b = decode(block) })
	if len(b) == 0 {
		return ""
	}
	return template.HTML(unsafe.String(&b[0], len(b)))
}

// ReadHTML unpacks the HTML for read, which must keep nothing of it past
// its return (copy what it keeps): the string is a view of a buffer of the
// spill's, given back after read. Every article page shows its body once,
// and copying it out was a twentieth of what a build allocated.
func (t packedText) ReadHTML(read func(template.HTML)) {
	var b []byte
	bp := t.spill.unpackBuffer()
	defer t.spill.releaseUnpacked(bp)
	t.block(t.html, t.at, t.htmlN, func(block []byte) { b = decodeInto(bp, block) })
	read(template.HTML(stringOf(b)))
}

// Paragraphs unpacks the paragraphs, each in strings of its own, so that a
// passage kept by a topic keeps no more than its own text alive; the block
// they are unpacked from is the spill's, given back at the end.
func (t packedText) Paragraphs() []Paragraph {
	var out []Paragraph
	t.ReadParagraphs(func(paras []Paragraph) {
		if len(paras) == 0 {
			return
		}
		out = make([]Paragraph, len(paras))
		for i, p := range paras {
			out[i] = Paragraph{ID: strings.Clone(p.ID), Text: strings.Clone(p.Text)}
		}
	})
	return out
}

// ReadParagraphs unpacks the paragraphs for read, which must keep nothing
// of them past its return (not a string: copy what it keeps): their
// strings are views of the unpacked block, which is the spill's and given
// back after read. The topics' passages and the search index read every
// article's text once a build, and only keep a little of it, so copying
// each paragraph out for them was most of what a build allocated for text
// (1.5 of 15 GB at 100,000 articles).
func (t packedText) ReadParagraphs(read func([]Paragraph)) {
	var b []byte
	bp := t.spill.unpackBuffer()
	defer t.spill.releaseUnpacked(bp)
	t.block(t.paras, t.at+int64(t.htmlN), t.parasN, func(block []byte) { b = decodeInto(bp, block) })
	if len(b) == 0 {
		read(nil)
		return
	}
	var paras []Paragraph
	next := func() string {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			panic("site: a packed body is corrupt")
		}
		v := stringOf(b[k : k+int(n)])
		b = b[k+int(n):]
		return v
	}
	for len(b) > 0 {
		id := next()
		paras = append(paras, Paragraph{ID: id, Text: next()})
	}
	read(paras)
}
