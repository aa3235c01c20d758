// Package markdown is the Markdown stage: goldmark with GFM, footnotes,
// typographer and heading ids, chroma highlighting through CSS classes, paragraph
// anchors (#p1, #p2, ...) and links between content files rewritten to page URLs.
// Raw HTML is escaped (shown as text) unless the editor opts in, so a stray
// <script> in an article can never run on the site.
package markdown

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/dossier-news/dossier/internal/diag"
)

// LinkResolver maps a link destination written in Markdown (e.g.
// "other-article.md", "../topics/syria.md#history") to a page URL. ok is false
// when the destination names a content file that does not exist, and url is
// then the destination evidently meant, if any, to suggest; handled is false
// when the destination is not a content link at all (external URL, page
// path) and must be left alone.
type LinkResolver func(dest string) (url string, handled, ok bool)

// Doc is one rendered Markdown document.
type Doc struct {
	HTML       []byte
	Paragraphs int // number of #pN anchors
	Links      []Link
	Images     []Image
	Headings   []Heading
	// Text is the rendered text with source lines, when Options.Text asks for it.
	Text []TextRun
	// Refused is set when the source was not rendered at all (a limit on
	// its shape, reported as a problem): the document is empty, and checks
	// of its text (quotes, provenance) have nothing to go on.
	Refused bool
}

// Link is a link found in the document, with its source line.
type Link struct {
	// Dest is the destination as the page has it: rewritten (a content
	// file's page), or "" for a URL the renderer drops (javascript:,
	// data:...; see rendered), which check reports in the editor's words.
	Dest string
	Orig string // as written
	Line int
	// Unresolved: a link to a content file that does not exist, whose
	// problem Render reported (Dest is then Orig).
	Unresolved bool
}

// Image is an image found in the document.
type Image struct {
	Src, Alt string
	Dest     string // Src as the page has it (see Link.Dest)
	Line     int
}

// Heading is a section heading with its generated id.
type Heading struct {
	Level    int
	ID, Text string
}

// Renderer converts Markdown to HTML. It is safe for concurrent use.
type Renderer struct {
	// By raw HTML (escaped, let through) and linkify (on, off): see
	// mayLinkify.
	md [2][2]goldmark.Markdown
}

// New returns a Renderer.
func New() *Renderer {
	r := &Renderer{}
	for u, unsafe := range []bool{false, true} {
		for l, linkify := range []bool{false, true} {
			r.md[u][l] = newGoldmark(unsafe, linkify)
		}
	}
	return r
}

// mayLinkify reports whether GFM's autolinks could change how src renders.
// goldmark's linkify (extension.Linkify, defaults) turns into a link only
// text that starts with "http:", "https:", "ftp:" or "www.", or an address
// with an "@", all matched on the source bytes. It has one other effect: it
// stops the inline parser at every space, which keeps part of a line's
// trailing white space when that is more than one character other than a
// hard break's two spaces ("a \t\n" renders "a \n", "a    \n" "a <br>").
// A text holding none of these renders the same without it
// (FuzzLinkifySkip). It is worth asking: linkify tries every space of the
// text, about 5% of a build's time, for texts (news articles) that rarely
// hold a bare link.
func mayLinkify(src []byte) bool {
	return bytes.IndexByte(src, '@') >= 0 || after(src, ':', "http", "https", "ftp") || after(src, '.', "www") || raggedLineEnd(src)
}

// after reports whether c occurs in src right after one of the words: the
// search runs on c, rare in prose, not on the words' first letters ('h',
// 'w'), which are everywhere.
func after(src []byte, c byte, words ...string) bool {
	for i := 0; ; i++ {
		k := bytes.IndexByte(src[i:], c)
		if k < 0 {
			return false
		}
		i += k
		for _, w := range words {
			if bytes.HasSuffix(src[:i], []byte(w)) {
				return true
			}
		}
	}
}

// raggedLineEnd reports whether a line of src (the last one too) ends in
// white space (spaces, tabs, carriage returns) of more than one character,
// other than two spaces.
func raggedLineEnd(src []byte) bool {
	for end := 0; end <= len(src); end++ {
		if k := bytes.IndexByte(src[end:], '\n'); k >= 0 {
			end += k
		} else {
			end = len(src)
		}
		start := end
		for start > 0 && (src[start-1] == ' ' || src[start-1] == '\t' || src[start-1] == '\r') {
			start--
		}
		if run := src[start:end]; len(run) > 1 && string(run) != "  " {
			return true
		}
	}
	return false
}

