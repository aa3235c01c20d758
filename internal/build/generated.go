package build

import (
	"path"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/render"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/viewkey"
)

// generatedFile is an output file made by code rather than a template:
// feed, sitemap, robots.txt, search index... Its key is the key of the data
// it is made from, as a page's is of its view.
type generatedFile struct {
	path string
	key  viewkey.Key
	make func() []byte
}

// generated makes the files that are not pages, reusing the last build's
// bytes for those whose data did not change. made are the files made anew.
func (b *Builder) generated(prev, next *state, global viewkey.Key) (out, made []*output.File, err error) {
	g := next.graph
	feed := render.NewFeedData(g)
	sitemap := render.NewSitemapData(g.BaseURL, next.views, prev.sitemap)
	next.sitemap = sitemap
	gens := []generatedFile{
		{urls.Feed, viewkey.Of(feed), func() []byte { return render.Feed(feed) }},
		{urls.Sitemap, viewkey.Of(sitemap), func() []byte { return render.Sitemap(sitemap) }},
		{urls.Robots, viewkey.Strings(g.BaseURL), func() []byte { return render.Robots(g.BaseURL) }},
		{".nojekyll", 1, func() []byte { return nil }},
	}
	gens = append(gens, annotationFiles(g)...)
	if cname := g.Config.CNAME; cname != "" {
		gens = append(gens, generatedFile{"CNAME", viewkey.Strings(cname), func() []byte { return []byte(cname + "\n") }})
	}
	out = make([]*output.File, 0, len(gens))
	next.gen = make(map[string]*page, len(gens))
	for _, x := range gens {
		key := viewkey.New().Key(global).Key(x.key).Sum()
		if pp := prev.gen[x.path]; pp != nil && pp.key == key {
			next.gen[x.path] = pp
			out = append(out, pp.file)
			continue
		}
		data := x.make()
		if path.Ext(x.path) != ".json" { // the search index is compact JSON already
			var err error
			if data, err = b.mf.Minify(x.path, data); err != nil {
				return nil, nil, diag.From(err, x.path)
			}
		}
		f := output.NewFile(x.path, data)
		next.gen[x.path] = &page{key: key, file: f}
		out = append(out, f)
		made = append(made, f)
	}
	return out, made, nil
}
