// Package webanno lets annotations travel: it publishes each article's
// annotations as a W3C Web Annotation page (JSON-LD), and imports annotations
// made elsewhere (Hypothesis's JSON, any W3C Web Annotation JSON) into the
// articles' front matter.
//
// # The article text
//
// Selectors point into the article text, defined here as the text of the
// article's body (the element with class "body" on the article page, whose
// content is the rendered Markdown with the annotations placed) as a browser
// shows it, normalised as the Web Annotation model asks (§4.2.5: tags
// removed, character references decoded, unnecessary whitespace normalised):
//
//   - the editors' note apparatus is left out: note numbers (sup.note-ref),
//     the notes themselves (span.note), their checkboxes (input), and
//     footnote reference numbers and back links;
//   - every run of HTML whitespace (space, tab, line feed, carriage return,
//     form feed) is one space; no-break spaces are kept as they are;
//   - each block (paragraph, heading, list item, table cell, quotation, ...)
//     and each <br> ends with one line feed, with no space before or after
//     it, and the text neither starts nor ends with one.
//
// TextPositionSelector offsets count Unicode code points of that text, as the
// model specifies. TextQuoteSelector prefixes and suffixes are the 32 code
// points before and after the quote, or fewer at the ends, as Hypothesis
// takes them.
package webanno

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text is an article text with the ranges of the annotated passages.
type Text struct {
	Runes []rune
	// Marks maps a note's id ("a3") to the code point range its <mark>
	// elements cover, first start to last end.
	Marks map[string][2]int
}

// String is the text.
func (t *Text) String() string { return string(t.Runes) }

// ArticleText reads the body HTML of an article page (or any fragment) into
// its article text.
func ArticleText(body []byte) *Text {
	t := &Text{Marks: map[string][2]int{}}
	var (
		b        = make([]rune, 0, len(body)/2) // the text is most of an article's body
		space    bool                           // a space is due before the next character
		skip     int                            // depth inside skipped elements
		marks    []string
		pendOpen []string // marks opened before their first character
	)
	put := func(s string) {
		for _, r := range s {
			switch r {
			case ' ', '\t', '\n', '\r', '\f':
				if n := len(b); n > 0 && b[n-1] != '\n' {
					space = true
				}
				continue
			}
			if space {
				b = append(b, ' ')
				space = false
			}
			for _, id := range pendOpen {
				if _, ok := t.Marks[id]; !ok {
					t.Marks[id] = [2]int{len(b), len(b)}
				}
			}
			pendOpen = pendOpen[:0]
			b = append(b, r)
		}
	}
	boundary := func() {
		space = false
		if n := len(b); n > 0 && b[n-1] != '\n' {
			b = append(b, '\n')
		}
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.TextToken:
			if skip == 0 {
				put(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			void := tt == html.SelfClosingTagToken || isVoid(tok.DataAtom)
			if skip > 0 {
				if !void {
					skip++
				}
				continue
			}
			if skipped(tok) {
				if !void {
					skip = 1
				}
				continue
			}
			switch {
			case tok.DataAtom == atom.Br || isBlock(tok.DataAtom):
				boundary()
			case tok.DataAtom == atom.Mark:
				id := attr(tok, "data-note")
				marks = append(marks, id)
				if id != "" {
					pendOpen = append(pendOpen, id)
				}
			}
		case html.EndTagToken:
			tok := z.Token()
			if skip > 0 {
				skip--
				continue
			}
			switch {
			case isBlock(tok.DataAtom):
				boundary()
			case tok.DataAtom == atom.Mark && len(marks) > 0:
				id := marks[len(marks)-1]
				marks = marks[:len(marks)-1]
				if r, ok := t.Marks[id]; ok && id != "" {
					r[1] = len(b)
					t.Marks[id] = r
				}
			}
		}
	}
	for len(b) > 0 && b[len(b)-1] == '\n' {
		b = b[:len(b)-1]
	}
	t.Runes = b
	return t
}

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasClass(t html.Token, name string) bool {
	for _, c := range strings.Fields(attr(t, "class")) {
		if c == name {
			return true
		}
	}
	return false
}

// skipped reports whether an element holds no article text: the note
// apparatus, footnote references, and elements that never show text.
func skipped(t html.Token) bool {
	switch t.DataAtom {
	case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Textarea, atom.Svg, atom.Math, atom.Input:
		return true
	case atom.Sup:
		return hasClass(t, "note-ref")
	case atom.Span:
		return hasClass(t, "note")
	}
	role := attr(t, "role")
	return hasClass(t, "footnote-ref") || hasClass(t, "footnote-backref") || role == "doc-noteref" || role == "doc-backlink"
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Caption, atom.Dd,
		atom.Details, atom.Div, atom.Dl, atom.Dt, atom.Figcaption, atom.Figure, atom.Footer,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hr, atom.Li,
		atom.Main, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section, atom.Summary, atom.Table,
		atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr, atom.Ul:
		return true
	}
	return false
}

func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// context returns up to n code points of t before position i (before=true)
// or from it.
func context(t []rune, i, n int, before bool) string {
	if before {
		return string(t[max(0, i-n):i])
	}
	return string(t[i:min(len(t), i+n)])
}
