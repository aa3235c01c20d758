package provenance

import (
	"strings"
	"testing"
)

// What counts as the same text: typography does not, words and marks do.
func TestComparisonForm(t *testing.T) {
	for _, tc := range []struct {
		name, original, rendition string
		same                      bool
	}{
		{"identical", "Kerry met Lavrov.", "Kerry met Lavrov.", true},
		{"whitespace and line breaks", "Kerry  met\nLavrov.", "Kerry met Lavrov.", true},
		{"no-break space", "Mara\u00a0Okafor", "Mara Okafor", true},
		{"composed and decomposed", "Zoe\u0308 Brandt", "Zo\u00eb Brandt", true},
		{"ligature", "\ufb01nal offer", "final offer", true},
		{"curly and straight quotes", "\u201cfair\u201d, Okafor\u2019s", "\"fair\", Okafor's", true},
		{"dashes", "Moscow -- Syria's ally --", "Moscow \u2014 Syria's ally\u2013", true},
		{"ellipsis", "and so\u2026", "and so...", true},
		{"soft hyphen", "nego\u00adtiations", "negotiations", true},
		{"spacing around punctuation", "(to a solution)", "( to a solution )", true},
		{"case", "Kerry met Lavrov.", "kerry met Lavrov.", false},
		{"punctuation", "Kerry met Lavrov.", "Kerry met Lavrov!", false},
		{"a digit", "70,000 lives", "70,001 lives", false},
		{"order", "Kerry met Lavrov", "Lavrov met Kerry", false},
		// NFKC reads "10²" as "102": a superscript or subscript is a
		// different number, not typography (found by hostile testing).
		{"superscript", "an area of 10² km", "an area of 102 km", false},
		{"superscript digits", "10⁵ people", "105 people", false},
		{"subscript", "H₂O and CO₂", "H2O and CO2", false},
		{"superscript as itself", "10² km", "10² km", true},
		// A bidirectional override or isolate reorders what the reader
		// sees, "off" shown as "ffo", while the characters stay the
		// same: it is not an invisible character (found by hostile testing).
		{"bidi override", "the deal was off.", "the deal was \u202eoff\u202c.", false},
		{"bidi isolate", "the deal was off.", "\u2067the deal\u2069 was off.", false},
		{"bidi embedding", "the deal was off.", "the deal \u202bwas off.\u202c", false},
		{"bidi override as in the original", "the deal was \u202eoff\u202c.", "the deal was \u202eoff\u202c.", true},
		{"right-to-left mark", "\u05e9\u05dc\u05d5\u05dd 2013", "\u05e9\u05dc\u05d5\u05dd\u200f 2013", true},
		// The typographer shows "<<" as "«": a rendition keeping the
		// original's "<<" was refused (found by hostile testing).
		{"angle quotes typed", "said <<on Monday>> that", "said \u00abon Monday\u00bb that", true},
		{"angle quotes typed in the rendition", "said \u00abon Monday\u00bb that", "said <<on Monday>> that", true},
		{"less than", "a < b", "a << b", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := Verify(Input{File: "a.md", OriginalFile: "o.txt", Text: []Run{{Text: tc.rendition, Line: 7}}}, []byte(tc.original))
			if same := len(ps) == 0; same != tc.same {
				t.Errorf("same = %v, want %v: %v", same, tc.same, ps)
			}
			if !tc.same && (len(ps) == 0 || !strings.HasPrefix(ps[0].Error(), "a.md:7: ")) {
				t.Errorf("problem not at a.md:7: %v", ps)
			}
		})
	}
}

// A rendition that is not the original at all is summed up after
// MaxProblems differences, and an original that is not UTF-8 is refused.
func TestVerifyLimits(t *testing.T) {
	var orig, rend strings.Builder
	for i := 0; i < 3*MaxProblems; i++ {
		orig.WriteString("alpha beta gamma delta epsilon zeta eta theta. ")
		rend.WriteString("alpha beta CHANGED delta epsilon zeta eta theta. ")
	}
	_, ps := Verify(Input{File: "a.md", OriginalFile: "o.txt", Text: []Run{{Text: rend.String(), Line: 3}}}, []byte(orig.String()))
	if len(ps) != MaxProblems+1 || !strings.Contains(ps[MaxProblems].Msg, "more places") {
		t.Errorf("%d problems, want %d and a summary: %v", len(ps), MaxProblems+1, ps[len(ps)-1])
	}
	if _, ps := Verify(Input{File: "a.md", OriginalFile: "o.txt", OriginalLine: 4}, []byte("caf\xe9")); len(ps) != 1 || !strings.Contains(ps[0].Error(), "a.md:4: original o.txt is not UTF-8") {
		t.Errorf("latin-1 original: %v", ps)
	}
}

