// Package build runs the pipeline:
//
//	load → templates → articles (markdown, annotate) → documents → assemble →
//	pages (views) → render → generated files → site
//
// Each step is a call into its own package; this package holds the order, the
// problems of every step, and what one build lends the next. A Builder keeps
// the last successful build's results, all immutable, and a rebuild reuses
// what its inputs show unchanged: an article body while its file and
// everything it was rendered against (recorded as it rendered) are the same,
// a page while the view its template receives and the site-wide lists its
// template read have the same keys. Nothing is carried over by a hand-kept
// list of what a page shows, and nothing of the previous build is modified.
package build

import (
	"context"
	"html/template"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dossier-news/dossier"
	"github.com/dossier-news/dossier/internal/bufpool"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/markdown"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/preview"
	"github.com/dossier-news/dossier/internal/render"
	"github.com/dossier-news/dossier/internal/search"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/viewkey"
	"github.com/dossier-news/dossier/internal/workpool"
)

// Version is folded into every cache key, so a new dossier never reuses pages
// rendered by an old one.
const Version = "dossier-0.2"

// Options configure a Builder.
type Options struct {
	Root    string // project folder holding content/, templates/, static/
	BaseURL string // overrides dossier.yaml's baseURL when set
	Minify  bool
	// Origin, when set and BaseURL is not, is where a preview serves the
	// site ("http://127.0.0.1:8080"): the site is built for it, under the
	// path of dossier.yaml's baseURL, so that canonical, Open Graph and feed
	// URLs point at the preview, not at the published site. See ServeAt.
	Origin string
	// Sink, when set, takes every output file as soon as it is made, and
	// the Builder keeps none of them (Result.Site is nil): `dossier build`
	// streams the site to disk so that its memory does not grow with the
	// size of the output. A Builder with a Sink keeps nothing between
	// builds either (every Build is a full build), and reads each
	// article's Markdown only when it renders it (content.LoadOptions.
	// LaterBodies), so that Result.Content has the articles without Body.
	Sink output.Sink
	// Progress, when set, is told how far the build is: called from any
	// goroutine, often, so it must be quick and safe for concurrent use.
	Progress func(Progress)
	// DeferSearch lets a rebuild keep the last build's search index, so that
	// the pages an edit changes are ready without waiting for the index
	// (at 10,000 articles one edit touches most of its postings); the
	// Result then says SearchPending, and RefreshSearch brings the index
	// up to date. The preview sets it (see DeferSearch); a first build,
	// and any build without it, makes the index at once.
	DeferSearch bool
	// NoSearch leaves the search index out: `dossier check`, which reads
	// the pages and no search file, and to which the index (a tenth of a
	// build's work) reports no problem.
	NoSearch bool
	// KeepGoing renders the pages of content with problems as far as it
	// can be (files that could not be read are left out), for `dossier
	// check` to check their links too; the build still fails, with every
	// problem. Only with a Sink that writes nothing.
	KeepGoing bool
}

// Progress is how far a build is: the step running and, for the steps that
// go through the pages or articles, how many of how many are done.
type Progress struct {
	Step        string
	Done, Total int
}

// Result is one build's outcome.
type Result struct {
	Content *content.Content // what was loaded (parts that failed to parse are left out)
	Site    *output.Site
	Graph   *site.Site  // the assembled graph, for `dossier check`
	Links   []PageLinks // Markdown links and images of every content file, for `dossier check`
	Pages   int         // HTML pages in the site
	Files   int         // files in the site, pages included
	// SearchPending says the site carries the search index of an earlier
	// build (Options.DeferSearch): call RefreshSearch.
	SearchPending bool
	Rendered      int           // pages rendered (not reused) in this build
	Duration      time.Duration // wall time of this build
	Steps         []Step        // the time of each step, in order
	// Templates is the time the page templates took, one entry per page
	// kind rendered in this build, the longest first (`dossier build
	// --timings`): what a project's own template costs, and which page
	// makes it slow.
	Templates []TemplateTime
	Warnings  diag.List
}

