package content

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/diag"
)

// The parser's own words, which an editor should never have to decode.
var parserWords = []string{
	"map key-value is pre-defined", "cannot start any token", "is not allowed in this context",
	"must be specified", "non-map value", "unexpected key name", "end character of",
	"cannot unmarshal", "DESIGN.md",
}

// Front-matter mistakes editors make, each reported in plain words at the
// line to fix (the line the quote or bracket opens on, not where the parser
// gives up).
func TestFrontMatterErrorsInEditorsWords(t *testing.T) {
	tests := []struct {
		name, fm string
		want     []string // "line: substring", every one required
	}{
		{"colon in a value", "title: Kerry: the talks\noutlet: AFP\n",
			[]string{`2: this value contains ": "`, `title: "Kerry: the talks"`}},
		{"tab indents a field", "title: T\n\toutlet: AFP\ndate: 2013-05-07\n",
			[]string{"3: a tab indents this line; YAML needs spaces"}},
		{"tab in an annotation", "title: T\nannotations:\n  - quote: a\n\tkind: context\noutlet: AFP\n",
			[]string{"5: a tab indents this line"}},
		{"unclosed double quote, later quotes", "title: T\noutlet: AFP\nsummary: \"unclosed\ntopics: [syria]\nbyline: \"x\"\nsource: \"y\"\n",
			[]string{`4: the quote (") that opens this value is never closed`}},
		{"unclosed single quote", "title: 'unclosed\noutlet: AFP\ndate: 2013-05-07\n",
			[]string{"2: the quote (') that opens this value is never closed"}},
		{"unclosed bracket", "title: [unclosed\noutlet: O\n",
			[]string{"2: the list that opens with [ here is never closed"}},
		{"unclosed topics list", "title: T\ntopics: [syria, iran\noutlet: O\nsummary: s\n",
			[]string{"3: the list that opens with [ here is never closed"}},
		{"quotes inside quotes", "title: \"he said \"no\" today\"\noutlet: O\n",
			[]string{`2: the value's quotes close early`, `write \" for a quote`}},
		{"misaligned annotation field", "title: T\nannotations:\n  - quote: a\n   kind: context\noutlet: O\n",
			[]string{"5: this line's indentation does not match"}},
		{"duplicate field", "title: T\ntitle: U\n",
			[]string{"3: title is set twice (first on line 2)"}},
		{"no space after colon", "title:T\noutlet: O\n",
			[]string{"2: put a space after the colon: title: T"}},
		{"value starts with @", "title: @kerry\n",
			[]string{`2: a value cannot start with @`}},
		{"stray list item", "title: T\n- x\n",
			[]string{`3: a list item ("- ...") here belongs to no field`}},
		{"control characters by escape", "title: \"a\\u0000b\"\noutlet: \"O\\x1b\"\nsummary: s\nremoved:\n  - \"x\\0\"\nannotations:\n  - quote: \"q\\u0085\"\n    kind: context\n    note: tab\\tand\\nline are text\n",
			[]string{"2: title holds the control character U+0000", "3: outlet holds the control character U+001B", "6: each item of removed holds the control character U+0000", "8: quote holds the control character U+0085"}},
		{"tab after a list item's dash", "title: T\nannotations:\n  -\tquote: x\n    kind: context\n",
			[]string{"4: a tab follows the dash of this list item; YAML needs spaces"}},
		{"merge key", "title: T\nannotations:\n  - &a\n    kind: context\n    note: n\n    quote: q\n  - <<: *a\n    quote: r\n",
			[]string{"8: YAML merge keys (<<) are not read"}},
		{"value starts with a question mark", "title: ? q\n",
			[]string{`2: a value cannot start with "? "`, `title: "? q"`}},
		{"misspelt field", "titel: T\n",
			[]string{`2: unknown field "titel": did you mean "title"?`, "README.md"}},
		{"unknown field lists the fields", "headline: T\n",
			[]string{`2: unknown field "headline": the fields of an article are title, outlet, date`}},
		{"annotation field at the top", "title: T\nkind: context\n",
			[]string{`3: unknown field "kind"`, "is a field of an annotation"}},
		{"misspelt annotation field", "title: T\nannotations:\n  - quote: a\n    kind: context\n    nte: x\n",
			[]string{`6: unknown field "nte": did you mean "note"?`}},
		{"list given as text", "title: T\ntopics: syria\n",
			[]string{"3: topics must be a list: write topics: [syria]"}},
		{"bool given as text", "title: T\nrawHTML: yes\n",
			[]string{`3: rawHTML must be true or false, not "yes"`}},
		{"text given as list", "title: [a, b]\n",
			[]string{"2: title must be text, not a list"}},
		{"bad date", "title: T\ndate: May 2013\n",
			[]string{`3: date "May 2013": write it as YYYY-MM-DD`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "---\n" + tc.fm + "---\nBody.\n"
			v, ps := ParseFile(ArticlesDir, "content/articles/x.md", []byte(src))
			if v != nil || len(ps.Errors()) == 0 {
				t.Fatalf("accepted: %v", ps)
			}
			all := ps.Error()
			for _, w := range tc.want {
				if !strings.Contains(all, "content/articles/x.md:"+w) && !strings.Contains(all, w) {
					t.Errorf("lacks %q:\n%s", w, all)
				}
			}
			if !strings.Contains(all, "content/articles/x.md:"+strings.SplitN(tc.want[0], ":", 2)[0]+":") {
				t.Errorf("not at line %s:\n%s", strings.SplitN(tc.want[0], ":", 2)[0], all)
			}
			for _, w := range parserWords {
				if strings.Contains(all, w) {
					t.Errorf("parser's words %q in:\n%s", w, all)
				}
			}
		})
	}
}

