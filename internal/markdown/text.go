package markdown

import (
	"bytes"
	"html"
	"sort"
	"strconv"

	"github.com/yuin/goldmark/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
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
// the text: footnote reference numbers and back links. An image's alt text,
// which a reader who does not see the image hears or sees in its place, and
// a link's or image's title, shown over it, are words where they stand:
// left out, they let a rendition carry words its original does not have
// and still be called word for word. An ordered list's item numbers, which the browser shows, are text. Raw HTML is words as the reader sees it: escaped (unsafe false), it
// is shown as written, tags and all; let through, its tags are not words but
// the text of an HTML block is (see htmlText).
func collectText(doc ast.Node, src []byte, bodyLine int, unsafe bool) []TextRun {
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
		items   = map[*ast.List]int{} // items of an ordered list so far
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
			// A title is shown over its link or image, after its text.
			switch v := n.(type) {
			case *ast.Link:
				if len(v.Title) > 0 {
					add(" "+rendered(v.Title)+" ", lastOff)
				}
			case *ast.Image:
				add(" "+rendered(v.Title)+" ", lastOff)
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
		case *ast.RawHTML:
			if !unsafe {
				for i := 0; i < v.Segments.Len(); i++ {
					seg := v.Segments.At(i)
					lastOff = seg.Start
					add(string(seg.Value(src)), seg.Start)
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			segs := make([]text.Segment, 0, v.Lines().Len()+1)
			for i := 0; i < v.Lines().Len(); i++ {
				segs = append(segs, v.Lines().At(i))
			}
			if v.HasClosure() {
				segs = append(segs, v.ClosureLine)
			}
			if unsafe {
				htmlText(segs, src, add)
			} else {
				for _, seg := range segs {
					lastOff = seg.Start
					add(string(seg.Value(src)), seg.Start)
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Image:
			// Its alt text, the words read or shown in its place.
			add(" ", lastOff)
		case *ast.ListItem:
			// The browser numbers an ordered list's items "1.", "2.", ...
			// from its start, whatever the Markdown marker ("1)").
			if l, ok := v.Parent().(*ast.List); ok && l.IsOrdered() {
				if fc := v.FirstChild(); fc != nil && fc.Lines().Len() > 0 {
					lastOff = fc.Lines().At(0).Start
				}
				add(strconv.Itoa(l.Start+items[l])+". ", lastOff)
				items[l]++
			}
		}
		return ast.WalkContinue, nil
	})
	boundary()
	return runs
}

// htmlText adds the text a browser shows of an HTML block let through as it
// is (segs, its lines in src): the text between its tags, entities resolved,
// with a space for each tag that starts or ends a block or a line, and none of
// its comments, scripts, styles and templates.
func htmlText(segs []text.Segment, src []byte, add func(s string, off int)) {
	var joined []byte
	starts := make([]int, 0, len(segs)) // joined offset of each segment
	for _, seg := range segs {
		starts = append(starts, len(joined))
		joined = append(joined, seg.Value(src)...)
	}
	srcOff := func(off int) int {
		i := sort.SearchInts(starts, off+1) - 1
		if i < 0 {
			i = 0
		}
		return segs[i].Start + off - starts[i]
	}
	z := xhtml.NewTokenizer(bytes.NewReader(joined))
	off, hidden := 0, 0
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return
		}
		raw := len(z.Raw())
		switch tt {
		case xhtml.TextToken:
			if hidden == 0 {
				add(html.UnescapeString(string(z.Raw())), srcOff(off))
			}
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); a {
			case atom.Script, atom.Style, atom.Template:
				if tt == xhtml.StartTagToken {
					hidden++
				} else if tt == xhtml.EndTagToken && hidden > 0 {
					hidden--
				}
			default:
				if hidden == 0 && !inlineElement[a] {
					add(" ", srcOff(off))
				}
			}
		}
		off += raw
	}
}

// inlineElement are the HTML elements that do not break the text into
// words: "Ker<b>ry</b>" is one word.
var inlineElement = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Cite: true, atom.Code: true, atom.Data: true, atom.Dfn: true, atom.Em: true,
	atom.I: true, atom.Kbd: true, atom.Mark: true, atom.Q: true, atom.S: true,
	atom.Samp: true, atom.Small: true, atom.Span: true, atom.Strong: true, atom.Sub: true,
	atom.Sup: true, atom.Time: true, atom.U: true, atom.Var: true, atom.Del: true,
	atom.Ins: true, atom.Font: true, atom.Strike: true, atom.Tt: true, atom.Big: true,
	atom.Label: true, atom.Wbr: true,
}
