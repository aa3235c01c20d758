// Command dossier-bench times dossier against Hugo, side by side, on the
// shared benchmark kit's corpora (../shared/bench): cold full builds, `dossier
// check`, how both scale with the corpus, the live-reload latency of `dossier
// serve` and `hugo server`, measured the same way for both, and builds of
// pathological articles. Run it from the project's root:
//
//	go run ./tools/bench -n 1000,10000 -runs 5 -pathological
//
// For each corpus size N it:
//
//  1. generates the corpus with the kit's generator (go run
//     ../shared/bench/gencorpus/main.go -n N -out DIR/content -seed 1),
//     cached between runs in $TMPDIR/dossier-bench-corpora (-cache);
//  2. times cold full builds: `dossier build -src DIR -out OUT -q` (the binary
//     is built from the working tree first, with go build -o),
//     `bash ../shared/bench/hugo-build.sh DIR/content OUT2` and `dossier check
//     -src DIR` (without -strict, so the corpora's warnings are no failure;
//     only an error exit is), -runs times each, alternating (ABBA order: the
//     three in turn, then the other way round), each build into a fresh output
//     folder (and, for Hugo, a fresh cache folder), the earlier ones moved
//     into a trash emptied only between sizes, never within the kernel's
//     recently-deleted-inode window before a timed build (trash.go); reports
//     the medians of wall time, CPU time and peak RSS, the ratio dossier/hugo,
//     check/build (the target: a check takes at most the time of a build), and
//     the size of both outputs (both minified, as the kit builds them); then
//     the goldmark floor (goldmark alone on every article body: the least a
//     build can cost) and the minify floor (the minifier alone on an
//     unminified build's files), and what the two leave of the targets of
//     at most 3× the goldmark floor and 0.25× Hugo's wall time;
//  3. measures live reload: starts `dossier serve` and then `hugo server`
//     (Hugo's defaults: renders to memory, fast render mode, live reload on,
//     not minified; the Hugo source folder is made as hugo-build.sh makes it),
//     each on its own copy of the corpus and on 127.0.0.1 only, and waits until
//     each serves the article page. Then, -edits times per server and
//     alternating between the two, it writes the article's Markdown with a new
//     unique marker sentence at the end to a temporary file, renames it over
//     the article (an editor's atomic save), and polls the article's page over
//     HTTP every -poll until the marker shows. The latency runs from just
//     before the rename to the first response that contains the marker
//     (median and p90). Before each edit both servers must be idle (reading
//     their CPU time in /proc), so that one server's leftover work never slows
//     the other down, and then a random pause (up to -jitter) decorrelates the
//     save from any periodic timer in a server (hugo server delivers file
//     events on a 500 ms tick). The servers' own rebuild times, as their logs
//     print them, and their memory (RSS) after the edits are reported
//     alongside.
//
// With -pagefind (the default), each Hugo build is followed by npm's
// Pagefind indexing Hugo's output (`pagefind --site`, installed with npm into
// $TMPDIR/dossier-benchsearch when missing; skipped with a note without npm):
// one dossier build makes the pages and their search index, which with Hugo
// takes Hugo and then Pagefind. The table adds Pagefind's time and the sum,
// run by run, beside dossier's. Pagefind runs right after Hugo, untimed in
// Hugo's figures.
//
// Hugo is left out at sizes above -hugo-max (builds and live reload), so that
// 100,000-article runs fit on a small machine; the tables say so.
//
// With two sizes or more, a scaling table follows: for each size, dossier's
// wall and CPU time, peak RSS, time per 1,000 articles and growth against the
// smallest size (time ratio beside article ratio), with Hugo's wall time and
// RSS; then whether time grows linearly (the largest size's time per article
// at most 1.1× that of the 10,000-article corpus, or of the smallest when 10,000
// is the largest or was not measured) and whether peak RSS at the largest size
// is under 2 GB.
//
// -pathological (once per bench, not per size) times cold builds, median of
// -runs alternating runs, of a -patho-base-article gencorpus project alone and
// with one added article: an article of the kit's repeated until it is
// -patho-mb MB (10, 25 and 50: maxFileSize is raised in the project's
// dossier.yaml, dossier's own limit being 32 MB), and an article holding 1,000
// distinct quotable sentences, without annotations and with -patho-notes of
// them annotated (250, 500, 1,000). Each build must succeed and the annotated
// page show every note. The time an article adds (the build's median less the
// project's alone, or less the unannotated article's), in wall time and in
// CPU time (the work done, steadier on a shared machine), gives seconds per
// MB of Markdown, compared with the corpus rate (the 10,000-article corpus's
// build time per MB of Markdown), and milliseconds per annotation; the verdict is
// linear when the largest rate is within 1.5× of the smallest; otherwise a
// series whose largest case adds less than 5% to the build is "below the
// noise", and one where a case adds no more than the spread of its runs
// gets no verdict. It reports the peak RSS of the largest article's build.
//
// Peak RSS figures come from wait4's rusage; Linux counts in them the peak
// memory of the parent at the child's start, so the bench keeps its own
// small (the goldmark floor runs in a child process, -goldmark-floor; the
// huge articles are written as they are made) and prints it.
//
// The report, Markdown tables, goes to stdout; progress goes to stderr.
// A part that fails (one generator's builds, the live reload, one
// pathological case) is reported as an error row and the other parts go on;
// the exit status is 1 then. Ctrl-C stops every child process (each runs in a
// process group of its own), removes the temporary folders and still prints
// what was measured. Hugo (Debian's package) is installed with apt-get when
// it is missing.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dossier-news/dossier/tools/internal/pagefind"
)

type config struct {
	root, kit, cache string
	sizes            []int
	seed             int64
	runs, edits      int
	poll             time.Duration
	editTimeout      time.Duration
	startTimeout     time.Duration
	idleMax          time.Duration
	jitter           time.Duration
	build, live      bool
	hugoArgs         []string
	hugoMax          int // skip Hugo above this many articles (0: no limit)
	verbose          bool
	warmup           bool // one untimed dossier build per size first
	pagefind         bool // index Hugo's output with Pagefind after each Hugo build
	patho            pathoConfig
}

