package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/output"
)

var testFiles = map[string]string{
	"index.html":                   page("<h1>Home</h1>"),
	"404.html":                     page("<h1>Lost</h1>"),
	"articles/x/index.html":        page(`<link rel=stylesheet href="/static/style.aaaaaa.css"><p>Article X</p>`),
	"feed.xml":                     `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>`,
	"sitemap.xml":                  `<?xml version="1.0"?><urlset></urlset>`,
	"robots.txt":                   "User-agent: *\n",
	"static/style.aaaaaa.css":      "body{color:red}",
	"static/search.js":             "console.log(1)",
	"search/index.json":            `{"a":1}`,
	"static/logo.svg":              `<svg xmlns="http://www.w3.org/2000/svg"></svg>`,
	"static/photo.png":             "\x89PNG\r\n\x1a\n",
	"static/site.webmanifest":      `{}`,
	"articles/y/index.html":        "<html><body><p>Y</p></BODY></html>",
	"articles/minified/index.html": "<!doctype html><title>m</title><p>no closing tags",
}

func startServer(t *testing.T, site *output.Site) (*Server, *httptest.Server) {
	t.Helper()
	srv := NewServer()
	if site != nil {
		srv.Swap(site, nil)
	}
	ts := httptest.NewServer(srv) // listens on 127.0.0.1
	t.Cleanup(func() { srv.Close(); ts.Close() })
	return srv, ts
}

func TestServeContentTypes(t *testing.T) {
	_, ts := startServer(t, newSite("/", testFiles))
	for path, want := range map[string]string{
		"/":                        "text/html; charset=utf-8",
		"/articles/x/":             "text/html; charset=utf-8",
		"/feed.xml":                "application/atom+xml; charset=utf-8",
		"/sitemap.xml":             "application/xml; charset=utf-8",
		"/robots.txt":              "text/plain; charset=utf-8",
		"/static/style.aaaaaa.css": "text/css; charset=utf-8",
		"/static/search.js":        "text/javascript; charset=utf-8",
		"/search/index.json":       "application/json",
		"/static/logo.svg":         "image/svg+xml",
		"/static/photo.png":        "image/png",
		"/static/site.webmanifest": "application/manifest+json",
		"/__dossier/live.js":       "text/javascript; charset=utf-8",
	} {
		resp, _ := get(t, ts.URL+path)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %s", path, resp.Status)
		}
		if got := resp.Header.Get("Content-Type"); got != want {
			t.Errorf("%s: Content-Type %q, want %q", path, got, want)
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, got)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", path, got)
		}
		if resp.Header.Get("ETag") == "" {
			t.Errorf("%s: no ETag", path)
		}
	}
}

func TestServeETag(t *testing.T) {
	site := newSite("/", testFiles)
	// A file without an ETag gets one computed.
	site.Files["static/noetag.txt"] = &output.File{Path: "static/noetag.txt", Data: []byte("plain")}
	srv, ts := startServer(t, site)
	for _, path := range []string{"/static/style.aaaaaa.css", "/articles/x/", "/static/noetag.txt", "/__dossier/live.js"} {
		resp, body := get(t, ts.URL+path)
		etag := resp.Header.Get("ETag")
		if etag == "" || !strings.HasPrefix(etag, `"`) || body == "" {
			t.Fatalf("%s: ETag %q body %d bytes", path, etag, len(body))
		}
		resp, body = do(t, "GET", ts.URL+path, map[string]string{"If-None-Match": etag})
		if resp.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("%s with If-None-Match: %s, %d bytes", path, resp.Status, len(body))
		}
		resp, _ = do(t, "GET", ts.URL+path, map[string]string{"If-None-Match": `"other"`})
		if resp.StatusCode != 200 {
			t.Errorf("%s with another ETag: %s", path, resp.Status)
		}
	}

	// A page's ETag covers the injected generation: after a rebuild that
	// changed something else, the same page bytes are a new response.
	resp, _ := get(t, ts.URL+"/")
	before := resp.Header.Get("ETag")
	cssBefore, _ := get(t, ts.URL+"/static/style.aaaaaa.css")
	files := copyFiles(testFiles)
	files["robots.txt"] = "User-agent: nobody\n"
	srv.Swap(newSite("/", files), nil)
	resp, _ = do(t, "GET", ts.URL+"/", map[string]string{"If-None-Match": before})
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == before {
		t.Errorf("page after rebuild: %s, ETag %q (was %q)", resp.Status, resp.Header.Get("ETag"), before)
	}
	resp, _ = do(t, "GET", ts.URL+"/static/style.aaaaaa.css", map[string]string{"If-None-Match": cssBefore.Header.Get("ETag")})
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("unchanged stylesheet after rebuild: %s", resp.Status)
	}
}

