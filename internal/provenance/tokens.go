package provenance

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/dossier-news/dossier/internal/diag"
)

// token is one word or punctuation mark of a text, in comparison form.
type token struct {
	id         int32 // interned comparison form
	start, end int32 // byte range in the text it was read from
}

// interner gives every distinct comparison form a small integer, so that the
// alignment compares integers.
type interner struct {
	ids   map[string]int32
	forms []string
}

func newInterner() *interner { return &interner{ids: map[string]int32{}} }

func (in *interner) id(form []byte) int32 {
	if id, ok := in.ids[string(form)]; ok { // no allocation for the lookup
		return id
	}
	id := int32(len(in.forms))
	s := string(form)
	in.ids[s] = id
	in.forms = append(in.forms, s)
	return id
}

// Comparison form. A text is read after Unicode NFKC normalisation (which also
// turns non-breaking spaces into spaces, "…" into "...", ligatures into
// letters). A word is a run of letters, digits and combining marks; every
// other visible character is a token of its own, so that the spacing around
// punctuation does not matter. Typographic quotes become ' or " ("<<" and
// ">>", which the typographer shows as « and », too), and every
// dash, hyphen or minus sign, or run of them, is the one token "-": "--", "–"
// and "—" read alike, with or without spaces around them. Format characters
// (soft hyphens, zero-width spaces, byte order marks) are ignored, but for
// the bidirectional controls that reorder what is shown (see bidiControl). Case is
// kept: changing it changes the text. Superscripts and subscripts are kept
// as they are, not normalised: "10²" is not "102".
const (
	dashForm   = "-"
	apostrophe = '\''
	dquote     = '"'
)

// classify returns what a rune is in comparison form: a word character, a
// separator, an ignored character, a dash, or a punctuation token (with the
// rune it stands for).
type class uint8

const (
	cWord class = iota
	cSpace
	cIgnore
	cDash
	cPunct
)

func classify(r rune) (class, rune) {
	if r < utf8.RuneSelf {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
			return cWord, r
		case r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\v':
			return cSpace, r
		case r == '-':
			return cDash, r
		case r == '`':
			return cPunct, apostrophe
		case r < ' ' || r == 0x7f:
			return cIgnore, r
		}
		return cPunct, r
	}
	switch r {
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u00B4', '\u02BC', '\u2039', '\u203A':
		return cPunct, apostrophe
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB', '\u301D', '\u301E':
		return cPunct, dquote
	case '\u2212':
		return cDash, r
	}
	switch {
	case unicode.IsSpace(r):
		return cSpace, r
	case diag.BidiControl(r): // it reorders what a reader sees: a mark of the text, not typography
		return cPunct, r
	case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cc, r):
		return cIgnore, r
	case unicode.Is(unicode.Pd, r):
		return cDash, r
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.IsMark(r):
		return cWord, r
	}
	return cPunct, r
}

// tokenize reads s into tokens whose offsets are byte offsets in s (the
// original's bytes as stored, whatever normalisation did to them).
func tokenize(s string, in *interner) []token {
	toks := make([]token, 0, len(s)/5+1)
	var (
		word      []byte
		wordStart = -1
		wordEnd   int
		buf       [utf8.UTFMax]byte
	)
	flush := func() {
		if wordStart >= 0 {
			toks = append(toks, token{id: in.id(word), start: int32(wordStart), end: int32(wordEnd)})
			word, wordStart = word[:0], -1
		}
	}
	emit := func(form []byte, p0, p1 int) {
		flush()
		toks = append(toks, token{id: in.id(form), start: int32(p0), end: int32(p1)})
	}
	handle := func(r rune, p0, p1 int) {
		c, m := classify(r)
		switch c {
		case cWord:
			if wordStart < 0 {
				wordStart = p0
			}
			if m < utf8.RuneSelf {
				word = append(word, byte(m))
			} else {
				n := utf8.EncodeRune(buf[:], m)
				word = append(word, buf[:n]...)
			}
			wordEnd = p1
		case cSpace:
			flush()
		case cIgnore:
		case cDash:
			flush()
			// A run of dashes is one token: widen the previous one when it
			// is a dash that ends right here (or in the same normalised
			// segment).
			if n := len(toks); n > 0 && in.forms[toks[n-1].id] == dashForm && (int(toks[n-1].end) == p0 || int(toks[n-1].end) == p1) {
				toks[n-1].end = int32(p1)
				return
			}
			emit([]byte(dashForm), p0, p1)
		case cPunct:
			n := utf8.EncodeRune(buf[:], m)
			emit(buf[:n], p0, p1)
		}
	}
	var it norm.Iter
	var seg []byte
	for i := 0; i < len(s); {
		// "<<" and ">>" are the typographer's « and » (a rendition
		// keeping the original's shows them so): the double quote.
		if c := s[i]; (c == '<' || c == '>') && i+1 < len(s) && s[i+1] == c {
			handle('\u00ab', i, i+2)
			i += 2
			continue
		}
		// ASCII followed by ASCII is its own NFKC form: no need to ask.
		if c := s[i]; c < utf8.RuneSelf && (i+1 == len(s) || s[i+1] < utf8.RuneSelf) {
			handle(rune(c), i, i+1)
			i++
			continue
		}
		// A superscript or subscript is read as itself: NFKC would make
		// "10²" the number 102.
		if r, size := utf8.DecodeRuneInString(s[i:]); supOrSub(r) {
			handle(r, i, i+size)
			i += size
			continue
		}
		// Elsewhere normalise one segment (a character with its combining
		// marks); every rune it yields maps back to the segment's bytes.
		it.InitString(norm.NFKC, s[i:])
		// A long expansion (a ligature, "…") comes in pieces, the input
		// position moving on only after the last.
		seg = append(seg[:0], it.Next()...)
		for it.Pos() == 0 && !it.Done() {
			seg = append(seg, it.Next()...)
		}
		p0, p1 := i, i+max(it.Pos(), 1)
		for k := 0; k < len(seg); {
			r, size := utf8.DecodeRune(seg[k:])
			k += size
			handle(r, p0, p1)
		}
		i = p1
	}
	flush()
	return toks
}

// supOrSub reports whether r is a superscript or subscript digit, sign or
// letter (¹ ² ³ and the Superscripts and Subscripts block), which NFKC turns
// into a plain character of another meaning.
func supOrSub(r rune) bool {
	return r == '\u00b2' || r == '\u00b3' || r == '\u00b9' || ('\u2070' <= r && r <= '\u209f')
}