func main() {
	var cfg config
	sizes := flag.String("n", "1000,10000", "corpus sizes (articles), comma-separated")
	flag.StringVar(&cfg.root, "root", ".", "dossier project root (holding cmd/dossier)")
	flag.StringVar(&cfg.kit, "kit", "../shared/bench", "benchmark kit folder, relative to -root")
	flag.StringVar(&cfg.cache, "cache", filepath.Join(os.TempDir(), "dossier-bench-corpora"), "where generated corpora are kept between runs")
	flag.Int64Var(&cfg.seed, "seed", 1, "corpus generator seed")
	flag.IntVar(&cfg.runs, "runs", 5, "cold builds per generator and size (0: skip)")
	flag.IntVar(&cfg.edits, "edits", 10, "live-reload edits per server and size (0: skip)")
	flag.DurationVar(&cfg.poll, "poll", 2*time.Millisecond, "pause between polls of the edited page")
	flag.DurationVar(&cfg.editTimeout, "edit-timeout", time.Minute, "give up on an edit after this long")
	flag.DurationVar(&cfg.startTimeout, "start-timeout", 10*time.Minute, "give up on a server's first build after this long")
	flag.DurationVar(&cfg.idleMax, "idle-max", time.Minute, "longest wait for the servers to go idle before an edit")
	flag.DurationVar(&cfg.jitter, "jitter", 500*time.Millisecond, "random pause of up to this long before each edit")
	hugoArgs := flag.String("hugo-args", "", "extra arguments for hugo server, space-separated (e.g. --disableFastRender)")
	flag.BoolVar(&cfg.verbose, "v", false, "copy the servers' output to stderr")
	flag.BoolVar(&cfg.warmup, "warmup", true, "run one untimed dossier build per size before the timed builds (the first build after the bench empties its trash is slower)")
	flag.BoolVar(&cfg.pagefind, "pagefind", true, "after each Hugo build, index Hugo's output with npm's Pagefind and report Hugo + Pagefind beside dossier (pages and a search index; skipped without npm)")
	flag.IntVar(&cfg.hugoMax, "hugo-max", 0, "skip Hugo at sizes above this many articles (0: no limit)")
	flag.BoolVar(&cfg.patho.on, "pathological", false, "also time builds of one huge article and of one article with many annotations (once, not per size)")
	pathoMB := flag.String("patho-mb", "10,25,50", "-pathological: sizes of the huge article, in MB (10^6 bytes), comma-separated")
	pathoNotes := flag.String("patho-notes", "250,500,1000", "-pathological: annotation counts of the annotated article, comma-separated")
	flag.IntVar(&cfg.patho.base, "patho-base", 100, "-pathological: articles of the generated project the article is added to")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./tools/bench [flags]   (from the project root)\n\n")
		flag.PrintDefaults()
	}
	floorOf := flag.String("goldmark-floor", "", "internal: measure the goldmark floor of this corpus folder and print it (nanoseconds)")
	minifyOf := flag.String("minify-floor", "", "internal: measure the minify floor of this unminified output folder and print it (nanoseconds)")
	flag.Parse()
	for _, f := range []struct {
		name, dir string
		measure   func(context.Context, string) (time.Duration, error)
	}{{"goldmark floor", *floorOf, goldmarkFloor}, {"minify floor", *minifyOf, minifyFloor}} {
		if f.dir == "" {
			continue
		}
		// In a process of its own, so that the bench's memory stays small:
		// see selfPeak.
		d, err := f.measure(context.Background(), f.dir)
		if err != nil {
			fmt.Fprintf(os.Stderr, "dossier-bench: %s: %v\n", f.name, err)
			os.Exit(1)
		}
		fmt.Println(int64(d))
		os.Exit(0)
	}
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	var err error
	if cfg.sizes, err = parseCounts(*sizes); err != nil {
		fmt.Fprintf(os.Stderr, "dossier-bench: -n: %v\n", err)
		os.Exit(2)
	}
	if cfg.patho.mb, err = parseCounts(*pathoMB); err != nil {
		fmt.Fprintf(os.Stderr, "dossier-bench: -patho-mb: %v\n", err)
		os.Exit(2)
	}
	if cfg.patho.notes, err = parseCounts(*pathoNotes); err != nil {
		fmt.Fprintf(os.Stderr, "dossier-bench: -patho-notes: %v\n", err)
		os.Exit(2)
	}
	if cfg.patho.base < 1 || cfg.hugoMax < 0 {
		fmt.Fprintf(os.Stderr, "dossier-bench: -patho-base must be at least 1 and -hugo-max at least 0\n")
		os.Exit(2)
	}
	cfg.hugoArgs = strings.Fields(*hugoArgs)
	cfg.build, cfg.live = cfg.runs > 0, cfg.edits > 0

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, cfg)
	stop()
	os.Exit(code)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "dossier-bench: "+format+"\n", args...)
}

// usage is what one run of a command used: CPU time (user + system, its
// children included) and peak resident memory (of the largest process).
type usage struct {
	cpu    time.Duration
	maxRSS int64 // bytes
}

// tool holds what was measured of one generator at one size.
type tool struct {
	builds          []time.Duration
	usages          []usage
	outBytes        int64
	outFiles        int
	startup         time.Duration   // server start to the article page served
	latencies       []time.Duration // rename to the marker served
	self            []time.Duration // rebuild time printed by the server, per edit
	rebuilds        int             // rebuilds the server logged during the edits
	logged          int             // edits whose log output was examined
	failed          int             // failed rebuilds the server logged
	badPolls        int             // polls that failed or were not 200 OK
	serveRSS        int64           // the server's resident memory after the edits
	badPollStatuses map[string]int
}

type result struct {
	n        int
	mdBytes  int64         // the corpus's Markdown (content/**/*.md)
	floor    time.Duration // goldmark alone on the corpus
	minFloor time.Duration // minify alone on dossier's unminified output
	article  string        // slug of the edited article
	dossier  tool
	hugo     tool
	pagefind tool // Pagefind on Hugo's output, run by run (builds and usages only)
	check    tool // `dossier check` (builds and usages only)
	skipHugo bool // N is above -hugo-max
	errs     []error
}

// failed records the failure of one part of the measures of this size; the
// other parts go on.
func (r *result) failed(part string, err error) {
	r.errs = append(r.errs, fmt.Errorf("%s: %w", part, err))
	logf("N=%d: %s: %v", r.n, part, err)
}

type bench struct {
	cfg                    config
	root, kit, work, bin   string
	pagefind               string // Pagefind's binary; "" when not run
	pagefindSkipped        string // why Pagefind did not run, with -pagefind
	trash                  *trash
	goVersion, hugoVersion string
	commit                 string
	loadStart, loadEnd     string
	started                time.Time
}

