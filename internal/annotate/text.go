package annotate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Paragraph is one block of text with its anchor id.
type Paragraph struct {
	ID   string // e.g. "p7", the fragment readers link to
	Text string // plain text as rendered: entities decoded, whitespace collapsed
}

// Paragraphs returns the plain text of every element with an id matching
// p[0-9]+ in document order. Text that is not the article's own is left out:
// annotation notes and their number labels, footnote reference numbers,
// scripts and styles. A paragraph nested in another (a blockquote carrying an
// id around paragraphs that carry theirs) appears in both.
func Paragraphs(html []byte) []Paragraph {
	if out, ok := paragraphsFast(html); ok {
		return out
	}
	return paragraphsScanned(html)
}

// ReadParagraphs passes Paragraphs(html) to read, which must keep nothing
// of them past its return (not a string: copy what it keeps): their texts
// may be views of a buffer that is reused once read returns. A build reads
// every article's paragraphs once, to pack them, and keeps no string of
// them; a copy of each article's text was a twentieth of what it allocated.
func ReadParagraphs(html []byte, read func([]Paragraph)) {
	if readParagraphsFast(html, true, read) {
		return
	}
	read(paragraphsScanned(html))
}

// paragraphsScanned is Paragraphs by a scan of html (see paragraphsFast).
func paragraphsScanned(html []byte) []Paragraph {
	s := scan(html, false)
	defer s.release()
	out := make([]Paragraph, 0, len(s.paras))
	for _, p := range s.paras {
		out = append(out, Paragraph{ID: p.id, Text: s.plainText(int(p.n0), int(p.n1))})
	}
	return out
}

// Sentences splits plain text into sentences (handles abbreviations like
// "U.S.", "U.N.", "Mr.", "Jan.", initials, decimals and quotes closing after the
// full stop). Sentences are returned trimmed, in order; text without a final
// full stop still forms a last sentence.
//
// It is a heuristic tuned for English news copy: a full stop after a title
// (Mr., Dr., Sen.) never ends a sentence; after an initial, a month, a dotted
// acronym (U.S.) or a company suffix (Inc.) it does only when the next word is
// a common sentence opener ("The", "He", "Then"...); elsewhere a terminator
// followed by a space and a word not in lower case ends the sentence.
func Sentences(text string) []string {
	var out []string
	for _, sp := range sentenceSpans(text) {
		if t := strings.TrimSpace(text[sp[0]:sp[1]]); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// sentenceSpans returns the byte ranges of the sentences of t, trimmed of
// surrounding whitespace. It works on plain or normalised text alike.
func sentenceSpans(t string) [][2]int {
	var out [][2]int
	start := 0
	emit := func(a, b int) {
		for a < b && isSpaceByte(t[a]) {
			a++
		}
		for b > a && isSpaceByte(t[b-1]) {
			b--
		}
		if a < b {
			out = append(out, [2]int{a, b})
		}
	}
	for i := 0; i < len(t); {
		r, size := utf8.DecodeRuneInString(t[i:])
		if !isTerminator(r) {
			i += size
			continue
		}
		termStart := i
		j := i
		for j < len(t) {
			r2, s2 := utf8.DecodeRuneInString(t[j:])
			if !isTerminator(r2) {
				break
			}
			j += s2
		}
		k := j
		for k < len(t) {
			r2, s2 := utf8.DecodeRuneInString(t[k:])
			if !isCloser(r2) {
				break
			}
			k += s2
		}
		if k >= len(t) {
			break
		}
		if r3, _ := utf8.DecodeRuneInString(t[k:]); !unicode.IsSpace(r3) {
			// "3.5", "U.S.-led", "example.com": not the end of a sentence.
			i = j
			continue
		}
		m := k
		for m < len(t) {
			r2, s2 := utf8.DecodeRuneInString(t[m:])
			if !unicode.IsSpace(r2) {
				break
			}
			m += s2
		}
		next := m
		for next < len(t) {
			r2, s2 := utf8.DecodeRuneInString(t[next:])
			if !isOpener(r2) {
				break
			}
			next += s2
		}
		if endsSentence(t, start, termStart, j, next) {
			emit(start, k)
			start = m
		}
		i = k
	}
	emit(start, len(t))
	return out
}

// CountWords returns len(strings.Fields(s)), the number of runs of
// non-space characters (unicode.IsSpace; invalid UTF-8 bytes are words, as
// Fields has them), without building the slice: the build counts every
// paragraph of every article only for the reading time. Like Fields it
// counts ASCII without branching on each byte (a word starts where a space
// is followed by a non-space), which is most of an article's text.
func CountWords(s string) int {
	n, was := 0, 1 // was: 1 if the previous character was a space (or none)
	for i := 0; i < len(s); {
		var space int
		if c := s[i]; c < utf8.RuneSelf {
			space = int(asciiSpace[c])
			i++
		} else {
			r, w := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				space = 1
			}
			i += w
		}
		n += was &^ space
		was = space
	}
	return n
}

// asciiSpace marks the ASCII bytes unicode.IsSpace reports as space.
var asciiSpace = [256]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}

