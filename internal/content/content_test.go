package content

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/diag"
)

func TestParseArticleFrontMatterErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // substring of the problem, which must start with file:line
	}{
		{"unknown key", "---\ntitle: T\noutlet: O\ndate: 2013-05-07\nheadline: x\n---\nBody\n", "content/articles/x.md:5: "},
		{"bad type", "---\ntitle: T\noutlet: O\ndate: 2013-05-07\ntopics: 12\n---\nBody\n", "content/articles/x.md:5: "},
		{"bad date", "---\ntitle: T\noutlet: O\ndate: 2013-02-30\n---\nBody\n", "content/articles/x.md:4: date \"2013-02-30\": day 30 does not exist"},
		{"duplicate key", "---\ntitle: T\ntitle: U\n---\n", "content/articles/x.md:3: "},
		{"syntax", "---\ntitle: [unclosed\noutlet: O\n---\n", "content/articles/x.md:"},
		{"unclosed", "---\ntitle: T\n", "content/articles/x.md:1: front matter is not closed"},
		{"missing", "just text\n", "content/articles/x.md:1: missing front matter"},
		{"annotation unknown key", "---\ntitle: T\nannotations:\n  - quote: a\n    kind: context\n    nope: 1\n---\n", "content/articles/x.md:6: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := ParseFile(ArticlesDir, "content/articles/x.md", []byte(tc.src))
			if len(ps) == 0 {
				t.Fatalf("no problem reported")
			}
			if got := ps[0].Error(); !strings.HasPrefix(got, tc.want) && !strings.Contains(got, tc.want) {
				t.Errorf("problem = %q, want it to start with %q", got, tc.want)
			}
		})
	}
}

func TestParseArticleLines(t *testing.T) {
	src := "---\ntitle: T\noutlet: O\ndate: 2013-05-07\ntopics: [syria]\nannotations:\n  - quote: first\n    kind: context\n    note: n\n  - quote: second\n    kind: context\n    note: n\n---\n\nBody starts here.\n"
	v, ps := ParseFile(ArticlesDir, "content/articles/kerry.md", []byte(src))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	a := v.(*Article)
	if a.Slug != "kerry" || a.Title != "T" || a.Date.String() != "2013-05-07" {
		t.Errorf("parsed %+v", a)
	}
	if a.Annotations[0].Line != 7 || a.Annotations[1].Line != 10 {
		t.Errorf("annotation lines = %d, %d; want 7, 10", a.Annotations[0].Line, a.Annotations[1].Line)
	}
	if a.BodyLine != 14 {
		t.Errorf("BodyLine = %d, want 14", a.BodyLine)
	}
	if !strings.HasPrefix(string(a.Body), "\nBody starts") {
		t.Errorf("body = %q", a.Body)
	}
}

