package annotate

import (
	"bytes"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"

	"github.com/dossier-news/dossier/internal/bufpool"
)

// flags describe the inline context of a run of text, for the entity linker.
type flags uint8

const (
	inLink    flags = 1 << iota // inside <a>, <button> or <label>: a link there would nest interactive content
	inHeading                   // inside <h1>..<h6>: headings stay unlinked, like a table of contents
	inCode                      // inside <code>, <pre>, <kbd> or <samp>: literal text, never a mention
)

// segment is one text token of the HTML as it appears in the normalised text:
// a contiguous run of characters inside a single element, the unit that one
// <mark> or one entity <a> may wrap without breaking the tree.
type segment struct {
	n0, n1 int32  // range in stream.text
	block  string // id of the nearest enclosing block element with an id
	fl     flags
	inter  int32 // index in stream.interEnd of the outermost enclosing <a>/<button>/<label>, or -1
}

// para is an element whose id looks like p7: the paragraph anchors goldmark's
// stage gives the article.
type para struct {
	id     string
	n0, n1 int32
}

// stream is the normalised text of an HTML document with enough bookkeeping to
// map every text byte back to the HTML bytes it came from. It is built in one
// pass with the x/net/html tokenizer and then only read, so the work per note or
// per mention stays linear in the document.
type stream struct {
	// budget, when set, replaces compareBudget (tests).
	budget func(n int) int
	src    []byte
	text   string // normalised text; '\n' marks a block boundary and never occurs otherwise
	// n is len(text), also when the text itself was not kept (withText).
	n int
	// start[i], end[i] give the HTML bytes of the character (or entity) that
	// produced text[i]; -1 for the separators that markup produces (<br>, block breaks).
	start, end []int32
	segs       []segment
	breaks     []int32 // offsets of every '\n' in text, ascending
	paras      []para
	// interEnd[i] is the HTML offset just after the end tag of interactive
	// element i, or -1 when it was never closed by its own end tag.
	interEnd []int32

	nz normalizer // used while building
}

// normalizer maps characters to the comparison form both the article text and
// the editors' quotes are reduced to: typographic quotes and dashes to ASCII,
// ellipsis to "...", any run of whitespace to one space. Matching then needs no
// fuzzy logic, and a quote typed with straight quotes in YAML finds the curly
// ones goldmark's typographer produced.
type normalizer struct {
	b          []byte
	start, end []int32
	track      bool // keep start/end (off when normalising a quote)
	segStart   int  // where the current text token began in b
}

func (n *normalizer) put(c byte, a0, a1 int32) {
	n.b = append(n.b, c)
	if n.track {
		n.start = append(n.start, a0)
		n.end = append(n.end, a1)
	}
}

func (n *normalizer) last() byte {
	if len(n.b) == 0 {
		return 0
	}
	return n.b[len(n.b)-1]
}

func (n *normalizer) space(a0, a1 int32) {
	if l := n.last(); l == 0 || l == ' ' || l == '\n' {
		return
	}
	n.put(' ', a0, a1)
}

// dash collapses runs of dashes into one '-', because the typographer turns
// "--" into an en dash and "---" into an em dash while an editor may type either.
func (n *normalizer) dash(a0, a1 int32) {
	if n.last() == '-' {
		// Widen the existing '-' so that a mark ending on it covers the whole
		// run, but never across a text token: a mark must stay inside one.
		if n.track && len(n.b)-1 >= n.segStart {
			n.end[len(n.end)-1] = a1
		}
		return
	}
	n.put('-', a0, a1)
}

func (n *normalizer) add(r rune, a0, a1 int32) {
	if r < utf8.RuneSelf {
		switch c := byte(r); c {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			n.space(a0, a1)
		case '-':
			n.dash(a0, a1)
		case 0:
		default:
			n.put(c, a0, a1)
		}
		return
	}
	switch r {
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032': // ‘ ’ ‚ ‛ ′
		n.put('\'', a0, a1)
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033': // “ ” „ ‟ ″
		n.put('"', a0, a1)
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212': // hyphens, dashes, minus
		n.dash(a0, a1)
	case '\u2026': // …
		n.put('.', a0, a1)
		n.put('.', a0, a1)
		n.put('.', a0, a1)
	case '\u00AB': // « is what the typographer makes of <<
		n.put('<', a0, a1)
		n.put('<', a0, a1)
	case '\u00BB':
		n.put('>', a0, a1)
		n.put('>', a0, a1)
	case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		// Soft hyphen and zero-width characters are invisible: drop them,
		// like isInvisible.
	default:
		if unicode.IsSpace(r) {
			n.space(a0, a1)
			return
		}
		var buf [utf8.UTFMax]byte
		k := utf8.EncodeRune(buf[:], r)
		// Decomposed, so that "ë" and "e" with a combining diaeresis (as
		// text copied on macOS often is) compare equal.
		if d := norm.NFD.Properties(buf[:k]).Decomposition(); d != nil {
			for i := range d {
				n.put(d[i], a0, a1)
			}
			return
		}
		for i := 0; i < k; i++ {
			n.put(buf[i], a0, a1)
		}
	}
}