// Fuzz: tokenize ends on any input, with offsets inside the text, in
// order, and compares a text with itself as equal.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Kerry met Lavrov.", "\ufb01nal so\u2026 Zoe\u0308 -- \u2014 \u00a0x", "caf\xe9 \xff\xfe", "\u00bd \u2460 \ufdfa"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := newInterner()
		toks := tokenize(s, in)
		prev := int32(0)
		for _, tk := range toks {
			if tk.start < 0 || tk.end > int32(len(s)) || tk.start >= tk.end || tk.start < prev {
				t.Fatalf("token [%d,%d) after %d in a text of %d", tk.start, tk.end, prev, len(s))
			}
			prev = tk.start
		}
		if _, ps := Verify(Input{File: "a.md", OriginalFile: "o.txt", Text: []Run{{Text: s}}}, []byte(strings.ToValidUTF8(s, ""))); len(ps) > 0 && s == strings.ToValidUTF8(s, "") {
			t.Fatalf("a text differs from itself: %v", ps)
		}
	})
}

// The headline needs no removed: entry because the page shows it as the
// title: that is the title on lines of its own, the first time the original
// has it there. The title's words left out of the middle of a sentence were
// excused too, so a rendition could drop "denied" from "Putin denied it" and
// be word for word when the title was "Denied" (found by hostile testing).
func TestHeadlineIsTheTitleOnItsOwnLines(t *testing.T) {
	for _, tc := range []struct {
		name, title, original, rendition string
		same                             bool
	}{
		{"headline left out", "Talks in Moscow", "Talks in Moscow\n\nKerry met Lavrov.\n", "Kerry met Lavrov.", true},
		{"headline over two lines", "Talks in Moscow", "Talks\nin Moscow\nKerry met Lavrov.\n", "Kerry met Lavrov.", true},
		{"headline in typographic form", "Talks -- “in” Moscow", "Talks \u2014 \"in\" Moscow\nKerry met Lavrov.\n", "Kerry met Lavrov.", true},
		{"title words in a sentence", "Denied", "Putin Denied it.\n", "Putin it.", false},
		{"title phrase in a sentence", "the war", "Kerry said the war had claimed lives.\n", "Kerry said had claimed lives.", false},
		{"title at the start of a line", "Kerry said", "Kerry said the war had claimed lives.\n", "the war had claimed lives.", false},
		{"headline printed twice", "Talks in Moscow", "Talks in Moscow\nKerry met Lavrov.\nTalks in Moscow\n", "Talks in Moscow Kerry met Lavrov.", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := Verify(Input{File: "a.md", OriginalFile: "o.txt", Title: tc.title, Text: []Run{{Text: tc.rendition, Line: 7}}}, []byte(tc.original))
			if same := len(ps) == 0; same != tc.same {
				t.Errorf("passes = %v, want %v: %v", same, tc.same, ps)
			}
		})
	}
}

// A byte-order mark (Windows editors save one) is not text of the original's
// first line: the comparison page showed it, an invisible character at the
// start of the headline (found by hostile testing).
func TestReportLinesWithoutByteOrderMark(t *testing.T) {
	rep, ps := Verify(Input{File: "a.md", OriginalFile: "o.txt", Title: "Talks", Text: []Run{{Text: "Kerry met Lavrov.", Line: 7}}}, []byte("\ufeffTalks\r\nKerry met Lavrov.\r\n"))
	if len(ps) > 0 || rep == nil || len(rep.Lines) != 2 {
		t.Fatalf("%v, %+v", ps, rep)
	}
	if got := rep.Lines[0].Parts[0].Text; got != "Talks" {
		t.Errorf("first line %q, want %q", got, "Talks")
	}
}
