package markdown

import (
	"bytes"
	"strings"
	"testing"
)

func TestRawHTMLEscapedByDefault(t *testing.T) {
	r := New()
	src := "Hello <script>alert(1)</script> world.\n\n<div onclick=\"x()\">block</div>\n"
	doc, ps := r.Render([]byte(src), Options{File: "a.md", BodyLine: 1})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	h := string(doc.HTML)
	if strings.Contains(h, "<script") || strings.Contains(h, "<div") {
		t.Errorf("raw HTML came through:\n%s", h)
	}
	if !strings.Contains(h, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(h, "&lt;div onclick=") {
		t.Errorf("raw HTML not shown escaped:\n%s", h)
	}
	doc, _ = r.Render([]byte(src), Options{Unsafe: true})
	if !strings.Contains(string(doc.HTML), "<script>alert(1)</script>") {
		t.Errorf("opt-in raw HTML was escaped:\n%s", doc.HTML)
	}
}

// Options.Into: the HTML is written into the caller's buffer, whatever it
// held, and is the same as Render's own.
func TestRenderInto(t *testing.T) {
	r := New()
	srcs := []string{
		"# A\n\nOne *two* three.\n\n- x\n- y\n",
		strings.Repeat("A long paragraph of words, to grow the buffer past its first size. ", 400) + "\n",
		"",
	}
	into := bytes.NewBufferString("left over from the last article <p>")
	for _, src := range srcs {
		want, _ := r.Render([]byte(src), Options{Anchors: true})
		got, _ := r.Render([]byte(src), Options{Anchors: true, Into: into})
		if !bytes.Equal(got.HTML, want.HTML) {
			t.Errorf("%.20q: into a used buffer:\n%s\nwant\n%s", src, got.HTML, want.HTML)
		}
		if !bytes.Equal(into.Bytes(), got.HTML) {
			t.Errorf("%.20q: Doc.HTML is not the buffer's bytes", src)
		}
	}
}

func TestParagraphAnchorsAndFeatures(t *testing.T) {
	r := New()
	src := "# Title\n\nFirst \"quoted\" -- para.\n\n- one\n- two\n\n> quoted para\n\nText[^1].\n\n[^1]: A footnote.\n\n```go\nfunc main() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
	doc, ps := r.Render([]byte(src), Options{File: "a.md", BodyLine: 5, Anchors: true})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	h := string(doc.HTML)
	for _, want := range []string{
		`<h1 id="title-1">Title</h1>`, // "title" is the page's own h1
		`<p id="p1">First &ldquo;quoted&rdquo; &ndash; para.</p>`,
		`<li id="p2">one</li>`,
		`<li id="p3">two</li>`,
		`<p id="p4">quoted para</p>`,
		`<p id="p5">Text<sup id="fnref:1">`,
		`class="chroma"`,
		`<table>`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("missing %s in\n%s", want, h)
		}
	}
	if strings.Contains(h, `id="p6"`) {
		t.Errorf("footnote paragraph was numbered:\n%s", h)
	}
	if doc.Paragraphs != 5 {
		t.Errorf("Paragraphs = %d, want 5", doc.Paragraphs)
	}
}

func TestContentLinksRewritten(t *testing.T) {
	r := New()
	resolve := func(dest string) (string, bool, bool) {
		switch dest {
		case "other.md":
			return "/dossier/articles/other/", true, true
		case "missing.md":
			return "", true, false
		}
		return "", false, false
	}
	src := "See [other](other.md) and\n[gone](missing.md) and [web](https://example.com/).\n"
	doc, ps := r.Render([]byte(src), Options{File: "content/articles/a.md", BodyLine: 10, Resolve: resolve})
	if !strings.Contains(string(doc.HTML), `href="/dossier/articles/other/"`) {
		t.Errorf("link not rewritten:\n%s", doc.HTML)
	}
	if !strings.Contains(string(doc.HTML), `href="https://example.com/"`) {
		t.Errorf("external link changed:\n%s", doc.HTML)
	}
	if len(ps) != 1 || ps[0].Line != 11 || !strings.Contains(ps[0].Msg, "missing.md") {
		t.Errorf("problems = %v, want one at line 11 about missing.md", ps)
	}
}

func TestInlineNotes(t *testing.T) {
	r := New()
	h, _, ps := r.Inline("One *two*.\n\nThree.", Options{File: "a.md", BodyLine: 3})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if string(h) != `<span class="p">One <em>two</em>.</span>`+"\n"+`<span class="p">Three.</span>` {
		t.Errorf("Inline = %q", h)
	}
	if _, _, ps := r.Inline("- a list", Options{File: "a.md", BodyLine: 3}); len(ps) != 1 || ps[0].Line != 3 {
		t.Errorf("block content in a note not reported: %v", ps)
	}
}

// A table's column alignment is a class the stylesheet aligns, never a
// style attribute: every page's Content-Security-Policy (style-src 'self')
// blocks inline styles, so goldmark's default style="text-align:..." was
// refused by the browser, which reported a violation and left every column
// aligned left.
func TestTableAlignmentIsAClass(t *testing.T) {
	r := New()
	src := "| L | C | R | N |\n|:--|:-:|--:|---|\n| a | b | c | d |\n"
	for _, unsafe := range []bool{false, true} {
		doc, ps := r.Render([]byte(src), Options{File: "a.md", BodyLine: 1, Unsafe: unsafe})
		if len(ps) > 0 {
			t.Fatal(ps)
		}
		h := string(doc.HTML)
		if strings.Contains(h, "style=") || strings.Contains(h, "align=") {
			t.Errorf("unsafe %v: alignment as a style or align attribute:\n%s", unsafe, h)
		}
		// In a box that scrolls sideways, which the keyboard reaches (found
		// by hostile testing: a wide table widened a phone's page).
		if !strings.HasPrefix(h, `<div class="table-wrap" role="region" aria-label="Table" tabindex="0">`+"\n<table>\n") || !strings.HasSuffix(h, "</table>\n</div>\n") {
			t.Errorf("unsafe %v: the table is not in a .table-wrap box:\n%s", unsafe, h)
		}
		for _, want := range []string{`<th class="align-left">L</th>`, `<th class="align-center">C</th>`, `<th class="align-right">R</th>`, `<th>N</th>`,
			`<td class="align-left">a</td>`, `<td class="align-center">b</td>`, `<td class="align-right">c</td>`, `<td>d</td>`} {
			if !strings.Contains(h, want) {
				t.Errorf("unsafe %v: no %s in\n%s", unsafe, want, h)
			}
		}
	}
}
