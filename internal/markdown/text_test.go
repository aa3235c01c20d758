package markdown

import (
	"strings"
	"testing"
)

// The rendered text is what a reader sees: escapes and entities resolved,
// typographer substitutions made, markup gone, images and raw HTML left out;
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
	want := "First para with -- dashes & “quotes” – and a second line.\nA heading\nitem code span\nraw tail\na\nb\nc\nhttps://example.org\nFootnote.\nThe note.\n"
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
