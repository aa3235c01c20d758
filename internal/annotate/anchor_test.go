package annotate

import (
	"regexp"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/diag"
)

var markTag = regexp.MustCompile(`<mark [^>]*>|</mark>`)

func TestAnchor(t *testing.T) {
	type want struct {
		id        string
		marked    string // text inside the note's marks, as rendered
		text      string // Placement.Text when not marked with spaces collapsed
		marks     int    // number of <mark> elements
		paragraph string
		sentence  string // "" to skip the check
	}
	cases := []struct {
		name   string
		notes  []Note
		placed []want
		errs   []string // substrings, one problem each, in line order
	}{
		{
			name:  "plain quote",
			notes: []Note{{ID: "a1", Number: 1, Quote: "talks with Russian President Vladimir Putin", Kind: "context", Line: 10}},
			placed: []want{{id: "a1", marked: "talks with Russian President Vladimir Putin", marks: 1, paragraph: "p2",
				sentence: "Kerry will hold talks with Russian President Vladimir Putin and his Russian counterpart Sergei Lavrov respectively."}},
		},
		{
			name:   "across em",
			notes:  []Note{{ID: "a1", Number: 1, Quote: "counterpart Sergei Lavrov respectively", Kind: "context", Line: 10}},
			placed: []want{{id: "a1", marked: "counterpart Sergei Lavrov respectively", marks: 3, paragraph: "p2"}},
		},
		{
			name:   "across a link",
			notes:  []Note{{ID: "a1", Number: 1, Quote: "agreed to in Geneva, was aimed at resolving", Kind: "editorial", Line: 10}},
			placed: []want{{id: "a1", marked: "agreed to in Geneva, was aimed at resolving", marks: 3, paragraph: "p3"}},
		},
		{
			name:   "ending inside a link",
			notes:  []Note{{ID: "a1", Number: 1, Quote: "agreed to in Geneva", Kind: "context", Line: 10}},
			placed: []want{{id: "a1", marked: "agreed to in Geneva", marks: 2, paragraph: "p3"}},
		},
		{
			name: "straight quotes match &ldquo; entities and literal curly quotes",
			notes: []Note{
				{ID: "a1", Number: 1, Quote: `"We have their formal commitment," Kerry said`, Kind: "context", Line: 10},
				{ID: "a2", Number: 2, Quote: `Kerry's aides said "no comment"`, Kind: "context", Line: 14},
			},
			placed: []want{
				{id: "a1", marked: "“We have their formal commitment,” Kerry said", marks: 1, paragraph: "p4"},
				{id: "a2", marked: "Kerry’s aides said “no comment”", marks: 1, paragraph: "p5",
					sentence: "Kerry’s aides said “no comment” about it."},
			},
		},
		{
			name: "double hyphen matches &ndash;, dots match &hellip;",
			notes: []Note{
				{ID: "a1", Number: 1, Quote: "Kerry said -- adding", Kind: "context", Line: 10},
				{ID: "a2", Number: 2, Quote: `"we need to go beyond"...`, Kind: "context", Line: 11},
				{ID: "a3", Number: 3, Quote: "for a two-day formal visit", Kind: "context", Line: 12},
			},
			placed: []want{
				{id: "a1", marked: "Kerry said – adding", marks: 1, paragraph: "p4"},
				{id: "a2", marked: "“we need to go beyond”…", marks: 1, paragraph: "p4"},
				{id: "a3", marked: "for a two–day formal visit", marks: 1, paragraph: "p1"},
			},
		},
		{
			name: "prefix and suffix pick one occurrence",
			notes: []Note{
				{ID: "a1", Number: 1, Quote: "more than 70,000 lives", Prefix: "has cost ", Kind: "fact-check", Line: 10},
				{ID: "a2", Number: 2, Quote: "more than 70,000 lives", Suffix: ", officials", Kind: "fact-check", Line: 14},
			},
			placed: []want{
				{id: "a1", marked: "more than 70,000 lives", marks: 1, paragraph: "p3"},
				{id: "a2", marked: "more than 70,000 lives", marks: 1, paragraph: "p5",
					sentence: "The war cost more than 70,000 lives, officials claimed."},
			},
		},
		{
			name:  "ambiguous",
			notes: []Note{{ID: "a1", Number: 1, Quote: "more than 70,000 lives", Kind: "fact-check", Line: 12}},
			errs:  []string{`art.md:12: annotation quote "more than 70,000 lives" occurs 2 times (p3, p5): add prefix: or suffix: to pick one`},
		},
		{
			name:  "prefix that matches no occurrence",
			notes: []Note{{ID: "a1", Number: 1, Quote: "more than 70,000 lives", Prefix: "claimed", Kind: "fact-check", Line: 12}},
			errs:  []string{`art.md:12: annotation quote "more than 70,000 lives" occurs 2 times (p3, p5) but never with prefix "claimed"`},
		},
		{
			name:  "orphan suggests the near match",
			notes: []Note{{ID: "a1", Number: 1, Quote: "more than 70.000 lives", Prefix: "cost ", Kind: "fact-check", Line: 7}},
			errs:  []string{`art.md:7: annotation quote "more than 70.000 lives" is not in the article text (did you mean "more than 70,000 lives"?): copy the passage exactly as it appears`},
		},
		{
			name:  "orphan with a typo in a name",
			notes: []Note{{ID: "a1", Number: 1, Quote: "Presdient Bashar al-Assad", Kind: "context", Line: 7}},
			errs:  []string{`(did you mean "President Bashar al-Assad’s"?)`},
		},
		{
			name:  "quote crossing paragraphs is not found",
			notes: []Note{{ID: "a1", Number: 1, Quote: "Lavrov respectively. That plan", Kind: "context", Line: 9}},
			errs:  []string{`art.md:9: annotation quote "Lavrov respectively. That plan" is not in the article text: it runs across a paragraph break (p2, p3)`},
		},
		{
			name:  "quote crossing list items is not found",
			notes: []Note{{ID: "a1", Number: 1, Quote: "in Tartus Adoptions", Kind: "context", Line: 9}},
			errs:  []string{`art.md:9: annotation quote "in Tartus Adoptions" is not in the article text`},
		},
		{
			name: "several errors reported together, good notes still placed",
			notes: []Note{
				{ID: "a1", Number: 1, Quote: "no such passage anywhere", Kind: "context", Line: 20},
				{ID: "a2", Number: 2, Quote: "Vladimir Putin", Kind: "context", Line: 24},
				{ID: "a3", Number: 3, Quote: "Kerry", Kind: "context", Line: 28},
				{ID: "a4", Number: 4, Quote: "  ", Kind: "context", Line: 32}, // content.Validate's problem, not said twice
				{ID: "a5", Number: 5, Quote: "\u200b", Kind: "context", Line: 36},
			},
			placed: []want{{id: "a2", marked: "Vladimir Putin", marks: 1, paragraph: "p2"}},
			errs: []string{
				`art.md:20: annotation quote "no such passage anywhere" is not in the article text`,
				`art.md:28: annotation quote "Kerry" occurs 6 times (kerry-in-moscow, p1, p2, p4, p5, and 1 in a block without an anchor): add prefix: or suffix: to pick one`,
				`art.md:36: annotation's quote "\u200b" has no visible text`,
			},
		},
		{
			name: "nested quotes nest their marks",
			notes: []Note{
				{ID: "a1", Number: 1, Quote: "a civil war that has cost more than 70,000 lives", Kind: "context", Line: 10},
				{ID: "a2", Number: 2, Quote: "more than 70,000 lives", Prefix: "has cost", Kind: "fact-check", Line: 14},
				{ID: "a3", Number: 3, Quote: "a civil war that has cost more than 70,000 lives", Kind: "editorial", Line: 18},
			},
			placed: []want{
				{id: "a1", marked: "a civil war that has cost more than 70,000 lives", marks: 1, paragraph: "p3"},
				{id: "a2", marked: "more than 70,000 lives", marks: 1, paragraph: "p3"},
				{id: "a3", marked: "a civil war that has cost more than 70,000 lives", marks: 1, paragraph: "p3"},
			},
		},
		{
			name: "nested quotes across markup, inner one first",
			notes: []Note{
				{ID: "a1", Number: 1, Quote: "Sergei Lavrov", Kind: "context", Line: 10},
				{ID: "a2", Number: 2, Quote: "counterpart Sergei Lavrov respectively", Kind: "context", Line: 14},
				{ID: "a3", Number: 3, Quote: "Sergei Lavrov respectively", Kind: "context", Line: 18},
			},
			placed: []want{
				{id: "a1", marked: "Sergei Lavrov", marks: 1, paragraph: "p2"},
				{id: "a2", marked: "counterpart Sergei Lavrov respectively", marks: 3, paragraph: "p2"},
				{id: "a3", marked: "Sergei Lavrov respectively", marks: 2, paragraph: "p2"},
			},
		},
		{
			name:  "passage over two sentences",
			notes: []Note{{ID: "a1", Number: 1, Quote: "officials claimed. Kerry's aides", Kind: "context", Line: 10}},
			placed: []want{{id: "a1", marked: "officials claimed. Kerry’s aides", marks: 1, paragraph: "p5",
				sentence: "The war cost more than 70,000 lives, officials claimed. Kerry’s aides said “no comment” about it."}},
		},
		{
			name:   "quote in a heading",
			notes:  []Note{{ID: "a1", Number: 1, Quote: "in Moscow", Prefix: "Kerry", Kind: "context", Line: 10}},
			placed: []want{{id: "a1", marked: "in Moscow", marks: 1, paragraph: "kerry-in-moscow", sentence: "Kerry in Moscow"}},
		},
		{
			name: "partly overlapping quotes",
			notes: []Note{
				{ID: "a1", Number: 1, Quote: "Vladimir Putin and his Russian", Kind: "context", Line: 10},
				{ID: "a2", Number: 2, Quote: "Russian President Vladimir", Kind: "context", Line: 14},
			},
			placed: []want{{id: "a2", marked: "Russian President Vladimir", marks: 1, paragraph: "p2"}},
			errs:   []string{`art.md:10: annotation quote "Vladimir Putin and his Russian" overlaps the quote of the annotation at line 14 ("Russian President Vladimir")`},
		},
		{
			name:   "footnote reference numbers are not text",
			notes:  []Note{{ID: "a1", Number: 1, Quote: "has a veto on the council", Kind: "context", Line: 10}},
			placed: []want{{id: "a1", marked: "has a veto on the council", marks: 2, paragraph: "p6"}},
		},
		{
			name:   "line break is a space",
			notes:  []Note{{ID: "a1", Number: 1, Quote: "council. A second", Kind: "context", Line: 10}},
			placed: []want{{id: "a1", marked: "council.A second", text: "council. A second", marks: 2, paragraph: "p6"}},
		},
		{
			name:   "code",
			notes:  []Note{{ID: "a1", Number: 1, Quote: "code & more", Kind: "context", Line: 10}},
			placed: []want{{id: "a1", marked: "code & more", marks: 1}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, places, probs := anchorNotes("art.md", []byte(article), tc.notes)
			checkWellFormed(t, out)
			probs.Sort()
			if len(probs) != len(tc.errs) {
				t.Fatalf("got %d problems, want %d:\n%v", len(probs), len(tc.errs), probs)
			}
			for i, p := range probs {
				if !strings.Contains(p.Error(), tc.errs[i]) {
					t.Errorf("problem %d:\n got %s\nwant %s", i, p.Error(), tc.errs[i])
				}
				if p.Severity != diag.Error {
					t.Errorf("problem %d is not an error", i)
				}
			}
			if len(places) != len(tc.placed) {
				t.Fatalf("got %d placements, want %d: %+v", len(places), len(tc.placed), places)
			}
			for i, w := range tc.placed {
				p := places[i]
				if p.ID != w.id || p.Paragraph != w.paragraph {
					t.Errorf("placement %d = %+v, want id %s paragraph %q", i, p, w.id, w.paragraph)
				}
				wantText := w.text
				if wantText == "" {
					wantText = strings.Join(strings.Fields(w.marked), " ")
				}
				if got := wantText; p.Text != got {
					t.Errorf("placement %d text %q, want %q", i, p.Text, got)
				}
				if w.sentence != "" && p.Sentence != w.sentence {
					t.Errorf("placement %d sentence %q, want %q", i, p.Sentence, w.sentence)
				}
				got, n := markedText(t, out, w.id)
				if got != w.marked || n != w.marks {
					t.Errorf("note %s: %d marks holding %q, want %d holding %q\n%s", w.id, n, got, w.marks, w.marked, out)
				}
				doc := parse(t, out)
				first := find(doc, byID(w.id))
				if first == nil || first.Data != "mark" || attr(first, "aria-describedby") != w.id+"-n" {
					t.Errorf("note %s: first mark missing id or aria-describedby", w.id)
				}
				if find(doc, byID(w.id+"-n")) == nil || find(doc, byID(w.id+"-t")) == nil {
					t.Errorf("note %s: note or toggle missing", w.id)
				}
			}
			// Taking the insertions out gives the input back: nothing else moved.
			stripped := markTag.ReplaceAllString(string(out), "")
			for i := range tc.notes {
				stripped = strings.ReplaceAll(stripped, noteMarkup(tc.notes[i].ID, &tc.notes[i]), "")
			}
			if stripped != article {
				t.Errorf("output without marks and notes differs from the input:\n%s", stripped)
			}
		})
	}
}

