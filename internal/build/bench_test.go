package build_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/output"
)

// corpus generates (once per size) a synthetic corpus with the shared
// benchmark kit's generator, so dossier and Hugo can be timed on the same input.
func corpus(b *testing.B, n int) string {
	b.Helper()
	gen, _ := filepath.Abs(filepath.Join(projectRoot, "..", "shared", "bench", "gencorpus", "main.go"))
	if _, err := os.Stat(gen); err != nil {
		b.Skipf("benchmark kit not found at %s", gen)
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("dossier-corpus-%d", n))
	if _, err := os.Stat(filepath.Join(dir, "content", "articles")); err == nil {
		return dir
	}
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	cmd := exec.Command("go", "run", gen, "-n", fmt.Sprint(n), "-out", filepath.Join(tmp, "content"), "-seed", "1")
	cmd.Dir = os.TempDir()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("gencorpus: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, dir); err != nil {
		b.Fatal(err)
	}
	return dir
}

func BenchmarkBuildBundled(b *testing.B) {
	for _, minify := range []bool{true, false} {
		b.Run(fmt.Sprintf("minify=%v", minify), func(b *testing.B) {
			var bytes int
			for i := 0; i < b.N; i++ {
				res, err := build.New(build.Options{Root: projectRoot, Minify: minify}).Build(context.Background(), nil)
				if err != nil {
					b.Fatal(err)
				}
				bytes = 0
				for _, f := range res.Site.Files {
					bytes += len(f.Data)
				}
			}
			b.ReportMetric(float64(bytes), "output-bytes")
		})
	}
}

// BenchmarkBuildCorpus is a cold full build (no caches) of generated
// corpora, held in memory and streamed to disk (as `dossier build` does),
// with the median wall time of each step as a metric (load-ms, articles-ms
// for Markdown and annotation, assemble-ms for the site graph, render-ms for
// templates and minification, search-ms, write-ms for the end of the
// stream), so that a profile can be read against where the time goes.
func BenchmarkBuildCorpus(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		for _, mode := range []string{"memory", "disk"} {
			b.Run(fmt.Sprintf("%d/%s", n, mode), func(b *testing.B) {
				root := corpus(b, n)
				steps := map[string][]time.Duration{}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					opts := build.Options{Root: root, Minify: true}
					var st *output.Stage
					if mode == "disk" {
						var err error
						if st, err = output.NewStage(filepath.Join(b.TempDir(), "public"), output.WriteOptions{Root: root}); err != nil {
							b.Fatal(err)
						}
						opts.Sink = st
					}
					res, err := build.New(opts).Build(context.Background(), nil)
					if err != nil {
						b.Fatal(err)
					}
					for _, s := range res.Steps {
						steps[s.Name] = append(steps[s.Name], s.Duration)
					}
					if st != nil {
						t0 := time.Now()
						if err := st.Commit(context.Background()); err != nil {
							b.Fatal(err)
						}
						steps["commit"] = append(steps["commit"], time.Since(t0))
					}
					b.ReportMetric(float64(res.Pages), "pages")
				}
				for name, ds := range steps {
					sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
					b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, name+"-ms")
				}
			})
		}
	}
}

// BenchmarkRebuildOneArticle is the preview server's hot path: one article's
// body edited, then Build with that file as the change hint. It measures from
// the save to the new site being ready to serve.
func BenchmarkRebuildOneArticle(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			root := corpus(b, n)
			bl := build.New(build.Options{Root: root, Minify: false})
			if _, err := bl.Build(context.Background(), nil); err != nil {
				b.Fatal(err)
			}
			entries, _ := os.ReadDir(filepath.Join(root, "content", "articles"))
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			sort.Strings(names)
			rel := "content/articles/" + names[len(names)/2]
			p := filepath.Join(root, filepath.FromSlash(rel))
			orig, _ := os.ReadFile(p)
			defer os.WriteFile(p, orig, 0o644)
			b.ResetTimer()
			rendered := 0
			for i := 0; i < b.N; i++ {
				edited := strings.Replace(string(orig), "\n\n", fmt.Sprintf("\n\nEdit number %d.\n\n", i), 2)
				if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
					b.Fatal(err)
				}
				res, err := bl.Build(context.Background(), []string{rel})
				if err != nil {
					b.Fatal(err)
				}
				rendered = res.Rendered
			}
			b.ReportMetric(float64(rendered), "pages-rendered")
		})
	}
}

// BenchmarkRebuildSteps reports the wall time of each build step of a
// one-article rebuild as the preview runs it (the search index deferred), to
// see where a rebuild's time goes.
func BenchmarkRebuildSteps(b *testing.B) {
	root := corpus(b, 10000)
	bl := build.New(build.Options{Root: root, Minify: false, DeferSearch: true})
	if _, err := bl.Build(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(root, "content", "articles"))
	rel := "content/articles/" + entries[len(entries)/2].Name()
	p := filepath.Join(root, filepath.FromSlash(rel))
	orig, _ := os.ReadFile(p)
	defer os.WriteFile(p, orig, 0o644)
	totals := map[string]time.Duration{}
	var names []string
	if p := os.Getenv("DOSSIER_REBUILD_PROFILE"); p != "" {
		// A profile of the rebuilds alone, without the cold build before them.
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		edited := strings.Replace(string(orig), "\n\n", fmt.Sprintf("\n\nEdit number %d.\n\n", i), 2)
		if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
			b.Fatal(err)
		}
		res, err := bl.Build(context.Background(), []string{rel})
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range res.Steps {
			if _, ok := totals[s.Name]; !ok {
				names = append(names, s.Name)
			}
			totals[s.Name] += s.Duration
		}
	}
	for _, n := range names {
		b.ReportMetric(float64(totals[n].Microseconds())/1000/float64(b.N), n+"-ms")
	}
}
