//go:build unix

package check_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/dossier-news/dossier/internal/check"
)

// A pipe among the originals is an error, named by an article or not (no
// article reads it, but it is no text file either): never only a warning
// that no article names it.
func TestPipeAmongTheOriginals(t *testing.T) {
	root := project(t, nil)
	dir := filepath.Join(root, "content", "originals")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	rep, err := check.Run(context.Background(), check.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	if !hasPrefixLine(rep.Problems, "content/originals/pipe.txt: not a regular file (a named pipe)") {
		t.Errorf("no error for the pipe:\n%v", rep.Problems)
	}
	if hasPrefixLine(rep.Problems, "content/originals/pipe.txt: warning") {
		t.Errorf("the pipe is also warned about:\n%v", rep.Problems)
	}
}
