package build_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
)

func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, s := range files {
		full := filepath.Join(root, "content", filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestAnnotatedGraph builds a tiny dossier and checks that entity backlinks,
// claim tables, "also reported by", topic passages and the timeline come
// from the content.
func TestAnnotatedGraph(t *testing.T) {
	root := writeProject(t, map[string]string{
		"topics/syria.md":        "---\ntitle: Syria\nkeywords: [syria, assad]\n---\nOverview.\n",
		"entities/john-kerry.md": "---\nname: John Kerry\nkind: person\naliases: [Kerry]\n---\nUS Secretary of State.\n",
		"claims/death-toll.md":   "---\ntitle: The war had cost more than 70,000 lives\nverdict: Consistent\n---\nThe UN's figure.\n",
		"articles/one.md":        "---\ntitle: One\noutlet: AFP\ndate: 2013-05-07\ntopics: [syria]\nsummary: s\nannotations:\n  - quote: \"more than 70,000 lives\"\n    kind: context\n    claim: death-toll\n    note: The UN estimate.\n---\n\nKerry went to Moscow. The war in Syria has claimed more than 70,000 lives.\n\nNothing about the topic here.\n",
		"articles/two.md":        "---\ntitle: Two\noutlet: Reuters\ndate: 2013-05-08\ntopics: [syria]\nsummary: s\nannotations:\n  - quote: \"killed over 70,000 people\"\n    kind: fact-check\n    claim: death-toll\n    note: Same figure.\n---\n\nThe conflict has killed over 70,000 people, said John Kerry. Kerry added more.\n",
		"timeline.yaml":          "- date: 2013-05-07\n  title: Moscow talks\n  articles: [one, two]\n- date: 2012\n  title: A year event\n- date: 2013-05\n  title: A month event\n  articles: [two]\n",
	})
	res, err := build.New(build.Options{Root: root, Minify: false}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	page := func(p string) string {
		f, ok := res.Site.Files[p]
		if !ok {
			t.Fatalf("missing %s", p)
		}
		return string(f.Data)
	}
	// Entity page: both articles, each with the sentence, linked to the paragraph.
	ent := page("entities/john-kerry/index.html")
	for _, want := range []string{"Kerry went to Moscow.", "The conflict has killed over 70,000 people, said John Kerry.", `/articles/one/#p1`, `/articles/two/#p1`} {
		if !strings.Contains(ent, want) {
			t.Errorf("entity page lacks %q", want)
		}
	}
	// First mention only is linked, in each article.
	one := page("articles/one/index.html")
	if n := strings.Count(one, `class="entity"`); n != 1 {
		t.Errorf("article one has %d entity links, want 1", n)
	}
	two := page("articles/two/index.html")
	if !regexp.MustCompile(`<a class="entity" href="[^"]*entities/john-kerry/"[^>]*>John Kerry</a>`).MatchString(two) {
		t.Errorf("longest alias not linked in article two")
	}
	// Claim table: one row per article with its exact wording, oldest first.
	claim := page("claims/death-toll/index.html")
	i1, i2 := strings.Index(claim, "more than 70,000 lives"), strings.Index(claim, "killed over 70,000 people")
	if i1 < 0 || i2 < 0 || i1 > i2 {
		t.Errorf("claim table rows missing or out of order (%d, %d)", i1, i2)
	}
	if !strings.Contains(claim, "/articles/two/#a1") || !strings.Contains(claim, "Reuters") {
		t.Errorf("claim row lacks its link or outlet")
	}
	// Also reported by, in the note of each article.
	if !strings.Contains(one, "Also reported by") || !strings.Contains(one, "/articles/two/#a1") {
		t.Errorf("article one's claim note does not point at article two")
	}
	// Topic page: only the paragraph speaking of the topic is quoted.
	topic := page("topics/syria/index.html")
	if !strings.Contains(topic, "has claimed more than 70,000 lives") || strings.Contains(topic, "Nothing about the topic here.") {
		t.Errorf("topic passages wrong")
	}
	// Timeline: ordered with mixed precisions, grouped by year, linked both ways.
	tl := page("timeline/index.html")
	a, b, c := strings.Index(tl, "A year event"), strings.Index(tl, "A month event"), strings.Index(tl, "Moscow talks")
	if !(a >= 0 && a < b && b < c) {
		t.Errorf("timeline order wrong: %d %d %d", a, b, c)
	}
	if !strings.Contains(tl, `id="y2012"`) || !strings.Contains(tl, `id="y2013"`) {
		t.Errorf("timeline not grouped by year")
	}
	if !strings.Contains(two, "timeline/#e2013-05-") || !strings.Contains(two, "A month event") {
		t.Errorf("article two does not list its timeline events")
	}
}

func TestOrphanAndUnknownReferencesAllListed(t *testing.T) {
	root := writeProject(t, map[string]string{
		"topics/syria.md": "---\ntitle: Syria\n---\n",
		"articles/one.md": "---\ntitle: One\noutlet: AFP\ndate: 2013-05-07\ntopics: [syria, nope]\nannotations:\n  - quote: \"not in the text\"\n    kind: context\n    note: n\n  - quote: \"twice\"\n    kind: context\n    note: n\n---\n\nSaid twice and twice.\n",
		"timeline.yaml":   "- date: 2013\n  title: T\n  articles: [ghost]\n",
	})
	_, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err == nil {
		t.Fatal("built")
	}
	// Reference errors stop the build before anchoring; check lists both
	// kinds together (see internal/check). Here: every reference problem.
	for _, want := range []string{"content/articles/one.md:5: unknown topic \"nope\"", "content/timeline.yaml:3: event \"T\" names unknown article \"ghost\""} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	// Fix the references: now both anchoring problems are reported, with lines.
	os.WriteFile(filepath.Join(root, "content/timeline.yaml"), nil, 0o644)
	p := filepath.Join(root, "content/articles/one.md")
	b, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(b), ", nope", "", 1)), 0o644)
	_, err = build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err == nil {
		t.Fatal("built with orphaned annotations")
	}
	for _, want := range []string{"content/articles/one.md:7: annotation quote \"not in the text\" is not in the article text", "content/articles/one.md:10: annotation quote \"twice\" occurs 2 times"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

func TestProjectTemplateOverridesDefaultByName(t *testing.T) {
	root := writeProject(t, map[string]string{
		"topics/syria.md": "---\ntitle: Syria\n---\n",
		"articles/one.md": "---\ntitle: One\noutlet: AFP\ndate: 2013-05-07\ntopics: [syria]\n---\n\nText.\n",
	})
	if err := os.MkdirAll(filepath.Join(root, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	custom := `{{define "main"}}<p>Our own 404 for {{.Site.Config.Title}}</p>{{end}}`
	if err := os.WriteFile(filepath.Join(root, "templates", "404.html"), []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Site.Files["404.html"].Data), "Our own 404 for Dossier") {
		t.Errorf("project 404.html did not override the default")
	}
	if !strings.Contains(string(res.Site.Files["index.html"].Data), "Articles, newest first") {
		t.Errorf("other default templates must stay in use")
	}
	// A broken override is reported against the project file with its line.
	if err := os.WriteFile(filepath.Join(root, "templates", "404.html"), []byte("{{define \"main\"}}\n{{.Nope | nofunc}}\n{{end}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "templates/404.html:2:") {
		t.Errorf("template error = %v, want templates/404.html:2:", err)
	}
}
