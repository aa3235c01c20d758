package build_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/render"
	"github.com/dossier-news/dossier/internal/testsite"
)

// A "cached" partial is made once per page kind and build, yet every page
// showing it depends on the lists it reads: after an edit that changes one
// article's title, every page of the kind shows the new title in its
// partial, in the preview's incremental build as in a full one. A page
// kind's own definition of the partial is the one its pages show.
func TestCachedPartials(t *testing.T) {
	root := testsite.New(t)
	testsite.Unverify(t, root) // the test changes a title
	// Articles far from the one edited (another topic, weeks later), whose
	// pages show nothing of it but the partial.
	for i := range 8 {
		testsite.Write(t, root, fmt.Sprintf("content/articles/wage-note-%d.md", i),
			testsite.Article(fmt.Sprintf("Wage note %d", i), "Northern Wire", 20+i, []string{"wages"}, "Pay talks go on."))
	}
	// Article pages: a footer of their own listing every article's title;
	// the other kinds keep the layout's footer.
	testsite.Write(t, root, "templates/article.html", `{{define "main"}}{{with .Data}}<h1>{{.Title}}</h1>{{end}}{{end}}`+
		`{{define "site-footer"}}<footer id="own">{{range .Articles}}[{{.Title}}]{{end}} {{.Config.Title}}</footer>{{end}}`)
	b := build.New(build.Options{Root: root})
	first := mustBuild(t, b, nil)
	articles := 0
	for path, f := range first.Site.Files {
		page := string(f.Data)
		switch {
		case strings.HasPrefix(path, "articles/") && strings.HasSuffix(path, "/index.html") && !strings.Contains(path, "/original/"):
			articles++
			if !strings.Contains(page, `<footer id="own">`) || !strings.Contains(page, "[Strike spreads to rail freight]") {
				t.Errorf("%s: no footer of its own listing the articles:\n%s", path, page)
			}
		case strings.HasSuffix(path, ".html") && strings.Contains(page, `<footer id="own">`):
			t.Errorf("%s shows the article pages' footer", path)
		}
	}
	if articles < 2 {
		t.Fatalf("%d article pages", articles)
	}
	if home := string(first.Site.Files["index.html"].Data); !strings.Contains(home, `class="site-footer"`) {
		t.Errorf("the home page has not the layout's footer:\n%s", home)
	}

	rel := "content/articles/strike-spreads-to-rail.md"
	src := testsite.Read(t, root, rel)
	testsite.Write(t, root, rel, strings.Replace(src, "title: Strike spreads to rail freight", "title: Rail freight stops", 1))
	inc := mustBuild(t, b, []string{rel})
	full := mustBuild(t, build.New(build.Options{Root: root}), nil)
	for path, f := range full.Site.Files {
		if !strings.HasPrefix(path, "articles/") || !strings.HasSuffix(path, "/index.html") || strings.Contains(path, "/original/") {
			continue
		}
		if !strings.Contains(string(f.Data), "[Rail freight stops]") {
			t.Errorf("%s (full build): the footer misses the new title", path)
		}
		if got := inc.Site.Files[path]; got == nil || string(got.Data) != string(f.Data) {
			t.Errorf("%s: the incremental build's page differs from the full build's", path)
		}
	}
}

// A page that asks for a partial no template defines fails with the
// template's name, as {{template}} would.
func TestCachedPartialMissing(t *testing.T) {
	root := testsite.New(t)
	testsite.Write(t, root, "templates/topic.html", `{{define "main"}}{{cached "no-such-part" .Site}}{{end}}`)
	_, err := build.New(build.Options{Root: root}).Build(t.Context(), nil)
	if err == nil || !strings.Contains(err.Error(), "no-such-part") || !strings.Contains(err.Error(), "templates/topic.html") {
		t.Errorf("err = %v, want the missing partial and templates/topic.html named", err)
	}
}

