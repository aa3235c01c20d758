package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// pathoConfig is what -pathological measures.
type pathoConfig struct {
	on    bool
	mb    []int // sizes of the huge article, in MB (10^6 bytes)
	notes []int // annotation counts of the annotated article
	base  int   // articles of the generated project the article joins
}

// pathoSlug is the file name (without .md) of the added article.
const pathoSlug = "zz-pathological"

// articleSpec describes a generated pathological article.
type articleSpec struct {
	title string
	topic string // a topic of the project (articles need one)
	// size is the least length of the body in bytes: the source body's
	// blocks are repeated, in order, until the body is this long.
	size int
	// sentences is how many distinct quotable sentences the body holds,
	// each a paragraph of its own between the source's blocks.
	sentences int
	// notes is how many of those sentences are annotated, spread evenly.
	notes int
}

// dispatch is the i-th quotable sentence, and quote the passage an
// annotation quotes: the zero-padded number makes each one unique.
func dispatch(i int) string { return fmt.Sprintf("Observers logged %s.", quote(i)) }
func quote(i int) string    { return fmt.Sprintf("dispatch %06d at the talks", i) }

// noteText is the i-th annotation's note; the built page shows it.
func noteText(i int) string { return fmt.Sprintf("Bench note %06d on this passage.", i) }

// noteRe finds the notes' numbers in a built page.
var noteRe = regexp.MustCompile(`Bench note (\d{6}) on this passage`)

// articleBody returns the Markdown body of an article file: what follows
// the front matter.
func articleBody(src []byte) ([]byte, error) {
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return nil, errors.New("no front matter: the file does not start with a --- line")
	}
	i := bytes.Index(rest, []byte("\n---\n"))
	if i < 0 {
		return nil, errors.New("the front matter has no closing --- line")
	}
	body := bytes.TrimSpace(rest[i+5:])
	if len(body) == 0 {
		return nil, errors.New("the article has no body")
	}
	return body, nil
}

// pathoArticle returns an article file: front matter with the annotations,
// then a body made of the blocks of body (a real article's), repeated (at
// least once, whole) until the body reaches spec.size, with spec.sentences
// quotable sentences between them. The same arguments give the same bytes.
func pathoArticle(body []byte, spec articleSpec) ([]byte, error) {
	var out bytes.Buffer
	_, err := writePathoArticle(&out, body, spec)
	return out.Bytes(), err
}

