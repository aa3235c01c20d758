package build_test

import (
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/testsite"
)

// The claims index is a matrix: a row per claim, a column per outlet that
// reported any claim, each cell linking to the outlet's passages or saying it
// did not report the claim; a real table, with headers and a caption.
func TestClaimMatrix(t *testing.T) {
	res := mustBuild(t, build.New(build.Options{Root: testsite.New(t)}), nil)
	g := res.Graph
	m := site.NewClaimMatrix(g)
	if len(m.Rows) != len(testsite.Claims) {
		t.Fatalf("%d rows, want one per claim (%d)", len(m.Rows), len(testsite.Claims))
	}
	reporting := map[string]bool{}
	for _, c := range g.Claims {
		for _, e := range c.Evidence {
			reporting[e.Article.Outlet.Slug] = true
		}
	}
	if len(m.Outlets) != len(reporting) {
		t.Errorf("%d columns, %d outlets report claims", len(m.Outlets), len(reporting))
	}
	page := string(res.Site.Files["claims/index.html"].Data)
	for _, want := range []string{"<table class=\"claim-matrix\"", "<caption id=\"matrix-caption\">", "<th scope=\"col\">Editors’ verdict</th>"} {
		if !strings.Contains(page, want) {
			t.Errorf("claims page lacks %s", want)
		}
	}
	for _, o := range m.Outlets {
		if !strings.Contains(page, `<th scope="col"><a href="/calden/`+o.Path+`">`+o.Name+`</a></th>`) {
			t.Errorf("no column header for %s", o.Name)
		}
	}
	for _, row := range m.Rows {
		if !strings.Contains(page, `<th scope="row"><a href="/calden/`+row.Claim.Path+`">`) {
			t.Errorf("no row header for %s", row.Claim.Slug)
		}
		evidence := g.ClaimBySlug[row.Claim.Slug].Evidence
		for i, cell := range row.Cells {
			if cell.Outlet != m.Outlets[i] {
				t.Errorf("%s: cell %d is %s's, column is %s's", row.Claim.Slug, i, cell.Outlet.Name, m.Outlets[i].Name)
			}
			reported := false
			for _, e := range evidence {
				if e.Article.Outlet == cell.Outlet {
					reported = true
					link := `<a href="/calden/` + e.Article.Path + `#` + e.Note.ID + `"`
					if !strings.Contains(page, link) {
						t.Errorf("%s × %s: no link %s", row.Claim.Slug, cell.Outlet.Name, link)
					}
				}
			}
			if reported != cell.Reported() {
				t.Errorf("%s × %s: reported %v, evidence says %v", row.Claim.Slug, cell.Outlet.Name, cell.Reported(), reported)
			}
		}
	}
	if !strings.Contains(page, `<span class="visually-hidden">not reported</span>`) {
		t.Error("no cell says an outlet did not report a claim")
	}
}
