package markdown

// Footnotes: goldmark's extension.Footnote (v1.8.7, MIT License, Copyright
// (c) 2019 Yusuke Inuzuka), with its HTML renderer and AST, but with two
// steps that were quadratic in the number of footnotes made linear: each
// reference looked its definition up by walking the list of definitions
// (and walked all of it for a reference to nothing), and the definitions
// were put in the order of their numbers by insertion sort. An article of
// 40,000 footnotes (1.6 MB) took 12 s. Output is goldmark's, byte for byte.

import (
	"slices"
	"sync/atomic"

	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

var (
	footnoteListKey     = parser.NewContextKey()
	footnoteLinkListKey = parser.NewContextKey()
	footnoteIndexKey    = parser.NewContextKey()
)

// footnoteLabelLimit is the longest footnote label, as CommonMark's link labels.
const footnoteLabelLimit = 999

// footnotes is extension.Footnote with the parsers and transformer below.
type footnotes struct {
	// work, when set, counts each definition looked at to resolve a
	// reference or to sort the list (tests count work with it, not time).
	work *atomic.Int64
}

func (f footnotes) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(util.Prioritized(footnoteBlockParser{}, 999)),
		parser.WithInlineParsers(util.Prioritized(footnoteParser{f.work}, 101)),
		parser.WithASTTransformers(util.Prioritized(footnoteTransformer{f.work}, 999)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(extension.NewFootnoteHTMLRenderer(), 500),
	))
}

type footnoteBlockParser struct{}

func (footnoteBlockParser) Trigger() []byte { return []byte{'['} }

func (footnoteBlockParser) Open(parent gast.Node, reader text.Reader, pc parser.Context) (gast.Node, parser.State) {
	line, segment := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || line[pos] != '[' {
		return nil, parser.NoChildren
	}
	pos++
	if pos > len(line)-1 || line[pos] != '^' {
		return nil, parser.NoChildren
	}
	open := pos + 1
	labelBytes := line[pos+1 : min(len(line), pos+1+footnoteLabelLimit)]
	closure := util.FindClosure(labelBytes, '[', ']', false, false) //nolint:staticcheck
	closes := pos + 1 + closure
	next := closes + 1
	if closure < 0 || next >= len(line) || line[next] != ':' {
		return nil, parser.NoChildren
	}
	padding := segment.Padding
	label := reader.Value(text.NewSegment(segment.Start+open-padding, segment.Start+closes-padding))
	if util.IsBlank(label) {
		return nil, parser.NoChildren
	}
	item := ast.NewFootnote(label)
	pos = next + 1 - padding
	if pos >= len(line) {
		reader.Advance(pos)
		return item, parser.NoChildren
	}
	reader.AdvanceAndSetPadding(pos, padding)
	return item, parser.HasChildren
}

func (footnoteBlockParser) Continue(node gast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	if util.IsBlank(line) {
		return parser.Continue | parser.HasChildren
	}
	childpos, padding := util.IndentPosition(line, reader.LineOffset(), 4)
	if childpos < 0 {
		return parser.Close
	}
	reader.AdvanceAndSetPadding(childpos, padding)
	return parser.Continue | parser.HasChildren
}

func (footnoteBlockParser) Close(node gast.Node, reader text.Reader, pc parser.Context) {
	var list *ast.FootnoteList
	if tlist := pc.Get(footnoteListKey); tlist != nil {
		list = tlist.(*ast.FootnoteList)
	} else {
		list = ast.NewFootnoteList()
		pc.Set(footnoteListKey, list)
		node.Parent().InsertBefore(node.Parent(), node, list)
	}
	node.Parent().RemoveChild(node.Parent(), node)
	list.AppendChild(list, node)
}

func (footnoteBlockParser) CanInterruptParagraph() bool { return true }

func (footnoteBlockParser) CanAcceptIndentedLine() bool { return false }

// footnoteIndex maps each label to its first definition in list, as the
// walk of the list found it; made again when the list has grown.
type footnoteIndex struct {
	list  *ast.FootnoteList
	count int
	first map[string]*ast.Footnote
	work  *atomic.Int64 // see footnotes
}

func (x *footnoteIndex) lookup(list *ast.FootnoteList, label []byte) *ast.Footnote {
	if x.list != list || x.count != list.ChildCount() {
		x.list, x.count = list, list.ChildCount()
		x.first = make(map[string]*ast.Footnote, x.count)
		for def := list.FirstChild(); def != nil; def = def.NextSibling() {
			if x.work != nil {
				x.work.Add(1)
			}
			d := def.(*ast.Footnote)
			if _, ok := x.first[string(d.Ref)]; !ok {
				x.first[string(d.Ref)] = d
			}
		}
	}
	if x.work != nil {
		x.work.Add(1)
	}
	return x.first[string(label)]
}

