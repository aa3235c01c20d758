package build_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/check"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/testsite"
)

// projectRoot is the repository root. Engine tests never build its content/
// (the bundled dossier, which editors change): they build internal/testsite.
const projectRoot = "../.."

// copyProject copies the test fixture into a temp project so tests can edit it.
func copyProject(t testing.TB) string {
	t.Helper()
	return testsite.New(t)
}

func mustBuild(t testing.TB, b *build.Builder, changed []string) *build.Result {
	t.Helper()
	res, err := b.Build(context.Background(), changed)
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return res
}

// The fixture builds into every page it should, with working links and the
// metadata article pages carry.
func TestFixtureDossier(t *testing.T) {
	root := copyProject(t)
	b := build.New(build.Options{Root: root, BaseURL: "https://example.github.io/dossier/", Minify: true})
	res := mustBuild(t, b, nil)
	s := res.Site
	count := func(prefix string) int {
		n := 0
		for p := range s.Files {
			if strings.HasPrefix(p, prefix) && strings.HasSuffix(p, "/index.html") && strings.Count(p, "/") == 2 {
				n++
			}
		}
		return n
	}
	for dir, slugs := range map[string][]string{"articles/": testsite.Articles, "topics/": testsite.Topics, "entities/": testsite.Entities, "claims/": testsite.Claims} {
		if n := count(dir); n != len(slugs) {
			t.Errorf("%d %s pages, want %d", n, dir, len(slugs))
		}
		for _, slug := range slugs {
			if _, ok := s.Files[dir+slug+"/index.html"]; !ok {
				t.Errorf("missing %s%s/index.html", dir, slug)
			}
		}
	}
	if count("outlets/") < 1 {
		t.Errorf("no outlet pages")
	}
	for _, p := range []string{"index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt", ".nojekyll", "topics/index.html", "timeline/index.html"} {
		if _, ok := s.Files[p]; !ok {
			t.Errorf("missing %s", p)
		}
	}
	if ps := check.Links(s, "https://example.github.io/dossier/"); len(ps) > 0 {
		t.Errorf("broken links or anchors:\n%v", ps)
	}
	slug := testsite.Articles[0]
	art := string(s.Files["articles/"+slug+"/index.html"].Data)
	// The minifier drops optional attribute quotes: match with or without.
	for _, want := range []string{`id="?p1"?`, `"@type":"NewsArticle"`, `<link rel="?canonical"? href="?https://example.github.io/dossier/articles/` + slug + `/"?>`, `property="?og:title"?`, `name="?description"?`} {
		if !regexp.MustCompile(want).MatchString(art) {
			t.Errorf("article page lacks %s", want)
		}
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	root := copyProject(t)
	a := mustBuild(t, build.New(build.Options{Root: root, Minify: true}), nil).Site
	b := mustBuild(t, build.New(build.Options{Root: root, Minify: true}), nil).Site
	if len(a.Files) != len(b.Files) {
		t.Fatalf("%d vs %d files", len(a.Files), len(b.Files))
	}
	for p, f := range a.Files {
		g, ok := b.Files[p]
		if !ok || !bytes.Equal(f.Data, g.Data) {
			t.Errorf("%s differs between two builds", p)
		}
	}
	// And on disk: two writes give byte-identical trees.
	d1, d2 := filepath.Join(t.TempDir(), "one"), filepath.Join(t.TempDir(), "two")
	if err := output.Write(context.Background(), a, d1); err != nil {
		t.Fatal(err)
	}
	if err := output.Write(context.Background(), b, d2); err != nil {
		t.Fatal(err)
	}
	if x, y := treeDigest(t, d1), treeDigest(t, d2); x != y {
		t.Errorf("written trees differ")
	}
}

func treeDigest(t *testing.T, dir string) string {
	var parts []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		parts = append(parts, rel+"\x00"+string(b))
		return nil
	})
	sort.Strings(parts)
	return strings.Join(parts, "\x01")
}

func TestPathPrefixedBaseURL(t *testing.T) {
	res := mustBuild(t, build.New(build.Options{Root: copyProject(t), BaseURL: "https://example.github.io/dossier", Minify: true}), nil)
	if res.Site.BasePath != "/dossier/" {
		t.Fatalf("BasePath = %q", res.Site.BasePath)
	}
	if ps := check.Links(res.Site, "https://example.github.io/dossier/"); len(ps) > 0 {
		t.Errorf("links escape the prefix or are broken:\n%v", ps)
	}
	// No root-relative link may skip the prefix.
	for p, f := range res.Site.Files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		for _, bad := range []string{`href="/articles`, `href="/topics`, `href="/static`, `src="/static`, `href="/"`, `href="/feed.xml"`} {
			if bytes.Contains(f.Data, []byte(bad)) {
				t.Errorf("%s contains %s", p, bad)
			}
		}
	}
	feed := string(res.Site.Files["feed.xml"].Data)
	if !strings.Contains(feed, "https://example.github.io/dossier/articles/") {
		t.Errorf("feed entries lack the prefixed absolute URL")
	}
}

