package check_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/check"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/testsite"
)

// projectRoot is the repository (for its workflow file). Engine tests build
// internal/testsite, never the bundled dossier in content/, which editors change.
const projectRoot = "../.."

// A local simulation of the GitHub Pages deploy: build the test fixture
// for https://example.github.io/dossier/, write it to disk, serve the folder
// under /dossier/ from a plain static server that behaves like Pages, and
// crawl everything reachable from the home page.
func TestPagesDeploySimulation(t *testing.T) {
	const base = "https://example.github.io/dossier/"
	res, err := build.New(build.Options{Root: testsite.New(t), BaseURL: base, Minify: true}).Build(context.Background(), nil)
	if err != nil {
		t.Fatalf("build of the fixture:\n%v", err)
	}
	c := crawlSite(t, res.Site, "/dossier/", base)

	if len(c.broken) > 0 {
		t.Errorf("%d broken links or anchors on the served site:\n%s", len(c.broken), strings.Join(c.broken, "\n"))
	}
	t.Logf("crawled %d URLs (%d pages), followed %d distinct links", len(c.status), len(c.pages), len(c.followed))

	// Every HTML file written is reachable by links from the home page (the
	// 404 page is reached by a missing path, below).
	var unreached []string
	err = filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(c.dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "404.html" {
			return nil
		}
		u := "/dossier/" + strings.TrimSuffix(rel, "index.html")
		if !c.pages[u] {
			unreached = append(unreached, u)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(unreached) > 0 {
		t.Errorf("pages no link leads to:\n%s", strings.Join(unreached, "\n"))
	}
	// At least one page per content file, and the home page.
	if n := len(testsite.Articles) + len(testsite.Topics) + len(testsite.Entities) + len(testsite.Claims) + 1; len(c.pages) < n {
		t.Errorf("only %d pages crawled, want at least %d", len(c.pages), n)
	}

	// GitHub Pages answers a missing path with the site's 404.html and status
	// 404, at any depth: its links must work from there, so they must be
	// absolute paths under /dossier/ (or full URLs), never relative.
	for _, missing := range []string{"/dossier/nonexistent", "/dossier/articles/gone/deeper/page.html"} {
		resp, body := get(t, c.srv.URL+missing)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", missing, resp.StatusCode)
		}
		if !bytes.Contains(body, []byte("Page not found")) {
			t.Errorf("GET %s: not the site's 404 page:\n%.300s", missing, body)
		}
		refs, _ := pageRefs(body)
		if len(refs) < 5 {
			t.Errorf("the 404 page has only %d links", len(refs))
		}
		for _, r := range refs {
			u, err := url.Parse(r)
			if err != nil || u.Scheme == "mailto" {
				continue
			}
			if u.Host == "" && !strings.HasPrefix(u.Path, "/dossier/") && u.Path != "" {
				t.Errorf("404 page link %q is not an absolute path under /dossier/: it breaks at %s", r, missing)
			}
			if u.Host != "" && u.Host != "example.github.io" {
				continue
			}
			target := (&url.URL{Path: u.Path}).String()
			if u.Path == "" {
				continue // a #fragment of the 404 page itself
			}
			abs, _ := url.Parse(c.srv.URL + missing)
			abs = abs.ResolveReference(&url.URL{Path: target})
			resp, _ := get(t, abs.String())
			if resp.StatusCode != http.StatusOK {
				t.Errorf("404 page link %q, followed from %s: status %d", r, missing, resp.StatusCode)
			}
		}
	}
	// Outside the project path there is nothing of ours.
	if resp, _ := get(t, c.srv.URL+"/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /: status %d, want 404", resp.StatusCode)
	}
}

// crawl is the outcome of crawlSite.
type crawl struct {
	srv      *httptest.Server
	dir      string
	broken   []string        // "from: link: what is wrong"
	followed map[string]bool // distinct link targets followed: "/dossier/articles/x/#p2"
	pages    map[string]bool // HTML pages fetched, by path
	status   map[string]int  // every URL path fetched
}