func TestServeHEAD(t *testing.T) {
	_, ts := startServer(t, newSite("/", testFiles))
	for _, path := range []string{"/", "/articles/x/", "/feed.xml", "/nope", "/__dossier/live.js"} {
		get1, full := get(t, ts.URL+path)
		resp, body := do(t, "HEAD", ts.URL+path, nil)
		if resp.StatusCode != get1.StatusCode {
			t.Errorf("HEAD %s: %s, GET gave %s", path, resp.Status, get1.Status)
		}
		if body != "" {
			t.Errorf("HEAD %s has a body: %q", path, body)
		}
		if cl := resp.Header.Get("Content-Length"); cl != fmt.Sprint(len(full)) {
			t.Errorf("HEAD %s: Content-Length %q, GET body is %d bytes", path, cl, len(full))
		}
	}
}

func TestServeMethods(t *testing.T) {
	_, ts := startServer(t, newSite("/", testFiles))
	for _, m := range []string{"POST", "PUT", "DELETE", "OPTIONS", "PATCH"} {
		resp, _ := do(t, m, ts.URL+"/articles/x/", nil)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: %s, Allow %q", m, resp.Status, resp.Header.Get("Allow"))
		}
	}
}

func TestServeCleanURLs(t *testing.T) {
	_, ts := startServer(t, newSite("/", testFiles))
	resp, body := get(t, ts.URL+"/articles/x/")
	if resp.StatusCode != 200 || !strings.Contains(body, "Article X") {
		t.Errorf("/articles/x/: %s %q", resp.Status, body)
	}
	resp, _ = get(t, ts.URL+"/articles/x")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/articles/x/" {
		t.Errorf("/articles/x: %s -> %q", resp.Status, resp.Header.Get("Location"))
	}
	resp, _ = get(t, ts.URL+"/articles/x?q=1")
	if resp.Header.Get("Location") != "/articles/x/?q=1" {
		t.Errorf("/articles/x?q=1 -> %q", resp.Header.Get("Location"))
	}
	resp, body = get(t, ts.URL+"/articles/x/index.html")
	if resp.StatusCode != 200 || !strings.Contains(body, "Article X") {
		t.Errorf("/articles/x/index.html: %s", resp.Status)
	}
	// Following the redirect works like a browser does.
	r2, err := http.Get(ts.URL + "/articles/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r2.Body)
	r2.Body.Close()
	if r2.StatusCode != 200 || !strings.Contains(string(b), "Article X") {
		t.Errorf("followed /articles/x: %s", r2.Status)
	}
	// Non-canonical spellings redirect to the canonical one, on this host.
	for in, want := range map[string]string{"/articles//x/": "/articles/x/", "/./articles/x/": "/articles/x/"} {
		resp, _ = rawGet(t, ts.Listener.Addr().String(), in)
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
			t.Errorf("%s: %s -> %q", in, resp.Status, resp.Header.Get("Location"))
		}
	}
}