func newGoldmark(unsafe, linkify bool) goldmark.Markdown {
	rOpts := []renderer.Option{}
	if unsafe {
		rOpts = append(rOpts, html.WithUnsafe())
	} else {
		rOpts = append(rOpts, renderer.WithNodeRenderers(util.Prioritized(escapedHTML{}, 100)))
	}
	return goldmark.New(
		goldmark.WithExtensions(
			// GFM's extensions, in its order, linkify only when asked.
			gfm(linkify),
			footnotes{},
			extension.Typographer,
			highlighting.NewHighlighting(
				highlighting.WithFormatOptions(chromahtml.WithClasses(true), chromahtml.WithLineNumbers(false)),
			),
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			// After the footnote extension's transformer (999; lower runs
			// first), which moves the footnotes to the end in the order of
			// their numbers and drops those nothing refers to: the text is
			// read as the page shows it.
			parser.WithASTTransformers(util.Prioritized(&anchors{}, 1000)),
		),
		goldmark.WithRendererOptions(rOpts...),
	)
}

// gfm is extension.GFM, without Linkify unless true.
type gfm bool

func (g gfm) Extend(m goldmark.Markdown) {
	if g {
		extension.Linkify.Extend(m)
	}
	// Column alignment is set as a class by the anchors pass (alignCell),
	// not as goldmark's style="text-align:...", which every page's
	// Content-Security-Policy (style-src 'self') blocks.
	extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)).Extend(m)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(tableBox{}, 100)))
	extension.Strikethrough.Extend(m)
	extension.TaskList.Extend(m)
}

// tableBox renders a table as goldmark's table extension does, inside a box
// that scrolls sideways (the stylesheet's .table-wrap), which the keyboard
// reaches and a screen reader names: a table wider than a phone scrolls
// there instead of widening the page.
type tableBox struct{}

func (tableBox) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTable, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString(`<div class="table-wrap" role="region" aria-label="Table" tabindex="0">` + "\n<table")
			if n.Attributes() != nil {
				html.RenderAttributes(w, n, extension.TableAttributeFilter)
			}
			w.WriteString(">\n")
		} else {
			w.WriteString("</table>\n</div>\n")
		}
		return ast.WalkContinue, nil
	})
}

// Options for one Render call.
type Options struct {
	File     string       // source file, for problems
	BodyLine int          // line of the first body line in File
	Unsafe   bool         // let raw HTML through
	Resolve  LinkResolver // may be nil
	// Anchors numbers paragraphs with ids p1, p2, ... (article bodies).
	Anchors bool
	// Text collects the rendered text into Doc.Text (for the provenance check).
	Text bool
	// Into, when set, is the buffer Render writes the HTML into (after
	// resetting it), and Doc.HTML its bytes, valid until the caller
	// reuses it: a build renders article after article into buffers it
	// reuses, instead of growing a new one for each.
	Into *bytes.Buffer
}

var (
	resultKey = parser.NewContextKey()
)

type state struct {
	opts     Options
	src      []byte
	doc      *Doc
	problems diag.List
	// newlines are the offsets of src's newlines, found on the first
	// lineOf: counting them from the start for every link would make a
	// file's cost grow with links × size.
	newlines []int
}

// Render converts src to HTML.
func (r *Renderer) Render(src []byte, opts Options) (*Doc, diag.List) {
	// A file saved with Windows line endings renders as with Unix ones:
	// goldmark's typographer reads "dockers'" before a CR as a closing
	// quote, and before a LF as an apostrophe left straight. Lines are
	// counted the same either way.
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	u, l := 0, 0
	if opts.Unsafe {
		u = 1
	}
	if mayLinkify(src) {
		l = 1
	}
	md := r.md[u][l]
	st := &state{opts: opts, src: src, doc: &Doc{}}
	if ps := checkLimits(src, opts); len(ps) > 0 {
		st.doc.Refused = true
		return st.doc, ps // goldmark would take time quadratic in a block's size
	}
	ctx := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	ctx.Set(resultKey, st)
	buf := opts.Into
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	buf.Grow(len(src) + len(src)/4)
	if err := md.Convert(src, bufferWriter{buf}, parser.WithContext(ctx)); err != nil {
		st.problems.Add(diag.Errorf(opts.File, opts.BodyLine, "cannot render Markdown: %v", err))
	}
	st.doc.HTML = buf.Bytes()
	return st.doc, st.problems
}

// bufferWriter lets goldmark write straight into a bytes.Buffer: given a
// writer that is not a util.BufWriter, it wraps it in a new 4 KB
// bufio.Writer for every document.
type bufferWriter struct{ *bytes.Buffer }

func (bufferWriter) Buffered() int { return 0 }
func (bufferWriter) Flush() error  { return nil }

