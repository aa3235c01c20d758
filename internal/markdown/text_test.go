package markdown

import (
	"reflect"
	"strings"
	"testing"
)

// The rendered text is what a reader sees: escapes and entities resolved,
// typographer substitutions made, markup gone, an image's alt text in its
// place, raw HTML shown escaped as written;
// every run carries its source line and the anchor of its block.
func TestText(t *testing.T) {
	src := "First *para* with \\-\\- dashes &amp; \"quotes\" -- and\na second line.\n\n" +
		"## A heading\n\n- item `code span`\n- ![alt text](x.png) <b>raw</b> tail\n\n" +
		"| a | b |\n|---|---|\n| c | <https://example.org> |\n\n" +
		"Footnote[^1].\n\n[^1]: The note.\n"
	doc, _ := New().Render([]byte(src), Options{File: "a.md", BodyLine: 10, Anchors: true, Text: true})
	var b strings.Builder
	for _, r := range doc.Text {
		b.WriteString(r.Text)
	}
	got := b.String()
	want := "First para with -- dashes & “quotes” – and a second line.\nA heading\nitem code span\nalt text <b>raw</b> tail\na\nb\nc\nhttps://example.org\nFootnote.\nThe note.\n"
	if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(want), " ") {
		t.Errorf("text:\n%q\nwant\n%q", got, want)
	}
	find := func(s string) (int, string) {
		for _, r := range doc.Text {
			if strings.Contains(r.Text, s) {
				return r.Line, r.Anchor
			}
		}
		return 0, ""
	}
	for _, tc := range []struct {
		text   string
		line   int
		anchor string
	}{
		{"First", 10, "p1"},
		{"a second line", 11, "p1"},
		{"heading", 13, "a-heading"},
		{"code span", 15, "p2"},
		{"tail", 16, "p3"},
		{"https://example.org", 20, ""},
		{"Footnote", 22, "p4"},
		{"The note", 24, ""},
	} {
		if line, anchor := find(tc.text); line != tc.line || anchor != tc.anchor {
			t.Errorf("run %q: line %d anchor %q, want %d %q", tc.text, line, anchor, tc.line, tc.anchor)
		}
	}
}

// An image's alt text and a link's or image's title are words a reader gets
// (in place of the image, over the link): left out, a rendition could add
// "![Putin admitted it](x.png)" and be word for word (found by hostile
// testing).
func TestTextAltAndTitles(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"alt text", "Kerry ![Putin *admitted* it](x.png) said.\n", "Kerry Putin admitted it said."},
		{"image title", "Kerry ![](x.png \"a photo\") said.\n", "Kerry a photo said."},
		{"link title", "[Kerry](https://x.example/ \"who took \\\"bribes\\\"\") said.\n", `Kerry who took "bribes" said.`},
		{"link without title", "[Kerry](https://x.example/) said.\n", "Kerry said."},
		{"reference link title", "[Kerry][k] said.\n\n[k]: https://x.example/ 'the envoy &amp; more'\n", "Kerry the envoy & more said."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantText(t, tc.src, false, tc.want)
		})
	}
}

// Raw HTML is text a reader sees unless the editor lets it through: escaped
// (the default), its tags and everything between them are shown as written,
// so they are words of the text; let through (rawHTML: true), the text of an
// HTML block is shown and is words too, while tags, comments, scripts and
// styles are not. Leaving either out let a rendition carry a paragraph its
// original does not have and still be called word for word (found by
// hostile testing).
func TestTextRawHTML(t *testing.T) {
	for _, tc := range []struct {
		name   string
		src    string
		unsafe bool
		want   string
	}{
		{"escaped inline", "Kerry <b>said</b> it.\n", false, "Kerry <b>said</b> it."},
		{"escaped comment", "Kerry <!-- invented --> said it.\n", false, "Kerry <!-- invented --> said it."},
		{"escaped block", "<p>Invented paragraph.</p>\n\nKerry said it.\n", false, "<p>Invented paragraph.</p>\nKerry said it."},
		{"escaped block lines", "<div>\nInvented line.\n</div>\n", false, "<div>\nInvented line.\n</div>"},
		{"raw inline", "Kerry <b>said</b> it.\n", true, "Kerry said it."},
		{"raw comment", "Kerry <!-- hidden --> said it.\n", true, "Kerry said it."},
		{"raw block", "<p>Invented &amp; paragraph.</p>\n\nKerry said it.\n", true, "Invented & paragraph.\nKerry said it."},
		{"raw block lines", "<div>\nInvented <b>li</b>ne.\n</div>\n", true, "Invented line."},
		{"raw block elements", "<p>one</p><p>two</p>\n", true, "one two"},
		{"raw script and style", "<script>var invisible = 1;</script>\n\n<style>p { color: red }</style>\n\nKerry.\n", true, "Kerry."},
		{"raw comment block", "<!--\nhidden\n-->\n\nKerry.\n", true, "Kerry."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantText(t, tc.src, tc.unsafe, tc.want)
		})
	}
}

