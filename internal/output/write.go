package output

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Write writes the site to dir atomically: files go to a temporary folder
// beside dir, which then replaces dir. A failure at any point leaves the
// previous dir untouched, and files of pages that no longer exist vanish with
// the old folder.
func Write(ctx context.Context, s *Site, dir string) error {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", parent, err)
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("%s exists and is not a folder: remove it or choose another -out", dir)
	}
	tmp := filepath.Join(parent, "."+filepath.Base(dir)+".tmp-"+randomSuffix())
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return fmt.Errorf("create temporary output folder: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	made := map[string]bool{}
	for _, p := range s.Paths() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !fs.ValidPath(p) || strings.Contains(p, `\`) {
			return fmt.Errorf("refusing to write unsafe output path %q", p)
		}
		full := filepath.Join(tmp, filepath.FromSlash(p))
		d := filepath.Dir(full)
		if !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if err := os.WriteFile(full, s.Files[p].Data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
	}
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = filepath.Join(parent, "."+filepath.Base(dir)+".old-"+randomSuffix())
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("move previous output aside: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			_ = os.Rename(old, dir) // put the previous output back
		}
		return fmt.Errorf("move new output into place: %w", err)
	}
	ok = true
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("remove previous output %s: %w", old, err)
		}
	}
	return nil
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
