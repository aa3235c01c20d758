package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dossier-news/dossier/internal/markdown"
	"github.com/dossier-news/dossier/internal/output"
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
	return bestOf(nil, func() error {
		return workpool.Each(ctx, len(bodies), func(i int) {
			md.Render(bodies[i], markdown.Options{File: names[i], BodyLine: 1, Anchors: true})
		})
	})
}

// bestOf is the shortest of floorRuns runs of measure, each after prepare
// (untimed; nil for none), or measure's first error.
func bestOf(prepare func(), measure func() error) (time.Duration, error) {
	best := time.Duration(0)
	for run := 0; run < floorRuns; run++ {
		if prepare != nil {
			prepare()
		}
		t0 := time.Now()
		if err := measure(); err != nil {
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
	return b.childFloor(ctx, "-goldmark-floor", corpus)
}

// childFloor runs this program with a floor's flag and folder and reads the
// duration it prints, in nanoseconds.
func (b *bench) childFloor(ctx context.Context, flag, dir string) (time.Duration, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	out, err := runCmd(ctx, b.root, nil, self, flag, dir)
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(out))
	if len(f) == 0 {
		return 0, fmt.Errorf("%s %s printed nothing", self, flag)
	}
	ns, err := strconv.ParseInt(f[len(f)-1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s %s printed %q: %w", self, flag, out, err)
	}
	return time.Duration(ns), nil
}

// minifyFloor measures tdewolff/minify alone, configured as dossier
// configures it, minifying every file a build minifies of an unminified
// dossier output (dir)
// on all cores, best of floorRuns: the least minifying that output can
// cost. With the goldmark floor it is what the libraries the project is
// built on take, whatever dossier does around them. Files are read, and
// each run's input copied (the minifier works in place), before the clock
// starts; the minified bytes go to one reused buffer per file, as a build's
// go to pooled ones.
func minifyFloor(ctx context.Context, dir string) (time.Duration, error) {
	var names []string
	var files [][]byte
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		// JSON is left out: the search index, the only JSON a build makes
		// besides a project's own static files, is written compact and
		// not minified.
		if err != nil || !e.Type().IsRegular() || filepath.Ext(p) == ".json" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		names = append(names, p)
		files = append(files, b)
		return nil
	})
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, fmt.Errorf("no files in %s", dir)
	}
	mf := output.NewMinifier()
	inputs := make([][]byte, len(files))
	outs := make([]bytes.Buffer, len(files))
	return bestOf(func() {
		for i, f := range files {
			// Room for one byte past the end, as a build's pages have
			// (tdewolff's parsers write a NUL there, or copy the input).
			inputs[i] = slices.Grow(append(inputs[i][:0], f...), 1)
			outs[i].Reset()
		}
	}, func() error {
		return workpool.EachErr(ctx, len(files), func(i int) error {
			_, err := mf.MinifyInto(&outs[i], names[i], inputs[i])
			return err
		})
	})
}

// minifyFloor builds the corpus without minifying (untimed) and measures
// the minify floor of that output in a child process (-minify-floor), for
// the reason goldmarkFloor gives.
func (b *bench) minifyFloor(ctx context.Context, corpus string, n int) (time.Duration, error) {
	out := filepath.Join(b.work, fmt.Sprintf("unminified-%d", n))
	defer b.trash.discard(out)
	if _, err := runCmd(ctx, b.root, nil, b.bin, "build", "--src", corpus, "--out", out, "--minify=false", "-q"); err != nil {
		return 0, fmt.Errorf("building without minifying: %w", err)
	}
	return b.childFloor(ctx, "-minify-floor", out)
}

// floorNotes compares two of issue 11's targets with what the libraries
// the project is built on take by themselves (libs: the goldmark and minify
// floors added), since a build cannot take less: the target of at most
// floorTarget× the goldmark floor, and of at most hugoTarget× Hugo's wall
// time (hugo; zero when Hugo did not run).
func floorNotes(n int, libs, goldmark, hugo time.Duration) []string {
	var notes []string
	if t := time.Duration(floorTarget * float64(goldmark)); t > 0 {
		notes = append(notes, fmt.Sprintf("N=%d: %g× the goldmark floor is %s; goldmark and minify alone take %s, %.2f× that target%s",
			n, floorTarget, fmtDur(t), fmtDur(libs), float64(libs)/float64(t), withinTarget(libs <= t)))
	}
	if t := time.Duration(hugoTarget * float64(hugo)); t > 0 {
		notes = append(notes, fmt.Sprintf("N=%d: %g× Hugo's wall time is %s; goldmark and minify alone take %s, %.2f× that target, leaving %s for everything else%s",
			n, hugoTarget, fmtDur(t), fmtDur(libs), float64(libs)/float64(t), fmtDur(max(t-libs, 0)), withinTarget(libs <= t)))
	}
	return notes
}

// withinTarget says whether the floors alone leave the target reachable.
func withinTarget(ok bool) string {
	if ok {
		return ""
	}
	return ": out of reach while pages are made with goldmark and minified"
}
