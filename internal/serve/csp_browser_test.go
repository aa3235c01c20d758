package serve

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/testsite"
	"github.com/dossier-news/dossier/internal/testtool"
)

// cspListener runs in every page before its own scripts (scripts injected
// through the DevTools protocol are not subject to the page's policy) and
// records every Content-Security-Policy violation the page reports.
const cspListener = `window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`

// TestBrowserCSP loads every page of the fixture site in headless Chromium,
// as `dossier serve` previews it (policy in a header and in the page, live
// reload script) and as `dossier build` publishes it (minified, policy in the
// page only, a plain file server), and fails on any policy violation the
// page or the console reports. It also checks that what the policy must not
// break still works: search, the live-reload event stream, the annotation
// notes' checkbox toggle.
func TestBrowserCSP(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chrome := findChromium(t)
	root := testsite.New(t)
	// Every Markdown feature, since each is rendered by a different part of
	// goldmark: an aligned table's columns were style attributes the policy
	// blocked.
	testsite.Write(t, root, "content/articles/every-feature.md", testsite.Article("Every feature", "Varn Daily", 20, []string{testsite.Topics[0]},
		"## A heading\n\n| Left | Centre | Right |\n|:--|:-:|--:|\n| a | b | c |\n\n"+
			"- [x] done\n- [ ] to do\n\n~~struck~~ *em* **strong** `code`[^1] https://example.org/\n\n"+
			"```go\nfunc main() {}\n```\n\n> quoted\n\n![a picture](data:image/gif;base64,R0lGODlhAQABAAAAACw=)\n\n[^1]: A footnote."))

	// The preview.
	preview := startReal(t, root)
	srv, previewBase := preview.srv, preview.base
	// The published site.
	static := httptest.NewUnstartedServer(nil)
	static.Start()
	t.Cleanup(static.Close)
	res, err := build.New(build.Options{Root: root, BaseURL: static.URL + "/", Minify: true}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if err := output.Write(context.Background(), res.Site, out); err != nil {
		t.Fatal(err)
	}
	static.Config.Handler = http.FileServer(http.Dir(out))

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), testtool.HeadlessOptions(t, chrome, 1280, 900)...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	defer cancelCtx()

	var mu sync.Mutex
	var console []string
	messages := chromedp.Console(ctx) // starts the browser
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if strings.HasSuffix(m.URL, "/bad.html") {
				continue // the violations provoked below on purpose
			}
			if m.Type == "exception" || m.Type == "error" || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Content-Security-Policy") {
				mu.Lock()
				console = append(console, m.String())
				mu.Unlock()
			}
		}
	}()
	addListener := chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener})
		return chromedp.Void{}, err
	})
	if err := chromedp.Do(ctx, addListener); err != nil {
		t.Fatal(err)
	}

	var pages []string
	for _, p := range res.Site.Paths() {
		if strings.HasSuffix(p, ".html") {
			pages = append(pages, strings.TrimSuffix(p, "index.html"))
		}
	}
	sort.Strings(pages)
	kinds := map[string]bool{}
	for _, p := range pages {
		kinds[strings.SplitN(p, "/", 2)[0]] = true
	}
	for _, want := range []string{"", "articles", "topics", "entities", "outlets", "claims", "timeline", "search", "404.html"} {
		if !kinds[want] {
			t.Errorf("the fixture site has no %q page: the test would not cover that page type", want)
		}
	}

	for _, site := range []struct{ name, base string }{{"serve", previewBase}, {"build", static.URL + "/"}} {
		for _, p := range pages {
			u := site.base + p
			if p == "search/" {
				u += "?q=strike"
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
				t.Fatalf("%s: opening %s: %v", site.name, u, err)
			}
			waitJS(t, ctx, `document.readyState === "complete"`)
			if p == "search/" {
				// search.js ran and fetched the index (connect-src).
				waitJS(t, ctx, `document.querySelectorAll("#search-results li").length > 0`)
			}
			if v := evalJS[[]string](t, ctx, `window.__csp`); len(v) > 0 {
				t.Errorf("%s %s: Content-Security-Policy violations: %q", site.name, u, v)
			}
		}
		if site.name == "serve" {
			// The preview's page opened its event stream: live.js ran, and
			// the stream accepted the page's origin.
			tick := time.NewTicker(10 * time.Millisecond)
			deadline := time.After(waitTimeout)
			for srv.hub.count() < 1 {
				select {
				case <-tick.C:
				case <-deadline:
					t.Fatal("no event stream open: live.js was blocked or the stream refused the page")
				}
			}
			tick.Stop()
		}
	}

	// The listener does see violations: a page of the published site with an
	// inline script and an inline style attribute reports both.
	home, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(home), "<main", `<script>document.title="inline ran"</script><p style="color:red">x</p><main`, 1)
	if err := os.WriteFile(filepath.Join(out, "bad.html"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(static.URL+"/bad.html")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.readyState === "complete" && window.__csp.length >= 2`)
	if evalJS[string](t, ctx, `document.title`) == "inline ran" {
		t.Error("an inline script ran under the policy")
	}

	// The annotation notes open under their number on a narrow screen with
	// a checkbox, no script.
	var article string
	for _, p := range pages {
		if strings.HasPrefix(p, "articles/") {
			article = static.URL + "/" + p
			break
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(420, 900), chromedp.Navigate(article)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.readyState === "complete"`)
	note := `getComputedStyle(document.querySelector("input.note-toggle + .note")).display`
	if d := evalJS[string](t, ctx, note); d != "none" {
		t.Errorf("a note is shown (display %q) before its number is tapped on a narrow screen", d)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`label.note-toggle-label`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf(`%s !== "none"`, note))

	// The table's aligned columns are aligned by the stylesheet.
	if err := chromedp.Do(ctx, chromedp.Navigate(static.URL+"/articles/every-feature/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.readyState === "complete"`)
	if got := evalJS[string](t, ctx, `[...document.querySelectorAll(".body td")].map(c => getComputedStyle(c).textAlign).join(" ")`); got != "left center right" {
		t.Errorf("the table's columns are aligned %q, want left center right", got)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, m := range console {
		t.Errorf("browser console: %s", m)
	}
}
