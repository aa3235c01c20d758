// Package render turns the site graph into HTML pages with html/template. The
// default templates are embedded in the binary; a project's own templates/
// folder overrides them file by file, so an editor can restyle one page
// without rebuilding dossier.
package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/site"
)

// base is the layout every page template is parsed into; partials holds the
// shared fragments.
const (
	base     = "base.html"
	partials = "partials.html"
)

// Page is what every template receives.
type Page struct {
	Site        *site.Site
	Kind        string // home, article, topic, topics, entity, entities, outlet, outlets, claim, claims, timeline, 404
	Path        string // site-relative path of the page ("" for home, "articles/x/")
	Title       string
	Description string
	OGType      string // website | article
	Data        any    // the page's subject: *site.Article, *site.Topic, ...
	JSONLD      any    // structured data, marshalled by html/template into the ld+json script
	NoIndex     bool

	out string // output file, computed once by Pages
}

// Renderer holds parsed templates. Safe for concurrent use.
type Renderer struct {
	pages  map[string]*template.Template
	assets func(string) string
	// Sources is the name -> origin ("default" or a project file path) of every template used.
	Sources map[string]string
	// Hash identifies the template set, for cache keys.
	Hash string
}

// Load reads the embedded defaults (files under templates/ in defaults) and
// the project's templates/ folder (may be absent), project files winning.
// asset maps a static file name ("style.css") to its URL path ("static/style.1a2b3c.css").
func Load(defaults fs.FS, projectRoot string, asset func(string) string) (*Renderer, error) {
	files := map[string][]byte{}
	sources := map[string]string{}
	entries, err := fs.ReadDir(defaults, "templates")
	if err != nil {
		return nil, fmt.Errorf("embedded templates: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".html") {
			continue
		}
		b, err := fs.ReadFile(defaults, "templates/"+e.Name())
		if err != nil {
			return nil, err
		}
		files[e.Name()] = b
		sources[e.Name()] = "default"
	}
	if projectRoot != "" {
		dir := filepath.Join(projectRoot, "templates")
		pes, err := os.ReadDir(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("templates: %w", err)
		}
		for _, e := range pes {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".html") || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				return nil, err
			}
			files[e.Name()] = b
			sources[e.Name()] = "templates/" + e.Name()
		}
	}
	r := &Renderer{pages: map[string]*template.Template{}, assets: asset, Sources: sources}
	for _, need := range []string{base, partials} {
		if _, ok := files[need]; !ok {
			return nil, fmt.Errorf("template %s is missing", need)
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := newHasher()
	for _, n := range names {
		h.add(n, string(files[n]))
		if n == base || n == partials {
			continue
		}
		// Each page template gets its own set (layout, partials, page), since
		// every page defines the same "main" block.
		// (Parse the layout into t itself: html/template's New with the
		// set's own name would reset the set and drop its functions.)
		t := template.New(base).Funcs(r.funcs())
		if _, err := t.Parse(string(files[base])); err != nil {
			return nil, templateErr(sources[base], err)
		}
		for _, part := range []string{partials, n} {
			if _, err := t.New(part).Parse(string(files[part])); err != nil {
				return nil, templateErr(sources[part], err)
			}
		}
		r.pages[strings.TrimSuffix(n, ".html")] = t
	}
	r.Hash = h.sum()
	return r, nil
}

func templateErr(file string, err error) error {
	// html/template errors read "template: name:LINE: msg"; keep the line.
	msg := err.Error()
	line := 0
	if i := strings.Index(msg, ".html:"); i >= 0 {
		rest := msg[i+6:]
		if _, e := fmt.Sscanf(rest, "%d", &line); e == nil {
			if j := strings.Index(rest, ": "); j >= 0 {
				msg = rest[j+2:]
			}
		}
	}
	return diag.List{diag.Errorf(file, line, "template: %s", msg)}
}

// Has reports whether a page template exists.
func (r *Renderer) Has(kind string) bool { _, ok := r.pages[kind]; return ok }

// Render executes the template for p.Kind.
func (r *Renderer) Render(p *Page) ([]byte, error) {
	t, ok := r.pages[p.Kind]
	if !ok {
		return nil, fmt.Errorf("no template %s.html", p.Kind)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, base, p); err != nil {
		return nil, fmt.Errorf("render %s (template %s): %w", p.Path, r.Sources[p.Kind+".html"], err)
	}
	return b.Bytes(), nil
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		// url makes a site-relative path absolute-path under the base URL's path.
		"url": func(s *site.Site, p string) string { return s.BasePath + strings.TrimPrefix(p, "/") },
		// abs makes a full URL, for canonical links, feeds and Open Graph.
		"abs": func(s *site.Site, p string) string { return s.BaseURL + strings.TrimPrefix(p, "/") },
		// navurl resolves a nav entry: site-relative unless it is a full URL.
		"navurl": func(s *site.Site, u string) string {
			if strings.Contains(u, "://") || strings.HasPrefix(u, "mailto:") {
				return u
			}
			return s.BasePath + strings.TrimPrefix(u, "/")
		},
		"asset": func(s *site.Site, name string) string { return s.BasePath + r.assets(name) },
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return fmt.Sprintf("%d %s", n, one)
			}
			return fmt.Sprintf("%d %s", n, many)
		},
		"add":  func(a, b int) int { return a + b },
		"list": func(xs ...string) []string { return xs },
		"pagerArgs": func(s *site.Site, p Pager) map[string]any {
			return map[string]any{"Site": s, "Pager": p}
		},
		"byKind": func(s *site.Site, kind string) []*site.Entity {
			var out []*site.Entity
			for _, e := range s.Entities {
				if e.Kind == kind {
					out = append(out, e)
				}
			}
			return out
		},
		"first": func(n int, xs []*site.Article) []*site.Article { return xs[:min(n, len(xs))] },
		"base":  path.Base,
		"lower": strings.ToLower,
		"title": func(s string) string {
			if s == "" {
				return s
			}
			return strings.ToUpper(s[:1]) + s[1:]
		},
	}
}
