package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/testsite"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// The command line behaves like Go tools and cobra programs: help per
// command on stdout, a version, completion, exit status 2 for a wrong command
// line and 1 for problems, and no message that starts with a bare ": ".
func TestCommandLineConventions(t *testing.T) {
	root := testsite.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	file := filepath.Join(t.TempDir(), "file")
	empty := t.TempDir()
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string // substrings; "" means empty
	}{
		{"help build", []string{"help", "build"}, 0, "Build the whole site into SRC/public", ""},
		{"build -h", []string{"build", "-h"}, 0, "--base-url", ""},
		{"quiet is documented", []string{"build", "--help"}, 0, "-q, --quiet", ""},
		{"version", []string{"version"}, 0, "dossier ", ""},
		{"--version", []string{"--version"}, 0, "dossier ", ""},
		{"completion", []string{"completion", "bash"}, 0, "bash completion", ""},
		{"completion of new", []string{"__complete", "new", ""}, 0, "article\ntopic\nentity\nclaim\n", "Completion ended"},
		{"unknown flag", []string{"build", "--nope"}, 2, "", "dossier build: unknown flag: --nope"},
		{"serve --addr without a port", []string{"serve", "--src", root, "--addr", "nonsense"}, 2, "", `dossier serve: --addr "nonsense": want HOST:PORT`},
		{"serve --addr with a port out of range", []string{"serve", "--src", root, "--addr", "127.0.0.1:99999"}, 2, "", `dossier serve: --addr "127.0.0.1:99999": want HOST:PORT with a port from 0 to 65535`},
		{"unknown single-dash flag", []string{"check", "-nope"}, 2, "", "dossier check: unknown shorthand flag: 'n' in -nope"},
		{"unknown command", []string{"bulid"}, 2, "", `dossier: unknown command "bulid" for "dossier"`},
		{"extra argument", []string{"check", "--src", root, "extra"}, 2, "", `dossier check: unexpected argument "extra"`},
		{"new with an unknown kind", []string{"new", "foo", "bar", "--src", root}, 2, "", `dossier new: unknown kind "foo": use article, topic, entity, claim`},
		{"new without a name", []string{"new", "topic"}, 2, "", "dossier new: want a kind and a NAME"},
		{"single-dash long flags", []string{"check", "-src", root, "-base-url=https://example.github.io/calden/", "-strict"}, 0, "ok: ", ""},
		{"-minify=false", []string{"build", "-q", "-src", root, "-minify=false", "-out", filepath.Join(t.TempDir(), "pub")}, 0, "", ""},
		{"unwritable -out", []string{"build", "-q", "--src", root, "--out", filepath.Join(file, "public")}, 1, "", "dossier build: cannot write " + filepath.Join(file, "public")},
		{"port in use", []string{"serve", "--src", root, "--addr", ln.Addr().String()}, 1, "", "dossier serve: listen tcp"},
		// It says where it looked: the folder --src named has no content/ (it
		// told the editor who had passed --src to pass --src).
		{"no project", []string{"check", "--src", empty}, 1, "content: no content/ folder in " + empty + ": pass the project folder (the one holding content/) as --src DIR, or run dossier inside it", "dossier check: 1 error"},
		{"no project, build", []string{"build", "--src", empty, "--out", filepath.Join(t.TempDir(), "pub")}, 1, "", "content: no content/ folder in " + empty + ": "},
		// A help topic or a shell that does not exist is a wrong command line
		// (exit status 2, on stderr), not help printed with success: a script
		// running `dossier completion tcsh > file` would write the usage.
		{"help", []string{"help"}, 0, "Available Commands:", ""},
		{"help for a subcommand", []string{"help", "import", "annotations"}, 0, "dossier import annotations FILE [flags]", ""},
		{"help for an unknown command", []string{"help", "bulid"}, 2, "", `dossier help: unknown command "bulid": run 'dossier help' for the list of commands`},
		{"help with a word too many", []string{"help", "build", "site"}, 2, "", `dossier help: unknown command "build site"`},
		{"completion without a shell", []string{"completion"}, 0, "dossier completion [command]", ""},
		{"completion for an unknown shell", []string{"completion", "tcsh"}, 2, "", `dossier completion: unknown shell "tcsh": use bash, fish, powershell or zsh`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			if tc.stdout != "" && !strings.Contains(stdout, tc.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdout, stdout)
			}
			if tc.stderr == "" && stderr != "" {
				t.Errorf("stderr not empty:\n%s", stderr)
			}
			if tc.stderr != "" && !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
			for _, l := range strings.Split(stderr, "\n") {
				if strings.HasPrefix(l, ":") {
					t.Errorf("message with a stray ': ' prefix: %q", l)
				}
			}
		})
	}
}

