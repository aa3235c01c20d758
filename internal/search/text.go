package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// MaxWordBytes bounds the length of an indexed word: longer runs of letters
// (base64 blobs, URLs without punctuation, hostile input) are skipped rather
// than bloating the index. The browser applies the same rule.
const MaxWordBytes = 64

// isWordRune reports whether r belongs to a word: letters, digits and
// combining marks (which folding strips). The browser's tokeniser uses the
// same classes (\p{L}\p{N}\p{M}), so both sides cut text at the same places.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// isCharWord reports whether r is a word of its own: a Chinese character,
// hiragana or katakana (and the long-vowel mark ー), in scripts written
// without spaces, where a run of them is a sentence rather than a word.
// Indexed one character at a time, a word of the run is found as the
// characters in order (a phrase: see ParseQuery), wherever it stands. The
// browser uses the same classes (\p{Script=Han}, Hiragana, Katakana).
func isCharWord(r rune) bool {
	return r >= 0x2e80 && (unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || r == 'ー')
}

// Span is one word of a text: its byte range and its folded form.
type Span struct {
	Start, End int
	Word       string // folded: lower case, accents stripped, ’ as '
}

// Words calls fn for every word of s in order. A word is a run of letters,
// digits and marks; an apostrophe between two such runs joins them
// ("Okafor's", "don’t"). Words longer than MaxWordBytes are skipped.
func Words(s string, fn func(Span)) {
	scanWords(s, func(start, end int) {
		if w := Fold(s[start:end]); w != "" {
			fn(Span{Start: start, End: end, Word: w})
		}
	})
}

// scanWords calls fn with the byte range of every run Words considers
// (before folding, which may leave nothing of a run of marks alone).
func scanWords(s string, fn func(start, end int)) {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if !asciiWord[c] {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(s[i:]); !isWordRune(r) {
			i += size
			continue
		} else if isCharWord(r) {
			// A character of its own, with the marks that follow it.
			start := i
			for i += size; i < len(s); i += size {
				if r, size = utf8.DecodeRuneInString(s[i:]); !unicode.IsMark(r) {
					break
				}
			}
			fn(start, i)
			continue
		}
		start := i
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				if asciiWord[c] {
					i++
					continue
				}
				if c == '\'' && i+1 < len(s) && startsWord(s[i+1:]) {
					i++
					continue
				}
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if isWordRune(r) && !isCharWord(r) || r == '’' && i+size < len(s) && startsWord(s[i+size:]) {
				i += size
				continue
			}
			break
		}
		if i-start <= MaxWordBytes {
			fn(start, i)
		}
	}
}

// startsWord reports whether s starts with a letter an apostrophe joins
// to the word before it (not a character that is a word of its own).
func startsWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r) && !isCharWord(r)
}

// countWords returns how many words Words finds in s, without folding
// (cheaper): a run counts unless it is made of marks only.
func countWords(s string) int {
	n := 0
	scanWords(s, func(start, end int) {
		for _, r := range s[start:end] {
			if !unicode.IsMark(r) {
				n++
				return
			}
		}
	})
	return n
}

// Fold returns the matching form of a word: lower case, then decomposed
// (Unicode NFD) with combining marks removed (but kana's voicing marks), the typographic apostrophe as
// ', and final sigma as sigma. The browser folds with the same steps
// (toLowerCase, normalize("NFD"), strip \p{M}), so "Zoë", "ZOE" and "zoe"
// meet.
func Fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(w)
	}
	w = norm.NFD.String(strings.ToLower(w))
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		switch {
		case unicode.IsMark(r) && r != '\u3099' && r != '\u309a':
			// Accents go; the kana voicing marks stay (で is not て).
		case r == '’':
			b.WriteByte('\'')
		case r == 'ς':
			b.WriteRune('σ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Stem returns the English (Snowball/Porter2) stem of a folded word. Words
// with anything but ASCII letters and apostrophes (numbers, other scripts)
// are their own stem.
func Stem(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || c == '\'') {
			return w
		}
	}
	s := english.Stem(w, true)
	if s == "" {
		return w
	}
	return s
}

// Query is a parsed search query: words that must all match, phrases
// (quoted) that must match word for word, and whether the last word is a
// prefix (the reader is still typing it).
type Query struct {
	Terms   []string   // folded words, in order, phrases' words included
	Phrases [][]string // folded words of each quoted phrase
	Prefix  bool       // the last term is a prefix
}

// ParseQuery parses a query as the browser does: words as Words cuts them;
// text between double quotes (" or “ ”) is a phrase, and so is a run of
// characters that are words of their own (会議: see isCharWord); when typing is set and
// the query does not end in a space or a closing quote, the last word is a
// prefix. It exists for tests and for `dossier` tools; the browser has its
// own copy in static/search.js.
func ParseQuery(q string, typing bool) Query {
	var out Query
	inPhrase := false
	var phrase []string
	segStart := 0
	flush := func(seg string, quoted bool) {
		var run []string // characters that are words of their own, side by side
		end := -1
		Words(seg, func(sp Span) {
			out.Terms = append(out.Terms, sp.Word)
			if quoted {
				phrase = append(phrase, sp.Word)
				return
			}
			// Unquoted, such a run is one word of the text: a phrase.
			r, _ := utf8.DecodeRuneInString(sp.Word)
			if !isCharWord(r) || sp.Start != end {
				if len(run) > 1 {
					out.Phrases = append(out.Phrases, run)
				}
				run = nil
			}
			if isCharWord(r) {
				run = append(run, sp.Word)
				end = sp.End
			}
		})
		if len(run) > 1 {
			out.Phrases = append(out.Phrases, run)
		}
	}
	for i, r := range q {
		if r == '"' || r == '“' || r == '”' {
			flush(q[segStart:i], inPhrase)
			if inPhrase && len(phrase) > 1 {
				out.Phrases = append(out.Phrases, phrase)
			}
			phrase = nil
			inPhrase = !inPhrase
			segStart = i + utf8.RuneLen(r)
		}
	}
	flush(q[segStart:], inPhrase)
	if inPhrase && len(phrase) > 1 {
		out.Phrases = append(out.Phrases, phrase)
	}
	if typing && len(out.Terms) > 0 && !inPhrase {
		last, _ := utf8.DecodeLastRuneInString(q)
		out.Prefix = isWordRune(last)
	}
	return out
}
