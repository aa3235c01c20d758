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
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/readfile"
	"github.com/dossier-news/dossier/internal/scratch"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/viewkey"
)

// MaxTemplateSize bounds a project template file: templates are a few
// kilobytes; anything near this is a mistake.
const MaxTemplateSize = 32 << 20

// base is the layout every page template is parsed into; partials holds the
// shared fragments.
const (
	base     = "base.html"
	partials = "partials.html"
)

// Renderer holds parsed templates. Safe for concurrent use.
type Renderer struct {
	pages  map[string]*template.Template
	notes  *template.Template // partials.html alone, for NoteHTML
	assets func(string) string
	files  map[string][]byte // the templates' sources, by name, for runaway
	// Sources is the name -> origin ("default" or a project file path) of every template used.
	Sources map[string]string
	// Hash identifies the template set, for cache keys.
	Hash viewkey.Key
	// NoteHash identifies the templates notes are rendered with
	// (partials.html), which article bodies depend on.
	NoteHash viewkey.Key
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
	// Every template's problem is listed at once, not the first only.
	var problems diag.List
	if projectRoot != "" {
		dir := filepath.Join(projectRoot, "templates")
		pes, err := os.ReadDir(dir)
		if st, serr := os.Stat(dir); serr == nil && !st.IsDir() {
			return nil, diag.List{diag.Errorf("templates", 0, "this is a file, not a folder: the project's own templates go in a folder templates/; rename or remove the file (without the folder, the default templates are used)")}
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, diag.List{diag.Errorf("templates/", 0, "cannot read: %v", err)}
		}
		for _, e := range pes {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".html") || scratch.Skipped(e.Name(), false) {
				continue
			}
			b, err := readfile.ReadUnder(projectRoot, filepath.Join(dir, e.Name()), MaxTemplateSize)
			if err != nil {
				problems.Add(diag.Errorf("templates/"+e.Name(), 0, "%v", err))
				continue
			}
			files[e.Name()] = b
			sources[e.Name()] = "templates/" + e.Name()
		}
	}
	r := &Renderer{pages: map[string]*template.Template{}, assets: asset, Sources: sources, files: files}
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
	h := viewkey.New()
	layoutFailed, partialsFailed := false, false
	for _, n := range names {
		h.String(n).String(string(files[n]))
		if n == base || n == partials {
			continue
		}
		// A problem in one file does not hide another's: each is parsed
		// (the layout's and partials' problems are listed once, though
		// they are parsed into every set).
		t, errs := parseSet(files, n, r.funcs())
		for _, part := range []string{base, partials, n} {
			err := errs[part]
			if err == nil || part == base && layoutFailed || part == partials && partialsFailed {
				continue
			}
			problems.Merge(templateErr(sources[part], err))
			layoutFailed = layoutFailed || part == base
			partialsFailed = partialsFailed || part == partials
		}
		if len(errs) > 0 {
			continue
		}
		kind := strings.TrimSuffix(n, ".html")
		// Parsed against funcs' placeholder; executed with this set's own.
		t.Funcs(template.FuncMap{"cached": r.cached(kind, t)})
		r.pages[kind] = t
	}
	if len(problems) > 0 {
		problems.Sort()
		return nil, problems
	}
	r.notes = template.New(partials).Funcs(r.funcs())
	if _, err := r.notes.Parse(string(files[partials])); err != nil {
		return nil, templateErr(sources[partials], err)
	}
	if r.notes.Lookup("note") == nil {
		return nil, diag.List{diag.Errorf(sources[partials], 0, "template \"note\" is missing: define the margin note markup with {{define \"note\"}}...{{end}} (copy it from dossier's default partials.html)")}
	}
	r.Hash = h.Sum()
	r.NoteHash = viewkey.Strings(string(files[partials]))
	return r, nil
}

// parseSet parses page template n's set: the layout, the partials and the
// page, each page template in a set of its own, since every page defines
// the same "main" block. (The layout is parsed into the set itself:
// html/template's New with the set's own name would reset the set and drop
// its functions.) It returns the parse error of each file that has one; a
// layout that does not parse is left out, so that the others are parsed.
func parseSet(files map[string][]byte, n string, funcs template.FuncMap) (*template.Template, map[string]error) {
	errs := map[string]error{}
	t := template.New(base).Funcs(funcs)
	if _, err := t.Parse(string(files[base])); err != nil {
		errs[base] = err
		t = template.New(base).Funcs(funcs)
	}
	for _, part := range []string{partials, n} {
		if _, err := t.New(part).Parse(string(files[part])); err != nil {
			errs[part] = err
		}
	}
	return t, errs
}

// parseSet parses page kind's template set again (see runaway).
func (r *Renderer) parseSet(kind string) (*template.Template, error) {
	t, errs := parseSet(r.files, kind+".html", r.funcs())
	for _, err := range errs {
		return nil, err
	}
	return t, nil
}

func templateErr(file string, err error) diag.List {
	_, line, msg := locate(err)
	return diag.List{diag.Errorf(file, line, "template: %s", msg)}
}

