package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/testsite"
)

// Problems in static files, templates and content are listed in one run,
// each with its file: a broken partials.html or layout does not hide a
// broken page template, a misnamed static file does not hide the
// templates, and neither hides the content's problems.
func TestEveryTemplateAndStaticProblemAtOnce(t *testing.T) {
	root := testsite.New(t)
	testsite.Write(t, root, "static/Bad.css", "p{}")
	testsite.Write(t, root, "static/with space.js", "x")
	testsite.Write(t, root, "templates/partials.html", `{{define "meta"}}{{end`)
	testsite.Write(t, root, "templates/base.html", `<!DOCTYPE html>{{block "main" .}}{{end}}{{.Title`)
	testsite.Write(t, root, "templates/404.html", `{{define "main"}}{{.Foo`)
	testsite.Write(t, root, "templates/topic.html", `{{define "main"}}{{ if }}{{end}}{{end}}`)
	const article = "content/articles/strike-spreads-to-rail.md"
	src := testsite.Read(t, root, article)
	testsite.Write(t, root, article, strings.Replace(src, "title: ", "titel: ", 1))

	_, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err == nil {
		t.Fatal("the build succeeded")
	}
	ps := diag.From(err, "")
	for _, want := range []string{"static/Bad.css", "static/with space.js", "templates/partials.html:1", "templates/base.html:1", "templates/404.html:1", "templates/topic.html:1", article} {
		n := 0
		for _, p := range ps {
			if strings.HasPrefix(p.Error(), want) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d problems at %s, want 1; all:\n%v", n, want, err)
		}
	}
}

// An annotation without a quote is one problem, at its line, not one from
// the content's checks and another from anchoring.
func TestEmptyQuoteIsOneProblem(t *testing.T) {
	root := testsite.New(t)
	testsite.Write(t, root, "content/articles/quote-less.md", strings.Replace(
		testsite.Article("Quote-less note", "Northern Wire", 9, []string{"wages"}, "Pay talks go on."),
		"---\n\n", "annotations:\n  - quote: \"  \"\n    kind: context\n    note: A note.\n---\n\n", 1))
	_, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err == nil {
		t.Fatal("the build succeeded")
	}
	var at []string
	for _, p := range diag.From(err, "") {
		if p.File == "content/articles/quote-less.md" {
			at = append(at, p.Error())
		}
	}
	if len(at) != 1 || !strings.Contains(at[0], "quote-less.md:8: annotation has no quote") {
		t.Errorf("problems of the article: %q; want one, at line 8, saying it has no quote", at)
	}
}

// A link's problem in a Markdown field of the front matter or the timeline
// is at the link's own line: counted from the line the field's text starts
// on (the key's for a quoted value, the next for a block), not from the
// annotation's or the event's first line. (A folded block, >, joins its
// lines into one: its problems are at its first line.)
func TestLinksInFieldsAtTheirLines(t *testing.T) {
	root := testsite.New(t)
	rel := "content/articles/dockers-walk-out.md"
	src := testsite.Read(t, root, rel)
	src = strings.Replace(src, "editorNote: The byline is as printed.\n",
		"editorNote: |\n  The byline is as printed.\n\n  See [one](../topics/missing-editor.md).\n", 1)
	src = strings.Replace(src, "    note: Okafor repeated this at every rally.\n",
		"    note: >-\n      Okafor repeated this\n      [two](../topics/missing-folded.md) at every rally.\n", 1)
	src = strings.Replace(src, "    note: The port authority did not say how it reached the figure.\n",
		"    note: \"[three](../topics/missing-quoted.md) The port authority did not say.\"\n", 1)
	testsite.Write(t, root, rel, src)
	tl := testsite.Read(t, root, "content/timeline.yaml")
	tl = strings.Replace(tl, "  note: The union rejects a two-year wage freeze.\n",
		"  note: |\n    The union rejects a two-year wage freeze.\n    [four](articles/missing-event.md)\n", 1)
	testsite.Write(t, root, "content/timeline.yaml", tl)

	lineOf := func(text, s string) int {
		i := strings.Index(text, s)
		if i < 0 {
			t.Fatalf("%q not in the file", s)
		}
		return 1 + strings.Count(text[:i], "\n")
	}
	_, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err == nil {
		t.Fatal("the build succeeded")
	}
	got := map[string]int{}
	for _, p := range diag.From(err, "") {
		for _, name := range []string{"missing-editor", "missing-folded", "missing-quoted", "missing-event"} {
			if strings.Contains(p.Msg, name) {
				got[name] = p.Line
			}
		}
	}
	for name, want := range map[string]int{
		"missing-editor": lineOf(src, "missing-editor"), "missing-folded": lineOf(src, "Okafor repeated this\n"),
		"missing-quoted": lineOf(src, "missing-quoted"), "missing-event": lineOf(tl, "missing-event"),
	} {
		if got[name] != want {
			t.Errorf("the link to %s: line %d, want %d (all: %v)", name, got[name], want, err)
		}
	}
}

