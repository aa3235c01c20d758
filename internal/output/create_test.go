package output

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCreateFile(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	cases := []struct {
		name  string
		old   []byte // nil: no file before
		data  []byte
		wantE string // "" for success
	}{
		{"new file", nil, []byte("<p>hi</p>"), ""},
		{"empty file", nil, []byte{}, ""},
		{"a megabyte", nil, big, ""},
		{"longer file is truncated", bytes.Repeat([]byte("x"), 100), []byte("short"), ""},
		{"missing folder", nil, []byte("x"), "no such file or directory"},
	}
	for i, tc := range cases {
		p := filepath.Join(dir, tc.name+".html")
		if tc.wantE != "" {
			p = filepath.Join(dir, "missing", "x.html")
		}
		if tc.old != nil {
			if err := os.WriteFile(p, tc.old, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		err := createFile(p, tc.data, 0o644)
		if tc.wantE != "" {
			var pe *fs.PathError
			if err == nil || !errors.As(err, &pe) || pe.Path != p || !strings.Contains(err.Error(), tc.wantE) || !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%d %s: error %v, want a path error naming %s (%s)", i, tc.name, err, p, tc.wantE)
			}
			continue
		}
		if err != nil {
			t.Errorf("%d %s: %v", i, tc.name, err)
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, tc.data) {
			t.Errorf("%d %s: read back %d bytes (%v), want %d", i, tc.name, len(got), err, len(tc.data))
		}
		st, err := os.Stat(p)
		if err != nil || !st.Mode().IsRegular() || st.Mode().Perm()&^0o644 != 0 {
			t.Errorf("%d %s: mode %v (%v), want a regular file within 0644", i, tc.name, st.Mode(), err)
		}
	}
}

func TestMkdir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{filepath.Join(dir, "a"), true},           // parent exists
		{filepath.Join(dir, "a"), true},           // made already
		{filepath.Join(dir, "b", "c", "d"), true}, // parents missing
		{file, false},                     // a file stands there
		{filepath.Join(file, "x"), false}, // under a file
	} {
		err := mkdir(tc.path)
		if tc.ok {
			if st, serr := os.Stat(tc.path); err != nil || serr != nil || !st.IsDir() {
				t.Errorf("mkdir %s: %v, then stat %v", tc.path, err, serr)
			}
		} else if err == nil {
			t.Errorf("mkdir %s: no error, want one", tc.path)
		}
	}
}
