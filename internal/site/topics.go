package site

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dossier-news/dossier/internal/content"
)

// Keywords returns the lowercase words and phrases that mark a paragraph as
// speaking of a topic: the editor's keywords, the title, and the title's
// significant words.
func Keywords(t *content.Topic) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, k := range t.Keywords {
		add(k)
	}
	add(t.Title)
	if len(t.Keywords) > 0 {
		// The editor chose the words; single title words would add noise
		// ("Islamic State" must not match "Secretary of State").
		return out
	}
	for _, w := range strings.FieldsFunc(t.Title, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
		if len([]rune(w)) >= 4 && !stopwords[strings.ToLower(w)] {
			add(w)
		}
	}
	return out
}

var stopwords = map[string]bool{"with": true, "from": true, "that": true, "this": true, "their": true, "about": true, "over": true, "into": true, "and": true, "the": true}

// passages returns copies of the paragraphs of the body that speak of a
// topic with the given keywords (paras may be views of a lent buffer: see
// Body.ReadParagraphs); lower holds the paragraphs' lowercased texts (see
// lowered), made once for all of an article's topics.
func passages(paras []Paragraph, lower []string, keywords []string) []Paragraph {
	var out []Paragraph
	for i, p := range paras {
		for _, k := range keywords {
			if containsWord(lower[i], k) {
				out = append(out, Paragraph{ID: strings.Clone(p.ID), Text: strings.Clone(p.Text)})
				break
			}
		}
	}
	return out
}

// lowered returns the lowercased texts of a body's paragraphs, written into
// *buf (grown as needed): they are read only while the article's passages
// are picked, and a build lowers every article's text, so the texts are
// views of the lent buffer, valid until it is written again, and no copy.
func lowered(paras []Paragraph, buf *[]byte) []string {
	n := 0
	for _, p := range paras {
		n += len(p.Text)
	}
	b := slices.Grow((*buf)[:0], n)
	ends := make([]int, len(paras))
	for i, p := range paras {
		b = appendLower(b, p.Text)
		ends[i] = len(b)
	}
	*buf = b
	out := make([]string, len(paras))
	start := 0
	for i, end := range ends {
		out[i] = stringOf(b[start:end])
		start = end
	}
	return out
}

// appendLower appends strings.ToLower(s) to b: runs that need no change
// (ASCII without capitals, most of a text) in one copy each, the rest a
// rune at a time. A byte that is not UTF-8 becomes U+FFFD, as
// strings.ToLower (strings.Map) makes it.
func appendLower(b []byte, s string) []byte {
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] < utf8.RuneSelf && (s[i] < 'A' || s[i] > 'Z') {
			i++
		}
		b = append(b, s[:i]...)
		if s = s[i:]; s == "" {
			return b
		}
		if c := s[0]; c < utf8.RuneSelf {
			b = append(b, c+'a'-'A')
			s = s[1:]
			continue
		}
		r, w := utf8.DecodeRuneInString(s)
		b = utf8.AppendRune(b, unicode.ToLower(r))
		s = s[w:]
	}
	return b
}

// containsWord reports whether k occurs in s starting at a word boundary
// (so "iran" matches "Iran's" and "Iranian" but not "Tehrani").
func containsWord(s, k string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], k)
		if j < 0 {
			return false
		}
		j += i
		if j == 0 || !isWordByte(s[j-1]) {
			return true
		}
		i = j + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}
