// Package output is the last pipeline stage: it holds a built site in memory
// (minified, assets fingerprinted) and writes it to disk atomically. The preview
// server serves the same in-memory Site without touching disk.
package output

import (
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"path"
	"sort"
	"strings"
)

// File is one output file.
type File struct {
	Path string // slash-separated, relative to the output root: "articles/x/index.html"
	Data []byte
	ETag string // quoted strong validator derived from the content hash
	// Done, when set, is called once a Stage has written Data (or given
	// up on it), after which the Stage holds nothing of it: a streamed
	// build lends Data from a pool and takes it back here. Sinks that keep
	// Data never call it.
	Done func()
}

// NewFile makes an output file, with its ETag: the one place that derives
// an ETag, shared by pages, assets and generated files (and so by the
// preview server, which serves Files as they are).
func NewFile(p string, data []byte) *File {
	sum := sha256.Sum256(data)
	return &File{Path: p, Data: data, ETag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

// ContentType returns the MIME type for the file's extension.
func (f *File) ContentType() string { return ContentType(f.Path) }

// ContentType returns the MIME type for a path's extension.
func ContentType(p string) string {
	switch path.Ext(p) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".json":
		return "application/json"
	case ".jsonld":
		return "application/ld+json"
	case ".xml":
		if strings.HasSuffix(p, "feed.xml") {
			return "application/atom+xml; charset=utf-8"
		}
		return "application/xml; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".txt", "":
		return "text/plain; charset=utf-8"
	case ".webmanifest":
		return "application/manifest+json"
	}
	if t := mime.TypeByExtension(path.Ext(p)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Sink takes a site's files one by one as a build makes them (a Stage
// writes them to disk), so that no build has to hold a whole site. Put may
// be called from several goroutines at once.
type Sink interface {
	Put(f *File) error
}

// Site is a complete built site. It is immutable once built: the preview server
// swaps whole Sites, so readers never see a half-built one.
type Site struct {
	Files map[string]*File
	// BasePath is the base URL's path, always with leading and trailing slash ("/" or "/dossier/").
	BasePath string
}

// Paths returns every file path, sorted.
func (s *Site) Paths() []string {
	out := make([]string, 0, len(s.Files))
	for p := range s.Files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
