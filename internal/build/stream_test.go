package build_test

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/testsite"
)

// collector is a Sink that keeps what it is given.
type collector struct {
	mu    sync.Mutex
	files map[string][]byte
	puts  int
	fail  string // a path whose Put fails
}

func (c *collector) Put(f *output.File) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.puts++
	if f.Path == c.fail {
		return errors.New("disk full")
	}
	if c.files == nil {
		c.files = map[string][]byte{}
	}
	c.files[f.Path] = bytes.Clone(f.Data)
	return nil
}

// A streamed build gives the sink the very files, byte for byte, that a
// build held in memory gives, each once, and keeps none of them.
func TestStreamedBuildEqualsInMemory(t *testing.T) {
	corpus := t.TempDir()
	if err := testsite.GenerateCorpus(corpus, 120, 7); err != nil { // lists of more than one page
		t.Fatal(err)
	}
	for _, c := range []struct {
		root   string
		minify bool
	}{{testsite.New(t), true}, {testsite.New(t), false}, {corpus, true}} {
		root, minify := c.root, c.minify
		mem := mustBuild(t, build.New(build.Options{Root: root, Minify: minify}), nil)
		var sink collector
		var mu sync.Mutex
		steps := map[string]int{}
		res := mustBuild(t, build.New(build.Options{Root: root, Minify: minify, Sink: &sink, Progress: func(p build.Progress) {
			mu.Lock()
			defer mu.Unlock()
			if p.Total > 0 && (p.Done < 0 || p.Done > p.Total) {
				t.Errorf("progress %+v out of range", p)
			}
			steps[p.Step] = max(steps[p.Step], p.Done)
		}}), nil)
		if res.Site != nil {
			t.Error("a streamed build kept its site")
		}
		if sink.puts != len(sink.files) {
			t.Errorf("%d puts for %d files: some path given twice", sink.puts, len(sink.files))
		}
		if res.Files != len(mem.Site.Files) || res.Pages != mem.Pages {
			t.Errorf("streamed: %d files, %d pages; in memory: %d files, %d pages", res.Files, res.Pages, len(mem.Site.Files), mem.Pages)
		}
		var missing, differ []string
		for p, f := range mem.Site.Files {
			got, ok := sink.files[p]
			switch {
			case !ok:
				missing = append(missing, p)
			case !bytes.Equal(got, f.Data):
				differ = append(differ, p)
			}
		}
		sort.Strings(missing)
		sort.Strings(differ)
		if len(missing)+len(differ) > 0 || len(sink.files) != len(mem.Site.Files) {
			t.Errorf("minify=%v: missing %v, different %v, %d streamed vs %d in memory", minify, missing, differ, len(sink.files), len(mem.Site.Files))
		}
		if steps["render"] != res.Pages || steps["articles"] == 0 {
			t.Errorf("progress reached %v, want render %d and some articles", steps, res.Pages)
		}
	}
}

// A sink that fails fails the build with its error, not a template's.
func TestStreamedBuildReportsSinkError(t *testing.T) {
	root := testsite.New(t)
	sink := &collector{fail: "articles/" + testsite.Articles[0] + "/index.html"}
	_, err := build.New(build.Options{Root: root, Sink: sink}).Build(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "disk full") || strings.Contains(err.Error(), "template") {
		t.Fatalf("error %v, want the sink's", err)
	}
}

