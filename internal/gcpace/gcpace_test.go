package gcpace

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	first, last := points[0], points[len(points)-1]
	tests := []struct {
		live uint64
		want int
	}{
		{0, first.Percent},
		{first.Live, first.Percent},
		{first.Live + 1, first.Percent},
		{last.Live, last.Percent},
		{last.Live * 10, last.Percent},
	}
	for i := 1; i < len(points); i++ {
		a, b := points[i-1], points[i]
		tests = append(tests,
			struct {
				live uint64
				want int
			}{a.Live + (b.Live-a.Live)/2, a.Percent - (a.Percent-b.Percent)/2},
			struct {
				live uint64
				want int
			}{b.Live, b.Percent})
	}
	for _, tt := range tests {
		if got := Percent(tt.live); got != tt.want {
			t.Errorf("Percent(%d) = %d, want %d", tt.live, got, tt.want)
		}
	}
	// Never looser as the heap grows, never outside the points' range.
	prev := Percent(0)
	for live := uint64(0); live < 2*last.Live; live += 1 << 20 {
		p := Percent(live)
		if p > prev || p < last.Percent || p > first.Percent {
			t.Fatalf("Percent(%d) = %d after %d", live, p, prev)
		}
		prev = p
	}
}

// Run sets the pace of this test's small heap (the first point's) while it runs and
// puts back the one it found when it stops.
func TestRunSetsAndRestores(t *testing.T) {
	t.Setenv("GOGC", "")
	old := debug.SetGCPercent(37)
	defer debug.SetGCPercent(old)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(ctx, time.Millisecond)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// SetGCPercent returns the pace in force; set it back at once.
		p := debug.SetGCPercent(37)
		debug.SetGCPercent(p)
		if p == points[0].Percent {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GOGC is %d while Run runs, want %d", p, points[0].Percent)
		}
		time.Sleep(time.Millisecond) // polling a value, with a deadline
	}
	cancel()
	<-done
	if p := debug.SetGCPercent(old); p != 37 {
		t.Errorf("GOGC is %d after Run, want the 37 it found", p)
	}
}

// A GOGC the user set wins: Run leaves the pace alone.
func TestRunHonoursGOGC(t *testing.T) {
	t.Setenv("GOGC", "80")
	old := debug.SetGCPercent(80)
	defer debug.SetGCPercent(old)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	Run(ctx, time.Millisecond)
	if p := debug.SetGCPercent(old); p != 80 {
		t.Errorf("GOGC is %d, want the user's 80", p)
	}
}

// Fixed sets the pace, unless the user set GOGC.
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
