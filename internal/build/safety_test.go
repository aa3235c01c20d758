//go:build unix

package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/testsite"
)

// buildWithin builds with a deadline: a build blocked on a file must fail
// the test, not hang it.
func buildWithin(t *testing.T, b *build.Builder, changed []string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { _, err := b.Build(context.Background(), changed); done <- err }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("the build did not return: blocked reading a file?")
		return nil
	}
}

// A named pipe anywhere dossier reads (content, templates, static files, an
// article re-read by an incremental build) is refused, never read.
func TestNamedPipesAreRefused(t *testing.T) {
	for _, rel := range []string{"content/articles/x.md", "content/topics/x.md", "templates/article.html", "static/x.css"} {
		t.Run(rel, func(t *testing.T) {
			root := testsite.New(t)
			p := filepath.Join(root, filepath.FromSlash(rel))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			err := buildWithin(t, build.New(build.Options{Root: root}), nil)
			if want := rel + ": not a regular file (a named pipe)"; !strings.Contains(diag.From(err, "").Error(), want) {
				t.Errorf("want %q, got: %v", want, err)
			}
		})
	}
	t.Run("incremental", func(t *testing.T) {
		root := testsite.New(t)
		b := build.New(build.Options{Root: root})
		if err := buildWithin(t, b, nil); err != nil {
			t.Fatal(err)
		}
		rel := "content/articles/" + testsite.Articles[0] + ".md"
		p := filepath.Join(root, filepath.FromSlash(rel))
		os.Remove(p)
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		err := buildWithin(t, b, []string{rel})
		if want := rel + ": not a regular file (a named pipe)"; !strings.Contains(diag.From(err, "").Error(), want) {
			t.Errorf("want %q, got: %v", want, err)
		}
	})
}

// An uninterruptible step (a template that takes long) does not keep Build
// from returning when its context is cancelled; the next Build waits for the
// abandoned one and then works.
func TestBuildReturnsOnCancel(t *testing.T) {
	root := testsite.New(t)
	b := build.New(build.Options{Root: root})
	start := time.Now()
	if err := buildWithin(t, b, nil); err != nil {
		t.Fatal(err)
	}
	normal := time.Since(start)
	// 3^13 iterations a page (3^12 under the race detector, ten times
	// slower): long next to the normal build, finite for the goroutine it
	// leaves behind.
	depth := 13
	if raceEnabled {
		depth = 12
	}
	testsite.Write(t, root, "templates/article.html", `{{define "main"}}`+strings.Repeat(`{{range $.Site.Articles}}`, depth)+strings.Repeat(`{{end}}`, depth)+`{{end}}`)
	deadline := time.Now().Add(normal)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	done := make(chan error, 1)
	go func() { _, err := b.Build(ctx, []string{"templates/article.html"}); done <- err }()
	select {
	case err := <-done:
		if late := time.Since(deadline); err != context.DeadlineExceeded || late > time.Second {
			t.Errorf("err = %v %v after the deadline, want the deadline's error within a second", err, late)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Build did not return after cancel")
	}
	os.Remove(filepath.Join(root, "templates/article.html"))
	if err := buildWithin(t, b, []string{"templates/article.html"}); err != nil {
		t.Errorf("the next build: %v", err)
	}
}
