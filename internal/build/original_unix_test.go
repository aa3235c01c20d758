//go:build unix

package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/testsite"
)

// An original is read as safely as any content file: a path out of
// content/originals/ is reported and never opened (its text must not reach
// the messages), and a named pipe, a device or a file over maxFileSize in
// content/originals/ is an error naming it, not a build that hangs or runs
// out of memory.
func TestOriginalsReadSafely(t *testing.T) {
	const article = "content/articles/strike-spreads-to-rail.md"
	const original = "content/originals/strike-spreads-to-rail.txt"
	const secret = "SECRET-3e1f9a-never-printed"
	cases := []struct {
		name  string
		setup func(t *testing.T, root string)
		want  string
	}{
		{"path out of the project", func(t *testing.T, root string) {
			// A file beside the project, named by a path that climbs out.
			if err := os.WriteFile(filepath.Join(filepath.Dir(root), "secret.txt"), []byte(secret+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			src := testsite.Read(t, root, article)
			testsite.Write(t, root, article, strings.Replace(src, "original: ../originals/strike-spreads-to-rail.txt", "original: ../originals/../../../secret.txt", 1))
		}, `is not in content/originals/`},
		{"named pipe", func(t *testing.T, root string) {
			replace(t, root, original, func(p string) error { return syscall.Mkfifo(p, 0o644) })
		}, "named pipe"},
		{"link to a device", func(t *testing.T, root string) {
			replace(t, root, original, func(p string) error { return os.Symlink("/dev/zero", p) })
		}, "a symbolic link out of the project folder"},
		{"link to a file out of the project", func(t *testing.T, root string) {
			if err := os.WriteFile(filepath.Join(filepath.Dir(root), "secret.txt"), []byte(secret+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			replace(t, root, original, func(p string) error { return os.Symlink(filepath.Join(filepath.Dir(root), "secret.txt"), p) })
		}, "a symbolic link out of the project folder"},
		{"over maxFileSize", func(t *testing.T, root string) {
			// A limit every article is under, and the original over.
			limit := int64(0)
			_ = filepath.WalkDir(filepath.Join(root, "content"), func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					if st, err := d.Info(); err == nil && !strings.Contains(p, "originals") {
						limit = max(limit, st.Size())
					}
				}
				return nil
			})
			limit += 16
			cfg := testsite.Read(t, root, "content/dossier.yaml")
			testsite.Write(t, root, "content/dossier.yaml", cfg+"maxFileSize: "+strconv.FormatInt(limit, 10)+"\n")
			text := testsite.Read(t, root, original)
			testsite.Write(t, root, original, text+strings.Repeat("padding ", int(limit)/8+1)+"\n")
		}, "over the limit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := testsite.New(t)
			tc.setup(t, root)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := build.New(build.Options{Root: root}).Build(ctx, nil)
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("the build did not end within 30 s (blocked on the original?)")
			}
			if err == nil {
				t.Fatal("the build succeeded")
			}
			msg := err.Error()
			if strings.Contains(msg, secret) {
				t.Errorf("the file out of the project was read and shown:\n%s", msg)
			}
			found := false
			for _, p := range diag.From(err, "") {
				if p.Severity == diag.Error && strings.HasPrefix(p.Error(), article+":") && strings.Contains(p.Error(), tc.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("no error at %s saying %q; got:\n%s", article, tc.want, msg)
			}
		})
	}
}

// replace puts what make makes at rel instead of the file there.
func replace(t *testing.T, root, rel string, make func(string) error) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := make(p); err != nil {
		t.Fatal(err)
	}
}
