package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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

// A profile path that names an article, a file that is not a profile, a
// folder, or a place inside the sources is refused before anything is
// written, and the file named is left as it was; an earlier profile is
// replaced.
func TestProfilePathsThatAreRefused(t *testing.T) {
	root := testsite.New(t)
	dir := t.TempDir()
	article := filepath.Join(root, "content", "articles", "dockers-walk-out.md")
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("my notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	earlier := filepath.Join(dir, "earlier.pprof")
	if err := os.WriteFile(earlier, []byte{0x1f, 0x8b, 0, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string // in stderr; "" for success
		kept string // a file that must be unchanged
	}{
		{[]string{"--cpuprofile", article}, "inside the project's content/ folder", article},
		{[]string{"--memprofile", filepath.Join(root, "static", "mem.pprof")}, "inside the project's static/ folder", ""},
		{[]string{"--cpuprofile", filepath.Join(root, "templates", "cpu.pprof")}, "inside the project's templates/ folder", ""},
		{[]string{"--cpuprofile", notes}, "not a profile", notes},
		{[]string{"--memprofile", notes}, "not a profile", notes},
		{[]string{"--cpuprofile", dir}, "it is a folder", ""},
		{[]string{"--cpuprofile", earlier, "--memprofile", earlier}, "the same file", earlier},
		{[]string{"--cpuprofile", earlier}, "", ""},
		{[]string{"--cpuprofile", filepath.Join(root, "cpu.pprof")}, "", ""}, // beside content/: fine
	}
	for _, tt := range tests {
		var before []byte
		if tt.kept != "" {
			before, _ = os.ReadFile(tt.kept)
		}
		for _, cmd := range []string{"build", "check"} {
			args := append([]string{cmd, "--src", root}, tt.args...)
			if cmd == "build" {
				args = append(args, "--out", filepath.Join(dir, "out"), "--force")
			}
			code, _, stderr := runCLI(t, args...)
			switch {
			case tt.want == "" && code != 0:
				t.Errorf("%v: exit %d: %s", args, code, stderr)
			case tt.want != "" && (code != 1 || !strings.Contains(stderr, tt.want)):
				t.Errorf("%v: exit %d, stderr %q; want 1 and %q", args, code, stderr, tt.want)
			}
			if tt.kept != "" {
				if after, _ := os.ReadFile(tt.kept); !bytes.Equal(before, after) {
					t.Errorf("%v: %s changed", args, tt.kept)
				}
			}
		}
	}
	for _, p := range []string{filepath.Join(root, "static", "mem.pprof"), filepath.Join(root, "templates", "cpu.pprof")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was made", p)
		}
	}
}

// --timings prints a table of the build's steps and one of its page
// templates, with the pages each rendered; `dossier check --timings` too.
// Without it, neither.
func TestTimingsTables(t *testing.T) {
	root := testsite.New(t)
	dir := t.TempDir()
	articles, err := filepath.Glob(filepath.Join(root, "content", "articles", "*.md"))
	if err != nil || len(articles) == 0 {
		t.Fatalf("no articles in the fixture: %v", err)
	}
	row := regexp.MustCompile(`(?m)^templates/article\.html +(\d+) +[0-9.]+ (?:s|ms|µs) .* /articles/[a-z0-9-]+/$`)
	for _, args := range [][]string{
		{"build", "--src", root, "--out", filepath.Join(dir, "out"), "--timings", "-q"},
		{"check", "--src", root, "--timings"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", args[0], code, stderr)
		}
		for _, step := range []string{"load", "articles", "render", "all steps"} {
			if !regexp.MustCompile(`(?m)^` + step + ` +[0-9.]+ (?:s|ms|µs) `).MatchString(stdout) {
				t.Errorf("%s --timings: no row for step %q in\n%s", args[0], step, stdout)
			}
		}
		m := row.FindStringSubmatch(stdout)
		if m == nil || m[1] != strconv.Itoa(len(articles)) {
			t.Errorf("%s --timings: want templates/article.html with %d pages in\n%s", args[0], len(articles), stdout)
		}
	}
	code, stdout, stderr := runCLI(t, "build", "--src", root, "--out", filepath.Join(dir, "out"))
	if code != 0 || strings.Contains(stdout, "all steps") || strings.Contains(stdout, "templates/") {
		t.Errorf("without --timings: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// A profile inside the output folder is refused before anything is
// written: the build replaces that folder whole, so a CPU profile opened in
// it was made in the previous output and lost with it, and, being a file the
// build did not write there, it made the build refuse its own output, then
// and every time after, until removed by hand.
func TestProfileInsideTheOutputRefused(t *testing.T) {
	root := testsite.New(t)
	for _, out := range []string{filepath.Join(t.TempDir(), "out"), filepath.Join(root, "public")} {
		args := []string{"build", "--src", root}
		if out != filepath.Join(root, "public") {
			args = append(args, "--out", out)
		}
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		for _, flag := range []string{"--cpuprofile", "--memprofile"} {
			p := filepath.Join(out, "articles", "x.pprof")
			code, _, stderr := runCLI(t, append(args, flag, p)...)
			if code != 1 || !strings.Contains(stderr, flag) || !strings.Contains(stderr, "inside the output folder") {
				t.Errorf("%s %s: exit %d, stderr %q; want 1 and a refusal naming the output folder", flag, p, code, stderr)
			}
			if _, err := os.Stat(p); err == nil {
				t.Errorf("%s %s: the profile was written", flag, p)
			}
			if code, _, stderr := runCLI(t, args...); code != 0 {
				t.Errorf("%v after %s %s: exit %d: %s", args, flag, p, code, stderr)
			}
		}
	}
}
