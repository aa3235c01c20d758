package build_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/testsite"
	"github.com/dossier-news/dossier/internal/testtool"
)

// largeKinds are articles of about size bytes that once made a stage
// quadratic in the size of one file, each as the fixture's extra article.
var largeKinds = []struct {
	name string
	src  func(size int) string
}{
	// Paragraphs with entity names, escaped characters and the feed.
	{"article", func(size int) string { return testsite.LargeArticle(size, 0) }},
	// One annotation per KB: anchoring and numbering notes.
	{"annotations", func(size int) string { return testsite.LargeArticle(size, size/1024) }},
	// Paragraphs as long as Markdown allows (60 KB) full of characters HTML
	// escapes (the minifier's character reference decoding moved the rest
	// of the text each time).
	{"long paragraphs", func(size int) string {
		para := strings.Repeat(`Okafor said "it's <over> & done". `, 60<<10/34)
		return testsite.Article("Long paragraphs", "Calden Herald", 11, []string{"strike"},
			strings.Repeat(para+"\n\n", max(1, size/len(para))))
	}},
	// A long summary: a meta tag's attribute, list pages, the feed.
	{"summary", func(size int) string {
		return fmt.Sprintf("---\ntitle: Long summary\noutlet: Calden Herald\ndate: 2024-03-12\ntopics: [strike]\nsummary: %q\n---\n\nBody.\n",
			strings.Repeat(`it's "so" <long> & `, size/19))
	}},
	// A long title: every page listing the article, the feed.
	{"title", func(size int) string {
		return fmt.Sprintf("---\ntitle: %q\noutlet: Calden Herald\ndate: 2024-03-13\ntopics: [strike]\nsummary: S.\n---\n\nBody.\n",
			strings.Repeat(`it's "so" <long> & `, size/19))
	}},
}

// buildTime is the shortest of runs cold builds (minified) of root.
func buildTime(t testing.TB, root string, runs int) time.Duration {
	t.Helper()
	best := time.Duration(1<<63 - 1)
	for range runs {
		start := time.Now()
		if _, err := build.New(build.Options{Root: root, Minify: true}).Build(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		best = min(best, time.Since(start))
	}
	return best
}

// No stage is superlinear in the size of one file: a build with an article
// 8 times as large takes at most about 8 times as long (less, for the rest of
// the fixture costs the same), where a quadratic stage would make it 64
// times or far more (a 512 KB summary once took seconds, 2 MB over a
// minute). The bound is generous: timings on a shared machine are noisy; a
// quadratic stage is not subtle. Absolute rates are BenchmarkLargeArticle's
// business.
func TestScalingLargeInput(t *testing.T) {
	if testtool.Race {
		t.Skip("timing test: run without the race detector (make test does, after the race run)")
	}
	if testing.Short() {
		t.Skip("slow: builds of large articles")
	}
	const small, factor, bound = 64 << 10, 8, 24
	for _, k := range largeKinds {
		t.Run(k.name, func(t *testing.T) {
			var times [2]time.Duration
			ratio := testtool.LeastGrowth(3, bound, func() float64 {
				for i, size := range []int{small, small * factor} {
					root := testsite.New(t)
					testsite.Write(t, root, "content/articles/large.md", k.src(size))
					times[i] = buildTime(t, root, 3)
				}
				return float64(times[1]) / float64(times[0])
			})
			t.Logf("%s: %v with %d KB, %v with %d KB: ×%.1f for ×%d", k.name, times[0], small>>10, times[1], small*factor>>10, ratio, factor)
			if ratio > bound {
				t.Errorf("%s: %d times the size took %.0f times as long (linear is at most %d): a stage is superlinear in one file's size", k.name, factor, ratio, factor)
			}
		})
	}
}

// BenchmarkLargeArticle measures the build rate per MB of one large
// article: the fixture plus one article of 1, 4 and 16 MB (of each kind).
// MB/s should stay about constant across sizes.
func BenchmarkLargeArticle(b *testing.B) {
	for _, k := range largeKinds {
		for _, mb := range []int{1, 4, 16} {
			b.Run(fmt.Sprintf("%s/%dMB", k.name, mb), func(b *testing.B) {
				root := testsite.New(b)
				src := k.src(mb << 20)
				testsite.Write(b, root, "content/articles/large.md", src)
				b.SetBytes(int64(len(src)))
				b.ResetTimer()
				for range b.N {
					if _, err := build.New(build.Options{Root: root, Minify: true}).Build(context.Background(), nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
