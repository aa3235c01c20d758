package build_test

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/testsite"
)

// A build reports the time of each of its steps, in order, within its own
// wall time, with the process's CPU time where the system gives it, and
// the time of each page kind's template over the pages it rendered: every
// rendered page counted once, under its kind, the slowest one named.
func TestBuildReportsTimings(t *testing.T) {
	root := testsite.New(t)
	res := mustBuild(t, build.New(build.Options{Root: root}), nil)

	var names []string
	var sum time.Duration
	for _, s := range res.Steps {
		names = append(names, s.Name)
		if s.Duration < 0 || s.CPU < 0 || s.GC < 0 {
			t.Errorf("step %s: negative time %+v", s.Name, s)
		}
		sum += s.Duration
	}
	want := []string{"load", "articles", "assemble", "render"}
	var seen []string
	for _, n := range names {
		if slices.Contains(want, n) {
			seen = append(seen, n)
		}
	}
	if !slices.Equal(seen, want) {
		t.Errorf("steps %v: want %v among them, in that order", names, want)
	}
	if sum > res.Duration {
		t.Errorf("steps add up to %v, more than the build's %v", sum, res.Duration)
	}
	if runtime.GOOS == "linux" || runtime.GOOS == "darwin" {
		var cpu time.Duration
		for _, s := range res.Steps {
			cpu += s.CPU
		}
		if cpu <= 0 {
			t.Errorf("no CPU time in any step: %+v", res.Steps)
		}
	}

	kinds := map[string]int{}
	for p := range res.Site.Files {
		if strings.HasPrefix(p, "articles/") && strings.HasSuffix(p, "/index.html") && !strings.Contains(p, "/original/") {
			kinds["article"]++
		}
	}
	pages := 0
	for i, tt := range res.Templates {
		pages += tt.Pages
		if i > 0 && tt.Total > res.Templates[i-1].Total {
			t.Errorf("templates not longest first: %s (%v) after %s (%v)", tt.Kind, tt.Total, res.Templates[i-1].Kind, res.Templates[i-1].Total)
		}
		if tt.Max > tt.Total || tt.Max < 0 {
			t.Errorf("%s: slowest page %v, of %v in all", tt.Kind, tt.Max, tt.Total)
		}
		if _, ok := res.Site.Files[tt.Slowest+"index.html"]; !ok && !strings.HasSuffix(tt.Slowest, ".html") {
			t.Errorf("%s: slowest page %q is no page of the site", tt.Kind, tt.Slowest)
		}
		if tt.Kind == "article" {
			if tt.Pages != kinds["article"] {
				t.Errorf("article template: %d pages, want the site's %d article pages", tt.Pages, kinds["article"])
			}
			if !strings.HasPrefix(tt.Slowest, "articles/") {
				t.Errorf("the slowest article page is %q", tt.Slowest)
			}
		}
	}
	if kinds["article"] == 0 || pages != res.Pages || pages != res.Rendered {
		t.Errorf("the templates rendered %d pages; the build has %d pages, %d rendered, %d articles", pages, res.Pages, res.Rendered, kinds["article"])
	}

	// A rebuild that renders nothing again times no template.
	b := build.New(build.Options{Root: root})
	mustBuild(t, b, nil)
	again := mustBuild(t, b, []string{})
	if again.Rendered != 0 || len(again.Templates) != 0 {
		t.Errorf("a rebuild with no change rendered %d pages, timed %+v", again.Rendered, again.Templates)
	}
}
