package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// goldmarkFloor measures the floor in a child process (this program, with
// -goldmark-floor): reading a large corpus into memory here would raise the
// peak RSS every later child is measured with (see selfPeak).
func (b *bench) goldmarkFloor(ctx context.Context, corpus string) (time.Duration, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	out, err := runCmd(ctx, b.root, nil, self, "-goldmark-floor", corpus)
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(out))
	if len(f) == 0 {
		return 0, fmt.Errorf("%s -goldmark-floor printed nothing", self)
	}
	ns, err := strconv.ParseInt(f[len(f)-1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s -goldmark-floor printed %q: %w", self, out, err)
	}
	return time.Duration(ns), nil
}
