// Package scaffold creates new content files with the right front matter, for
// `dossier new`.
//
// What a new file holds is decided by what an editor expects of it:
//   - a topic, entity or claim is complete with its name alone (overview, bio
//     and note are optional), so its file builds and passes `dossier check
//     -strict` as it is; until an article uses it, check lists a note, never
//     a failure;
//   - an article is not: nobody can guess its outlet, topics, summary or text.
//     Its file has those fields empty, each with a comment saying what goes
//     there, so that the build names each one still to fill in at its own
//     line ("fill in outlet: ..."), instead of publishing a placeholder.
package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/markdown"
	"github.com/dossier-news/dossier/internal/readfile"
	"github.com/dossier-news/dossier/internal/slugs"
)

// Kinds are the kinds of file New makes, in the order help lists them.
var Kinds = []string{"article", "topic", "entity", "claim"}

var dirs = map[string]string{"article": content.ArticlesDir, "topic": content.TopicsDir, "entity": content.EntitiesDir, "claim": content.ClaimsDir}

// frontMatter returns the new file's text. name is YAML-quoted.
func frontMatter(kind, name string, today time.Time) string {
	q := strconv.Quote(name)
	switch kind {
	case "article":
		return `---
title: ` + q + `
outlet: ""      # fill in: the publication, e.g. AFP
date: ` + today.Format("2006-01-02") + `  # the day it was published
byline: ""      # optional: the author(s)
source: ""      # optional: the original URL
topics: []      # fill in: the topics it is about, e.g. [syria, iran]
summary: ""     # fill in: one sentence for lists, feeds and search engines
---
`
	case "topic":
		return `---
title: ` + q + `
summary: ""     # optional: one sentence for lists and search engines
keywords: []    # optional: words that mark a paragraph as speaking of this topic
---
`
	case "entity":
		return `---
name: ` + q + `
kind: person    # person, organisation or place
aliases: []     # other spellings the articles use, e.g. [Lavrov]
role: ""        # optional: e.g. Russian foreign minister
---
`
	case "claim":
		return `---
title: ` + q + `
verdict: ""     # optional: the editors' verdict in a few words
---
`
	}
	return ""
}

// maxSlug is the longest slug New makes a file name of, in bytes.
const maxSlug = 80

// New writes content/<kind dir>/<slug>.md under root for a new item called
// name and returns the path written (root joined with the file's path). It
// never overwrites an existing file.
func New(root, kind, name string) (string, error) {
	dir, ok := dirs[kind]
	if !ok {
		return "", fmt.Errorf("unknown kind %q: use %s", kind, strings.Join(Kinds, ", "))
	}
	// A name is one line of text: tabs and line breaks (a headline pasted
	// from a page) are spaces, and a character that is no text (a control
	// character, or a bidirectional override, which shows the title in
	// another order than it is written) is refused.
	name = strings.Join(strings.Fields(name), " ")
	if r, ok := content.ControlChar(name); ok {
		return "", fmt.Errorf("name %q holds the control character %U: remove it", name, r)
	}
	if i := strings.IndexFunc(name, diag.BidiControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(name[i:])
		return "", fmt.Errorf("name %q holds %U, a bidirectional control, which shows the text around it in another order than it is written: remove it (right-to-left text needs none)", name, r)
	}
	slug := slugs.Make(name)
	if slug == "" {
		return "", fmt.Errorf("name %q has no letters or digits to make a file name from", name)
	}
	// A headline of sixty words makes a file name the file system
	// refuses (255 bytes at most): the slug, and the page's URL, keep the
	// first words up to maxSlug. The title keeps every word.
	if len(slug) > maxSlug {
		cut := strings.LastIndexByte(slug[:maxSlug+1], '-')
		if cut <= 0 {
			cut = maxSlug
		}
		slug = slug[:cut]
	}
	folder := filepath.Join(root, "content", dir)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return "", err
	}
	p := filepath.Join(folder, slug+".md")
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s already exists: choose another name, or edit that file", p)
	}
	if err != nil {
		return "", err
	}
	text := frontMatter(kind, name, time.Now())
	if kind == "article" {
		text, err = withOriginal(root, slug, text)
		if err != nil {
			f.Close()
			os.Remove(p)
			return "", err
		}
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return "", err
	}
	return p, f.Close()
}

// withOriginal adds the article's original to a new article's front matter:
// content/originals/<slug>.txt, the scraped page text the rendition is checked
// against. When the editor saved it first, the article's text starts as the
// original's, one paragraph a line, escaped so that Markdown keeps every
// character: the editor then deletes what the rendition leaves out (and
// quotes it under removed:). Otherwise the build names the file still to
// save, at the original: line, as it names the other fields to fill in.
func withOriginal(root, slug, fm string) (string, error) {
	// Read as the build reads it: a named pipe or a device there is an
	// error, not a command that hangs.
	data, err := readfile.ReadUnder(root, filepath.Join(root, "content", content.OriginalsDir, slug+".txt"), content.DefaultMaxFileSize)
	line := "original: ../" + content.OriginalsDir + "/" + slug + ".txt"
	var body string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		line += "   # fill in: save the scraped page text there, byte for byte"
	case err != nil:
		return "", err
	default:
		content.LoneCRsToLFs(data) // lines as the build counts them
		// Copied with its bytes replaced by U+FFFD, an original in the
		// wrong encoding would make a rendition that differs from it once
		// it is saved as UTF-8: name the bytes to fix instead.
		if ps := content.CheckText(path.Join("content", content.OriginalsDir, slug+".txt"), data); len(ps) > 0 {
			return "", ps
		}
		data = bytes.TrimPrefix(data, []byte("\ufeff")) // a byte-order mark is not text
		line += "   # the scraped page text, byte for byte"
		var paras []string
		for _, l := range strings.Split(string(data), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				paras = append(paras, markdown.EscapeText(l))
			}
		}
		if len(paras) > 0 {
			body = "\n" + strings.Join(paras, "\n\n") + "\n"
		}
	}
	i := strings.LastIndex(fm, "---\n")
	return fm[:i] + line + "\n" + fm[i:] + body, nil
}
