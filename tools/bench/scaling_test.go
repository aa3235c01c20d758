package main

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseCounts(t *testing.T) {
	cases := []struct {
		in   string
		want []int
		bad  bool
	}{
		{in: "1000", want: []int{1000}},
		{in: "1000, 10000,100000", want: []int{1000, 10000, 100000}},
		{in: "0", bad: true},
		{in: "-5", bad: true},
		{in: "1000,", bad: true},
		{in: "10k", bad: true},
		{in: "", bad: true},
	}
	for _, tc := range cases {
		got, err := parseCounts(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("parseCounts(%q) = %v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("parseCounts(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func TestScalingVerdict(t *testing.T) {
	cases := []struct {
		name      string
		ps        []sizePoint
		ok        bool
		refN      int
		lastN     int
		factor    float64
		linear    bool
		skipCheck bool
	}{
		{name: "one size: no verdict", ps: []sizePoint{{n: 1000, wall: sec(1)}}},
		{name: "same size twice: no verdict", ps: []sizePoint{{n: 1000, wall: sec(1)}, {n: 1000, wall: sec(2)}}},
		{name: "exactly linear from 10k", ok: true, refN: 10000, lastN: 100000, factor: 1, linear: true,
			ps: []sizePoint{{n: 1000, wall: sec(2)}, {n: 10000, wall: sec(10)}, {n: 100000, wall: sec(100)}}},
		{name: "10k is the reference even though 1k has fixed costs", ok: true, refN: 10000, lastN: 100000, factor: 1.2, linear: false,
			ps: []sizePoint{{n: 1000, wall: sec(5)}, {n: 10000, wall: sec(10)}, {n: 100000, wall: sec(120)}}},
		{name: "at the limit", ok: true, refN: 10000, lastN: 30000, factor: 1.1, linear: true,
			ps: []sizePoint{{n: 10000, wall: sec(10)}, {n: 30000, wall: sec(33)}}},
		{name: "10k is the largest: the smallest is the reference", ok: true, refN: 1000, lastN: 10000, factor: 0.5, linear: true,
			ps: []sizePoint{{n: 1000, wall: sec(2)}, {n: 10000, wall: sec(10)}}},
		{name: "unsorted sizes", ok: true, refN: 2000, lastN: 8000, factor: 2, linear: false,
			ps: []sizePoint{{n: 8000, wall: sec(16)}, {n: 2000, wall: sec(2)}}},
	}
	for _, tc := range cases {
		ref, last, factor, linear, ok := scalingVerdict(tc.ps)
		if ok != tc.ok {
			t.Errorf("%s: ok = %v, want %v", tc.name, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if ref.n != tc.refN || last.n != tc.lastN || math.Abs(factor-tc.factor) > 1e-9 || linear != tc.linear {
			t.Errorf("%s: ref %d, last %d, factor %.4f, linear %v; want %d, %d, %.4f, %v",
				tc.name, ref.n, last.n, factor, linear, tc.refN, tc.lastN, tc.factor, tc.linear)
		}
	}
}

func TestRateVerdict(t *testing.T) {
	cases := []struct {
		name   string
		rates  []float64
		spread float64
		linear bool
		ok     bool
	}{
		{name: "none", rates: nil},
		{name: "one", rates: []float64{0.3}, spread: 1, linear: true, ok: true},
		{name: "flat", rates: []float64{0.2, 0.21, 0.2}, spread: 1.05, linear: true, ok: true},
		{name: "falling is fine", rates: []float64{0.3, 0.25, 0.2}, spread: 1.5, linear: true, ok: true},
		{name: "quadratic growth", rates: []float64{0.1, 0.2, 0.4}, spread: 4, linear: false, ok: true},
		{name: "just over", rates: []float64{1, 1.51}, spread: 1.51, linear: false, ok: true},
		{name: "a negative added time is noise", rates: []float64{0.1, -0.01}},
		{name: "zero is noise", rates: []float64{0, 0.1}},
	}
	for _, tc := range cases {
		spread, linear, ok := rateVerdict(tc.rates, pathoLimit)
		if ok != tc.ok || linear != tc.linear || (ok && math.Abs(spread-tc.spread) > 1e-9) {
			t.Errorf("%s: rateVerdict(%v) = %.4f, %v, %v; want %.4f, %v, %v", tc.name, tc.rates, spread, linear, ok, tc.spread, tc.linear, tc.ok)
		}
	}
}

func builtAt(n int, wall time.Duration, rss int64, md int64) *result {
	return &result{n: n, mdBytes: md, dossier: tool{builds: []time.Duration{wall}, usages: []usage{{cpu: wall, maxRSS: rss}}}}
}

func TestCorpusRate(t *testing.T) {
	cases := []struct {
		name  string
		rs    []*result
		n     int
		perMB float64
	}{
		{name: "nothing measured", rs: []*result{{n: 1000}}, n: 0},
		{name: "10k preferred over larger", n: 10000, perMB: 0.2,
			rs: []*result{builtAt(1000, sec(1), 1, 5e6), builtAt(10000, sec(10), 1, 50e6), builtAt(100000, sec(200), 1, 500e6)}},
		{name: "else the largest", n: 3000, perMB: 0.5,
			rs: []*result{builtAt(3000, sec(10), 1, 20e6), builtAt(1000, sec(1), 1, 5e6)}},
		{name: "a size without builds is skipped", n: 1000, perMB: 0.2,
			rs: []*result{builtAt(1000, sec(1), 1, 5e6), {n: 10000, mdBytes: 50e6}}},
	}
	for _, tc := range cases {
		got := corpusRate(tc.rs)
		// builtAt's CPU time is its wall time.
		if got.n != tc.n || math.Abs(got.wall-tc.perMB) > 1e-9 || math.Abs(got.cpu-tc.perMB) > 1e-9 {
			t.Errorf("%s: corpusRate = %+v; want %.4f s/MB at %d", tc.name, got, tc.perMB, tc.n)
		}
	}
}

func TestReportScaling(t *testing.T) {
	hugoAt := func(r *result, wall time.Duration) *result {
		r.hugo = tool{builds: []time.Duration{wall}, usages: []usage{{maxRSS: 3e8}}}
		return r
	}
	skipped := builtAt(100000, sec(100), 1.5e9, 650e6)
	skipped.skipHugo = true
	cases := []struct {
		name string
		rs   []*result
		want []string
		not  []string
	}{
		{name: "one size: no table", rs: []*result{builtAt(1000, sec(1), 1e8, 6e6)}, not: []string{"Scaling"}},
		{name: "linear, under 2 GB, Hugo skipped at the largest",
			rs: []*result{hugoAt(builtAt(10000, sec(10), 4e8, 65e6), sec(30)), skipped},
			want: []string{"| 10,000 |", "| 100,000 |", "| 1000 ms |", "10.00× (10.0×)", "skipped (-hugo-max)", "30.00 s", "300.0 MB",
				"time grows linearly: yes", "1.00× the rate at 10,000", "under 2 GB: yes** (1500.0 MB)"}},
		{name: "superlinear and over 2 GB",
			rs:   []*result{builtAt(1000, sec(1), 1e8, 6e6), builtAt(10000, sec(20), 2.5e9, 65e6)},
			want: []string{"time grows linearly: no", "2.00× the rate at 1,000", "under 2 GB: no"}},
	}
	for _, tc := range cases {
		var buf bytes.Buffer
		reportScaling(&buf, tc.rs)
		out := buf.String()
		checkReport(t, tc.name, out, tc.want, tc.not)
	}
}

// checkReport fails the test if out lacks a string of want or has one of not.
func checkReport(t *testing.T, name, out string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s: report lacks %q:\n%s", name, w, out)
		}
	}
	for _, w := range not {
		if strings.Contains(out, w) {
			t.Errorf("%s: report has %q:\n%s", name, w, out)
		}
	}
}
