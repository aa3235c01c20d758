package scaffold

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/check"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/markdown"
	"github.com/dossier-news/dossier/internal/testsite"
)

func TestNewNeverOverwritesAndNamesFilesInAnyScript(t *testing.T) {
	root := t.TempDir()
	for _, kind := range Kinds {
		p, err := New(root, kind, "Kerry's Moscow Talks")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(p); err != nil || !strings.HasSuffix(p, filepath.FromSlash("/kerrys-moscow-talks.md")) {
			t.Errorf("%s: returned %s (%v)", kind, p, err)
		}
		if _, err := New(root, kind, "Kerry's Moscow Talks"); err == nil {
			t.Errorf("%s: second New overwrote the file", kind)
		}
	}
	if p, err := New(root, "entity", "Recep Tayyip Erdoğan"); err != nil || filepath.Base(p) != "recep-tayyip-erdogan.md" {
		t.Errorf("Erdoğan: %s, %v", p, err)
	}
	// A long headline: a file name the file system takes, cut between
	// words, and the title whole.
	long := strings.Repeat("Kerry and Lavrov discuss the ceasefire in Syria again ", 8)
	p, err := New(root, "article", long)
	if err != nil {
		t.Fatalf("a %d-character headline: %v", len(long), err)
	}
	if base := filepath.Base(p); len(base) > maxSlug+len(".md") || !strings.HasPrefix(base, "kerry-and-lavrov-discuss") || strings.Contains(base, "-.md") {
		t.Errorf("long headline: file %s", base)
	}
	if b, _ := os.ReadFile(p); !strings.Contains(string(b), strings.TrimSpace(long)) {
		t.Errorf("long headline: the title is not whole:\n%s", b)
	}
	if _, err := New(root, "gossip", "x"); err == nil {
		t.Error("unknown kind accepted")
	}
	if _, err := New(root, "topic", "🙂"); err == nil {
		t.Error("a name with nothing to make a file name from was accepted")
	}
}

// A new topic, entity or claim passes `dossier check -strict` as it is (a
// note says nothing uses it yet); a new article fails with one "fill in"
// per field only an editor can fill in, each at its own line.
func TestScaffoldsPassTheGateOrSayWhatToFillIn(t *testing.T) {
	for _, tc := range []struct {
		kind string
		want []string // every error and warning, as "line: start of message"
	}{
		{"topic", nil},
		{"entity", nil},
		{"claim", nil},
		{"article", []string{"3: fill in outlet", "7: warning: fill in topics", "8: warning: fill in summary", `9: original "../originals/port-strike-day-five.txt": no such file`, "10: warning: the article has no text"}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			root := testsite.New(t)
			p, err := New(root, tc.kind, "Port strike: day five")
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			rep, err := check.Run(context.Background(), check.Options{Root: root, BaseURL: "https://example.github.io/calden/"})
			if err != nil {
				t.Fatal(err)
			}
			var got diag.List
			for _, pr := range rep.Problems {
				if pr.Severity != diag.Note {
					got = append(got, pr)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d problems, want %d:\n%v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				if s := got[i].Error(); !strings.HasPrefix(s, rel+":"+w) {
					t.Errorf("problem %d = %q, want %s:%s...", i, s, rel, w)
				}
			}
		})
	}
}