// writePathoArticle writes pathoArticle's bytes to w as it makes them (a
// 50 MB article never sits in this process's memory) and returns their
// count.
func writePathoArticle(w io.Writer, body []byte, spec articleSpec) (int64, error) {
	if spec.notes > spec.sentences {
		return 0, fmt.Errorf("%d annotations need as many quotable sentences, not %d", spec.notes, spec.sentences)
	}
	if strings.ContainsAny(spec.title+spec.topic, "\"\\\n[],:#") {
		return 0, fmt.Errorf("title %q or topic %q holds a character YAML would need escaped", spec.title, spec.topic)
	}
	var blocks [][]byte
	for _, b := range bytes.Split(body, []byte("\n\n")) {
		if b = bytes.Trim(b, "\n"); len(bytes.TrimSpace(b)) > 0 {
			blocks = append(blocks, b)
		}
	}
	if len(blocks) == 0 {
		return 0, errors.New("the source body is empty")
	}
	cw := &countWriter{w: w}
	out := bufio.NewWriter(cw)
	fmt.Fprintf(out, "---\ntitle: \"%s\"\noutlet: Bench Wire\ndate: 2024-01-02\ntopics: [%s]\n", spec.title, spec.topic)
	out.WriteString("summary: A generated article for the benchmark of pathological input.\n")
	if spec.notes > 0 {
		out.WriteString("annotations:\n")
		for j := 0; j < spec.notes; j++ {
			i := j * spec.sentences / spec.notes
			fmt.Fprintf(out, "  - quote: \"%s\"\n    kind: context\n    note: %s\n", quote(i), noteText(i))
		}
	}
	out.WriteString("---\n\n")
	written, placed := 0, 0 // body bytes, sentences
	for k := 0; k < len(blocks) || written < spec.size || placed < spec.sentences; k++ {
		b := blocks[k%len(blocks)]
		out.Write(b)
		out.WriteString("\n\n")
		written += len(b) + 2
		if placed < spec.sentences {
			d := dispatch(placed)
			out.WriteString(d)
			out.WriteString("\n\n")
			written += len(d) + 2
			placed++
		}
	}
	err := out.Flush()
	return cw.n, err
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// withMaxFileSize returns dossier.yaml's text with maxFileSize set to size
// (any earlier top-level maxFileSize line replaced).
func withMaxFileSize(conf []byte, size string) []byte {
	var out bytes.Buffer
	for _, l := range strings.SplitAfter(string(conf), "\n") {
		if strings.HasPrefix(l, "maxFileSize:") || l == "" {
			continue
		}
		out.WriteString(l)
		if !strings.HasSuffix(l, "\n") {
			out.WriteByte('\n')
		}
	}
	fmt.Fprintf(&out, "maxFileSize: %s\n", size)
	return out.Bytes()
}

// pathoProject makes a project in dir: a copy of the corpus's content
// folder, maxFileSize raised to maxSize, and, unless article is nil, the
// article it writes as content/articles/zz-pathological.md. It returns the
// article's size.
func pathoProject(corpus, dir, maxSize string, article func(io.Writer) (int64, error)) (int64, error) {
	content := filepath.Join(dir, "content")
	if err := copyTree(filepath.Join(corpus, "content"), content); err != nil {
		return 0, err
	}
	confPath := filepath.Join(content, "dossier.yaml")
	conf, err := os.ReadFile(confPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, err
	}
	if err := os.WriteFile(confPath, withMaxFileSize(conf, maxSize), 0o644); err != nil {
		return 0, err
	}
	if article == nil {
		return 0, nil
	}
	f, err := os.Create(filepath.Join(content, "articles", pathoSlug+".md"))
	if err != nil {
		return 0, err
	}
	n, err := article(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// countNotes returns how many distinct generated notes a built page shows.
func countNotes(page []byte) int {
	seen := map[string]bool{}
	for _, m := range noteRe.FindAllSubmatch(page, -1) {
		seen[string(m[1])] = true
	}
	return len(seen)
}

type pathoKind int

const (
	pathoBase      pathoKind = iota // the project alone
	pathoHuge                       // plus one huge article
	pathoNotesBase                  // plus the quotable article, no annotations
	pathoNotes                      // plus the quotable article, annotated
)

// pathoCase is one project built in the pathological runs.
type pathoCase struct {
	kind    pathoKind
	mb      int   // pathoHuge: the article's target size in MB
	notes   int   // pathoNotes: annotations
	mdBytes int64 // the added article's file size
	dir     string
	builds  []time.Duration
	usages  []usage
	shown   int // pathoNotes: notes the built page shows
	err     error
}

func (c *pathoCase) label() string {
	switch c.kind {
	case pathoHuge:
		return fmt.Sprintf("+ one %d MB article", c.mb)
	case pathoNotesBase:
		return "+ one article with quotable sentences, no annotations"
	case pathoNotes:
		return fmt.Sprintf("+ the same article with %s annotations", commas(c.notes))
	}
	return "the project alone"
}

type pathoResult struct {
	base      int    // articles of the project
	source    string // the article whose blocks are repeated
	sentences int    // quotable sentences of the annotated article
	runs      int
	cases     []*pathoCase
	errs      []error
	// interrupted: Ctrl-C came before every case was built -runs times.
	interrupted bool
}

// pathological builds, -runs times each and alternating, a small generated
// project alone and with one pathological article: huge (-patho-mb), or
// with many annotations (-patho-notes). It checks each build succeeds and
// shows every note.
func (b *bench) pathological(ctx context.Context) *pathoResult {
	cfg := b.cfg.patho
	pr := &pathoResult{base: cfg.base, runs: max(b.cfg.runs, 1), sentences: slices.Max(cfg.notes)}
	fail := func(err error) *pathoResult {
		pr.errs = append(pr.errs, err)
		logf("pathological: %v", err)
		return pr
	}
	corpus, err := b.corpus(ctx, cfg.base)
	if err != nil {
		return fail(err)
	}
	names, err := filepath.Glob(filepath.Join(corpus, "content", "articles", "*.md"))
	if err != nil || len(names) == 0 {
		return fail(fmt.Errorf("no articles in %s", corpus))
	}
	slices.Sort(names)
	pr.source = filepath.Base(names[len(names)/2])
	src, err := os.ReadFile(names[len(names)/2])
	if err != nil {
		return fail(err)
	}
	body, err := articleBody(src)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", pr.source, err))
	}
	topics, err := filepath.Glob(filepath.Join(corpus, "content", "topics", "*.md"))
	if err != nil || len(topics) == 0 {
		return fail(fmt.Errorf("no topics in %s", corpus))
	}
	slices.Sort(topics)
	topic := strings.TrimSuffix(filepath.Base(topics[0]), ".md")
	// Room for the largest article and its front matter (MB here is 2^20).
	maxSize := fmt.Sprintf("%dMB", 2*slices.Max(cfg.mb)+1)

	pr.cases = append(pr.cases, &pathoCase{kind: pathoBase})
	for _, mb := range cfg.mb {
		pr.cases = append(pr.cases, &pathoCase{kind: pathoHuge, mb: mb})
	}
	pr.cases = append(pr.cases, &pathoCase{kind: pathoNotesBase})
	for _, n := range cfg.notes {
		pr.cases = append(pr.cases, &pathoCase{kind: pathoNotes, notes: n})
	}
	root := filepath.Join(b.work, "pathological")
	defer b.trash.discard(root)
	for i, c := range pr.cases {
		if ctx.Err() != nil {
			pr.interrupted = true
			return pr
		}
		c.dir = filepath.Join(root, fmt.Sprintf("case%d", i))
		var article func(io.Writer) (int64, error)
		switch c.kind {
		case pathoHuge:
			spec := articleSpec{title: fmt.Sprintf("Pathological article of %d MB", c.mb), topic: topic, size: c.mb * 1e6}
			article = func(w io.Writer) (int64, error) { return writePathoArticle(w, body, spec) }
		case pathoNotesBase, pathoNotes:
			spec := articleSpec{title: "Pathological article with annotations", topic: topic, sentences: pr.sentences, notes: c.notes}
			article = func(w io.Writer) (int64, error) { return writePathoArticle(w, body, spec) }
		}
		c.mdBytes, err = pathoProject(corpus, c.dir, maxSize, article)
		if err != nil {
			c.err = err
			pr.errs = append(pr.errs, fmt.Errorf("%s: %w", c.label(), err))
		}
	}
	logf("pathological: %d projects of %d articles plus one generated from %s", len(pr.cases), cfg.base, pr.source)
	for run := 0; run < pr.runs; run++ {
		order := slices.Clone(pr.cases)
		if run%2 == 1 {
			slices.Reverse(order)
		}
		for _, c := range order {
			if c.err != nil {
				continue
			}
			out := filepath.Join(c.dir, "public")
			if err := b.trash.discard(out); err != nil {
				pr.errs = append(pr.errs, err)
				return pr
			}
			if err := b.trash.waitQuiet(ctx); err != nil {
				pr.interrupted = true
				return pr
			}
			t0 := time.Now()
			_, u, err := runCmdUsage(ctx, b.root, nil, b.bin, "build", "--src", c.dir, "--out", out, "-q")
			d := time.Since(t0)
			if ctx.Err() != nil {
				pr.interrupted = true
				return pr
			}
			if err == nil && len(c.builds) == 0 {
				err = c.verify(out)
			}
			if derr := b.trash.discard(out); err == nil {
				err = derr
			}
			if err != nil {
				c.err = err
				pr.errs = append(pr.errs, fmt.Errorf("%s: %w", c.label(), err))
				logf("pathological: %s: %v", c.label(), err)
				continue
			}
			c.builds = append(c.builds, d)
			c.usages = append(c.usages, u)
			logf("pathological %d/%d: %s: %s (%s CPU, %s RSS)", run+1, pr.runs, c.label(), fmtDur(d), fmtDur(u.cpu), fmtBytes(u.maxRSS))
		}
	}
	return pr
}

// verify checks a built project has the added article's page and that the
// page shows every annotation.
func (c *pathoCase) verify(out string) error {
	if c.kind == pathoBase {
		return nil
	}
	name := filepath.Join(out, "articles", pathoSlug, "index.html")
	if c.kind == pathoHuge {
		// Not read: that would raise this process's peak memory (selfPeak).
		if info, err := os.Stat(name); err != nil || info.Size() == 0 {
			return fmt.Errorf("the build made no page for the article: %v", err)
		}
		return nil
	}
	page, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("the build made no page for the article: %w", err)
	}
	c.shown = countNotes(page)
	if c.kind == pathoNotes && c.shown != c.notes {
		return fmt.Errorf("the article's page shows %d of its %d notes", c.shown, c.notes)
	}
	return nil
}

// reference is the case whose project c extends: the project alone, or
// the article without annotations; nil when c is one of those or either
// has no build.
func (pr *pathoResult) reference(c *pathoCase) *pathoCase {
	want := pathoBase
	switch c.kind {
	case pathoNotes:
		want = pathoNotesBase
	case pathoBase, pathoNotesBase:
		return nil
	}
	for _, o := range pr.cases {
		if o.kind == want && len(o.builds) > 0 && len(c.builds) > 0 {
			return o
		}
	}
	return nil
}

// measure picks one measure of a case's builds: wall or CPU time.
type measure struct {
	name  string
	times func(*pathoCase) []time.Duration
}

var measures = []measure{
	{"wall time", func(c *pathoCase) []time.Duration { return c.builds }},
	{"CPU time", func(c *pathoCase) []time.Duration {
		ds := make([]time.Duration, len(c.usages))
		for i, u := range c.usages {
			ds[i] = u.cpu
		}
		return ds
	}},
}

// spread is the range of a case's build times: the run-to-run noise.
func spread(ds []time.Duration) time.Duration {
	if len(ds) < 2 {
		return 0
	}
	return slices.Max(ds) - slices.Min(ds)
}

// rateGroup is the rates of a series of cases (the huge articles, or the
// annotation counts) and what tells them from noise.
type rateGroup struct {
	rates []float64
	added []time.Duration // each case's median less its reference's
	noise []time.Duration // the spread of each case's runs plus its reference's
	base  time.Duration   // the largest reference median
}

func (g *rateGroup) add(rate float64, added, noise, base time.Duration) {
	g.rates = append(g.rates, rate)
	g.added = append(g.added, added)
	g.noise = append(g.noise, noise)
	g.base = max(g.base, base)
}

// linearity is the verdict on the group: "" without two rates; "yes" when
// the rates are within pathoLimit of each other; else "below the noise"
// when even the largest case adds less than noiseShare of the build (too
// little to split into rates), "within the noise" when some case adds no
// more than its runs' spread (or nothing), and "no" otherwise.
func (g *rateGroup) linearity() (verdict string, spread float64) {
	if len(g.rates) < 2 {
		return "", 0
	}
	spread, linear, ok := rateVerdict(g.rates, pathoLimit)
	switch {
	case ok && linear:
		return "yes", spread
	case float64(slices.Max(g.added)) < noiseShare*float64(g.base):
		return "below the noise", spread
	case !ok:
		return "within the noise", spread
	}
	for i, a := range g.added {
		if a <= g.noise[i] {
			return "within the noise", spread
		}
	}
	return "no", spread
}

// report prints the group's verdict line.
func (g *rateGroup) report(w io.Writer, name, rate, caveat string) {
	verdict, spread := g.linearity()
	switch verdict {
	case "yes", "no":
		fmt.Fprintf(w, "- **%s: %s**: the largest %s is %.2f× the smallest (target ≤ %.1f×%s)\n", name, verdict, rate, spread, pathoLimit, caveat)
	case "below the noise":
		big := slices.Max(g.added)
		fmt.Fprintf(w, "- **%s: yes (below the noise)**: the largest case adds %s, %.1f%% of the build, under the %.0f%% that run-to-run noise hides: too little to split into rates%s\n",
			name, fmtDur(max(big, 0)), 100*float64(big)/float64(g.base), 100*noiseShare, caveat)
	case "within the noise":
		fmt.Fprintf(w, "- %s: no verdict: the rates differ up to %.2f×, but a case adds no more than the spread of its runs (noise; more -runs help%s)\n", name, spread, caveat)
	}
}

// noiseShare: below this share of the build, the added cost of the
// annotations is within the run-to-run noise of a shared machine.
const noiseShare = 0.05

// reportPatho prints the pathological cases; corpus is dossier's rate on a
// whole corpus, in seconds per MB of Markdown.
func reportPatho(w io.Writer, pr *pathoResult, corpus corpusRates) {
	fmt.Fprintf(w, "\n### Pathological articles\n\n")
	fmt.Fprintf(w, "- a %s-article gencorpus project alone, then with one added article: %s's blocks repeated to the size given, "+
		"or repeated around %s distinct quotable sentences with annotations on some; cold `dossier build`, medians of %d alternating runs; "+
		"\"added\" is the median less that of the project alone (annotations: less that of the same article without annotations), "+
		"in wall time / CPU time (CPU time, the work done, is steadier on a shared machine)\n",
		commas(pr.base), pr.source, commas(pr.sentences), pr.runs)
	if corpus.n > 0 {
		fmt.Fprintf(w, "- the corpus rate is the %s-article corpus's cold build time per MB of its Markdown: %.3f s/MB wall, %.3f s/MB CPU\n",
			commas(corpus.n), corpus.wall, corpus.cpu)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| case | article Markdown | wall time | CPU time | added (wall / CPU) | rate (wall / CPU) | vs the corpus rate | peak RSS | result |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---|")
	mb := make([]rateGroup, len(measures))
	notes := make([]rateGroup, len(measures))
	corpusRate := []float64{corpus.wall, corpus.cpu}
	var huge *pathoCase
	for _, c := range pr.cases {
		size, wall, cpu, rss, res := "—", "—", "—", "—", "ok"
		var added, rate, vs []string
		if c.mdBytes > 0 {
			size = fmtBytes(c.mdBytes)
		}
		if len(c.builds) > 0 {
			wall = fmtDur(median(measures[0].times(c)))
			cpu = fmtDur(median(measures[1].times(c)))
			rss = fmtBytes(int64(medianUsage(c.usages, func(u usage) float64 { return float64(u.maxRSS) })))
		}
		if c.kind == pathoNotes && c.shown > 0 {
			res = fmt.Sprintf("ok, %s notes shown", commas(c.shown))
		}
		if c.err != nil {
			res = "**failed**: " + cellText(errMessage(c.err))
		} else if len(c.builds) == 0 {
			res = "not run"
		}
		if ref := pr.reference(c); ref != nil {
			for i, m := range measures {
				ct, rt := m.times(c), m.times(ref)
				d := median(ct) - median(rt)
				noise := spread(ct) + spread(rt)
				added = append(added, fmtDur(max(d, 0)))
				if c.kind == pathoHuge {
					r := d.Seconds() / (float64(c.mdBytes) / 1e6)
					mb[i].add(r, d, noise, median(rt))
					rate = append(rate, fmt.Sprintf("%.3f", r))
					if corpusRate[i] > 0 {
						vs = append(vs, fmt.Sprintf("%.2f×", r/corpusRate[i]))
					}
				} else {
					r := d.Seconds() / float64(c.notes)
					notes[i].add(r, d, noise, median(rt))
					rate = append(rate, fmt.Sprintf("%.3f", r*1e3))
				}
			}
			if c.kind == pathoHuge {
				rate[len(rate)-1] += " s/MB"
			} else {
				rate[len(rate)-1] += " ms/annotation"
			}
		}
		if c.kind == pathoHuge && (huge == nil || c.mb > huge.mb) {
			huge = c
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c.label(), size, wall, cpu,
			strings.Join(added, " / "), strings.Join(rate, " / "), strings.Join(vs, " / "), rss, res)
	}
	fmt.Fprintln(w)
	noisy := ""
	if pr.runs == 1 {
		noisy = "; one run each, so noisy"
	}
	for i := len(measures) - 1; i >= 0; i-- {
		mb[i].report(w, "huge article linear in its size, by "+measures[i].name, "time per MB", noisy)
	}
	if huge != nil && (huge.err != nil || len(huge.builds) > 0) {
		ok := huge.err == nil
		fmt.Fprintf(w, "- **the %d MB article builds (exit 0): %s**", huge.mb, yesNo(ok))
		if len(huge.usages) > 0 {
			peak := slices.MaxFunc(huge.usages, func(a, b usage) int { return cmp.Compare(a.maxRSS, b.maxRSS) }).maxRSS
			fmt.Fprintf(w, ", peak RSS %s", fmtBytes(peak))
			if len(huge.usages) > 1 {
				fmt.Fprintf(w, " (the largest of %d runs)", len(huge.usages))
			}
		}
		fmt.Fprintln(w)
	}
	for i := len(measures) - 1; i >= 0; i-- {
		notes[i].report(w, "annotations linear, by "+measures[i].name, "time per annotation", noisy)
	}
	for _, err := range pr.errs {
		fmt.Fprintf(w, "- error: %s\n", errMessage(err))
	}
	if pr.interrupted {
		fmt.Fprintf(w, "- interrupted: the cases marked \"not run\" were not built, or not as often as the others\n")
	}
}