// A preview's rebuild (DeferSearch) serves the last index until
// RefreshSearch, which then gives what a full build gives; with nothing
// pending it does nothing.
func TestDeferredSearchIndex(t *testing.T) {
	root := testsite.New(t)
	b := build.New(build.Options{Root: root, DeferSearch: true})
	first := mustBuild(t, b, nil)
	if first.SearchPending {
		t.Fatal("a first build deferred its search index")
	}
	rel := "content/articles/" + testsite.Articles[0] + ".md"
	p := filepath.Join(root, filepath.FromSlash(rel))
	testsite.Unverify(t, root) // the edit adds words to a rendition
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(src, []byte("\n\nA zanzibarish word only this edit brings.\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	res := mustBuild(t, b, nil)
	if !res.SearchPending {
		t.Fatal("a rebuild did not defer its search index")
	}
	searchFiles := func(s *output.Site) map[string]string {
		m := map[string]string{}
		for path, f := range s.Files {
			if strings.HasPrefix(path, "search/") && !strings.HasSuffix(path, ".html") {
				m[path] = string(f.Data)
			}
		}
		return m
	}
	if !maps.Equal(searchFiles(res.Site), searchFiles(first.Site)) {
		t.Error("the deferred build changed the search index")
	}
	fresh, err := b.RefreshSearch(context.Background())
	if err != nil || fresh == nil {
		t.Fatalf("RefreshSearch: %v, %v", fresh, err)
	}
	full := mustBuild(t, build.New(build.Options{Root: root}), nil)
	if len(fresh.Site.Files) != len(full.Site.Files) {
		t.Errorf("%d files after the refresh, %d in a full build", len(fresh.Site.Files), len(full.Site.Files))
	}
	for path, f := range full.Site.Files {
		if g := fresh.Site.Files[path]; g == nil || !bytes.Equal(g.Data, f.Data) {
			t.Errorf("%s differs from the full build after the refresh", path)
		}
	}
	if maps.Equal(searchFiles(fresh.Site), searchFiles(first.Site)) {
		t.Error("the refresh left the index as it was")
	}
	if again, err := b.RefreshSearch(context.Background()); again != nil || err != nil {
		t.Errorf("a second RefreshSearch did something: %v, %v", again, err)
	}
}

// An annotated article publishes its W3C annotation page and links it; an
// article without notes has neither.
func TestAnnotationPagesOnlyForAnnotatedArticles(t *testing.T) {
	root := testsite.New(t)
	// One more article, without notes.
	art := "---\ntitle: Quiet day at the port\ndate: 2024-03-09\noutlet: Calden Herald\nunverified: \"a test article\"\n---\n\nNothing happened at the port today.\n"
	if err := os.WriteFile(filepath.Join(root, "content", "articles", "quiet-day.md"), []byte(art), 0o644); err != nil {
		t.Fatal(err)
	}
	res := mustBuild(t, build.New(build.Options{Root: root}), nil)
	with, without := 0, 0
	for _, a := range res.Graph.Articles {
		page := res.Site.Files[a.Card.Path+"index.html"]
		if page == nil {
			t.Fatalf("no page for %s", a.Card.Path)
		}
		_, published := res.Site.Files[a.Card.Path+"annotations.jsonld"]
		linked := bytes.Contains(page.Data, []byte(`annotations.jsonld`))
		has := len(a.Body.Notes) > 0
		if published != has || linked != has {
			t.Errorf("%s: %d notes, annotation page published %v, linked %v", a.Card.Path, len(a.Body.Notes), published, linked)
		}
		if has {
			with++
		} else {
			without++
		}
	}
	if with == 0 || without == 0 {
		t.Fatalf("%d annotated and %d plain articles: the test needs both", with, without)
	}
}

// A streamed build lets each article's Markdown go once it is rendered, and
// a Builder with a Sink keeps nothing between builds: its next Build, even
// when told only which article changed, equals a fresh build.
func TestStreamedBuilderKeepsNothing(t *testing.T) {
	root := testsite.New(t)
	var sink collector
	b := build.New(build.Options{Root: root, Sink: &sink})
	res := mustBuild(t, b, nil)
	if len(res.Content.Articles) == 0 {
		t.Fatal("fixture has no articles")
	}
	for _, a := range res.Content.Articles {
		if a.Body != nil {
			t.Errorf("%s: a streamed build kept the article's Markdown", a.File)
		}
	}
	// One article now cites the claim another's note cites: the other's
	// "also reported by" changes, so its body is made again, from Markdown
	// a streamed build no longer has unless it starts afresh.
	rel := "content/articles/minister-meets-union.md"
	file := filepath.Join(root, filepath.FromSlash(rel))
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(data, []byte("claim: cargo-losses"), []byte("claim: strike-turnout"), 1)
	if bytes.Equal(edited, data) {
		t.Fatal("fixture changed: no claim to swap")
	}
	if err := os.WriteFile(file, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	sink = collector{}
	res = mustBuild(t, b, []string{rel})
	if res.Rendered != res.Pages {
		t.Errorf("second streamed build rendered %d of %d pages: it reused some", res.Rendered, res.Pages)
	}
	var fresh collector
	mustBuild(t, build.New(build.Options{Root: root, Sink: &fresh}), nil)
	if !maps.EqualFunc(sink.files, fresh.files, bytes.Equal) {
		t.Error("a second streamed build differs from a fresh one")
	}
}

// A project's own article template keeps reading the body as it could
// before the body's text was kept compressed: .Body.HTML, .HTML, and the
// paragraphs with len, index and range, in a streamed build and in memory.
func TestProjectTemplateReadsPackedBody(t *testing.T) {
	def, err := os.ReadFile(filepath.Join(projectRoot, "templates", "article.html"))
	if err != nil {
		t.Fatal(err)
	}
	own := strings.Replace(string(def), "{{.HTML}}",
		`{{.Body.HTML}}<p class="probe">{{len .Paragraphs}} paragraphs, first {{with index .Paragraphs 0}}{{.ID}}{{end}}, {{range .Paragraphs}}[{{.ID}}]{{end}}</p>`, 1)
	if own == string(def) {
		t.Fatal("the default article template no longer has {{.HTML}}")
	}
	root := testsite.New(t)
	if err := os.MkdirAll(filepath.Join(root, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "templates", "article.html"), []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	var sink collector
	mustBuild(t, build.New(build.Options{Root: root, Sink: &sink}), nil)
	mem := mustBuild(t, build.New(build.Options{Root: root}), nil)
	pages := 0
	for p, f := range mem.Site.Files {
		if !strings.HasPrefix(p, "articles/") || !strings.HasSuffix(p, "/index.html") || strings.Count(p, "/") != 2 {
			continue
		}
		pages++
		page := string(f.Data)
		if !strings.Contains(page, `<p class="probe">`) || !strings.Contains(page, ", first p1, [p1][p2]") || !strings.Contains(page, `id="p1"`) {
			i := strings.Index(page, `class="probe"`)
			t.Errorf("%s: the template did not read the body: %.200s", p, page[max(0, i):])
		}
		if !bytes.Equal(sink.files[p], f.Data) {
			t.Errorf("%s differs between the streamed and the in-memory build", p)
		}
	}
	if pages == 0 {
		t.Fatal("no article pages")
	}
}

// NoSearch (dossier check) gives the sink every file a build gives, byte
// for byte, but the search index's.
func TestNoSearchLeavesOutTheIndexOnly(t *testing.T) {
	root := testsite.New(t)
	var all, some collector
	full := mustBuild(t, build.New(build.Options{Root: root, Sink: &all}), nil)
	res := mustBuild(t, build.New(build.Options{Root: root, Sink: &some, NoSearch: true}), nil)
	index := 0
	for p, data := range all.files {
		got, ok := some.files[p]
		switch {
		case strings.HasPrefix(p, "search/") && !strings.HasSuffix(p, ".html"):
			index++
			if ok {
				t.Errorf("%s given with NoSearch", p)
			}
		case !ok:
			t.Errorf("%s missing with NoSearch", p)
		case !bytes.Equal(got, data):
			t.Errorf("%s differs with NoSearch", p)
		}
	}
	if index == 0 {
		t.Fatal("the build gave no search index file: the test tests nothing")
	}
	if len(some.files) != len(all.files)-index || res.Files != len(some.files) || full.Files != len(all.files) {
		t.Errorf("NoSearch: %d files (result says %d); full: %d files (result says %d), %d of them the index's",
			len(some.files), res.Files, len(all.files), full.Files, index)
	}
}

// Streamed through a Stage, which writes pages from buffers the build lends
// and reuses (File.Done), the folder holds byte for byte what a build in
// memory makes.
func TestStreamedToDiskEqualsInMemory(t *testing.T) {
	root := t.TempDir()
	if err := testsite.GenerateCorpus(root, 150, 11); err != nil {
		t.Fatal(err)
	}
	mem := mustBuild(t, build.New(build.Options{Root: root, Minify: true}), nil)
	out := filepath.Join(t.TempDir(), "public")
	st, err := output.NewStage(out, output.WriteOptions{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Abort()
	mustBuild(t, build.New(build.Options{Root: root, Minify: true, Sink: st}), nil)
	if err := st.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	var differ []string
	for p, f := range mem.Site.Files {
		if got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p))); err != nil || !bytes.Equal(got, f.Data) {
			differ = append(differ, p)
		}
	}
	sort.Strings(differ)
	if len(differ) > 0 {
		t.Errorf("%d of %d files differ from the build in memory: %v", len(differ), len(mem.Site.Files), differ[:min(10, len(differ))])
	}
}
