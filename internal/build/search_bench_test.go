package build

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/dossier-news/dossier/internal/search"
	"github.com/dossier-news/dossier/internal/testsite"
)

// searchCorpus is a corpus for the search index benchmarks: the benchmark
// kit's with its realistic vocabulary (-vocab 50000) when the kit is there,
// else testsite's generated corpus.
func searchCorpus(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("dossier-search-corpus-%d", n))
	if _, err := os.Stat(filepath.Join(dir, "content", "articles")); err == nil {
		return dir
	}
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	gen, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "bench", "gencorpus", "main.go"))
	if _, err := os.Stat(gen); err == nil {
		cmd := exec.Command("go", "run", gen, "-n", fmt.Sprint(n), "-vocab", "50000", "-seed", "1", "-out", filepath.Join(tmp, "content"))
		cmd.Dir = os.TempDir()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("gencorpus: %v\n%s", err, out)
		}
	} else if err := testsite.GenerateCorpus(tmp, n, 1); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkSearchIndex times building the search index of a built site
// (cold), and the rebuild after one article's body changed.
func BenchmarkSearchIndex(b *testing.B) {
	sizes := []int{1000}
	if os.Getenv("DOSSIER_SEARCH_BENCH_10K") != "" {
		sizes = append(sizes, 10000)
	}
	for _, n := range sizes {
		root := searchCorpus(b, n)
		bl := New(Options{Root: root})
		res, err := bl.Build(context.Background(), nil)
		if err != nil {
			b.Fatal(err)
		}
		docs := searchDocs(res.Graph)
		ctx := context.Background()
		b.Run(fmt.Sprintf("cold/%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				search.Build(ctx, docs, nil)
			}
		})
		b.Run(fmt.Sprintf("edit/%d", n), func(b *testing.B) {
			prev, _ := search.Build(ctx, docs, nil)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				d := docs[len(docs)/2]
				d.Version = fmt.Sprint("edit", i)
				d.Paragraphs = append(d.Paragraphs[:len(d.Paragraphs):len(d.Paragraphs)], search.Paragraph{ID: "px", Text: fmt.Sprint("edited ", i)})
				edited := append([]search.Doc(nil), docs...)
				edited[len(docs)/2] = d
				prev, _ = search.Build(ctx, edited, prev)
			}
		})
		b.Run(fmt.Sprintf("glue/%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := bl.searchIndex(ctx, &state{}, &state{graph: res.Graph}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