var _ util.BufWriter = bufferWriter{}

// Inline renders a short Markdown text (an annotation note, a timeline note) as
// phrasing content: paragraphs become <span class="p">. Block elements other
// than paragraphs are reported, since the text is placed inside a paragraph.
func (r *Renderer) Inline(src string, opts Options) (template.HTML, *Doc, diag.List) {
	opts.Anchors = false
	doc, ps := r.Render([]byte(src), opts)
	h := strings.TrimSpace(string(doc.HTML))
	if blockRE.MatchString(h) {
		ps.Add(diag.Errorf(opts.File, opts.BodyLine, "this note may hold only paragraphs and inline Markdown (no lists, headings, quotes, tables or code blocks): it is shown inside the text"))
		h = blockRE.ReplaceAllString(h, "")
	}
	h = strings.ReplaceAll(h, "<p>", `<span class="p">`)
	h = strings.ReplaceAll(h, "</p>", "</span>")
	return template.HTML(h), doc, ps
}

var blockRE = regexp.MustCompile(`</?(?:ul|ol|li|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th|hr|div|section)\b[^>]*>`)

// anchors is the AST pass that numbers paragraphs, rewrites content links and
// records links, images and headings.
type anchors struct{}

func (a *anchors) Transform(node *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(resultKey).(*state)
	if st == nil {
		return
	}
	src := reader.Source()
	n := 0
	_ = ast.Walk(node, func(nd ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := nd.(type) {
		case *ast.Paragraph:
			if st.opts.Anchors && !inFootnote(v) {
				n++
				v.SetAttributeString("id", []byte(fmt.Sprintf("p%d", n)))
			}
		case *ast.ListItem:
			if st.opts.Anchors && !inFootnote(v) {
				if fc := v.FirstChild(); fc != nil && fc.Kind() == ast.KindTextBlock {
					n++
					v.SetAttributeString("id", []byte(fmt.Sprintf("p%d", n)))
				}
			}
		case *ast.Heading:
			if id, ok := v.AttributeString("id"); ok {
				st.doc.Headings = append(st.doc.Headings, Heading{Level: v.Level, ID: string(id.([]byte)), Text: plainText(v, src)})
			}
		case *ast.Link:
			orig := string(v.Destination)
			dest := orig
			line := st.lineOf(v, src)
			unresolved := false
			if st.opts.Resolve != nil {
				if u, handled, ok := st.opts.Resolve(orig); handled {
					switch {
					case !ok && u != "":
						st.problems.Add(diag.Errorf(st.opts.File, line, "link to %q: no such content file: did you mean %q?", orig, u))
						unresolved = true
					case !ok:
						st.problems.Add(diag.Errorf(st.opts.File, line, "link to %q: no such content file; fix the path (e.g. other-article.md or ../topics/syria.md)", orig))
						unresolved = true
					default:
						dest = u
						v.Destination = []byte(u)
					}
				}
			}
			st.doc.Links = append(st.doc.Links, Link{Dest: st.rendered(dest), Orig: orig, Line: line, Unresolved: unresolved})
		case *ast.AutoLink:
			u := string(v.URL(src))
			st.doc.Links = append(st.doc.Links, Link{Dest: st.rendered(u), Orig: u, Line: st.lineOf(v, src)})
		case *ast.Image:
			st.doc.Images = append(st.doc.Images, Image{Src: string(v.Destination), Dest: st.rendered(string(v.Destination)), Alt: plainText(v, src), Line: st.lineOf(v, src)})
		case *east.TableCell:
			alignCell(v)
		}
		return ast.WalkContinue, nil
	})
	st.doc.Paragraphs = n
	if st.opts.Text {
		st.doc.Text = collectText(node, src, st.opts.BodyLine, st.opts.Unsafe)
	}
}

// rendered is a link's or image's destination as goldmark's renderer
// writes it: "" for one it deems dangerous (javascript:, vbscript:, file:,
// data: but images), unless raw HTML is let through. The page's empty
// href then leads back to the Markdown that made it.
func (st *state) rendered(dest string) string {
	if !st.opts.Unsafe && html.IsDangerousURL([]byte(dest)) {
		return ""
	}
	return dest
}

// alignCell gives a table cell of an aligned column (|:-:|) the class the
// stylesheet aligns: align-left, align-center or align-right.
func alignCell(c *east.TableCell) {
	if c.Alignment != east.AlignNone {
		c.SetAttributeString("class", []byte("align-"+c.Alignment.String()))
	}
}

func inFootnote(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Kind().String() == "Footnote" || p.Kind().String() == "FootnoteList" {
			return true
		}
	}
	return false
}

