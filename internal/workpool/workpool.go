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
