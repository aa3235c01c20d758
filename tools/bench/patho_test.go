package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/testsite"
)

const sourceArticle = "---\ntitle: A source\noutlet: Wire\ndate: 2024-01-01\ntopics: [strike]\nsummary: S.\n---\n\n" +
	"First paragraph of the source.\n\n## A heading\n\n- a list item\n- another\n\nLast paragraph, with a [link](other.md).\n"

func TestArticleBody(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want string
		bad  bool
	}{
		{name: "article", in: sourceArticle, want: "First paragraph of the source."},
		{name: "CRLF line ends", in: strings.ReplaceAll(sourceArticle, "\n", "\r\n"), want: "First paragraph of the source."},
		{name: "no front matter", in: "Just text.\n", bad: true},
		{name: "front matter never closed", in: "---\ntitle: x\n\nText.\n", bad: true},
		{name: "no body", in: "---\ntitle: x\n---\n\n \n", bad: true},
	}
	for _, tc := range cases {
		got, err := articleBody([]byte(tc.in))
		if tc.bad {
			if err == nil {
				t.Errorf("%s: articleBody = %q, want an error", tc.name, got)
			}
			continue
		}
		if err != nil || !bytes.HasPrefix(got, []byte(tc.want)) || bytes.Contains(got, []byte("title:")) {
			t.Errorf("%s: articleBody = %q, %v; want a body starting %q", tc.name, got, err, tc.want)
		}
	}
}

// frontMatter splits a generated article into front matter and body.
func frontMatter(t *testing.T, art []byte) (string, string) {
	t.Helper()
	rest, ok := bytes.CutPrefix(art, []byte("---\n"))
	i := bytes.Index(rest, []byte("\n---\n"))
	if !ok || i < 0 {
		t.Fatalf("no front matter in %.200q", art)
	}
	return string(rest[:i+1]), string(rest[i+5:])
}