// crawlSite writes s to a temporary folder, serves it under prefix like
// GitHub Pages serves a project site, and follows every same-site link from
// prefix: href, src, srcset and data-* URLs in HTML, url() in CSS, <loc> and
// href in XML, site paths in JSON. A link is broken when its target does not
// answer 200 without a redirect, when its #fragment names no id of the target
// page, or when it leaves prefix. Links to other sites are not fetched.
func crawlSite(t *testing.T, s *output.Site, prefix, origin string) *crawl {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := output.Write(context.Background(), s, dir); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(pagesHandler(dir, prefix))
	t.Cleanup(srv.Close)
	o, err := url.Parse(origin)
	if err != nil {
		t.Fatal(err)
	}
	c := &crawl{srv: srv, dir: dir, followed: map[string]bool{}, pages: map[string]bool{}, status: map[string]int{}}
	ids := map[string]map[string]bool{} // page path -> ids
	type link struct{ from, raw string }
	var queue []link
	fetched := map[string]bool{}

	visit := func(p string) (int, bool) {
		if fetched[p] {
			return c.status[p], ids[p] != nil
		}
		fetched[p] = true
		resp, body := get(t, srv.URL+p)
		c.status[p] = resp.StatusCode
		if resp.StatusCode != http.StatusOK {
			return resp.StatusCode, false
		}
		ct := resp.Header.Get("Content-Type")
		var refs []string
		switch {
		case strings.HasPrefix(ct, "text/html"):
			c.pages[p] = true
			var pageIDs map[string]bool
			refs, pageIDs = pageRefs(body)
			ids[p] = pageIDs
		case strings.HasPrefix(ct, "text/css"):
			for _, m := range cssURLRE.FindAllSubmatch(body, -1) {
				refs = append(refs, string(m[1]))
			}
		case strings.Contains(ct, "xml"):
			for _, m := range xmlURLRE.FindAllSubmatch(body, -1) {
				refs = append(refs, html.UnescapeString(string(append(m[1], m[2]...))))
			}
		case strings.HasPrefix(ct, "application/json"):
			refs = jsonPaths(body, prefix)
		}
		for _, r := range refs {
			queue = append(queue, link{p, r})
		}
		return resp.StatusCode, ids[p] != nil
	}

	visit(prefix)
	for len(queue) > 0 {
		l := queue[0]
		queue = queue[1:]
		u, err := url.Parse(strings.TrimSpace(l.raw))
		if err != nil {
			c.broken = append(c.broken, fmt.Sprintf("%s: %q: %v", l.from, l.raw, err))
			continue
		}
		if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
			continue // mailto:, data:
		}
		if u.Host != "" && !strings.EqualFold(u.Host, o.Host) {
			continue // another site
		}
		abs := (&url.URL{Path: l.from}).ResolveReference(&url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery, Fragment: u.Fragment})
		if !strings.HasPrefix(abs.Path, prefix) {
			c.broken = append(c.broken, fmt.Sprintf("%s: %q leaves %s", l.from, l.raw, prefix))
			continue
		}
		key := abs.Path
		if abs.Fragment != "" {
			key += "#" + abs.Fragment
		}
		if c.followed[key] {
			continue
		}
		c.followed[key] = true
		status, isHTML := visit(abs.Path)
		switch {
		case status != http.StatusOK:
			c.broken = append(c.broken, fmt.Sprintf("%s: %q: status %d", l.from, l.raw, status))
		case abs.Fragment != "" && !isHTML:
			c.broken = append(c.broken, fmt.Sprintf("%s: %q: fragment on a non-HTML file", l.from, l.raw))
		case abs.Fragment != "" && !ids[abs.Path][abs.Fragment]:
			c.broken = append(c.broken, fmt.Sprintf("%s: %q: no id %q in %s", l.from, l.raw, abs.Fragment, abs.Path))
		}
	}
	sort.Strings(c.broken)
	return c
}

