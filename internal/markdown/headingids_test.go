package markdown

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A heading never takes an id the page around it uses (the layout's
// "main", a paragraph's "p1", an annotation's "a1"): it takes the next of
// its series instead, and other headings keep goldmark's ids.
func TestHeadingIDsAvoidThePagesIDs(t *testing.T) {
	src := "## Main\n\nText.\n\n## Title\n\n## P1\n\n## A1\n\n## a2-t\n\n## Main\n\n## Background\n\n## Background\n\n## Y2013 review\n\n## L14\n"
	doc, ps := New().Render([]byte(src), Options{File: "a.md", BodyLine: 1, Anchors: true})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	got := regexp.MustCompile(`<h2 id="([^"]*)"`).FindAllStringSubmatch(string(doc.HTML), -1)
	want := []string{"main-1", "title-1", "p1-1", "a1-1", "a2-t-1", "main-2", "background", "background-1", "y2013-review", "l14-1"}
	if len(got) != len(want) {
		t.Fatalf("heading ids %v, want %v\n%s", got, want, doc.HTML)
	}
	for i, m := range got {
		if m[1] != want[i] {
			t.Errorf("heading %d: id %q, want %q", i, m[1], want[i])
		}
	}
	// No id twice in the body (the paragraph is p1, the heading not).
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]*)"`).FindAllStringSubmatch(string(doc.HTML), -1) {
		if seen[m[1]] {
			t.Errorf("id %q twice:\n%s", m[1], doc.HTML)
		}
		seen[m[1]] = true
	}
}

// Every literal id of the default templates is reserved: a template that
// gains an id must add it to reservedIDs.
func TestReservedIDsCoverTheTemplates(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "templates", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v %v", files, err)
	}
	re := regexp.MustCompile(`\bid="([a-z][a-z0-9-]*)"`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			if !reservedID([]byte(m[1])) && !strings.Contains(m[1], "{{") {
				t.Errorf("%s: id %q is not reserved for headings", f, m[1])
			}
		}
	}
}
