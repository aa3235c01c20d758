package markdown

import "strings"

// EscapeText backslash-escapes the characters that would make a line of
// plain text into Markdown: emphasis, code, links, HTML, entities anywhere;
// block markers (headings, quotes, lists, rules) at its start. Web addresses
// become autolinks. Rendered, it is the text as it is (`dossier new` writes an
// article's original so; an import writes an HTML note's text so).
func EscapeText(line string) string {
	var b strings.Builder
	skip := 0 // bytes of a web address written as an autolink
	for i, r := range line {
		if i < skip {
			continue
		}
		// A web address is written as an autolink, <https://...>, whose
		// text is the address as it is: escaped, it would be linked only
		// up to its first escape.
		if n := webAddress(line, i); n > 0 {
			b.WriteString("<" + line[i:i+n] + ">")
			skip = i + n
			continue
		}
		switch {
		case strings.ContainsRune("\\`*_[]<>&|~", r):
			b.WriteByte('\\')
		case i == 0 && strings.ContainsRune("#>-+=", r):
			b.WriteByte('\\')
		case (r == '.' || r == ')') && i > 0 && allDigits(line[:i]):
			b.WriteByte('\\') // "1. " would start a list
		}
		b.WriteRune(r)
	}
	return b.String()
}

// webAddress returns the length of the http(s) address starting at line[i]
// (at the start of a word, or after an opening bracket or quote), without
// the punctuation that ends a sentence or closes a bracket around it; 0 when
// none starts there.
func webAddress(line string, i int) int {
	if i > 0 && !strings.ContainsRune(" \t([\"'", rune(line[i-1])) {
		return 0
	}
	rest := line[i:]
	if !strings.HasPrefix(rest, "http://") && !strings.HasPrefix(rest, "https://") {
		return 0
	}
	n := strings.IndexAny(rest, " \t<>")
	if n < 0 {
		n = len(rest)
	}
	for n > 0 {
		c := rest[n-1]
		if strings.IndexByte(".,:;!?\"'*_~]", c) >= 0 ||
			c == ')' && strings.Count(rest[:n], "(") < strings.Count(rest[:n], ")") {
			n--
			continue
		}
		break
	}
	if n <= strings.Index(rest, "//")+2 {
		return 0 // a scheme and no host
	}
	return n
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
