package site

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"html/template"
	"unsafe"

	"github.com/klauspost/compress/s2"
)

// packedText is an article body's HTML and paragraph text, compressed.
// They are most of an article's memory (at 100,000 articles well over a
// gigabyte) and each is read once or twice a build (the article page, the
// topic passages, the search index, a feed's excerpt), so a body keeps them
// compressed with s2, which unpacks at gigabytes a second, and unpacks them
// where they are read.
type packedText struct {
	html  []byte // s2 block of the HTML
	paras []byte // s2 block of the paragraphs: for each, uvarint lengths and bytes of ID and Text
}

func packText(html template.HTML, paras []Paragraph) packedText {
	var raw []byte
	for _, p := range paras {
		raw = binary.AppendUvarint(raw, uint64(len(p.ID)))
		raw = append(raw, p.ID...)
		raw = binary.AppendUvarint(raw, uint64(len(p.Text)))
		raw = append(raw, p.Text...)
	}
	return packedText{html: compress([]byte(html)), paras: compress(raw)}
}

// compress returns the s2 block of b in a slice of its own size (s2 encodes
// into a buffer of the worst case's size).
func compress(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return bytes.Clone(s2.Encode(nil, b))
}

// unpack decodes an s2 block into a string without a second copy: the
// decoded bytes are never written again.
func unpack(block []byte) string {
	if len(block) == 0 {
		return ""
	}
	b, err := s2.Decode(nil, block)
	if err != nil {
		// Blocks are made by packText in this process: a failure is a bug.
		panic(fmt.Sprintf("site: unpacking a body: %v", err))
	}
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (t packedText) HTML() template.HTML { return template.HTML(unpack(t.html)) }

// Paragraphs unpacks the paragraphs, each in strings of its own, so that a
// passage kept by a topic keeps no more than its own text alive.
func (t packedText) Paragraphs() []Paragraph {
	if len(t.paras) == 0 {
		return nil
	}
	b, err := s2.Decode(nil, t.paras)
	if err != nil {
		panic(fmt.Sprintf("site: unpacking a body: %v", err)) // made by packText: a bug
	}
	var out []Paragraph
	next := func() string {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			panic("site: a packed body is corrupt")
		}
		v := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return v
	}
	for len(b) > 0 {
		id := next()
		out = append(out, Paragraph{ID: id, Text: next()})
	}
	return out
}
