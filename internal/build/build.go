// Package build runs the pipeline: load → markdown → annotate → site → render →
// output. A Builder keeps the results of the previous build so that a rebuild
// after an edit re-renders only what the edit affects.
package build

import (
	"context"
	"time"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/output"
)

// Options configure a Builder.
type Options struct {
	Root    string // project folder holding content/, templates/, static/
	BaseURL string // overrides dossier.yaml's baseURL when set
	Minify  bool
}

// Result is one build's outcome.
type Result struct {
	Site     *output.Site
	Pages    int           // pages in the site
	Rendered int           // pages rendered (not reused) in this build
	Duration time.Duration // wall time of this build
	Warnings diag.List
}

// Builder builds a project, reusing work between builds. Not safe for
// concurrent Build calls.
type Builder struct {
	opts Options
}

// New returns a Builder.
func New(opts Options) *Builder { return &Builder{opts: opts} }

// Build builds the site. changed lists the files (relative to Root,
// slash-separated) changed since the previous Build, or nil for unknown; it is a
// hint, never needed for correctness. On failure the error is a diag.List naming
// file and line of every problem.
func (b *Builder) Build(ctx context.Context, changed []string) (*Result, error) {
	panic("not yet")
}
