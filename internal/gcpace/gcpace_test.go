package gcpace

import (
	"context"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	mid := uint64(Small+Large) / 2
	tests := []struct {
		live uint64
		want int
	}{
		{0, Loose},
		{Small, Loose},
		{Small + 1, Loose},
		{mid, (Loose + Tight) / 2},
		{Large - 1, Tight + 1},
		{Large, Tight},
		{Large * 10, Tight},
	}
	for _, tt := range tests {
		if got := Percent(tt.live); got != tt.want {
			t.Errorf("Percent(%d) = %d, want %d", tt.live, got, tt.want)
		}
	}
	// Never looser as the heap grows.
	prev := Percent(0)
	for live := uint64(0); live < 2*Large; live += 1 << 20 {
		p := Percent(live)
		if p > prev || p < Tight || p > Loose {
			t.Fatalf("Percent(%d) = %d after %d", live, p, prev)
		}
		prev = p
	}
}

// Run sets the pace of this test's small heap (Loose) while it runs and
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
		if p == Loose {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GOGC is %d while Run runs, want %d", p, Loose)
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