// Footnotes are text where the page shows them: at the end, in the order of
// their numbers, wherever their definitions are written; a definition that
// nothing refers to is not shown and is no text. Read where it was written,
// a definition in the middle made a true rendition fail its original, and an
// unreferenced one let a passage vanish from the page while the rendition
// still counted as word for word (found by hostile testing).
func TestTextFootnotes(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"defined in the middle", "One.[^a]\n\n[^a]: The note.\n\nTwo.\n", "One.\nTwo.\nThe note."},
		{"in the order of their numbers", "One.[^b] Two.[^a]\n\n[^a]: Note a.\n\n[^b]: Note b.\n", "One. Two.\nNote b.\nNote a."},
		{"never referred to", "One.\n\n[^x]: A passage the page does not show.\n\nTwo.\n", "One.\nTwo."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantText(t, tc.src, false, tc.want)
		})
	}
}

// An ordered list's numbers are text a reader sees ("1.", "2.", from its
// start), so a rendition that writes the original's numbered lines as a
// Markdown list matches them; left out, the original's "1." was a passage the
// rendition leaves out (found by hostile testing).
func TestTextOrderedListNumbers(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"from one", "Kerry listed:\n\n1. Syria\n2. Iran\n", "Kerry listed:\n1. Syria\n2. Iran"},
		{"from another start, with parentheses", "7) Syria\n8) Iran\n", "7. Syria\n8. Iran"},
		{"bullets are not numbered", "- Syria\n- Iran\n", "Syria\nIran"},
		{"nested", "1. Syria\n   - Aleppo\n2. Iran\n", "1. Syria\nAleppo\n2. Iran"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantText(t, tc.src, false, tc.want)
		})
	}
}

// A file saved with Windows line endings renders as with Unix ones: the
// HTML, the links' lines, the headings and the text runs provenance reads.
// goldmark made "dockers'" at a line's end a closing quote before CR and
// left it straight before LF (found by hostile testing).
func TestCRLFRendersAsLF(t *testing.T) {
	src := "The dockers' union met.\nIt was the dockers'\nfinal offer, \"quoted\nhere\" and 'single\nquotes' -- dash...\n\n" +
		"## A heading\n\n> quote\n> more\n\n- a\n- b  \nhard break\n\nSee [the other](other.md) and <https://example.org/>.\n"
	r := New()
	opts := Options{Anchors: true, Text: true, BodyLine: 5}
	lf, lps := r.Render([]byte(src), opts)
	cr, cps := r.Render([]byte(strings.ReplaceAll(src, "\n", "\r\n")), opts)
	if string(lf.HTML) != string(cr.HTML) {
		t.Errorf("HTML with CRLF:\n%s\nwant, as with LF:\n%s", cr.HTML, lf.HTML)
	}
	if !reflect.DeepEqual(lf.Links, cr.Links) || !reflect.DeepEqual(lf.Headings, cr.Headings) || !reflect.DeepEqual(lf.Text, cr.Text) || !reflect.DeepEqual(lps, cps) {
		t.Errorf("with CRLF: links %+v, headings %+v, text %+v, problems %v\nwant %+v, %+v, %+v, %v", cr.Links, cr.Headings, cr.Text, cps, lf.Links, lf.Headings, lf.Text, lps)
	}
}

// wantText checks the text runs of src, rendered as an article body, read
// together with runs of white space as one space.
func wantText(t *testing.T, src string, unsafe bool, want string) {
	t.Helper()
	doc, _ := New().Render([]byte(src), Options{File: "a.md", BodyLine: 1, Anchors: true, Text: true, Unsafe: unsafe})
	var b strings.Builder
	for _, r := range doc.Text {
		b.WriteString(r.Text)
	}
	if got, want := strings.Join(strings.Fields(b.String()), " "), strings.Join(strings.Fields(want), " "); got != want {
		t.Errorf("text %q, want %q", got, want)
	}
}
