package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// median is the 50th percentile of ds: the middle value, or the mean of the
// two middle values for an even count; 0 for no values.
func median(ds []time.Duration) time.Duration { return percentile(ds, 50) }

// percentile returns the p-th percentile (0 to 100) of ds, interpolating
// linearly between the two closest ranks (numpy's default method); 0 for no
// values. ds is not modified.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if p <= 0 {
		return s[0]
	}
	if p >= 100 {
		return s[len(s)-1]
	}
	pos := p / 100 * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	frac := pos - float64(i)
	return s[i] + time.Duration(math.Round(frac*float64(s[i+1]-s[i])))
}

// fmtDur formats a duration for the report: 0.1 ms resolution below 10 ms,
// whole milliseconds below 10 s, then seconds with two decimals.
func fmtDur(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 10:
		return fmt.Sprintf("%.1f ms", ms)
	case ms < 10000:
		return fmt.Sprintf("%.0f ms", ms)
	default:
		return fmt.Sprintf("%.2f s", ms/1000)
	}
}

// ratio formats b/a as "2.5×"; "—" when either is missing.
func ratio(a, b time.Duration) string {
	if a <= 0 || b <= 0 {
		return "—"
	}
	r := float64(b) / float64(a)
	if r >= 10 {
		return fmt.Sprintf("%.0f×", r)
	}
	return fmt.Sprintf("%.2f×", r)
}

// fmtBytes formats a byte count in decimal megabytes (kilobytes when small).
func fmtBytes(n int64) string {
	if n < 1e6 {
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
