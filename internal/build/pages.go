package build

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/render"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/viewkey"
	"github.com/dossier-news/dossier/internal/workpool"
)

// page is a rendered page and what it was rendered from: the key of its
// view (with the global key), the site-wide lists its template read, with
// their keys then, and the targets of its links, with the key of their
// preview cards then.
type page struct {
	key      viewkey.Key
	used     uint32 // the lists read (render.Deps.Used)
	depsKey  viewkey.Key
	links    []string
	linksKey viewkey.Key
	file     *output.File
}

// rendered are one build's pages, in the order of its views (nil entries in
// a streamed build, which keeps none), with an index by output file shared
// with the builds whose pages have the same files in the same order.
type rendered struct {
	pages  []page // values, not pointers: a rebuild reads them all, in order
	global viewkey.Key
	byFile map[string]int32
	// sameFiles says the last build's pages have the same files, in the
	// same order (byFile is its); fresh marks the pages rendered anew.
	sameFiles bool
	fresh     []bool
}

// find returns what the last build made of the i-th page of this build's
// views: by position when the page is the one it had (its key then holds
// while the global key does), else by output file; nil when the page's key
// changed.
func (r *rendered) find(views *render.PageSet, i int, p *render.Page, global viewkey.Key) (*page, viewkey.Key) {
	if r != nil && r.global == global {
		if j := views.PrevIndex(i); j >= 0 && j < len(r.pages) && r.pages[j].file != nil {
			return &r.pages[j], r.pages[j].key
		}
	}
	key := viewkey.New().Key(global).Key(p.Key()).Sum()
	if r == nil {
		return nil, key
	}
	if j, ok := r.byFile[p.File()]; ok && r.pages[j].file != nil && r.pages[j].key == key {
		return &r.pages[j], key
	}
	return nil, key
}

