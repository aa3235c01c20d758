// Package scaffold creates new content files with the right front matter, for
// `dossier new`.
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dossier-news/dossier/internal/site"
)

var templates = map[string]string{
	"article": `---
title: %q
outlet: ""
date: %s
byline: ""
topics: []
summary: ""
removed: []
annotations: []
---

Paste the article text here, one paragraph per source paragraph.
`,
	"topic": `---
title: %q
summary: ""
keywords: []
---

An editorial overview of the topic.
`,
	"entity": `---
name: %q
kind: person
aliases: []
role: ""
---

A short, factual biography.
`,
	"claim": `---
title: %q
verdict: ""
---

The editors' note on where the sources agree or conflict.
`,
}

var dirs = map[string]string{"article": "articles", "topic": "topics", "entity": "entities", "claim": "claims"}

// New writes content/<kind dir>/<slug>.md under root for a new item called
// name and returns its path. It never overwrites an existing file.
func New(root, kind, name string) (string, error) {
	tmpl, ok := templates[kind]
	if !ok {
		return "", fmt.Errorf("unknown kind %q: use article, topic, entity or claim", kind)
	}
	slug := site.Slugify(name)
	if slug == "unknown" {
		return "", fmt.Errorf("name %q has no letters or digits to make a file name from", name)
	}
	dir := filepath.Join(root, "content", dirs[kind])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	p := filepath.Join(dir, slug+".md")
	var body string
	if kind == "article" {
		body = fmt.Sprintf(tmpl, strings.TrimSpace(name), time.Now().Format("2006-01-02"))
	} else {
		body = fmt.Sprintf(tmpl, strings.TrimSpace(name))
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s already exists: choose another name or edit it", p)
	}
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(body); err != nil {
		f.Close()
		return "", err
	}
	return p, f.Close()
}
