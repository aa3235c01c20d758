package annotate

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/dossier-news/dossier/internal/diag"
)

// article is rendered the way the markdown stage renders (goldmark with
// typographer and paragraph ids), with a few hand-made extras.
const article = `<h1 id="kerry-in-moscow">Kerry in Moscow</h1>
<p id="p1">US Secretary of State John Kerry is visiting Moscow, the capital of Russia, for a two&ndash;day formal visit.</p>
<p id="p2">Kerry will hold talks with Russian President Vladimir Putin and his Russian counterpart <em>Sergei Lavrov</em> respectively.</p>
<p id="p3">That plan, agreed to in <a href="https://example.org/geneva">Geneva, was aimed</a> at resolving through talks among all sides a civil war that has cost more than 70,000 lives, but it left open the question of Syrian President Bashar al-Assad&rsquo;s exact fate.</p>
<blockquote>
<p id="p4">&ldquo;We have their formal commitment,&rdquo; Kerry said &ndash; adding that &ldquo;we need to go beyond&rdquo;&hellip;</p>
</blockquote>
<p id="p5">The war cost more than 70,000 lives, officials claimed. Kerry’s aides said “no comment” about it.</p>
<ul>
<li>Missile defence and <strong>the naval base</strong> in Tartus</li>
<li>Adoptions</li>
</ul>
<p id="p6">Moscow has a veto<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup> on the council.<br>
A second line.</p>
<pre><code>Kerry in code &amp; more
</code></pre>
`

// checkWellFormed fails unless every end tag closes the element opened last:
// stricter than html.Parse, which repairs anything.
func checkWellFormed(t *testing.T, b []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(b))
	var stack []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatalf("tokenizer: %v", z.Err())
			}
			if len(stack) > 0 {
				t.Errorf("unclosed elements %v in\n%s", stack, b)
			}
			return
		case html.StartTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "br", "img", "input", "hr", "wbr", "meta", "link":
			default:
				stack = append(stack, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(stack) == 0 || stack[len(stack)-1] != string(name) {
				t.Fatalf("misnested </%s> with %v open in\n%s", name, stack, b)
			}
			stack = stack[:len(stack)-1]
		}
	}
}

func parse(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// markedText returns the text inside the <mark>s of note id, in document
// order, without any note apparatus nested in them, and how many marks it has.
func markedText(t *testing.T, b []byte, id string) (string, int) {
	t.Helper()
	var sb strings.Builder
	marks := 0
	var text func(*html.Node)
	text = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (hasClass(attr(c, "class"), "note") || hasClass(attr(c, "class"), "note-ref")) {
				continue
			}
			text(c)
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "mark" && attr(n, "data-note") == id {
			marks++
			text(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(parse(t, b))
	return sb.String(), marks
}

// find returns the first element satisfying ok.
func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, ok); f != nil {
			return f
		}
	}
	return nil
}

func byID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, "id") == id }
}

func textOf(n *html.Node) string {
	var sb strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return sb.String()
}

// anchorNotes is Anchor followed by PlaceNotes with the default markup, as
// the build does.
func anchorNotes(file string, src []byte, notes []Note) ([]byte, []Placement, diag.List) {
	out, places, probs := Anchor(file, src, notes)
	out, err := PlaceNotes(out, notes, func(n *Note) (string, error) { return noteMarkup(n.ID, n), nil })
	if err != nil {
		panic(err)
	}
	return out, places, probs
}

// noteMarkup is the default template's margin note markup, for tests of
// the anchoring (the build renders templates/partials.html's "note").
func noteMarkup(id string, n *Note) string {
	num := strconv.Itoa(n.Number)
	name := "Note " + num
	if n.Label != "" {
		name += ", " + n.Label
	}
	eid, ename := html.EscapeString(id), html.EscapeString(name)
	var b strings.Builder
	b.WriteString(`<sup class="note-ref" aria-hidden="true"><label for="`)
	b.WriteString(eid)
	b.WriteString(`-t" class="note-toggle-label">`)
	b.WriteString(num)
	b.WriteString(`</label></sup><input type="checkbox" id="`)
	b.WriteString(eid)
	b.WriteString(`-t" class="note-toggle" aria-label="`)
	b.WriteString(ename)
	b.WriteString(`" aria-controls="`)
	b.WriteString(eid)
	b.WriteString(`-n"><span class="note note-`)
	b.WriteString(classToken(n.Kind))
	b.WriteString(`" id="`)
	b.WriteString(eid)
	b.WriteString(`-n" role="note" aria-label="`)
	b.WriteString(ename)
	b.WriteString(`"><span class="note-num">`)
	b.WriteString(num)
	b.WriteString(`</span> `)
	if n.Label != "" {
		b.WriteString(`<span class="note-kind">`)
		b.WriteString(html.EscapeString(n.Label))
		b.WriteString(`</span> `)
	}
	b.WriteString(string(n.HTML))
	b.WriteString(`</span>`)
	return b.String()
}