func run(ctx context.Context, cfg config) int {
	b := &bench{cfg: cfg, started: time.Now(), loadStart: loadavg()}
	defer func() {
		children.killAll()
		if b.work != "" {
			os.RemoveAll(b.work)
		}
	}()
	if err := b.setup(ctx); err != nil {
		logf("%v", err)
		return 1
	}
	var results []*result
	for _, n := range cfg.sizes {
		r := &result{n: n, skipHugo: cfg.hugoMax > 0 && n > cfg.hugoMax}
		results = append(results, r)
		b.measure(ctx, r)
		if ctx.Err() != nil {
			break
		}
	}
	var patho *pathoResult
	if cfg.patho.on && ctx.Err() == nil {
		patho = b.pathological(ctx)
	}
	b.loadEnd = loadavg()
	b.report(os.Stdout, results)
	if len(results) >= 2 {
		reportScaling(os.Stdout, results)
	}
	if patho != nil {
		reportPatho(os.Stdout, patho, corpusRate(results))
	}
	switch {
	case ctx.Err() != nil:
		return 130
	case slices.ContainsFunc(results, func(r *result) bool { return len(r.errs) > 0 }),
		patho != nil && len(patho.errs) > 0:
		return 1
	}
	return 0
}

// setup finds the kit, makes sure Hugo is installed, builds the dossier
// binary from the working tree and notes the versions.
func (b *bench) setup(ctx context.Context) error {
	var err error
	if b.root, err = filepath.Abs(b.cfg.root); err != nil {
		return err
	}
	b.kit = b.cfg.kit
	if !filepath.IsAbs(b.kit) {
		b.kit = filepath.Join(b.root, b.kit)
	}
	for _, f := range []string{"gencorpus/main.go", "hugo-build.sh", "hugo-site/hugo.toml", "hugo-site/layouts"} {
		if _, err := os.Stat(filepath.Join(b.kit, f)); err != nil {
			return fmt.Errorf("benchmark kit incomplete (-kit %s): %w", b.cfg.kit, err)
		}
	}
	if _, err := os.Stat(filepath.Join(b.root, "cmd", "dossier")); err != nil {
		return fmt.Errorf("run from the dossier project root (or pass -root): %w", err)
	}
	// Articles are served at Hugo's default permalink, /articles/<file name>/,
	// unless the bench site configures permalinks; the cold build checks the
	// output has that page.
	conf, err := os.ReadFile(filepath.Join(b.kit, "hugo-site", "hugo.toml"))
	if err != nil {
		return err
	}
	if regexp.MustCompile(`(?m)^\s*\[permalinks`).Match(conf) {
		return errors.New("the bench site's hugo.toml sets [permalinks]: teach dossier-bench its article URLs")
	}
	if err := ensureHugo(ctx); err != nil {
		return err
	}
	if b.cfg.pagefind && b.cfg.runs > 0 {
		if b.pagefind, err = pagefind.Install(ctx, pagefind.DefaultCache(), logf); err != nil {
			b.pagefindSkipped = err.Error()
			logf("Pagefind skipped: %v", err)
		}
	}
	if b.work, err = os.MkdirTemp("", "dossier-bench-"); err != nil {
		return err
	}
	if b.trash, err = newTrash(b.work); err != nil {
		return err
	}
	b.bin = filepath.Join(b.work, "dossier")
	logf("building %s from the working tree", b.bin)
	if _, err := runCmd(ctx, b.root, nil, "go", "build", "-o", b.bin, "./cmd/dossier"); err != nil {
		return err
	}
	out, _ := runCmd(ctx, b.root, nil, "go", "version")
	b.goVersion = strings.TrimSpace(string(out))
	out, _ = runCmd(ctx, b.root, nil, "hugo", "version")
	b.hugoVersion = strings.TrimSpace(firstLine(string(out)))
	out, err = runCmd(ctx, b.root, nil, "git", "rev-parse", "--short", "HEAD")
	if err == nil {
		b.commit = strings.TrimSpace(string(out))
		if st, err := runCmd(ctx, b.root, nil, "git", "status", "--porcelain", "--untracked-files=no"); err == nil && len(bytes.TrimSpace(st)) > 0 {
			b.commit += " + uncommitted changes"
		}
	} else {
		b.commit = "(not a git checkout)"
	}
	return nil
}

// ensureHugo installs Debian's hugo package when hugo is not on PATH.
func ensureHugo(ctx context.Context) error {
	if _, err := exec.LookPath("hugo"); err == nil {
		return nil
	}
	logf("hugo is missing: installing Debian's package with apt-get")
	env := []string{"DEBIAN_FRONTEND=noninteractive"}
	if _, err := runCmd(ctx, "", env, "apt-get", "install", "-y", "-qq", "hugo"); err != nil {
		if _, err := runCmd(ctx, "", env, "apt-get", "update", "-qq"); err != nil {
			return fmt.Errorf("installing hugo: %w", err)
		}
		if _, err := runCmd(ctx, "", env, "apt-get", "install", "-y", "-qq", "hugo"); err != nil {
			return fmt.Errorf("installing hugo: %w", err)
		}
	}
	_, err := exec.LookPath("hugo")
	return err
}

// measure measures one corpus size: cold builds and checks, the goldmark
// floor, live reload. A part that fails is recorded in r and the next part
// still runs, unless the bench is interrupted.
func (b *bench) measure(ctx context.Context, r *result) {
	corpus, err := b.corpus(ctx, r.n)
	if err != nil {
		r.failed("corpus", err)
		return
	}
	names, err := filepath.Glob(filepath.Join(corpus, "content", "articles", "*.md"))
	if err != nil || len(names) == 0 {
		r.failed("corpus", fmt.Errorf("no articles in %s", corpus))
		return
	}
	slices.Sort(names)
	r.article = strings.TrimSuffix(filepath.Base(names[len(names)/2]), ".md")
	if r.mdBytes, err = markdownBytes(filepath.Join(corpus, "content")); err != nil {
		r.failed("corpus", err)
		return
	}
	if r.skipHugo {
		logf("N=%d: above -hugo-max %d: Hugo skipped", r.n, b.cfg.hugoMax)
	}
	if b.cfg.build {
		if err := b.builds(ctx, corpus, r); err != nil {
			r.failed("cold builds", err)
		}
		if ctx.Err() != nil {
			return
		}
		if r.floor, err = b.goldmarkFloor(ctx, corpus); err != nil {
			r.failed("goldmark floor", err)
		} else {
			logf("N=%d: goldmark floor %s", r.n, fmtDur(r.floor))
		}
		if r.minFloor, err = b.minifyFloor(ctx, corpus, r.n); err != nil {
			r.failed("minify floor", err)
		} else {
			logf("N=%d: minify floor %s", r.n, fmtDur(r.minFloor))
		}
	}
	if b.cfg.live && ctx.Err() == nil {
		if err := b.liveReload(ctx, corpus, r); err != nil {
			r.failed("live reload", err)
		}
	}
	b.trash.empty()
}

// markdownBytes is the size of the Markdown files under dir.
func markdownBytes(dir string) (int64, error) {
	var size int64
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() || !strings.HasSuffix(p, ".md") {
			return err
		}
		info, err := e.Info()
		if err == nil {
			size += info.Size()
		}
		return err
	})
	return size, err
}