func TestServeNotFound(t *testing.T) {
	srv, ts := startServer(t, newSite("/", testFiles))
	resp, body := get(t, ts.URL+"/no/such/page/")
	if resp.StatusCode != 404 || !strings.Contains(body, "Lost") || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("404: %s %q %q", resp.Status, resp.Header.Get("Content-Type"), body)
	}
	if !strings.Contains(body, `<script src="/__dossier/live.js"`) {
		t.Errorf("404 page lacks the live script: %q", body)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("404 Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	// Without a 404.html: plain text.
	files := copyFiles(testFiles)
	delete(files, "404.html")
	srv.Swap(newSite("/", files), nil)
	resp, body = get(t, ts.URL+"/nope")
	if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || !strings.Contains(body, "not found") {
		t.Errorf("plain 404: %s %q %q", resp.Status, resp.Header.Get("Content-Type"), body)
	}
}

// rawGet sends a request line verbatim, so that no client normalises it.
func rawGet(t *testing.T, addr, target string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestServeTraversal(t *testing.T) {
	files := copyFiles(testFiles)
	site := newSite("/dossier/", files)
	// A hostile key outside the base path: nothing may reach it.
	site.Files["../outside.txt"] = &output.File{Path: "../outside.txt", Data: []byte("LEAKED-SECRET")}
	site.Files["..\\outside.txt"] = &output.File{Path: "..\\outside.txt", Data: []byte("LEAKED-SECRET")}
	_, ts := startServer(t, site)
	addr := ts.Listener.Addr().String()
	for _, target := range []string{
		"/../etc/passwd",
		"/dossier/../etc/passwd",
		"/dossier/../../../../etc/passwd",
		"/dossier/../outside.txt",
		"/dossier/%2e%2e/outside.txt",
		"/%2e%2e/",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/dossier/%2E%2E%2Foutside.txt",
		"/..%2f..%2fetc/passwd",
		"/dossier/..%2f..%2fetc%2fpasswd",
		"/dossier/articles/..%5c..%5coutside.txt",
		"/dossier/..%5coutside.txt",
		"/dossier/..\\outside.txt",
		"/articles/..%5c..",
		"/%252e%252e/%252e%252e/etc/passwd",
		"/dossier/%252e%252e%252foutside.txt",
		"/dossier/%c0%ae%c0%ae/outside.txt",
		"/dossier/articles/x/%00",
		"/dossier/index.html%00.txt",
		"/dossier/.%2e/outside.txt",
		"/dossier/articles/x/../../../outside.txt",
	} {
		resp, body := rawGet(t, addr, target)
		if resp.StatusCode != 400 && resp.StatusCode != 404 {
			t.Errorf("%s: %s (Location %q), want 400 or 404", target, resp.Status, resp.Header.Get("Location"))
		}
		if strings.Contains(body, "LEAKED") || strings.Contains(body, "root:") {
			t.Errorf("%s leaked: %q", target, body)
		}
	}
	// Redirects never leave the host.
	for _, target := range []string{"//evil.example/", "///evil.example/x", "/dossier//evil.example", "/\\evil.example"} {
		resp, _ := rawGet(t, addr, target)
		loc := resp.Header.Get("Location")
		if strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") || strings.Contains(loc, "://") {
			t.Errorf("%s redirects off-site: %q", target, loc)
		}
	}
}

// The site is served under its base path, and the server's endpoints under
// any. A base path the pages' links write percent-encoded (a folder named
// with accents or spaces) is served where they lead, and redirected to as
// the links write it.
func TestServeBasePath(t *testing.T) {
	for _, base := range []string{"/dossier/", "/dossi%C3%A9%20news/"} {
		_, ts := startServer(t, newSite(base, testFiles))
		resp, _ := get(t, ts.URL+"/")
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != base {
			t.Errorf("%s: /: %s -> %q", base, resp.Status, resp.Header.Get("Location"))
		}
		resp, _ = get(t, ts.URL+strings.TrimSuffix(base, "/"))
		if resp.Header.Get("Location") != base {
			t.Errorf("%s without its slash: %s -> %q", base, resp.Status, resp.Header.Get("Location"))
		}
		resp, body := get(t, ts.URL+base)
		if resp.StatusCode != 200 || !strings.Contains(body, "Home") {
			t.Errorf("%s: %s", base, resp.Status)
		}
		if !strings.Contains(body, `<script src="`+base+`__dossier/live.js"`) {
			t.Errorf("%s: script not under the base path as the links write it: %q", base, body)
		}
		resp, body = get(t, ts.URL+base+"articles/x/")
		if resp.StatusCode != 200 || !strings.Contains(body, "Article X") {
			t.Errorf("%sarticles/x/: %s", base, resp.Status)
		}
		resp, _ = get(t, ts.URL+base+"articles/x")
		if resp.Header.Get("Location") != base+"articles/x/" {
			t.Errorf("%sarticles/x -> %q", base, resp.Header.Get("Location"))
		}
		resp, body = get(t, ts.URL+"/articles/x/")
		if resp.StatusCode != 404 || !strings.Contains(body, "Lost") {
			t.Errorf("%s: /articles/x/ outside the base path: %s", base, resp.Status)
		}
		resp, _ = get(t, ts.URL+base+"__dossier/live.js")
		if resp.StatusCode != 200 {
			t.Errorf("%s: live.js under base: %s", base, resp.Status)
		}
		ev := dialEvents(t, http.DefaultClient, ts.URL+base+"__dossier/events")
		ev.cancel()
		// Pages from before the first build, or from another base path,
		// still reach the endpoints, and are told to reload.
		resp, _ = get(t, ts.URL+"/__dossier/live.js")
		if resp.StatusCode != 200 {
			t.Errorf("%s: live.js outside base: %s", base, resp.Status)
		}
		ev = dialEvents(t, http.DefaultClient, ts.URL+"/old-base/__dossier/events?gen=0")
		if e := ev.next(t, 5*time.Second); e.name != "reload" {
			t.Errorf("%s: stream from an old base path: %s", base, e.name)
		}
		ev.cancel()
	}
}

func TestServeInjection(t *testing.T) {
	site := newSite("/", testFiles)
	orig := make(map[string][]byte)
	for p, f := range site.Files {
		orig[p] = bytes.Clone(f.Data)
	}
	_, ts := startServer(t, site)
	tag := `<script src="/__dossier/live.js" data-gen="`
	for _, p := range []string{"/", "/articles/x/", "/articles/y/", "/articles/minified/", "/nope"} {
		_, body := get(t, ts.URL+p)
		if strings.Count(body, tag) != 1 {
			t.Errorf("%s: want the script once: %q", p, body)
		}
	}
	_, body := get(t, ts.URL+"/articles/x/")
	if !strings.HasSuffix(body, `defer></script></body></html>`) {
		t.Errorf("script not before </body>: %q", body)
	}
	_, body = get(t, ts.URL+"/articles/y/")
	if !strings.HasSuffix(body, `defer></script></BODY></html>`) {
		t.Errorf("script not before </BODY>: %q", body)
	}
	_, body = get(t, ts.URL+"/articles/minified/")
	if !strings.HasPrefix(body, testFiles["articles/minified/index.html"]+tag) || !strings.HasSuffix(body, "defer></script>") {
		t.Errorf("script not at the end of a page without </body>: %q", body)
	}
	for _, p := range []string{"/feed.xml", "/static/style.aaaaaa.css", "/static/search.js", "/search/index.json", "/robots.txt", "/static/logo.svg"} {
		_, body := get(t, ts.URL+p)
		if strings.Contains(body, "__dossier") {
			t.Errorf("%s got the script: %q", p, body)
		}
	}
	for p, f := range site.Files {
		if !bytes.Equal(f.Data, orig[p]) {
			t.Errorf("the Site's bytes of %s changed: %q", p, f.Data)
		}
		if bytes.Contains(f.Data, []byte("__dossier")) {
			t.Errorf("the Site's %s holds the script", p)
		}
	}
}

func TestServePlaceholder(t *testing.T) {
	srv, ts := startServer(t, nil)
	resp, body := get(t, ts.URL+"/articles/x/")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Building") || !strings.Contains(body, `src="/__dossier/live.js"`) {
		t.Errorf("before the first build: %s %q", resp.Status, body)
	}
	ev := dialEvents(t, http.DefaultClient, ts.URL+"/__dossier/events?gen=0")
	srv.Swap(nil, diag.List{diag.Errorf("content/articles/x.md", 3, "unknown key <script>alert(1)</script>")})
	if e := ev.next(t, 5*time.Second); e.name != "error" || !strings.Contains(e.data, "content/articles/x.md:3: unknown key") {
		t.Errorf("event %s %s", e.name, e.data)
	}
	resp, body = get(t, ts.URL+"/articles/x/")
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "content/articles/x.md:3: unknown key &lt;script&gt;") {
		t.Errorf("first build failed: %s %q", resp.Status, body)
	}
	if strings.Contains(body, "<script>alert") {
		t.Errorf("problem not escaped: %q", body)
	}
	srv.Swap(newSite("/dossier/", testFiles), nil)
	if e := ev.next(t, 5*time.Second); e.name != "reload" {
		t.Errorf("after the fix: %s %s", e.name, e.data)
	}
	resp, _ = get(t, ts.URL+"/dossier/articles/x/")
	if resp.StatusCode != 200 {
		t.Errorf("after the fix: %s", resp.Status)
	}
	if resp, _ = get(t, ts.URL+"/"); resp.Header.Get("Location") != "/dossier/" {
		t.Errorf("reloading / after the fix: %s -> %q", resp.Status, resp.Header.Get("Location"))
	}
}

