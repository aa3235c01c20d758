package reader

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/testtool"
)

// served is a built site served on a loopback port under a path prefix.
type served struct {
	base string // "http://127.0.0.1:PORT/calden/"
	res  *build.Result
}

// serveBuild builds the project at root, minified as published, for the
// address it is then served at, and serves it until the test ends.
func serveBuild(t *testing.T, root string) *served {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String() + "/calden/"
	res, err := build.New(build.Options{Root: root, BaseURL: base, Minify: true}).Build(context.Background(), nil)
	if err != nil {
		ln.Close()
		t.Fatalf("build: %v", err)
	}
	srv := &http.Server{Handler: siteHandler(res.Site), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return &served{base: base, res: res}
}

// siteHandler serves a built site as GitHub Pages would: index.html for
// folders, 404.html with status 404 for anything else.
func siteHandler(s *output.Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(s.BasePath, "/"))
		p = strings.TrimPrefix(p, "/")
		if p == "" || strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		f, status := s.Files[p], http.StatusOK
		if f == nil {
			f, status = s.Files["404.html"], http.StatusNotFound
		}
		w.Header().Set("Content-Type", f.ContentType())
		w.WriteHeader(status)
		w.Write(f.Data)
	})
}

// browser starts headless Chromium for the test (skipping it, or failing
// with CI set, when there is none) and returns a tab whose page
// Content-Security-Policy is bypassed, so that axe-core can be injected.
func browser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chrome := testtool.Chromium(t, "the reader's browser tests (accessibility, previews, print)")
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(testtool.HeadlessOptions(t, chrome, 1280, 900),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"))...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	}))
	if err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// view is how a page is looked at: a width in CSS pixels and a colour scheme.
type view struct {
	width  int64
	scheme string // light | dark
}

func (v view) String() string { return fmt.Sprintf("%d px %s", v.width, v.scheme) }

// views are the four ways every page type is checked.
var views = []view{{375, "light"}, {375, "dark"}, {1280, "light"}, {1280, "dark"}}

// emulate sets the viewport (a phone's, with touch, at 375 px) and the
// preferred colour scheme and motion for the pages opened next.
func emulate(v view, extra ...*emulation.MediaFeature) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		opts := []chromedp.EmulateViewportOption{}
		if v.width < 600 {
			opts = append(opts, chromedp.EmulateMobile)
		}
		if _, err := chromedp.EmulateViewport(v.width, 900, opts...)(ctx, tg); err != nil {
			return err
		}
		features := append([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v.scheme}}, extra...)
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features})
		return err
	})
}

// open navigates to url and waits until the page and its deferred scripts
// are done.
func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	waitJS(t, ctx, `document.readyState === "complete"`, 10*time.Second)
}

// waitJS evaluates a boolean expression until it is true (an error counts as
// false) and fails the test when it is not within timeout.
func waitJS(t *testing.T, ctx context.Context, expr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ectx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(ectx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not true within %v (last error %v): %s", timeout, err, expr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// screenshot writes a PNG of the whole page (not only the viewport) to file.
func screenshot(ctx context.Context, file string) error {
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		m, err := cdp.Call(ctx, tg, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return err
		}
		size := m.CSSContentSize
		yes := true
		r, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: &yes,
			FromSurface:           &yes,
			Clip:                  &page.Viewport{X: 0, Y: 0, Width: size.Width, Height: min(size.Height, 16000), Scale: 1},
		})
		if err != nil {
			return err
		}
		return os.WriteFile(file, r.Data, 0o644)
	}))
}

// screenshotDir is where the screenshots go: $DOSSIER_SCREENSHOTS, else a
// folder in the system's temporary folder (`make test` prints it).
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("DOSSIER_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "dossier-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
