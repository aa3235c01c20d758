// Package serve is the editors' live-reload preview: `dossier serve` builds
// the site, serves the in-memory result over HTTP, watches the project with
// fsnotify and rebuilds after every burst of changes. Pages reload by
// themselves (keeping their scroll position), swap stylesheets in place when
// only CSS changed, and show build errors in an overlay on top of the last
// good page while the server keeps serving the last good site.
//
// Nothing is written to disk: the Site is served from memory, so a request
// can never reach a file outside the build.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/gcpace"
)

// Builder is what the server needs from the pipeline; *build.Builder
// satisfies it. Build is never called concurrently.
type Builder interface {
	Build(ctx context.Context, changed []string) (*build.Result, error)
}

var _ Builder = (*build.Builder)(nil)

// Options configure Run.
type Options struct {
	Addr string    // listen address; default 127.0.0.1:8080
	Root string    // project folder: Root/content, Root/templates and Root/static are watched; default "."
	Log  io.Writer // terminal output; default os.Stderr
	Open bool      // open the site in the default browser, best effort
	// BaseURL is the -base-url the site is built under, if any: its host is
	// answered besides the listen address and the loopback names.
	BaseURL string

	hooks *testHooks // set only by this package's tests
}

// testHooks let this package's tests wait for what they expect (a batch
// seen, a rebuild published) rather than sleep. They are never set outside
// tests, and cost a nil check when unset.
type testHooks struct {
	watch func(watchNote) // the watcher's events and states, on its goroutine
	built func()          // after each build is published (or has failed)
}

func (h *testHooks) watcher() func(watchNote) {
	if h == nil {
		return nil
	}
	return h.watch
}

func (h *testHooks) afterBuild() {
	if h != nil && h.built != nil {
		h.built()
	}
}

// DefaultAddr is where Run listens unless told otherwise: loopback only, so
// drafts are not visible from the network.
const DefaultAddr = "127.0.0.1:8080"

// shutdownTimeout bounds the graceful shutdown.
const shutdownTimeout = 5 * time.Second

// Run builds the site, serves it, watches the project and rebuilds after each
// burst of changes, until ctx is cancelled; it then shuts down gracefully and
// returns nil. It returns an error only when it cannot start (address in use,
// project folder missing) or the HTTP server fails. A failing build is not an
// error: its problems go to Log and to the browser, and the last good site
// stays up.
func Run(ctx context.Context, b Builder, opts Options) error {
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return run(ctx, b, opts, ln, NewServer())
}

// run is Run on a given listener and server (tests pass their own).
func run(ctx context.Context, b Builder, opts Options, ln net.Listener, srv *Server) error {
	if opts.Root == "" {
		opts.Root = "."
	}
	if opts.Log == nil {
		opts.Log = os.Stderr
	}
	logw := &syncWriter{w: opts.Log}

	w, err := newWatcher(opts.Root, logw, opts.hooks.watcher())
	if err != nil {
		ln.Close()
		return fmt.Errorf("serve: %w", err)
	}
	defer w.Close()

	addr := ln.Addr().String()
	if ta, ok := ln.Addr().(*net.TCPAddr); ok && !ta.IP.IsLoopback() {
		fmt.Fprintf(logw, "warning: listening on %s, not on loopback: anyone who can reach this machine can read the drafts\n", addr)
		if ta.IP.IsUnspecified() {
			addr = net.JoinHostPort("localhost", fmt.Sprint(ta.Port))
		}
	}

	// Build for the address being served, so that canonical, Open Graph and
	// feed URLs lead back to the preview (unless -base-url says otherwise).
	if sa, ok := b.(interface{ ServeAt(origin string) }); ok {
		sa.ServeAt("http://" + addr)
	}
	// A rebuild serves the pages an edit changed before it brings the
	// search index up to date (see rebuilder.refreshSearch).
	if d, ok := b.(interface{ DeferSearch() }); ok {
		d.DeferSearch()
	}

	// --addr may name this machine (myhost.lan:8080): browsers then send that name.
	addrHost, _, _ := net.SplitHostPort(opts.Addr)
	srv.Listen(ln.Addr(), opts.BaseURL, addrHost)
	hs, unsent := newHTTPServer(srv)
	hs.BaseContext = func(net.Listener) context.Context { return context.WithoutCancel(ctx) }
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	r := &rebuilder{b: b, srv: srv, log: logw}
	fmt.Fprintf(logw, "building %s ...\n", opts.Root)
	r.build(ctx, nil, true)
	opts.hooks.afterBuild()
	base := "/"
	if s := srv.Site(); s != nil {
		base = s.BasePath
	}
	url := "http://" + addr + base
	fmt.Fprintf(logw, "serving %s (press Ctrl-C to stop)\n", url)
	if opts.Open && ctx.Err() == nil {
		if err := openBrowser(url); err != nil {
			fmt.Fprintf(logw, "could not open a browser: %v\n", err)
		}
	}

	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err := <-served:
			runErr = fmt.Errorf("serve: %w", err)
			break loop
		case batch, ok := <-w.C:
			if !ok {
				break loop
			}
			r.build(ctx, batch, false)
			opts.hooks.afterBuild()
		case name := <-w.Missing:
			// Shown over the last good page until the folder is back
			// and built (the watcher logged it).
			r.srv.Swap(nil, diag.List{diag.Errorf(name, 0, "%s/ was removed or renamed: the pages show the last good site until it is back", name)})
			r.broken = true
		}
	}

	// Graceful shutdown: stop watching, end the event streams (they would
	// keep Shutdown waiting), then let in-flight requests finish.
	w.Close()
	srv.Close()
	unsent.close()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
	}
	if runErr == nil {
		fmt.Fprintln(logw, "stopped")
	}
	return runErr
}

