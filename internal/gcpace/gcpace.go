// Package gcpace sets the garbage collector's pace of a long batch run
// (`dossier build`, `dossier check`) and of the preview.
//
// A streamed build's live heap is the dossier's data: tens of megabytes for
// a few thousand articles, about 900 MB at 100,000 (while the search index
// is made; 400-600 MB while the pages render). Collecting less often costs
// less CPU and more memory, which a small heap can spare and a large one
// cannot: at 900 MB even Go's default pace (GOGC 100: collect when the heap
// has doubled) would need 1.8 GB for the heap alone. So Run collects at
// GOGC 200 while the live heap is small, less often as it grows, and 100
// once it is large (Percent),
// under a memory limit (debug.SetMemoryLimit): the collector works harder
// only when the process nears Budget, that is only for very large
// dossiers, and only while their heap is at its largest. The limit grows
// with the live heap (Limit), so that a dossier larger than the budget
// allows is collected at GOGC 50 at worst, never in a loop.
//
// At 10,000 articles GOGC 200 took 3-10% less time than 100 for 70 MB more
// (340 MB, a quarter of Hugo's memory); 300 and 400 took a little less
// again, for 430 and 510 MB. At 100,000 articles GOGC 200 under the limit
// took 70 s against 64 s at 100: the limit then binds all along, and
// returning memory to the system costs more than the collections saved.
// At 30,000 articles (live heap 300-450 MB) a pace that fell to 100 past
// 256 MB took 10.9 s and 0.80-0.85 GB against 9.5 s and 0.95-1.02 GB for
// Percent's, which keeps 200 up to 453 MB (then 172 at 500, 126 at 600,
// 100 from 680): the heap may grow to four fifths of the budget.
// At 100,000 articles, output on tmpfs, this took 64 s and 1.76 GB of peak
// memory, against 71 s and 1.76-1.79 GB for the pace this package set
// before (GOGC from 100 down to 35 as the live heap grew). A budget of
// 1.8 GB took 64 s and 1.86-1.91 GB, too near the 2 GB the build must stay
// under; 1.6 GB, 71 s and 1.66 GB.
//
// The preview's heap is the same size all along, at Go's default pace, and
// its work comes in bursts, one per save: CollectBefore lets it collect
// between two saves, when a collection would otherwise start during the
// next one.
package gcpace

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Budget is the memory (as the Go runtime counts it: the heap, its free
// space not yet returned to the system, stacks) a run may use before the
// collector works harder than Percent asks.
const Budget = 1700 << 20

// Percent is the GOGC for a live heap of live bytes: 200 while the heap
// goal, live × (1 + GOGC/100), stays within goalShare of Budget, then the
// pace whose goal is that share, down to Go's default 100 (from a live
// heap of goalShare/2 of Budget on, where the limit starts to bind).
func Percent(live uint64) int {
	goal := uint64(Budget) * goalShare / 100
	if live*3 <= goal {
		return 200
	}
	return max(100, int(100*goal/live)-100)
}

// goalShare is the share of Budget, in percent, the heap may grow to
// between two collections while the live heap allows: the rest is room
// for the heap's free space not yet returned to the system, and stacks.
const goalShare = 80

// Limit is the memory limit for a live heap of live bytes: Budget, or half
// again the live heap when that is more (a collection then frees a third
// of the limit at least: GOGC 50).
func Limit(live uint64) uint64 { return max(Budget, live/2*3) }

// liveHeap is the runtime's metric of the heap marked live by the last
// collection.
const liveHeap = "/gc/heap/live:bytes"

// Run paces the collector until ctx ends, checking the live heap every
// interval, then puts back the pace and limit it found. A GOGC or
// GOMEMLIMIT set in the environment wins: Run then does nothing.
func Run(ctx context.Context, interval time.Duration) {
	if userSet() {
		return
	}
	sample := []metrics.Sample{{Name: liveHeap}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return // a Go without the metric: keep its default
	}
	pct := Percent(sample[0].Value.Uint64())
	defer debug.SetGCPercent(debug.SetGCPercent(pct))
	limit := Limit(sample[0].Value.Uint64())
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(limit)))
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		metrics.Read(sample)
		live := sample[0].Value.Uint64()
		// The pace only tightens and the limit only grows: a live heap
		// that shrinks again leaves room, and the pace does not flap.
		if p := Percent(live); p < pct {
			debug.SetGCPercent(p)
			pct = p
		}
		if l := Limit(live); l > limit {
			debug.SetMemoryLimit(int64(l))
			limit = l
		}
	}
}

// userSet says the user set GOGC or GOMEMLIMIT, which win over any pace set here.
func userSet() bool { return os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" }

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

// previewRoom is the least allocation the preview's collector lets through
// between two collections.
const previewRoom = 256 << 20

// PreviewPercent is the preview's GOGC for a live heap of live bytes, when
// a save allocates perSave: room between two collections for four saves'
// allocation, and for half the heap at least (previewRoom for a small
// one), and Go's default 100 at most. The preview keeps its whole site in
// memory (about 550 MB at 10,000 articles, ten times that at 100,000),
// and Go's default, which lets the heap double before it collects, doubled
// its memory: 12.7 GB at 100,000 articles. Less room than four saves'
// would collect (mark the whole heap) every save or two: at 10,000
// articles a save allocates about 100 MB, and room for a quarter of the
// heap had the collector run after nearly every save, into the next one.
func PreviewPercent(live, perSave uint64) int {
	if live == 0 {
		return 100
	}
	room := max(previewRoom, live/2, 4*perSave)
	return int(min(100, room*100/live))
}

// PacePreview sets the preview's pace (PreviewPercent) for its live heap
// and what the last save allocated: the preview calls it once a build is
// served. After the first build, which allocated several times the heap
// it leaves, it collects first and gives the free memory back to the
// system (a collection of the whole heap: call it off the preview's loop).
// A GOGC or GOMEMLIMIT set in the environment wins: it then does nothing.
func PacePreview(first bool, perSave uint64) {
	if userSet() {
		return
	}
	if first {
		debug.FreeOSMemory()
	}
	s := []metrics.Sample{{Name: liveHeap}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	debug.SetGCPercent(PreviewPercent(s[0].Value.Uint64(), perSave))
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