// corpus returns a folder holding content/ with n generated articles,
// generating it unless the cache has it (keyed by size, seed and the
// generator's source).
func (b *bench) corpus(ctx context.Context, n int) (string, error) {
	gen := filepath.Join(b.kit, "gencorpus", "main.go")
	src, err := os.ReadFile(gen)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(src)
	dir := filepath.Join(b.cfg.cache, fmt.Sprintf("n%d-seed%d-%x", n, b.cfg.seed, sum[:4]))
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		logf("N=%d: corpus cached in %s", n, dir)
		return dir, nil
	}
	if err := os.MkdirAll(b.cfg.cache, 0o755); err != nil {
		return "", err
	}
	tmp := dir + ".tmp"
	os.RemoveAll(dir)
	os.RemoveAll(tmp)
	logf("N=%d: generating the corpus into %s", n, dir)
	if _, err := runCmd(ctx, b.root, nil, "go", "run", gen, "-n", strconv.Itoa(n),
		"-out", filepath.Join(tmp, "content"), "-seed", strconv.FormatInt(b.cfg.seed, 10)); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644)
}

// builds times cold full builds of both generators and `dossier check`,
// alternating. A generator whose run fails is left out of the later runs;
// the others go on.
func (b *bench) builds(ctx context.Context, corpus string, r *result) error {
	dout := filepath.Join(b.work, "build-dossier")
	hout := filepath.Join(b.work, "build-hugo")
	hcache := filepath.Join(b.work, "build-hugo-cache")
	defer b.trash.discard(dout)
	defer b.trash.discard(hout)
	defer b.trash.discard(hcache)
	type gen struct {
		name string
		t    *tool
		out  string // "" for check, which writes nothing
		run  func() (usage, error)
		then func() // after a timed run that succeeded, untimed in its figures
		err  error
	}
	gens := []*gen{
		{name: "dossier", t: &r.dossier, out: dout, run: func() (usage, error) {
			_, u, err := runCmdUsage(ctx, b.root, nil, b.bin, "build", "--src", corpus, "--out", dout, "-q")
			return u, err
		}},
		// Without --strict, check exits non-zero only on errors: the
		// corpora's warnings (repeated titles) are not failures.
		{name: "check", t: &r.check, run: func() (usage, error) {
			_, u, err := runCmdUsage(ctx, b.root, nil, b.bin, "check", "--src", corpus)
			return u, err
		}},
	}
	if !r.skipHugo {
		hugo := &gen{name: "hugo", t: &r.hugo, out: hout, run: func() (usage, error) {
			if err := b.trash.discard(hcache); err != nil {
				return usage{}, err
			}
			_, u, err := runCmdUsage(ctx, b.root, []string{"HUGO_CACHEDIR=" + hcache},
				"bash", filepath.Join(b.kit, "hugo-build.sh"), filepath.Join(corpus, "content"), hout)
			return u, err
		}}
		gens = slices.Insert(gens, 1, hugo)
		if b.pagefind != "" {
			failed := false // Pagefind is not run again after it failed
			hugo.then = func() {
				if failed {
					return
				}
				t0 := time.Now()
				_, u, err := runCmdUsage(ctx, b.root, nil, b.pagefind, "--site", hout)
				if err != nil {
					failed = true
					r.failed("pagefind", err)
					return
				}
				r.pagefind.builds = append(r.pagefind.builds, time.Since(t0))
				r.pagefind.usages = append(r.pagefind.usages, u)
			}
		}
	}
	// In every run on this project's VM, the first build of a size, right
	// after the bench emptied its trash and waited, took 1.2–1.8× the time
	// and CPU of the later ones (dossier at 10,000 articles 8.2 s and
	// 14.6 s CPU against 4.1–5.1 s; at 30,000 18.7 s against 13.1–13.6 s),
	// and ABBA makes that first build dossier's every time. One untimed
	// build absorbs it; the timed ones then alternate as before.
	if b.cfg.warmup && b.cfg.runs > 0 {
		if err := b.trash.waitQuiet(ctx); err != nil {
			return err
		}
		t0 := time.Now()
		_, _, err := runCmdUsage(ctx, b.root, nil, b.bin, "build", "--src", corpus, "--out", dout, "-q")
		logf("N=%d: untimed warm-up build: %s (%v)", r.n, fmtDur(time.Since(t0)), err)
	}
	for i := 0; i < b.cfg.runs; i++ {
		order := slices.Clone(gens)
		if i%2 == 1 {
			slices.Reverse(order) // ABBA: each generator runs first and last as often
		}
		var line []string
		for _, g := range order {
			if g.err != nil {
				continue
			}
			if g.out != "" {
				if err := b.trash.discard(g.out); err != nil {
					return err
				}
			}
			if err := b.trash.waitQuiet(ctx); err != nil {
				return err
			}
			t0 := time.Now()
			u, err := g.run()
			d := time.Since(t0)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				g.err = err
				logf("N=%d: %s failed: %v", r.n, g.name, err)
				continue
			}
			g.t.builds = append(g.t.builds, d)
			g.t.usages = append(g.t.usages, u)
			line = append(line, fmt.Sprintf("%s %s (%s CPU, %s RSS)", g.name, fmtDur(d), fmtDur(u.cpu), fmtBytes(u.maxRSS)))
			if g.then != nil && ctx.Err() == nil {
				g.then()
				if p := &r.pagefind; g.t == &r.hugo && len(p.builds) == len(r.hugo.builds) {
					line = append(line, fmt.Sprintf("pagefind %s (%s CPU)", fmtDur(p.builds[len(p.builds)-1]), fmtDur(p.usages[len(p.usages)-1].cpu)))
				}
			}
		}
		logf("N=%d: cold build %d/%d: %s", r.n, i+1, b.cfg.runs, strings.Join(line, ", "))
	}
	var errs []error
	for _, g := range gens {
		if g.err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", g.name, g.err))
			continue
		}
		if g.out == "" {
			continue
		}
		var err error
		if g.t.outBytes, g.t.outFiles, err = dirSize(g.out); err != nil {
			errs = append(errs, err)
		}
		if g.t == &r.hugo && len(r.pagefind.builds) > 0 {
			// Hugo's figures are Hugo's output alone; Pagefind's index,
			// written into it, gets its own.
			p := &r.pagefind
			if p.outBytes, p.outFiles, err = dirSize(filepath.Join(hout, "pagefind")); err != nil {
				errs = append(errs, err)
			}
			g.t.outBytes -= p.outBytes
			g.t.outFiles -= p.outFiles
		}
	}
	if !r.skipHugo && len(r.hugo.builds) > 0 {
		if _, err := os.Stat(filepath.Join(hout, "articles", r.article, "index.html")); err != nil {
			errs = append(errs, fmt.Errorf("hugo's output has no articles/%s/index.html, so hugo server would not serve it at /articles/%[1]s/: %w", r.article, err))
		}
	}
	return errors.Join(errs...)
}

