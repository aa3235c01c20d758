package content_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/testsite"
)

// load runs content.Load with a deadline (a blocked read must fail the test,
// not hang it) and returns its problems as text.
func load(t *testing.T, root string) string {
	t.Helper()
	type result struct{ err error }
	done := make(chan result, 1)
	go func() {
		_, err := content.Load(context.Background(), root)
		done <- result{err}
	}()
	select {
	case r := <-done:
		return diag.From(r.err, "").Error()
	case <-time.After(20 * time.Second):
		t.Fatal("content.Load did not return: blocked on a file?")
		return ""
	}
}

// Invalid UTF-8 and NUL bytes in any Markdown or YAML content file are an
// error naming file, line, byte offset and column, never silently replaced.
func TestInvalidTextIsAnError(t *testing.T) {
	art := testsite.Article("Encodings", "Calden Herald", 9, []string{"strike"}, "First paragraph.\n\nSecond paragraph, at its MIDDLE and on.")
	cases := []struct {
		name, file, src string
		bad             string // the offending bytes, located in src to compute the expected position
		want            string // LINE, OFFSET and COL stand for the position of bad
	}{
		{"invalid byte in a body", "content/articles/enc.md", strings.Replace(art, "MIDDLE", "MID\xffDLE", 1), "\xff",
			"content/articles/enc.md:LINE: invalid UTF-8 (byte 0xFF) at byte offset OFFSET (column COL)"},
		{"NUL in a body", "content/articles/enc.md", strings.Replace(art, "MIDDLE", "MID\x00DLE", 1), "\x00",
			"content/articles/enc.md:LINE: NUL byte at byte offset OFFSET (column COL)"},
		{"truncated sequence in front matter", "content/articles/enc.md", strings.Replace(art, "Encodings", "Enc\xc3odings", 1), "\xc3",
			"content/articles/enc.md:LINE: invalid UTF-8 (byte 0xC3) at byte offset OFFSET (column COL)"},
		{"column counts characters", "content/articles/enc.md", strings.Replace(art, "MIDDLE", "ÉÉÉ\xff", 1), "\xff",
			"content/articles/enc.md:LINE: invalid UTF-8 (byte 0xFF) at byte offset OFFSET (column COL)"},
		{"UTF-16", "content/articles/enc.md", "\xff\xfe-\x00-\x00-\x00", "",
			"content/articles/enc.md:1: the file is UTF-16 (it starts with the byte-order mark FFFE): save it as UTF-8"},
		{"dossier.yaml", "content/dossier.yaml", "title: Caf\xe9\n", "\xe9",
			"content/dossier.yaml:LINE: invalid UTF-8 (byte 0xE9) at byte offset OFFSET (column COL)"},
		{"timeline.yaml", "content/timeline.yaml", "- date: 2024-03-04\n  title: \"x\x00\"\n", "\x00",
			"content/timeline.yaml:LINE: NUL byte at byte offset OFFSET (column COL)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := testsite.New(t)
			want := tc.want
			if tc.bad != "" {
				i := strings.Index(tc.src, tc.bad)
				line := 1 + strings.Count(tc.src[:i], "\n")
				col := 1 + utf8.RuneCountInString(tc.src[strings.LastIndex(tc.src[:i], "\n")+1:i])
				want = strings.NewReplacer("LINE", fmt.Sprint(line), "OFFSET", fmt.Sprint(i), "COL", fmt.Sprint(col)).Replace(want)
			}
			testsite.Write(t, root, tc.file, tc.src)
			if got := load(t, root); !strings.Contains(got, want) {
				t.Errorf("want %q among the problems:\n%s", want, got)
			}
		})
	}
}

func TestCheckTextListsAFewThenCounts(t *testing.T) {
	data := strings.Repeat("ok\xff\n", 8)
	ps := content.CheckText("f.md", []byte(data))
	if len(ps) != 6 {
		t.Fatalf("%d problems, want 5 and a count:\n%v", len(ps), ps)
	}
	for i, p := range ps[:5] {
		if p.Line != i+1 || !strings.Contains(p.Msg, fmt.Sprintf("byte offset %d (column 3)", i*4+2)) {
			t.Errorf("problem %d: %v", i, p)
		}
	}
	if !strings.Contains(ps[5].Msg, "3 more") {
		t.Errorf("last: %v", ps[5])
	}
	if ps := content.CheckText("f.md", []byte("« valid » — text\n")); ps != nil {
		t.Errorf("valid text: %v", ps)
	}
}

