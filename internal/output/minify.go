package output

import (
	"bytes"
	"fmt"
	"path"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// Minifier minifies output files by type. Safe for concurrent use; a nil
// *Minifier leaves files as they are (-minify=false).
type Minifier struct{ m *minify.M }

// NewMinifier returns a Minifier for HTML, CSS, JS, SVG, XML and JSON.
func NewMinifier() *Minifier {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepSpecialComments: false, KeepQuotes: false})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$`), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), xml.Minify)
	return &Minifier{m: m}
}

var mediaTypes = map[string]string{
	".html": "text/html", ".css": "text/css", ".js": "application/javascript", ".svg": "image/svg+xml",
	".xml": "application/xml", ".json": "application/json", ".webmanifest": "application/json",
}

// Minify returns the minified bytes of a file named p; files of other types are
// returned unchanged.
func (mf *Minifier) Minify(p string, data []byte) ([]byte, error) {
	if mf == nil {
		return data, nil
	}
	mt, ok := mediaTypes[path.Ext(p)]
	if !ok {
		return data, nil
	}
	var b bytes.Buffer
	b.Grow(len(data))
	if err := mf.m.Minify(mt, &b, bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("minify %s: %w", p, err)
	}
	return b.Bytes(), nil
}