func TestEventsReloadAndErrors(t *testing.T) {
	srv, ts := startServer(t, newSite("/", testFiles))
	ev := dialEvents(t, http.DefaultClient, ts.URL+"/__dossier/events")
	ev.quiet(t, 100*time.Millisecond) // a client without gen gets no replay when all is well

	files := copyFiles(testFiles)
	files["articles/x/index.html"] = page("<p>Article X, edited</p>")
	srv.Swap(newSite("/", files), nil)
	e := ev.next(t, 5*time.Second)
	var reload struct{ Gen string }
	if e.name != "reload" || json.Unmarshal([]byte(e.data), &reload) != nil || reload.Gen == "" {
		t.Fatalf("after a successful swap: %s %s", e.name, e.data)
	}

	bad := diag.List{
		diag.Errorf("content/articles/x.md", 3, `unknown key "titel"`),
		diag.Errorf("content/articles/b.md", 0, "no front matter"),
	}
	srv.Swap(nil, fmt.Errorf("wrapped: %w", bad))
	e = ev.next(t, 5*time.Second)
	var errData struct {
		Problems []problemJSON
	}
	if e.name != "error" || json.Unmarshal([]byte(e.data), &errData) != nil {
		t.Fatalf("after a failed swap: %s %s", e.name, e.data)
	}
	if len(errData.Problems) != 2 || errData.Problems[1].Text != `content/articles/x.md:3: unknown key "titel"` ||
		errData.Problems[1].File != "content/articles/x.md" || errData.Problems[1].Line != 3 ||
		errData.Problems[0].Text != "content/articles/b.md: no front matter" {
		t.Errorf("problems: %+v", errData.Problems)
	}
	// The last good site is still served.
	if _, body := get(t, ts.URL+"/articles/x/"); !strings.Contains(body, "edited") {
		t.Errorf("last good site not served: %q", body)
	}

	// A client connecting now gets the error at once.
	late := dialEvents(t, http.DefaultClient, ts.URL+"/__dossier/events")
	if e := late.next(t, 5*time.Second); e.name != "error" || !strings.Contains(e.data, "content/articles/x.md:3") {
		t.Errorf("replay on connect: %s %s", e.name, e.data)
	}

	// Fixed with the same output as the last good site: the overlay goes,
	// nothing reloads.
	srv.Swap(newSite("/", files), nil)
	for _, c := range []*sseClient{ev, late} {
		if e := c.next(t, 5*time.Second); e.name != "ok" {
			t.Errorf("after the fix: %s %s", e.name, e.data)
		}
	}
	// Nothing changed at all: no event.
	srv.Swap(newSite("/", files), nil)
	ev.quiet(t, 100*time.Millisecond)
}