// A new article names its original. When the scraped text is already in
// content/originals/, the article's text starts as it, escaped so that
// Markdown keeps every character, and the article passes the provenance
// check at once; otherwise the build names the original still to save, at
// its line.
func TestNewArticleAndItsOriginal(t *testing.T) {
	root := testsite.New(t)
	const original = "Port strike: day five\n\n# Not a heading *nor emphasis* [nor a link](x) <b>\n1. not a list & no entity &amp; -- dashes\n- nor a list\n"
	testsite.Write(t, root, "content/originals/port-strike-day-five.txt", original)
	p, err := New(root, "article", "Port strike: day five")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	v, ps := content.ParseFile(content.ArticlesDir, "content/articles/port-strike-day-five.md", data)
	if len(ps.Errors()) > 0 {
		t.Fatalf("scaffold does not parse: %v", ps)
	}
	a := v.(*content.Article)
	if a.OriginalFile() != "content/originals/port-strike-day-five.txt" {
		t.Errorf("original: names %q", a.OriginalFile())
	}
	want := "Port strike: day five\n\n\\# Not a heading \\*nor emphasis\\* \\[nor a link\\](x) \\<b\\>\n\n1\\. not a list \\& no entity \\&amp; -- dashes\n\n\\- nor a list\n"
	if strings.TrimSpace(string(a.Body)) != strings.TrimSpace(want) {
		t.Errorf("body:\n%s\nwant\n%s", a.Body, want)
	}
	if saved := testsite.Read(t, root, "content/originals/port-strike-day-five.txt"); saved != original {
		t.Error("the saved original was changed")
	}
	rep, err := check.Run(context.Background(), check.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range rep.Problems {
		if strings.Contains(pr.Msg, "original") || strings.Contains(pr.Msg, "word for word") || strings.Contains(pr.Msg, "leaves out") {
			t.Errorf("the new article is not verified: %v", pr)
		}
	}
}

// An original saved in the wrong encoding is not copied into the new
// article with its bytes replaced by U+FFFD (the rendition would then differ
// from the original once it is saved as UTF-8): New names the byte and
// writes nothing. A byte-order mark, which editors on Windows save, is not
// text and does not start the first paragraph. Found by hostile testing.
func TestNewArticleFromAnOriginalNotUTF8(t *testing.T) {
	root := testsite.New(t)
	testsite.Write(t, root, "content/originals/cafe.txt", "Headline\n\nCaf\xe9 society\n")
	p, err := New(root, "article", "Cafe")
	if err == nil || !strings.Contains(err.Error(), "content/originals/cafe.txt:3: invalid UTF-8 (byte 0xE9)") {
		t.Errorf("err = %v, want the original's line and byte", err)
	}
	if _, serr := os.Stat(filepath.Join(root, "content/articles/cafe.md")); serr == nil {
		t.Errorf("the article was written (%s)", p)
	}

	testsite.Write(t, root, "content/originals/bom.txt", "\ufeffHeadline\r\n\r\nText.\r\n")
	p, err = New(root, "article", "Bom")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	if body := string(data[strings.LastIndex(string(data), "---\n")+4:]); body != "\nHeadline\n\nText.\n" {
		t.Errorf("body %q", body)
	}
}

// A web address in the original stays one link in the new article: escaped
// like the rest of the line ("a\_b"), it was linked only up to its first
// escape, so the page linked http://herald.example/a instead of the address
// the original gives (found by hostile testing). The text is still the
// original's, character for character.
func TestNewArticleKeepsWebAddressesWhole(t *testing.T) {
	root := testsite.New(t)
	const original = "Port strike: links\n\nSee http://herald.example/a_b_c?x=1&y=2~z*q, (https://herald.example/p_q) and https://herald.example/end.\n"
	testsite.Write(t, root, "content/originals/port-strike-links.txt", original)
	p, err := New(root, "article", "Port strike: links")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	body := string(data[strings.LastIndex(string(data), "---\n")+4:])
	doc, _ := markdown.New().Render([]byte(body), markdown.Options{File: "a.md", BodyLine: 1, Text: true})
	for _, href := range []string{`href="http://herald.example/a_b_c?x=1&amp;y=2~z*q"`, `href="https://herald.example/p_q"`, `href="https://herald.example/end"`} {
		if !strings.Contains(string(doc.HTML), href) {
			t.Errorf("no link %s in\n%s", href, doc.HTML)
		}
	}
	rep, err := check.Run(context.Background(), check.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range rep.Problems {
		if strings.Contains(pr.Msg, "word for word") || strings.Contains(pr.Msg, "leaves out") {
			t.Errorf("the new article is not verified: %v", pr)
		}
	}
}

// A name is one line of text: tabs and line breaks (a headline pasted from
// a page) become spaces in the title and the file name, and a control
// character or a bidirectional override is refused, naming it, with no
// file made (noted by hostile testing).
func TestNewNameIsOneLineOfText(t *testing.T) {
	root := t.TempDir()
	p, err := New(root, "topic", "  Kerry\tin\n\nMoscow ")
	if err != nil || filepath.Base(p) != "kerry-in-moscow.md" {
		t.Fatalf("New: %s, %v", p, err)
	}
	if b, _ := os.ReadFile(p); !strings.Contains(string(b), "title: \"Kerry in Moscow\"\n") {
		t.Errorf("the title is not one line:\n%s", b)
	}
	for _, tc := range []struct{ name, want string }{
		{"the deal was \u202eoff", "U+202E"},
		{"an \u2066isolate\u2069", "U+2066"},
		{"a bell\a", "U+0007"},
	} {
		if _, err := New(root, "claim", tc.name); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want a refusal naming %s", tc.name, err, tc.want)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(root, "content", "claims")); len(entries) != 0 {
		t.Errorf("files made for refused names: %v", entries)
	}
	// Right-to-left text with its marks is a name like any other.
	if _, err := New(root, "entity", "\u200fבנימין נתניהו"); err != nil {
		t.Errorf("a Hebrew name: %v", err)
	}
}

// An original saved with classic Mac OS line endings (CR alone) starts the
// new article one paragraph a line, as with LF ones, and the article is
// verified against it at once.
func TestNewArticleFromAnOriginalWithCRLineEndings(t *testing.T) {
	body := func(ending string) string {
		root := testsite.New(t)
		testsite.Write(t, root, "content/originals/port-strike.txt", strings.ReplaceAll("Port strike\n\nDockers walked out on Monday.\nThe port is shut.\n", "\n", ending))
		p, err := New(root, "article", "Port strike")
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(p)
		v, ps := content.ParseFile(content.ArticlesDir, "content/articles/port-strike.md", data)
		if len(ps.Errors()) > 0 {
			t.Fatalf("%q: the scaffold does not parse: %v", ending, ps)
		}
		rep, err := check.Run(context.Background(), check.Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range rep.Problems {
			if strings.Contains(pr.Msg, "word for word") || strings.Contains(pr.Msg, "leaves out") {
				t.Errorf("%q: not verified: %v", ending, pr)
			}
		}
		return string(v.(*content.Article).Body)
	}
	if lf, cr := body("\n"), body("\r"); cr != lf {
		t.Errorf("body from CR line endings:\n%q\nwant, as from LF ones:\n%q", cr, lf)
	}
}