// The note of a passage that ends inside a link goes after the link, since a
// label and a checkbox may not sit inside <a>.
func TestAnchorNoteAfterLink(t *testing.T) {
	out, _, probs := anchorNotes("art.md", []byte(article), []Note{{ID: "a1", Number: 1, Quote: "in Geneva", Kind: "context", Line: 3}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if !strings.Contains(string(out), `<a href="https://example.org/geneva"><mark class="ann ann-context" data-note="a1" data-kind="context">Geneva</mark>, was aimed</a><sup class="note-ref"`) {
		t.Errorf("note not placed after the link:\n%s", out)
	}
}

func TestAnchorMarkup(t *testing.T) {
	html := []byte(`<p id="p1">The death toll rose.</p>`)
	out, _, probs := anchorNotes("art.md", html, []Note{{ID: "a2", Number: 2, Quote: "death toll", Kind: "fact-check", Label: "Fact check", HTML: "UN figure, <em>not</em> final.", Line: 3}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	want := `<p id="p1">The <mark class="ann ann-fact-check" data-note="a2" data-kind="fact-check" id="a2" aria-describedby="a2-n">death toll</mark>` +
		`<sup class="note-ref" aria-hidden="true"><label for="a2-t" class="note-toggle-label">2</label></sup>` +
		`<input type="checkbox" id="a2-t" class="note-toggle" aria-label="Note 2, Fact check" aria-controls="a2-n">` +
		`<span class="note note-fact-check" id="a2-n" role="note" aria-label="Note 2, Fact check"><span class="note-num">2</span> <span class="note-kind">Fact check</span> UN figure, <em>not</em> final.</span>` +
		` rose.</p>`
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestAnchorEscaping(t *testing.T) {
	html := []byte(`<p id="p1">The death toll rose.</p>`)
	out, _, probs := anchorNotes("art.md", html, []Note{{
		ID: `a1" onclick="x`, Number: 1, Quote: "death toll", Kind: `bad kind"><script>`,
		Label: `<script>alert(1)</script>`, HTML: "<em>ok</em>", Line: 3,
	}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	checkWellFormed(t, out)
	s := string(out)
	for _, bad := range []string{"<script", `" onclick="x`} {
		if strings.Contains(s, bad) {
			t.Errorf("output contains %q:\n%s", bad, s)
		}
	}
	if !strings.Contains(s, `<span class="note-kind">&lt;script&gt;alert(1)&lt;/script&gt;</span>`) {
		t.Errorf("label not escaped as text:\n%s", s)
	}
	if !strings.Contains(s, `aria-label="Note 1, &lt;script&gt;alert(1)&lt;/script&gt;"`) {
		t.Errorf("label not escaped in attribute:\n%s", s)
	}
	if !strings.Contains(s, "<em>ok</em>") {
		t.Errorf("trusted body was escaped:\n%s", s)
	}
	doc := parse(t, out)
	if n := find(doc, byID(`a1" onclick="x`)); n == nil || attr(n, "onclick") != "" {
		t.Errorf("id attribute not escaped")
	}
}

// Without notes the HTML is returned untouched.
func TestAnchorNone(t *testing.T) {
	out, places, probs := anchorNotes("art.md", []byte(article), nil)
	if string(out) != article || places != nil || probs != nil {
		t.Errorf("Anchor with no notes changed something")
	}
}

// Suggestions are cheap even on a big article with no near match.
func TestNearestBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString(`<p id="p`)
		b.WriteString(strings.Repeat("1", 1+i%5))
		b.WriteString(`">The quick brown fox jumps over the lazy dog near the river bank again and again.</p>`)
	}
	b.WriteString(`<p>A unique sentence about seventy thousand lives lost.</p>`)
	_, _, probs := anchorNotes("big.md", []byte(b.String()), []Note{{Quote: "about seventy thousand live lost", Line: 2}})
	if len(probs) != 1 || !strings.Contains(probs[0].Msg, `did you mean "about seventy thousand lives lost"?`) {
		t.Errorf("got %v", probs)
	}
}

// A quote and the text may spell the same accented letter composed (ë, as
// most editors type it) or decomposed (e and a combining diaeresis, as text
// copied on macOS often is): they match, and the passage marked is the
// text's. The quote was "not in the article text (did you mean "Zoë is"?)",
// suggesting what looked like the same words (found by hostile testing).
func TestAnchorComposedAndDecomposed(t *testing.T) {
	for _, tc := range []struct{ name, text, quote string }{
		{"decomposed quote", "<p id=\"p1\">Kerry met Zo\u00eb Brandt there.</p>\n", "met Zoe\u0308 Brandt"},
		{"decomposed text", "<p id=\"p1\">Kerry met Zoe\u0308 Brandt there.</p>\n", "met Zo\u00eb Brandt"},
		{"decomposed at the end", "<p id=\"p1\">Kerry met Zo\u00eb</p>\n", "met Zoe\u0308"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			notes := []Note{{ID: "a1", Number: 1, Quote: tc.quote, Kind: "context", Line: 10}}
			out, places, probs := anchorNotes("art.md", []byte(tc.text), notes)
			if len(probs) > 0 || len(places) != 1 {
				t.Fatalf("not anchored: %v", probs)
			}
			checkWellFormed(t, out)
			if !strings.Contains(string(out), "Kerry <mark") {
				t.Errorf("marked elsewhere:\n%s", out)
			}
		})
	}
}