// Step is the time of one step of a build: wall time, and the process's
// CPU time during it (all its threads: the work of the step's workers, and
// of anything else the process runs meanwhile, as a preview's server), of
// which the garbage collector's. CPU is zero where the system does not
// report it.
type Step struct {
	Name     string
	Duration time.Duration
	CPU, GC  time.Duration
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
	last *state // the last successful build; never modified
	// pending lists the files changed since the last successful build (nil:
	// unknown), so that a build after a failed one still re-reads what the
	// failed one saw change.
	pending []string
	// slot is held by the running build (see cancel.go).
	slot chan struct{}
	prov originals // the articles' originals (provenance.go)
	// bufs lends the buffers pages are rendered into and article bodies
	// read into, so that a build does not grow a new one, from nothing,
	// for each (at 10,000 articles that growth was a tenth of everything
	// a build allocated).
	bufs bufpool.Buffers
}

// state is what one build lends the next. Immutable once built.
type state struct {
	content *content.Content
	// contentProblems are the load's problems (warnings: the build
	// succeeded), which an incremental load carries for the files it
	// does not check again (see validate).
	contentProblems diag.List
	tmpl            *render.Renderer
	assets          *output.Assets
	arts            *articleResults
	graph           *site.Site
	rendered        *rendered        // the pages, by position in views
	gen             map[string]*page // generated files (feed, sitemap...), by output file
	sitemap         *render.SitemapData
	views           *render.PageSet
	cards           *preview.Index // the popover previews' cards
	env             *env
	site            *output.Site
	search          *search.Index
	// searchFiles are search's output files; searchStale says they are
	// those of an earlier graph (Options.DeferSearch), to be brought up to
	// date by RefreshSearch.
	searchFiles []*output.File
	searchStale bool
}

// New returns a Builder.
func New(opts Options) *Builder {
	b := &Builder{opts: opts, md: markdown.New(), last: &state{}, slot: make(chan struct{}, 1)}
	if opts.Minify {
		b.mf = output.NewMinifier()
	}
	return b
}