// Only regular files are read: a named pipe called x.md would block a read
// forever. It is reported instead, with the other problems.
func TestNamedPipeIsRefused(t *testing.T) {
	for _, rel := range []string{"content/articles/x.md", "content/timeline.yaml", "content/dossier.yaml"} {
		t.Run(rel, func(t *testing.T) {
			root := testsite.New(t)
			p := filepath.Join(root, filepath.FromSlash(rel))
			os.Remove(p)
			if err := mkfifo(p); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
			got := load(t, root)
			if want := rel + ": not a regular file (a named pipe)"; !strings.Contains(got, want) {
				t.Errorf("want %q, got:\n%s", want, got)
			}
		})
	}
}

// maxFileSize in dossier.yaml bounds every content file; without it the
// limit is DefaultMaxFileSize.
func TestFileSizeLimit(t *testing.T) {
	root := testsite.New(t)
	body := strings.Repeat("A long paragraph of text. ", 100) // 2,600 bytes
	testsite.Write(t, root, "content/articles/long.md", testsite.Article("Long", "Calden Herald", 10, []string{"strike"}, body))
	if got := load(t, root); got != "" {
		t.Fatalf("under the default limit: %s", got)
	}
	cfg := testsite.Read(t, root, "content/dossier.yaml")
	testsite.Write(t, root, "content/dossier.yaml", cfg+"maxFileSize: 2KB\n")
	got := load(t, root)
	want := "content/articles/long.md: the file is 2.7 KB, over the limit of 2 KB for one file: raise maxFileSize in content/dossier.yaml (now 2 KB) if it is meant to be this big"
	if !strings.Contains(got, want) {
		t.Errorf("want %q, got:\n%s", want, got)
	}
	if strings.Contains(got, "dockers-walk-out") {
		t.Errorf("a file under the limit was refused:\n%s", got)
	}

	// The default limit.
	root = testsite.New(t)
	big := make([]byte, content.DefaultMaxFileSize+1)
	for i := range big {
		big[i] = 'a'
	}
	testsite.Write(t, root, "content/articles/huge.md", string(big))
	if got := load(t, root); !strings.Contains(got, "content/articles/huge.md: the file is 32 MB, over the limit of 32 MB") {
		t.Errorf("over the default limit: %s", got)
	}
}

// YAML aliases repeat a value without repeating its text: a few kilobytes of
// front matter could stand for gigabytes of page. They may repeat at most
// as much as the file holds; a modest use stays fine.
func TestYAMLAliasAmplificationRefused(t *testing.T) {
	root := testsite.New(t)
	long := strings.Repeat("Page furniture. ", 1000) // 16 KB
	refs := strings.TrimSuffix(strings.Repeat("*t, ", 200), ", ")
	testsite.Write(t, root, "content/articles/bomb.md", "---\ntitle: Bomb\noutlet: Calden Herald\ndate: 2024-03-14\ntopics: [strike]\nsummary: S.\nbyline: &t \""+long+"\"\nremoved: ["+refs+"]\n---\n\nText.\n")
	testsite.Write(t, root, "content/articles/modest.md", "---\ntitle: &t Modest\noutlet: Calden Herald\ndate: 2024-03-15\ntopics: [strike]\nsummary: *t\n---\n\nText.\n")
	got := load(t, root)
	want := `content/articles/bomb.md:8: alias *t: the aliases in this file repeat more text than the file holds; write the values out instead`
	if !strings.Contains(got, want) {
		t.Errorf("want %q, got:\n%s", want, got)
	}
	if strings.Contains(got, "modest.md") {
		t.Errorf("a modest alias was refused:\n%s", got)
	}
	if n := strings.Count(got, "repeat more text"); n != 1 {
		t.Errorf("%d alias problems, want 1:\n%s", n, got)
	}
}
