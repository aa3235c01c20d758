// Command benchsearch compares dossier's search with Pagefind, side by side,
// on the same built site, in the same headless Chromium. Run it from the
// project's root (`make bench-search`):
//
//	go run ./tools/benchsearch -n 5,1000,10000
//
// For each size N (5 means the bundled dossier in content/; other sizes are
// corpora made by the benchmark kit, go run ../shared/bench/gencorpus/main.go
// -n N -vocab 50000 -seed 1, cached in -cache) it:
//
//  1. builds the site with dossier's build package (timing the whole build
//     and, within it, the search index) and writes it to disk;
//  2. copies the output and runs Pagefind over the copy (npm's pagefind,
//     installed into -cache with npm when missing), timing it;
//  3. serves both on loopback and, for each query, opens a fresh tab with
//     the HTTP cache off: dossier's own search page (/search/?q=...) and a
//     small harness page calling Pagefind's JS API (search, then the data of
//     the first 10 results, as many as dossier shows). Every file the tab
//     fetched for the query, except the HTML page and stylesheets, is
//     counted at its gzip size (level 6; Pagefind's files are gzipped on
//     disk already and count as they are). Then, with the files loaded, the
//     same query runs 7 more times in that tab (cache on), and the median
//     time from query to results rendered is reported.
//
// A query typed "while typing" uses dossier's typing mode (the last word is
// a prefix); Pagefind always treats the last word as a prefix.
//
// The report (Markdown tables) goes to stdout, progress to stderr.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/search"
	"github.com/dossier-news/dossier/tools/internal/pagefind"
)

var buildOnly bool

type query struct {
	label, q string
	typing   bool
}

func main() {
	sizes := flag.String("n", "5,1000,10000", "corpus sizes, comma-separated (5: the bundled dossier)")
	kit := flag.String("kit", "../shared/bench", "the benchmark kit")
	cache := flag.String("cache", pagefind.DefaultCache(), "folder for corpora and Pagefind")
	chrome := flag.String("chromium", "", "Chromium binary (default: $CHROMIUM, /usr/bin/chromium)")
	runs := flag.Int("runs", 7, "timed warm runs per query and engine")
	flag.BoolVar(&buildOnly, "build-only", false, "time dossier's builds and index only (no Pagefind, no browser)")
	flag.Parse()
	if err := run(*sizes, *kit, *cache, *chrome, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "benchsearch:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

func run(sizes, kit, cache, chrome string, runs int) error {
	ctx := context.Background()
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return err
	}
	if chrome == "" {
		chrome = findChromium()
	}
	if chrome == "" {
		logf("benchsearch: skipped: no Chromium (apt-get install chromium, or -chromium PATH)")
		return nil
	}
	pagefindBin := ""
	if !buildOnly {
		var err error
		if pagefindBin, err = pagefind.Install(ctx, cache, logf); err != nil {
			return err
		}
	}
	for _, f := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return fmt.Errorf("-n: %w", err)
		}
		var project string
		if n == 5 {
			project, _ = filepath.Abs(".")
		} else {
			if _, err := os.Stat(filepath.Join(kit, "gencorpus", "main.go")); err != nil {
				logf("benchsearch: skipping %d articles: the benchmark kit is not at %s (-kit)", n, kit)
				continue
			}
			project = filepath.Join(cache, fmt.Sprintf("corpus-%d", n))
			if _, err := os.Stat(filepath.Join(project, "content", "articles")); err != nil {
				logf("generating %d articles", n)
				cmd := exec.CommandContext(ctx, "go", "run", filepath.Join(kit, "gencorpus", "main.go"), "-n", strconv.Itoa(n), "-vocab", "50000", "-seed", "1", "-out", filepath.Join(project, "content"))
				cmd.Stderr = os.Stderr
				if err := cmd.Run(); err != nil {
					return fmt.Errorf("gencorpus: %w", err)
				}
			}
		}
		if err := benchSize(ctx, n, project, cache, pagefindBin, chrome, runs); err != nil {
			return fmt.Errorf("%d articles: %w", n, err)
		}
	}
	return nil
}

