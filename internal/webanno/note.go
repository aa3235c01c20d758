package webanno

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"golang.org/x/net/html"

	"github.com/dossier-news/dossier/internal/markdown"
)

// An imported note is someone else's text, written into the editors' front
// matter, where a project may let raw HTML through (unsafeHTML: true) for
// its own writing. So an import writes a note that renders as text and
// links whatever the project's setting: an HTML body's text is escaped as
// Markdown, raw HTML in a Markdown note is escaped to show as written
// (shown so already where raw HTML is not let through), and links the
// renderer would drop (javascript:) are refused by Import.

// htmlToMarkdown turns a note's HTML into Markdown: paragraphs, links,
// emphasis and code kept, other markup dropped, the text as text.
func htmlToMarkdown(h string) string {
	doc, err := html.Parse(strings.NewReader("<body>" + h))
	if err != nil {
		return markdown.EscapeText(collapseSpace(h))
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(markdown.EscapeText(collapseSpace(n.Data)))
			return
		case html.ElementNode:
			switch n.Data {
			case "p", "div", "li", "blockquote":
				if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n\n") {
					b.WriteString("\n\n")
				}
			case "br":
				b.WriteString("\n")
			case "em", "i":
				b.WriteString("*")
				defer b.WriteString("*")
			case "strong", "b":
				b.WriteString("**")
				defer b.WriteString("**")
			case "code":
				b.WriteString(codeSpan(collapseSpace(textOf(n))))
				return
			case "a":
				href := ""
				for _, a := range n.Attr {
					if a.Key == "href" {
						href = strings.TrimSpace(a.Val)
					}
				}
				// A link the renderer would drop keeps its text.
				if href != "" && !ghtml.IsDangerousURL([]byte(href)) {
					b.WriteString("[")
					defer b.WriteString("](" + destination(href) + ")")
				}
			case "script", "style", "template":
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.TrimSpace(b.String())
}

// textOf is the text of an HTML element.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// codeSpan writes s as a Markdown code span, delimited by more backticks
// than any run in it.
func codeSpan(s string) string {
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// destination writes a URL as a Markdown link destination: spaces and
// control characters percent-encoded, brackets and backslashes escaped, so
// that the whole address is the link's.
func destination(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		switch c := u[i]; {
		case c <= ' ' || c == 0x7f:
			fmt.Fprintf(&b, "%%%02X", c)
		case c == '(' || c == ')' || c == '<' || c == '>' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// noRawHTML returns a Markdown note with every piece of raw HTML (an inline
// tag, comment or declaration, an HTML block) escaped, so that it is shown as
// written rather than let through. Escaping the start of an HTML block makes
// it a paragraph, whose tags are then inline raw HTML: so until none is left.
func noRawHTML(note string) string {
	src := []byte(note)
	for range bytes.Count(src, []byte("<")) {
		var at []int
		doc := goldmark.DefaultParser().Parse(text.NewReader(src))
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch v := n.(type) {
			case *ast.RawHTML:
				if v.Segments.Len() > 0 {
					at = append(at, v.Segments.At(0).Start)
				}
			case *ast.HTMLBlock:
				if v.Lines().Len() > 0 {
					seg := v.Lines().At(0)
					if k := bytes.IndexByte(seg.Value(src), '<'); k >= 0 {
						at = append(at, seg.Start+k)
					}
				}
			}
			return ast.WalkContinue, nil
		})
		if len(at) == 0 {
			break
		}
		slices.Sort(at)
		escaped := false
		for i := len(at) - 1; i >= 0; i-- {
			if k := at[i]; k < len(src) && src[k] == '<' {
				src = slices.Insert(src, k, '\\')
				escaped = true
			}
		}
		if !escaped {
			break
		}
	}
	return string(src)
}