// normalize reduces an editor's string (quote, prefix, suffix, entity name) to
// the comparison form, trimmed.
func normalize(s string) string {
	var n normalizer
	n.b = make([]byte, 0, len(s))
	for _, r := range s {
		n.add(r, 0, 0)
	}
	if n.last() == ' ' {
		n.b = n.b[:len(n.b)-1]
	}
	return string(n.b)
}

// Element classes. Block elements end a passage: a quote may not run across
// them. Skipped elements hold no article text.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Body, atom.Caption,
		atom.Dd, atom.Details, atom.Dialog, atom.Div, atom.Dl, atom.Dt, atom.Fieldset,
		atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2, atom.H3,
		atom.H4, atom.H5, atom.H6, atom.Head, atom.Header, atom.Hgroup, atom.Hr, atom.Html,
		atom.Legend, atom.Li, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Pre,
		atom.Section, atom.Summary, atom.Table, atom.Tbody, atom.Td, atom.Tfoot, atom.Th,
		atom.Thead, atom.Tr, atom.Ul:
		return true
	}
	return false
}

func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Keygen, atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

func isSkipped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Textarea, atom.Title,
		atom.Svg, atom.Math, atom.Select, atom.Iframe, atom.Object, atom.Canvas, atom.Audio,
		atom.Video, atom.Noembed, atom.Noframes, atom.Xmp, atom.Plaintext:
		return true
	}
	return false
}

// skippedElement reports whether an element holds no text of the
// article: our own note apparatus, footnote reference numbers and non-text
// elements.
func skippedElement(a atom.Atom, class, role string) bool {
	return isSkipped(a) ||
		(a == atom.Span && hasClass(class, "note")) ||
		(a == atom.Sup && hasClass(class, "note-ref")) ||
		hasClass(class, "footnote-ref") || hasClass(class, "footnote-backref") ||
		role == "doc-noteref" || role == "doc-backlink"
}

func hasClass(class, name string) bool {
	for _, c := range strings.Fields(class) {
		if c == name {
			return true
		}
	}
	return false
}

