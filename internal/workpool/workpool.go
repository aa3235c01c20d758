// Package workpool is the pipeline's one worker pool: every stage that works
// on many files or pages at once (loading, rendering bodies, rendering
// pages) runs them through Each, on GOMAXPROCS workers.
package workpool

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls f(i) for i in [0, n) on up to GOMAXPROCS goroutines and waits for
// them. Work is handed out one index at a time, so uneven items (one huge
// article among small ones) do not leave a worker idle. When ctx is
// cancelled, no new index is handed out and Each returns ctx.Err() once the
// calls under way have returned.
func Each(ctx context.Context, n int, f func(i int)) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	work := func() {
		for ctx.Err() == nil {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			f(i)
		}
	}
	if workers <= 1 {
		work()
		return ctx.Err()
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// EachErr is Each for work that can fail: after the first error f returns,
// no new index is handed out, and EachErr returns that error (later ones
// are dropped: they repeat it or follow from it), else ctx.Err().
func EachErr(ctx context.Context, n int, f func(i int) error) error {
	inner, cancel := context.WithCancel(ctx)
	defer cancel()
	var first atomic.Pointer[error]
	err := Each(inner, n, func(i int) {
		if err := f(i); err != nil {
			if first.CompareAndSwap(nil, &err) {
				cancel()
			}
		}
	})
	if p := first.Load(); p != nil {
		return *p
	}
	if err != nil {
		return ctx.Err()
	}
	return nil
}
