package build_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
)

// TestPaginationLinksAWindow builds a topic long enough for 7 pages and
// checks each page's navigation: it links the first and last pages and the
// current page's neighbours, marks left-out runs with "…", and every page
// it links exists. Listing every page from every page made a long topic's
// pages grow with its length (quadratic in the dossier).
func TestPaginationLinksAWindow(t *testing.T) {
	const articles, perPage = 320, 50 // render.PageSize
	files := map[string]string{
		"topics/syria.md": "---\ntitle: Syria\n---\nOverview.\n",
	}
	for i := range articles {
		files[fmt.Sprintf("articles/a%03d.md", i)] = fmt.Sprintf("---\ntitle: Article %d\noutlet: AFP\ndate: 2013-05-%02d\ntopics: [syria]\nsummary: s\n---\n\nText %d.\n", i, i%28+1, i)
	}
	res, err := build.New(build.Options{Root: writeProject(t, files), Minify: false}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	total := (articles + perPage - 1) / perPage
	nav := regexp.MustCompile(`(?s)<nav class="pagination".*?</nav>`)
	item := regexp.MustCompile(`<li>(?:<a href="/topics/syria/(?:page/(\d+)/)?">(\d+)</a>|<span aria-current="page">(\d+)</span>|<span class="gap">…</span>)</li>`)
	for n := 1; n <= total; n++ {
		path := "topics/syria/index.html"
		if n > 1 {
			path = fmt.Sprintf("topics/syria/page/%d/index.html", n)
		}
		f, ok := res.Site.Files[path]
		if !ok {
			t.Fatalf("missing %s", path)
		}
		got := nav.FindString(string(f.Data))
		var shown []string
		for _, m := range item.FindAllStringSubmatch(got, -1) {
			switch {
			case m[3] != "":
				shown = append(shown, "["+m[3]+"]")
			case m[2] != "":
				if m[1] != "" && m[1] != m[2] || m[1] == "" && m[2] != "1" {
					t.Errorf("%s: link %q leads to another page", path, m[0])
				}
				shown = append(shown, m[2])
			default:
				shown = append(shown, "…")
			}
		}
		want := map[int]string{
			1: "[1] 2 3 … 7",
			2: "1 [2] 3 4 … 7",
			4: "1 2 3 [4] 5 6 7",
			6: "1 … 4 5 [6] 7",
			7: "1 … 5 6 [7]",
		}[n]
		if want != "" && strings.Join(shown, " ") != want {
			t.Errorf("%s: pagination %q, want %q\n%s", path, strings.Join(shown, " "), want, got)
		}
		if strings.Count(got, "<li>")-strings.Count(got, `<li><a rel=`) != len(shown) {
			t.Errorf("%s: an item of the pagination was not understood:\n%s", path, got)
		}
	}
}
