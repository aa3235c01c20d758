package build

import (
	"context"
	"fmt"
	"runtime/debug"
)

// Build builds the site. changed lists the files (relative to Root,
// slash-separated) changed since the previous Build, or nil for unknown; it is
// a hint that lets the load step re-read only those files, never needed for
// correctness. On failure the error is a diag.List naming file and line of
// every problem of every step that could run (the Result then carries the
// links and warnings found, for `dossier check`), and the Builder keeps its
// previous state.
//
// Build returns ctx.Err() as soon as ctx is done, whatever step is running.
// Some steps are library calls that cannot be interrupted (goldmark,
// html/template, the minifier); the build then goes on in the background
// until it reaches its next check of ctx, its outcome is dropped, and the
// next Build waits for it. `dossier build` and `dossier check` simply exit.
func (b *Builder) Build(ctx context.Context, changed []string) (*Result, error) {
	select {
	case b.slot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	type outcome struct {
		res   *Result
		err   error
		panic any
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() { <-b.slot }()
		var o outcome
		func() {
			defer func() {
				if v := recover(); v != nil {
					o.panic = fmt.Sprintf("%v\n\ngoroutine of the build:\n%s", v, debug.Stack())
				}
			}()
			o.res, o.err = b.build(ctx, changed)
		}()
		done <- o
	}()
	select {
	case o := <-done:
		if o.panic != nil {
			panic(o.panic) // in the caller's goroutine, where it can be recovered
		}
		return o.res, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
