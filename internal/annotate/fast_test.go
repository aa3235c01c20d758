package annotate

import (
	"reflect"
	"testing"

	"github.com/dossier-news/dossier/internal/markdown"
)

// markdownSeeds are Markdown an editor writes, with what makes text
// rendering tricky: entities, escapes, typography, code, footnotes,
// nested lists, raw HTML (escaped unless unsafe), dashes next to tags.
var markdownSeeds = []string{
	"“We need to go beyond military shield,” Tzipi Livni argued. \n\nSecond *paragraph* with **bold**, `code` and a [link](https://example.org \"t\").\n",
	"- one\n- two with *em*\n  - nested\n- three\n\n1. first\n2. second\n",
	"> quoted\n> text\n\n## P1\n\nText after a heading whose id looks like a paragraph's.\n",
	"A footnote[^1] and &amp; &copy; &#169; \\* escaped.\n\n[^1]: The note.\n",
	"Dashes -- and --- and a-*-b*-c and ---*-*--.\n\nLine  \nbreak and soft\nbreak.\n",
	"Raw <b>html</b> and <!-- comment --> here.\n\n<div>block</div>\n",
	"```go\nfunc main() { fmt.Println(\"<>\") }\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
	"- [ ] task\n- [x] done\n\n![alt *text*](img.png) after image\n",
	"www.example.com and https://example.org/a?b=c&d=e and mail@example.org\n",
	"Soft\u00ad\u200bhyphen and\u00a0nbsp and tab\there.\n\n\u2014*\u2014em*\u2013\n",
}

// FuzzParagraphsFast holds paragraphsFast to the scan: on what the
// Markdown renderer makes of any text (safe and unsafe), and on any HTML,
// it gives the scan's paragraphs or declines.
func FuzzParagraphsFast(f *testing.F) {
	for _, s := range markdownSeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Add(article, true)
	md := markdown.New()
	f.Fuzz(func(t *testing.T, src string, asHTML bool) {
		html := []byte(src)
		if !asHTML {
			doc, _ := md.Render([]byte(src), markdown.Options{Anchors: true})
			html = doc.HTML
		}
		fast, ok := paragraphsFast(html)
		if !ok {
			return
		}
		if want := paragraphsScanned(html); !reflect.DeepEqual(fast, want) {
			t.Fatalf("paragraphsFast(%q)\n= %q\nscan %q", html, fast, want)
		}
	})
}

// TestParagraphsFastTakesRenderedMarkdown checks that the fast path is the
// one Paragraphs takes on what the Markdown renderer makes (safe), with
// notes anchored and entities linked, and that it declines HTML it does
// not read as the tokenizer does.
func TestParagraphsFastTakesRenderedMarkdown(t *testing.T) {
	md := markdown.New()
	for _, s := range markdownSeeds {
		doc, _ := md.Render([]byte(s), markdown.Options{Anchors: true})
		if _, ok := paragraphsFast(doc.HTML); !ok && !hasMergedDash(s) {
			t.Errorf("paragraphsFast declined the rendering of %q:\n%s", s, doc.HTML)
		}
	}
	anchored, _, ps := Anchor("a.md", []byte(article), []Note{{ID: "a1", Quote: "Russian President Vladimir Putin", Kind: "context"}})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	linked, _ := NewLinker([]Entity{{Slug: "john-kerry", Names: []string{"John Kerry", "Kerry"}, URL: "/entities/john-kerry/"}}).Link(anchored)
	fast, ok := paragraphsFast(linked)
	if !ok {
		t.Fatalf("paragraphsFast declined an anchored and linked article:\n%s", linked)
	}
	if want := paragraphsScanned([]byte(article)); !reflect.DeepEqual(fast, want) {
		t.Errorf("marks and entity links changed the paragraphs:\n%q\nwant %q", fast, want)
	}
	for _, h := range []string{
		`<p id="p1">a < b</p>`,                      // a bare '<'
		`<p id="p1">a <custom-el>b</custom-el></p>`, // unknown element
		`<p id=p1>unquoted</p>`,
		`<p id="p&#49;">a reference in an attribute</p>`,
		`<p id="p1"><script>x</script></p>`, // raw text
		`<p id="p1"><em>misnested</p></em>`,
		`<p id="p1">unclosed`,
		`<P ID="p1">upper case</P>`,
		`<p id="p1">a-<em>-b</em></p>`, // the scan loses the second dash
		`<p id="p1">a <!-- b --!> c --> d</p>`,
		`<p id id="p1">duplicate</p>`,
		`<p id = "p1">spaces around =</p>`,
		`<p id="p1">a</p><?php x ?>`,
		"<p id=\"p1\">\xff</p>",
	} {
		if out, ok := paragraphsFast([]byte(h)); ok {
			t.Errorf("paragraphsFast(%q) = %q, want it to decline", h, out)
		}
	}
}

// hasMergedDash: a seed with a dash right after a tag that follows a dash,
// which the fast path leaves to the scan.
func hasMergedDash(s string) bool { return s == markdownSeeds[4] || s == markdownSeeds[9] }

// ReadParagraphs lends what Paragraphs gives, by the fast path and by the
// scan alike; Paragraphs' own result is no view of the lent buffer: it is
// intact after other texts were read into that buffer.
func TestReadParagraphsEqualsParagraphs(t *testing.T) {
	md := markdown.New()
	var htmls [][]byte
	for _, s := range markdownSeeds {
		doc, _ := md.Render([]byte(s), markdown.Options{Anchors: true})
		htmls = append(htmls, doc.HTML)
	}
	htmls = append(htmls, []byte(article), []byte(`<p id="p1">a < b, which the scan reads</p>`))
	kept := make([][]Paragraph, len(htmls))
	want := make([][]Paragraph, len(htmls))
	for i, h := range htmls {
		want[i] = paragraphsScanned(h)
		kept[i] = Paragraphs(h)
		var lent []Paragraph
		ReadParagraphs(h, func(ps []Paragraph) {
			lent = ps
			if !reflect.DeepEqual(ps, want[i]) {
				t.Errorf("ReadParagraphs(%.80q) lent %q, want %q", h, ps, want[i])
			}
		})
		if lent == nil && len(want[i]) > 0 {
			t.Errorf("ReadParagraphs(%.80q) never called read", h)
		}
	}
	for i, h := range htmls {
		if !reflect.DeepEqual(kept[i], want[i]) {
			t.Errorf("Paragraphs(%.80q) changed after other reads: %q", h, kept[i])
		}
	}
}