func TestDateCompareAndPrecision(t *testing.T) {
	mk := func(s string) Date {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	order := []string{"2012", "2012-06", "2012-06-30", "2013-02-01", "2013-05", "2013-05-07"}
	for i := 1; i < len(order); i++ {
		if mk(order[i-1]).Compare(mk(order[i])) >= 0 {
			t.Errorf("%s should sort before %s", order[i-1], order[i])
		}
	}
	if got := mk("2013-05").Human(); got != "May 2013" {
		t.Errorf("Human = %q", got)
	}
	for _, bad := range []string{"2013-13", "13-05-07", "2013-5-7", "May 2013", "2013-02-29"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	root := t.TempDir()
	write := func(p, s string) {
		full := filepath.Join(root, "content", p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("topics/syria.md", "---\ntitle: Syria\n---\n")
	write("articles/a.md", "---\ntitle: A\noutlet: O\ndate: 2013-05-07\ntopics: [syria, nowhere]\n---\n")
	write("articles/b.md", "---\ntitle: B\noutlet: O\ndate: 2013-05-07\ntopics: [syria]\nannotations:\n  - quote: x\n    kind: gossip\n    claim: ghost\n    note: n\n---\n")
	write("articles/Bad Name.md", "---\ntitle: C\noutlet: O\ndate: 2013-05-07\n---\n")
	_, err := Load(context.Background(), root)
	if err == nil {
		t.Fatal("Load accepted broken content")
	}
	msg := err.Error()
	for _, want := range []string{
		"content/articles/a.md:5: unknown topic \"nowhere\"",
		"content/articles/b.md:8: annotation kind \"gossip\"",
		"content/articles/b.md:9: unknown claim \"ghost\"",
		"content/articles/Bad Name.md: file name",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("problems lack %q:\n%s", want, msg)
		}
	}
}

func TestTimelineMixedPrecisionOrderAndComments(t *testing.T) {
	src := "# events behind the dossier\n- date: 2013-05-07\n  title: Moscow talks\n- date: 2013\n  title: Year only\n- date: 2012-06\n  title: June 2012\n- date: 2013-05\n  title: May 2013\n"
	evs, ps := ParseTimeline("content/timeline.yaml", []byte(src))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if evs[0].Line != 2 || evs[1].Line != 4 {
		t.Errorf("event lines = %d, %d; want 2, 4", evs[0].Line, evs[1].Line)
	}
	c := &Content{Timeline: evs}
	c.Sort()
	var got []string
	for _, e := range c.Timeline {
		got = append(got, e.Date.String())
	}
	if strings.Join(got, " ") != "2012-06 2013 2013-05 2013-05-07" {
		t.Errorf("order = %v", got)
	}
	_, ps = ParseTimeline("content/timeline.yaml", []byte("- date: 2013-14\n  title: bad\n"))
	if len(ps) != 1 || ps[0].Line != 1 {
		t.Errorf("bad date problems = %v", ps)
	}
}

// A Markdown file not named .md, or a subfolder, in a content folder is
// left out of the site: each is a warning naming it and what to do, not a
// silent omission. Editors' scratch files, hidden entries and other files
// stay unmentioned.
func TestLoadWarnsOfFilesItDoesNotRead(t *testing.T) {
	const article = "---\ntitle: A\noutlet: O\ndate: 2013-05-07\ntopics: [syria]\nunverified: test\n---\nText.\n"
	root := writeContent(t, map[string]string{
		"topics/syria.md":         "---\ntitle: Syria\n---\n",
		"articles/a.md":           article,
		"articles/Upper.MD":       article,
		"articles/long.markdown":  article,
		"articles/2013/nested.md": article,
		"topics/old/x.md":         "---\ntitle: X\n---\n",
		"articles/notes.txt":      "not an article",
		"articles/.drafts/d.md":   article,
		"articles/4913":           "",
		"articles/a.md~":          article,
	})
	c, err := Load(context.Background(), root)
	if c == nil || len(c.Articles) != 1 {
		t.Fatalf("Load: %v", err)
	}
	ps := diag.From(err, "")
	if len(ps.Errors()) > 0 {
		t.Fatalf("errors: %v", ps.Errors())
	}
	want := map[string]string{
		"content/articles/Upper.MD":      "rename it Upper.md",
		"content/articles/long.markdown": "rename it long.md",
		"content/articles/2013":          "this folder is not read",
		"content/topics/old":             "this folder is not read",
	}
	for _, p := range ps {
		w, ok := want[p.File]
		if !ok {
			t.Errorf("unexpected problem: %v", p)
			continue
		}
		if p.Severity != diag.Warning || !strings.Contains(p.Error(), w) {
			t.Errorf("%s: %v, want a warning saying %q", p.File, p, w)
		}
		delete(want, p.File)
	}
	for f := range want {
		t.Errorf("no warning for %s", f)
	}
}

// A byte order mark at the start of a YAML file (some Windows editors write
// one) is not part of the first key: dossier.yaml and timeline.yaml, in
// either of its forms, read as without it.
func TestYAMLFilesWithByteOrderMark(t *testing.T) {
	const bom = "\xef\xbb\xbf"
	cfg, ps := ParseConfig("content/dossier.yaml", []byte(bom+"title: Moscow talks\nlanguage: de\n"))
	if len(ps) > 0 || cfg.Title != "Moscow talks" || cfg.Language != "de" {
		t.Errorf("dossier.yaml: %+v, %v", cfg, ps)
	}
	for _, src := range []string{
		"- date: 2013-05-07\n  title: Talks\n",
		"events:\n  - date: 2013-05-07\n    title: Talks\n",
	} {
		evs, ps := ParseTimeline("content/timeline.yaml", []byte(bom+src))
		if len(ps) > 0 || len(evs) != 1 || evs[0].Title != "Talks" {
			t.Errorf("timeline.yaml %q: %d events, %v", src, len(evs), ps)
		}
	}
}

// A symbolic link to nothing in a content folder is an error saying so, not
// a bare "no such file".
func TestDanglingLinkIsNamed(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "content", "articles")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "gone.md"), filepath.Join(dir, "a.md")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, err := Load(context.Background(), root)
	if err == nil || !strings.Contains(err.Error(), "content/articles/a.md: this is a symbolic link to "+filepath.Join(root, "gone.md")+", which does not exist") {
		t.Errorf("got %v", err)
	}
}

// timeline.yaml written as a flow list, "[]" for no events yet or events in
// brackets, is a list too: it was read as a mapping and refused with "must
// be a set of fields, not a list" (found by hostile testing).
func TestTimelineAsFlowList(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want int
	}{
		{"[]\n", 0},
		{"# no events yet\n[]\n", 0},
		{"[{date: 2013-05-07, title: Talks}]\n", 1},
		{"[\n  {date: 2013-05-07, title: Talks},\n  {date: 2013-05-08, title: More},\n]\n", 2},
	} {
		evs, ps := ParseTimeline("content/timeline.yaml", []byte(tc.src))
		if len(ps) > 0 || len(evs) != tc.want {
			t.Errorf("timeline.yaml %q: %d events, want %d: %v", tc.src, len(evs), tc.want, ps)
		}
	}
}