// pageGen returns the generation the live script of the page at url names.
func pageGen(t *testing.T, url string) string {
	t.Helper()
	_, body := get(t, url)
	i := strings.Index(body, `data-gen="`)
	if i < 0 {
		t.Fatalf("%s: no live script with a generation", url)
	}
	gen := body[i+len(`data-gen="`):]
	return gen[:strings.IndexByte(gen, '"')]
}

// A quiet swap (the search index brought up to date after a save) changes
// no page: a page loaded before it is not told to reload when its stream
// connects after it, and the new files are served.
func TestQuietSwapKeepsTheGeneration(t *testing.T) {
	srv, ts := startServer(t, newSite("/", testFiles))
	gen := pageGen(t, ts.URL+"/")

	files := copyFiles(testFiles)
	files["search/index.json"] = `{"v":2}`
	srv.SwapQuiet(newSite("/", files))
	ev := dialEvents(t, http.DefaultClient, ts.URL+"/__dossier/events?gen="+gen)
	ev.quiet(t, 100*time.Millisecond)
	if resp, body := get(t, ts.URL+"/search/index.json"); resp.StatusCode != 200 || body != `{"v":2}` {
		t.Errorf("search/index.json after the quiet swap: %s %q", resp.Status, body)
	}
}

func TestEventsStaleGeneration(t *testing.T) {
	srv, ts := startServer(t, newSite("/", testFiles))
	gen := pageGen(t, ts.URL+"/")

	cur := dialEvents(t, http.DefaultClient, ts.URL+"/__dossier/events?gen="+gen)
	cur.quiet(t, 100*time.Millisecond)

	// The site changes between the page load and the stream's connection.
	files := copyFiles(testFiles)
	files["index.html"] = page("<h1>Home v2</h1>")
	srv.Swap(newSite("/", files), nil)
	if e := cur.next(t, 5*time.Second); e.name != "reload" {
		t.Errorf("connected client: %s", e.name)
	}
	stale := dialEvents(t, http.DefaultClient, ts.URL+"/__dossier/events?gen="+gen)
	if e := stale.next(t, time.Second); e.name != "reload" {
		t.Errorf("stale client: %s", e.name)
	}
}

