// Package build runs the pipeline: load → markdown → annotate → site → render →
// output. A Builder keeps the results of the previous build so that a rebuild
// after an edit re-renders only what the edit affects: article bodies are
// cached by file hash, and every page has a key made of exactly the inputs it
// shows; a page whose key did not change keeps its previous bytes.
package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"hash/maphash"
	"html/template"
	"maps"
	"net/url"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dossier-news/dossier"
	"github.com/dossier-news/dossier/internal/annotate"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/markdown"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/render"
	"github.com/dossier-news/dossier/internal/site"
)

// Version is folded into every cache key, so a new dossier never reuses pages
// rendered by an old one.
const Version = "dossier-0.1"

// Options configure a Builder.
type Options struct {
	Root    string // project folder holding content/, templates/, static/
	BaseURL string // overrides dossier.yaml's baseURL when set
	Minify  bool
}

// Result is one build's outcome.
type Result struct {
	Site     *output.Site
	Graph    *site.Site    // the assembled graph, for `dossier check`
	Links    []PageLinks   // Markdown links and images of every content file, for `dossier check`
	Pages    int           // HTML pages in the site
	Rendered int           // pages rendered (not reused) in this build
	Duration time.Duration // wall time of this build
	Warnings diag.List
}

// PageLinks are the links and images written in one content file.
type PageLinks struct {
	File   string
	Links  []markdown.Link
	Images []markdown.Image
}

// Builder builds a project, reusing work between builds. Not safe for
// concurrent Build calls.
type Builder struct {
	opts Options
	md   *markdown.Renderer
	mf   *output.Minifier

	content  *content.Content
	tmpl     *render.Renderer
	assets   *output.Assets
	bodies   map[string]*cachedBody // by article slug
	pages    map[string]cachedPage  // by output path
	lastSite *output.Site
	meta     map[string]string // article file hash -> site.MetaHash
	graph    *site.Site        // the last successful build's graph, patched by body-only edits
	pageList []*render.Page
	global   string
	envKey   string
	env      *env
	// searchShards lists the slugs of each search index shard, newest first.
	searchShards [][]string
}

type cachedBody struct {
	hash     string // the article file's hash
	env      string // the env key it was rendered against
	slugHash uint32 // FNV-1a of the slug: picks the search shard, stable across runs
	body     *site.Body
	search   []byte // this article's entry of search.json
	links    PageLinks
	problems diag.List
}

type cachedPage struct {
	key  string
	file *output.File
}

// New returns a Builder.
func New(opts Options) *Builder {
	b := &Builder{opts: opts, md: markdown.New(), bodies: map[string]*cachedBody{}, pages: map[string]cachedPage{}, meta: map[string]string{}}
	if opts.Minify {
		b.mf = output.NewMinifier()
	}
	return b
}

