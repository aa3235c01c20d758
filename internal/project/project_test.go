package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindWalksUpToTheFolderHoldingContent(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "content", "articles", "drafts")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.EvalSymlinks(root)
	for _, dir := range []string{root, filepath.Join(root, "content"), deep} {
		got, err := Find(dir)
		if err != nil {
			t.Fatalf("Find(%s): %v", dir, err)
		}
		if g, _ := filepath.EvalSymlinks(got); g != want {
			t.Errorf("Find(%s) = %s, want %s", dir, got, root)
		}
	}
	if _, err := Find(t.TempDir()); err == nil || !strings.Contains(err.Error(), "--src") {
		t.Errorf("outside a project: %v", err)
	}
}

func TestDisplay(t *testing.T) {
	wd := filepath.FromSlash("/p/content/articles")
	tests := map[string]string{
		"/p/content/articles/x.md": "x.md",
		"/p/content/topics/t.md":   "/p/content/topics/t.md",
	}
	for p, want := range tests {
		if got := Display(wd, filepath.FromSlash(p)); got != filepath.FromSlash(want) {
			t.Errorf("Display(%s) = %s, want %s", p, got, want)
		}
	}
}

// --src names the project folder: a missing one or a file is said so, in
// those words, before anything tries to read or write under it.
func TestRootChecksSrc(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ src, want string }{
		{filepath.Join(dir, "missing"), "no such folder"},
		{file, "is a file, not a folder"},
	} {
		if _, err := Root(tt.src); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "--src") {
			t.Errorf("Root(%q) = %v, want an error saying %q", tt.src, err, tt.want)
		}
	}
	if got, err := Root(dir); err != nil || got != dir {
		t.Errorf("Root(%q) = %q, %v", dir, got, err)
	}
}
