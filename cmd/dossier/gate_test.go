package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The deploy gate, as .github/workflows/pages.yml runs it: build under the
// project site's base URL, then check --strict under the same URL. These
// tests run it on the bundled dossier; they assert nothing about what the
// dossier holds (editors change it), only that it passes the gate.
var gate = [][]string{
	{"build", "-q", "-base-url", pagesURL},
	{"check", "-strict", "-base-url", pagesURL},
}

const pagesURL = "https://owner.github.io/dossier/"

// copyBundled copies the repository's content/ (the bundled dossier) into a
// fresh project folder.
func copyBundled(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join("..", "..", "content")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, "content", rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func runGate(t *testing.T, root string) {
	t.Helper()
	for _, args := range gate {
		args = append(args, "-src", root)
		if code, stdout, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("dossier %s: exit status %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
	}
}

// The bundled dossier passes the deploy gate.
func TestBundledDossierPassesTheDeployGate(t *testing.T) {
	runGate(t, copyBundled(t))
}

// Adding content never breaks the deploy: a newsroom's sixth article, with a
// new topic and a new person it refers to, made with `dossier new` as an
// editor would and then filled in, passes the same gate the Pages workflow
// runs.
func TestAddingContentKeepsTheDeployGateGreen(t *testing.T) {
	root := copyBundled(t)
	for _, args := range [][]string{
		{"new", "topic", "Press freedom", "--src", root},
		{"new", "entity", "Dmitry Muratov", "--src", root},
		{"new", "article", "Editor wins Nobel prize", "--src", root},
	} {
		if code, stdout, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("dossier %s: %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	write := func(rel, text string) {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(rel)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/topics/press-freedom.md", `---
title: "Press freedom"
summary: Journalists' work under pressure in Russia.
keywords: [newspaper, journalists]
---
How the Kremlin treats independent newspapers; see the
[Nobel report](../articles/editor-wins-nobel-prize.md).
`)
	write("content/entities/dmitry-muratov.md", `---
name: "Dmitry Muratov"
kind: person
aliases: [Muratov]
role: Editor of Novaya Gazeta
---
Co-founder and editor of the independent newspaper Novaya Gazeta.
`)
	write("content/articles/editor-wins-nobel-prize.md", `---
title: "Editor wins Nobel prize"
outlet: Новая газета
date: 2021-10-08
topics: [press-freedom]
summary: The newspaper's editor shares the Nobel Peace Prize.
original: ../originals/editor-wins-nobel-prize.txt
annotations:
  - quote: "for their efforts to safeguard freedom of expression"
    kind: context
    speaker: dmitry-muratov
    note: The committee's own words, as [the topic page](../topics/press-freedom.md) explains.
---

Dmitry Muratov, the editor of the newspaper, shared the prize "for their efforts to safeguard
freedom of expression".

Muratov said the prize belonged to the journalists of the newspaper.
`)
	write("content/originals/editor-wins-nobel-prize.txt", "Editor wins Nobel prize\n\n"+
		"Dmitry Muratov, the editor of the newspaper, shared the prize \u201cfor their efforts to safeguard freedom of expression\u201d.\n\n"+
		"Muratov said the prize belonged to the journalists of the newspaper.\n")
	runGate(t, root)
	if _, err := os.Stat(filepath.Join(root, "public", "articles", "editor-wins-nobel-prize", "index.html")); err != nil {
		t.Errorf("the new article was not built: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "public", "outlets", "novaia-gazeta", "index.html")); err != nil {
		t.Errorf("the Cyrillic outlet has no readable page: %v", err)
	}
}
