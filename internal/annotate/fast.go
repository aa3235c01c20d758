package annotate

import (
	"bytes"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/html/atom"

	"github.com/dossier-news/dossier/internal/bufpool"
)

// paragraphsFast is Paragraphs for the HTML dossier's Markdown renderer
// makes (well nested, attributes in double quotes, every '<' of the text
// escaped): it reads the text between the tags directly, without the
// HTML tokenizer and the position maps of a stream, which took most of
// Paragraphs' time, 7% of a build's. Anything outside that grammar (an
// unknown, raw-text or foreign element, an unquoted attribute, a
// character reference in an id, class or role, a stray '<', an end tag
// that closes another element) returns ok false, and Paragraphs scans
// instead: paragraphsFast gives the same paragraphs as the scan or none
// at all (FuzzParagraphsFast).
func paragraphsFast(src []byte) (out []Paragraph, ok bool) {
	ok = readParagraphsFast(src, false, func(ps []Paragraph) { out = ps })
	return out, ok
}

// readParagraphsFast is paragraphsFast passing the paragraphs to read; with
// lend, their texts are views of a buffer given back after read (see
// ReadParagraphs). It returns false, without calling read, where
// paragraphsFast declines.
func readParagraphsFast(src []byte, lend bool, read func([]Paragraph)) bool {
	type element struct {
		a    atom.Atom
		skip bool
		para int // index in spans of the paragraph this element opened, -1
	}
	stack := make([]element, 1, 32)
	stack[0] = element{para: -1}
	// text holds the text of every paragraph, each a span of it: a
	// paragraph nested in another spans part of its span.
	tp := textPool.Get()
	text := (*tp)[:0]
	defer func() {
		*tp = text
		textPool.Put(tp)
	}()
	var (
		ids   []string
		spans [][2]int
		open  int // paragraphs open
		// scratch holds a text token with its character references decoded.
		scratch bytes.Buffer
		// last is the last character the scan's normaliser would have
		// written: 0 before any, ' ', '\n', '-' or 'x' for any other. The
		// normaliser merges a dash into a dash before it, also across a
		// tag, and the scan's text then loses it: such a text is left to
		// the scan, so that both agree.
		last byte
	)
	sep := func(c byte) { // a <br> (' ') or a block boundary ('\n') between texts
		if open > 0 {
			text = append(text, ' ')
		}
		switch {
		case c == '\n' && last != 0:
			last = '\n'
		case c == ' ' && last != 0 && last != ' ' && last != '\n':
			last = ' '
		}
	}
	for i := 0; i < len(src); {
		k := bytes.IndexByte(src[i:], '<')
		if k < 0 {
			k = len(src) - i
		}
		if k > 0 {
			if top := stack[len(stack)-1]; !top.skip {
				var good bool
				if last, good = fastText(src[i:i+k], last, open > 0, &text, &scratch); !good {
					return false
				}
			}
			i += k
			continue
		}
		// A tag at src[i].
		j := i + 1
		if j >= len(src) {
			return false
		}
		switch c := src[j]; {
		case c == '!':
			if !bytes.HasPrefix(src[j:], []byte("!--")) {
				return false
			}
			e := bytes.Index(src[j+3:], []byte("-->"))
			if e < 0 || bytes.HasPrefix(src[j+3:], []byte(">")) || bytes.HasPrefix(src[j+3:], []byte("->")) ||
				bytes.Contains(src[j+3:j+3+e+2], []byte("--!")) {
				return false // unclosed, or "<!-->", "--!>": the tokenizer ends those early
			}
			i = j + 3 + e + 3
			continue
		case c == '/':
			n := j + 1
			for n < len(src) && isLowerAlnum(src[n]) {
				n++
			}
			name := src[j+1 : n]
			for n < len(src) && isTagSpace(src[n]) {
				n++
			}
			if len(name) == 0 || n >= len(src) || src[n] != '>' {
				return false
			}
			a := atom.Lookup(name)
			top := stack[len(stack)-1]
			if len(stack) == 1 || a == 0 || top.a != a {
				return false
			}
			stack = stack[:len(stack)-1]
			if top.para >= 0 {
				spans[top.para][1] = len(text)
				open--
			}
			if !top.skip && isBlock(a) {
				sep('\n')
			}
			i = n + 1
			continue
		case c < 'a' || c > 'z':
			return false
		}
		n := j
		for n < len(src) && isLowerAlnum(src[n]) {
			n++
		}
		a := atom.Lookup(src[j:n])
		if a == 0 || isSkipped(a) {
			return false // a custom element, or one whose text the tokenizer reads raw
		}
		var id, class, role []byte
		var seenID, seenClass, seenRole bool
		selfClosing := false
		for {
			for n < len(src) && isTagSpace(src[n]) {
				n++
			}
			if n >= len(src) {
				return false
			}
			if src[n] == '>' {
				n++
				break
			}
			if src[n] == '/' && n+1 < len(src) && src[n+1] == '>' {
				selfClosing = true
				n += 2
				break
			}
			s := n
			for n < len(src) && (isLowerAlnum(src[n]) || src[n] == '-' || src[n] == '_' || src[n] == ':') {
				n++
			}
			if n == s {
				return false
			}
			attr := src[s:n]
			var val []byte
			if n < len(src) && src[n] == '=' {
				if n+1 >= len(src) || src[n+1] != '"' {
					return false
				}
				e := bytes.IndexByte(src[n+2:], '"')
				if e < 0 {
					return false
				}
				val, n = src[n+2:n+2+e], n+2+e+1
				if n < len(src) && !isTagSpace(src[n]) && src[n] != '>' && src[n] != '/' {
					return false
				}
			}
			if bytes.IndexByte(val, '&') >= 0 && (string(attr) == "id" || string(attr) == "class" || string(attr) == "role") {
				return false // the tokenizer would decode it
			}
			var seen *bool
			switch string(attr) {
			case "id":
				id, seen = val, &seenID
			case "class":
				class, seen = val, &seenClass
			case "role":
				role, seen = val, &seenRole
			}
			if seen != nil {
				if *seen {
					return false // the tokenizer keeps the first of two
				}
				*seen = true
			}
		}
		i = n
		top := stack[len(stack)-1]
		if isVoid(a) || selfClosing {
			if top.skip {
				continue
			}
			if a == atom.Br {
				sep(' ')
			} else if isBlock(a) {
				sep('\n')
			}
			continue
		}
		// Strings only for what is there: most elements have no class
		// and no role.
		f := element{a: a, skip: top.skip || skippedElement(a, string(class), string(role)), para: -1}
		if !f.skip {
			if isBlock(a) {
				sep('\n')
			}
			if isParaID(id) {
				f.para = len(spans)
				ids = append(ids, string(id))
				spans = append(spans, [2]int{len(text), -1})
				open++
			}
		}
		stack = append(stack, f)
	}
	if len(stack) != 1 {
		return false // the tokenizer closes what is left open at the end; not ours to mimic
	}
	// One string for every paragraph's text, each a part of it (a nested
	// paragraph's part of its parent's).
	var all string
	if lend {
		all = unsafe.String(unsafe.SliceData(text), len(text))
	} else {
		all = string(text)
	}
	out := make([]Paragraph, len(ids))
	for k, id := range ids {
		out[k] = Paragraph{ID: id, Text: cleanText(all[spans[k][0]:spans[k][1]])}
	}
	read(out)
	return true
}