func TestPathoArticle(t *testing.T) {
	body, err := articleBody([]byte(sourceArticle))
	if err != nil {
		t.Fatal(err)
	}
	quoted := regexp.MustCompile(`dispatch (\d{6}) at the talks`)
	cases := []struct {
		name string
		spec articleSpec
		bad  bool
	}{
		{name: "huge", spec: articleSpec{title: "Huge", topic: "strike", size: 300_000}},
		{name: "small size still has one copy", spec: articleSpec{title: "Tiny", topic: "strike", size: 1}},
		{name: "annotated", spec: articleSpec{title: "Notes", topic: "strike", sentences: 40, notes: 40}},
		{name: "some sentences annotated", spec: articleSpec{title: "Notes", topic: "strike", sentences: 100, notes: 7, size: 20_000}},
		{name: "sentences, no notes", spec: articleSpec{title: "Plain", topic: "strike", sentences: 25}},
		{name: "more notes than sentences", spec: articleSpec{title: "X", topic: "strike", sentences: 3, notes: 4}, bad: true},
		{name: "title YAML would misread", spec: articleSpec{title: "Huge: 50 MB", topic: "strike", size: 10}, bad: true},
	}
	for _, tc := range cases {
		art, err := pathoArticle(body, tc.spec)
		if tc.bad {
			if err == nil {
				t.Errorf("%s: no error", tc.name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		again, _ := pathoArticle(body, tc.spec)
		if !bytes.Equal(art, again) {
			t.Errorf("%s: the same spec gave different bytes", tc.name)
		}
		fm, text := frontMatter(t, art)
		for _, field := range []string{"title: \"" + tc.spec.title + "\"\n", "outlet: ", "date: ", "topics: [" + tc.spec.topic + "]\n", "summary: "} {
			if !strings.Contains(fm, field) {
				t.Errorf("%s: front matter lacks %q:\n%s", tc.name, field, fm)
			}
		}
		if len(text) < tc.spec.size || !strings.Contains(text, "First paragraph of the source.") || !strings.Contains(text, "Last paragraph") {
			t.Errorf("%s: body of %d bytes, want at least %d holding the whole source", tc.name, len(text), tc.spec.size)
		}
		// Every sentence is in the body once; every annotation quotes one of them.
		sentences := quoted.FindAllStringSubmatch(text, -1)
		if len(sentences) != tc.spec.sentences {
			t.Errorf("%s: %d quotable sentences, want %d", tc.name, len(sentences), tc.spec.sentences)
		}
		seen := map[string]bool{}
		for _, m := range sentences {
			if seen[m[1]] {
				t.Errorf("%s: sentence %s twice", tc.name, m[1])
			}
			seen[m[1]] = true
		}
		notes := quoted.FindAllStringSubmatch(fm, -1)
		if len(notes) != tc.spec.notes || strings.Count(fm, "  - quote: ") != tc.spec.notes || strings.Count(fm, "    note: Bench note ") != tc.spec.notes {
			t.Errorf("%s: %d annotations, want %d", tc.name, len(notes), tc.spec.notes)
		}
		for _, m := range notes {
			if !seen[m[1]] {
				t.Errorf("%s: annotation quotes %s, which is not in the body", tc.name, m[0])
			}
		}
	}
}

func TestWithMaxFileSize(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"no file", "", "maxFileSize: 64MB\n"},
		{"kept fields", "title: T\nbaseURL: https://example.org/\n", "title: T\nbaseURL: https://example.org/\nmaxFileSize: 64MB\n"},
		{"no final newline", "title: T", "title: T\nmaxFileSize: 64MB\n"},
		{"replaced, not repeated", "maxFileSize: 1MB\ntitle: T\n", "title: T\nmaxFileSize: 64MB\n"},
	}
	for _, tc := range cases {
		if got := string(withMaxFileSize([]byte(tc.in), "64MB")); got != tc.want {
			t.Errorf("%s: withMaxFileSize(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestCountNotes(t *testing.T) {
	cases := []struct {
		page string
		want int
	}{
		{"", 0},
		{"<span>Bench note 000001 on this passage.</span><li>Bench note 000001 on this passage.</li>", 1},
		{"Bench note 000001 on this passage. Bench note 000002 on this passage. Bench note 12 on this passage.", 2},
	}
	for _, tc := range cases {
		if got := countNotes([]byte(tc.page)); got != tc.want {
			t.Errorf("countNotes(%q) = %d, want %d", tc.page, got, tc.want)
		}
	}
}

// TestPathoProjectBuilds builds generated pathological projects with the
// repository's own dossier and checks that the builds succeed and that the
// annotated article's page shows every note as a note.
func TestPathoProjectBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds dossier")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "dossier")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/dossier").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	corpus := filepath.Join(tmp, "corpus")
	if err := testsite.GenerateCorpus(corpus, 20, 7); err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join(corpus, "content", "articles", "*.md"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no generated articles: %v", err)
	}
	slices.Sort(names)
	src, err := os.ReadFile(names[len(names)-1])
	if err != nil {
		t.Fatal(err)
	}
	body, err := articleBody(src)
	if err != nil {
		t.Fatal(err)
	}
	topics, err := filepath.Glob(filepath.Join(corpus, "content", "topics", "*.md"))
	if err != nil || len(topics) == 0 {
		t.Fatalf("no generated topics: %v", err)
	}
	topic := strings.TrimSuffix(filepath.Base(topics[0]), ".md")
	noteRole := regexp.MustCompile(`role=["']?note["'\s>]`)

	cases := []struct {
		name string
		c    pathoCase
		spec articleSpec
	}{
		{name: "project alone", c: pathoCase{kind: pathoBase}},
		{name: "200 kB article", c: pathoCase{kind: pathoHuge},
			spec: articleSpec{title: "A large article", topic: topic, size: 200_000}},
		{name: "50 annotations", c: pathoCase{kind: pathoNotes, notes: 50},
			spec: articleSpec{title: "An annotated article", topic: topic, size: 200_000, sentences: 60, notes: 50}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var article func(io.Writer) (int64, error)
			if tc.c.kind != pathoBase {
				article = func(w io.Writer) (int64, error) { return writePathoArticle(w, body, tc.spec) }
			}
			dir := filepath.Join(tmp, "case"+string(rune('a'+i)))
			// Smaller than dossier's default limit, so that the test sees
			// the limit written is the one the build reads.
			size, err := pathoProject(corpus, dir, "1MB", article)
			if err != nil {
				t.Fatal(err)
			}
			if want, _ := pathoArticle(body, tc.spec); tc.c.kind != pathoBase && size != int64(len(want)) {
				t.Errorf("pathoProject wrote %d bytes, want %d", size, len(want))
			}
			if got, _ := os.ReadFile(filepath.Join(dir, "content", "articles", pathoSlug+".md")); tc.c.kind != pathoBase && int64(len(got)) != size {
				t.Errorf("the article file has %d bytes, pathoProject said %d", len(got), size)
			}
			out := filepath.Join(dir, "public")
			if msg, err := exec.Command(bin, "build", "--src", dir, "--out", out, "-q").CombinedOutput(); err != nil {
				t.Fatalf("dossier build: %v\n%s", err, msg)
			}
			c := tc.c
			if err := c.verify(out); err != nil {
				t.Fatal(err)
			}
			if tc.c.kind == pathoBase {
				return
			}
			page, err := os.ReadFile(filepath.Join(out, "articles", pathoSlug, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if got := len(noteRole.FindAll(page, -1)); got != tc.spec.notes || c.shown != tc.spec.notes {
				t.Errorf("the page has %d notes (%d distinct note texts), want %d", got, c.shown, tc.spec.notes)
			}
			if got := strings.Count(string(page), "Observers logged "); got != tc.spec.sentences {
				t.Errorf("the page has %d quotable sentences, want %d", got, tc.spec.sentences)
			}
		})
	}

	// The limit is the one written: a 1 MB limit refuses a 1.5 MB article.
	dir := filepath.Join(tmp, "too-large")
	if _, err := pathoProject(corpus, dir, "1MB", func(w io.Writer) (int64, error) {
		return writePathoArticle(w, body, articleSpec{title: "Too large", topic: topic, size: 1_500_000})
	}); err != nil {
		t.Fatal(err)
	}
	msg, err := exec.Command(bin, "build", "--src", dir, "--out", filepath.Join(dir, "public"), "-q").CombinedOutput()
	if err == nil || !bytes.Contains(msg, []byte("maxFileSize")) {
		t.Errorf("a 1.5 MB article under maxFileSize 1MB: %v\n%s", err, msg)
	}
}

func TestReportPatho(t *testing.T) {
	built := func(c pathoCase, walls ...float64) *pathoCase {
		for _, s := range walls {
			c.builds = append(c.builds, sec(s))
			c.usages = append(c.usages, usage{cpu: sec(s), maxRSS: int64(s * 1e8)})
		}
		return &c
	}
	huge := func(mb int, walls ...float64) *pathoCase {
		return built(pathoCase{kind: pathoHuge, mb: mb, mdBytes: int64(mb) * 1e6}, walls...)
	}
	notes := func(n int, walls ...float64) *pathoCase {
		return built(pathoCase{kind: pathoNotes, notes: n, shown: n, mdBytes: 4e5}, walls...)
	}
	base := func(walls ...float64) *pathoCase { return built(pathoCase{kind: pathoBase}, walls...) }
	notesBase := func(walls ...float64) *pathoCase {
		return built(pathoCase{kind: pathoNotesBase, mdBytes: 4e5}, walls...)
	}
	cases := []struct {
		name string
		pr   pathoResult
		want []string
		not  []string
		rate corpusRates
	}{
		{name: "linear", rate: corpusRates{wall: 0.25, cpu: 0.5, n: 10000},
			pr: pathoResult{runs: 3, cases: []*pathoCase{base(0.9, 1, 1.1), huge(10, 3, 3, 3), huge(50, 11, 11, 12),
				notesBase(2), notes(500, 2.5), notes(1000, 3)}},
			want: []string{"| 2000 ms / 2000 ms | 0.200 / 0.200 s/MB | 0.80× / 0.40× |", "| 11.00 s | 11.00 s | 10.00 s / 10.00 s |",
				"huge article linear in its size, by CPU time: yes**: the largest time per MB is 1.00× the smallest",
				"huge article linear in its size, by wall time: yes**",
				"the 50 MB article builds (exit 0): yes**, peak RSS 1200.0 MB (the largest of 3 runs)",
				"1.000 / 1.000 ms/annotation", "annotations linear, by CPU time: yes**: the largest time per annotation is 1.00×",
				"annotations linear, by wall time: yes**", "ok, 1,000 notes shown",
				"10,000-article corpus", "0.250 s/MB wall, 0.500 s/MB CPU"},
			not: []string{"interrupted", "error"}},
		{name: "superlinear", pr: pathoResult{runs: 1, cases: []*pathoCase{base(1), huge(10, 2), huge(50, 26),
			notesBase(2), notes(250, 2.25), notes(1000, 6)}},
			want: []string{"huge article linear in its size, by CPU time: no**: the largest time per MB is 5.00× the smallest (target ≤ 1.5×; one run each, so noisy)",
				"annotations linear, by wall time: no**: the largest time per annotation is 4.00×"}},
		{name: "a difference within the spread of the runs", pr: pathoResult{runs: 3, cases: []*pathoCase{base(1, 1, 1),
			notesBase(2, 1.8, 2.4), notes(250, 2.1, 2.1, 2.1), notes(1000, 2.9, 2.9, 2.9)}},
			want: []string{"annotations linear, by CPU time: no verdict: the rates differ up to 2.25×, but a case adds no more than the spread of its runs"},
			not:  []string{"one run"}},
		{name: "annotations within the noise", pr: pathoResult{runs: 1, cases: []*pathoCase{base(1),
			notesBase(2), notes(250, 1.99), notes(1000, 2.05)}},
			want: []string{"annotations linear, by wall time: yes (below the noise)**: the largest case adds 50 ms, 2.5% of the build"}},
		{name: "failed huge article", pr: pathoResult{runs: 1, errs: []error{os.ErrPermission},
			cases: []*pathoCase{base(1), {kind: pathoHuge, mb: 50, mdBytes: 5e7, err: os.ErrPermission}}},
			want: []string{"the 50 MB article builds (exit 0): no", "**failed**: permission denied", "- error: permission denied"}},
		{name: "interrupted", pr: pathoResult{runs: 2, interrupted: true, cases: []*pathoCase{base(1), huge(10, 2), huge(50)}},
			want: []string{"| + one 50 MB article | 50.0 MB | — |", "not run", "- interrupted"},
			not:  []string{"50 MB article builds"}},
	}
	for _, tc := range cases {
		var buf bytes.Buffer
		reportPatho(&buf, &tc.pr, tc.rate)
		out := buf.String()
		checkReport(t, tc.name, out, tc.want, tc.not)
	}
}
