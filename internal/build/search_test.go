package build_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/testsite"
)

// Every page has the header search box: a plain GET form to the search
// page, labelled, and the small loader script, never the search script
// itself (except on the search page), and no inline script.
func TestSearchBoxOnEveryPage(t *testing.T) {
	root := testsite.New(t)
	res := mustBuild(t, build.New(build.Options{Root: root}), nil)
	form := regexp.MustCompile(`<form class="?site-search"? role="?search"? action="?/calden/search/"? method="?get"?`)
	inline := regexp.MustCompile(`<script(?:\s+type="?text/javascript"?)?>`)
	pages := 0
	for p, f := range res.Site.Files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		pages++
		html := string(f.Data)
		if !form.MatchString(html) {
			t.Errorf("%s: no header search form (GET to the search page)", p)
		}
		if !strings.Contains(html, `<label for="site-q"`) || !strings.Contains(html, `id="site-q" name="q"`) {
			t.Errorf("%s: the search box has no label or no name=q", p)
		}
		if !strings.Contains(html, "/static/search-loader.") {
			t.Errorf("%s: no search loader script", p)
		}
		if loads := strings.Contains(html, `src="/calden/static/search.`); loads != (p == "search/index.html") {
			t.Errorf("%s: loads the search script: %v", p, loads)
		}
		if inline.MatchString(html) {
			t.Errorf("%s: inline script", p)
		}
	}
	if pages < 10 {
		t.Fatalf("only %d pages", pages)
	}
	// Without JavaScript, the search page says so and links to the indexes.
	page := string(res.Site.Files["search/index.html"].Data)
	nos := regexp.MustCompile(`(?s)<noscript>(.*?)</noscript>`).FindStringSubmatch(page)
	if nos == nil {
		t.Fatal("the search page has no <noscript> message")
	}
	for _, want := range []string{"JavaScript", `href="/calden/topics/"`, `href="/calden/entities/"`, `href="/calden/claims/"`} {
		if !strings.Contains(nos[1], want) {
			t.Errorf("the no-JavaScript message lacks %s: %s", want, nos[1])
		}
	}
	for _, want := range []string{`role="status"`, `aria-live="polite"`, `<label for="q"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the search page lacks %s", want)
		}
	}
}

// The index covers what the site shows beyond article text: notes,
// aliases, bios, overviews, claims, events; and its files replace the
// previous build's after an edit, with no stale chunk left behind.
func TestSearchIndexInSite(t *testing.T) {
	root := testsite.New(t)
	testsite.Unverify(t, root) // the test adds words to a rendition
	b := build.New(build.Options{Root: root})
	res := mustBuild(t, b, nil)
	frags := map[string]string{}
	for p, f := range res.Site.Files {
		if strings.HasPrefix(p, "search/f/") {
			var fr struct {
				U string
				P [][2]string
			}
			if err := json.Unmarshal(f.Data, &fr); err != nil {
				t.Fatal(err)
			}
			frags[fr.U] = string(f.Data)
		}
	}
	for url, want := range map[string]string{
		"/calden/articles/dockers-walk-out/":               `"a1","Fact check: The union gave no membership figure`, // annotation note, anchored
		"/calden/entities/zoe-brandt/":                     "Zoë Brandt runs the port",                              // bio
		"/calden/topics/strike/":                           "The dock workers of Calden stopped work",               // overview
		"/calden/claims/cargo-losses/":                     "Only the port authority gives a figure",                // claim note
		"/calden/timeline/#e2024-02-wage-talks-break-down": "two-year wage freeze",                                  // event
	} {
		if !strings.Contains(frags[url], want) {
			t.Errorf("fragment of %s lacks %q: %s", url, want, frags[url])
		}
	}
	var chunks strings.Builder
	for p, f := range res.Site.Files {
		if strings.HasPrefix(p, "search/c/") {
			chunks.Write(f.Data)
		}
	}
	for _, w := range []string{`"minister"`, `"pereira"`, `"brandt"`} { // alias, alias, name
		if !strings.Contains(chunks.String(), w) {
			t.Errorf("no chunk lists %s", w)
		}
	}

	testsite.Write(t, root, "content/articles/strike-spreads-to-rail.md",
		strings.Replace(testsite.Read(t, root, "content/articles/strike-spreads-to-rail.md"), "formed at dawn", "formed at dawn beside the quayside", 1))
	res2 := mustBuild(t, b, []string{"content/articles/strike-spreads-to-rail.md"})
	fresh := mustBuild(t, build.New(build.Options{Root: root}), nil)
	for p := range res2.Site.Files {
		if strings.HasPrefix(p, "search/") && fresh.Site.Files[p] == nil {
			t.Errorf("stale search file %s after the edit", p)
		}
	}
	for p, f := range fresh.Site.Files {
		if g := res2.Site.Files[p]; strings.HasPrefix(p, "search/") && (g == nil || string(g.Data) != string(f.Data)) {
			t.Errorf("search file %s differs from a full build after the edit", p)
		}
	}
	found := false
	for _, st := range res2.Steps {
		found = found || st.Name == "search"
	}
	if !found {
		t.Errorf("no search step among %v", res2.Steps)
	}
}

// Hostile text in content reaches the search files as JSON data only.
func TestSearchHostileContent(t *testing.T) {
	root := testsite.New(t)
	evil := `</script><img src=x onerror=alert(1)>`
	testsite.Write(t, root, "content/articles/evil.md", testsite.Article(evil, evil, 9, []string{"strike"}, "Body "+evil+" text."))
	res := mustBuild(t, build.New(build.Options{Root: root}), nil)
	found := false
	for p, f := range res.Site.Files {
		if !strings.HasPrefix(p, "search/") || !strings.HasSuffix(p, ".json") {
			continue
		}
		if strings.ContainsAny(string(f.Data), "<>") {
			t.Errorf("%s holds raw markup", p)
		}
		var v any
		if err := json.Unmarshal(f.Data, &v); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if strings.Contains(string(f.Data), `\u003c/script\u003e\u003cimg src=x onerror=alert(1)\u003e`) {
			found = true
		}
	}
	if !found {
		t.Error("the hostile title is not in any fragment as escaped JSON text")
	}
}

// An article's section headings are searched, linked to their ids, as
// readers see them in the text (found by hostile testing: a word only in a
// heading had no results).
func TestSearchArticleHeadings(t *testing.T) {
	root := testsite.New(t)
	testsite.Write(t, root, "content/articles/wombats.md", testsite.Article("Wildlife note", "Calden Herald", 9, []string{"strike"}, "Some text.\n\n## Wombats at the quay\n\nMore text."))
	res := mustBuild(t, build.New(build.Options{Root: root}), nil)
	page := string(res.Site.Files["articles/wombats/index.html"].Data)
	id := regexp.MustCompile(`<h2 id="?([^" >]+)"?>Wombats at the quay`).FindStringSubmatch(page)
	if id == nil {
		t.Fatalf("no heading with an id in the page: %s", page)
	}
	want := `["` + id[1] + `","Wombats at the quay"]`
	for p, f := range res.Site.Files {
		if strings.HasPrefix(p, "search/f/") && strings.Contains(string(f.Data), `"/calden/articles/wombats/"`) {
			if !strings.Contains(string(f.Data), want) {
				t.Errorf("the article's fragment lacks the heading %s: %s", want, f.Data)
			}
			return
		}
	}
	t.Fatal("no fragment for the article")
}