type footnoteParser struct{ work *atomic.Int64 }

// Trigger includes '!': the footnote syntax may follow an image's '!'.
func (p footnoteParser) Trigger() []byte { return []byte{'!', '['} }

func (p footnoteParser) Parse(parent gast.Node, block text.Reader, pc parser.Context) gast.Node {
	line, segment := block.PeekLine()
	pos := 1
	if len(line) > 0 && line[0] == '!' {
		pos++
	}
	if pos >= len(line) || line[pos] != '^' {
		return nil
	}
	pos++
	if pos >= len(line) {
		return nil
	}
	open := pos
	labelBytes := line[pos:min(len(line), pos+footnoteLabelLimit)]
	closure := util.FindClosure(labelBytes, '[', ']', false, false) //nolint:staticcheck
	if closure < 0 {
		return nil
	}
	closes := pos + closure
	value := block.Value(text.NewSegment(segment.Start+open, segment.Start+closes))
	block.Advance(closes + 1)

	var list *ast.FootnoteList
	if tlist := pc.Get(footnoteListKey); tlist != nil {
		list = tlist.(*ast.FootnoteList)
	}
	if list == nil {
		return nil
	}
	x, _ := pc.Get(footnoteIndexKey).(*footnoteIndex)
	if x == nil {
		x = &footnoteIndex{work: p.work}
		pc.Set(footnoteIndexKey, x)
	}
	index := 0
	if d := x.lookup(list, value); d != nil {
		if d.Index < 0 {
			list.Count++
			d.Index = list.Count
		}
		index = d.Index
	}
	if index == 0 {
		return nil
	}

	fnlink := ast.NewFootnoteLink(index)
	fnlist, _ := pc.Get(footnoteLinkListKey).([]*ast.FootnoteLink)
	pc.Set(footnoteLinkListKey, append(fnlist, fnlink))
	if line[0] == '!' {
		parent.AppendChild(parent, gast.NewTextSegment(text.NewSegment(segment.Start, segment.Start+1)))
	}
	return fnlink
}

type footnoteTransformer struct{ work *atomic.Int64 }

func (t footnoteTransformer) Transform(node *gast.Document, reader text.Reader, pc parser.Context) {
	var list *ast.FootnoteList
	if tmp := pc.Get(footnoteListKey); tmp != nil {
		list = tmp.(*ast.FootnoteList)
	}
	fnlist, _ := pc.Get(footnoteLinkListKey).([]*ast.FootnoteLink)
	pc.Set(footnoteListKey, nil)
	pc.Set(footnoteLinkListKey, nil)
	pc.Set(footnoteIndexKey, nil)
	if list == nil {
		return
	}

	counter := map[int]int{}
	for _, fnlink := range fnlist {
		if fnlink.Index >= 0 {
			counter[fnlink.Index]++
		}
	}
	refCounter := map[int]int{}
	for _, fnlink := range fnlist {
		fnlink.RefCount = counter[fnlink.Index]
		fnlink.RefIndex = refCounter[fnlink.Index]
		refCounter[fnlink.Index]++
	}
	var kept []*ast.Footnote
	for footnote := list.FirstChild(); footnote != nil; {
		var container gast.Node = footnote
		next := footnote.NextSibling()
		if fc := container.LastChild(); fc != nil && gast.IsParagraph(fc) {
			container = fc
		}
		fn := footnote.(*ast.Footnote)
		index := fn.Index
		if index < 0 {
			list.RemoveChild(list, footnote)
		} else {
			kept = append(kept, fn)
			refCount := counter[index]
			for i := range max(refCount, 1) {
				backLink := ast.NewFootnoteBacklink(index)
				backLink.RefCount = refCount
				backLink.RefIndex = i
				container.AppendChild(container, backLink)
			}
		}
		footnote = next
	}
	// In the order of their numbers, which are distinct (goldmark sorts
	// the list by insertion, quadratic in its length).
	slices.SortFunc(kept, func(a, b *ast.Footnote) int {
		if t.work != nil {
			t.work.Add(1)
		}
		return a.Index - b.Index
	})
	for _, fn := range kept {
		list.RemoveChild(list, fn)
	}
	for _, fn := range kept {
		list.AppendChild(list, fn)
	}
	if list.Count <= 0 {
		list.Parent().RemoveChild(list.Parent(), list)
		return
	}
	node.AppendChild(node, list)
}