// build is Build, run by it in a goroutine of its own (see cancel.go).
func (b *Builder) build(ctx context.Context, changed []string) (*Result, error) {
	start := time.Now()
	if b.pending == nil {
		changed = nil // unknown since the last success (or no success yet): read everything
	} else if changed != nil {
		// A path changed again since a failed build (or listed twice) is
		// one change: read once, or an article is checked against itself.
		changed = append(slices.Clone(b.pending), changed...)
		slices.Sort(changed)
		changed = slices.Compact(changed)
	}
	b.pending = changed // kept until a build succeeds
	prev := b.last      // always empty for a Builder with a Sink (see the end)
	next := &state{}
	res := &Result{}
	var problems diag.List
	mark, use := start, readUsage()
	step := func(name string) {
		var st Step
		st, use = use.since(name, mark)
		res.Steps = append(res.Steps, st)
		mark = mark.Add(st.Duration)
	}

	// Load: content/ into the data model.
	b.progress("load", 0, 0)
	c, ps, err := b.load(ctx, prev, changed)
	if err != nil {
		return nil, err
	}
	b.readOriginals(c, changed)
	problems.Merge(ps)
	next.content, next.contentProblems = c, ps
	res.Content = c
	step("load")

	// Templates and static files, again only when they may have changed.
	next.tmpl, next.assets, ps = b.templates(prev, changed)
	problems.Merge(ps)

	step("templates")
	baseURL, basePath, ps := b.base(c)
	if len(ps) > 0 && len(problems.Errors()) > 0 {
		// dossier.yaml's baseURL is wrong, and the content's validation
		// says so: go on to the later steps' problems under the root path.
		baseURL, basePath, ps = "http://localhost/", "/", nil
	}
	problems.Merge(ps)
	if len(problems.Errors()) > 0 && (next.tmpl == nil || basePath == "") {
		return res, finish(res, problems)
	}

	// Articles: Markdown and annotations, each reused while nothing it was
	// rendered against changed.
	b.progress("articles", 0, len(c.Articles))
	env := reuseEnv(prev, c, basePath, next.tmpl)
	next.env = env
	arts, ps := b.articles(ctx, prev, c, env, b.spill())
	problems.Merge(ps)
	problems.Merge(b.brokenArticles(ctx, c, env))
	if b.opts.Sink == nil {
		// Kept for the next build, which a streamed one does not have
		// (see the end): at 100,000 articles, tens of megabytes less to
		// hold and to scan at every collection.
		next.arts = &articleResults{list: arts, content: c}
	}
	bodies := make([]*site.Body, len(arts))
	nlinks := 0
	for _, a := range arts {
		nlinks += len(a.links)
	}
	res.Links = make([]PageLinks, 0, nlinks+len(c.Topics)+len(c.Entities)+len(c.Claims)+len(c.Timeline))
	for i, a := range arts {
		bodies[i] = a.body
		res.Links = append(res.Links, a.links...)
	}
	step("articles")

	// Documents: topic overviews, entity bios, claim notes, timeline notes.
	in, links, ps := b.documents(c, env)
	problems.Merge(ps)
	res.Links = append(res.Links, links...)
	step("documents")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(problems.Errors()) > 0 && !b.opts.KeepGoing {
		return res, finish(res, problems)
	}

	// Assemble the graph, sharing what the last one had unchanged.
	b.progress("assemble", 0, 0)
	in.Bodies, in.BaseURL, in.BasePath = bodies, baseURL, basePath
	next.graph = site.Assemble(c, in, prev.graph)
	step("assemble")

	// The search index (internal/search), from the graph; a preview's
	// rebuild may leave it for RefreshSearch. Streamed, it is made before
	// the pages, so that its working memory and the pages' views are
	// never held at once; a preview makes it after them, so that the
	// pages an edit changed are ready sooner.
	var index []*output.File
	searchStep := func() error {
		if b.opts.NoSearch {
			return nil
		}
		b.progress("search", 0, 0)
		if b.opts.DeferSearch && prev.search != nil && b.opts.Sink == nil {
			next.search, next.searchFiles, next.searchStale = prev.search, prev.searchFiles, true
			index = prev.searchFiles
		} else {
			var err error
			if index, err = b.searchIndex(ctx, prev, next); err != nil {
				return err
			}
		}
		step("search")
		return nil
	}
	if b.opts.Sink != nil {
		if err := searchStep(); err != nil {
			return nil, err
		}
	}

	// Pages: a view per page, rendered when its key or the lists its
	// template read changed.
	lists := render.NewLists(next.graph)
	next.views = render.Pages(next.graph, prev.views)
	next.cards = preview.NewIndex(next.graph, prev.cards)
	pages := next.views.Pages
	global := b.globalKey(next, lists)
	step("views")
	times := newTemplateTimes()
	files, rendered, err := b.render(ctx, prev, next, pages, lists, global, times)
	if err != nil {
		return nil, err
	}
	res.Templates = times.list()
	step("render")

	if b.opts.Sink == nil {
		if err := searchStep(); err != nil {
			return nil, err
		}
	}

	// Generated files: feed, sitemap, robots.txt...
	extra, made, err := b.generated(prev, next, global)
	if err != nil {
		return nil, err
	}
	extra = append(extra, index...)
	var out *output.Site
	if b.opts.Sink != nil {
		// The pages and search fragments went to the sink as they were
		// made; nothing of the output is kept (Options.Sink).
		step("generated")
		b.progress("write", 0, 0)
		if err := b.emit(ctx, extra, next.assets.Files); err != nil {
			return nil, err
		}
		step("write")
		res.Files = len(pages) + len(extra) + len(next.assets.Files)
		if next.search != nil {
			res.Files += next.search.Stats.Emitted
		}
	} else {
		out = siteOf(prev, next, basePath, files, extra, made, index)
		next.site = out
		res.Files = len(out.Files)
		step("generated")
	}
	if err := ctx.Err(); err != nil {
		return nil, err // a cancelled build changes nothing
	}
	if len(problems.Errors()) > 0 {
		// Options.KeepGoing: the pages were made for their links to be
		// checked, and the build fails, changing nothing it keeps.
		res.Graph, res.Pages, res.Rendered = next.graph, len(pages), rendered
		return res, finish(res, problems)
	}

	b.last = next
	b.pending = []string{}
	if b.opts.Sink != nil {
		// Nothing is kept between streamed builds (Options.Sink): the
		// next one starts from an empty state, a full build.
		b.last, b.pending = &state{}, nil
	}
	res.Site, res.Graph = out, next.graph
	res.Pages, res.Rendered = len(pages), rendered
	res.SearchPending = next.searchStale
	res.Warnings = problems.Warnings()
	res.Duration = time.Since(start)
	return res, nil
}

