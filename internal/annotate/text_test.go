package annotate

import (
	"fmt"
	"strings"
	"testing"
)

func TestSentences(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"U.S. Secretary of State John Kerry said. Then Mr. Lavrov spoke.",
			[]string{"U.S. Secretary of State John Kerry said.", "Then Mr. Lavrov spoke."}},
		{"The U.N. Security Council met on Jan. 5 in New York. It adjourned.",
			[]string{"The U.N. Security Council met on Jan. 5 in New York.", "It adjourned."}},
		{"Sanctions were imposed by the U.S. The EU followed.",
			[]string{"Sanctions were imposed by the U.S.", "The EU followed."}},
		{"John F. Kennedy and Dr. King were mentioned. Growth was 3.5 percent.",
			[]string{"John F. Kennedy and Dr. King were mentioned.", "Growth was 3.5 percent."}},
		{`He said: “We will win.” Then he left. "Really?" she asked. Yes!`,
			[]string{`He said: “We will win.”`, "Then he left.", `"Really?" she asked.`, "Yes!"}},
		{"It cost more than 70,000 lives... Nobody knows.",
			[]string{"It cost more than 70,000 lives...", "Nobody knows."}},
		{"He works at example.com every day (really). Fine", []string{"He works at example.com every day (really).", "Fine"}},
		{"No. 10 Downing Street said so. Okay.", []string{"No. 10 Downing Street said so.", "Okay."}},
		{"  ", nil},
		{"No full stop", []string{"No full stop"}},
	}
	for _, tc := range cases {
		if got := Sentences(tc.in); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.want) {
			t.Errorf("Sentences(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestParagraphs(t *testing.T) {
	got := Paragraphs([]byte(article + `<p id="p7">Done<span class="note" id="a1-n">a note</span>.</p><div id="p8x">no</div><script>var p = "<p id=p9>";</script>`))
	want := []Paragraph{
		{"p1", "US Secretary of State John Kerry is visiting Moscow, the capital of Russia, for a two–day formal visit."},
		{"p2", "Kerry will hold talks with Russian President Vladimir Putin and his Russian counterpart Sergei Lavrov respectively."},
		{"p3", "That plan, agreed to in Geneva, was aimed at resolving through talks among all sides a civil war that has cost more than 70,000 lives, but it left open the question of Syrian President Bashar al-Assad’s exact fate."},
		{"p4", "“We have their formal commitment,” Kerry said – adding that “we need to go beyond”…"},
		{"p5", "The war cost more than 70,000 lives, officials claimed. Kerry’s aides said “no comment” about it."},
		{"p6", "Moscow has a veto on the council. A second line."},
		{"p7", "Done."},
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// scan's offset bookkeeping must follow the tokenizer exactly, or marks land
// in the wrong place: every text segment's HTML bytes must decode to its text.
func TestScanOffsets(t *testing.T) {
	inputs := []string{
		article,
		"<p id=p1>a &amp b &notit; c &#x27; d\r\ne</p><!-- c --><p>f<br/>g</p>",
		"<p>unclosed <em>tags <a href=x>here",
		"<script>if (a < b) { x = '</p>' }</script><p id=p1>after</p>",
	}
	for _, in := range inputs {
		s := scan([]byte(in), true)
		for _, sg := range s.segs {
			raw := in[s.start[sg.n0]:s.end[sg.n1-1]]
			if normalize(raw) != strings.TrimSpace(normalize(s.text[sg.n0:sg.n1])) && !strings.Contains(raw, "&") {
				t.Errorf("segment %q maps to %q", s.text[sg.n0:sg.n1], raw)
			}
			if strings.ContainsAny(raw, "<>") {
				t.Errorf("segment %q maps to markup %q", s.text[sg.n0:sg.n1], raw)
			}
		}
	}
	s := scan([]byte(inputs[3]), true)
	if s.text != "after" {
		t.Errorf("script text leaked: %q", s.text)
	}
	s = scan([]byte(inputs[1]), true)
	if s.text != "a & b ¬it; c ' d e\nf g" {
		t.Errorf("text %q", s.text)
	}
}

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"“Kerry’s”  visit":       `"Kerry's" visit`,
		"two--day –– three—four": "two-day - three-four",
		"wait…\u00a0now":         "wait... now",
		"  soft\u00adhyphen\n":   "softhyphen",
		"‘single’ ‚low‛ 5′ 6″":   `'single' 'low' 5' 6"`,
	}
	for in, want := range cases {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCountWordsIsLenFields(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want int
	}{
		{"empty", "", 0},
		{"only spaces", " \t\n\v\f\r ", 0},
		{"one word", "Kerry", 1},
		{"leading and trailing space", "  Kerry said  ", 2},
		{"runs of mixed ASCII space", "a\t\tb\r\nc\fd\ve", 5},
		{"non-breaking space separates", "70,000\u00a0lives", 2},
		{"next line U+0085 separates", "a\u0085b", 2},
		{"em space and ideographic space", "a\u2003b\u3000c", 3},
		{"line and paragraph separators", "a\u2028b\u2029c", 3},
		{"zero-width space does not", "a\u200bb", 1},
		{"narrow no-break space U+202F separates", "a\u202fb", 2},
		{"word joiner U+2060 does not", "a\u2060b", 1},
		{"non-ASCII letters", "Überraschung für Ελλάδα", 3},
		{"invalid UTF-8 is a word", "\xff", 1},
		{"invalid UTF-8 inside a word", "a\xffb c", 2},
		{"invalid UTF-8 between spaces", " \xc3 \x80 ", 2},
		{"truncated non-breaking space", "a\xc2 b", 2},
		{"punctuation alone", "— … «»", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := CountWords(c.in); got != c.want {
				t.Errorf("CountWords(%q) = %d, want %d", c.in, got, c.want)
			}
			if got, fields := CountWords(c.in), len(strings.Fields(c.in)); got != fields {
				t.Errorf("CountWords(%q) = %d, len(strings.Fields) = %d", c.in, got, fields)
			}
		})
	}
}