// isParaID reports whether id is a paragraph anchor: "p" and digits.
func isParaID[T string | []byte](id T) bool {
	if len(id) < 2 || id[0] != 'p' {
		return false
	}
	for i := 1; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// frame is one open element while scanning.
type frame struct {
	a     atom.Atom
	name  string // tag name when a == 0 (custom elements)
	block string
	fl    flags
	skip  bool
	inter int32 // outermost interactive ancestor (index in interEnd), -1
	own   int32 // interEnd index this element opened, -1
	para  int32 // index in paras this element opened, -1
}

// scan tokenizes src once and builds its text stream, with its normalised
// text when withText (Paragraphs reads the HTML's text, not the normalised
// one, and a copy of every article's text is allocation it need not make).
func scan(src []byte, withText bool) *stream {
	s := &stream{src: src}
	s.nz = *getBuffers(len(src) + len(src)/8 + 16)
	stack := make([]frame, 1, 32)
	stack[0] = frame{inter: -1, own: -1, para: -1}

	z := html.NewTokenizer(bytes.NewReader(src))
	off := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		// Raw must be measured before TagName/TagAttr, which rewrite the
		// tokenizer's buffer in place; the output is always built from src.
		rs := off
		off += len(z.Raw())
		re := off
		top := stack[len(stack)-1]
		switch tt {
		case html.TextToken:
			if !top.skip {
				s.addText(rs, re, &top)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			var id, class, role string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "id":
					id = string(v)
				case "class":
					class = string(v)
				case "role":
					role = string(v)
				}
			}
			void := isVoid(a) || tt == html.SelfClosingTagToken
			if top.skip {
				if !void {
					stack = append(stack, frame{a: a, name: tagName(a, name), skip: true, inter: -1, own: -1, para: -1})
				}
				continue
			}
			if void {
				if a == atom.Br {
					s.nz.space(-1, -1)
				} else if isBlock(a) {
					s.boundary()
				}
				continue
			}
			f := frame{a: a, name: tagName(a, name), block: top.block, fl: top.fl, inter: top.inter, own: -1, para: -1}
			// Our own note apparatus, footnote reference numbers and
			// non-text elements are not part of the article's text.
			f.skip = skippedElement(a, class, role)
			if !f.skip {
				if isBlock(a) {
					s.boundary()
					if id != "" {
						f.block = id
					}
				}
				if isParaID(id) {
					f.block = id
					f.para = int32(len(s.paras))
					s.paras = append(s.paras, para{id: id, n0: int32(len(s.nz.b)), n1: -1})
				}
				switch a {
				case atom.A, atom.Button, atom.Label:
					f.fl |= inLink
					if f.inter < 0 {
						f.own = int32(len(s.interEnd))
						f.inter = f.own
						s.interEnd = append(s.interEnd, -1)
					}
				case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
					f.fl |= inHeading
				case atom.Code, atom.Pre, atom.Kbd, atom.Samp:
					f.fl |= inCode
				}
			}
			stack = append(stack, f)
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			k := len(stack) - 1
			for ; k > 0; k-- {
				if stack[k].a == a && (a != 0 || stack[k].name == string(name)) {
					break
				}
			}
			if k == 0 {
				if isBlock(a) && !top.skip {
					s.boundary()
				}
				continue
			}
			block := isBlock(a) && !stack[k].skip
			if block {
				s.trimSpace()
			}
			for j := len(stack) - 1; j >= k; j-- {
				f := &stack[j]
				if f.para >= 0 {
					s.paras[f.para].n1 = int32(len(s.nz.b))
				}
				if f.own >= 0 && j == k {
					s.interEnd[f.own] = int32(re)
				}
			}
			stack = stack[:k]
			if block {
				s.boundary()
			}
		}
	}
	s.trimSpace()
	if s.nz.last() == '\n' {
		k := len(s.nz.b) - 1
		s.nz.b, s.nz.start, s.nz.end = s.nz.b[:k], s.nz.start[:k], s.nz.end[:k]
		s.breaks = s.breaks[:len(s.breaks)-1]
	}
	l := int32(len(s.nz.b))
	for i := range s.paras {
		if p := &s.paras[i]; p.n1 < 0 || p.n1 > l {
			p.n1 = l
		}
	}
	if withText {
		s.text = string(s.nz.b)
	}
	s.n = len(s.nz.b)
	s.start, s.end = s.nz.start, s.nz.end
	return s
}

// Scanning allocates about nine bytes per byte of text; the buffers are
// recycled because a site build scans every article two or three times.
var bufPool = sync.Pool{New: func() any { return new(normalizer) }}

func getBuffers(n int) *normalizer {
	nz := bufPool.Get().(*normalizer)
	if cap(nz.b) < n {
		nz.b, nz.start, nz.end = make([]byte, 0, n), make([]int32, 0, n), make([]int32, 0, n)
	}
	nz.b, nz.start, nz.end = nz.b[:0], nz.start[:0], nz.end[:0]
	nz.track, nz.segStart = true, 0
	return nz
}

// release gives the stream's buffers back; the stream must not be used after.
func (s *stream) release() {
	nz := s.nz
	s.nz, s.start, s.end = normalizer{}, nil, nil
	if cap(nz.b) <= bufpool.MaxKept { // do not keep buffers of huge documents alive
		bufPool.Put(&nz)
	}
}

func tagName(a atom.Atom, name []byte) string {
	if a != 0 {
		return ""
	}
	return string(name)
}

