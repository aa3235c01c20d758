package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/testsite"
)

// dossier import annotations: reports what it added and what it could not,
// exits 1 when some could not be imported, and with -n writes nothing.
func TestImportCommand(t *testing.T) {
	const file = "../../internal/webanno/testdata/hypothesis.json"
	for _, dry := range []bool{true, false} {
		root := testsite.New(t)
		before := testsite.Read(t, root, "content/articles/dockers-walk-out.md")
		args := []string{"import", "annotations", "-src", root}
		if dry {
			args = append(args, "-n")
		}
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append(args, file), &stdout, &stderr)
		if code != 1 {
			t.Errorf("dry=%v: exit status %d, want 1 (an orphan and a foreign page)\n%s%s", dry, code, stdout.String(), stderr.String())
		}
		for _, want := range []string{
			`content/articles/dockers-walk-out.md: added "walked out on Monday" (fact-check)`,
			`content/articles/dockers-walk-out.md: orphan: “walked out on Sunday” is not in the article's text`,
			"4 annotations to 3 articles; 1 already there, 2 skipped, 1 orphans, 0 refused, 1 for no article",
		} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("dry=%v: stdout lacks %q:\n%s", dry, want, stdout.String())
			}
		}
		after := testsite.Read(t, root, "content/articles/dockers-walk-out.md")
		if dry != (after == before) {
			t.Errorf("dry=%v: file changed: %v", dry, after != before)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"import", "notes", "x"}, &stdout, &stderr); code != 2 {
		t.Errorf("import notes: exit status %d, want 2", code)
	}
}

// What the import prints of the file (ids, addresses) cannot act on the
// terminal: escape sequences are printed as escapes.
func TestImportPrintsIDsAsText(t *testing.T) {
	root := testsite.New(t)
	file := filepath.Join(t.TempDir(), "a.json")
	data := `[{"id":"x\u001b]0;pwned\u0007","uri":"https://elsewhere.example/\u001b[2J","text":"n","target":[{"selector":[{"type":"TextQuoteSelector","exact":"q"}]}]}]`
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"import", "annotations", "-src", root, file}, &stdout, &stderr)
	if out := stdout.String() + stderr.String(); strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, `x\x1b]0;pwned\x07`) {
		t.Errorf("output:\n%q", out)
	}
}

// zeros is an input without end, as /dev/zero is.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// An annotations file is read up to a limit: an input without end (a
// device such as /dev/zero, named by mistake) is refused, named, once past
// it, not read until the memory runs out; one within it is read whole.
func TestImportInputHasALimit(t *testing.T) {
	ctx := context.Background()
	if _, err := readInput(ctx, "-", zeros{}, 1<<20); err == nil || !strings.Contains(err.Error(), "standard input: more than 1 MB") {
		t.Errorf("endless standard input: %v", err)
	}
	f := filepath.Join(t.TempDir(), "a.json")
	if err := os.WriteFile(f, bytes.Repeat([]byte("x"), 2048), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readInput(ctx, f, nil, 1024); err == nil || !strings.Contains(err.Error(), f+": more than") {
		t.Errorf("a file over the limit: %v", err)
	}
	if data, err := readInput(ctx, f, nil, 2048); err != nil || len(data) != 2048 {
		t.Errorf("a file at the limit: %d bytes, %v", len(data), err)
	}
	if _, err := readInput(ctx, filepath.Join(t.TempDir(), "nope.json"), nil, 1024); err == nil {
		t.Error("a missing file was read")
	}
}
