package build_test

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/dossier-news/dossier"
	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/testsite"
)

// A project template that writes without end (a range over a huge number,
// a range over every article inside one over every article, a template
// calling itself) is a problem at the template's file and line, the place
// that repeats, with the pages it broke; not a build that takes all the
// machine's memory and dies (with the preview's last good pages). A page
// may be 8 times maxFileSize, at least 16 MB: maxFileSize 64KB here, so
// each case stops at 16 MB.
func TestRunawayTemplates(t *testing.T) {
	tests := []struct {
		name, file, src string
		at              string // "templates/x.html:LINE", or places joined by " or "
		pages           string // in the message
	}{
		{"range over a number", "templates/article.html",
			"{{define \"main\"}}\n<p>\n{{range 1000000000}}0123456789{{end}}\n{{end}}\n",
			"templates/article.html:3", "articles/dockers-walk-out/"},
		{"range in a range", "templates/outlets.html",
			"{{define \"main\"}}\n{{range 100000}}\n{{range $.Site.Articles}}{{.Title}} {{.Summary}}{{end}}\n{{end}}\n{{end}}\n",
			// Either range's line: the inner one's, or the outer one's when the
			// page goes over in the inner range's last round or the line
			// break after it (which it does depends on the bytes before).
			"templates/outlets.html:3 or templates/outlets.html:2", "outlets/"},
		{"template calling itself", "templates/topic.html",
			"{{define \"main\"}}{{template \"again\" .}}{{end}}\n\n{{define \"again\"}}<p>" + strings.Repeat("words ", 200) + "</p>\n{{template \"again\" .}}{{end}}\n",
			"templates/topic.html:4", "topics/strike/"},
		{"a cached partial", "templates/claim.html",
			"{{define \"main\"}}<p>claim</p>{{end}}\n{{define \"site-footer\"}}\n{{range .Articles}}{{range 1000000000}}{{$.Config.Title}}{{end}}{{end}}{{end}}\n",
			"templates/claim.html:3", "claims/"},
	}
	partials, err := fs.ReadFile(dossier.Defaults, "templates/partials.html")
	if err != nil {
		t.Fatal(err)
	}
	note := strings.Replace(string(partials), `{{define "note"}}`, "{{define \"note\"}}\n{{range 1000000000}}0123456789{{end}}", 1)
	line := strings.Count(note[:strings.Index(note, "{{range 1000000000}}")], "\n") + 1
	tests = append(tests, struct{ name, file, src, at, pages string }{"the note template", "templates/partials.html", note,
		"templates/partials.html:" + strconv.Itoa(line), "rendering 3 pages: articles/"})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := testsite.New(t)
			cfg := testsite.Read(t, root, "content/dossier.yaml")
			testsite.Write(t, root, "content/dossier.yaml", cfg+"maxFileSize: 64KB\n")
			testsite.Write(t, root, tc.file, tc.src)
			_, err := build.New(build.Options{Root: root}).Build(t.Context(), nil)
			var ps diag.List
			if !errors.As(err, &ps) || len(ps) != 1 {
				t.Fatalf("err = %v, want one problem", err)
			}
			got, at := ps[0].Error(), false
			for _, place := range strings.Split(tc.at, " or ") {
				at = at || strings.HasPrefix(got, place+": the page is over 16 MB here") || strings.HasPrefix(got, place+": the note is over 16 MB here")
			}
			if !at || !strings.Contains(got, tc.pages) {
				t.Errorf("problem %q; want it at %s, over 16 MB, naming %s", got, tc.at, tc.pages)
			}
		})
	}
}

// A mistake in the note template (partials.html's "note") is one problem at
// its line, naming the article pages it broke, as a page template's is; not
// one per article at the article's first line.
func TestNoteTemplateProblemOncePerPlace(t *testing.T) {
	root := testsite.New(t)
	partials, err := fs.ReadFile(dossier.Defaults, "templates/partials.html")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(partials), `{{define "note"}}`, "{{define \"note\"}}\n{{.Nope}}", 1)
	line := strings.Count(src[:strings.Index(src, "{{.Nope}}")], "\n") + 1
	testsite.Write(t, root, "templates/partials.html", src)
	_, err = build.New(build.Options{Root: root}).Build(t.Context(), nil)
	var ps diag.List
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].File != "templates/partials.html" || ps[0].Line != line ||
		!strings.Contains(ps[0].Msg, "Nope") || !strings.Contains(ps[0].Msg, "(rendering 3 pages: articles/") {
		t.Errorf("err = %v; want one problem at templates/partials.html:%d naming Nope and the 3 article pages", err, line)
	}
}