func TestEventsCSSOnly(t *testing.T) {
	link := func(name string) string {
		return page(`<link rel=stylesheet href="/dossier/static/` + name + `"><p>X</p>`)
	}
	files := map[string]string{
		"index.html":              link("style.aaaaaa.css"),
		"articles/x/index.html":   link("style.aaaaaa.css"),
		"static/style.aaaaaa.css": "body{color:red}",
		"static/print.css":        "body{color:black}",
	}
	srv, ts := startServer(t, newSite("/dossier/", files))
	ev := dialEvents(t, http.DefaultClient, ts.URL+"/dossier/__dossier/events")

	// A fingerprinted stylesheet changes: pages differ only by its name.
	files2 := map[string]string{
		"index.html":              link("style.bbbbbb.css"),
		"articles/x/index.html":   link("style.bbbbbb.css"),
		"static/style.bbbbbb.css": "body{color:blue}",
		"static/print.css":        "body{color:gray}",
	}
	srv.Swap(newSite("/dossier/", files2), nil)
	e := ev.next(t, 5*time.Second)
	var css struct{ Map map[string]string }
	if e.name != "css" || json.Unmarshal([]byte(e.data), &css) != nil {
		t.Fatalf("css change: %s %s", e.name, e.data)
	}
	want := map[string]string{
		"/dossier/static/style.aaaaaa.css": "/dossier/static/style.bbbbbb.css",
		"/dossier/static/print.css":        "/dossier/static/print.css",
	}
	if fmt.Sprint(css.Map) != fmt.Sprint(want) {
		t.Errorf("css map %v, want %v", css.Map, want)
	}

	// Text and CSS change together: reload.
	files3 := copyFiles(files2)
	files3["articles/x/index.html"] = link("style.cccccc.css") + "more"
	files3["index.html"] = link("style.cccccc.css")
	delete(files3, "static/style.bbbbbb.css")
	files3["static/style.cccccc.css"] = "body{color:green}"
	srv.Swap(newSite("/dossier/", files3), nil)
	if e := ev.next(t, 5*time.Second); e.name != "reload" {
		t.Errorf("css and text change: %s %s", e.name, e.data)
	}
}

func TestEventsCloseAndHeartbeat(t *testing.T) {
	srv := NewServer()
	srv.heartbeat = 20 * time.Millisecond
	srv.Swap(newSite("/", testFiles), nil)
	closed := make(chan struct{}, 100)
	ts := httptest.NewUnstartedServer(srv)
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			closed <- struct{}{}
		}
	}
	ts.Start()
	defer ts.Close()
	ev := dialEvents(t, http.DefaultClient, ts.URL+"/__dossier/events")
	pings := 0
	for pings < 2 {
		select {
		case e := <-ev.events:
			if e.name == ":" {
				pings++
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no heartbeat")
		}
	}
	// Disconnecting clients are forgotten. The server closes the stream's
	// connection (its only one) after the handler, which unsubscribes, returned.
	ev.cancel()
	select {
	case <-closed:
	case <-time.After(waitTimeout):
		t.Fatal("the server kept the stream's connection open")
	}
	if n := srv.hub.count(); n != 0 {
		t.Errorf("%d clients left after disconnect", n)
	}
	// Close ends the streams and refuses new ones.
	ev2 := dialEvents(t, http.DefaultClient, ts.URL+"/__dossier/events")
	srv.Close()
	select {
	case <-drain(ev2.events):
	case <-time.After(5 * time.Second):
		t.Fatal("stream still open after Close")
	}
	if resp, _ := get(t, ts.URL+"/__dossier/events"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("events after Close: %s", resp.Status)
	}
	if resp, _ := get(t, ts.URL+"/"); resp.StatusCode != 200 {
		t.Errorf("pages after Close: %s", resp.Status)
	}
}

// drain returns a channel closed when c is.
func drain(c chan sseEvent) chan struct{} {
	done := make(chan struct{})
	go func() {
		for range c {
		}
		close(done)
	}()
	return done
}