// server is a running `dossier serve` or `hugo server`.
type server struct {
	name   string
	t      *tool
	file   string // the edited article's Markdown
	orig   []byte // its original text
	url    string // its page
	logRe  *regexp.Regexp
	failRe *regexp.Regexp
	log    logBuf
	cmd    *exec.Cmd
	cancel context.CancelFunc
	done   chan struct{}
	err    error // Wait's, once done is closed
}

var (
	// dossier: "15:04:05 rebuilt in 12.3 ms: 9 of 10,023 pages rendered (changed ...)"
	dossierRebuilt = regexp.MustCompile(`rebuilt(?: \(fixed\))? in ([0-9.]+) ms`)
	dossierFailed  = regexp.MustCompile(`build failed`)
	// hugo: "Change detected, rebuilding site." ... "Total in 26 ms"
	hugoRebuilt = regexp.MustCompile(`Total in ([0-9.]+) ms`)
	hugoFailed  = regexp.MustCompile(`(?m)^Error: `)
)

// liveReload measures edit-to-served latency of both servers.
func (b *bench) liveReload(ctx context.Context, corpus string, r *result) error {
	dir := filepath.Join(b.work, fmt.Sprintf("serve-%d", r.n))
	defer b.trash.discard(dir)
	dsrc := filepath.Join(dir, "dossier")
	hcontent := filepath.Join(dir, "hugo-content")
	hsrc := filepath.Join(dir, "hugo-src")
	logf("N=%d: copying the corpus for the servers", r.n)
	if err := copyTree(filepath.Join(corpus, "content"), filepath.Join(dsrc, "content")); err != nil {
		return err
	}
	ds := &server{name: "dossier", t: &r.dossier, logRe: dossierRebuilt, failRe: dossierFailed,
		file: filepath.Join(dsrc, "content", "articles", r.article+".md")}
	var hs *server
	both := []*server{ds}
	if !r.skipHugo {
		if err := copyTree(filepath.Join(corpus, "content"), hcontent); err != nil {
			return err
		}
		if err := hugoSource(b.kit, hcontent, hsrc); err != nil {
			return err
		}
		hs = &server{name: "hugo", t: &r.hugo, logRe: hugoRebuilt, failRe: hugoFailed,
			file: filepath.Join(hcontent, "articles", r.article+".md")}
		both = append(both, hs)
	}
	for _, s := range both {
		var err error
		if s.orig, err = os.ReadFile(s.file); err != nil {
			return err
		}
		if b.cfg.verbose {
			s.log.tee = os.Stderr
		}
	}

	port, err := freePort()
	if err != nil {
		return err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	ds.url = "http://" + addr + "/articles/" + r.article + "/"
	if err := b.start(ctx, ds, nil, b.bin, "serve", "-src", dsrc, "-addr", addr); err != nil {
		return err
	}
	defer ds.stop()

	if hs != nil {
		if port, err = freePort(); err != nil {
			return err
		}
		hs.url = fmt.Sprintf("http://127.0.0.1:%d/articles/%s/", port, r.article)
		args := append([]string{"server", "--source", hsrc, "--bind", "127.0.0.1", "--port", strconv.Itoa(port),
			"--baseURL", fmt.Sprintf("http://127.0.0.1:%d/", port), "--disableLiveReload=false"}, b.cfg.hugoArgs...)
		if err := b.start(ctx, hs, []string{"HUGO_CACHEDIR=" + filepath.Join(dir, "hugo-cache")}, "hugo", args...); err != nil {
			return err
		}
		defer hs.stop()
	}

	for i := 0; i < b.cfg.edits; i++ {
		order := slices.Clone(both)
		if i%2 == 1 {
			slices.Reverse(order)
		}
		var line []string
		for _, s := range order {
			if err := b.waitIdle(ctx, both...); err != nil {
				return err
			}
			if b.cfg.jitter > 0 {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(rand.N(b.cfg.jitter)):
				}
			}
			off := s.log.Len()
			lat, err := b.edit(ctx, s, r.n, i)
			if err != nil {
				return err
			}
			if err := b.waitIdle(ctx, s); err != nil {
				return err
			}
			// What the server printed about this edit.
			logged := s.log.Since(off)
			m := s.logRe.FindAllStringSubmatch(logged, -1)
			s.t.rebuilds += len(m)
			s.t.logged++
			s.t.failed += len(s.failRe.FindAllString(logged, -1))
			self := ""
			if len(m) > 0 {
				if v, err := strconv.ParseFloat(m[0][1], 64); err == nil {
					d := time.Duration(v * float64(time.Millisecond))
					s.t.self = append(s.t.self, d)
					self = " (log: " + fmtDur(d) + ")"
				}
			}
			line = append(line, fmt.Sprintf("%s %s%s", s.name, fmtDur(lat), self))
		}
		logf("N=%d: edit %d/%d: %s", r.n, i+1, b.cfg.edits, strings.Join(line, ", "))
	}
	for _, s := range both {
		s.t.serveRSS = residentMemory(s.cmd.Process.Pid)
	}
	return nil
}

// residentMemory returns a process's resident set size (VmRSS in
// /proc/PID/status), or 0 where that is not known.
func residentMemory(pid int) int64 { return procMemory(strconv.Itoa(pid), "VmRSS:") }

// selfPeak is this process's peak resident memory (VmHWM), or 0 where that
// is not known. It matters because Linux counts it in the peak RSS of every
// child: exec records the high-water mark of the memory it replaces, which
// for Go's fork (vfork-like, sharing the parent's memory) is the parent's.
// So no child's peak RSS reads below it, and the bench keeps it small: the
// goldmark floor runs in a child, and the pathological articles are written
// to disk as they are made, never held or read whole.
func selfPeak() int64 { return procMemory("self", "VmHWM:") }

// procMemory reads a memory field (in kB) of /proc/PID/status, in bytes.
func procMemory(pid, field string) int64 {
	data, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, field); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// start runs a server and waits until it serves s.url.