// An article page's view repeats fields of its card and body as its own
// (for the template engine's sake): each copy equals its original, so a
// template reads the same through either.
func TestArticlePageCopiesItsCardAndBody(t *testing.T) {
	res := mustBuild(t, build.New(build.Options{Root: testsite.New(t)}), nil)
	n := 0
	for _, p := range render.Pages(res.Graph, nil).Pages {
		v, ok := p.Data.(*render.ArticlePage)
		if !ok {
			continue
		}
		n++
		if v.DateISO != v.Date.String() || v.DateHuman != v.Date.Human() {
			t.Errorf("%s: dates %q, %q; want %q, %q", p.Path, v.DateISO, v.DateHuman, v.Date.String(), v.Date.Human())
		}
		page := reflect.ValueOf(v).Elem()
		for i := range page.NumField() {
			f := page.Type().Field(i)
			if f.Anonymous {
				continue
			}
			for _, from := range []reflect.Value{reflect.ValueOf(v.ArticleCard).Elem(), reflect.ValueOf(v.Body).Elem()} {
				if orig := from.FieldByName(f.Name); orig.IsValid() && !reflect.DeepEqual(orig.Interface(), page.Field(i).Interface()) {
					t.Errorf("%s: %s = %v, its %s has %v", p.Path, f.Name, page.Field(i).Interface(), from.Type().Name(), orig.Interface())
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no article page")
	}
}

// A partial that shows itself is an error naming it, not a crash.
func TestCachedPartialShowingItself(t *testing.T) {
	root := testsite.New(t)
	testsite.Write(t, root, "templates/topic.html", `{{define "main"}}{{cached "loop" .Site}}{{end}}{{define "loop"}}<i>{{cached "loop" .}}</i>{{end}}`)
	_, err := build.New(build.Options{Root: root}).Build(t.Context(), nil)
	if err == nil || !strings.Contains(err.Error(), `cached "loop"`) || !strings.Contains(err.Error(), "templates/topic.html") {
		t.Errorf("err = %v, want the looping partial and templates/topic.html named", err)
	}
}

// A template mistake is reported once per place, with the template file's
// line and how many pages it broke, however many pages show it; a mistake
// only some pages hit names those pages.
func TestTemplateProblemsOncePerPlace(t *testing.T) {
	root := testsite.New(t)
	testsite.Write(t, root, "templates/base.html", "<!DOCTYPE html>\n<html><body>{{block \"main\" .}}{{end}}\n{{.Nope}}</body></html>\n")
	testsite.Write(t, root, "templates/topic.html", `{{define "main"}}{{with .Data}}{{if eq .Slug "strike"}}{{index .Items 99}}{{end}}{{end}}{{end}}`)
	_, err := build.New(build.Options{Root: root}).Build(t.Context(), nil)
	var ps diag.List
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want problems", err)
	}
	var layout, topic []diag.Problem
	for _, p := range ps {
		switch p.File {
		case "templates/base.html":
			layout = append(layout, p)
		case "templates/topic.html":
			topic = append(topic, p)
		default:
			t.Errorf("unexpected problem %v", p)
		}
	}
	if len(layout) != 1 || layout[0].Line != 3 || !strings.Contains(layout[0].Msg, "Nope") || !strings.Contains(layout[0].Msg, " pages: ") {
		t.Errorf("the layout's mistake: %v; want it once, at line 3, with the pages it broke", layout)
	}
	// The topic pages fail in the layout first; the topic template's own
	// mistake shows once the layout is mended.
	testsite.Write(t, root, "templates/base.html", "<!DOCTYPE html>\n<html><body>{{block \"main\" .}}{{end}}</body></html>\n")
	_, err = build.New(build.Options{Root: root}).Build(t.Context(), nil)
	ps = nil
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].File != "templates/topic.html" || ps[0].Line != 1 ||
		!strings.Contains(ps[0].Msg, "rendering topics/strike/") || strings.Contains(ps[0].Msg, " pages: ") {
		t.Errorf("the topic template's mistake: %v; want it once, naming the one page it broke", err)
	}
}

// A partial of one item ({{cached "related-item" $.Site .}}) is made once
// per card and build, and is the card's: every page listing a card as
// related shows its own partial's HTML, a project's definition of the
// partial wins, and after an edit of the card's title every page listing
// it shows the new title, in the preview's incremental build as in a full
// one.
func TestCachedItemPartials(t *testing.T) {
	root := testsite.New(t)
	testsite.Unverify(t, root) // the test changes a title
	testsite.Write(t, root, "templates/article.html", `{{define "main"}}{{with .Data}}<h1>{{.Title}}</h1>`+
		`<ul>{{range .Related}}<li>{{cached "related-item" $.Site .}}</li>{{end}}</ul>{{end}}{{end}}`+
		`{{define "related-item"}}<a class="rel" href="{{url .Site .Item.Path}}">[{{.Item.Title}}]</a>{{end}}`)
	b := build.New(build.Options{Root: root})
	first := mustBuild(t, b, nil)
	const title = "Strike spreads to rail freight"
	listing := 0
	for path, f := range first.Site.Files {
		if strings.Contains(string(f.Data), "["+title+"]") {
			listing++
			if !strings.Contains(string(f.Data), `articles/strike-spreads-to-rail/">[`+title+`]</a>`) || !strings.Contains(string(f.Data), `<a class="rel" href="`) {
				t.Errorf("%s: the related link is not the partial's:\n%s", path, f.Data)
			}
		}
	}
	if listing < 2 {
		t.Fatalf("%d pages list %q as related; the test needs two", listing, title)
	}

	rel := "content/articles/strike-spreads-to-rail.md"
	src := testsite.Read(t, root, rel)
	testsite.Write(t, root, rel, strings.Replace(src, "title: "+title, "title: Rail freight stops", 1))
	inc := mustBuild(t, b, []string{rel})
	full := mustBuild(t, build.New(build.Options{Root: root}), nil)
	for path, f := range full.Site.Files {
		if strings.Contains(string(f.Data), "["+title+"]") {
			t.Errorf("%s (full build) still shows the old title", path)
		}
		if got := inc.Site.Files[path]; got == nil || string(got.Data) != string(f.Data) {
			t.Errorf("%s: the incremental build's page differs from the full build's", path)
		}
	}
}

// An item that cannot key the memo (a list) is an error naming the partial.
func TestCachedItemMustBeComparable(t *testing.T) {
	root := testsite.New(t)
	testsite.Write(t, root, "templates/topic.html", `{{define "main"}}{{cached "items" .Site .Data.Items}}{{end}}{{define "items"}}x{{end}}`)
	_, err := build.New(build.Options{Root: root}).Build(t.Context(), nil)
	if err == nil || !strings.Contains(err.Error(), `cached "items": the item must be`) {
		t.Errorf("err = %v, want the partial named and what the item must be", err)
	}
}
