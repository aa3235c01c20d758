package main

import (
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

// pathoArticle writes an article file: front matter with the annotations,
// then a body made of the blocks of body (a real article's), repeated (at
// least once, whole) until the body reaches spec.size, with spec.sentences quotable sentences
// between them. The same arguments give the same bytes.
func pathoArticle(body []byte, spec articleSpec) ([]byte, error) {
	if spec.notes > spec.sentences {
		return nil, fmt.Errorf("%d annotations need as many quotable sentences, not %d", spec.notes, spec.sentences)
	}
	if strings.ContainsAny(spec.title+spec.topic, "\"\\\n[],:#") {
		return nil, fmt.Errorf("title %q or topic %q holds a character YAML would need escaped", spec.title, spec.topic)
	}
	var blocks [][]byte
	for _, b := range bytes.Split(body, []byte("\n\n")) {
		if b = bytes.Trim(b, "\n"); len(bytes.TrimSpace(b)) > 0 {
			blocks = append(blocks, b)
		}
	}
	if len(blocks) == 0 {
		return nil, errors.New("the source body is empty")
	}
	var out bytes.Buffer
	out.Grow(spec.size + spec.sentences*40 + spec.notes*120 + 4096)
	fmt.Fprintf(&out, "---\ntitle: \"%s\"\noutlet: Bench Wire\ndate: 2024-01-02\ntopics: [%s]\n", spec.title, spec.topic)
	out.WriteString("summary: A generated article for the benchmark of pathological input.\n")
	if spec.notes > 0 {
		out.WriteString("annotations:\n")
		for j := 0; j < spec.notes; j++ {
			i := j * spec.sentences / spec.notes
			fmt.Fprintf(&out, "  - quote: \"%s\"\n    kind: context\n    note: %s\n", quote(i), noteText(i))
		}
	}
	out.WriteString("---\n\n")
	start := out.Len()
	placed := 0
	for k := 0; k < len(blocks) || out.Len()-start < spec.size || placed < spec.sentences; k++ {
		out.Write(blocks[k%len(blocks)])
		out.WriteString("\n\n")
		if placed < spec.sentences {
			out.WriteString(dispatch(placed))
			out.WriteString("\n\n")
			placed++
		}
	}
	return out.Bytes(), nil
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
// folder, maxFileSize raised to maxSize, and the article (none when nil)
// as content/articles/zz-pathological.md.
func pathoProject(corpus, dir string, article []byte, maxSize string) error {
	content := filepath.Join(dir, "content")
	if err := copyTree(filepath.Join(corpus, "content"), content); err != nil {
		return err
	}
	confPath := filepath.Join(content, "dossier.yaml")
	conf, err := os.ReadFile(confPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.WriteFile(confPath, withMaxFileSize(conf, maxSize), 0o644); err != nil {
		return err
	}
	if article == nil {
		return nil
	}
	return os.WriteFile(filepath.Join(content, "articles", pathoSlug+".md"), article, 0o644)
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
	defer os.RemoveAll(root)
	for i, c := range pr.cases {
		if ctx.Err() != nil {
			pr.interrupted = true
			return pr
		}
		c.dir = filepath.Join(root, fmt.Sprintf("case%d", i))
		var article []byte
		switch c.kind {
		case pathoHuge:
			article, err = pathoArticle(body, articleSpec{title: fmt.Sprintf("Pathological article of %d MB", c.mb), topic: topic, size: c.mb * 1e6})
		case pathoNotesBase, pathoNotes:
			article, err = pathoArticle(body, articleSpec{title: "Pathological article with annotations", topic: topic, sentences: pr.sentences, notes: c.notes})
		}
		if err == nil {
			c.mdBytes = int64(len(article))
			err = pathoProject(corpus, c.dir, article, maxSize)
		}
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
			os.RemoveAll(out)
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
			os.RemoveAll(out)
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
	page, err := os.ReadFile(filepath.Join(out, "articles", pathoSlug, "index.html"))
	if err != nil {
		return fmt.Errorf("the build made no page for the article: %w", err)
	}
	c.shown = countNotes(page)
	if c.kind == pathoNotes && c.shown != c.notes {
		return fmt.Errorf("the article's page shows %d of its %d notes", c.shown, c.notes)
	}
	return nil
}

// marginal is a case's median build time less that of the project it
// extends (the project alone, or the article without annotations).
func (pr *pathoResult) marginal(c *pathoCase) (time.Duration, bool) {
	want := pathoBase
	if c.kind == pathoNotes {
		want = pathoNotesBase
	}
	for _, o := range pr.cases {
		if o.kind == want && len(o.builds) > 0 && len(c.builds) > 0 {
			return median(c.builds) - median(o.builds), true
		}
	}
	return 0, false
}

// noiseShare: below this share of the build, the added cost of the
// annotations is within the run-to-run noise of a shared machine.
const noiseShare = 0.05

// reportPatho prints the pathological cases; corpus is dossier's rate on a
// whole corpus, in seconds per MB of Markdown, measured at n articles.
func reportPatho(w io.Writer, pr *pathoResult, corpus float64, n int) {
	fmt.Fprintf(w, "\n### Pathological articles\n\n")
	fmt.Fprintf(w, "- a %s-article gencorpus project alone, then with one added article: %s's blocks repeated to the size given, "+
		"or repeated around %s distinct quotable sentences with annotations on some; cold `dossier build`, median of %d alternating runs; "+
		"\"added\" is the median less that of the project alone (annotations: less that of the same article without annotations)\n",
		commas(pr.base), pr.source, commas(pr.sentences), pr.runs)
	if n > 0 {
		fmt.Fprintf(w, "- the corpus rate is the %s-article corpus's cold build time per MB of its Markdown: %.3f s/MB\n", commas(n), corpus)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| case | article Markdown | build wall time | added | rate | vs the corpus rate | peak RSS | result |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---|")
	var mbRates, noteRates []float64
	var notesBase time.Duration
	var notesMax *pathoCase
	var huge *pathoCase
	for _, c := range pr.cases {
		size, wall, added, rate, vs, rss, res := "—", "—", "", "", "", "—", "ok"
		if c.mdBytes > 0 {
			size = fmtBytes(c.mdBytes)
		}
		if len(c.builds) > 0 {
			wall = fmtDur(median(c.builds))
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
		if d, ok := pr.marginal(c); ok && c.kind != pathoBase && c.kind != pathoNotesBase {
			added = fmtDur(max(d, 0))
			switch c.kind {
			case pathoHuge:
				r := d.Seconds() / (float64(c.mdBytes) / 1e6)
				mbRates = append(mbRates, r)
				rate = fmt.Sprintf("%.3f s/MB", r)
				if corpus > 0 {
					vs = fmt.Sprintf("%.2f×", r/corpus)
				}
			case pathoNotes:
				r := d.Seconds() / float64(c.notes)
				noteRates = append(noteRates, r)
				rate = fmt.Sprintf("%.3f ms/annotation", r*1e3)
			}
		}
		if c.kind == pathoNotesBase && len(c.builds) > 0 {
			notesBase = median(c.builds)
		}
		if c.kind == pathoNotes && len(c.builds) > 0 && (notesMax == nil || c.notes > notesMax.notes) {
			notesMax = c
		}
		if c.kind == pathoHuge && (huge == nil || c.mb > huge.mb) {
			huge = c
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", c.label(), size, wall, added, rate, vs, rss, res)
	}
	fmt.Fprintln(w)
	if spread, linear, ok := rateVerdict(mbRates, pathoLimit); ok && len(mbRates) >= 2 {
		fmt.Fprintf(w, "- **huge article linear in its size: %s**: the largest s/MB is %.2f× the smallest (target ≤ %.1f×)\n", yesNo(linear), spread, pathoLimit)
	} else if len(mbRates) >= 2 {
		fmt.Fprintf(w, "- huge article: no verdict (an added time was not positive: noise)\n")
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
	if notesMax != nil && notesBase > 0 && len(noteRates) >= 2 {
		d, _ := pr.marginal(notesMax)
		spread, linear, ok := rateVerdict(noteRates, pathoLimit)
		share := float64(d) / float64(notesBase)
		switch {
		case ok && (linear || share >= noiseShare):
			fmt.Fprintf(w, "- **annotations linear: %s**: the largest time per annotation is %.2f× the smallest (target ≤ %.1f×)\n", yesNo(linear), spread, pathoLimit)
		case share >= noiseShare:
			fmt.Fprintf(w, "- annotations: no verdict (an added time was not positive: noise)\n")
		default:
			fmt.Fprintf(w, "- **annotations linear: yes (below the noise)**: %s annotations add %s, %.1f%% of the build: "+
				"less than the %.0f%% that run-to-run noise hides, too little to split into a rate\n",
				commas(notesMax.notes), fmtDur(max(d, 0)), 100*share, 100*noiseShare)
		}
	}
	for _, err := range pr.errs {
		fmt.Fprintf(w, "- error: %s\n", errMessage(err))
	}
	if pr.interrupted {
		fmt.Fprintf(w, "- interrupted: the cases marked \"not run\" were not built, or not as often as the others\n")
	}
}
