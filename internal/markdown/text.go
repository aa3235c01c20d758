package markdown

import (
	"bytes"
	"html"
	"sort"

	"github.com/yuin/goldmark/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
)

// TextRun is a piece of a document's rendered text with where it comes from:
// the words a reader sees, for checks that compare them with another text
// (the provenance check compares a rendition with its original). A run with
// Text "\n" is a block boundary.
type TextRun struct {
	Text   string
	Line   int    // file line the run starts on
	Anchor string // id of the enclosing anchored block ("p7", a heading's id), "" if none
}

// collectText returns the rendered text of the document as runs, in reading
// order: what goldmark writes as text (escapes and entity references
// resolved, typographer substitutions made), with soft and hard line breaks as
// spaces and a "\n" run between blocks. Left out, as they are not words of
// the text: images (their alt text), raw HTML, footnote reference numbers and
// back links.
func collectText(doc ast.Node, src []byte, bodyLine int) []TextRun {
	var nl []int // offsets of '\n' in src
	for i, c := range src {
		if c == '\n' {
			nl = append(nl, i)
		}
	}
	lineAt := func(off int) int { return bodyLine + sort.SearchInts(nl, off) }
	var (
		runs    []TextRun
		anchors []string
		buf     bytes.Buffer
		w       = bufferWriter{&buf}
		lastOff int
	)
	anchor := func() string {
		if len(anchors) == 0 {
			return ""
		}
		return anchors[len(anchors)-1]
	}
	add := func(s string, off int) {
		if s == "" {
			return
		}
		runs = append(runs, TextRun{Text: s, Line: lineAt(off), Anchor: anchor()})
	}
	boundary := func() {
		if n := len(runs); n > 0 && runs[n-1].Text != "\n" {
			runs = append(runs, TextRun{Text: "\n", Line: runs[n-1].Line, Anchor: runs[n-1].Anchor})
		}
	}
	// rendered is what goldmark's writer makes of source text, as plain text.
	rendered := func(v []byte) string {
		if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, 0) < 0 {
			return string(v)
		}
		buf.Reset()
		ghtml.DefaultWriter.Write(w, v)
		return html.UnescapeString(buf.String())
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		block := n.Type() == ast.TypeBlock
		if !entering {
			if block {
				boundary()
			}
			if _, ok := n.AttributeString("id"); ok && len(anchors) > 0 {
				anchors = anchors[:len(anchors)-1]
			}
			return ast.WalkContinue, nil
		}
		if block {
			boundary()
		}
		// Pushed for every node with an id, popped on leaving it (goldmark's
		// Walk leaves a node even when its children are skipped).
		if id, ok := n.AttributeString("id"); ok {
			s, _ := id.([]byte)
			anchors = append(anchors, string(s))
		}
		switch n.Kind().String() {
		case "FootnoteLink", "FootnoteBacklink", "TaskCheckBox":
			return ast.WalkSkipChildren, nil
		}
		switch v := n.(type) {
		case *ast.Text:
			lastOff = v.Segment.Start
			val := v.Segment.Value(src)
			switch {
			case v.Parent() != nil && v.Parent().Kind() == ast.KindCodeSpan:
				add(string(bytes.ReplaceAll(val, []byte("\n"), []byte(" "))), lastOff)
			case v.IsRaw():
				add(string(val), lastOff)
			default:
				add(rendered(val), lastOff)
			}
			if v.SoftLineBreak() || v.HardLineBreak() {
				add(" ", v.Segment.Stop)
			}
		case *ast.String:
			switch {
			case v.IsCode():
				add(html.UnescapeString(string(v.Value)), lastOff)
			case v.IsRaw():
				add(string(v.Value), lastOff)
			default:
				add(rendered(v.Value), lastOff)
			}
		case *ast.AutoLink:
			add(string(v.Label(src)), lastOff)
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				lastOff = seg.Start
				add(string(seg.Value(src)), seg.Start)
			}
			return ast.WalkSkipChildren, nil
		case *ast.Image, *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	boundary()
	return runs
}