func findChromium() string {
	for _, name := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

type measure struct {
	bytes   int64
	files   int
	ms      float64 // median warm time, query to results rendered
	first   float64 // the first run's time, query to results rendered, fetches (on loopback) included
	results int
}

func benchSize(ctx context.Context, n int, project, cache, pagefind, chrome string, runs int) error {
	work, err := os.MkdirTemp(cache, "run-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	// 1. dossier: the whole build as `dossier build` does it (build, then
	// write the site), and the search index within it; median of 3 cold
	// builds, each into a fresh folder.
	var builds, inMemory, indexes []time.Duration
	var res *build.Result
	ours := filepath.Join(work, "dossier")
	for i := 0; i < 3; i++ {
		logf("%d articles: dossier build %d/3", n, i+1)
		// Each build starts from the same heap, as in a fresh process.
		res = nil
		runtime.GC()
		start := time.Now()
		r, err := build.New(build.Options{Root: project, BaseURL: "http://127.0.0.1/", Minify: true}).Build(ctx, nil)
		if err != nil {
			return err
		}
		os.RemoveAll(ours)
		if err := output.Write(ctx, r.Site, ours); err != nil {
			return err
		}
		builds, inMemory, indexes, res = append(builds, time.Since(start)), append(inMemory, r.Duration), append(indexes, stepTime(r, "search")), r
	}
	if buildOnly {
		b, mem, ix := median(builds), median(inMemory), median(indexes)
		fmt.Printf("%d articles: index %s, %.1f%% of the %s build (%.1f%% of its %s in memory); builds %v, indexes %v\n", n, ms(ix), 100*float64(ix)/float64(b), ms(b), 100*float64(ix)/float64(mem), ms(mem), builds, indexes)
		return nil
	}
	// 2. Pagefind over a copy of the same output.
	pf := filepath.Join(work, "pagefind")
	if err := copyDir(ours, pf); err != nil {
		return err
	}
	if err := writeHarness(pf); err != nil {
		return err
	}
	logf("%d articles: pagefind --site", n)
	start := time.Now()
	cmd := exec.CommandContext(ctx, pagefind, "--site", pf)
	var pfLog bytes.Buffer
	cmd.Stdout, cmd.Stderr = &pfLog, &pfLog
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pagefind: %w\n%s", err, pfLog.String())
	}
	pfTime := time.Since(start)

	oursSrv, err := serve(ours)
	if err != nil {
		return err
	}
	defer oursSrv.stop()
	pfSrv, err := serve(pf)
	if err != nil {
		return err
	}
	defer pfSrv.stop()

	alloc, cancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(filepath.Join(work, "chrome")),
		chromedp.Flag("disable-background-networking", true), chromedp.WindowSize(1100, 900))
	defer cancel()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		return err
	}

	queries := pickQueries(project, n)
	sz := &sizer{cache: map[string]int64{}}
	type row struct {
		q         query
		us, them  measure
		usErr, pe error
	}
	var rows []row
	for _, q := range queries {
		logf("%d articles: %s", n, q.q)
		u, e1 := measureQuery(browser, oursSrv, ours, sz, q, runs, false)
		p, e2 := measureQuery(browser, pfSrv, pf, sz, q, runs, true)
		rows = append(rows, row{q, u, p, e1, e2})
	}

	// Report.
	title := fmt.Sprintf("%d articles (generated, -vocab 50000 -seed 1)", n)
	if n == 5 {
		title = fmt.Sprintf("the bundled dossier (%d articles)", countArticles(project))
	}
	fmt.Printf("\n### Search: %s\n\n", title)
	fmt.Println("| query | dossier bytes (gz) | Pagefind bytes (gz) | dossier/Pagefind | warm ms dossier / Pagefind | first query ms dossier / Pagefind | results dossier / Pagefind |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	worst, slow := 0.0, 0.0
	for _, r := range rows {
		if r.usErr != nil || r.pe != nil {
			fmt.Printf("| %s `%s` | %v | %v | | | | |\n", r.q.label, r.q.q, r.usErr, r.pe)
			continue
		}
		ratio := float64(r.us.bytes) / float64(r.them.bytes)
		worst = max(worst, ratio)
		slow = max(slow, r.us.ms)
		fmt.Printf("| %s `%s` | %s (%d files) | %s (%d files) | %.2f | %.1f / %.1f | %.1f / %.1f | %d / %d |\n", r.q.label, r.q.q,
			kb(r.us.bytes), r.us.files, kb(r.them.bytes), r.them.files, ratio, r.us.ms, r.them.ms, r.us.first, r.them.first, r.us.results, r.them.results)
	}
	ob, oc := dirSize(filepath.Join(ours, "search"))
	js := int64(0)
	for p, f := range res.Site.Files {
		if strings.HasPrefix(p, "static/search") {
			js += int64(len(f.Data))
		}
	}
	pb, pc := dirSize(filepath.Join(pf, "pagefind"))
	fmt.Println()
	fmt.Println("| | dossier | Pagefind |")
	fmt.Println("|---|---:|---:|")
	b, mem, ix := median(builds), median(inMemory), median(indexes)
	fmt.Printf("| index build time | %s: %.1f%% of the %s `dossier build` (site written); %.1f%% of its %s in memory | %s (`pagefind --site`, wall) |\n", ms(ix), 100*float64(ix)/float64(b), ms(b), 100*float64(ix)/float64(mem), ms(mem), ms(pfTime))
	fmt.Printf("| index on disk | %s in %d files (+ %s of script) | %s in %d files (UI bundles included) |\n", mb(ob), oc, kb(js), mb(pb), pc)
	fmt.Printf("| largest first-query transfer, dossier/Pagefind | %.2f | |\n", worst)
	fmt.Printf("| slowest warm query, dossier | %.1f ms | |\n", slow)
	return nil
}

