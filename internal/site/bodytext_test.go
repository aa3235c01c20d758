package site

import (
	"html/template"
	"slices"
	"strings"
	"testing"
)

// A body gives back exactly the HTML and paragraphs it was made with, and
// its key tells bodies apart by them, though it keeps them compressed.
func TestBodyKeepsTextPacked(t *testing.T) {
	long := strings.Repeat("Kerry met Lavrov in Moscow. ", 2000)
	tests := []struct {
		name  string
		html  template.HTML
		paras []Paragraph
	}{
		{"empty", "", nil},
		{"one", "<p id=\"p1\">Hello</p>", []Paragraph{{ID: "p1", Text: "Hello"}}},
		{"no id and empty text", "<p>x</p>", []Paragraph{{ID: "", Text: "x"}, {ID: "p2", Text: ""}}},
		{"unicode", "<p id=\"p1\">Эрдоган — «да»</p>", []Paragraph{{ID: "p1", Text: "Эрдоган — «да»"}, {ID: "p2", Text: "日本語 ✓"}}},
		{"long", template.HTML("<p id=\"p1\">" + long + "</p>"), []Paragraph{{ID: "p1", Text: long}, {ID: "p2", Text: long[:300]}}},
	}
	keys := map[any]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBody(Body{Words: 3}, tt.html, tt.paras)
			if got := b.HTML(); got != tt.html {
				t.Errorf("HTML() = %.60q, want %.60q", got, tt.html)
			}
			got := b.Paragraphs()
			if !slices.Equal(got, tt.paras) {
				t.Errorf("Paragraphs() = %.200v, want %.200v", got, tt.paras)
			}
			if b.HTML() != tt.html || !slices.Equal(b.Paragraphs(), tt.paras) {
				t.Error("a second read differs from the first")
			}
			if len(tt.html) > 10000 && len(b.text.html) > len(tt.html)/4 {
				t.Errorf("%d bytes of HTML kept in %d: not compressed", len(tt.html), len(b.text.html))
			}
			if cap(b.text.html) > len(b.text.html)*5/4+64 || cap(b.text.paras) > len(b.text.paras)*5/4+64 {
				t.Error("the packed text keeps spare capacity (the encoder's worst-case buffer)")
			}
			if other, ok := keys[b.ViewKey()]; ok {
				t.Errorf("same key as %s", other)
			}
			keys[b.ViewKey()] = tt.name
		})
	}
	// Same notes and counts, different text: different keys.
	a := NewBody(Body{}, "<p>a</p>", []Paragraph{{ID: "p1", Text: "a"}})
	b := NewBody(Body{}, "<p>a</p>", []Paragraph{{ID: "p1", Text: "b"}})
	c := NewBody(Body{}, "<p>b</p>", []Paragraph{{ID: "p1", Text: "a"}})
	if a.ViewKey() == b.ViewKey() || a.ViewKey() == c.ViewKey() {
		t.Error("bodies with different text share a key")
	}
	if NewBody(Body{}, "<p>a</p>", []Paragraph{{ID: "p1", Text: "a"}}).ViewKey() != a.ViewKey() {
		t.Error("equal bodies have different keys")
	}
}
