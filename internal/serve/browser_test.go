package serve

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/testsite"
	"github.com/dossier-news/dossier/internal/testtool"
)

// findChromium returns the browser to drive (see testtool.Chromium: a
// missing browser skips the test with a line at the end of `make test`, or
// fails it with CI set; DOSSIER_SKIP_BROWSER skips it on purpose).
func findChromium(t *testing.T) string {
	t.Helper()
	return testtool.Chromium(t, "the live-reload browser test")
}

// copyProject copies the test fixture's content/ and the repository's
// templates/ and static/ into dst. (Never the bundled dossier's content/:
// editors change it, and engine tests must not depend on it.)
func copyProject(t *testing.T, dst string) {
	t.Helper()
	if err := testsite.CopyTo(dst); err != nil {
		t.Fatal(err)
	}
	testsite.Unverify(t, dst) // the test adds words to a rendition
	src := filepath.Join("..", "..")
	for _, dir := range watchedFolders {
		if dir == "content" {
			continue
		}
		from := filepath.Join(src, dir)
		if _, err := os.Stat(from); err != nil {
			continue
		}
		err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			// The test edits an article's text: drop its original, which
			// the provenance check would (rightly) hold the edit against.
			data = regexp.MustCompile(`(?m)^original: .*\n`).ReplaceAll(data, nil)
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// realPreview is the preview running with the real builder.
type realPreview struct {
	srv  *Server
	base string // http://127.0.0.1:port/dossier/
	log  *lockedBuffer
	tr   *tracker
}

// startReal runs the preview with the real builder on a copy of the
// project, on a free loopback port, under the path prefix /dossier/, and
// returns once the first build succeeded.
func startReal(t testing.TB, root string) *realPreview {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &realPreview{srv: NewServer(), base: "http://" + ln.Addr().String() + "/dossier/", log: &lockedBuffer{}, tr: newTracker()}
	b := build.New(build.Options{Root: root, BaseURL: p.base})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, b, Options{Root: root, Log: p.log, hooks: p.tr.hooks()}, ln, p.srv) }()
	t.Cleanup(func() {
		stopRun(t, cancel, done)
		if t.Failed() {
			t.Logf("server log:\n%s", p.log.String())
		}
	})
	// A large corpus takes a while to build.
	p.tr.waitWithin(t, time.Minute, "the first build", func() bool { return p.tr.built > 0 })
	if p.srv.Site() == nil {
		t.Fatalf("first build:\n%s", p.log.String())
	}
	return p
}

