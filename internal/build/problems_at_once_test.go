package build_test

import (
	"context"
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