// lineOf returns the file line of an inline or block node: inline nodes take
// the position of their nearest block ancestor's first line plus the newlines
// before them.
func (st *state) lineOf(n ast.Node, src []byte) int {
	offset := -1
	if t, ok := n.(*ast.Text); ok {
		offset = t.Segment.Start
	}
	if offset < 0 {
		for c := n.FirstChild(); c != nil && offset < 0; c = c.FirstChild() {
			if t, ok := c.(*ast.Text); ok {
				offset = t.Segment.Start
			}
		}
	}
	if offset < 0 {
		for p := n; p != nil; p = p.Parent() {
			if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
				offset = p.Lines().At(0).Start
				break
			}
		}
	}
	if offset < 0 {
		return st.opts.BodyLine
	}
	if offset > len(src) {
		offset = len(src)
	}
	if st.newlines == nil {
		st.newlines = make([]int, 0, bytes.Count(src, []byte("\n")))
		for i, c := range src {
			if c == '\n' {
				st.newlines = append(st.newlines, i)
			}
		}
	}
	before, _ := slices.BinarySearch(st.newlines, offset) // the newlines before offset
	return st.opts.BodyLine + before
}

func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// escapedHTML renders raw HTML (blocks and inline tags) as visible, escaped
// text instead of dropping it silently: the editor sees what was written, and
// nothing executes.
type escapedHTML struct{}

func (escapedHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		b := n.(*ast.HTMLBlock)
		_, _ = w.WriteString(`<pre class="raw-html"><code>`)
		for i := 0; i < b.Lines().Len(); i++ {
			seg := b.Lines().At(i)
			_, _ = w.WriteString(template.HTMLEscapeString(string(seg.Value(source))))
		}
		if b.HasClosure() {
			_, _ = w.WriteString(template.HTMLEscapeString(string(b.ClosureLine.Value(source))))
		}
		_, _ = w.WriteString("</code></pre>\n")
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkSkipChildren, nil
		}
		r := n.(*ast.RawHTML)
		for i := 0; i < r.Segments.Len(); i++ {
			seg := r.Segments.At(i)
			_, _ = w.WriteString(template.HTMLEscapeString(string(seg.Value(source))))
		}
		return ast.WalkSkipChildren, nil
	})
}

// HighlightCSS returns the stylesheet for highlighted code: a light theme, and a
// dark one under prefers-color-scheme: dark.
func HighlightCSS() []byte {
	var b bytes.Buffer
	f := chromahtml.New(chromahtml.WithClasses(true))
	_ = f.WriteCSS(&b, styles.Get("github"))
	b.WriteString("\n@media (prefers-color-scheme: dark) {\n")
	_ = f.WriteCSS(&b, styles.Get("github-dark"))
	b.WriteString("}\n")
	return b.Bytes()
}

// ContentLinks returns the resolver for Markdown in file (relative to the
// project folder, e.g. "content/articles/x.md"): a link to another content
// file ("other-article.md#p3", "../topics/syria.md") becomes that page's URL,
// basePath + pages[target] + fragment. pages maps "articles/x.md" to
// "articles/x/". Links that are not to .md files are left alone.
func ContentLinks(pages map[string]string, basePath, file string) LinkResolver {
	return func(dest string) (string, bool, bool) {
		target, ok := ContentTarget(file, dest)
		if !ok {
			return "", false, false
		}
		page, ok := pages[target]
		if !ok {
			return "", true, false
		}
		out := basePath + page
		if _, frag, _ := strings.Cut(dest, "#"); frag != "" {
			out += "#" + frag
		}
		return out, true, true
	}
}

// ContentTarget is the content file ("articles/x.md", "topics/syria.md") a
// link destination written in the Markdown of file names, or ok false when
// the destination is not a link to a content file (an external URL, a page
// path, an anchor, a file that is not Markdown).
func ContentTarget(file, dest string) (target string, ok bool) {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "/") || strings.Contains(dest, ":") {
		return "", false
	}
	p, _, _ := strings.Cut(dest, "#")
	if !strings.HasSuffix(p, ".md") {
		return "", false
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	return path.Clean(path.Join(path.Dir(strings.TrimPrefix(file, "content/")), p)), true
}

// ContentLink is ContentTarget's inverse: how the Markdown of file writes a
// link to the content file target ("articles/x.md"). Content files are
// content/<kind>/x.md, or content/x.yaml, whose links are relative to
// content/.
func ContentLink(file, target string) string {
	switch dir := path.Dir(strings.TrimPrefix(file, "content/")); dir {
	case path.Dir(target):
		return path.Base(target)
	case ".":
		return target
	}
	return "../" + target
}
