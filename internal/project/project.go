// Package project finds the dossier project an editor is working in: the
// folder holding content/, looked for from the current folder upwards, the
// way git finds its repository, so that dossier works from content/articles
// as well as from the project's top.
package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Find returns the absolute path of the nearest folder, dir or above, that
// holds a content/ folder.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("cannot resolve %s: %w", dir, err)
	}
	for d := abs; ; {
		if st, err := os.Stat(filepath.Join(d, "content")); err == nil && st.IsDir() {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no content/ folder in %s or any folder above it: run dossier inside a dossier project, or pass --src DIR", abs)
		}
		d = parent
	}
}

// Root returns the project folder: src when given (it always wins), else the
// one Find finds from the current folder.
func Root(src string) (string, error) {
	if src != "" {
		// Said here, or the first step to use it says it in its terms
		// ("cannot write SRC/public: not a directory").
		switch st, err := os.Stat(src); {
		case errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("--src %s: no such folder: pass the project folder, the one holding content/", src)
		case err != nil:
			return "", fmt.Errorf("--src %s: %w", src, err)
		case !st.IsDir():
			return "", fmt.Errorf("--src %s is a file, not a folder: pass the project folder, the one holding content/", src)
		}
		return src, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("cannot tell the current folder: %w", err)
	}
	return Find(wd)
}

// Display is how to show path p to someone whose current folder is wd:
// relative when p is under wd, else absolute, so that it is the path of the
// file written, whichever folder dossier ran in.
func Display(wd, p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if wd != "" {
		if r, err := filepath.Rel(wd, abs); err == nil && filepath.IsLocal(r) {
			return r
		}
	}
	return abs
}