// Every problem of a file's front matter at once, not the first only: a
// syntax error in one field does not hide the problems of the others.
func TestEveryFrontMatterProblemOfAFile(t *testing.T) {
	src := `---
titel: T
outlet: AFP
date: 2013-02-30
topics: syria
summary: "unclosed
annotations:
  - quote: "one
    kind: context
    note: "n"
  - quote: two
    kind: context
    nte: x
  - quote: three
	kind: context
---
Body.
`
	_, ps := ParseFile(ArticlesDir, "content/articles/x.md", []byte(src))
	want := []string{
		`content/articles/x.md:2: unknown field "titel": did you mean "title"?`,
		`content/articles/x.md:4: date "2013-02-30": day 30 does not exist`,
		`content/articles/x.md:5: topics must be a list`,
		`content/articles/x.md:6: the quote (") that opens this value is never closed`,
		`content/articles/x.md:8: the quote (") that opens this value is never closed`,
		`content/articles/x.md:13: unknown field "nte": did you mean "note"?`,
		`content/articles/x.md:15: a tab indents this line`,
	}
	all := ps.Error()
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("lacks %q in:\n%s", w, all)
		}
	}
	if len(ps) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(ps), len(want), all)
	}
}

func writeContent(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, s := range files {
		full := filepath.Join(root, "content", filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func load(t *testing.T, files map[string]string) diag.List {
	t.Helper()
	_, err := Load(context.Background(), writeContent(t, files))
	return diag.From(err, "")
}

const okArticle = "---\ntitle: %s\noutlet: %s\ndate: 2013-05-07\ntopics: [%s]\nsummary: s\n%s---\nJohn Kerry arrived.\n"

// A reference that does not resolve names the closest existing one, for
// topics, claims, speakers (by file name, or by a name or alias of the
// entity) and the timeline's articles and topics, each at the line of the
// field to fix.
func TestDidYouMeanForEveryReference(t *testing.T) {
	ann := "annotations:\n  - quote: Kerry\n    kind: context\n    claim: death-tol\n    speaker: kerry\n    note: n\n  - quote: arrived\n    kind: contxt\n    speaker: jon-kerry\n    note: n\n"
	ps := load(t, map[string]string{
		"topics/syria.md":        "---\ntitle: Syria\n---\n",
		"claims/death-toll.md":   "---\ntitle: The toll\n---\n",
		"entities/john-kerry.md": "---\nname: John Kerry\nkind: person\naliases: [Kerry]\n---\n",
		"articles/first.md":      fmt.Sprintf(okArticle, "First", "AFP", "syira", ann),
		"timeline.yaml":          "- date: 2013-05-07\n  title: Talks\n  articles: [frist]\n  topics: [siria]\n",
	})
	for _, w := range []string{
		`content/articles/first.md:5: unknown topic "syira": did you mean "syria"?`,
		`content/articles/first.md:10: unknown claim "death-tol": did you mean "death-toll"?`,
		`content/articles/first.md:11: unknown speaker "kerry": did you mean "john-kerry"? (entities are named by their file name)`,
		`content/articles/first.md:14: annotation kind "contxt" is not one of context, correction, fact-check, editorial: did you mean "context"?`,
		`content/articles/first.md:15: unknown speaker "jon-kerry": did you mean "john-kerry"?`,
		`content/timeline.yaml:3: event "Talks" names unknown article "frist": did you mean "first"?`,
		`content/timeline.yaml:4: event "Talks" names unknown topic "siria": did you mean "syria"?`,
	} {
		if !strings.Contains(ps.Error(), w) {
			t.Errorf("lacks %q in:\n%s", w, ps.Error())
		}
	}
	// Nothing close: say where the names come from instead.
	ps = load(t, map[string]string{
		"topics/syria.md":   "---\ntitle: Syria\n---\n",
		"articles/first.md": fmt.Sprintf(okArticle, "First", "AFP", "sport", ""),
	})
	if w := `unknown topic "sport": use the file name of one in content/topics/ without .md, or create content/topics/sport.md`; !strings.Contains(ps.Error(), w) {
		t.Errorf("lacks %q in:\n%s", w, ps.Error())
	}
}

// One broken file gives its own problems, not knock-on errors in the files
// that refer to it.
func TestNoCascadesFromABrokenFile(t *testing.T) {
	ps := load(t, map[string]string{
		"topics/syria.md":    "---\ntitle: Syria\n\tkeywords: [x]\n---\n",
		"articles/first.md":  "---\ntitle: \"unclosed\noutlet: AFP\ndate: 2013-05-07\ntopics: [syria]\n---\nText.\n",
		"articles/second.md": fmt.Sprintf(okArticle, "Second", "AFP", "syria", ""),
		"timeline.yaml": "- date: 2013-05-07\n  title: One\n  articles: [first, second]\n  topics: [syria]\n" +
			"- date: 2013-05-08\n  title: Two\n  articles: [first]\n",
	})
	errs := ps.Errors()
	if len(errs) != 2 {
		t.Errorf("%d errors, want 2 (one per broken file):\n%s", len(errs), errs.Error())
	}
	for _, w := range []string{"content/topics/syria.md:3: a tab", "content/articles/first.md:2: the quote"} {
		if !strings.Contains(errs.Error(), w) {
			t.Errorf("lacks %q in:\n%s", w, errs.Error())
		}
	}
	for _, bad := range []string{"timeline.yaml", "unknown topic", "create content/topics/syria.md"} {
		if strings.Contains(errs.Error(), bad) {
			t.Errorf("knock-on error %q:\n%s", bad, errs.Error())
		}
	}
}

// Outlets in any script get distinct readable pages; two names that would
// share one page are an error naming both files.
func TestOutletNamesOutsideASCII(t *testing.T) {
	ps := load(t, map[string]string{
		"topics/t.md":   "---\ntitle: T\n---\n",
		"articles/a.md": fmt.Sprintf(okArticle, "A", "日本経済新聞", "t", ""),
		"articles/b.md": fmt.Sprintf(okArticle, "B", "Коммерсантъ", "t", ""),
		"articles/c.md": fmt.Sprintf(okArticle, "C", "Süddeutsche Zeitung", "t", ""),
		"articles/d.md": fmt.Sprintf(okArticle, "D", "Recep Tayyip Erdoğan", "t", ""),
		"entities/e.md": "---\nname: Сергей Лавров\nkind: person\n---\n",
		"timeline.yaml": "- date: 2013-05-07\n  title: Эрдоган\n- date: 2013-05-08\n  title: Erdoğan\n",
	})
	if errs := ps.Errors(); len(errs) > 0 {
		t.Fatalf("non-ASCII names refused:\n%s", errs.Error())
	}
	ps = load(t, map[string]string{
		"topics/t.md":   "---\ntitle: T\n---\n",
		"articles/a.md": fmt.Sprintf(okArticle, "A", "Коммерсантъ", "t", ""),
		"articles/b.md": fmt.Sprintf(okArticle, "B", "Kommersant", "t", ""),
		"timeline.yaml": "- date: 2013-05-07\n  title: Erdoğan speaks\n- date: 2013-05-07\n  title: Erdogan speaks!\n",
	})
	for _, w := range []string{
		`content/articles/b.md:3: outlet "Kommersant" and "Коммерсантъ" (in content/articles/a.md) would share the page outlets/kommersant/`,
		`content/timeline.yaml:3: event "Erdogan speaks!" and the event on line 1 ("Erdoğan speaks") get the same link anchor #e2013-05-07-erdogan-speaks`,
	} {
		if !strings.Contains(ps.Error(), w) {
			t.Errorf("lacks %q in:\n%s", w, ps.Error())
		}
	}
}

// Two long titles that differ only past the part an anchor keeps are told
// so: "make their titles differ in letters or digits" read as wrong, since
// they did (found by hostile testing).
func TestEventAnchorOfLongTitles(t *testing.T) {
	ps := load(t, map[string]string{
		"topics/t.md":   "---\ntitle: T\n---\n",
		"timeline.yaml": "- date: 2013-05-07\n  title: Kerry's talks in Moscow with Putin and Lavrov, part one\n- date: 2013-05-07\n  title: Kerry's talks in Moscow with Putin and Lavrov, part two\n",
	})
	want := `content/timeline.yaml:3: event "Kerry's talks in Moscow with Putin and Lavrov, part two" and the event on line 1 ("Kerry's talks in Moscow with Putin and Lavrov, part one") get the same link anchor #e2013-05-07-kerrys-talks-in-moscow-with-putin-and-la, which keeps the start of a long title only: make their titles differ sooner`
	if !strings.Contains(ps.Error(), want) {
		t.Errorf("lacks %q in:\n%s", want, ps.Error())
	}
}

// A key set twice is one problem among the item's others, each at its line:
// it does not hide them (the YAML parser alone would refuse the whole item).
func TestDuplicateKeyDoesNotHideOtherProblems(t *testing.T) {
	for _, src := range []string{
		"- date: 2013-05-07\n  title: A\n  extra: x\n  title: B\n",
		"events:\n  - date: 2013-05-07\n    title: A\n    extra: x\n    title: B\n",
	} {
		_, ps := ParseTimeline("content/timeline.yaml", []byte(src))
		off := strings.Count(src[:strings.Index(src, "date")], "\n")
		for _, want := range []string{
			fmt.Sprintf("content/timeline.yaml:%d: unknown field \"extra\"", 3+off),
			fmt.Sprintf("content/timeline.yaml:%d: title is set twice (first on line %d)", 4+off, 2+off),
		} {
			found := false
			for _, p := range ps {
				found = found || strings.HasPrefix(p.Error(), want)
			}
			if !found {
				t.Errorf("%q: no problem %q in %v", src, want, ps)
			}
		}
	}
}

// An empty alias is an error at its line (it would match nothing, and
// says the editor meant to write something).
func TestEmptyAlias(t *testing.T) {
	ps := load(t, map[string]string{
		"entities/e.md": "---\nname: John Kerry\nkind: person\naliases:\n  - Kerry\n  - \"\"\n  - \"  \"\n---\n",
	})
	errs := ps.Errors()
	for _, w := range []string{"content/entities/e.md:6: alias 2 is empty", "content/entities/e.md:7: alias 3 is empty"} {
		if !strings.Contains(errs.Error(), w) {
			t.Errorf("lacks %q in:\n%s", w, errs.Error())
		}
	}
	if len(errs) != 2 {
		t.Errorf("%d errors, want 2:\n%s", len(errs), errs.Error())
	}
}

// A front-matter problem does not hide the file's other problems: its
// references and values are checked as far as they could be read, all at
// once; what the problem left unread is not also reported missing, and
// the file is still not a reference target's cascade.
func TestFrontMatterProblemDoesNotHideTheOthers(t *testing.T) {
	ps := load(t, map[string]string{
		"topics/syria.md":   "---\ntitle: Syria\n---\n",
		"claims/toll.md":    "---\ntitle: The toll\n---\n",
		"entities/kerry.md": "---\nname: John Kerry\nkind: person\n---\n",
		"articles/a.md": "---\ntitle: T\noutlet: AFP\ndate: 2013-02-30\ntopics: [syria, nosuch, syira]\nsummary: s\n" +
			"annotations:\n  - quote: Kerry\n    kind: bogus\n    claim: nothere\n    speaker: nobody\n    note: n\n" +
			"  - quote: [not, text]\n    kind: context\n    note: [no, note]\n---\nKerry arrived.\n",
		"articles/b.md": fmt.Sprintf(okArticle, "B", "AFP", "syria", ""),
	})
	errs := ps.Errors()
	for _, w := range []string{
		"content/articles/a.md:4: ",                       // the date
		`content/articles/a.md:5: unknown topic "nosuch"`, // references, read as far as they could be
		`content/articles/a.md:5: unknown topic "syira"`,
		`content/articles/a.md:9: annotation kind "bogus"`,
		`content/articles/a.md:10: unknown claim "nothere"`,
		`content/articles/a.md:11: unknown speaker "nobody"`,
		"content/articles/a.md:13: quote must be text",
		"content/articles/a.md:15: note must be text",
	} {
		if !strings.Contains(errs.Error(), w) {
			t.Errorf("lacks %q in:\n%s", w, errs.Error())
		}
	}
	for _, bad := range []string{"has no date", "fill in date", "add date", "has no quote", "has no note", "content/articles/b.md"} {
		if strings.Contains(errs.Error(), bad) {
			t.Errorf("a cascade %q in:\n%s", bad, errs.Error())
		}
	}
}

// The "---" lines around the front matter may end in spaces or a tab, as
// editors leave them: an opening line "---  " was "missing front matter",
// a closing one "front matter is not closed", though the editor sees both
// lines (found by hostile testing).
func TestFrontMatterDelimitersWithTrailingSpace(t *testing.T) {
	for _, src := range []string{
		"---  \ntitle: T\n---\nBody.\n",
		"---\ntitle: T\n--- \nBody.\n",
		"---\t\r\ntitle: T\r\n---\t \r\nBody.\r\n",
		"---\ntitle: T\n...  \nBody.\n",
	} {
		fm, body, line, err := splitFrontMatter([]byte(src))
		if err != nil || !strings.Contains(string(fm), "title: T") || strings.TrimSpace(string(body)) != "Body." || line != 4 {
			t.Errorf("%q: front matter %q, body %q at line %d, %v", src, fm, body, line, err)
		}
	}
}

// A timeline.yaml with problems of its own (a date that does not exist, a
// misspelt field) still has the rest of its events checked, in the same
// run: an event with no title, an unknown article or two events with one
// anchor were listed only once the first problems were fixed. A date or
// title written but unreadable is not also missing (found by hostile
// testing).
func TestBrokenTimelineListsEveryProblem(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"a list", `- date: 2013-02-30
  title: Bad day
  articles: [nope]
- date: 2013-05-07
  title: Talks
- date: 2013-05-07
  title: Talks!
- title: No date
- date: 2013
- title: Date second
  date: 2013-14-01
  note: See [the report](nope.md).
- date: 2013-05-08
  title: Misspelt
  articel: [first]
  topics: [syira]
`},
		{"events:", `events:
  - date: 2013-02-30
    title: Bad day
    articles: [nope]
  - date: 2013-05-07
    title: Talks
  - date: 2013-05-07
    title: Talks!
  - title: No date
  - date: 2013
  - title: Date second
    date: 2013-14-01
    note: See [the report](nope.md).
  - date: 2013-05-08
    title: Misspelt
    articel: [first]
    topics: [syira]
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := writeContent(t, map[string]string{
				"topics/syria.md":   "---\ntitle: Syria\n---\n",
				"articles/first.md": fmt.Sprintf(okArticle, "First", "AFP", "syria", "unverified: test\n"),
				"timeline.yaml":     tc.src,
			})
			c, err := Load(context.Background(), root)
			ps := diag.From(err, "")
			off := 0
			if strings.HasPrefix(tc.src, "events:") {
				off = 1
			}
			want := []string{
				fmt.Sprintf("%d: date \"2013-02-30\": day 30 does not exist", 1+off),
				fmt.Sprintf("%d: event \"Bad day\" names unknown article \"nope\"", 3+off),
				fmt.Sprintf("%d: event \"Talks!\" and the event on line %d", 6+off, 4+off),
				fmt.Sprintf("%d: event has no date", 8+off),
				fmt.Sprintf("%d: event has no title", 9+off),
				fmt.Sprintf("%d: date \"2013-14-01\": month 14 does not exist", 11+off),
				fmt.Sprintf("%d: link to \"nope.md\": no such content file", 12+off),
				fmt.Sprintf("%d: unknown field \"articel\"", 15+off),
				fmt.Sprintf("%d: event \"Misspelt\" names unknown topic \"syira\"", 16+off),
			}
			var got []string
			for _, p := range ps {
				if p.File != "content/timeline.yaml" {
					t.Errorf("a problem elsewhere: %v", p)
				}
				got = append(got, fmt.Sprintf("%d: %s", p.Line, p.Msg))
			}
			// The link in a note is the Markdown stage's (the build's) to report.
			want = slices.DeleteFunc(want, func(w string) bool { return strings.Contains(w, "link to") })
			if len(got) != len(want) {
				t.Errorf("%d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
			}
			for _, w := range want {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
					t.Errorf("lacks %q in:\n%s", w, strings.Join(got, "\n"))
				}
			}
			if c == nil || len(c.Timeline) != 0 || !c.TimelineBroken() {
				t.Errorf("a timeline with problems is part of the dossier")
			}
		})
	}
}

// A reference that does not resolve because of how it is written is told
// how to write it: an empty item, a path such as links between content
// files use, a name that is not a file name. The advice was to create
// content/topics/.md, content/topics/../topics/syria.md.md or
// content/entities/Someone Else.md, which would be refused in turn (found
// by hostile testing).
func TestReferenceAdviceIsAFileName(t *testing.T) {
	ann := "annotations:\n  - quote: Kerry\n    kind: context\n    speaker: Someone Else\n    note: n\n"
	ps := load(t, map[string]string{
		"topics/syria.md":   "---\ntitle: Syria\n---\n",
		"articles/first.md": fmt.Sprintf(okArticle, "First", "AFP", `syria, "", ../topics/syria.md, syria.md, Labour Law, "---"`, "unverified: test\n"+ann),
		"timeline.yaml":     "- date: 2013-05-07\n  title: Talks\n  articles: [first.md, \"\"]\n",
	})
	got := ps.Error()
	for _, w := range []string{
		`content/articles/first.md:5: no topic (an empty item): write the file name of one in content/topics/ without .md, or remove the item`,
		`content/articles/first.md:5: unknown topic "../topics/syria.md": write the file name alone, without its folder or .md: syria`,
		`content/articles/first.md:5: unknown topic "syria.md": write the file name alone, without its folder or .md: syria`,
		`content/articles/first.md:5: unknown topic "Labour Law": use the file name of one in content/topics/ without .md, or create content/topics/labour-law.md and write labour-law here`,
		"content/articles/first.md:5: unknown topic \"---\": use the file name of one in content/topics/ without .md\n",
		`content/articles/first.md:11: unknown speaker "Someone Else": use the file name of one in content/entities/ without .md, or create content/entities/someone-else.md and write someone-else here`,
		`content/timeline.yaml:3: event "Talks" names unknown article "first.md": write the file name alone, without its folder or .md: first`,
		`content/timeline.yaml:3: event "Talks" names no article (an empty item)`,
	} {
		if !strings.Contains(got+"\n", w) {
			t.Errorf("lacks %q in:\n%s", w, got)
		}
	}
}

// A front matter written below a "---" line too many (the file opens with
// "---", "---", then the fields and a third "---") is one problem at the
// second line, saying to remove it: the editor was told to add title: and
// every other field, which are all there. An empty front matter followed
// by text that reads otherwise keeps its usual problems.
func TestFrontMatterBelowAnExtraDelimiter(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line      int    // of the one problem, 0 for none of splitFrontMatter's
		want      string // in its message
	}{
		{"fields below", "---\n---\ntitle: T\noutlet: AFP\n---\nBody.\n", 2, "remove this line"},
		{"blank line first, CRLF", "---\r\n---\r\n\r\ntitle: T\r\n---\r\nBody.\r\n", 2, "remove this line"},
		{"a key with no value", "---\n---\ntopics:\n  - syria\n---\n", 2, "remove this line"},
		{"text, then a rule", "---\n---\nNote: the talks went on.\n\n---\n\nMore text.\n", 0, ""},
		{"text with a colon", "---\n---\nIn Moscow: talks.\n\n---\n", 0, ""},
		{"fields, no closing line", "---\n---\ntitle: T\n", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := splitFrontMatter([]byte(tc.src))
			if tc.line == 0 {
				if err != nil {
					t.Fatalf("split: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("split the file without a problem")
			}
			p := splitProblem("content/articles/x.md", err)
			if p.Line != tc.line || !strings.Contains(p.Msg, tc.want) {
				t.Errorf("%s:%d: %s; want line %d saying %q", p.File, p.Line, p.Msg, tc.line, tc.want)
			}
		})
	}
	// Through ParseFile: that one problem, not "add title:".
	_, ps := ParseFile(ArticlesDir, "content/articles/x.md", []byte("---\n---\ntitle: T\noutlet: AFP\ndate: 2013-05-07\n---\nBody.\n"))
	if len(ps) != 1 || ps[0].Line != 2 || strings.Contains(ps[0].Msg, "add title") {
		t.Errorf("problems %v, want the one at line 2", ps)
	}
}