// fastText adds one text token (between two tags) to text when inPara,
// its character references decoded (into scratch), and follows the
// normaliser's last character (see paragraphsFast); good is false when the
// scan would lose one of its dashes, or on a byte that is not UTF-8.
//
// Only the token's start matters for the dashes (the normaliser drops what
// it writes nothing of there, and the scan's text starts at its first
// character), and only its end for the last character: the middle is
// copied in one piece, not read.
func fastText(raw []byte, last byte, inPara bool, text *[]byte, scratch *bytes.Buffer) (byte, bool) {
	if !utf8.Valid(raw) {
		return last, false // content is checked to be UTF-8: the scan's business
	}
	dec := raw
	if bytes.IndexByte(raw, '&') >= 0 {
		scratch.Reset()
		decodeRefs(scratch, raw)
		dec = scratch.Bytes()
	}
	if inPara {
		*text = append(*text, dec...)
	}
	started := false // the normaliser wrote a character of this token
	for i := 0; i < len(dec) && !started; {
		r, size := rune(dec[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(dec[i:])
		}
		i += size
		switch {
		case r == 0 || isInvisible(r):
			// dropped by the normaliser
		case unicode.IsSpace(r):
			if last != 0 && last != ' ' && last != '\n' {
				last, started = ' ', true
			}
		case isDash(r):
			if last == '-' {
				return last, false
			}
			last, started = '-', true
		default:
			last, started = 'x', true
		}
	}
	if !started {
		return last, true
	}
	for i := len(dec); i > 0; {
		r, size := rune(dec[i-1]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeLastRune(dec[:i])
		}
		i -= size
		switch {
		case r == 0 || isInvisible(r):
			continue
		case unicode.IsSpace(r):
			return ' ', true // a run of white space after a character is one space
		case isDash(r):
			return '-', true
		default:
			return 'x', true
		}
	}
	return last, true
}

// isDash reports whether the normaliser writes r as '-'.
func isDash(r rune) bool {
	return r == '-' || r >= '\u2010' && r <= '\u2015' || r == '\u2212'
}

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

func isTagSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// textPool holds the buffers paragraphsFast collects text in, one per
// article of a build.
var textPool bufpool.Slices
