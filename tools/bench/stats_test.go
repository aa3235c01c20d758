package main

import (
	"testing"
	"time"
)

func ms(vs ...float64) []time.Duration {
	ds := make([]time.Duration, len(vs))
	for i, v := range vs {
		ds[i] = time.Duration(v * float64(time.Millisecond))
	}
	return ds
}

func TestPercentile(t *testing.T) {
	cases := []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", ms(7), 90, 7 * time.Millisecond},
		{"median odd, unsorted", ms(9, 1, 5), 50, 5 * time.Millisecond},
		{"median even", ms(4, 1, 3, 2), 50, 2500 * time.Microsecond},
		{"p90 of 1..10", ms(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 90, 9100 * time.Microsecond},
		{"p0 is min", ms(3, 1, 2), 0, time.Millisecond},
		{"p100 is max", ms(3, 1, 2), 100, 3 * time.Millisecond},
	}
	for _, tc := range cases {
		if got := percentile(tc.in, tc.p); got != tc.want {
			t.Errorf("%s: percentile(%v, %v) = %v, want %v", tc.name, tc.in, tc.p, got, tc.want)
		}
	}
	in := ms(3, 1, 2)
	if median(in) != 2*time.Millisecond || in[0] != 3*time.Millisecond {
		t.Errorf("median(%v) = %v or modified its input", in, median(in))
	}
}

func TestRatioAndFormats(t *testing.T) {
	if got := ratio(100*time.Millisecond, 250*time.Millisecond); got != "2.50×" {
		t.Errorf("ratio = %q", got)
	}
	if got := ratio(0, time.Second); got != "—" {
		t.Errorf("ratio with a missing value = %q", got)
	}
	for d, want := range map[time.Duration]string{
		2500 * time.Microsecond:  "2.5 ms",
		42 * time.Millisecond:    "42 ms",
		12345 * time.Millisecond: "12.35 s",
	} {
		if got := fmtDur(d); got != want {
			t.Errorf("fmtDur(%v) = %q, want %q", d, got, want)
		}
	}
}