// engineErrorRE reads where the template engine places an error: the file
// a template was parsed from, the line and maybe the column. Parsing and
// executing say "template: NAME:LINE[:COL]: MSG", escaping (which
// html/template does on a template's first execution)
// "html/template:NAME:LINE[:COL]: MSG".
var engineErrorRE = regexp.MustCompile(`(?s)^(?:html/)?template: ?([^:]+):(\d+):(?:\d+:)? (.*)$`)

// locate returns the template file, line and message of an error of the
// template engine; an error it cannot place comes back whole, at line 0.
func locate(err error) (name string, line int, msg string) {
	msg = err.Error()
	if m := engineErrorRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[2])
		return m[1], line, m[3]
	}
	return "", 0, msg
}

// Has reports whether a page template exists.
func (r *Renderer) Has(kind string) bool { _, ok := r.pages[kind]; return ok }

// Render executes the template for p.Kind, writing the page to b. It
// returns the site-wide lists the template read.
func (r *Renderer) Render(b *bytes.Buffer, p *Page, l *Lists) (*Deps, error) {
	t, ok := r.pages[p.Kind]
	if !ok {
		return nil, fmt.Errorf("no template %s.html", p.Kind)
	}
	deps := &Deps{}
	bud := newBudget(l)
	if err := r.execute(t, limited{b, bud}, p, l, deps, bud); err != nil {
		if errors.Is(err, errTooBig) {
			return nil, r.runaway(p, l)
		}
		return nil, r.pageError(p, err)
	}
	return deps, nil
}

// execute executes p's template set t into w, with the lists l, recording
// the lists it reads in deps, within bud (its partials' too).
func (r *Renderer) execute(t *template.Template, w io.Writer, p *Page, l *Lists, deps *Deps, bud *budget) error {
	site := newSite(l, deps, bud)
	exec := func(data any) error { return t.ExecuteTemplate(w, base, newPageData(p, data, site)) }
	if a, ok := p.Data.(*ArticlePage); ok && a.Body != nil {
		var err error
		a.Body.ReadHTML(func(html template.HTML) {
			page := *a
			page.HTML = html
			err = exec(&page)
		})
		return err
	}
	return exec(p.Data)
}

// PageError is a template's failure on one page, located in the template
// file it happened in (the layout, the partials or the page's own), so that
// a build can report one mistake once however many pages it broke.
type PageError struct {
	Page string // the page's path: "articles/x/"
	File string // the template file: "templates/base.html"
	// Default says File is dossier's default, not the project's: the
	// failure comes from what the page shows.
	Default bool
	Line    int
	Msg     string // the engine's message, without its location (see locate)
	err     error
}

func (e *PageError) Error() string {
	return fmt.Sprintf("%s:%d: %s (rendering %s)", e.File, e.Line, e.Msg, e.Page)
}

func (e *PageError) Unwrap() error { return e.err }

// pageError locates err, an error of p's template set.
func (r *Renderer) pageError(p *Page, err error) *PageError {
	pe := r.placeError(err, p.Kind+".html")
	pe.Page = p.Path
	return pe
}

// placeError locates err, an error of the engine, in the template file it
// names, else in the file named fallback ("article.html").
func (r *Renderer) placeError(err error, fallback string) *PageError {
	name, line, msg := locate(err)
	if _, ok := r.Sources[name]; !ok {
		name = fallback
	}
	return &PageError{File: "templates/" + name, Default: r.Sources[name] == "default", Line: line, Msg: msg, err: err}
}

// partialKey names a memoised partial: a page kind's template set and the
// partial's name in it.
type partialKey struct {
	kind, name string
	item       any // the item of a partial of one item, nil for .Site's
}

// partial is a memoised partial's output, with the site-wide lists it read.
type partial struct {
	html template.HTML
	used uint32
}

// maxNestedPartials bounds how deep "cached" partials may show one another.
const maxNestedPartials = 16