// stepTime is how long a build step took.
func stepTime(r *build.Result, name string) time.Duration {
	for _, s := range r.Steps {
		if s.Name == name {
			return s.Duration
		}
	}
	return 0
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/1e6) }
func kb(n int64) string         { return fmt.Sprintf("%.1f KB", float64(n)/1000) }
func mb(n int64) string         { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

func countArticles(project string) int {
	es, _ := os.ReadDir(filepath.Join(project, "content", "articles"))
	return len(es)
}

// pickQueries returns the query set: fixed words of the kit's (and the
// bundled dossier's) vocabulary, plus a rare and a medium word found by
// document frequency in this corpus.
func pickQueries(project string, n int) []query {
	df := map[string]int{}
	es, _ := os.ReadDir(filepath.Join(project, "content", "articles"))
	for _, e := range es {
		b, err := os.ReadFile(filepath.Join(project, "content", "articles", e.Name()))
		if err != nil {
			continue
		}
		seen := map[string]bool{}
		search.Words(string(b), func(sp search.Span) {
			if !seen[sp.Word] {
				seen[sp.Word] = true
				df[sp.Word]++
			}
		})
	}
	pick := func(want int) string {
		var best string
		bestD := 1 << 30
		words := make([]string, 0, len(df))
		for w := range df {
			words = append(words, w)
		}
		sort.Strings(words)
		for _, w := range words {
			if len(w) < 6 || strings.ContainsAny(w, "0123456789'") {
				continue
			}
			if d := abs(df[w] - want); d < bestD {
				best, bestD = w, d
			}
		}
		return best
	}
	rare := pick(max(1, len(es)/2000))
	medium := pick(max(2, len(es)/50))
	return []query{
		{"one word, common", "talks", false},
		{"one word, common name", "kerry", false},
		{"one word, medium", medium, false},
		{"one word, rare", rare, false},
		{"stemmed", "vetoes", false},
		{"two words", "kerry lavrov", false},
		{"two words, rare and common", rare + " talks", false},
		{"phrase", `"security council"`, false},
		{"phrase, three common words", `"free syrian army"`, false},
		{"prefix while typing", "negoti", true},
		{"prefix while typing, two words", "kerry lavr", true},
		{"no match", "xylophonist", false},
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// measureQuery opens a tab in a fresh browser context (empty cache), runs
// q once, counting every file the server served for it, then times warm
// runs in the same tab.
func measureQuery(browser context.Context, srv *server, dir string, sz *sizer, q query, runs int, isPagefind bool) (measure, error) {
	var m measure
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelT()
	base := srv.URL
	var page, done, trigger string
	if isPagefind {
		page = base + "pagefind-bench/?q=" + url.QueryEscape(q.q)
		done = `document.getElementById("out").getAttribute("data-done")`
		trigger = `document.dispatchEvent(new Event("bench-rerun"))`
	} else {
		done = `document.getElementById("search-results").getAttribute("data-done")`
		if q.typing {
			page = base + "search/"
			trigger = `(() => { const i = document.getElementById("q"); i.value = ` + jsString(q.q) + `; i.dispatchEvent(new Event("input")); })()`
		} else {
			page = base + "search/?q=" + url.QueryEscape(q.q)
			trigger = `document.getElementById("search-form").requestSubmit()`
		}
	}
	if err := chromedp.Do(ctx); err != nil {
		return m, err
	}
	srv.take()
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		return m, err
	}
	if !isPagefind && q.typing {
		// The reader types into the search page: the search script is
		// loaded; the query runs in typing mode.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](trigger+`, true`)); err != nil {
			return m, err
		}
	}
	last, err := waitDone(ctx, done, "")
	if err != nil {
		return m, err
	}
	msAttr := strings.Replace(done, "data-done", "data-ms", 1)
	if v, err := chromedp.Run(ctx, chromedp.Evaluate[string](msAttr)); err == nil {
		m.first, _ = strconv.ParseFloat(v, 64)
	}
	for _, p := range srv.take() {
		rel := strings.TrimPrefix(p, "/")
		if strings.HasSuffix(rel, "/") || rel == "" || strings.HasSuffix(rel, ".html") || strings.HasSuffix(rel, ".css") || strings.HasSuffix(rel, ".svg") || strings.HasSuffix(rel, ".ico") {
			continue // the page itself and its styling
		}
		size, err := sz.gz(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return m, err
		}
		m.bytes += size
		m.files++
	}
	if isPagefind {
		m.results, _ = chromedp.Run(ctx, chromedp.Evaluate[int](`+document.getElementById("out").getAttribute("data-count")`))
	} else {
		status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("search-status").textContent`))
		fmt.Sscanf(status, "%d", &m.results)
	}
	// Warm runs: the files are loaded.
	var times []float64
	for i := 0; i < runs+1; i++ {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](trigger)); err != nil {
			return m, err
		}
		if last, err = waitDone(ctx, done, last); err != nil {
			return m, err
		}
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](msAttr))
		if err != nil {
			return m, err
		}
		f, _ := strconv.ParseFloat(v, 64)
		if i > 0 { // the first warm run fills the HTTP cache
			times = append(times, f)
		}
	}
	slices.Sort(times)
	m.ms = times[len(times)/2]
	return m, nil
}

// waitDone polls expr until it is non-empty and differs from last.
func waitDone(ctx context.Context, expr, last string) (string, error) {
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[*string](expr))
		if err == nil && v != nil && *v != "" && *v != last {
			return *v, nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("waiting for results: %w", ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

// sizer returns files' gzip sizes (level 6); a file already gzipped (as
// Pagefind writes its index) counts as it is.
type sizer struct {
	mu    sync.Mutex
	cache map[string]int64
}

func (s *sizer) gz(path string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.cache[path]; ok {
		return n, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n := int64(len(data))
	if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, 6)
		w.Write(data)
		w.Close()
		n = min(n, int64(b.Len()))
	}
	s.cache[path] = n
	return n, nil
}

func dirSize(dir string) (int64, int) {
	var total int64
	var n int
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
				n++
			}
		}
		return nil
	})
	return total, n
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

// server serves a folder on loopback and logs the paths it serves, so
// that every fetch counts, the page's and its workers' alike.
type server struct {
	URL  string
	mu   sync.Mutex
	log  []string
	stop func()
}

func serve(dir string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{URL: "http://" + ln.Addr().String() + "/"}
	files := http.FileServer(http.Dir(dir))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.log = append(s.log, r.URL.Path)
		s.mu.Unlock()
		files.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	s.stop = func() { srv.Close() }
	return s, nil
}

// take returns the paths served since the last call.
func (s *server) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.log
	s.log = nil
	return l
}

// writeHarness adds the Pagefind page: it runs Pagefind's JS API on ?q=,
// loads the data of the first 10 results (as many as dossier shows) and
// renders titles and excerpts; "bench-rerun" runs it again.
func writeHarness(site string) error {
	dir := filepath.Join(site, "pagefind-bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	html := `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Pagefind</title><script type="module" src="bench.js"></script></head><body><ol id="out"></ol></body></html>`
	js := `const q = new URLSearchParams(location.search).get("q");
const out = document.getElementById("out");
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.init();
let n = 0;
async function run() {
  const t0 = performance.now();
  const s = await pagefind.search(q);
  const top = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
  out.textContent = "";
  for (const d of top) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = d.url;
    a.textContent = d.meta.title;
    const p = document.createElement("p");
    p.innerHTML = d.excerpt;
    li.append(a, p);
    out.append(li);
  }
  out.setAttribute("data-count", String(s.results.length));
  out.setAttribute("data-ms", (performance.now() - t0).toFixed(1));
  out.setAttribute("data-done", String(++n));
}
document.addEventListener("bench-rerun", run);
run();
`
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(html), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "bench.js"), []byte(js), 0o644)
}