// An article whose front matter has a problem has its text checked all the
// same: a link to nothing, a quote not in the text, a sentence its original
// does not have are listed with the front matter's problem, by build and
// check alike. An unread title does not read as a headline left out.
func TestBrokenFrontMatterDoesNotHideTheText(t *testing.T) {
	const rel = "content/articles/minister-meets-union.md"
	tests := []struct {
		name      string
		edit      func(string) string
		want, not []string
	}{
		{"bad date", func(s string) string {
			s = strings.Replace(s, "date: 2024-03-11", "date: 2024-02-30", 1)
			s = strings.Replace(s, `quote: "a fair offer on pay"`, `quote: "a fair offer on wages"`, 1)
			s = strings.Replace(s, "[The first report](dockers-walk-out.md)", "[The first report](no-such-report.md)", 1)
			return s + "\nA sentence no original has.\n"
		}, []string{
			rel + ":4: ", // the date
			`a fair offer on wages`,
			`no-such-report.md`,
			`A sentence no original has`,
		}, nil},
		{"unread title", func(s string) string {
			return strings.Replace(s, "title: Minister meets union as strike enters second week", "title: [Minister, meets]", 1) +
				"\nSee [nothing](nowhere.md).\n"
		}, []string{rel + ":2: ", "nowhere.md"}, []string{"Minister meets union as strike enters second week"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := testsite.New(t)
			testsite.Write(t, root, rel, tt.edit(testsite.Read(t, root, rel)))
			_, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
			if err == nil {
				t.Fatal("the build succeeded")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("lacks %q in:\n%s", w, msg)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(msg, w) {
					t.Errorf("has %q in:\n%s", w, msg)
				}
			}
			// Streamed, as dossier build runs: the same problems.
			_, serr := build.New(build.Options{Root: root, Sink: &collector{}}).Build(context.Background(), nil)
			if serr == nil || serr.Error() != msg {
				t.Errorf("streamed build:\n%v\nwant\n%s", serr, msg)
			}
		})
	}
}

// templates or static as a file, not a folder, is one problem each, at its
// name, saying what to do; the content's problems come with them.
func TestTemplatesOrStaticAsAFile(t *testing.T) {
	root := testsite.New(t)
	for _, name := range []string{"templates", "static"} {
		if err := os.RemoveAll(filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
		testsite.Write(t, root, name, "not a folder\n")
	}
	const article = "content/articles/strike-spreads-to-rail.md"
	testsite.Write(t, root, article, strings.Replace(testsite.Read(t, root, article), "title: ", "titel: ", 1))
	_, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	ps := diag.From(err, "")
	for _, want := range []string{"templates: this is a file, not a folder", "static: this is a file, not a folder", article + ":"} {
		n := 0
		for _, p := range ps {
			if strings.HasPrefix(p.Error(), want) {
				n++
			}
		}
		if n == 0 || want != article+":" && n != 1 {
			t.Errorf("%d problems starting %q in:\n%v", n, want, ps)
		}
	}
	if strings.Contains(ps.Error(), "templates: templates:") {
		t.Errorf("a doubled prefix:\n%v", ps)
	}
}