func TestScriptInMarkdownIsEscaped(t *testing.T) {
	root := copyProject(t)
	testsite.Unverify(t, root) // the test adds words to a rendition
	slug := testsite.Articles[2]
	p := filepath.Join(root, "content/articles/"+slug+".md")
	b, _ := os.ReadFile(p)
	b = append(b, []byte("\nInjected <script>alert('x')</script> and <img src=x onerror=alert(1)>.\n")...)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	res := mustBuild(t, build.New(build.Options{Root: root, Minify: true}), nil)
	page := string(res.Site.Files["articles/"+slug+"/index.html"].Data)
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") {
		t.Errorf("raw HTML from Markdown reached the page unescaped")
	}
	if !strings.Contains(page, "&lt;script") || !strings.Contains(page, "&lt;img src=x") {
		t.Errorf("escaped script text not shown")
	}
}

func TestEditChangesOnlyDependentPages(t *testing.T) {
	root := copyProject(t)
	testsite.Unverify(t, root) // the test adds words to a rendition
	b := build.New(build.Options{Root: root, Minify: true})
	before := mustBuild(t, b, nil).Site
	slug := "dockers-walk-out"
	rel := "content/articles/" + slug + ".md"
	p := filepath.Join(root, rel)
	src, _ := os.ReadFile(p)
	edited := bytes.Replace(src, []byte("after talks on wages broke down"), []byte("after talks on wages broke down, edited"), 1)
	if bytes.Equal(src, edited) {
		t.Fatal("edit target text not found in the article")
	}
	if err := os.WriteFile(p, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	res := mustBuild(t, b, []string{rel})
	after := res.Site
	var changed []string
	for path, f := range after.Files {
		if g, ok := before.Files[path]; !ok || !bytes.Equal(f.Data, g.Data) {
			changed = append(changed, path)
		}
	}
	for path := range before.Files {
		if _, ok := after.Files[path]; !ok {
			changed = append(changed, path)
		}
	}
	sort.Strings(changed)
	if len(changed) == 0 || !contains(changed, "articles/"+slug+"/index.html") {
		t.Fatalf("the article's page did not change: %v", changed)
	}
	// A body edit may change the article, its annotation page (whose
	// selectors are offsets in the text), topic/entity/claim pages quoting
	// it, the feed and the search shard holding its text; nothing else.
	for _, c := range changed {
		ok := c == "articles/"+slug+"/index.html" || c == "articles/"+slug+"/annotations.jsonld" || c == "feed.xml" || strings.HasPrefix(c, "search/") ||
			strings.HasPrefix(c, "topics/") || strings.HasPrefix(c, "entities/") || strings.HasPrefix(c, "claims/")
		if !ok {
			t.Errorf("%s changed, but does not depend on the article's text", c)
		}
	}
	if res.Rendered >= res.Pages/2 {
		t.Errorf("rebuild rendered %d of %d pages: not incremental", res.Rendered, res.Pages)
	}
	// The incremental result equals a from-scratch build of the same content.
	fresh := mustBuild(t, build.New(build.Options{Root: root, Minify: true}), nil).Site
	for path, f := range fresh.Files {
		if g, ok := after.Files[path]; !ok || !bytes.Equal(f.Data, g.Data) {
			t.Errorf("incremental build differs from a full build at %s", path)
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func TestFailedBuildLeavesOutputIntact(t *testing.T) {
	root := copyProject(t)
	out := filepath.Join(root, "public")
	b := build.New(build.Options{Root: root, Minify: true})
	res := mustBuild(t, b, nil)
	if err := output.Write(context.Background(), res.Site, out); err != nil {
		t.Fatal(err)
	}
	before := treeDigest(t, out)
	edited := testsite.Articles[1]
	p := filepath.Join(root, "content/articles/"+edited+".md")
	src, _ := os.ReadFile(p)
	broken := bytes.Replace(src, []byte("title:"), []byte("titel:"), 1)
	if err := os.WriteFile(p, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := build.New(build.Options{Root: root, Minify: true}).Build(context.Background(), nil)
	if err == nil {
		t.Fatal("broken front matter built")
	}
	if !strings.Contains(err.Error(), "content/articles/"+edited+".md:2:") {
		t.Errorf("error lacks file:line: %v", err)
	}
	if treeDigest(t, out) != before {
		t.Errorf("failed build changed the previous output")
	}
	// A page that disappears from the content disappears from the output.
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	gone := "strike-spreads-to-rail" // no other file links to it
	if err := os.Remove(filepath.Join(root, "content/articles/"+gone+".md")); err != nil {
		t.Fatal(err)
	}
	// Drop the timeline and claims references to it by building without them.
	_ = os.Remove(filepath.Join(root, "content/timeline.yaml"))
	res2, err := build.New(build.Options{Root: root, Minify: true}).Build(context.Background(), nil)
	if err != nil {
		t.Fatalf("build without the article failed: %v", err)
	}
	if err := output.Write(context.Background(), res2.Site, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "articles/"+gone+"/index.html")); !os.IsNotExist(err) {
		t.Errorf("page of a deleted article is still in the output")
	}
}

// An article broken in the preview (an incremental rebuild) gives its own
// problem only, not knock-on errors from the timeline or the articles that
// link to it, and the next save that fixes it builds again.
func TestBrokenArticleDuringRebuildsHasNoKnockOnErrors(t *testing.T) {
	root := copyProject(t)
	b := build.New(build.Options{Root: root})
	mustBuild(t, b, nil)
	slug := "minister-meets-union" // in the timeline, and linked from another article
	rel := "content/articles/" + slug + ".md"
	good := testsite.Read(t, root, rel)
	testsite.Write(t, root, rel, strings.Replace(good, "title: ", "title: \"", 1))
	for _, changed := range [][]string{{rel}, nil} { // incremental, then a full load
		_, err := b.Build(context.Background(), changed)
		if err == nil {
			t.Fatal("broken article built")
		}
		if got := err.Error(); !strings.HasPrefix(got, rel+":2: the quote") || strings.Count(got, "\n") > 0 {
			t.Errorf("changed %v: want one problem, at %s:2, got:\n%v", changed, rel, got)
		}
	}
	testsite.Write(t, root, rel, good)
	mustBuild(t, b, []string{rel})
	mustBuild(t, build.New(build.Options{Root: root}), nil)
}

// The save that fixes an article broken in the preview is the second change
// to that file since the last good build: it is read once, so the article
// is checked once and not against itself ("title already used by" the same
// file), and the rebuild warns exactly as a full build does.
func TestFixAfterFailedRebuildReadsTheFileOnce(t *testing.T) {
	root := copyProject(t)
	b := build.New(build.Options{Root: root})
	mustBuild(t, b, nil)
	rel := "content/articles/" + testsite.Articles[1] + ".md"
	good := testsite.Read(t, root, rel)
	testsite.Write(t, root, rel, strings.Replace(good, "title:", "titel:", 1))
	if _, err := b.Build(context.Background(), []string{rel}); err == nil {
		t.Fatal("broken article built")
	}
	testsite.Write(t, root, rel, good)
	res := mustBuild(t, b, []string{rel})
	full := mustBuild(t, build.New(build.Options{Root: root}), nil)
	if got, want := res.Warnings.Error(), full.Warnings.Error(); got != want {
		t.Errorf("warnings after the fix:\n%s\nwant those of a full build:\n%s", got, want)
	}
	if len(res.Content.Articles) != len(full.Content.Articles) {
		t.Errorf("%d articles after the fix, %d in a full build", len(res.Content.Articles), len(full.Content.Articles))
	}
}

// The same dossier saved with Windows line endings (and byte-order marks,
// as Windows editors save), or with classic Mac OS ones (CR alone, which
// CommonMark and YAML count as line ends), builds the same site, byte for
// byte, with the same warnings: originals included.
func TestOtherLineEndingsBuildTheSameSite(t *testing.T) {
	lf := testsite.New(t)
	// An apostrophe at a line's end, which goldmark's typographer read
	// differently before CR and LF.
	rel := "content/topics/strike.md"
	testsite.Write(t, lf, rel, testsite.Read(t, lf, rel)+"\nThe dockers'\nunion agreed.\n")
	a := mustBuild(t, build.New(build.Options{Root: lf}), nil)
	for _, tc := range []struct {
		name, end, bom string
	}{
		{"windows", "\r\n", "\xef\xbb\xbf"},
		{"classic mac", "\r", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.CopyFS(root, os.DirFS(lf)); err != nil {
				t.Fatal(err)
			}
			n := 0
			err := filepath.WalkDir(filepath.Join(root, "content"), func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				n++
				data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte(tc.end))
				return os.WriteFile(p, append([]byte(tc.bom), data...), 0o644)
			})
			if err != nil || n < 10 {
				t.Fatalf("converted %d files: %v", n, err)
			}
			b := mustBuild(t, build.New(build.Options{Root: root}), nil)
			if len(a.Site.Files) != len(b.Site.Files) {
				t.Fatalf("%d files, %d with LF", len(b.Site.Files), len(a.Site.Files))
			}
			for p, f := range a.Site.Files {
				if g := b.Site.Files[p]; g == nil || !bytes.Equal(g.Data, f.Data) {
					t.Errorf("%s differs", p)
				}
			}
			if fmt.Sprint(a.Warnings) != fmt.Sprint(b.Warnings) {
				t.Errorf("warnings:\n%v\nwant\n%v", b.Warnings, a.Warnings)
			}
		})
	}
}
