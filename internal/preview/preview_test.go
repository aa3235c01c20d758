package preview_test

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"weak"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/preview"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/testsite"
	"github.com/dossier-news/dossier/internal/testtool"
)

const base = "https://example.org/calden/"

func graphOf(t *testing.T, root string) *site.Site {
	t.Helper()
	res, err := build.New(build.Options{Root: root, BaseURL: base}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.Graph
}

var block = regexp.MustCompile(`<script type="application/json" id="dossier-previews">(.*?)</script>`)

// cardsIn returns the preview data of a page, or nil.
func cardsIn(t *testing.T, page []byte) map[string][3]string {
	t.Helper()
	m := block.FindSubmatch(page)
	if m == nil {
		return nil
	}
	var cards map[string][3]string
	if err := json.Unmarshal(m[1], &cards); err != nil {
		t.Fatalf("preview data is not JSON: %v\n%s", err, m[1])
	}
	return cards
}

func TestAddHoldsTheCardsOfTheLinks(t *testing.T) {
	g := graphOf(t, testsite.New(t))
	x := preview.NewIndex(g, nil)
	a := testsite.Articles[0]
	ev := g.Events[0]
	page := `<!DOCTYPE html><html><body><main>
<a href="/calden/articles/` + a + `/">same article twice</a> <a href='/calden/articles/` + a + `/#a1'>with a fragment</a>
<a href="/calden/entities/mara-okafor/">person</a> <a href="/calden/topics/strike/">topic</a>
<a href="/calden/claims/cargo-losses/">claim</a> <a href="/calden/timeline/#` + ev.ID + `">event</a>
<a href="/calden/articles/no-such-article/">missing</a> <a href="/calden/topics/">an index</a>
<a href="https://elsewhere.example/calden/articles/x/">external</a> <a href="/calden/articles/self/">self</a>
<svg><a href="/calden/entities/zoe-brandt/"><title>in a picture</title></a></svg>
<a href="/calden/outlets/calden-herald/">outlet</a>
</main></body></html>`
	out, targets := x.Add([]byte(page), "/calden/articles/self/")
	cards := cardsIn(t, out)
	want := map[string]string{
		"/calden/articles/" + a + "/":   "Article · ",
		"/calden/entities/mara-okafor/": "Person · General secretary",
		"/calden/topics/strike/":        "Topic",
		"/calden/claims/cargo-losses/":  "Claim compared",
		"/calden/timeline/#" + ev.ID:    "Event · " + ev.Date.Human(),
	}
	for k, meta := range want {
		c, ok := cards[k]
		if !ok {
			t.Errorf("no card for %s", k)
			continue
		}
		if !strings.HasPrefix(c[0], meta) || c[1] == "" {
			t.Errorf("card of %s: %q, want meta %q… and a title", k, c, meta)
		}
	}
	if len(cards) != len(want) {
		t.Errorf("%d cards, want %d: %v", len(cards), len(want), cards)
	}
	if c := cards["/calden/articles/"+a+"/"]; c[1] != g.ArticleBySlug(a).Card.Title || c[2] == "" {
		t.Errorf("article card %q: want its title and summary", c)
	}
	// Every link that could have a card is a dependency, with or without one.
	wantTargets := []string{"/calden/articles/" + a + "/", "/calden/articles/no-such-article/", "/calden/claims/cargo-losses/",
		"/calden/entities/mara-okafor/", "/calden/timeline/#" + ev.ID, "/calden/topics/strike/"}
	if strings.Join(targets, " ") != strings.Join(wantTargets, " ") {
		t.Errorf("targets %v, want %v", targets, wantTargets)
	}
	if !strings.HasSuffix(string(out), "</script>\n</body></html>") {
		t.Errorf("the data is not right before </body>:\n%s", out[len(out)-200:])
	}
	// A page without previewable links is left as it is.
	plain := []byte(`<html><body><a href="/calden/topics/">x</a></body></html>`)
	if got, targets := x.Add(plain, "/calden/"); string(got) != string(plain) || len(targets) != 0 {
		t.Errorf("a page without previews changed: %s %v", got, targets)
	}
}

// A summary that closes the script element stays data.
func TestCardTextCannotCloseTheScript(t *testing.T) {
	root := testsite.New(t)
	a := testsite.Articles[0]
	src := testsite.Read(t, root, "content/articles/"+a+".md")
	src = regexp.MustCompile(`(?m)^summary: .*$`).ReplaceAllString(src, `summary: "</script><script>alert(1)</script> & <!-- more"`)
	testsite.Write(t, root, "content/articles/"+a+".md", src)
	x := preview.NewIndex(graphOf(t, root), nil)
	out, _ := x.Add([]byte(`<body><a href="/calden/articles/`+a+`/">x</a></body>`), "")
	if n := strings.Count(string(out), "</script>"); n != 1 {
		t.Errorf("%d </script> in the page, want the block's own only:\n%s", n, out)
	}
	if c := cardsIn(t, out)["/calden/articles/"+a+"/"]; c[2] != "</script><script>alert(1)</script> & <!-- more" {
		t.Errorf("summary read back as %q", c[2])
	}
}

func TestKeyFollowsTheCards(t *testing.T) {
	root := testsite.New(t)
	g1 := graphOf(t, root)
	x1 := preview.NewIndex(g1, nil)
	a, b := testsite.Articles[0], testsite.Articles[1]
	targets := []string{"/calden/articles/" + a + "/", "/calden/entities/mara-okafor/"}
	k1 := x1.Key(targets)
	if k1 == 0 || x1.Key(nil) != 0 {
		t.Fatalf("keys %v, %v", k1, x1.Key(nil))
	}
	if preview.NewIndex(g1, x1).Key(targets) != k1 || preview.NewIndex(graphOf(t, root), x1).Key(targets) != k1 {
		t.Error("the same content gives another key")
	}
	if ch, ok := preview.NewIndex(graphOf(t, root), x1).Changed(x1); !ok || len(ch) != 0 {
		t.Errorf("Changed: %v, %v for the same content", ch, ok)
	}
	if _, ok := x1.Changed(nil); ok {
		t.Error("Changed: comparable with no previous index")
	}
	// Another article's summary: the key holds. This article's: it changes.
	for _, tc := range []struct {
		slug string
		same bool
	}{{b, true}, {a, false}} {
		src := testsite.Read(t, root, "content/articles/"+tc.slug+".md")
		testsite.Write(t, root, "content/articles/"+tc.slug+".md", regexp.MustCompile(`(?m)^summary: .*$`).ReplaceAllString(src, `summary: "Changed for `+tc.slug+`."`))
		x2 := preview.NewIndex(graphOf(t, root), x1)
		if got := x2.Key(targets); (got == k1) != tc.same {
			t.Errorf("after editing %s's summary, key same = %v, want %v", tc.slug, got == k1, tc.same)
		}
		ch, ok := x2.Changed(x1)
		if !ok || !ch["/calden/articles/"+tc.slug+"/"] || ch["/calden/entities/mara-okafor/"] {
			t.Errorf("after editing %s's summary, Changed = %v, %v", tc.slug, ch, ok)
		}
		if holds := x2.Holds(targets, k1, ch, ok); holds != tc.same {
			t.Errorf("after editing %s's summary, Holds = %v, want %v", tc.slug, holds, tc.same)
		}
	}
	// A target with no card yet has a key too: when its card appears, it changes.
	missing := []string{"/calden/entities/new-person/"}
	km := x1.Key(missing)
	testsite.Write(t, root, "content/entities/new-person.md", "---\nname: New Person\nkind: person\n---\n")
	if preview.NewIndex(graphOf(t, root), x1).Key(missing) == km {
		t.Error("a new entity's card does not change the key of pages linking to it")
	}
}

// In a rebuild, a page that links to an article shows its new summary,
// although nothing of its own changed: a claim whose note links to an
// article that is not evidence for it.
func TestRebuildUpdatesTheCardsOfLinkingPages(t *testing.T) {
	root := testsite.New(t)
	const claim, a = "strike-turnout", "minister-meets-union"
	crel := "content/claims/" + claim + ".md"
	testsite.Write(t, root, crel, testsite.Read(t, root, crel)+"\nThe minister did not repeat it ([report](../articles/"+a+".md)).\n")
	b := build.New(build.Options{Root: root, BaseURL: base})
	res, err := b.Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	page := "claims/" + claim + "/index.html"
	if c, ok := cardsIn(t, res.Site.Files[page].Data)["/calden/articles/"+a+"/"]; !ok || c[2] == "" {
		t.Fatalf("the claim page has no card of %s", a)
	}
	rel := "content/articles/" + a + ".md"
	src := testsite.Read(t, root, rel)
	testsite.Write(t, root, rel, regexp.MustCompile(`(?m)^summary: .*$`).ReplaceAllString(src, `summary: "A summary only previews show on the claim page."`))
	res, err = b.Build(context.Background(), []string{rel})
	if err != nil {
		t.Fatal(err)
	}
	if c := cardsIn(t, res.Site.Files[page].Data)["/calden/articles/"+a+"/"]; c[2] != "A summary only previews show on the claim page." {
		t.Errorf("after the edit, the claim page previews %s as %q", a, c[2])
	}
}

// A rebuild's index finds what changed as it lends cards (Changed): the
// same targets as comparing every card, for an edited card, a removed
// article and an added one, and nothing else.
func TestChangedFoundWhileLendingEqualsComparison(t *testing.T) {
	root := testsite.New(t)
	testsite.Unverify(t, root)
	testsite.Write(t, root, "content/articles/zz-gone.md", testsite.Article("A report to remove", "Calden Courier", 2, []string{testsite.Topics[0]}, "Some text."))
	bl := build.New(build.Options{Root: root, BaseURL: base})
	res, err := bl.Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	x1 := preview.NewIndex(res.Graph, nil)
	edited, removed := testsite.Articles[0], "zz-gone"
	src := testsite.Read(t, root, "content/articles/"+edited+".md")
	testsite.Write(t, root, "content/articles/"+edited+".md", regexp.MustCompile(`(?m)^summary: .*$`).ReplaceAllString(src, `summary: "A new summary."`))
	if err := os.Remove(filepath.Join(root, "content", "articles", removed+".md")); err != nil {
		t.Fatal(err)
	}
	testsite.Write(t, root, "content/articles/zz-added.md", testsite.Article("An added report", "Calden Courier", 3, []string{testsite.Topics[0]}, "Some text."))
	changes := []string{"content/articles/" + edited + ".md", "content/articles/" + removed + ".md", "content/articles/zz-added.md"}
	res, err = bl.Build(context.Background(), changes)
	if err != nil {
		t.Fatal(err)
	}
	x2 := preview.NewIndex(res.Graph, x1)
	got, ok := x2.Changed(x1)
	want := x2.Compare(x1)
	if !ok || !maps.Equal(got, want) {
		t.Fatalf("Changed = %v, %v; comparing every card gives %v", got, ok, want)
	}
	for _, slug := range []string{edited, removed, "zz-added"} {
		if !got["/calden/articles/"+slug+"/"] {
			t.Errorf("%s is not among the changed targets %v", slug, got)
		}
	}
	if len(got) != 3 {
		t.Errorf("changed targets %v, want the 3 articles only", got)
	}
	// Unchanged content: nothing changed, without comparing.
	res, err = bl.Build(context.Background(), []string{"content/articles/" + testsite.Articles[2] + ".md"})
	if err != nil {
		t.Fatal(err)
	}
	if ch, ok := preview.NewIndex(res.Graph, x2).Changed(x2); !ok || len(ch) != 0 {
		t.Errorf("Changed after a rebuild with no card changed: %v, %v", ch, ok)
	}
}

// An index does not keep the one it lent cards from alive: a preview makes
// one per save, and a chain of them would grow without end.
func TestIndexDoesNotKeepItsPredecessor(t *testing.T) {
	g := graphOf(t, testsite.New(t))
	x1 := preview.NewIndex(g, nil)
	x2 := preview.NewIndex(g, x1)
	if _, ok := x2.Changed(x1); !ok {
		t.Fatal("x2 cannot be compared with the index it was made from")
	}
	w := weak.Make(x1)
	x1 = nil
	testtool.Collected(t, w, "the first index, while the second lives,")
	runtime.KeepAlive(x2)
}
