package workpool

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		counts := make([]atomic.Int32, n)
		if err := Each(context.Background(), n, func(i int) { counts[i].Add(1) }); err != nil {
			t.Fatal(err)
		}
		for i := range counts {
			if c := counts[i].Load(); c != 1 {
				t.Fatalf("n=%d: index %d called %d times", n, i, c)
			}
		}
	}
}

func TestEachStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	err := Each(ctx, 100000, func(i int) {
		if calls.Add(1) == 10 {
			cancel()
		}
	})
	if err == nil {
		t.Fatal("cancelled Each returned nil")
	}
	if c := calls.Load(); c >= 100000 {
		t.Errorf("Each went on after cancellation: %d calls", c)
	}
}

func TestEachErrReturnsTheFirstErrorAndStops(t *testing.T) {
	boom := errors.New("boom")
	var calls atomic.Int32
	err := EachErr(context.Background(), 10000, func(i int) error {
		calls.Add(1)
		if i == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if n := calls.Load(); n == 10000 {
		t.Errorf("all %d indexes ran after the error", n)
	}
	if err := EachErr(context.Background(), 100, func(int) error { return nil }); err != nil {
		t.Errorf("no failure, but error %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := EachErr(ctx, 100, func(int) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
}