// rebuilder runs one build and reports it.
type rebuilder struct {
	b        Builder
	srv      *Server
	log      io.Writer
	broken   bool
	warnings diag.List // the warnings last listed
}

func (r *rebuilder) build(ctx context.Context, changed []string, first bool) {
	start := time.Now()
	// Once the pages and the search index are up to date, collect now if
	// the next save's work would start a collection: it then runs while
	// the editor reads (see gcpace.CollectBefore). Deferred first, run last.
	allocated := gcpace.Allocated()
	defer func() {
		if first {
			// The first build's garbage given back to the system, and the
			// collector paced for the heap the preview keeps.
			go gcpace.PacePreview(true, 0)
			return
		}
		save := gcpace.Allocated() - allocated
		gcpace.PacePreview(false, save)
		gcpace.CollectBefore(save)
	}()
	res, err := r.safeBuild(ctx, changed)
	if ctx.Err() != nil {
		return // shutting down: the build was cancelled
	}
	if err == nil && (res == nil || res.Site == nil) {
		err = errors.New("internal error: the build returned no site")
	}
	stamp := time.Now().Format("15:04:05")
	if err != nil {
		r.srv.Swap(nil, err)
		r.broken = true
		probs := diag.From(err, "").Errors()
		if len(probs) == 0 {
			probs = diag.List{{Msg: err.Error()}}
		}
		// Every problem at once, as dossier build lists them: the
		// warnings of the content too, and they count as listed.
		var warnings diag.List
		if res != nil {
			warnings = res.Warnings
		}
		probs = append(probs, warnings...)
		probs.Sort()
		what := "serving the last good site"
		if r.srv.Site() == nil {
			what = "nothing to serve until it is fixed"
		}
		fmt.Fprintf(r.log, "%s build failed (%s; changed %s); %s:\n", stamp, plural(len(probs), "problem"), describe(changed), what)
		for _, p := range probs {
			fmt.Fprintln(r.log, problemText(p))
		}
		r.warnings = slices.Clone(warnings)
		return
	}
	r.srv.Swap(res.Site, nil)
	defer r.refreshSearch(ctx, res)
	d := res.Duration
	if d <= 0 {
		d = time.Since(start)
	}
	verb := "rebuilt"
	if first {
		verb = "built"
	}
	if r.broken {
		verb += " (fixed)"
		r.broken = false
	}
	// Warnings are listed when they change, not again after every save.
	same := slices.Equal(res.Warnings, r.warnings)
	note := ""
	switch {
	case len(res.Warnings) > 0 && same:
		note = fmt.Sprintf("; %s, as before", plural(len(res.Warnings), "warning"))
	case len(res.Warnings) == 0 && len(r.warnings) > 0:
		// The warnings listed last are still on the screen: say that
		// they are gone, as dossier check now lists none.
		note = "; no warnings now"
	}
	if first {
		fmt.Fprintf(r.log, "%s %s in %s: %s%s\n", stamp, verb, millis(d), plural(res.Pages, "page"), note)
	} else {
		fmt.Fprintf(r.log, "%s %s in %s: %d of %s rendered (changed %s)%s\n", stamp, verb, millis(d), res.Rendered, plural(res.Pages, "page"), describe(changed), note)
	}
	if !same {
		for _, p := range res.Warnings {
			fmt.Fprintln(r.log, problemText(p))
		}
		r.warnings = slices.Clone(res.Warnings)
	}
}

// refreshSearch brings the search index up to date after a build that left
// it for later (build.Options.DeferSearch), and serves it without reloading
// the pages: only the search page reads it, when it is next used.
func (r *rebuilder) refreshSearch(ctx context.Context, res *build.Result) {
	rs, ok := r.b.(interface {
		RefreshSearch(context.Context) (*build.Result, error)
	})
	if !ok || !res.SearchPending || ctx.Err() != nil {
		return
	}
	fresh, err := r.safely(func() (*build.Result, error) { return rs.RefreshSearch(ctx) })
	switch {
	case ctx.Err() != nil:
	case err != nil:
		fmt.Fprintf(r.log, "%s search index not updated: %v\n", time.Now().Format("15:04:05"), err)
	case fresh != nil && fresh.Site != nil:
		r.srv.SwapQuiet(fresh.Site)
	}
}

// safeBuild turns a panic in the pipeline into a build error, so that a bug
// does not take the preview down with the editor's unsaved context.
func (r *rebuilder) safeBuild(ctx context.Context, changed []string) (*build.Result, error) {
	return r.safely(func() (*build.Result, error) { return r.b.Build(ctx, changed) })
}

// safely runs one call into the pipeline (a build, a search refresh),
// turning a panic in it into an error that it logs with the stack.
func (r *rebuilder) safely(call func() (*build.Result, error)) (res *build.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(r.log, "internal error: panic: %v\n%s", v, debug.Stack())
			res, err = nil, fmt.Errorf("internal error: panic: %v (please report it)", v)
		}
	}()
	return call()
}

func describe(changed []string) string {
	switch {
	case changed == nil:
		return "everything"
	case len(changed) <= 3:
		return diag.Printable(strings.Join(changed, ", "))
	default:
		return fmt.Sprintf("%s and %d more", diag.Printable(changed[0]), len(changed)-1)
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func millis(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	if ms < 10 {
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.0f ms", ms)
}

// openBrowser asks the desktop to open url.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

// syncWriter serialises writes from the watcher and the build loop.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