func TestHubSlowClient(t *testing.T) {
	h := newHub()
	slow, _ := h.subscribe(maxStreams) // never reads
	fast, _ := h.subscribe(maxStreams)
	start := time.Now()
	for i := 0; i < 10000; i++ {
		switch i % 4 {
		case 0:
			h.broadcast(event{name: "reload", data: []byte(fmt.Sprint(i))})
		case 1:
			h.broadcast(event{name: "css", data: []byte(fmt.Sprint(i))})
		case 2:
			h.broadcast(event{name: "error", data: []byte(fmt.Sprint(i))})
		case 3:
			h.broadcast(event{name: "css", data: []byte(fmt.Sprint(i))}, event{name: "ok", data: []byte(fmt.Sprint(i))})
		}
		if i%100 == 0 {
			fast.take()
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("broadcasting to a stuck client took %v", d)
	}
	q := slow.take()
	if len(q) > maxPending {
		t.Errorf("slow client queue holds %d events", len(q))
	}
	// The queue still ends in the latest state: a reload (the css swaps were
	// all covered by reloads) and the last status.
	if len(q) != 2 || q[0].name != "reload" || q[1].name != "ok" || string(q[1].data) != "9999" {
		t.Errorf("coalesced queue: %v", q)
	}

	// css swaps piling up without a reload collapse into one reload.
	c, _ := h.subscribe(maxStreams)
	for i := 0; i < 3*maxPending; i++ {
		c.push(event{name: "css"})
	}
	c.push(event{name: "error"})
	if q := c.take(); len(q) > maxPending || q[0].name != "reload" && q[0].name != "css" || q[len(q)-1].name != "error" {
		t.Errorf("css pile-up: %v", q)
	}
}

func TestCSSKey(t *testing.T) {
	for in, want := range map[string]string{
		"static/style.3fa9c2.css":       "static/style.css",
		"static/style.css":              "static/style.css",
		"static/style.min.css":          "static/style.min.css",
		"static/a.b.0123456789abcd.css": "static/a.b.css",
		"static.3fa9c2/x.css":           "static.3fa9c2/x.css",
	} {
		if got := cssKey(in); got != want {
			t.Errorf("cssKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func copyFiles(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestDiffSites(t *testing.T) {
	base := map[string]string{
		"index.html":                  page(`<link rel=stylesheet href="/static/style.0123456789.css">`),
		"feed.xml":                    "<feed/>",
		"static/style.0123456789.css": "a{}",
		"static/print.css":            "b{}",
	}
	mod := func(f func(m map[string]string)) *output.Site {
		m := copyFiles(base)
		f(m)
		return newSite("/", m)
	}
	old := newSite("/", base)
	for _, tc := range []struct {
		name string
		cur  *output.Site
		want change
	}{
		{"identical", mod(func(map[string]string) {}), changeNone},
		{"page removed", mod(func(m map[string]string) { delete(m, "feed.xml") }), changeReload},
		{"page added", mod(func(m map[string]string) { m["new/index.html"] = "x" }), changeReload},
		{"feed changed", mod(func(m map[string]string) { m["feed.xml"] = "<feed>x</feed>" }), changeReload},
		{"unfingerprinted css changed", mod(func(m map[string]string) { m["static/print.css"] = "b{x:y}" }), changeCSS},
		{"new stylesheet", mod(func(m map[string]string) { m["static/extra.css"] = "c{}" }), changeReload},
		{"stylesheet removed", mod(func(m map[string]string) { delete(m, "static/print.css") }), changeReload},
		{"fingerprinted css renamed", mod(func(m map[string]string) {
			delete(m, "static/style.0123456789.css")
			m["static/style.abcdef0123.css"] = "a{x:y}"
			m["index.html"] = page(`<link rel=stylesheet href="/static/style.abcdef0123.css">`)
		}), changeCSS},
		{"fingerprinted css renamed, page text changed", mod(func(m map[string]string) {
			delete(m, "static/style.0123456789.css")
			m["static/style.abcdef0123.css"] = "a{x:y}"
			m["index.html"] = page(`<link rel=stylesheet href="/static/style.abcdef0123.css">new text`)
		}), changeReload},
		{"base path changed", func() *output.Site { s := newSite("/x/", base); return s }(), changeReload},
	} {
		if got, _ := diffSites(old, tc.cur); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if got, _ := diffSites(nil, old); got != changeReload {
		t.Errorf("first site: %v", got)
	}
}