// siteOf returns the site of a build held in memory: pages, generated
// files (made: those made anew), search index files and assets. When the
// last build had the same files, its site is copied and only what was made
// anew is put in: the same map, without inserting every file again.
func siteOf(prev, next *state, basePath string, pages, extra, made, index []*output.File) *output.Site {
	same := prev.site != nil && prev.site.BasePath == basePath && next.rendered.sameFiles &&
		next.assets == prev.assets && len(next.gen) == len(prev.gen) && sameSlice(index, prev.searchFiles)
	for _, f := range made {
		same = same && prev.gen[f.Path] != nil
	}
	if same {
		out := &output.Site{BasePath: basePath, Files: maps.Clone(prev.site.Files)}
		for i, f := range pages {
			if next.rendered.fresh[i] {
				out.Files[f.Path] = f
			}
		}
		for _, f := range made {
			out.Files[f.Path] = f
		}
		return out
	}
	out := &output.Site{BasePath: basePath, Files: make(map[string]*output.File, len(pages)+len(extra)+len(next.assets.Files))}
	for _, lists := range [][]*output.File{pages, extra, next.assets.Files} {
		for _, f := range lists {
			out.Files[f.Path] = f
		}
	}
	return out
}

// sameSlice reports whether a and b are the same slice (not only equal).
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// spill is where a streamed build keeps its articles' text (site.Spill):
// nil, the heap, for a preview, which keeps its bodies from one build to the
// next, and when no temporary file can be made (the text then stays in
// memory, as in a preview).
func (b *Builder) spill() *site.Spill {
	if b.opts.Sink == nil {
		return nil
	}
	s, err := site.NewSpill("")
	if err != nil {
		return nil
	}
	return s
}

// emit gives files to the sink, on every core (the minified assets and
// generated files are made already; writing is the sink's).
func (b *Builder) emit(ctx context.Context, lists ...[]*output.File) error {
	var all []*output.File
	for _, l := range lists {
		all = append(all, l...)
	}
	return workpool.EachErr(ctx, len(all), func(i int) error { return b.opts.Sink.Put(all[i]) })
}

// progress tells Options.Progress, if set, how far the build is.
func (b *Builder) progress(step string, done, total int) {
	if b.opts.Progress != nil {
		b.opts.Progress(Progress{Step: step, Done: done, Total: total})
	}
}

// finish sorts a failed build's problems into the Result and returns the errors.
func finish(res *Result, problems diag.List) error {
	problems.Sort()
	res.Warnings = problems.Warnings()
	return problems.Errors()
}

// templates returns the templates and static files, reloaded when a file
// under templates/ or static/ may have changed.
func (b *Builder) templates(prev *state, changed []string) (*render.Renderer, *output.Assets, diag.List) {
	if prev.tmpl != nil && prev.assets != nil && !touches(changed, "templates/", "static/") {
		return prev.tmpl, prev.assets, nil
	}
	// The problems of both are listed at once: the templates are loaded
	// even when a static file is wrong (their asset links then name the
	// files unfingerprinted, and nothing is rendered).
	var ps diag.List
	assets, err := output.LoadAssets(dossier.Defaults, b.opts.Root, map[string][]byte{"chroma.css": markdown.HighlightCSS()}, b.mf)
	assetPath := func(name string) string { return "static/" + name }
	if err != nil {
		ps.Merge(diag.From(err, "static"))
	} else {
		assetPath = assets.Path
	}
	tmpl, err := render.Load(dossier.Defaults, b.opts.Root, assetPath)
	if err != nil {
		ps.Merge(diag.From(err, "templates"))
	}
	if len(ps) > 0 {
		return nil, nil, ps
	}
	return tmpl, assets, nil
}

// touches reports whether changed is unknown (nil) or names a file under one of prefixes.
func touches(changed []string, prefixes ...string) bool {
	if changed == nil {
		return true
	}
	for _, c := range changed {
		for _, p := range prefixes {
			if len(c) >= len(p) && c[:len(p)] == p {
				return true
			}
		}
	}
	return false
}

// DeferSearch turns Options.DeferSearch on from the next build on.
func (b *Builder) DeferSearch() { b.opts.DeferSearch = true }

// RefreshSearch brings the last build's search index up to date when that
// build deferred it (Options.DeferSearch), and returns the site with the new
// index; a nil Result means there was nothing to do. Like Build, it waits
// for a running build and gives up when ctx is done, keeping the state.
func (b *Builder) RefreshSearch(ctx context.Context) (*Result, error) {
	select {
	case b.slot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-b.slot }()
	cur := b.last
	if !cur.searchStale || cur.site == nil {
		return nil, nil
	}
	start, use := time.Now(), readUsage()
	next := *cur // the state is immutable: a copy with the new index
	index, err := b.searchIndex(ctx, cur, &next)
	if err != nil {
		return nil, err
	}
	next.searchStale = false
	out := &output.Site{BasePath: cur.site.BasePath, Files: maps.Clone(cur.site.Files)}
	for _, f := range cur.searchFiles {
		delete(out.Files, f.Path)
	}
	for _, f := range index {
		out.Files[f.Path] = f
	}
	next.site = out
	b.last = &next
	searchStep, _ := use.since("search", start)
	return &Result{Content: next.content, Site: out, Graph: next.graph, Pages: len(next.views.Pages), Files: len(out.Files),
		Duration: time.Since(start), Steps: []Step{searchStep}}, nil
}

