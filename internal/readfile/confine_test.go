//go:build unix

package readfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A project file reached through a symbolic link is read only if the link
// stays inside the project folder: a link to a file or folder out of it
// (/etc/passwd, a key, /proc/self/environ) is ErrOutside, naming where it
// leads; links inside the project, and a project folder that is itself
// reached through a link, are fine.
func TestConfine(t *testing.T) {
	base := t.TempDir()
	realRoot := filepath.Join(base, "real-project")
	outside := filepath.Join(base, "elsewhere")
	for _, d := range []string{filepath.Join(realRoot, "static"), filepath.Join(realRoot, "shared"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(realRoot, "static", "a.css"), filepath.Join(realRoot, "shared", "b.css"), filepath.Join(outside, "secret.txt")} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(realRoot, name)); err != nil {
			t.Fatal(err)
		}
	}
	link(filepath.Join(realRoot, "shared", "b.css"), "static/inside.css")
	link("../shared/b.css", "static/relative.css")
	link(filepath.Join(outside, "secret.txt"), "static/secret.txt")
	link("../../elsewhere/secret.txt", "static/climbing.txt")
	link(outside, "static/folder")
	root := filepath.Join(base, "project")
	if err := os.Symlink(realRoot, root); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file    string
		outside bool
	}{
		{"static/a.css", false},
		{"static/inside.css", false},
		{"static/relative.css", false},
		{"static/secret.txt", true},
		{"static/climbing.txt", true},
		{"static/folder/secret.txt", true},
		{"static/missing.css", false}, // the read reports it
	} {
		for _, r := range []string{root, realRoot} {
			err := Confine(r, filepath.Join(r, filepath.FromSlash(tc.file)))
			if got := errors.Is(err, ErrOutside); got != tc.outside {
				t.Errorf("root %s, %s: %v, want outside=%v", r, tc.file, err, tc.outside)
			}
			if tc.outside {
				if _, err := ReadUnder(r, filepath.Join(r, filepath.FromSlash(tc.file)), 1<<20); !errors.Is(err, ErrOutside) {
					t.Errorf("ReadUnder %s: %v", tc.file, err)
				}
			}
		}
	}
}
