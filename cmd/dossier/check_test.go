package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const checkArticle = `---
title: First report
outlet: AFP
date: 2013-05-07
topics: [TOPICS]
summary: Kerry arrives.
unverified: a test article, written for the test
---
John Kerry arrived in Moscow. LINK
`

func checkProject(t *testing.T, topics, link string) string {
	art := strings.NewReplacer("TOPICS", topics, "LINK", link).Replace(checkArticle)
	return writeProject(t, map[string]string{
		"content/dossier.yaml":      "title: Test\nbaseURL: https://example.github.io/dossier/\n",
		"content/topics/syria.md":   "---\ntitle: Syria\n---\nOverview.\n",
		"content/articles/first.md": art,
	})
}

// dossier check: exit 0 with an ok line when all is well; warnings are listed
// and fail only with -strict; errors fail, every one listed as file:line.
func TestCheckCommand(t *testing.T) {
	cases := []struct {
		name         string
		topics, link string
		args         []string
		code         int
		stdout       []string
		stderr       string
	}{
		{"clean", "syria", "", nil, 0, []string{"ok: "}, ""},
		{"clean, strict", "syria", "", []string{"-strict"}, 0, []string{"ok: ", "0 warnings"}, ""},
		{"warning", "", "", nil, 0, []string{"content/articles/first.md:5: warning: fill in topics", "ok: ", "1 warning, 1 note"}, ""},
		{"warning, strict", "", "", []string{"-strict"}, 1, []string{"content/articles/first.md:5: warning: fill in topics"}, "dossier check: 0 errors, 1 warning (warnings fail with --strict)"},
		{"errors", "syria, sport", "[earlier](zeroth.md)", nil, 1, []string{
			`content/articles/first.md:5: unknown topic "sport"`,
			`content/articles/first.md:9: link to "zeroth.md": no such content file`,
		}, "dossier check: 2 errors, 0 warnings"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := checkProject(t, tc.topics, tc.link)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"check", "-src", root}, tc.args...), &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, want := range tc.stdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if tc.stderr != "" && !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr.String())
			}
			if _, err := os.Stat(filepath.Join(root, "public")); err == nil {
				t.Errorf("check wrote public/")
			}
		})
	}
}
