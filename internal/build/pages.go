package build

import (
	"context"
	"errors"
	"sync/atomic"

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
	deps     *render.Deps
	depsKey  viewkey.Key
	links    []string
	linksKey viewkey.Key
	file     *output.File
}

// render renders the pages whose view or lists changed since the last build
// and reuses the others' files. It returns the files in page order and how
// many pages it rendered.
func (b *Builder) render(ctx context.Context, prev, next *state, pages []*render.Page, lists *render.Lists, global viewkey.Key) ([]*output.File, int, error) {
	done := make([]*page, len(pages))
	// A page's preview cards are looked up again only when it links to a
	// card that changed.
	changed, comparable := next.cards.Changed(prev.cards)
	errs := make([]error, len(pages))
	var rendered, finished atomic.Int64
	b.progress("render", 0, len(pages))
	sink := b.opts.Sink
	// A template's problems are the page's (errs); a failed write ends
	// the step (EachErr's error).
	err := workpool.EachErr(ctx, len(pages), func(i int) error {
		defer func() { b.progress("render", int(finished.Add(1)), len(pages)) }()
		p := pages[i]
		file := p.File()
		key := viewkey.New().Key(global).Key(p.Key()).Sum()
		if pp := prev.pages[file]; pp != nil && pp.key == key && lists.DepsKey(pp.deps) == pp.depsKey && next.cards.Holds(pp.links, pp.linksKey, changed, comparable) {
			done[i] = pp
			return nil
		}
		html, deps, err := next.tmpl.Render(p, lists)
		var links []string
		if err == nil {
			// The previews of the pages it links to, found in what it rendered.
			html, links = next.cards.Add(html, urls.Under(lists.BasePath, p.Path))
			html, err = b.mf.Minify(file, html)
		}
		if err != nil {
			errs[i] = err
			return nil
		}
		rendered.Add(1)
		if sink != nil {
			// Streamed: written now, kept nowhere (Options.Sink). No
			// ETag: only the preview serves files from memory.
			return sink.Put(&output.File{Path: file, Data: html})
		}
		done[i] = &page{key: key, deps: deps, depsKey: lists.DepsKey(deps), links: links, linksKey: next.cards.Key(links), file: output.NewFile(file, html)}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, 0, diag.From(err, "templates")
	}
	next.pages = make(map[string]*page, len(pages)+8)
	files := make([]*output.File, 0, len(pages))
	for _, p := range done {
		if p == nil {
			continue // streamed
		}
		next.pages[p.file.Path] = p
		files = append(files, p.file)
	}
	return files, int(rendered.Load()), nil
}
