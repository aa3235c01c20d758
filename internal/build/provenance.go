package build

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/markdown"
	"github.com/dossier-news/dossier/internal/provenance"
	"github.com/dossier-news/dossier/internal/readfile"
)

// originals tracks the originals the articles name (content/originals/...):
// the hash of each, so that an article's cached body, which holds its
// verification, is reused only while both the article and its original are
// unchanged.
type originals struct {
	hashes  map[string]string // project-relative file -> hash, or "" when unreadable
	current map[string]*originalFile
	limit   int64 // the largest file read: maxFileSize, as for every content file
}

type originalFile struct {
	hash string
	data []byte // read in this build, nil when the hash came from the last one
	err  error
}

// readOriginals returns the original of every article that names one. An
// original is read when changed does not rule out that it changed (a full
// build reads them all); otherwise its last hash stands.
func (b *Builder) readOriginals(c *content.Content, changed []string) map[string]*originalFile {
	touched := map[string]bool{}
	for _, p := range changed {
		touched[p] = true
	}
	out := map[string]*originalFile{}
	hashes := map[string]string{}
	b.prov.limit = c.Config.FileSizeLimit()
	// The broken articles' too, whose text is checked (brokenArticles).
	for _, a := range slices.Concat(c.Articles, c.Broken) {
		f := a.OriginalFile()
		if f == "" || out[f] != nil {
			continue
		}
		if h, ok := b.prov.hashes[f]; ok && h != "" && changed != nil && !touched[f] {
			out[f] = &originalFile{hash: h}
			hashes[f] = h
			continue
		}
		o := &originalFile{}
		o.data, o.err = b.readOriginal(f)
		if o.err == nil {
			sum := sha256.Sum256(o.data)
			o.hash = hex.EncodeToString(sum[:])
		}
		out[f] = o
		hashes[f] = o.hash
	}
	b.prov.hashes = hashes
	b.prov.current = out
	return out
}

// readOriginal reads the original f (project-relative, under
// content/originals/: see content.Article.OriginalFile) as every content file
// is read: a regular file only, within maxFileSize, so that a named pipe or a
// link to /dev/zero there is an error naming it, not a build that hangs or
// runs out of memory; its lines end as a content file's do.
func (b *Builder) readOriginal(f string) ([]byte, error) {
	limit := b.prov.limit
	if limit <= 0 {
		limit = content.DefaultMaxFileSize
	}
	data, err := readfile.ReadUnder(b.opts.Root, filepath.Join(b.opts.Root, filepath.FromSlash(f)), limit)
	var tl *readfile.TooLargeError
	if errors.As(err, &tl) {
		return nil, fmt.Errorf("%w: raise maxFileSize in content/%s if it is meant to be this big", err, content.ConfigFile)
	}
	content.LoneCRsToLFs(data) // lines as the articles' are counted
	return data, err
}

// bodyKey identifies what an article's body is made from: the article file
// and, when it names one, its original.
func (b *Builder) bodyKey(a *content.Article) string {
	f := a.OriginalFile()
	if f == "" {
		return a.Hash
	}
	o := b.prov.current[f]
	if o == nil || o.err != nil {
		return a.Hash + "\x00missing"
	}
	return a.Hash + "\x00" + o.hash
}

// verify checks an article's rendition against its original; the report
// goes with the body.
func (b *Builder) verify(a *content.Article, doc *markdown.Doc) (*provenance.Report, diag.List) {
	f := a.OriginalFile()
	if f == "" {
		return nil, nil
	}
	o := b.prov.current[f]
	if o == nil {
		o = &originalFile{err: fs.ErrNotExist}
	}
	// o is shared by the articles naming the same original, which are
	// verified in parallel: read it, never write it.
	data, err := o.data, o.err
	if data == nil && err == nil {
		data, err = b.readOriginal(f)
	}
	if err != nil {
		msg := fmt.Sprintf("original %q: cannot read %s: %v", a.Original, f, err)
		if errors.Is(err, fs.ErrNotExist) {
			msg = fmt.Sprintf("original %q: no such file %s: save the scraped page text there byte for byte, or fix the path (it is relative to this file)", a.Original, f)
			if other, how := b.similarFile(f); other != "" {
				msg = fmt.Sprintf("original %q: no such file %s, but %s exists: %s; rename the file or fix the path", a.Original, f, other, how)
			}
		}
		return nil, diag.List{diag.Errorf(a.File, a.Line("original"), "%s", msg)}
	}
	// Text as the Markdown is: an invalid or NUL byte is named at the
	// original's line (and would otherwise reach the comparison page).
	if ps := content.CheckText(f, data); len(ps) > 0 {
		return nil, ps
	}
	in := provenance.Input{
		File:         a.File,
		OriginalFile: f,
		OriginalLine: a.Line("original"),
		BodyLine:     a.BodyLine,
		Title:        a.Title,
	}
	if _, ok := a.Lines["removed"]; ok {
		in.RemovedLine = a.Lines["removed"]
	}
	for _, r := range doc.Text {
		in.Text = append(in.Text, provenance.Run{Text: r.Text, Line: r.Line, Anchor: r.Anchor})
	}
	for i, r := range a.Removed {
		in.Removed = append(in.Removed, provenance.Removal{Text: r.Text, Why: strings.TrimSpace(r.Why), Line: a.Line(fmt.Sprintf("removed[%d]", i))})
	}
	rep, ps := provenance.Verify(in, data)
	if rep != nil {
		rep.Hash = o.hash
	}
	return rep, ps
}

// similarFile returns a file beside f (project-relative, slash-separated)
// whose name is f's spelt with other Unicode characters (ë composed or
// decomposed, as macOS writes names) or in another case, and how it
// differs; "" when there is none. The names look the same in a message.
func (b *Builder) similarFile(f string) (other, how string) {
	dir, name := path.Split(f)
	entries, err := os.ReadDir(filepath.Join(b.opts.Root, filepath.FromSlash(dir)))
	if err != nil {
		return "", ""
	}
	for _, e := range entries {
		n := e.Name()
		switch {
		case n == name:
		case norm.NFC.String(n) == norm.NFC.String(name):
			return dir + n, "its name is spelt with other Unicode characters (a letter and a combining accent, as macOS writes names, or the letter with its accent)"
		case strings.EqualFold(norm.NFC.String(n), norm.NFC.String(name)):
			return dir + n, "its name differs in case"
		}
	}
	return "", ""
}