// waitJS waits until a boolean expression is true in the page (an exception
// counts as false) and returns how long that took. The page polls itself
// (chromedp.Poll, at each animation frame); a reload ends the poll, which
// then starts again in the new page.
func waitJS(t *testing.T, ctx context.Context, expr string) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(waitTimeout)
	pred := fmt.Sprintf(`(() => { try { return !!(%s); } catch (e) { return false; } })()`, expr)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			t.Fatalf("not true within %v: %s", waitTimeout, expr)
		}
		pctx, cancel := context.WithTimeout(ctx, left)
		_, err := chromedp.Run(pctx, chromedp.Poll[bool](pred, chromedp.WithPollingTimeout(left)))
		cancel()
		if err == nil {
			return time.Since(start)
		}
		if errors.Is(err, chromedp.ErrPollingTimeout) || ctx.Err() != nil {
			t.Fatalf("not true within %v (%v): %s", waitTimeout, err, expr)
		}
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// TestBrowserLiveReload drives headless Chromium: an edited article shows by
// itself, broken front matter shows an overlay naming file and line over the
// last good page, the fix removes it, and a stylesheet edit is applied
// without a reload.
func TestBrowserLiveReload(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chrome := findChromium(t)
	t.Parallel() // most of its time is the browser starting: overlap it with the watcher tests
	root := t.TempDir()
	copyProject(t, root)
	articles, _ := filepath.Glob(filepath.Join(root, "content", "articles", "*.md"))
	if len(articles) == 0 {
		t.Fatal("the project has no articles")
	}
	sort.Strings(articles)
	mdPath := articles[0]
	slug := strings.TrimSuffix(filepath.Base(mdPath), ".md")
	rel := "content/articles/" + slug + ".md"

	p := startReal(t, root)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), testtool.HeadlessOptions(t, chrome, 1024, 768)...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	defer cancelCtx()

	// Uncaught exceptions in the page fail the test. The console's
	// messages come in order: consoleEnd, logged last, closes consoleDone
	// once every earlier message is recorded.
	const consoleEnd = "dossier browser test: end"
	var exMu sync.Mutex
	var exceptions []string
	consoleDone := make(chan struct{})
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleLog && m.Text == consoleEnd {
				close(consoleDone)
				return
			}
			if m.Type == "exception" || m.Type == "error" && strings.Contains(m.Text, "live.js") {
				exMu.Lock()
				exceptions = append(exceptions, m.String())
				exMu.Unlock()
			}
		}
	}()

	// Open the page and wait for its event stream's response, which the
	// server sends once the stream is subscribed.
	url := p.base + "articles/" + slug + "/"
	isStream := func(e network.EventResponseReceived) bool {
		return e.Type == network.ResourceTypeEventSource && strings.Contains(e.Response.URL, "/__dossier/events")
	}
	sctx, cancelStream := context.WithTimeout(ctx, waitTimeout)
	_, err := chromedp.Run(sctx, chromedp.WaitEvent(network.ResponseReceived, isStream, chromedp.Navigate(url)))
	cancelStream()
	if err != nil {
		t.Fatalf("opening %s and its event stream: %v", url, err)
	}
	if n := p.srv.hub.count(); n != 1 {
		t.Fatalf("%d event streams open, want 1", n)
	}
	y0 := evalJS[int](t, ctx, `window.scrollTo(0, 400), Math.round(window.scrollY)`)

	// 1. An edit of the Markdown body shows by itself.
	orig, err := os.ReadFile(mdPath)
	if err != nil {
		t.Fatal(err)
	}
	marker := "Live edit " + strconv.FormatInt(time.Now().UnixNano(), 36)
	edited := strings.TrimRight(string(orig), "\n") + "\n\n" + marker + " appended by the browser test.\n"
	if err := os.WriteFile(mdPath, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	d := waitJS(t, ctx, fmt.Sprintf(`document.body.innerText.includes(%q)`, marker))
	t.Logf("edit shown by the browser %v after the save", d.Round(time.Millisecond))
	// live.js restores the position again on load and then forgets it:
	// readyState is "complete" just before the load handlers run.
	waitJS(t, ctx, `document.readyState === "complete" && sessionStorage.getItem("dossier:scroll") === null`)
	if y1 := evalJS[int](t, ctx, `Math.round(window.scrollY)`); y0 > 0 && (y1 < y0-2 || y1 > y0+2) {
		t.Errorf("scroll position after reload: %d, was %d", y1, y0)
	}

	// 2. Broken front matter: an overlay naming file and line, over the
	// last good page.
	lines := strings.SplitN(edited, "\n", 2)
	broken := lines[0] + "\ntitel: misspelt key\n" + lines[1]
	if err := os.WriteFile(mdPath, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	overlay := `document.getElementById("__dossier-overlay")`
	d = waitJS(t, ctx, fmt.Sprintf(`!!%s && %s.getAttribute("role") === "alert" && %s.textContent.includes(%q)`,
		overlay, overlay, overlay, rel+":2: "))
	t.Logf("overlay shown %v after the broken save: %q", d.Round(time.Millisecond),
		evalJS[string](t, ctx, overlay+`.querySelector("li").textContent`))
	if !evalJS[bool](t, ctx, fmt.Sprintf(`document.body.innerText.includes(%q)`, marker)) {
		t.Error("the last good page is not shown under the overlay")
	}
	if pos := evalJS[string](t, ctx, `getComputedStyle(`+overlay+`).position`); pos != "fixed" {
		t.Errorf("overlay position %q", pos)
	}

	// 3. The fix removes the overlay by itself.
	if err := os.WriteFile(mdPath, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	d = waitJS(t, ctx, `!document.getElementById("__dossier-overlay") && document.readyState === "complete"`)
	t.Logf("overlay gone %v after the fix", d.Round(time.Millisecond))

	// 4. A stylesheet edit applies without reloading the page.
	cssPath := filepath.Join(root, "static", "style.css")
	if css, err := os.ReadFile(cssPath); err == nil {
		evalJS[int](t, ctx, `window.__dossierNoReload = 42`)
		css = append(css, "\nbody { --dossier-live-test: applied; }\n"...)
		if err := os.WriteFile(cssPath, css, 0o644); err != nil {
			t.Fatal(err)
		}
		d = waitJS(t, ctx, `getComputedStyle(document.body).getPropertyValue("--dossier-live-test").trim() === "applied"`)
		if !evalJS[bool](t, ctx, `window.__dossierNoReload === 42`) {
			t.Error("the page reloaded for a stylesheet change")
		}
		t.Logf("stylesheet swapped without reload %v after the save", d.Round(time.Millisecond))
		if n := evalJS[int](t, ctx, `document.querySelectorAll('link[rel~="stylesheet"][href*="/static/style."]').length`); n != 1 {
			t.Errorf("%d style.css links after the swap, want 1", n)
		}
	} else {
		t.Logf("no static/style.css in the project: stylesheet swap not tested")
	}

	evalJS[bool](t, ctx, fmt.Sprintf("console.log(%q), true", consoleEnd))
	select {
	case <-consoleDone:
	case <-time.After(waitTimeout):
		t.Fatal("the console's last message did not arrive")
	}
	exMu.Lock()
	defer exMu.Unlock()
	for _, e := range exceptions {
		t.Errorf("browser console: %s", e)
	}
}