// `dossier new` takes flags after its arguments, finds the project from a
// subfolder, writes where it says it wrote, and the path it prints is the
// path written, relative to where it ran.
func TestNewWritesWhereItSays(t *testing.T) {
	root := testsite.New(t)
	sub := filepath.Join(root, "content", "articles")
	tests := []struct {
		name string
		dir  string // where dossier runs
		args []string
		want string // file written, relative to root
	}{
		{"flags after arguments", t.TempDir(), []string{"new", "article", "Strike day five", "-src", root}, "content/articles/strike-day-five.md"},
		{"double-dash flag after arguments", t.TempDir(), []string{"new", "topic", "Ports", "--src", root}, "content/topics/ports.md"},
		{"from content/articles", sub, []string{"new", "article", "Dockers return"}, "content/articles/dockers-return.md"},
		{"from content/articles, another kind", sub, []string{"new", "entity", "Recep Tayyip Erdoğan"}, "content/entities/recep-tayyip-erdogan.md"},
		{"from the project", root, []string{"new", "claim", "Turnout: 90%"}, "content/claims/turnout-90.md"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(tc.dir)
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != 0 {
				t.Fatalf("exit status %d: %s%s", code, stdout, stderr)
			}
			want := filepath.Join(root, filepath.FromSlash(tc.want))
			if _, err := os.Stat(want); err != nil {
				t.Fatalf("%s not written: %v\n%s", tc.want, err, stdout)
			}
			printed := strings.TrimSpace(strings.TrimPrefix(stdout, "created "))
			if !filepath.IsAbs(printed) {
				printed = filepath.Join(tc.dir, printed)
			}
			a, _ := filepath.EvalSymlinks(printed)
			b, _ := filepath.EvalSymlinks(want)
			if a != b || a == "" {
				t.Errorf("printed %q, wrote %s", stdout, want)
			}
		})
	}
	// Nothing was written anywhere else (the old bug: content/articles/content/articles/).
	if _, err := os.Stat(filepath.Join(sub, "content")); err == nil {
		t.Errorf("wrote under content/articles/content/")
	}
}

// build, check and serve find the project from a subfolder too.
func TestCommandsFindTheProjectFromASubfolder(t *testing.T) {
	root := testsite.New(t)
	t.Chdir(filepath.Join(root, "content", "topics"))
	if code, stdout, stderr := runCLI(t, "check", "--strict"); code != 0 || !strings.Contains(stdout, "ok: ") {
		t.Errorf("check from content/topics: %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := runCLI(t, "build", "-q"); code != 0 || stdout != "" {
		t.Errorf("build -q from content/topics: %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(root, "public", "index.html")); err != nil {
		t.Errorf("build did not write the project's public/: %v", err)
	}
}

// `dossier build` and `dossier check` list the same problems of broken
// content, every stage's, not just the first failing stage's.
func TestBuildAndCheckListTheSameProblems(t *testing.T) {
	root := testsite.New(t)
	a := filepath.Join(root, "content", "articles", testsite.Articles[0]+".md")
	src, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), "topics: [", "topics: [sport, ", 1)
	broken += "\nSee [the other report](no-such-article.md).\n"
	if err := os.WriteFile(a, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	testsite.Write(t, root, "content/articles/"+testsite.Articles[1]+".md", "---\ntitle: \"unclosed\noutlet: AFP\n---\nText.\n")
	_, checkOut, _ := runCLI(t, "check", "--src", root)
	code, _, buildErr := runCLI(t, "build", "--src", root, "--out", filepath.Join(t.TempDir(), "out"))
	if code != 1 {
		t.Fatalf("build exit status %d", code)
	}
	var fromCheck, fromBuild []string
	for _, l := range strings.Split(checkOut, "\n") {
		if strings.HasPrefix(l, "content/") && !strings.Contains(l, ": warning: ") && !strings.Contains(l, ": note: ") {
			fromCheck = append(fromCheck, l)
		}
	}
	for _, l := range strings.Split(buildErr, "\n") {
		if strings.HasPrefix(l, "content/") && !strings.Contains(l, ": warning: ") {
			fromBuild = append(fromBuild, l)
		}
	}
	if len(fromCheck) < 3 || strings.Join(fromCheck, "\n") != strings.Join(fromBuild, "\n") {
		t.Errorf("check lists:\n%s\n\nbuild lists:\n%s", strings.Join(fromCheck, "\n"), strings.Join(fromBuild, "\n"))
	}
}

// A failed build lists the build's warnings too, as check does and as a
// build that succeeds does: they were dropped as soon as there was an error
// (found by hostile testing).
func TestFailedBuildListsItsWarnings(t *testing.T) {
	root := testsite.New(t)
	a := "content/articles/dockers-walk-out.md"
	testsite.Write(t, root, a, strings.Replace(testsite.Read(t, root, a), "removed:\n", "removed:\n  - text: \"Advertisement\"\n    why: an advert\n", 1))
	testsite.Write(t, root, "content/articles/"+testsite.Articles[1]+".md", "---\ntitle: \"unclosed\noutlet: AFP\n---\nText.\n")
	_, checkOut, _ := runCLI(t, "check", "--src", root)
	code, _, buildErr := runCLI(t, "build", "--src", root, "--out", filepath.Join(t.TempDir(), "out"))
	if code != 1 {
		t.Fatalf("build exit status %d", code)
	}
	const warning = "is not in the original content/originals/dockers-walk-out.txt"
	if !strings.Contains(checkOut, warning) {
		t.Fatalf("check does not warn:\n%s", checkOut)
	}
	if !strings.Contains(buildErr, warning) || !strings.Contains(buildErr, testsite.Articles[1]+".md:2: ") {
		t.Errorf("the failed build does not list its warning and its error:\n%s", buildErr)
	}
}
