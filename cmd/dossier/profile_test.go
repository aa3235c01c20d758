package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/testsite"
)

// --cpuprofile and --memprofile write profiles go tool pprof reads (gzipped
// protocol buffers), and a build whose output is not a terminal draws no
// progress line.
func TestBuildProfilesAndNoProgressOffTerminal(t *testing.T) {
	root := testsite.New(t)
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	code, stdout, stderr := runCLI(t, "build", "--src", root, "--out", filepath.Join(dir, "out"), "--cpuprofile", cpu, "--memprofile", mem)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, p := range []string{cpu, mem} {
		b, err := os.ReadFile(p)
		if err != nil || len(b) < 2 || !bytes.Equal(b[:2], []byte{0x1f, 0x8b}) {
			t.Errorf("%s: not a pprof profile (%d bytes, %v)", filepath.Base(p), len(b), err)
		}
	}
	if strings.Contains(stdout+stderr, "\r") {
		t.Errorf("a progress line was drawn off a terminal: %q", stderr)
	}
	if !strings.Contains(stdout, "built ") {
		t.Errorf("stdout %q, want the summary", stdout)
	}

	code, _, stderr = runCLI(t, "build", "--src", root, "--out", filepath.Join(dir, "out2"), "--cpuprofile", filepath.Join(dir, "no", "such", "folder", "cpu.pprof"))
	if code == 0 || !strings.Contains(stderr, "--cpuprofile") {
		t.Errorf("exit %d, stderr %q: want a failure naming --cpuprofile", code, stderr)
	}
}
