package build_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/testsite"
)

var (
	idAttr    = regexp.MustCompile(`\bid="?([^"\s>]+)`)
	headingID = regexp.MustCompile(`<h[1-6][^>]*\bid="?([^"\s>]+)`)
)

// markdownPage says whether a page of the site shows an editor's Markdown
// with its headings (an article, a topic's overview, an entity's bio).
func markdownPage(path string) bool {
	for _, dir := range []string{"articles/", "topics/", "entities/"} {
		if strings.HasPrefix(path, dir) && strings.Count(path, "/") == 2 && strings.HasSuffix(path, "/index.html") {
			return true
		}
	}
	return false
}

// A heading's id never takes an id the page has already: not the
// templates' (a skip link's target, a section's heading), nor those of the
// pictures and data the build makes (a graph's title, the previews' data).
// The test asks for every such id of the fixture's pages with a heading of
// that text, in an article, a topic and an entity, and finds no id twice.
func TestHeadingsNeverTakeAPagesIDs(t *testing.T) {
	root := testsite.New(t)
	testsite.Unverify(t, root) // the test adds headings to an article's text
	first := mustBuild(t, build.New(build.Options{Root: root}), nil)
	own := map[string]bool{}
	for path, f := range first.Site.Files {
		if !markdownPage(path) {
			continue
		}
		headings := map[string]bool{}
		for _, m := range headingID.FindAllStringSubmatch(string(f.Data), -1) {
			headings[m[1]] = true
		}
		for _, m := range idAttr.FindAllStringSubmatch(string(f.Data), -1) {
			if !headings[m[1]] || strings.HasSuffix(m[1], "-h") {
				own[m[1]] = true
			}
		}
	}
	if len(own) < 10 {
		t.Fatalf("%d ids found on the pages: %v", len(own), own)
	}
	var headings strings.Builder
	for id := range own {
		headings.WriteString("\n\n## " + id + "\n\nText under it.")
	}
	for _, rel := range []string{"content/articles/strike-spreads-to-rail.md", "content/topics/strike.md", "content/entities/mara-okafor.md"} {
		testsite.Write(t, root, rel, testsite.Read(t, root, rel)+headings.String()+"\n")
	}
	res := mustBuild(t, build.New(build.Options{Root: root}), nil)
	pages := 0
	for path, f := range res.Site.Files {
		if !markdownPage(path) || !strings.Contains(string(f.Data), "Text under it.") {
			continue
		}
		pages++
		seen := map[string]int{}
		for _, m := range idAttr.FindAllStringSubmatch(string(f.Data), -1) {
			seen[m[1]]++
		}
		var twice []string
		for id, n := range seen {
			if n > 1 {
				twice = append(twice, id)
			}
		}
		sort.Strings(twice)
		if len(twice) > 0 {
			t.Errorf("%s: ids given twice: %v", path, twice)
		}
	}
	if pages != 3 {
		t.Errorf("%d pages show the headings, want 3", pages)
	}
}
