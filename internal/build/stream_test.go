package build_test

import (
	"bytes"
	"context"
	"errors"
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
