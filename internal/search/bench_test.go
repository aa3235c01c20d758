package search

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkStreamedBuild is `dossier build`'s index build (BuildStreaming,
// files handed on as they are made) of many generated documents, against
// Build, which keeps the files and the state a preview patches. Besides
// time and allocations it reports the peak live heap during the build
// (peak-live-MB: the largest heap the collector found live, above what was
// live before; the collector runs often while measuring, so the figure is
// close to the true peak) and the heap the returned index keeps
// (kept-MB).
func BenchmarkStreamedBuild(b *testing.B) {
	for _, n := range []int{5000, 20000} {
		docs := corpus(n, 20000, 1)
		for _, mode := range []string{"streamed", "kept"} {
			b.Run(fmt.Sprintf("docs=%d/%s", n, mode), func(b *testing.B) {
				var emitted, bytes atomic.Int64
				var emit func(File) error
				if mode == "streamed" {
					emit = func(f File) error {
						emitted.Add(1)
						bytes.Add(int64(len(f.Data)))
						return nil
					}
				}
				b.ReportAllocs()
				var peak, kept uint64
				for b.Loop() {
					var ix *Index
					p := peakLive(func() {
						var err error
						if ix, err = BuildStreaming(context.Background(), docs, nil, emit); err != nil {
							b.Fatal(err)
						}
					})
					peak = max(peak, p)
					kept = max(kept, liveAfter(func() { ix = nil }))
					runtime.KeepAlive(ix)
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-live-MB")
				b.ReportMetric(float64(kept)/(1<<20), "kept-MB")
				if mode == "streamed" && emitted.Load() == 0 {
					b.Fatal("nothing emitted")
				}
			})
		}
	}
}

// peakLive runs fn and returns the largest live heap the collector measured
// while it ran, less what was live before.
func peakLive(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	// Collect often, so that a sample falls near the peak.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	runtime.GC() // a last sample of what fn left live
	close(stop)
	<-done
	return max(peak.Load(), base) - base
}

// liveAfter returns the live heap, less what is live after drop runs.
func liveAfter(drop func()) uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	runtime.GC()
	metrics.Read(sample)
	with := sample[0].Value.Uint64()
	drop()
	runtime.GC()
	metrics.Read(sample)
	return max(with, sample[0].Value.Uint64()) - sample[0].Value.Uint64()
}
