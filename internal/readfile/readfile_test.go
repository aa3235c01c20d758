package readfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.md")
	os.WriteFile(small, []byte("hello"), 0o644)
	if b, err := Read(small, 5); err != nil || string(b) != "hello" {
		t.Errorf("Read at the limit: %q, %v", b, err)
	}
	var tl *TooLargeError
	if _, err := Read(small, 4); !errors.As(err, &tl) || tl.Size != 5 || tl.Max != 4 {
		t.Errorf("Read over the limit: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "missing.md"), 10); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Read(dir, 10); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "a folder") {
		t.Errorf("folder: %v", err)
	}
	if runtime.GOOS != "windows" {
		if _, err := Read("/dev/zero", 1<<20); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "device") {
			t.Errorf("/dev/zero: %v", err)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "512B": 512, "32MB": 32 << 20, "32 mb": 32 << 20, "1GB": 1 << 30, "64KB": 64 << 10} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MB", "0", "0MB", "-1MB", "12TB", "1.5MB", "999999999999999MB", "999999999999GB", " 1MB", "1  MB"} {
		if n, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, n)
		}
	}
	for n, want := range map[int64]string{12: "12 B", 2048: "2 KB", 1536: "1.5 KB", 32 << 20: "32 MB", 3 << 30: "3 GB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// ReadInto reads into the buffer it is lent, emptied first, and refuses what
// Read refuses.
func TestReadInto(t *testing.T) {
	dir := t.TempDir()
	small, big := filepath.Join(dir, "small.md"), filepath.Join(dir, "big.md")
	if err := os.WriteFile(small, []byte("short"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), 5000), 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteString("left over from an earlier file")
	got, err := ReadInto(&buf, small, 100)
	if err != nil || string(got) != "short" {
		t.Fatalf("ReadInto = %q, %v; want \"short\"", got, err)
	}
	if &got[0] != &buf.Bytes()[0] {
		t.Error("ReadInto did not read into the buffer it was lent")
	}
	var tl *TooLargeError
	if _, err := ReadInto(&buf, big, 100); !errors.As(err, &tl) {
		t.Errorf("a file over the limit: %v, want a TooLargeError", err)
	}
	if _, err := ReadInto(&buf, dir, 100); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a folder: %v, want ErrNotRegular", err)
	}
}