var (
	cssURLRE = regexp.MustCompile(`url\(\s*['"]?([^'")]+)['"]?\s*\)`)
	xmlURLRE = regexp.MustCompile(`<loc>([^<]+)</loc>|\shref="([^"]+)"`)
)

// pagesHandler serves dir under prefix the way GitHub Pages serves a project
// site: files as they are, a folder by its index.html (a folder without its
// trailing slash redirects to it), and the site's 404.html with status 404
// for anything else, inside or outside prefix.
func pagesHandler(dir, prefix string) http.Handler {
	files := http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(dir)))
	notFound := func(w http.ResponseWriter) {
		data, err := os.ReadFile(filepath.Join(dir, "404.html"))
		if err != nil {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write(data)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p+"/" == prefix {
			http.Redirect(w, r, prefix, http.StatusMovedPermanently)
			return
		}
		if !strings.HasPrefix(p, prefix) {
			notFound(w)
			return
		}
		full := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+strings.TrimPrefix(p, prefix))))
		st, err := os.Stat(full)
		if err == nil && st.IsDir() {
			_, err = os.Stat(filepath.Join(full, "index.html"))
		}
		if err != nil {
			notFound(w)
			return
		}
		files.ServeHTTP(w, r)
	})
}

var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// pageRefs returns the URLs an HTML page refers to and its ids.
func pageRefs(data []byte) (refs []string, ids map[string]bool) {
	ids = map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return refs, ids
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, more := z.TagName()
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			key, val := string(k), string(v)
			switch {
			case key == "id" || key == "name" && string(name) == "a":
				ids[val] = true
			case key == "href" || key == "src" || key == "poster" || key == "data-index" || key == "data-src" || key == "data-href":
				refs = append(refs, val)
			case key == "srcset":
				for _, part := range strings.Split(val, ",") {
					if f := strings.Fields(part); len(f) > 0 {
						refs = append(refs, f[0])
					}
				}
			}
		}
	}
}

// jsonPaths returns every string in a JSON document that is a path under prefix.
func jsonPaths(data []byte, prefix string) []string {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if strings.HasPrefix(x, prefix) {
				out = append(out, x)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// The crawler and Links both catch what they are meant to: a missing page, a
// missing anchor, a link out of the project path.
func TestCheckersCatchBrokenLinks(t *testing.T) {
	const base = "https://example.github.io/dossier/"
	res, err := build.New(build.Options{Root: project(t, nil), BaseURL: base}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &output.Site{BasePath: res.Site.BasePath, Files: map[string]*output.File{}}
	for p, f := range res.Site.Files {
		s.Files[p] = f
	}
	const page = "articles/first/index.html"
	bad := `<a href="/dossier/nowhere/">x</a><a href="../second/#nope">y</a><a href="/elsewhere/">z</a><a href="` + base + `topics/syria/#missing">w</a>`
	data := bytes.Replace(s.Files[page].Data, []byte("</main>"), []byte(bad+"</main>"), 1)
	s.Files[page] = &output.File{Path: page, Data: data}

	ps := check.Links(s, base)
	c := crawlSite(t, s, "/dossier/", base)
	for _, want := range []string{"/dossier/nowhere/", "../second/#nope", "/elsewhere/", base + "topics/syria/#missing"} {
		if !strings.Contains(ps.Error(), `"`+want+`"`) {
			t.Errorf("Links does not report %q:\n%v", want, ps)
		}
		if !strings.Contains(strings.Join(c.broken, "\n"), `"`+want+`"`) {
			t.Errorf("the crawler does not report %q:\n%s", want, strings.Join(c.broken, "\n"))
		}
	}
	if len(ps) != 4 || len(c.broken) != 4 {
		t.Errorf("want 4 problems each; Links:\n%v\ncrawler:\n%s", ps, strings.Join(c.broken, "\n"))
	}
}