// render renders the pages whose view or lists changed since the last build
// and reuses the others' files. It returns the files in page order and how
// many pages it rendered.
func (b *Builder) render(ctx context.Context, prev, next *state, pages []*render.Page, lists *render.Lists, global viewkey.Key, times *templateTimes) ([]*output.File, int, error) {
	var done []page
	var fresh []bool
	if b.opts.Sink == nil {
		done, fresh = make([]page, len(pages)), make([]bool, len(pages))
	}
	// A page's preview cards are looked up again only when it links to a
	// card that changed.
	changed, comparable := next.cards.Changed(prev.cards)
	errs := make([]error, len(pages))
	var made, finished atomic.Int64
	b.progress("render", 0, len(pages))
	sink := b.opts.Sink
	// A template's problems are the page's (errs); a failed write ends
	// the step (EachErr's error).
	err := workpool.EachErr(ctx, len(pages), func(i int) error {
		defer func() { b.progress("render", int(finished.Add(1)), len(pages)) }()
		p := pages[i]
		pp, key := prev.rendered.find(next.views, i, p, global)
		if pp != nil && done != nil && lists.DepsKey(pp.used) == pp.depsKey && next.cards.Holds(pp.links, pp.linksKey, changed, comparable) {
			done[i] = *pp
			return nil
		}
		file := p.File()
		buf := b.bufs.Get()
		defer b.bufs.Put(buf)
		began := time.Now()
		deps, err := next.tmpl.Render(buf, p, lists)
		times.add(p, time.Since(began))
		var html []byte
		var links []string
		// The page's bytes: a buffer of the pool when streamed, which the
		// sink's writer gives back once the page is on disk (File.Done);
		// a buffer of its own when kept.
		out := new(bytes.Buffer)
		if sink != nil {
			out = b.bufs.Get()
		}
		if err == nil {
			// The previews of the pages it links to, found in what it
			// rendered, written into the buffer.
			html, links = next.cards.Add(buf.Bytes(), urls.Under(lists.BasePath, p.Path))
			// The minifier reads its input in place when it has a spare
			// byte after it.
			var minified bool
			if minified, err = b.mf.MinifyInto(out, file, slices.Grow(html, 1)); err == nil && !minified {
				out.Write(html)
			}
			html = out.Bytes()
		}
		if err != nil {
			errs[i] = err
			return nil
		}
		made.Add(1)
		if sink != nil {
			// Streamed: written now, kept nowhere (Options.Sink). No
			// ETag: only the preview serves files from memory.
			return sink.Put(&output.File{Path: file, Data: html, Done: func() { b.bufs.Put(out) }})
		}
		used := deps.Used()
		fresh[i] = true
		done[i] = page{key: key, used: used, depsKey: lists.DepsKey(used), links: links, linksKey: next.cards.Key(links), file: output.NewFile(file, html)}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	if ps := templateProblems(errs); len(ps) > 0 {
		return nil, 0, ps
	}
	if sink != nil {
		return nil, int(made.Load()), nil
	}
	byFile := prev.rendered.filesOf(prev.views, next.views)
	next.rendered = &rendered{pages: done, global: global, byFile: byFile, sameFiles: byFile != nil, fresh: fresh}
	files := make([]*output.File, len(done))
	for i, p := range done {
		files[i] = p.file
	}
	if next.rendered.byFile == nil {
		next.rendered.byFile = make(map[string]int32, len(done))
		for i, p := range done {
			next.rendered.byFile[p.file.Path] = int32(i)
		}
	}
	return files, int(made.Load()), nil
}

// filesOf returns r's index by output file when next's pages have the
// same files as prev's, in the same order (an edit that adds or removes no
// page), else nil. Pages lent by prev at their own position have.
func (r *rendered) filesOf(prev, next *render.PageSet) map[string]int32 {
	if r == nil || prev == nil || len(prev.Pages) != len(next.Pages) || len(r.pages) != len(next.Pages) {
		return nil
	}
	for i, p := range next.Pages {
		if next.PrevIndex(i) != i && p.Path != prev.Pages[i].Path {
			return nil
		}
	}
	return r.byFile
}

// templateProblems reports the pages' template failures, each place once: a
// mistake in the layout breaks every page, and should read as one problem
// (with how many pages it broke), not as many as the dossier has pages.
func templateProblems(errs []error) diag.List {
	type group struct {
		e     *render.PageError
		pages []string
	}
	var groups []*group
	byPlace := map[string]*group{}
	var ps diag.List
	for _, err := range errs {
		var pe *render.PageError
		switch {
		case err == nil:
		case errors.As(err, &pe):
			key := pe.File + "\x00" + strconv.Itoa(pe.Line) + "\x00" + pe.Msg
			g := byPlace[key]
			if g == nil {
				g = &group{e: pe}
				byPlace[key] = g
				groups = append(groups, g)
			}
			g.pages = append(g.pages, pe.Page)
		default:
			ps = append(ps, diag.From(err, "templates")...)
		}
	}
	for _, g := range groups {
		msg := g.e.Msg
		if g.e.Default {
			msg += " (in dossier's default template: check what the page shows)"
		}
		const shown = 3
		names := make([]string, 0, shown)
		for _, p := range g.pages[:min(shown, len(g.pages))] {
			if p == "" {
				p = "the home page"
			}
			names = append(names, p)
		}
		switch n := len(g.pages); {
		case n == 1:
			msg += fmt.Sprintf(" (rendering %s)", names[0])
		case n <= shown:
			msg += fmt.Sprintf(" (rendering %d pages: %s)", n, strings.Join(names, ", "))
		default:
			msg += fmt.Sprintf(" (rendering %d pages: %s and %d more)", n, strings.Join(names, ", "), n-shown)
		}
		ps = append(ps, diag.Errorf(g.e.File, g.e.Line, "%s", msg))
	}
	return ps
}

// TemplateTime is the time one page kind's template took in a build: the
// pages of that kind it rendered, their total, and the slowest of them.
type TemplateTime struct {
	Kind    string // the page kind, whose template is templates/KIND.html
	Pages   int
	Total   time.Duration
	Slowest string // the slowest page's path: "articles/x/"
	Max     time.Duration
}

// templateTimes adds up the render workers' TemplateTimes.
type templateTimes struct {
	mu    sync.Mutex
	kinds map[string]*TemplateTime
}

func newTemplateTimes() *templateTimes { return &templateTimes{kinds: map[string]*TemplateTime{}} }

func (t *templateTimes) add(p *render.Page, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := t.kinds[p.Kind]
	if k == nil {
		k = &TemplateTime{Kind: p.Kind}
		t.kinds[p.Kind] = k
	}
	k.Pages++
	k.Total += d
	if d > k.Max || k.Slowest == "" {
		k.Max, k.Slowest = d, p.Path
	}
}

// list is the kinds' times, the longest total first (then by kind).
func (t *templateTimes) list() []TemplateTime {
	out := make([]TemplateTime, 0, len(t.kinds))
	for _, k := range t.kinds {
		out = append(out, *k)
	}
	slices.SortFunc(out, func(a, b TemplateTime) int {
		if c := cmp.Compare(b.Total, a.Total); c != 0 {
			return c
		}
		return strings.Compare(a.Kind, b.Kind)
	})
	return out
}