// cached returns the "cached" template function of kind's template set t:
// {{cached "site-footer" .Site}} executes the template "site-footer" on
// .Site the first time a page of that kind asks, and gives the same HTML to
// every later page of the build. It is for the parts of the layout that are
// the same on every page (the footer, the stylesheet and script links): the
// template engine calls a function through reflection for every action, and
// those parts would cost as many calls per page. Hugo calls it
// partialCached.
//
// A partial of .Site can show only the site's settings and its lists: the
// settings are in every page's key, and the lists it reads are recorded as
// read by every page that shows it, so a page re-renders in the preview
// when what its partials show changes.
//
// {{cached "related-item" $.Site .}} is a partial of one item: it receives
// a Part (.Site, and .Item, the card), and is made once per card and build
// (Hugo's partialCached with a variant). It is for what many pages show of
// one card, such as a related article's link and date: each card is shown
// on about as many article pages as it has related articles. The card is
// in the key of every page showing it, so an edit of the card re-renders
// them, and the partial with them.
func (r *Renderer) cached(kind string, t *template.Template) func(string, Site, ...any) (template.HTML, error) {
	return func(name string, s Site, item ...any) (template.HTML, error) {
		key := partialKey{kind: kind, name: name}
		if len(item) > 1 {
			return "", fmt.Errorf("cached %q: one item at most, after .Site", name)
		}
		if len(item) == 1 {
			// The item is the key: the same card gives the same HTML.
			if item[0] == nil || !reflect.TypeOf(item[0]).Comparable() {
				return "", fmt.Errorf("cached %q: the item must be a card or another pointer (it keys the memo), not %T", name, item[0])
			}
			key.item = item[0]
			if v := reflect.ValueOf(item[0]); v.Kind() == reflect.String {
				// The memo outlives the page, whose strings may be lent
				// for its execution only (ArticlePage.HTML): it keeps a
				// copy, of the same type.
				c := reflect.New(v.Type()).Elem()
				c.SetString(strings.Clone(v.String()))
				key.item = c.Interface()
			}
		}
		if p, ok := s.Lists.partials.Load(key); ok {
			s.deps.add(p.(*partial).used)
			return p.(*partial).html, nil
		}
		if s.nested >= maxNestedPartials {
			return "", fmt.Errorf("cached %q: partials shown inside partials more than %d deep (does a partial show itself?)", name, maxNestedPartials)
		}
		deps := &Deps{}
		inner := newSite(s.Lists, deps, s.budget)
		inner.nested = s.nested + 1
		var data any = inner
		if key.item != nil {
			data = Part{Site: inner, Item: key.item}
		}
		var b bytes.Buffer
		if err := t.ExecuteTemplate(limited{&b, s.budget}, name, data); err != nil {
			return "", err
		}
		p := &partial{html: template.HTML(b.String()), used: deps.Used()}
		// Two pages may make it at once: the same bytes, either is kept.
		s.Lists.partials.LoadOrStore(key, p)
		s.deps.add(p.used)
		return p.html, nil
	}
}

// Part is what a partial of one item receives ({{cached "related-item"
// $.Site .}}): the site, and the item (a card) it shows.
type Part struct {
	Site Site
	Item any
}

// Note is what the "note" template (in partials.html) receives: one
// annotation's margin note, placed in the article text after its passage.
type Note struct {
	ID     string // the passage's id: "a3"
	Number int    // in reading order
	Kind   string // context | correction | fact-check | editorial
	Label  string // the kind, for readers
	HTML   template.HTML
	// Claim is the claim the passage is evidence for, if any, with the
	// other articles that report it.
	Claim *site.ClaimRef
	Also  []NoteSource
	// BasePath is the base URL's path, for links.
	BasePath string
}

// NoteSource is another article's passage on the same claim.
type NoteSource struct {
	Outlet string
	Path   string // page path with fragment: "articles/x/#a2"
}

// NoteHTML renders a margin note with the "note" template, within limit
// (PageLimit). Its error is a *PageError, of no page: the caller, which
// knows the article, names it.
func (r *Renderer) NoteHTML(n *Note, limit int64) (string, error) {
	var b bytes.Buffer
	if err := r.notes.ExecuteTemplate(limited{&b, &budget{limit: limit, left: limit}}, "note", n); err != nil {
		if errors.Is(err, errTooBig) {
			return "", r.noteRunaway(n, limit)
		}
		return "", r.placeError(err, partials)
	}
	return b.String(), nil
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		// url makes a site-relative path absolute-path under the base URL's path.
		"url": func(s Site, p string) string { return urls.Under(s.BasePath, p) },
		// abs makes a full URL, for canonical links, feeds and Open Graph.
		"abs": func(s Site, p string) string { return urls.Abs(s.BaseURL, p) },
		// navurl resolves a nav entry: site-relative unless it is a full URL.
		"navurl": func(s Site, u string) string { return urls.Nav(s.BasePath, u) },
		"asset":  func(s Site, name string) string { return urls.Under(s.BasePath, r.assets(name)) },
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
		"pagerArgs": func(s Site, p Pager) map[string]any {
			return map[string]any{"Site": s, "Pager": p}
		},
		"byKind": func(s Site, kind string) []*EntityCard {
			var out []*EntityCard
			for _, e := range s.Entities() {
				if e.Kind == kind {
					out = append(out, e)
				}
			}
			return out
		},
		"first": func(n int, xs []*site.ArticleCard) []*site.ArticleCard { return xs[:min(n, len(xs))] },
		"base":  path.Base,
		"lower": strings.ToLower,
		// cached NAME .Site: the template NAME executed on .Site, once per
		// build and page kind (see Renderer.cached); replaced per set in Load.
		"cached": func(string, Site, ...any) (template.HTML, error) { return "", errors.New("cached: outside a page") },
		// title capitalises the first letter (a rune, not a byte: "élan").
		"title": func(s string) string {
			r, n := utf8.DecodeRuneInString(s)
			if r == utf8.RuneError {
				return s
			}
			return string(unicode.ToTitle(r)) + s[n:]
		},
	}
}