// Build builds the site. changed lists the files (relative to Root,
// slash-separated) changed since the previous Build, or nil for unknown; it is a
// hint, never needed for correctness. On failure the error is a diag.List naming
// file and line of every problem, and the Builder keeps its previous state.
func (b *Builder) Build(ctx context.Context, changed []string) (*Result, error) {
	start := time.Now()
	res := &Result{}

	c, warnings, loadErrs, err := b.load(ctx, changed)
	if err != nil {
		return nil, err
	}
	// Content errors fail the build, but only after the Markdown and
	// annotation stages have run on what did load: all problems at once.
	problems := loadErrs

	if b.tmpl == nil || b.assets == nil || touches(changed, "templates/", "static/") {
		assets, err := output.LoadAssets(dossier.Defaults, b.opts.Root, map[string][]byte{"chroma.css": markdown.HighlightCSS()}, b.mf)
		if err != nil {
			return nil, diag.From(err, "static")
		}
		tmpl, err := render.Load(dossier.Defaults, b.opts.Root, func(name string) string { return assets.Path(name) })
		if err != nil {
			return nil, diag.From(err, "templates")
		}
		b.assets, b.tmpl = assets, tmpl
	}

	baseURL, basePath, err := b.base(c)
	if err != nil {
		if len(loadErrs) == 0 {
			return nil, err
		}
		// dossier.yaml's baseURL is wrong, and content.Validate says so:
		// go on to the later stages' problems under the root path.
		baseURL, basePath = "http://localhost/", "/"
	}

	// Article bodies, in parallel, cached by file hash and the environment
	// (entities, claims, slugs) they are rendered against.
	// The environment is a function of the global state (entities, slugs,
	// claims, base URL, config), so an unchanged global key reuses it.
	global := b.globalKey(c)
	env := b.env
	if env == nil || global != b.global {
		env = newEnv(c, basePath)
	}
	bodies := make([]*cachedBody, len(c.Articles))
	parallel(len(c.Articles), func(i int) {
		a := c.Articles[i]
		if cb := b.bodies[a.Slug]; cb != nil && cb.hash == a.Hash && cb.env == env.key {
			bodies[i] = cb
			return
		}
		cb := b.renderArticle(a, c, env)
		cb.hash, cb.env = a.Hash, env.key
		f := fnv.New32a()
		f.Write([]byte(a.Slug))
		cb.slugHash = f.Sum32()
		bodies[i] = cb
	})
	in := site.Inputs{
		Overviews: map[string]template.HTML{},
		Bios:      map[string]template.HTML{},
		Claims:    map[string]template.HTML{},
		BaseURL:   baseURL,
		BasePath:  basePath,
		MetaCache: b.meta,
	}
	newBodies := make(map[string]*cachedBody, len(c.Articles))
	res.Links = make([]PageLinks, 0, len(c.Articles)+len(c.Topics)+len(c.Entities)+len(c.Claims))
	for i, a := range c.Articles {
		cb := bodies[i]
		newBodies[a.Slug] = cb
		problems.Merge(cb.problems)
		res.Links = append(res.Links, cb.links)
	}
	// Topic overviews, entity bios and claim notes: few and small, rendered
	// every build.
	doc := func(into map[string]template.HTML, slug string, src content.Source, body []byte) {
		h, links, ps := b.renderDoc(src, body, c, env)
		into[slug] = h
		res.Links = append(res.Links, links)
		problems.Merge(ps)
	}
	for _, t := range c.Topics {
		doc(in.Overviews, t.Slug, t.Source, t.Body)
	}
	for _, e := range c.Entities {
		doc(in.Bios, e.Slug, e.Source, e.Body)
	}
	for _, cl := range c.Claims {
		doc(in.Claims, cl.Slug, cl.Source, cl.Body)
	}
	for _, ev := range c.Timeline {
		h, ps := b.md.Inline(ev.Note, markdown.Options{File: c.TimelineFile, BodyLine: ev.Line, Unsafe: c.Config.UnsafeHTML, Resolve: env.resolver(c.TimelineFile)})
		in.Events = append(in.Events, h)
		problems.Merge(ps)
	}
	for _, p := range problems {
		if p.Severity == diag.Warning {
			warnings.Add(p)
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// An edit that changed only article bodies patches the previous graph in
	// place; anything else assembles it again.
	var g *site.Site
	var changedSlugs map[string]bool
	var pages []*render.Page
	if b.graph != nil && global == b.global && env.key == b.envKey {
		patched := true
		changedSlugs = map[string]bool{}
		for i, a := range c.Articles {
			if prev := b.bodies[a.Slug]; prev != nil && prev == bodies[i] {
				continue
			}
			changedSlugs[a.Slug] = true
			if !b.graph.Patch(a, bodies[i].body) {
				patched = false
				break
			}
		}
		if patched {
			g, pages = b.graph, b.pageList
		} else {
			changedSlugs = nil
		}
	}
	if g == nil {
		in.Bodies = make(map[string]*site.Body, len(c.Articles))
		for i, a := range c.Articles {
			in.Bodies[a.Slug] = bodies[i].body
		}
		g = site.Assemble(c, in)
		pages = render.Pages(g)
	}
	// Until this build succeeds, the graph may be half patched: never reuse it.
	b.graph = nil
	type job struct {
		page *render.Page
		path string
		key  string
	}
	jobs := make([]job, len(pages))
	for i, p := range pages {
		path := render.File(p)
		// In a patched build the pages of untouched articles are known to be
		// unchanged: skip hashing their keys.
		if a, ok := p.Data.(*site.Article); ok && changedSlugs != nil && !changedSlugs[a.Slug] {
			if cp, ok := b.pages[path]; ok {
				jobs[i] = job{page: p, path: path, key: cp.key}
				continue
			}
		}
		jobs[i] = job{page: p, path: path, key: global + pageKey(p)}
	}
	files := make([]*output.File, len(jobs))
	errs := make([]error, len(jobs))
	var rendered sync.Map
	parallel(len(jobs), func(i int) {
		j := jobs[i]
		if cp, ok := b.pages[j.path]; ok && cp.key == j.key {
			files[i] = cp.file
			return
		}
		html, err := b.tmpl.Render(j.page)
		if err == nil {
			html, err = b.mf.Minify(j.path, html)
		}
		if err != nil {
			errs[i] = err
			return
		}
		files[i] = newFile(j.path, html)
		rendered.Store(i, true)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, diag.From(err, "templates")
	}

	out := &output.Site{BasePath: basePath}
	var newPages map[string]cachedPage
	if changedSlugs != nil && b.lastSite != nil {
		// A patched build has the same files as the last one: copy the maps
		// and replace the few pages that changed, instead of rebuilding
		// maps of every page.
		out.Files = maps.Clone(b.lastSite.Files)
		newPages = maps.Clone(b.pages)
		for i, f := range files {
			if cp := newPages[f.Path]; cp.file != f || cp.key != jobs[i].key {
				out.Files[f.Path] = f
				newPages[f.Path] = cachedPage{key: jobs[i].key, file: f}
			}
		}
	} else {
		out.Files = make(map[string]*output.File, len(files)+len(b.assets.Files)+8)
		newPages = make(map[string]cachedPage, len(files)+4)
		for i, f := range files {
			out.Files[f.Path] = f
			newPages[f.Path] = cachedPage{key: jobs[i].key, file: f}
		}
	}
	res.Pages = len(files)
	nRendered := 0
	rendered.Range(func(_, _ any) bool { nRendered++; return true })
	for _, f := range b.assets.Files {
		out.Files[f.Path] = f
	}
	// Feed, sitemap and friends: cheap enough to key on the global state plus
	// what they show.
	extras := []generated{
		{"feed.xml", global + feedKey(g), func() []byte { return render.Feed(g) }},
		{"sitemap.xml", global, func() []byte { return render.Sitemap(g, pages) }},
		{"robots.txt", global, func() []byte { return render.Robots(g) }},
		{".nojekyll", "static", func() []byte { return nil }},
	}
	sfiles, shardSlugs := b.searchFiles(g, newBodies, changedSlugs)
	extras = append(extras, sfiles...)
	if c.Config.CNAME != "" {
		extras = append(extras, generated{"CNAME", global, func() []byte { return []byte(c.Config.CNAME + "\n") }})
	}
	for _, x := range extras {
		// An empty key means "always regenerate" (search.json is joined from
		// cached per-article entries, cheaper than any key would be).
		if cp, ok := b.pages[x.path]; ok && x.key != "" && cp.key == x.key {
			out.Files[x.path] = cp.file
			newPages[x.path] = cp
			continue
		}
		data := x.make()
		if path.Ext(x.path) != ".json" { // search index: already compact JSON
			if data, err = b.mf.Minify(x.path, data); err != nil {
				return nil, diag.From(err, x.path)
			}
		}
		f := newFile(x.path, data)
		out.Files[x.path] = f
		newPages[x.path] = cachedPage{key: x.key, file: f}
	}

	// Commit the new state only now that the build has succeeded.
	b.graph, b.pageList, b.global, b.envKey, b.env = g, pages, global, env.key, env
	b.searchShards = shardSlugs
	b.content = c
	b.bodies = newBodies
	b.pages = newPages
	b.lastSite = out
	res.Site = out
	res.Graph = g
	res.Rendered = nRendered
	res.Warnings = warnings
	res.Duration = time.Since(start)
	return res, nil
}

func newFile(p string, data []byte) *output.File {
	sum := sha256.Sum256(data)
	return &output.File{Path: p, Data: data, ETag: `"` + hex.EncodeToString(sum[:10]) + `"`}
}

// touches reports whether changed is unknown (nil) or names a file under one of prefixes.
func touches(changed []string, prefixes ...string) bool {
	if changed == nil {
		return true
	}
	for _, c := range changed {
		for _, p := range prefixes {
			if strings.HasPrefix(c, p) {
				return true
			}
		}
	}
	return false
}

// base returns the absolute base URL (with trailing slash) and its path.
func (b *Builder) base(c *content.Content) (string, string, error) {
	raw := c.Config.BaseURL
	file, line := c.Config.File, c.Config.Lines["baseURL"]
	if b.opts.BaseURL != "" {
		raw, file, line = b.opts.BaseURL, "-base-url", 0
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", diag.List{diag.Errorf(file, line, "base URL %q must be a full URL such as https://owner.github.io/repo/", raw)}
	}
	u.RawQuery, u.Fragment = "", ""
	p := u.EscapedPath()
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	u.RawPath = ""
	u.Path = ""
	return strings.TrimSuffix(u.String(), "/") + p, p, nil
}

// parallel runs f(0..n-1) on GOMAXPROCS workers.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

// keySeed seeds the cache-key hash. Keys are compared only within one
// process, so a fast seeded hash (not a cryptographic one) is enough; the
// seed is set once and never changed.
var keySeed = maphash.MakeSeed()

type hasher struct{ h maphash.Hash }

func newHasher() *hasher {
	h := &hasher{}
	h.h.SetSeed(keySeed)
	return h
}

func (h *hasher) add(parts ...string) *hasher {
	for _, p := range parts {
		h.h.WriteString(p)
		h.h.WriteByte(0)
	}
	return h
}

func (h *hasher) sum() string { return strconv.FormatUint(h.h.Sum64(), 36) }

// globalKey covers everything shown on many pages: templates, assets, config,
// base URL, topics, entities, claims, timeline and every article's list
// metadata. Changing any of these re-renders every page; editing an article's
// body does not.
func (b *Builder) globalKey(c *content.Content) string {
	h := newHasher().add(Version, b.tmpl.Hash, b.assets.Hash, b.opts.BaseURL, fmt.Sprint(b.opts.Minify), fmt.Sprintf("%#v", c.Config))
	for _, t := range c.Topics {
		h.add(t.Hash)
	}
	for _, e := range c.Entities {
		h.add(e.Hash)
	}
	for _, cl := range c.Claims {
		h.add(cl.Hash)
	}
	for _, ev := range c.Timeline {
		h.add(fmt.Sprintf("%#v", *ev))
	}
	for _, a := range c.Articles {
		m, ok := b.meta[a.Hash]
		if !ok {
			m = site.MetaHash(a)
		}
		h.add(m)
	}
	return h.sum()
}

// pageKey covers what a page shows beyond the global state.
func pageKey(p *render.Page) string {
	h := newHasher().add(p.Kind, p.Path)
	switch d := p.Data.(type) {
	case *site.Article:
		h.add(d.Hash)
		for _, r := range d.Related {
			h.add(r.Slug)
		}
		for _, e := range d.Entities {
			h.add(e.Slug)
		}
	case *render.TopicPage:
		h.add(fmt.Sprint(d.Pager.Total))
		for _, ta := range d.Items {
			h.add(ta.Article.Hash)
		}
	case *render.OutletPage:
		h.add(fmt.Sprint(d.Pager.Total))
	case *render.EntityPage:
		h.add(fmt.Sprint(d.Pager.Total, len(d.Mentions)))
		for _, m := range d.Items {
			h.add(m.Article.Hash)
		}
	case *site.Claim:
		for _, e := range d.Evidence {
			h.add(e.Article.Hash)
		}
	}
	switch p.Kind {
	case "entities":
		for _, e := range p.Site.Entities {
			h.add(fmt.Sprint(len(e.Mentions)))
		}
	}
	return h.sum()
}

func feedKey(g *site.Site) string {
	h := newHasher()
	for _, a := range g.Articles[:min(render.FeedSize, len(g.Articles))] {
		h.add(a.Hash)
	}
	return h.sum()
}

// kindLabels are the reader-facing names of annotation kinds.
var kindLabels = map[string]string{"context": "Context", "correction": "Correction", "fact-check": "Fact check", "editorial": "Editorial"}

// renderArticle runs the Markdown and annotation stages on one article.
func (b *Builder) renderArticle(a *content.Article, c *content.Content, env *env) *cachedBody {
	cb := &cachedBody{links: PageLinks{File: a.File}}
	doc, ps := b.md.Render(a.Body, markdown.Options{File: a.File, BodyLine: a.BodyLine, Unsafe: c.Config.UnsafeHTML || a.RawHTML, Resolve: env.resolver(a.File), Anchors: true})
	cb.problems.Merge(ps)
	cb.links.Links, cb.links.Images = doc.Links, doc.Images
	notes := make([]annotate.Note, len(a.Annotations))
	for i, an := range a.Annotations {
		h, ps := b.md.Inline(an.Note, markdown.Options{File: a.File, BodyLine: an.Line, Unsafe: c.Config.UnsafeHTML || a.RawHTML, Resolve: env.resolver(a.File)})
		cb.problems.Merge(ps)
		h += env.alsoReported(a, an)
		notes[i] = annotate.Note{ID: noteID(i), Number: i + 1, Quote: an.Quote, Prefix: an.Prefix, Suffix: an.Suffix, Kind: an.Kind, Label: kindLabels[an.Kind], HTML: h, Line: an.Line}
	}
	html := doc.HTML
	var placements []annotate.Placement
	if len(notes) > 0 {
		out, pl, ps := annotate.Anchor(a.File, html, notes)
		// Number notes in reading order, whatever order the editor listed
		// them in (ids stay in front-matter order, so links to #a3 are stable).
		if renumber(out, notes) {
			out, pl, ps = annotate.Anchor(a.File, html, notes)
		}
		html, placements = out, pl
		cb.problems.Merge(ps)
	}
	html, mentions := env.linker.Link(html)
	body := &site.Body{HTML: template.HTML(html)}
	if a.EditorNote != "" {
		h, ps := b.md.Inline(a.EditorNote, markdown.Options{File: a.File, BodyLine: a.Line("editorNote"), Unsafe: c.Config.UnsafeHTML || a.RawHTML, Resolve: env.resolver(a.File)})
		cb.problems.Merge(ps)
		body.EditorNote = h
	}
	for _, p := range annotate.Paragraphs(html) {
		body.Paragraphs = append(body.Paragraphs, site.Paragraph{ID: p.ID, Text: p.Text})
		body.Words += len(strings.Fields(p.Text))
	}
	for _, m := range mentions {
		body.Mentions = append(body.Mentions, site.Mention{Entity: m.Slug, Paragraph: m.Paragraph, Sentence: m.Sentence})
	}
	byID := map[string]annotate.Placement{}
	for _, p := range placements {
		byID[p.ID] = p
	}
	for i, an := range a.Annotations {
		p, ok := byID[notes[i].ID]
		if !ok {
			continue
		}
		body.Notes = append(body.Notes, site.Note{Annotation: an, ID: notes[i].ID, Number: notes[i].Number, Label: notes[i].Label, Paragraph: p.Paragraph, Text: p.Text, Sentence: p.Sentence})
	}
	cb.body = body
	cb.search = searchEntry(env.basePath+"articles/"+a.Slug+"/", a.Title, "Article", a.Outlet, a.Date, a.Summary, body.Paragraphs)
	return cb
}

// searchTextMax bounds the body text each article puts in search.json, so
// the index stays small enough to download on a phone.
const searchTextMax = 1500

// searchEntry is one record of search.json (short keys keep the file small).
func searchEntry(u, title, kind, outlet string, date content.Date, summary string, ps []site.Paragraph) []byte {
	var text strings.Builder
	for _, p := range ps {
		if text.Len() >= searchTextMax {
			break
		}
		text.WriteString(p.Text)
		text.WriteByte(' ')
	}
	x := text.String()
	if len(x) > searchTextMax {
		x = strings.ToValidUTF8(x[:searchTextMax], "")
	}
	e := struct {
		T string `json:"t"`
		U string `json:"u"`
		K string `json:"k"`
		O string `json:"o,omitempty"`
		D string `json:"d,omitempty"`
		H string `json:"h,omitempty"`
		S string `json:"s,omitempty"`
		X string `json:"x,omitempty"`
	}{title, u, kind, outlet, date.String(), date.Human(), summary, strings.TrimSpace(x)}
	b, _ := json.Marshal(e) // plain strings: cannot fail
	return b
}

// searchShardSize is about how many articles one search index shard holds.
// Shards keep a rebuild cheap (only the changed article's shard is joined
// again) and let the browser fetch a big index in parallel.
const searchShardSize = 500

// generated is an output file made by code rather than a template: feed,
// sitemap, search index shards...
type generated struct {
	path string
	key  string // "" when it must always be regenerated
	make func() []byte
}

// searchFiles returns search.json (the manifest, with topic, entity and claim
// entries inline) and the article shards search/N.json. An article's shard
// is fixed by its slug's hash, so adding an article does not move the others.
func (b *Builder) searchFiles(g *site.Site, bodies map[string]*cachedBody, changed map[string]bool) ([]generated, [][]string) {
	n := max(1, (len(g.Articles)+searchShardSize-1)/searchShardSize)
	// shardSlugs lists each shard's articles in newest-first order. A patched
	// build keeps the previous lists (same articles, same order) and rehashes
	// only the shards holding a changed article.
	shardSlugs := b.searchShards
	var affected map[int]bool
	if changed != nil && len(shardSlugs) == n {
		affected = map[int]bool{}
		for slug := range changed {
			if cb := bodies[slug]; cb != nil {
				affected[int(cb.slugHash%uint32(n))] = true
			}
		}
	} else {
		shardSlugs = make([][]string, n)
		for _, a := range g.Articles {
			if cb := bodies[a.Slug]; cb != nil && cb.search != nil {
				i := int(cb.slugHash % uint32(n))
				shardSlugs[i] = append(shardSlugs[i], a.Slug)
			}
		}
	}
	shards := make([][]*cachedBody, n)
	keys := make([]string, n)
	for i := range shards {
		p := fmt.Sprintf("search/%d.json", i)
		if affected != nil && !affected[i] {
			if cp, ok := b.pages[p]; ok {
				keys[i] = cp.key
				continue
			}
		}
		h := newHasher().add("search", fmt.Sprint(n), g.BasePath)
		for _, slug := range shardSlugs[i] {
			cb := bodies[slug]
			shards[i] = append(shards[i], cb)
			h.h.WriteString(cb.hash)
		}
		keys[i] = h.sum()
	}
	join := func(entries [][]byte) []byte {
		size := 2
		for _, e := range entries {
			size += len(e) + 1
		}
		b := make([]byte, 0, size)
		b = append(b, '[')
		for i, e := range entries {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, e...)
		}
		return append(b, ']')
	}
	var files []generated
	var urls []string
	for i, shard := range shards {
		p := fmt.Sprintf("search/%d.json", i)
		urls = append(urls, g.BasePath+p)
		files = append(files, generated{p, keys[i], func() []byte {
			entries := make([][]byte, len(shard))
			for k, cb := range shard {
				entries[k] = cb.search
			}
			return join(entries)
		}})
	}
	files = append(files, generated{"search.json", "", func() []byte {
		var entries [][]byte
		for _, t := range g.Topics {
			entries = append(entries, searchEntry(g.BasePath+t.Path, t.Title, "Topic", "", content.Date{}, t.Summary, nil))
		}
		for _, e := range g.Entities {
			entries = append(entries, searchEntry(g.BasePath+e.Path, e.Name, strings.ToUpper(e.Kind[:1])+e.Kind[1:], "", content.Date{}, e.Role+" "+strings.Join(e.Aliases, " "), nil))
		}
		for _, c := range g.Claims {
			entries = append(entries, searchEntry(g.BasePath+c.Path, c.Title, "Claim", "", content.Date{}, c.Verdict, nil))
		}
		shardsJSON, _ := json.Marshal(urls)
		out := []byte(`{"shards":`)
		out = append(out, shardsJSON...)
		out = append(out, `,"entries":`...)
		out = append(out, join(entries)...)
		return append(out, '}')
	}})
	return files, shardSlugs
}

// renumber sets notes' Numbers to the order their marks appear in html and
// reports whether any changed.
func renumber(html []byte, notes []annotate.Note) bool {
	type at struct{ i, pos int }
	order := make([]at, 0, len(notes))
	for i, n := range notes {
		pos := bytes.Index(html, []byte(`id="`+n.ID+`"`))
		if pos < 0 {
			pos = len(html) + i // not anchored: keep it after the others
		}
		order = append(order, at{i, pos})
	}
	sort.SliceStable(order, func(x, y int) bool { return order[x].pos < order[y].pos })
	changed := false
	for k, o := range order {
		if notes[o.i].Number != k+1 {
			notes[o.i].Number = k + 1
			changed = true
		}
	}
	return changed
}

func noteID(i int) string { return fmt.Sprintf("a%d", i+1) }

// renderDoc renders a topic overview, entity bio or claim note.
func (b *Builder) renderDoc(src content.Source, body []byte, c *content.Content, env *env) (template.HTML, PageLinks, diag.List) {
	doc, ps := b.md.Render(body, markdown.Options{File: src.File, BodyLine: src.BodyLine, Unsafe: c.Config.UnsafeHTML, Resolve: env.resolver(src.File)})
	html, _ := env.linker.Link(doc.HTML)
	return template.HTML(html), PageLinks{File: src.File, Links: doc.Links, Images: doc.Images}, ps
}

// env is what article bodies are rendered against: the entity linker, the
// content files links may point to, and the claim evidence for "also
// reported by". Its key changes only when one of those does.
type env struct {
	key      string
	basePath string
	linker   *annotate.Linker
	files    map[string]string // "articles/x.md" -> "articles/x/"
	evidence map[string][]evidenceRef
}

type evidenceRef struct {
	slug, outlet, id string
}

func newEnv(c *content.Content, basePath string) *env {
	e := &env{basePath: basePath, files: map[string]string{}, evidence: map[string][]evidenceRef{}}
	h := newHasher().add(Version, basePath, fmt.Sprint(c.Config.UnsafeHTML))
	var ents []annotate.Entity
	for _, en := range c.Entities {
		ents = append(ents, annotate.Entity{Slug: en.Slug, URL: basePath + "entities/" + en.Slug + "/", Names: append([]string{en.Name}, en.Aliases...)})
		h.add("e", en.Slug, en.Name, strings.Join(en.Aliases, "\x01"))
		e.files["entities/"+en.Slug+".md"] = "entities/" + en.Slug + "/"
	}
	e.linker = annotate.NewLinker(ents)
	for _, t := range c.Topics {
		e.files["topics/"+t.Slug+".md"] = "topics/" + t.Slug + "/"
		h.add("t", t.Slug)
	}
	for _, cl := range c.Claims {
		e.files["claims/"+cl.Slug+".md"] = "claims/" + cl.Slug + "/"
		h.add("c", cl.Slug)
	}
	// A link to a file that exists but did not load is not a link to a
	// missing file: that file's own problems are reported.
	for _, key := range slices.Sorted(maps.Keys(c.Unloaded)) {
		e.files[key+".md"] = key + "/"
		h.add("u", key)
	}
	for _, a := range c.Articles {
		e.files["articles/"+a.Slug+".md"] = "articles/" + a.Slug + "/"
		h.add("a", a.Slug)
		for i, an := range a.Annotations {
			if an.Claim != "" {
				e.evidence[an.Claim] = append(e.evidence[an.Claim], evidenceRef{a.Slug, a.Outlet, noteID(i)})
				h.add("x", an.Claim, a.Slug, a.Outlet, noteID(i))
			}
		}
	}
	e.key = h.sum()
	return e
}

// alsoReported is the "also reported by" line of a claim annotation.
func (e *env) alsoReported(a *content.Article, an content.Annotation) template.HTML {
	if an.Claim == "" {
		return ""
	}
	var links []string
	for _, r := range e.evidence[an.Claim] {
		if r.slug == a.Slug {
			continue
		}
		links = append(links, fmt.Sprintf(`<a href="%s">%s</a>`, template.HTMLEscapeString(e.basePath+"articles/"+r.slug+"/#"+r.id), template.HTMLEscapeString(r.outlet)))
	}
	claimLink := fmt.Sprintf(`<a href="%s">compare the sources</a>`, template.HTMLEscapeString(e.basePath+"claims/"+an.Claim+"/"))
	if len(links) == 0 {
		return template.HTML(`<span class="also">` + claimLink + `</span>`)
	}
	return template.HTML(`<span class="also">Also reported by ` + strings.Join(links, ", ") + ` · ` + claimLink + `</span>`)
}

// resolver returns the link resolver for Markdown in file (relative to the
// project folder, e.g. "content/articles/x.md").
func (e *env) resolver(file string) markdown.LinkResolver {
	return markdown.ContentLinks(e.files, e.basePath, file)
}
