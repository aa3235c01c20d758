package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/dossier-news/dossier/internal/markdown"
	"github.com/dossier-news/dossier/internal/workpool"
)

// floorRuns is how many times the goldmark floor is measured (the best counts).
const floorRuns = 3

// goldmarkFloor measures goldmark alone, with dossier's extensions, turning
// every article body of the corpus into HTML on all cores: the least a
// build of the corpus can cost. Files are read before the clock starts.
func goldmarkFloor(ctx context.Context, corpus string) (time.Duration, error) {
	names, err := filepath.Glob(filepath.Join(corpus, "content", "articles", "*.md"))
	if err != nil {
		return 0, err
	}
	bodies := make([][]byte, len(names))
	for i, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return 0, err
		}
		// The body follows the front matter's closing "---" line.
		if rest, ok := bytes.CutPrefix(b, []byte("---\n")); ok {
			if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
				b = rest[i+5:]
			}
		}
		bodies[i] = b
	}
	md := markdown.New()
	best := time.Duration(0)
	for run := 0; run < floorRuns; run++ {
		t0 := time.Now()
		if err := workpool.Each(ctx, len(bodies), func(i int) {
			md.Render(bodies[i], markdown.Options{File: names[i], BodyLine: 1, Anchors: true})
		}); err != nil {
			return 0, err
		}
		if d := time.Since(t0); best == 0 || d < best {
			best = d
		}
	}
	return best, nil
}
