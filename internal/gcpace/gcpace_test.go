package gcpace

import (
	"context"
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestLimit(t *testing.T) {
	for _, tt := range []struct {
		live, want uint64
	}{
		{0, Budget},
		{100 << 20, Budget},
		{Budget / 3 * 2, Budget}, // half again is the budget
		{Budget, Budget / 2 * 3},
		{4 << 30, 6 << 30},
	} {
		if got := Limit(tt.live); got != tt.want {
			t.Errorf("Limit(%d) = %d, want %d", tt.live, got, tt.want)
		}
	}
	// Never below the budget, never less than half again the live heap
	// (the collector would run in a loop), never smaller as the heap grows.
	prev := Limit(0)
	for live := uint64(0); live < 4*Budget; live += 7 << 20 {
		l := Limit(live)
		if l < Budget || l+2 < live+live/2 || l < prev {
			t.Fatalf("Limit(%d) = %d after %d", live, l, prev)
		}
		prev = l
	}
}

func TestPercent(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		want int
	}{{0, 200}, {120 << 20, 200}, {453 << 20, 200}, {500 << 20, 172}, {600 << 20, 126}, {680 << 20, 100}, {4 << 30, 100}} {
		if got := Percent(tt.live); got != tt.want {
			t.Errorf("Percent(%d MB) = %d, want %d", tt.live>>20, got, tt.want)
		}
	}
	// The heap goal never passes goalShare of Budget while the pace is
	// above Go's default, and the pace never rises with the live heap.
	prev := 200
	for live := uint64(1 << 20); live <= 2<<30; live += 1 << 20 {
		p := Percent(live)
		if p > prev || p < 100 {
			t.Fatalf("Percent(%d MB) = %d after %d", live>>20, p, prev)
		}
		if goal := live * uint64(100+p) / 100; p > 100 && goal > uint64(Budget)*goalShare/100+live/100 {
			t.Fatalf("Percent(%d MB) = %d: heap goal %d MB over %d%% of the budget", live>>20, p, goal>>20, goalShare)
		}
		prev = p
	}
}

// readPace returns the GOGC and memory limit in force, leaving them as they are.
func readPace() (int, int64) {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p, debug.SetMemoryLimit(-1) // a negative limit reads it
}

// Run sets Percent and the budget as the memory limit while it runs (this
// test's heap is far below the budget), and puts back what it found.
func TestRunSetsAndRestores(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	oldP := debug.SetGCPercent(37)
	oldL := debug.SetMemoryLimit(5 << 30)
	defer debug.SetGCPercent(oldP)
	defer debug.SetMemoryLimit(oldL)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(ctx, time.Millisecond)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p, l := readPace()
		if p == Percent(0) && l == Budget {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GOGC %d and memory limit %d while Run runs, want %d and %d", p, l, Percent(0), int64(Budget))
		}
		time.Sleep(time.Millisecond) // polling a value, with a deadline
	}
	cancel()
	<-done
	if p, l := readPace(); p != 37 || l != 5<<30 {
		t.Errorf("GOGC %d and memory limit %d after Run, want the 37 and %d it found", p, l, int64(5<<30))
	}
}

// A GOGC or GOMEMLIMIT the user set wins: Run leaves the pace alone.
func TestRunHonoursTheUsersSettings(t *testing.T) {
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv("GOGC", "")
			t.Setenv("GOMEMLIMIT", "")
			t.Setenv(env, "80") // read by Run only: the runtime read them at start
			oldP := debug.SetGCPercent(80)
			oldL := debug.SetMemoryLimit(3 << 30)
			defer debug.SetGCPercent(oldP)
			defer debug.SetMemoryLimit(oldL)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
			defer cancel()
			Run(ctx, time.Millisecond)
			if p, l := readPace(); p != 80 || l != 3<<30 {
				t.Errorf("GOGC %d and memory limit %d with %s set, want them left at 80 and %d", p, l, env, int64(3<<30))
			}
		})
	}
}

func TestNear(t *testing.T) {
	for _, tt := range []struct {
		heap, goal, next uint64
		want             bool
	}{
		{100, 1000, 0, false},
		{100, 1000, 449, false},
		{100, 1000, 450, true}, // 100 + 2×450 reaches the goal
		{999, 1000, 1, true},
		{1000, 1000, 0, true},
		{1200, 1000, 0, true}, // past the goal: a collection is due anyway
	} {
		if got := Near(tt.heap, tt.goal, tt.next); got != tt.want {
			t.Errorf("Near(%d, %d, %d) = %v, want %v", tt.heap, tt.goal, tt.next, got, tt.want)
		}
	}
}

// CollectBefore starts a collection when the next work would reach the goal,
// and none when it would not.
func TestCollectBefore(t *testing.T) {
	// A known pace, whatever GOGC the tests run with.
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	runtime.GC() // the heap is now its live part, far below the goal
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.NumGC
	if CollectBefore(0) {
		t.Fatal("CollectBefore(0) collected right after a collection")
	}
	if !CollectBefore(1 << 50) {
		t.Fatal("CollectBefore did not collect before a petabyte of allocation")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.ReadMemStats(&ms)
		if ms.NumGC > before {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no collection ran within 10 s of CollectBefore")
		}
		runtime.Gosched()
	}
	if a, b := Allocated(), Allocated(); a == 0 || b < a {
		t.Errorf("Allocated() = %d then %d: want a growing count", a, b)
	}
}

func TestPreviewPercent(t *testing.T) {
	const mb = 1 << 20
	for _, tt := range []struct {
		live, perSave uint64
		want          int
	}{
		{0, 0, 100}, {100 * mb, 0, 100}, {256 * mb, 0, 100}, {400 * mb, 0, 64},
		{550 * mb, 0, 50}, {550 * mb, 105 * mb, 76}, {550 * mb, 200 * mb, 100},
		{6 << 30, 0, 50}, {5632 * mb, 900 * mb, 63},
	} {
		if got := PreviewPercent(tt.live, tt.perSave); got != tt.want {
			t.Errorf("PreviewPercent(%d MB, %d MB a save) = %d, want %d", tt.live/mb, tt.perSave/mb, got, tt.want)
		}
	}
	// Room between collections: four saves' allocation, half the heap
	// and previewRoom at least, and never more than Go's default leaves.
	for live := uint64(mb); live <= 8<<30; live += 7 * mb {
		for _, perSave := range []uint64{0, live / 16, live / 3, live} {
			p := PreviewPercent(live, perSave)
			room := live * uint64(p) / 100
			if p > 100 || (p < 100 && room+live/100+1 < max(live/2, 4*perSave, previewRoom)) {
				t.Fatalf("PreviewPercent(%d MB, %d MB) = %d: room %d MB", live/mb, perSave/mb, p, room/mb)
			}
		}
	}
}

// PacePreview sets PreviewPercent of the live heap (this test's is small:
// Go's default), and leaves a GOGC or GOMEMLIMIT the user set alone.
func TestPacePreview(t *testing.T) {
	oldP := debug.SetGCPercent(37)
	defer debug.SetGCPercent(oldP)
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	PacePreview(true, 0)
	if p, _ := readPace(); p != 100 {
		t.Errorf("GOGC %d after PacePreview of a small heap, want 100", p)
	}
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		debug.SetGCPercent(37)
		t.Setenv("GOGC", "")
		t.Setenv("GOMEMLIMIT", "")
		t.Setenv(env, "80")
		PacePreview(false, 0)
		if p, _ := readPace(); p != 37 {
			t.Errorf("GOGC %d after PacePreview with %s set, want it left at 37", p, env)
		}
	}
}
