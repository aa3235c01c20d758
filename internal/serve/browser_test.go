package serve

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// startReal runs the preview with the real builder on a copy of the
// project, on a free loopback port, under the path prefix /dossier/.
func startReal(t testing.TB, root string) (srv *Server, base string, log *lockedBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base = "http://" + ln.Addr().String() + "/dossier/"
	b := build.New(build.Options{Root: root, BaseURL: base})
	srv, log = NewServer(), &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, b, Options{Root: root, Log: log}, ln, srv) }()
	t.Cleanup(func() {
		stopRun(t, cancel, done)
		if t.Failed() {
			t.Logf("server log:\n%s", log.String())
		}
	})
	for deadline := time.Now().Add(60 * time.Second); srv.Site() == nil; {
		if time.Now().After(deadline) || strings.Contains(log.String(), "build failed") {
			t.Fatalf("first build:\n%s", log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return srv, base, log
}

// waitJS evaluates a boolean expression until it is true (errors, as during
// a reload, count as false) and returns how long that took.
func waitJS(t *testing.T, ctx context.Context, expr string, timeout time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		ectx, cancel := context.WithTimeout(ctx, time.Second)
		ok, err := chromedp.Run(ectx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return time.Since(start)
		}
		if time.Since(start) > timeout {
			t.Fatalf("not true within %v (last error %v): %s", timeout, err, expr)
		}
		time.Sleep(10 * time.Millisecond)
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

	srv, base, _ := startReal(t, root)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1024, 768),
	)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	defer cancelCtx()

	// Uncaught exceptions in the page fail the test.
	var exMu sync.Mutex
	var exceptions []string
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == "exception" || m.Type == "error" && strings.Contains(m.Text, "live.js") {
				exMu.Lock()
				exceptions = append(exceptions, m.String())
				exMu.Unlock()
			}
		}
	}()

	url := base + "articles/" + slug + "/"
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	for deadline := time.Now().Add(5 * time.Second); srv.hub.count() < 1; {
		if time.Now().After(deadline) {
			t.Fatal("the page did not open its event stream")
		}
		time.Sleep(10 * time.Millisecond)
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
	d := waitJS(t, ctx, fmt.Sprintf(`document.body.innerText.includes(%q)`, marker), 2*time.Second)
	t.Logf("edit shown by the browser %v after the save", d.Round(time.Millisecond))
	waitJS(t, ctx, `document.readyState === "complete"`, 2*time.Second)
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
		overlay, overlay, overlay, rel+":2: "), 2*time.Second)
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
	d = waitJS(t, ctx, `!document.getElementById("__dossier-overlay") && document.readyState === "complete"`, 2*time.Second)
	t.Logf("overlay gone %v after the fix", d.Round(time.Millisecond))

	// 4. A stylesheet edit applies without reloading the page.
	cssPath := filepath.Join(root, "static", "style.css")
	if css, err := os.ReadFile(cssPath); err == nil {
		evalJS[int](t, ctx, `window.__dossierNoReload = 42`)
		css = append(css, "\nbody { --dossier-live-test: applied; }\n"...)
		if err := os.WriteFile(cssPath, css, 0o644); err != nil {
			t.Fatal(err)
		}
		d = waitJS(t, ctx, `getComputedStyle(document.body).getPropertyValue("--dossier-live-test").trim() === "applied"`, 2*time.Second)
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

	time.Sleep(100 * time.Millisecond) // let late console messages arrive
	exMu.Lock()
	defer exMu.Unlock()
	for _, e := range exceptions {
		t.Errorf("browser console: %s", e)
	}
}
