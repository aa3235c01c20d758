package output

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"

	"github.com/dossier-news/dossier/internal/bufpool"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
	"github.com/tdewolff/parse/v2/buffer"
)

// Minifier minifies output files by type. Safe for concurrent use; a nil
// *Minifier leaves files as they are (-minify=false).
type Minifier struct {
	m        *minify.M
	jsonBufs bufpool.Slices // minifyJSON's
}

// NewMinifier returns a Minifier for HTML, CSS, JS, SVG, XML and JSON.
func NewMinifier() *Minifier {
	mf := &Minifier{m: minify.New()}
	m := mf.m
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepSpecialComments: false, KeepQuotes: false})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$`), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), mf.minifyJSON)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), xml.Minify)
	return mf
}

// minifyJSON is json.Minify reading a copy of a parse buffer's bytes in a
// lent slice with room past its end. tdewolff's parsers read their input
// with a NUL after it, written in place where the slice has room and
// otherwise into a copy; the HTML minifier hands a page's JSON-LD script
// over as a slice without room, so every page copied it into a new slice
// (0.5 GB at 100,000 articles, a third of a minified page's allocations).
func (mf *Minifier) minifyJSON(m *minify.M, w io.Writer, r io.Reader, params map[string]string) error {
	b, ok := r.(interface{ Bytes() []byte })
	if !ok {
		return json.Minify(m, w, r, params)
	}
	bp := mf.jsonBufs.Get()
	defer mf.jsonBufs.Put(bp)
	*bp = slices.Grow(append((*bp)[:0], b.Bytes()...), 1)
	return json.Minify(m, w, buffer.NewReader(*bp), params)
}

var mediaTypes = map[string]string{
	".html": "text/html", ".css": "text/css", ".js": "application/javascript", ".svg": "image/svg+xml",
	".xml": "application/xml", ".json": "application/json", ".webmanifest": "application/json",
}

// Minify returns the minified bytes of a file named p; files of other types are
// returned unchanged. The minifier works on data in place, so the caller
// gives data up.
func (mf *Minifier) Minify(p string, data []byte) ([]byte, error) {
	var out bytes.Buffer
	minified, err := mf.MinifyInto(&out, p, data)
	if err != nil || !minified {
		return data, err
	}
	return out.Bytes(), nil
}

// MinifyInto is Minify writing into out (appended) instead of a new slice,
// for a caller that lends out from a pool. It reports whether it minified:
// for a file Minify returns unchanged it writes nothing.
func (mf *Minifier) MinifyInto(out *bytes.Buffer, p string, data []byte) (bool, error) {
	if mf == nil {
		return false, nil
	}
	mt, ok := mediaTypes[path.Ext(p)]
	if !ok || tooMuchEntityWork(data) {
		// Another type, or one the minifier would take time quadratic in
		// the size of one text or attribute for: the file stays as it is,
		// valid and only larger.
		return false, nil
	}
	out.Grow(len(data))
	// A parse buffer is read in place (tdewolff's NewInput takes its
	// bytes; a bytes.Reader would be copied first).
	if err := mf.m.Minify(mt, out, buffer.NewReader(data)); err != nil {
		return false, fmt.Errorf("minify %s: %w", p, err)
	}
	return true, nil
}

// entityWork estimates the bytes the HTML, SVG and XML minifiers would move
// to decode character references. They decode a text or attribute value in
// place and shift the rest of it after every reference they shorten (&#39;
// to '), so a run of n bytes holding k references costs about k·n: quadratic
// in the length of one run, which an editor controls (one long paragraph, a
// long summary in a meta tag). A run is what lies between two '<' or '>'.
// Linear in len(data).
func entityWork(data []byte) int {
	// One pass over the bytes: bytes.IndexAny would rebuild its set of
	// "<>&" at each of a page's thousands of tags.
	work, refs, start := 0, 0, 0 // start: where the current run began
	for i, c := range data {
		if c > '>' { // most bytes: letters, and every byte of UTF-8
			continue
		}
		switch c {
		case '&':
			refs++
		case '<', '>':
			work += refs * (i + 1 - start)
			refs, start = 0, i+1
		}
	}
	return work + refs*(len(data)-start)
}

// tooMuchEntityWork reports whether entityWork(data) > maxEntityWork(len(data)),
// counting the runs only when it may be: each reference is in a run no
// longer than data, so the work is at most references × len(data), and
// bytes.Count finds them many times faster than entityWork's loop looks at
// every byte (which cost a quarter of the minifier's time).
func tooMuchEntityWork(data []byte) bool {
	limit := maxEntityWork(len(data))
	if refs := bytes.Count(data, []byte{'&'}); refs <= limit/max(len(data), 1) {
		return false
	}
	return entityWork(data) > limit
}

// maxEntityWork bounds entityWork for a file of n bytes: 1 KiB moved per
// byte, plus 64 MiB, is far above any real page (a 5 KB paragraph with a
// hundred quotes and apostrophes moves 500 KB) and a few tenths of a second
// of copying at worst.
func maxEntityWork(n int) int { return 1024*n + 64<<20 }
