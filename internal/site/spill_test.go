package site

import (
	"fmt"
	"html/template"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

// spillCases are bodies of every shape: no text, no paragraphs, no HTML,
// unicode, long.
func spillCases() []struct {
	name  string
	html  template.HTML
	paras []Paragraph
} {
	long := strings.Repeat("Kerry met Lavrov in Moscow. ", 3000)
	return []struct {
		name  string
		html  template.HTML
		paras []Paragraph
	}{
		{"empty", "", nil},
		{"html only", "<hr>", nil},
		{"paragraphs only", "", []Paragraph{{ID: "p1", Text: "x"}}},
		{"one", "<p id=\"p1\">Hello</p>", []Paragraph{{ID: "p1", Text: "Hello"}}},
		{"unicode", "<p id=\"p1\">Эрдоган — «да»</p>", []Paragraph{{ID: "p1", Text: "Эрдоган — «да»"}, {ID: "p2", Text: "日本語 ✓"}}},
		{"long", template.HTML("<p id=\"p1\">" + long + "</p>"), []Paragraph{{ID: "p1", Text: long}, {ID: "p2", Text: long[:300]}}},
	}
}

// A body kept in a spill file gives back the same HTML and paragraphs, with
// the same key, as one kept in memory, and holds none of its text in the
// heap.
func TestSpilledBodyEqualsInMemory(t *testing.T) {
	dir := t.TempDir()
	s, err := NewSpill(dir)
	if err != nil {
		t.Skipf("no spill file here: %v", err) // Windows: the text stays in memory
	}
	defer s.Close()
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("the spill file is left in %s: %v", dir, names)
	}
	for _, tt := range spillCases() {
		t.Run(tt.name, func(t *testing.T) {
			mem := NewBody(Body{Words: 3}, tt.html, tt.paras)
			before := s.Size()
			b := NewBodyIn(s, Body{Words: 3}, tt.html, tt.paras)
			for i := 0; i < 2; i++ { // a second read gives the same
				if got := b.HTML(); got != tt.html {
					t.Errorf("HTML() = %.60q, want %.60q", got, tt.html)
				}
				if got := b.Paragraphs(); !slices.Equal(got, tt.paras) {
					t.Errorf("Paragraphs() = %.200v, want %.200v", got, tt.paras)
				}
			}
			if b.ViewKey() != mem.ViewKey() || b.TextBytes() != mem.TextBytes() {
				t.Error("the spilled body's key or text length differs from the one in memory")
			}
			if b.text.html != nil || b.text.paras != nil {
				t.Error("a spilled body keeps text in memory")
			}
			if tt.html != "" || len(tt.paras) > 0 {
				if s.Size() <= before {
					t.Error("the spill file did not grow")
				}
				if len(tt.html) > 10000 && s.Size()-before > int64(len(tt.html))/4 {
					t.Errorf("%d bytes of HTML spilled as %d: not compressed", len(tt.html), s.Size()-before)
				}
			}
		})
	}
}

