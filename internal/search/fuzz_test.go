package search

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzWords checks the tokeniser's invariants on any input: spans in
// order, inside the text, at rune boundaries, each folding to its word,
// words non-empty, valid UTF-8 and at most MaxWordBytes of source.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"Zoë Brandt’s union", "al-Assad 70,000", "ΟΔΟΣ", "a'b'c ''", "\xff\xfeé", "e\u0301\u0301x", strings.Repeat("ab", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last, n := 0, 0
		defer func() {
			if c := countWords(s); c != n {
				t.Fatalf("countWords(%q) = %d, Words found %d", s, c, n)
			}
		}()
		Words(s, func(sp Span) {
			if sp.Start < last || sp.End <= sp.Start || sp.End > len(s) {
				t.Fatalf("span %d-%d after %d in %q", sp.Start, sp.End, last, s)
			}
			if utf8.ValidString(s) && (!utf8.RuneStart(s[sp.Start]) || sp.End < len(s) && !utf8.RuneStart(s[sp.End])) {
				t.Fatalf("span %d-%d cuts a rune in %q", sp.Start, sp.End, s)
			}
			if sp.End-sp.Start > MaxWordBytes {
				t.Fatalf("word of %d bytes", sp.End-sp.Start)
			}
			if sp.Word == "" || sp.Word != Fold(s[sp.Start:sp.End]) || !utf8.ValidString(sp.Word) && utf8.ValidString(s) {
				t.Fatalf("word %q for %q", sp.Word, s[sp.Start:sp.End])
			}
			if Fold(sp.Word) != sp.Word {
				t.Fatalf("folding %q is not idempotent: %q", sp.Word, Fold(sp.Word))
			}
			last = sp.End
			n++
		})
	})
}

// FuzzParseQuery: any query parses; every phrase's words are among the
// terms; a prefix only while typing; stems never panic.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`"fair offer" pay`, `“two million” euros`, `"`, `""`, `port stri`, "\"a\"b\"c", "vetoes'"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, q string, typing bool) {
		pq := ParseQuery(q, typing)
		if pq.Prefix && (!typing || len(pq.Terms) == 0) {
			t.Fatalf("prefix set for %q typing=%v", q, typing)
		}
		for _, w := range pq.Terms {
			if w == "" {
				t.Fatalf("empty term in %q", q)
			}
			Stem(w)
		}
		for _, ph := range pq.Phrases {
			if len(ph) < 2 {
				t.Fatalf("phrase of %d words in %q", len(ph), q)
			}
			for _, w := range ph {
				if !slices.Contains(pq.Terms, w) {
					t.Fatalf("phrase word %q not a term of %q", w, q)
				}
			}
		}
	})
}

// fragJSON is a fragment as encoding/json would make it: the oracle of
// appendFragment.
type fragJSON struct {
	URL     string      `json:"u"`
	Title   string      `json:"t"`
	Kind    string      `json:"k"`
	Outlet  string      `json:"o,omitempty"`
	When    string      `json:"h,omitempty"`
	Summary string      `json:"s,omitempty"`
	Paras   [][2]string `json:"p,omitempty"`
}

// appendFragment writes what encoding/json makes of a fragJSON, byte for
// byte: escapes (HTML-safe, U+2028, U+2029, control bytes), invalid UTF-8,
// and the fields left out when empty.
func FuzzFragmentJSON(f *testing.F) {
	f.Add("/articles/a/", "A <b> & \"c\"", "Outlet", "4 March 2024", "", "p1", "text \u2028 \\ \x00\x1f\x7f \xff\xfe é 🙂", 2)
	f.Add("", "", "", "", "summary\b\f\n\r\t", "", "", 0)
	f.Add("u", "t", "", "", "", "p2", "\xe2\x80", 1)
	f.Fuzz(func(t *testing.T, url, title, outlet, when, summary, id, text string, n int) {
		d := Doc{URL: url, Title: title, Kind: "article", Outlet: outlet, When: when, Summary: summary}
		for i := range n % 4 {
			d.Paragraphs = append(d.Paragraphs, Paragraph{ID: id, Text: strings.Repeat(text, i+1)})
		}
		want := fragJSON{URL: d.URL, Title: d.Title, Kind: d.Kind, Outlet: d.Outlet, When: d.When, Summary: d.Summary}
		for _, p := range d.Paragraphs {
			want.Paras = append(want.Paras, [2]string{p.ID, p.Text})
		}
		wb, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendFragment([]byte("prefix"), &d); string(got) != "prefix"+string(wb) {
			t.Errorf("appendFragment:\n%q\nencoding/json:\n%q", got[len("prefix"):], wb)
		}
	})
}
