//go:build unix

package output

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Sources a project links to from elsewhere are sources too: an output
// folder that is, is inside or holds the target of a symbolic link in
// content/, templates/ or static/ (or of content/ itself) is refused even
// with -force, and nothing is written; an unrelated folder beside them is
// still accepted.
func TestWriteRefusesLinkedSources(t *testing.T) {
	shared := filepath.Join(t.TempDir(), "shared")
	originals := filepath.Join(shared, "desk", "originals")
	realContent := filepath.Join(shared, "newsroom", "content")
	css := filepath.Join(shared, "styles", "print.css")
	for _, d := range []string{originals, filepath.Join(realContent, "articles"), filepath.Dir(css)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(originals, "a.txt"), filepath.Join(realContent, "articles", "a.md"), css} {
		if err := os.WriteFile(f, []byte("precious"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Two projects: one whose content/originals/ and a stylesheet are links,
	// one whose content/ is.
	linkedInside := project(t)
	mustLink(t, originals, filepath.Join(linkedInside, "content", "originals"))
	mustLink(t, css, filepath.Join(linkedInside, "static", "print.css"))
	linkedContent := filepath.Join(t.TempDir(), "proj2")
	if err := os.MkdirAll(linkedContent, 0o755); err != nil {
		t.Fatal(err)
	}
	mustLink(t, realContent, filepath.Join(linkedContent, "content"))

	cases := []struct {
		name, root, dir, reason string
	}{
		{"a linked folder", linkedInside, originals, "it is " + originals + ", which"},
		{"inside a linked folder", linkedInside, filepath.Join(originals, "out"), "it is inside " + originals},
		{"the parent of a linked folder", linkedInside, filepath.Dir(originals), "it holds " + originals},
		{"a folder holding a linked file", linkedInside, filepath.Dir(css), "it holds " + css},
		{"a folder holding linked content/", linkedContent, filepath.Join(shared, "newsroom"), "it holds " + realContent},
		{"linked content/ itself", linkedContent, realContent, "it is the project's content/ folder"},
		{"a folder holding all", linkedContent, shared, "it holds " + realContent},
	}
	for _, tc := range cases {
		before := digest(t, shared)
		err := WriteWith(context.Background(), site(map[string]string{"index.html": "new"}), tc.dir, WriteOptions{Root: tc.root, Force: true})
		var te *TargetError
		if !errors.As(err, &te) {
			t.Errorf("%s: %v, want a refusal", tc.name, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tc.reason) || !strings.Contains(msg, "your sources") {
			t.Errorf("%s: message %q lacks %q", tc.name, msg, tc.reason)
		}
		if after := digest(t, shared); after != before {
			t.Errorf("%s: files changed:\n%s\nwas\n%s", tc.name, after, before)
		}
	}
	// A folder beside the linked ones, holding none of them, is the
	// maintainer's to use.
	beside := filepath.Join(shared, "site")
	if err := WriteWith(context.Background(), site(map[string]string{"index.html": "new"}), beside, WriteOptions{Root: linkedInside, Force: true}); err != nil {
		t.Errorf("a folder beside the linked sources: %v", err)
	}
}

func mustLink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}
