package check

import (
	"context"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
)

// Options configure Run.
type Options struct {
	Root    string
	BaseURL string
}

// Report is the outcome of a check.
type Report struct {
	Problems diag.List // sorted; errors and warnings
	Pages    int
	Files    int
}

// Run checks the content and a fresh in-memory build of it; nothing is
// written. Content problems and link problems are all listed together.
func Run(ctx context.Context, opts Options) (*Report, error) {
	rep := &Report{}
	b := build.New(build.Options{Root: opts.Root, BaseURL: opts.BaseURL, Minify: false})
	res, err := b.Build(ctx, nil)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		rep.Problems = diag.From(err, "")
		rep.Problems.Sort()
		return rep, nil
	}
	rep.Pages, rep.Files = res.Pages, len(res.Site.Files)
	rep.Problems.Merge(res.Warnings)
	rep.Problems.Merge(Links(res.Site, res.Graph.BaseURL))
	rep.Problems.Sort()
	return rep, nil
}
