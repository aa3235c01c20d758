// Package gcpace sets the garbage collector's pace of a long batch run
// (`dossier build`, `dossier check`) from the size of its live heap.
//
// A streamed build's live heap is the dossier's data: tens of megabytes for
// a few thousand articles, a gigabyte at 100,000. Go's default pace (GOGC
// 100: collect when the heap has doubled) is the cheapest in CPU, and at a
// small live heap the memory it spends on that is small; at a gigabyte the
// same pace costs a gigabyte, so there collecting twice as often (GOGC 50)
// keeps peak memory lower for more CPU. One fixed pace is wrong at one end
// or the other: on a 10,000-article corpus GOGC 50 cost a fifth more CPU
// than 100 to save 60 MB, and at 100,000 articles GOGC 100 needed 2.46 GB
// of memory where 50 needed 1.78.
//
// Run watches the live heap (runtime/metrics) and moves GOGC from 100 down
// to 35 as it grows (points).
//
// The preview's heap is the same size all along, at Go's default pace, and
// its work comes in bursts, one per save: CollectBefore lets it collect
// between two saves, when a collection would otherwise start during the
// next one. (It used GOGC 200 to collect less often during rebuilds: 1.7
// times the memory, 2.2 GB at 10,000 articles against 1.26 GB now.)
package gcpace

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// points are the pace at a few sizes of the live heap, smallest first:
// Go's default up to 128 MB (a 10,000-article build peaks near 120 MB),
// GOGC 50 at 384 MB, 35 from 1 GB (100,000 articles, while the search
// index is made); in between, on straight lines.
var points = []point{{128 << 20, 100}, {384 << 20, 50}, {1 << 30, 35}}

// point is the GOGC for a live heap of Live bytes.
type point struct {
	Live    uint64
	Percent int
}

// Percent is the GOGC for a live heap of live bytes (see points).
func Percent(live uint64) int {
	if live <= points[0].Live {
		return points[0].Percent
	}
	for i := 1; i < len(points); i++ {
		a, b := points[i-1], points[i]
		if live < b.Live {
			return a.Percent - int((live-a.Live)*uint64(a.Percent-b.Percent)/(b.Live-a.Live))
		}
	}
	return points[len(points)-1].Percent
}

// liveHeap is the runtime's metric of the heap marked live by the last
// collection.
const liveHeap = "/gc/heap/live:bytes"

// Run paces the collector until ctx ends, checking the live heap every
// interval, then puts back the pace it found. A GOGC set in the
// environment wins: Run then does nothing.
func Run(ctx context.Context, interval time.Duration) {
	if userSet() {
		return
	}
	sample := []metrics.Sample{{Name: liveHeap}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return // a Go without the metric: keep its default
	}
	current := debug.SetGCPercent(points[0].Percent)
	defer debug.SetGCPercent(current)
	current = points[0].Percent
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		metrics.Read(sample)
		// Only a change of a few points is worth setting: SetGCPercent
		// briefly stops the world.
		if p := Percent(sample[0].Value.Uint64()); p < current-2 || p > current+2 {
			debug.SetGCPercent(p)
			current = p
		}
	}
}

// userSet says the user set GOGC, which wins over any pace set here.
func userSet() bool { return os.Getenv("GOGC") != "" }

// Start runs Run in a goroutine of its own; the function it returns stops
// it and waits until the pace it found is back.
func Start(interval time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(ctx, interval)
	}()
	return func() {
		cancel()
		<-done
	}
}

// The runtime's metrics CollectBefore and Allocated read.
const (
	heapInUse = "/memory/classes/heap/objects:bytes" // live and not yet swept
	heapGoal  = "/gc/heap/goal:bytes"
	allocated = "/gc/heap/allocs:bytes" // since the process started
)

// Allocated returns the bytes the process has allocated on the heap since
// it started: the difference of two calls is what the work between them
// allocated.
func Allocated() uint64 {
	s := []metrics.Sample{{Name: allocated}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// CollectBefore starts a collection in the background, and reports so, when
// allocating next more bytes twice over would bring the heap to the
// collector's goal: the preview calls it when a save's work is done, with
// what that work allocated, so that the collection runs while the editor
// reads, not while the next save rebuilds (at 10,000 articles a collection
// takes about 60 ms of one core, and a rebuild about 10).
func CollectBefore(next uint64) bool {
	s := []metrics.Sample{{Name: heapInUse}, {Name: heapGoal}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return false
	}
	if !Near(s[0].Value.Uint64(), s[1].Value.Uint64(), next) {
		return false
	}
	go runtime.GC()
	return true
}

// Near reports whether a heap of heap bytes reaches goal within twice next
// more bytes of allocation (twice: the next save may allocate more).
func Near(heap, goal, next uint64) bool { return heap+2*next >= goal }