// addText decodes one text token (entities included) into the stream.
func (s *stream) addText(rs, re int, f *frame) {
	nz := &s.nz
	n0 := len(nz.b)
	nz.segStart = n0
	raw := s.src[rs:re]
	for i := 0; i < len(raw); {
		c := raw[i]
		a0 := int32(rs + i)
		if isPlain(c) {
			// Fast path: a run of ASCII that maps one to one, single spaces included.
			j := i + 1
			for j < len(raw) && (isPlain(raw[j]) || raw[j] == ' ' && raw[j-1] != ' ') {
				j++
			}
			l, n := len(nz.b), j-i
			nz.b = append(nz.b, raw[i:j]...)
			nz.start = slices.Grow(nz.start, n)[:l+n]
			nz.end = slices.Grow(nz.end, n)[:l+n]
			st, en := nz.start[l:l+n], nz.end[l:l+n]
			for k := range st {
				st[k] = a0 + int32(k)
				en[k] = a0 + int32(k) + 1
			}
			i = j
			continue
		}
		if c == '&' {
			if dec, j, ok := entityAt(raw, i); ok {
				// Every character of the entity maps to the whole entity:
				// a mark can start or end only at its edges.
				for _, r := range dec {
					nz.add(r, a0, int32(rs+j))
				}
				i = j
				continue
			}
			nz.add('&', a0, a0+1)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			nz.add(rune(c), a0, a0+1)
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		nz.add(r, a0, a0+int32(size))
		i += size
	}
	if len(nz.b) > n0 {
		s.segs = append(s.segs, segment{n0: int32(n0), n1: int32(len(nz.b)), block: f.block, fl: f.fl, inter: f.inter})
	}
}

// commonEntities are the references goldmark and its typographer write,
// decoded without allocating.
var commonEntities = map[string]string{
	"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": `"`, "&#39;": "'", "&nbsp;": "\u00a0",
	"&lsquo;": "\u2018", "&rsquo;": "\u2019", "&ldquo;": "\u201c", "&rdquo;": "\u201d",
	"&ndash;": "\u2013", "&mdash;": "\u2014", "&hellip;": "\u2026", "&laquo;": "\u00ab", "&raquo;": "\u00bb",
}

// entityAt decodes the character reference starting at raw[i] == '&',
// returning its text and where it ends; ok is false for a bare ampersand.
func entityAt(raw []byte, i int) (dec string, j int, ok bool) {
	j = i + 1
	if j < len(raw) && raw[j] == '#' {
		j++
	}
	for j < len(raw) && isAlnum(raw[j]) {
		j++
	}
	if j < len(raw) && raw[j] == ';' {
		j++
	}
	if j == i+1 {
		return "", 0, false
	}
	if d, ok := commonEntities[string(raw[i:j])]; ok {
		return d, j, true
	}
	ent := string(raw[i:j])
	if d := html.UnescapeString(ent); d != ent {
		return d, j, true
	}
	return "", 0, false
}

// isPlain reports whether c stands for itself in the normalised text.
func isPlain(c byte) bool {
	return c > ' ' && c < 0x7f && c != '&' && c != '-'
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// trimSpace drops a trailing space, fixing segments that ended with it.
func (s *stream) trimSpace() {
	nz := &s.nz
	if nz.last() != ' ' {
		return
	}
	l := len(nz.b) - 1
	nz.b, nz.start, nz.end = nz.b[:l], nz.start[:l], nz.end[:l]
	for k := len(s.segs) - 1; k >= 0 && s.segs[k].n1 > int32(l); k-- {
		s.segs[k].n1 = int32(l)
		if s.segs[k].n0 >= int32(l) {
			s.segs = s.segs[:k]
		}
	}
}

// boundary ends a block: passages never run across it.
func (s *stream) boundary() {
	s.trimSpace()
	if l := s.nz.last(); l != 0 && l != '\n' {
		s.breaks = append(s.breaks, int32(len(s.nz.b)))
		s.nz.put('\n', -1, -1)
	}
}

// segAt returns the index of the first segment ending after text offset p.
func (s *stream) segAt(p int) int {
	return sort.Search(len(s.segs), func(k int) bool { return int(s.segs[k].n1) > p })
}

// blockAt returns the id of the block holding text offset p.
func (s *stream) blockAt(p int) string {
	if k := s.segAt(p); k < len(s.segs) && int(s.segs[k].n0) <= p {
		return s.segs[k].block
	}
	return ""
}

// blockRange returns the block (text between two breaks) holding offset p and its index.
func (s *stream) blockRange(p int) (b0, b1, idx int) {
	idx = sort.Search(len(s.breaks), func(i int) bool { return int(s.breaks[i]) >= p })
	if idx > 0 {
		b0 = int(s.breaks[idx-1]) + 1
	}
	b1 = s.n
	if idx < len(s.breaks) {
		b1 = int(s.breaks[idx])
	}
	return b0, b1, idx
}

// rawRun is the HTML byte range of one part of a passage, inside one text token.
type rawRun struct {
	r0, r1 int
	seg    int
}

// rawRuns maps the text range [n0, n1) to HTML ranges, one per text token.
func (s *stream) rawRuns(n0, n1 int) []rawRun {
	var out []rawRun
	for k := s.segAt(n0); k < len(s.segs) && int(s.segs[k].n0) < n1; k++ {
		a, e := max(n0, int(s.segs[k].n0)), min(n1, int(s.segs[k].n1))
		if a < e {
			out = append(out, rawRun{r0: int(s.start[a]), r1: int(s.end[e-1]), seg: k})
		}
	}
	return out
}

// plainText returns the text range [n0, n1) as the reader sees it: entities
// decoded, typographic characters kept, whitespace collapsed.
func (s *stream) plainText(n0, n1 int) string {
	n1 = min(n1, s.n)
	var b strings.Builder
	b.Grow(n1 - n0 + 8)
	prev := -1
	for k := s.segAt(n0); k < len(s.segs) && int(s.segs[k].n0) < n1; k++ {
		a, e := max(n0, int(s.segs[k].n0)), min(n1, int(s.segs[k].n1))
		if a >= e {
			continue
		}
		if prev >= 0 && a > prev {
			b.WriteByte(' ') // a <br> or a block break lies between
		}
		decodeRefs(&b, s.src[s.start[a]:s.end[e-1]])
		prev = e
	}
	return cleanText(b.String())
}

// decodeRefs writes the text of raw, HTML text, to w: its character
// references decoded, a bare '&' kept.
func decodeRefs(w interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}, raw []byte) {
	for len(raw) > 0 {
		k := bytes.IndexByte(raw, '&')
		if k < 0 {
			w.Write(raw)
			return
		}
		w.Write(raw[:k])
		if dec, j, ok := entityAt(raw, k); ok {
			w.WriteString(dec)
			raw = raw[j:]
		} else {
			w.WriteByte('&')
			raw = raw[k+1:]
		}
	}
}

// cleanText collapses whitespace and drops invisible characters.
func cleanText(t string) string {
	// Most paragraphs need at most their ends trimmed (Markdown copy often
	// ends its lines with a space): a part of t, not a new string.
	i, j := 0, len(t)
	for i < j && isASCIISpace(t[i]) {
		i++
	}
	for j > i && isASCIISpace(t[j-1]) {
		j--
	}
	t = t[i:j]
	clean := true
	for i := 0; clean && i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf {
			clean = c > ' ' || c == ' ' && t[i-1] != ' '
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(t[i:])
		clean = !unicode.IsSpace(r) && !isInvisible(r)
		i += size
	}
	if clean {
		return t
	}
	var b strings.Builder
	b.Grow(len(t))
	sp := false
	for _, r := range t {
		switch {
		case isInvisible(r) || r == 0:
			continue
		case unicode.IsSpace(r):
			sp = b.Len() > 0
			continue
		}
		if sp {
			b.WriteByte(' ')
			sp = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isInvisible(r rune) bool {
	switch r {
	case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return false
}

// sentenceCache memoises sentence spans per block and sentence texts per range.
type sentenceCache struct {
	spans map[int][][2]int
	texts map[[2]int]string
}

func newSentenceCache() *sentenceCache {
	return &sentenceCache{spans: make(map[int][][2]int), texts: make(map[[2]int]string)}
}

// sentence returns the whole sentence(s) of the block that contain [n0, n1), as plain text.
func (s *stream) sentence(n0, n1 int, cache *sentenceCache) string {
	b0, b1, idx := s.blockRange(n0)
	spans, ok := cache.spans[idx]
	if !ok {
		spans = sentenceSpans(s.text[b0:b1])
		cache.spans[idx] = spans
	}
	lo, hi := n0-b0, min(n1, b1)-b0
	first := sort.Search(len(spans), func(i int) bool { return spans[i][1] > lo })
	last := sort.Search(len(spans), func(i int) bool { return spans[i][0] >= hi }) - 1
	if first >= len(spans) || last < first {
		return s.plainText(n0, n1)
	}
	r := [2]int{b0 + spans[first][0], b0 + spans[last][1]}
	t, ok := cache.texts[r]
	if !ok {
		t = s.plainText(r[0], r[1])
		cache.texts[r] = t
	}
	return t
}