func isSpaceByte(c byte) bool { return asciiSpace[c] != 0 }

// endsSentence decides whether the terminators t[termStart:termEnd] end the
// sentence that began at start, given that the next sentence would begin at next.
func endsSentence(t string, start, termStart, termEnd, next int) bool {
	if next >= len(t) {
		return true
	}
	nr, _ := utf8.DecodeRuneInString(t[next:])
	if unicode.IsLower(nr) {
		return false // "e.g. this", "“Why?” he asked"
	}
	if t[termStart:termEnd] != "." {
		return true // "!", "?", "...", "?!"
	}
	// The word before the full stop, without opening punctuation.
	w := termStart
	for w > start {
		r, size := utf8.DecodeLastRuneInString(t[:w])
		if unicode.IsSpace(r) || isOpener(r) {
			break
		}
		w -= size
	}
	word := t[w:termStart]
	if strictAbbrev[word] {
		return false
	}
	soft := softAbbrev[word] || strings.Contains(word, ".")
	if !soft {
		if r, size := utf8.DecodeRuneInString(word); size == len(word) && unicode.IsLetter(r) {
			soft = true // an initial: "John F. Kennedy"
		}
	}
	if !soft {
		return true
	}
	if !unicode.IsUpper(nr) {
		return false // "No. 10", "Jan. 5"
	}
	e := next
	for e < len(t) {
		r, size := utf8.DecodeRuneInString(t[e:])
		if !unicode.IsLetter(r) {
			break
		}
		e += size
	}
	return sentenceOpeners[t[next:e]]
}

func isTerminator(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '\u2026' || r == '\u203D'
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '\u2019', '\u201D', '\u00BB', '\u203A', ')', ']':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '\u2018', '\u201C', '\u00AB', '\u2039', '(', '[', '\u00BF', '\u00A1':
		return true
	}
	return false
}

func wordSet(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// strictAbbrev are titles: a full stop after them never ends a sentence.
var strictAbbrev = wordSet(`Mr Mrs Ms Mx Dr Prof Sen Sens Rep Reps Gov Gen Lt Col Capt Cpt Sgt Cpl Pvt
	Maj Adm Cmdr Cdr Brig Rev Hon Pres Amb St Ste Mt Ft Messrs Mme Mlle Mgr Msgr Fr Insp Supt Det Atty`)

// softAbbrev usually continue the sentence but may end it.
var softAbbrev = wordSet(`Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur
	Thurs Fri Sat No Nos Vol Vols vs etc Inc Ltd Co Corp Bros Jr Sr approx est cf al fig Fig p pp ca
	Ave Blvd Rd Dept Univ Assn`)

// sentenceOpeners are words that after an ambiguous abbreviation ("the U.S.
// Then...") show that a new sentence began.
var sentenceOpeners = wordSet(`The A An He She It They We I You His Her Its Their Our My This That These
	Those There Then But And Or So Yet In On At As After Before When While If Although Though However
	Meanwhile Still Now Later Earlier Some Many Most Several All Both Each One Two Three What Why How
	Who Where According Under Over Since Despite During From For With Without Also Instead Last Next
	Other Such Yesterday Today Tomorrow Asked Speaking`)
