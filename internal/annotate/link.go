package annotate

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Entity is a known person, organisation or place.
type Entity struct {
	Slug  string
	URL   string   // page URL to link to
	Names []string // name and aliases
}

// Linker finds entity mentions; build once per site and use from many
// goroutines. It is immutable after NewLinker.
//
// Names are indexed by their first word, longest first, so finding mentions is
// one pass over the text with a map lookup per word, whatever the number of
// entities.
type Linker struct {
	ents  []Entity
	index map[string][]linkName
}

// linkName is one normalised name of an entity.
type linkName struct {
	norm    string
	ent     int
	endWord bool // the name ends in a letter or digit, so must end a word
}

// NewLinker indexes the names of entities. Names are matched case-sensitively
// on whole words, with quotes, dashes and spaces normalised as for quotes. A
// name given by two entities belongs to the first; a name that does not begin
// with a letter or digit is ignored.
func NewLinker(entities []Entity) *Linker {
	l := &Linker{ents: slices.Clone(entities), index: make(map[string][]linkName)}
	seen := make(map[string]bool)
	for i, e := range entities {
		for _, name := range e.Names {
			n := normalize(name)
			if n == "" || seen[n] {
				continue
			}
			k := firstWord(n)
			if k == "" || !strings.HasPrefix(n, k) {
				continue
			}
			seen[n] = true
			last, _ := utf8.DecodeLastRuneInString(n)
			l.index[k] = append(l.index[k], linkName{norm: n, ent: i, endWord: isWordRune(last)})
		}
	}
	for _, c := range l.index {
		slices.SortStableFunc(c, func(a, b linkName) int { return cmp.Compare(len(b.norm), len(a.norm)) })
	}
	return l
}

// Mention is one occurrence of an entity in an article.
type Mention struct {
	Slug      string
	Paragraph string // enclosing block id (e.g. "p4"), "" if none
	Sentence  string // the sentence containing it, plain text
	Linked    bool   // this occurrence was turned into a link
}

// Link links the first mention of each entity in html and returns every
// mention (all occurrences, in order).
//
// At each position the longest name wins ("Free Syrian Army" over "Syrian").
// A possessive ("Kerry’s") is a mention of "Kerry"; "Kerrygold" is not.
// Mentions inside headings, links, buttons and labels are reported but never
// linked; text in code, pre, scripts, styles and annotation notes is not
// article prose and is neither linked nor reported. The first mention that
// can be linked gets `<a class="entity" href="URL" data-entity="SLUG">`, inside
// any <mark> around it; a mention split across markup is reported, and the
// link waits for a later one.
func (l *Linker) Link(html []byte) ([]byte, []Mention) {
	if l == nil || len(l.index) == 0 {
		return html, nil
	}
	s := scan(html, true)
	defer s.release()
	t := s.text
	var mentions []Mention
	var edits []edit
	linked := make([]bool, len(l.ents))
	cache := newSentenceCache()
	seg := 0
	for i := 0; i < len(t); {
		r, size := rune(t[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(t[i:])
		}
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(t) {
			r, size := rune(t[j]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(t[j:])
			}
			if !isWordRune(r) {
				break
			}
			j += size
		}
		c, ok := l.match(t, i, j)
		if !ok {
			i = j
			continue
		}
		e := i + len(c.norm)
		for seg < len(s.segs) && int(s.segs[seg].n1) <= i {
			seg++
		}
		var fl flags
		for k := seg; k < len(s.segs) && int(s.segs[k].n0) < e; k++ {
			fl |= s.segs[k].fl
		}
		if fl&inCode == 0 && seg < len(s.segs) {
			ent := &l.ents[c.ent]
			whole := int(s.segs[seg].n0) <= i && int(s.segs[seg].n1) >= e
			m := Mention{Slug: ent.Slug, Paragraph: s.segs[seg].block, Sentence: s.sentence(i, e, cache)}
			if whole && fl&(inLink|inHeading) == 0 && !linked[c.ent] && ent.URL != "" {
				linked[c.ent], m.Linked = true, true
				edits = append(edits,
					edit{pos: int(s.start[i]), phase: phaseOpen, s: entityOpen(ent)},
					edit{pos: int(s.end[e-1]), phase: phaseClose, s: "</a>"})
			}
			mentions = append(mentions, m)
		}
		i = e
	}
	return applyEdits(html, edits), mentions
}

// match returns the longest name starting with the word t[i:j] that is
// whole-word at i.
func (l *Linker) match(t string, i, j int) (linkName, bool) {
	cands := l.index[t[i:j]]
	if len(cands) == 0 || !wordStartAt(t, i) {
		return linkName{}, false
	}
	for _, c := range cands {
		e := i + len(c.norm)
		if !strings.HasPrefix(t[i:], c.norm) {
			continue
		}
		if c.endWord && e < len(t) {
			if r, _ := utf8.DecodeRuneInString(t[e:]); isWordRune(r) {
				continue
			}
		}
		return c, true
	}
	return linkName{}, false
}

// wordStartAt reports whether a word may start at t[i]: not after a letter or
// digit, nor after an apostrophe inside a word ("O'Brien" holds no "Brien").
func wordStartAt(t string, i int) bool {
	if i == 0 {
		return true
	}
	r, size := utf8.DecodeLastRuneInString(t[:i])
	if isWordRune(r) {
		return false
	}
	if r == '\'' && i-size > 0 {
		r2, _ := utf8.DecodeLastRuneInString(t[:i-size])
		return !isWordRune(r2)
	}
	return true
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// firstWord returns the leading run of letters and digits of s.
func firstWord(s string) string {
	for i, r := range s {
		if !isWordRune(r) {
			return s[:i]
		}
	}
	return s
}

func entityOpen(e *Entity) string {
	return `<a class="entity" href="` + html.EscapeString(e.URL) + `" data-entity="` + html.EscapeString(e.Slug) + `">`
}