// Bodies made and read from many goroutines at once each get their own
// text back.
func TestSpillConcurrent(t *testing.T) {
	s, err := NewSpill(t.TempDir())
	if err != nil {
		t.Skipf("no spill file here: %v", err)
	}
	defer s.Close()
	const n = 64
	bodies := make([]*Body, n)
	want := func(i int) (template.HTML, []Paragraph) {
		text := strings.Repeat(fmt.Sprintf("article %d says %d. ", i, i*i), i+1)
		return template.HTML("<p id=\"p1\">" + text + "</p>"), []Paragraph{{ID: "p1", Text: text}}
	}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h, p := want(i)
			bodies[i] = NewBodyIn(s, Body{}, h, p)
		}()
	}
	wg.Wait()
	errs := make(chan string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h, p := want(i)
			if bodies[i].HTML() != h || !slices.Equal(bodies[i].Paragraphs(), p) {
				errs <- fmt.Sprintf("body %d read back another text", i)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// When the spill file cannot be written (a full disk; here, closed), the
// text is kept in memory and reads back whole.
func TestSpillFailedWriteKeepsTextInMemory(t *testing.T) {
	s, err := NewSpill(t.TempDir())
	if err != nil {
		t.Skipf("no spill file here: %v", err)
	}
	s.Close()
	html, paras := template.HTML("<p id=\"p1\">kept</p>"), []Paragraph{{ID: "p1", Text: "kept"}}
	b := NewBodyIn(s, Body{}, html, paras)
	if b.HTML() != html || !slices.Equal(b.Paragraphs(), paras) {
		t.Errorf("got %q %v, want %q %v", b.HTML(), b.Paragraphs(), html, paras)
	}
	if b.text.spill != nil {
		t.Error("the body points at a spill file it could not write")
	}
}

// ReadParagraphs lends the paragraphs in the spill's reused buffer; what a
// reader keeps of them (Paragraphs' result, a topic's passages) must be
// copies, intact after the buffer was reused for another body.
func TestReadParagraphsLendsTheBuffer(t *testing.T) {
	s, err := NewSpill(t.TempDir())
	if err != nil {
		t.Skipf("no spill file here: %v", err)
	}
	defer s.Close()
	cases := spillCases()
	bodies := make([]*Body, len(cases))
	for i, c := range cases {
		bodies[i] = NewBodyIn(s, Body{}, c.html, c.paras)
	}
	kept := make([][]Paragraph, len(cases))
	owned := make([][]Paragraph, len(cases))
	for i, b := range bodies {
		owned[i] = b.Paragraphs()
		b.ReadParagraphs(func(paras []Paragraph) {
			if !slices.Equal(paras, cases[i].paras) {
				t.Errorf("%s: ReadParagraphs lent %.200v, want %.200v", cases[i].name, paras, cases[i].paras)
			}
			var lower []byte
			kept[i] = passages(paras, lowered(paras, &lower), []string{"kerry", "hello", "日本語"})
		})
	}
	// Every body read again, in reverse, reusing the buffer.
	for i := len(bodies) - 1; i >= 0; i-- {
		bodies[i].ReadParagraphs(func([]Paragraph) {})
	}
	for i, c := range cases {
		if !slices.Equal(owned[i], c.paras) {
			t.Errorf("%s: Paragraphs' result changed after other reads: %.200v", c.name, owned[i])
		}
		var want []Paragraph
		for _, p := range c.paras {
			if strings.Contains(p.Text, "Kerry") || strings.Contains(p.Text, "Hello") || strings.Contains(p.Text, "日本語") {
				want = append(want, p)
			}
		}
		if !slices.Equal(kept[i], want) {
			t.Errorf("%s: passages kept %.200v after other reads, want %.200v", c.name, kept[i], want)
		}
	}
}

// ReadHTML lends the same HTML as HTML gives, spilled or in memory, and
// HTML's own result stays intact after the lender's buffer is reused for
// other bodies.
func TestReadHTMLEqualsHTML(t *testing.T) {
	s, err := NewSpill(t.TempDir())
	if err != nil {
		t.Skipf("no spill file here: %v", err)
	}
	defer s.Close()
	for _, spill := range []*Spill{s, nil} {
		cases := spillCases()
		owned := make([]template.HTML, len(cases))
		for i, c := range cases {
			b := NewBodyIn(spill, Body{}, c.html, c.paras)
			owned[i] = b.HTML()
			b.ReadHTML(func(html template.HTML) {
				if html != c.html {
					t.Errorf("%s (spill %v): ReadHTML lent %.200q, want %.200q", c.name, spill != nil, html, c.html)
				}
			})
		}
		// Every body's text through the lender's buffers again.
		for _, c := range cases {
			NewBodyIn(spill, Body{}, c.html, c.paras).ReadHTML(func(template.HTML) {})
		}
		for i, c := range cases {
			if owned[i] != c.html {
				t.Errorf("%s (spill %v): HTML's result changed after other reads: %.200q", c.name, spill != nil, owned[i])
			}
		}
	}
}
