package check

import (
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/markdown"
)

// Problems in built pages go back to the file an editor has to fix: a
// Markdown link to its line (once, however many pages show it), a nav link
// to dossier.yaml, and a template's link to the built page, once.
func TestMapToSources(t *testing.T) {
	c := &content.Content{
		Config:   content.Config{File: "content/dossier.yaml", Lines: map[string]int{"nav[0]": 4}, Nav: []content.NavItem{{Title: "Search", URL: "/serch/"}}},
		Articles: []*content.Article{{Slug: "a", Source: content.Source{File: "content/articles/a.md"}}},
		Claims:   []*content.Claim{{Slug: "c", Source: content.Source{File: "content/claims/c.md"}}},
	}
	links := []build.PageLinks{{File: "content/articles/a.md", Links: []markdown.Link{{Dest: "/dossier/articles/b/#p1", Orig: "b.md#p1", Line: 12}}}}
	var lps []linkProblem
	for _, page := range []string{"index.html", "articles/a/index.html", "claims/c/index.html", "topics/index.html"} {
		lps = append(lps,
			linkProblem{Page: page, Attr: "a href", Val: "/dossier/serch/", Msg: `broken link: a href "/dossier/serch/"`},
			linkProblem{Page: page, Attr: "a href", Val: "/dossier/outlets/x/", Msg: `broken link: a href "/dossier/outlets/x/"`},
		)
	}
	// The note with the Markdown link shows on the article and on the claim page.
	lps = append(lps,
		linkProblem{Page: "articles/a/index.html", Attr: "a href", Val: "/dossier/articles/b/#p1", Msg: "broken anchor"},
		linkProblem{Page: "claims/c/index.html", Attr: "a href", Val: "/dossier/articles/b/#p1", Msg: "broken anchor"},
		linkProblem{Page: "claims/c/index.html", Attr: "id", Val: "x", Msg: "id x twice"},
	)
	ps := mapToSources(lps, "/dossier/", c, links)
	ps.Sort()
	got := ps.Error()
	want := strings.Join([]string{
		"content/articles/a.md:12: broken anchor (on page /dossier/articles/a/)",
		"content/claims/c.md: id x twice (on page /dossier/claims/c/)",
		`content/dossier.yaml:4: nav link: broken link: a href "/dossier/serch/"`,
		`public/index.html: broken link: a href "/dossier/outlets/x/" (and on 3 other pages: a template or generated link)`,
	}, "\n")
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