func (b *bench) start(ctx context.Context, s *server, env []string, name string, args ...string) error {
	sctx, cancel := context.WithCancel(ctx)
	cmd := newCmd(sctx, b.work, env, true, name, args...)
	cmd.Stdout = &s.log
	cmd.Stderr = &s.log
	logf("starting %s", strings.Join(cmd.Args, " "))
	t0 := time.Now()
	if err := startCmd(cmd); err != nil {
		cancel()
		return err
	}
	s.cmd, s.cancel, s.done = cmd, cancel, make(chan struct{})
	go func() {
		s.err = waitCmd(cmd)
		close(s.done)
	}()
	for {
		status, _, err := get(ctx, s.url)
		if err == nil && status == http.StatusOK {
			s.t.startup = time.Since(t0)
			logf("%s serves %s after %s", s.name, s.url, fmtDur(s.t.startup))
			return nil
		}
		if time.Since(t0) > b.cfg.startTimeout {
			return fmt.Errorf("%s does not serve %s after %s (last: %d %v)\n%s", s.name, s.url, b.cfg.startTimeout, status, err, s.log.Tail(20))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return fmt.Errorf("%s exited before serving (%v):\n%s", s.name, s.err, s.log.Tail(20))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop asks the server's process group to stop (SIGTERM, then SIGKILL after
// a grace period) and waits for it.
func (s *server) stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	<-s.done
	logf("%s server stopped", s.name)
}

// edit saves the article with a new marker sentence the way editors save
// (temporary file, then rename over the original) and returns the time from
// the rename to the first response of the article's page with the marker.
func (b *bench) edit(ctx context.Context, s *server, n, i int) (time.Duration, error) {
	token := fmt.Sprintf("zqmark%dx%dx%d", n, i, time.Now().UnixNano())
	text := slices.Concat(bytes.TrimRight(s.orig, "\n"), []byte("\n\nBenchmark marker "+token+".\n"))
	// A hidden name ending in ~: both watchers ignore it, as they ignore
	// editors' temporary and backup files.
	tmp := filepath.Join(filepath.Dir(s.file), "."+filepath.Base(s.file)+".bench~")
	if err := os.WriteFile(tmp, text, 0o644); err != nil {
		return 0, err
	}
	want := []byte(token)
	t0 := time.Now()
	if err := os.Rename(tmp, s.file); err != nil {
		return 0, err
	}
	for {
		status, body, err := get(ctx, s.url)
		if err == nil && status == http.StatusOK && bytes.Contains(body, want) {
			lat := time.Since(t0)
			s.t.latencies = append(s.t.latencies, lat)
			return lat, nil
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if err != nil || status != http.StatusOK {
			s.t.badPolls++
			if s.t.badPollStatuses == nil {
				s.t.badPollStatuses = map[string]int{}
			}
			what := strconv.Itoa(status)
			if err != nil {
				what = "error"
			}
			s.t.badPollStatuses[what]++
		}
		if time.Since(t0) > b.cfg.editTimeout {
			return 0, fmt.Errorf("%s: the edit to %s is not served after %s:\n%s", s.name, s.file, b.cfg.editTimeout, s.log.Tail(20))
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-s.done:
			return 0, fmt.Errorf("%s exited (%v):\n%s", s.name, s.err, s.log.Tail(20))
		case <-time.After(b.cfg.poll):
		}
	}
}

var httpClient = &http.Client{
	Timeout: 30 * time.Second,
	Transport: &http.Transport{
		Proxy:               nil, // loopback only, whatever the environment says
		DisableCompression:  true,
		MaxIdleConnsPerHost: 4,
	},
}

func get(ctx context.Context, url string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

const (
	idleWindow = 250 * time.Millisecond
	idleCPU    = 20 * time.Millisecond // two clock ticks
)

// waitIdle waits until each server has used less than idleCPU of CPU time in
// idleWindow (at most -idle-max). Without /proc it waits idleWindow.
func (b *bench) waitIdle(ctx context.Context, servers ...*server) error {
	sleep := func() error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(idleWindow):
			return nil
		}
	}
	deadline := time.Now().Add(b.cfg.idleMax)
	for _, s := range servers {
		prev, ok := cpuTime(s.cmd.Process.Pid)
		for {
			if err := sleep(); err != nil {
				return err
			}
			if !ok {
				break
			}
			var cur time.Duration
			if cur, ok = cpuTime(s.cmd.Process.Pid); !ok || cur-prev < idleCPU {
				break
			}
			prev = cur
			if time.Now().After(deadline) {
				logf("warning: %s is still busy after %s", s.name, b.cfg.idleMax)
				break
			}
		}
	}
	return nil
}

// cpuTime is the user plus system CPU time of process pid, from
// /proc/PID/stat (Linux; clock ticks of 1/100 s).
func cpuTime(pid int) (time.Duration, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name, in parentheses, may hold spaces: count fields after it.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, true
}

// hugoSource makes a Hugo source folder for the corpus content folder as
// hugo-build.sh does: topics/<slug>.md become topics/<slug>/_index.md, and
// hugo.toml is the bench site's plus module mounts for the articles, the
// topics and the layouts.
func hugoSource(kit, content, dst string) error {
	topics, err := filepath.Glob(filepath.Join(content, "topics", "*.md"))
	if err != nil {
		return err
	}
	for _, f := range topics {
		d := filepath.Join(dst, "topics", strings.TrimSuffix(filepath.Base(f), ".md"))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		if err := copyFile(f, filepath.Join(d, "_index.md")); err != nil {
			return err
		}
	}
	conf, err := os.ReadFile(filepath.Join(kit, "hugo-site", "hugo.toml"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.Write(conf)
	if len(conf) > 0 && conf[len(conf)-1] != '\n' {
		buf.WriteByte('\n')
	}
	buf.WriteString("[module]\n")
	for _, m := range [][2]string{
		{filepath.Join(content, "articles"), "content/articles"},
		{filepath.Join(dst, "topics"), "content/topics"},
		{filepath.Join(kit, "hugo-site", "layouts"), "layouts"},
	} {
		fmt.Fprintf(&buf, "[[module.mounts]]\n  source = %s\n  target = %q\n", strconv.Quote(m[0]), m[1])
	}
	return os.WriteFile(filepath.Join(dst, "hugo.toml"), buf.Bytes(), 0o644)
}

// report prints the results as Markdown.
func (b *bench) report(w io.Writer, rs []*result) {
	host, _ := os.Hostname()
	fmt.Fprintf(w, "## dossier vs Hugo, side by side\n\n")
	fmt.Fprintf(w, "- %s on %s, %d CPUs; load average %s at start, %s at end\n",
		b.started.Format("2006-01-02 15:04 MST"), host, runtime.NumCPU(), b.loadStart, b.loadEnd)
	fmt.Fprintf(w, "- dossier at %s, %s\n", b.commit, b.goVersion)
	fmt.Fprintf(w, "- %s\n", b.hugoVersion)
	fmt.Fprintf(w, "- corpora from gencorpus -seed %d; cold builds alternate (ABBA), fresh output folders on a quiet file system (earlier outputs are moved aside and deleted only between sizes, then the bench waits out the kernel's recently-deleted-inode window, and flushes earlier runs' writes to disk before each timed build: see tools/bench/trash.go), after one untimed dossier build (-warmup), both minified; "+
		"CPU time is user + system of the build process and its children, peak RSS that of the largest process (wait4's rusage); "+
		"the goldmark floor is goldmark alone (dossier's extensions) converting every article body on all cores, best of %d; "+
		"the minify floor is tdewolff/minify alone (dossier's settings) minifying the files of an unminified dossier build of the corpus that a build minifies (all but the search index's JSON, written compact) on all cores, files in memory, same best of; "+
		"live reload: `dossier serve` vs `hugo server` (to memory, fast render, not minified), edits alternate, "+
		"save = write temp file + rename after both servers are idle plus a random 0–%s pause, page polled every %s; "+
		"latency = rename to first response with the new text\n",
		b.cfg.seed, floorRuns, b.cfg.jitter, b.cfg.poll)
	fmt.Fprintf(w, "- `dossier check --src DIR` (no --strict: warnings do not fail) is timed in the same alternating runs as the builds\n")
	if peak := selfPeak(); peak > 0 {
		fmt.Fprintf(w, "- peak RSS: Linux counts the parent's peak memory in a child's, so no figure reads below this bench's own peak, %s\n", fmtBytes(peak))
	}
	if b.cfg.hugoMax > 0 {
		fmt.Fprintf(w, "- -hugo-max %s: Hugo skipped at larger sizes\n", commas(b.cfg.hugoMax))
	}
	span := func(ds []time.Duration) string {
		if len(ds) == 0 {
			return "—"
		}
		return fmtDur(slices.Min(ds)) + " – " + fmtDur(slices.Max(ds))
	}
	var notes []string
	for _, r := range rs {
		fmt.Fprintf(w, "\n### %s articles\n\n", commas(r.n))
		fmt.Fprintln(w, "| measure | dossier | hugo | dossier/hugo |")
		fmt.Fprintln(w, "|---|---:|---:|---:|")
		row := func(what, d, h, ratio string) {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", what, d, h, ratio)
		}
		d, h := &r.dossier, &r.hugo
		// hcell is Hugo's figure, or why there is none.
		hcell := func(have bool, v string) string {
			switch {
			case r.skipHugo:
				return "skipped (-hugo-max)"
			case !have:
				return "—"
			}
			return v
		}
		cpu := func(u usage) float64 { return float64(u.cpu) }
		rss := func(u usage) float64 { return float64(u.maxRSS) }
		if len(d.builds) > 0 {
			hb := len(h.builds) > 0
			dm, hm := median(d.builds), median(h.builds)
			k := len(d.builds)
			if hb {
				k = min(k, len(h.builds))
			}
			row(fmt.Sprintf("**cold build wall time, median of %d**", k),
				"**"+fmtDur(dm)+"**", hcell(hb, "**"+fmtDur(hm)+"**"), bold(fraction(float64(dm), float64(hm))))
			row("cold build wall time, min – max", span(d.builds), hcell(hb, span(h.builds)), "")
			dc, hc := medianUsage(d.usages, cpu), medianUsage(h.usages, cpu)
			row("cold build CPU time, median", fmtDur(time.Duration(dc)), hcell(hb, fmtDur(time.Duration(hc))), fraction(dc, hc))
			dr, hr := medianUsage(d.usages, rss), medianUsage(h.usages, rss)
			row("**peak RSS, median**", "**"+fmtBytes(int64(dr))+"**", hcell(hb, "**"+fmtBytes(int64(hr))+"**"), bold(fraction(dr, hr)))
			if d.outFiles > 0 {
				row("output files", commas(d.outFiles), hcell(h.outFiles > 0, commas(h.outFiles)), fraction(float64(d.outFiles), float64(h.outFiles)))
				row("output bytes", fmtBytes(d.outBytes), hcell(h.outFiles > 0, fmtBytes(h.outBytes)), fraction(float64(d.outBytes), float64(h.outBytes)))
			}
			if p := &r.pagefind; len(p.builds) > 0 && len(p.builds) == len(h.builds) {
				// Run by run: Hugo's build and the Pagefind run after it.
				walls := make([]time.Duration, len(p.builds))
				sums := make([]usage, len(p.builds))
				for i := range walls {
					walls[i] = h.builds[i] + p.builds[i]
					sums[i] = usage{cpu: h.usages[i].cpu + p.usages[i].cpu}
				}
				row("Pagefind on Hugo's output, wall time, median", "", fmtDur(median(p.builds)), "")
				if p.outFiles > 0 {
					row("Pagefind's index: files, bytes (not in Hugo's rows above; dossier's include its index)", "", commas(p.outFiles)+", "+fmtBytes(p.outBytes), "")
				}
				sm := median(walls)
				row("**pages and search index: dossier build vs Hugo + Pagefind, wall time, median**",
					"**"+fmtDur(dm)+"**", "**"+fmtDur(sm)+"**", bold(fraction(float64(dm), float64(sm))))
				sc := medianUsage(sums, cpu)
				row("pages and search index, CPU time, median", fmtDur(time.Duration(dc)), fmtDur(time.Duration(sc)), fraction(dc, sc))
			} else if b.pagefindSkipped != "" && !r.skipHugo {
				notes = append(notes, fmt.Sprintf("N=%d: Pagefind skipped: %s", r.n, b.pagefindSkipped))
			}
			if r.floor > 0 {
				row("goldmark floor (dossier / floor)", fmtDur(r.floor), "", fmt.Sprintf("%.2f× the floor", float64(dm)/float64(r.floor)))
			}
			if r.minFloor > 0 {
				row("minify floor (dossier / floor)", fmtDur(r.minFloor), "", fmt.Sprintf("%.2f× the floor", float64(dm)/float64(r.minFloor)))
			}
			if r.floor > 0 && r.minFloor > 0 {
				libs := r.floor + r.minFloor
				row("goldmark + minify floors (dossier / their sum)", fmtDur(libs), "", fmt.Sprintf("%.2f× the sum", float64(dm)/float64(libs)))
				notes = append(notes, floorNotes(r.n, libs, r.floor, hm)...)
			}
		}
		if c := &r.check; len(c.builds) > 0 {
			cm := median(c.builds)
			verdict := ""
			if len(d.builds) > 0 {
				verdict = fmt.Sprintf("check/build %s", fraction(float64(cm), float64(median(d.builds))))
				if cm <= median(d.builds) {
					verdict += " (≤ 1: on target)"
				} else {
					verdict += " (> 1: slower than a build)"
				}
			}
			row(fmt.Sprintf("**check wall time, median of %d**", len(c.builds)), "**"+fmtDur(cm)+"**", "", "**"+verdict+"**")
			row("check CPU time, peak RSS, median", fmtDur(time.Duration(medianUsage(c.usages, cpu)))+", "+fmtBytes(int64(medianUsage(c.usages, rss))), "", "")
		}
		if d.startup > 0 {
			row("server start → article page served", fmtDur(d.startup), hcell(h.startup > 0, fmtDur(h.startup)), fraction(float64(d.startup), float64(h.startup)))
		}
		if len(d.latencies) > 0 {
			hl := len(h.latencies) > 0
			k := len(d.latencies)
			if hl {
				k = min(k, len(h.latencies))
			}
			dp, hp := median(d.latencies), median(h.latencies)
			row(fmt.Sprintf("**edit → page served, median of %d**", k),
				"**"+fmtDur(dp)+"**", hcell(hl, "**"+fmtDur(hp)+"**"), bold(fraction(float64(dp), float64(hp))))
			d90, h90 := percentile(d.latencies, 90), percentile(h.latencies, 90)
			row("edit → page served, p90", fmtDur(d90), hcell(hl, fmtDur(h90)), fraction(float64(d90), float64(h90)))
			row("edit → page served, min – max", span(d.latencies), hcell(hl, span(h.latencies)), "")
			if len(d.self) > 0 {
				row("rebuild time the server logs, median", fmtDur(median(d.self)), hcell(len(h.self) > 0, fmtDur(median(h.self))),
					fraction(float64(median(d.self)), float64(median(h.self))))
			}
			if d.serveRSS > 0 {
				row("server memory (RSS) after the edits", fmtBytes(d.serveRSS), hcell(h.serveRSS > 0, fmtBytes(h.serveRSS)), fraction(float64(d.serveRSS), float64(h.serveRSS)))
			}
			for _, t := range []struct {
				name string
				t    *tool
			}{{"dossier", d}, {"hugo", h}} {
				if t.t.rebuilds != t.t.logged {
					notes = append(notes, fmt.Sprintf("N=%d: %s logged %d rebuilds for %d edits", r.n, t.name, t.t.rebuilds, t.t.logged))
				}
				if t.t.failed > 0 {
					notes = append(notes, fmt.Sprintf("N=%d: %s logged %d failed builds", r.n, t.name, t.t.failed))
				}
				if t.t.badPolls > 0 {
					notes = append(notes, fmt.Sprintf("N=%d: %s answered %d polls with an error or a status other than 200 (%v)", r.n, t.name, t.t.badPolls, t.t.badPollStatuses))
				}
			}
		}
		for _, err := range r.errs {
			row("error", cellText(errMessage(err)), "", "")
		}
		if r.article != "" && len(d.latencies) > 0 {
			notes = append(notes, fmt.Sprintf("N=%d: edited articles/%s.md", r.n, r.article))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintf(w, "- %s\n", n)
		}
	}
}

// errMessage is the first line of an error, or "interrupted" for Ctrl-C.
func errMessage(err error) string {
	if errors.Is(err, context.Canceled) {
		return "interrupted"
	}
	return firstLine(err.Error())
}

// cellText makes s safe in a Markdown table cell.
func cellText(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// bold marks a non-empty table cell bold.
func bold(s string) string {
	if s == "" {
		return ""
	}
	return "**" + s + "**"
}

// medianUsage is the median of one measure of a list of usages.
func medianUsage(us []usage, f func(usage) float64) float64 {
	if len(us) == 0 {
		return 0
	}
	vs := make([]float64, len(us))
	for i, u := range us {
		vs[i] = f(u)
	}
	slices.Sort(vs)
	if len(vs)%2 == 1 {
		return vs[len(vs)/2]
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
}

// fraction prints a/b as "0.25×".
func fraction(a, b float64) string {
	if b == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// logBuf keeps a child's output (and copies it to tee, if set).
type logBuf struct {
	mu  sync.Mutex
	b   []byte
	tee io.Writer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.b = append(l.b, p...)
	l.mu.Unlock()
	if l.tee != nil {
		l.tee.Write(p)
	}
	return len(p), nil
}

func (l *logBuf) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.b)
}

func (l *logBuf) Since(off int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.b[off:])
}

func (l *logBuf) Tail(n int) string {
	lines := strings.Split(strings.TrimRight(l.Since(0), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// registry remembers running children, so that they are killed whatever
// happens.
type registry struct {
	mu   sync.Mutex
	live map[*os.Process]bool
}

var children = &registry{live: map[*os.Process]bool{}}

func (r *registry) add(p *os.Process) {
	r.mu.Lock()
	r.live[p] = true
	r.mu.Unlock()
}

func (r *registry) remove(p *os.Process) {
	r.mu.Lock()
	delete(r.live, p)
	r.mu.Unlock()
}

func (r *registry) killAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for p := range r.live {
		killGroup(p)
	}
}

// newCmd makes a command in a process group of its own. When ctx ends, the
// group is killed, or, if graceful, asked to stop and killed 5 s later.
func newCmd(ctx context.Context, dir string, env []string, graceful bool, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	setGroup(cmd)
	cmd.Cancel = func() error {
		if graceful {
			return terminateGroup(cmd.Process)
		}
		return killGroup(cmd.Process)
	}
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

func startCmd(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	children.add(cmd.Process)
	return nil
}

// waitCmd waits for cmd, then kills whatever is left of its process group.
func waitCmd(cmd *exec.Cmd) error {
	err := cmd.Wait()
	killGroup(cmd.Process)
	children.remove(cmd.Process)
	return err
}

// runCmd runs a command to completion and returns its combined output; the
// error carries the end of the output.
func runCmd(ctx context.Context, dir string, env []string, name string, args ...string) ([]byte, error) {
	out, _, err := runCmdUsage(ctx, dir, env, name, args...)
	return out, err
}

// runCmdUsage is runCmd that also reports what the command used.
func runCmdUsage(ctx context.Context, dir string, env []string, name string, args ...string) ([]byte, usage, error) {
	cmd := newCmd(ctx, dir, env, false, name, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := startCmd(cmd); err != nil {
		return nil, usage{}, err
	}
	err := waitCmd(cmd)
	u := processUsage(cmd.ProcessState)
	if err != nil {
		if ctx.Err() != nil {
			return out.Bytes(), u, ctx.Err()
		}
		tail := out.String()
		if len(tail) > 2000 {
			tail = "..." + tail[len(tail)-2000:]
		}
		return out.Bytes(), u, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, tail)
	}
	return out.Bytes(), u, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if e.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		return copyFile(p, target)
	})
}

func dirSize(dir string) (int64, int, error) {
	var size int64
	var files int
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		size += info.Size()
		files++
		return nil
	})
	return size, files, err
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "n/a"
	}
	return strings.Join(f[:3], " ")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// commas formats n with thousands separators.
func commas(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
