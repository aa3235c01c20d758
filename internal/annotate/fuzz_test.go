package annotate

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzAnchor checks that Anchor never panics and only ever inserts: taking
// its marks and notes out gives the input back.
func FuzzAnchor(f *testing.F) {
	f.Add(article, "more than 70,000 lives", "cost")
	f.Add(`<p id="p1">a &amp; b&hellip;<em>c--d</em> e</p>`, "b...c-d", "")
	f.Add(`<p>x<br>y<a href=q>z &ldquo;w</a></p><p>v`, `z "w`, "y")
	f.Add(`<p>a – – b&#8212;&#x2014;c</p>`, "a - b-c", "")
	f.Fuzz(func(t *testing.T, html, quote, prefix string) {
		notes := []Note{
			{ID: "a1", Number: 1, Quote: quote, Prefix: prefix, Kind: "context", Line: 1},
			{ID: "a2", Number: 2, Quote: quote, Kind: "context", Line: 2},
		}
		if len(quote) > 3 {
			notes = append(notes, Note{ID: "a3", Number: 3, Quote: quote[1:], Kind: "context", Line: 3})
		}
		out, places, probs := anchorNotes("f.md", []byte(html), notes)
		if len(places)+len(probs) != len(notes) {
			t.Fatalf("%d placed, %d problems for %d notes", len(places), len(probs), len(notes))
		}
		stripped := markTag.ReplaceAllString(string(out), "")
		for i := range notes {
			stripped = strings.ReplaceAll(stripped, noteMarkup(notes[i].ID, &notes[i]), "")
		}
		if !strings.Contains(html, "<mark") && stripped != html {
			t.Fatalf("Anchor changed more than it inserted:\n%q\n%q", html, out)
		}
		Paragraphs([]byte(html))
	})
}

// FuzzLink checks that Link never panics and links exactly the mentions it
// reports as linked.
func FuzzLink(f *testing.F) {
	f.Add(article)
	f.Add(`<p>Kerry&rsquo;s <em>John</em> Kerry O'Brien Free Syrian Army</p>`)
	l := NewLinker(testEntities)
	f.Fuzz(func(t *testing.T, html string) {
		out, ms := l.Link([]byte(html))
		linked := 0
		for _, m := range ms {
			if m.Linked {
				linked++
			}
		}
		if n := strings.Count(string(out), `<a class="entity"`) - strings.Count(html, `<a class="entity"`); n != linked {
			t.Fatalf("%d links inserted, %d mentions linked", n, linked)
		}
		Sentences(html)
	})
}

// FuzzLocateAll checks that the one-pass search Anchor uses for many notes
// places every note exactly where the per-note search does, and finds a
// unique match exactly when the per-note search does.
func FuzzLocateAll(f *testing.F) {
	f.Add(article, "more than 70,000 lives", "claimed ", "", "Kerry")
	f.Add(`<p>aaaa aaa aa a</p><p>aa</p>`, "aa", "a", "", "a")
	f.Add(`<p>“Quote” – dash… and ‘more’</p>`, `"Quote" - dash...`, "", " and", "'more'")
	f.Add(`<p>é é é</p><p>xé</p>`, "é", "x", "", "\x80")
	f.Fuzz(func(t *testing.T, html, quote, prefix, suffix, other string) {
		var notes []Note
		for i, q := range []string{quote, other, quote + " " + other, other + quote} {
			for j, ctx := range [][2]string{{"", ""}, {prefix, ""}, {"", suffix}, {prefix, suffix}} {
				notes = append(notes, Note{ID: "a", Number: i*4 + j + 1, Quote: q, Prefix: ctx[0], Suffix: ctx[1], Line: i*4 + j + 1})
			}
		}
		if len(quote) > 2 {
			notes = append(notes, Note{Quote: quote[1:], Line: 99}, Note{Quote: quote[:len(quote)-1], Line: 100})
		}
		s := scan([]byte(html), true)
		defer s.release()
		fast, _ := s.locateAll(notes)
		for i := range notes {
			n0, n1, _, ok := s.locate("f.md", &notes[i])
			if ok != (fast[i].count == 1) {
				t.Fatalf("note %+v: locate ok=%v, locateAll count=%d", notes[i], ok, fast[i].count)
			}
			if q := normalize(notes[i].Quote); q != "" && fast[i].seen != strings.Contains(s.text, q) {
				t.Fatalf("note %+v: locateAll seen=%v", notes[i], fast[i].seen)
			}
			if ok && (n0 != fast[i].pos || n1 != fast[i].end) {
				t.Fatalf("note %+v: locate [%d,%d), locateAll [%d,%d)", notes[i], n0, n1, fast[i].pos, fast[i].end)
			}
		}
	})
}

// FuzzCountWords checks that CountWords counts exactly the words
// strings.Fields cuts, for any bytes (invalid UTF-8 included).
func FuzzCountWords(f *testing.F) {
	f.Add("")
	f.Add("  Kerry said\tit cost 70,000\u00a0lives.\n")
	f.Add("a\u0085b\u2028c\u3000d\u200be\u202ff")
	f.Add("a\xffb \xc3 \x80\xc2 ")
	f.Add("\u1680\u180e\u205f\ufeff")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := CountWords(s), len(strings.Fields(s)); got != want {
			t.Fatalf("CountWords(%q) = %d, len(strings.Fields) = %d", s, got, want)
		}
	})
}

// FuzzCleanText holds cleanText, with its shortcuts for text that is clean
// or needs only its ends trimmed, to the rule it implements: drop invisible
// characters and NULs, collapse every run of white space into one space, trim.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", " ", "a", " a ", "a  b", "a\tb ", "\u00a0a\u00a0", "a \u200b", "\u200b a", " \x00a", "a\n", "“quoted” text. ", "é a "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip("content is checked to be UTF-8 before it is rendered")
		}
		var want []rune
		sp := false
		for _, r := range s {
			switch {
			case isInvisible(r) || r == 0:
				continue
			case unicode.IsSpace(r):
				sp = len(want) > 0
				continue
			}
			if sp {
				want = append(want, ' ')
				sp = false
			}
			want = append(want, r)
		}
		if got := cleanText(s); got != string(want) {
			t.Fatalf("cleanText(%q) = %q, want %q", s, got, string(want))
		}
	})
}