// ServeAt builds the site for a preview served at origin (scheme://host:port)
// from the next build on, unless Options.BaseURL is set (see Options.Origin).
func (b *Builder) ServeAt(origin string) { b.opts.Origin = origin }

// base returns the absolute base URL (with trailing slash) and its path.
func (b *Builder) base(c *content.Content) (string, string, diag.List) {
	raw := c.Config.BaseURL
	file, line := c.Config.File, c.Config.Lines["baseURL"]
	switch {
	case b.opts.BaseURL != "":
		raw, file, line = b.opts.BaseURL, "-base-url", 0
	case b.opts.Origin != "":
		// The preview's own address, with the published site's path (a
		// project site's /repo/), which links keep.
		p := "/"
		if _, bp, err := urls.Base(raw); err == nil {
			p = bp
		}
		raw, file, line = strings.TrimSuffix(b.opts.Origin, "/")+p, "-addr", 0
	}
	if err := content.CheckBaseURL(raw); err != nil {
		return "", "", diag.List{diag.Errorf(file, line, "base URL %v", err)}
	}
	u, p, err := urls.Base(raw)
	if err != nil {
		return "", "", diag.List{diag.Errorf(file, line, "%v", err)}
	}
	return u, p, nil
}

// globalKey covers what every page shows besides its view: the templates,
// static files, site settings, and this dossier's version.
func (b *Builder) globalKey(s *state, l *render.Lists) viewkey.Key {
	return viewkey.New().String(Version).Key(s.tmpl.Hash).String(s.assets.Hash).Value(b.opts.Minify).
		Value(l.Config).String(l.BaseURL).String(l.BasePath).Value([]bool{l.HasEntities, l.HasClaims, l.HasEvents}).Sum()
}

// documents renders the Markdown of topics, entities, claims and timeline
// events: few and small, rendered every build.
func (b *Builder) documents(c *content.Content, env *env) (site.Inputs, []PageLinks, diag.List) {
	in := site.Inputs{
		Overviews: make(map[string]template.HTML, len(c.Topics)),
		Bios:      make(map[string]template.HTML, len(c.Entities)),
		Claims:    make(map[string]template.HTML, len(c.Claims)),
	}
	var links []PageLinks
	var problems diag.List
	doc := func(into map[string]template.HTML, slug string, src content.Source, body []byte) {
		d, ps := b.md.Render(body, markdown.Options{File: src.File, BodyLine: src.BodyLine, Unsafe: c.Config.UnsafeHTML, Resolve: env.resolver(src.File, nil)})
		html, _ := env.linker.Link(d.HTML)
		into[slug] = template.HTML(html)
		links = append(links, PageLinks{File: src.File, Links: d.Links, Images: d.Images})
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
		h, ls, ps := b.inline(ev.Note, markdown.Options{File: c.TimelineFile, BodyLine: ev.TextLine("note"), Unsafe: c.Config.UnsafeHTML, Resolve: env.resolver(c.TimelineFile, nil)})
		in.Events = append(in.Events, h)
		links = append(links, ls)
		problems.Merge(ps)
	}
	// A broken timeline's notes, for their problems only (a link to no
	// content file), listed with the file's own as content.Validate lists
	// its events' references.
	for _, ev := range c.BrokenEvents {
		_, _, ps := b.inline(ev.Note, markdown.Options{File: c.TimelineFile, BodyLine: ev.TextLine("note"), Unsafe: c.Config.UnsafeHTML, Resolve: env.resolver(c.TimelineFile, nil)})
		for _, p := range ps {
			if !c.TimelineUnreadLine(p.Line) {
				problems = append(problems, p)
			}
		}
	}
	return in, links, problems
}

// inline renders a short Markdown note (annotation, editor's note, event)
// and returns its links, for `dossier check`.
func (b *Builder) inline(src string, opts markdown.Options) (template.HTML, PageLinks, diag.List) {
	h, doc, ps := b.md.Inline(src, opts)
	return h, PageLinks{File: opts.File, Links: doc.Links, Images: doc.Images}, ps
}
