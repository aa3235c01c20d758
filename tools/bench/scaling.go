package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Targets of issue 11 (performance at scale).
const (
	// linearLimit: a build of the largest corpus may take at most this many
	// times the time per article of the 10,000-article one.
	linearLimit = 1.1
	// rssLimit: the largest corpus builds in less peak memory than this.
	rssLimit = 2e9
	// pathoLimit: the pathological cases are linear when the largest
	// per-MB (per-annotation) rate is within this factor of the smallest.
	pathoLimit = 1.5
	// floorTarget: a cold build takes at most this many times the goldmark
	// floor.
	floorTarget = 3.0
	// hugoTarget: a cold build takes at most this share of Hugo's wall time.
	hugoTarget = 0.25
)

// parseCounts parses a comma-separated list of positive integers ("1000,
// 10000"); thousands separators are not allowed, since the comma is taken.
func parseCounts(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad count %q: want positive whole numbers, comma-separated", f)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

// sizePoint is dossier's cold build at one corpus size.
type sizePoint struct {
	n    int
	wall time.Duration
	rss  int64
}

// perArticle is the build time per article.
func (p sizePoint) perArticle() float64 { return float64(p.wall) / float64(p.n) }

// scalingVerdict compares the time per article of the largest size with a
// reference size: 10,000 articles when it was measured and is not the
// largest (smaller corpora are dominated by fixed costs), else the smallest.
// factor is largest/reference; linear is factor ≤ linearLimit. It needs two
// points of different sizes; ok is false otherwise.
func scalingVerdict(ps []sizePoint) (ref, last sizePoint, factor float64, linear, ok bool) {
	if len(ps) < 2 {
		return
	}
	last, ref = ps[0], ps[0]
	for _, p := range ps {
		if p.n > last.n {
			last = p
		}
		if p.n < ref.n {
			ref = p
		}
	}
	for _, p := range ps {
		if p.n == 10000 && p.n < last.n {
			ref = p
		}
	}
	if ref.n == last.n || ref.wall <= 0 {
		return ref, last, 0, false, false
	}
	factor = last.perArticle() / ref.perArticle()
	return ref, last, factor, factor <= linearLimit, true
}

// rateVerdict says whether rates (seconds per MB, per annotation) stay
// within limit of each other: spread is the largest over the smallest. A
// rate that is not positive makes the verdict impossible (ok false): the
// measure was lost in the noise.
func rateVerdict(rates []float64, limit float64) (spread float64, linear, ok bool) {
	if len(rates) == 0 {
		return 0, false, false
	}
	lo, hi := rates[0], rates[0]
	for _, r := range rates {
		if r <= 0 {
			return 0, false, false
		}
		lo, hi = min(lo, r), max(hi, r)
	}
	spread = hi / lo
	return spread, spread <= limit, true
}

// reportScaling prints the scaling summary of every size measured.
func reportScaling(w io.Writer, rs []*result) {
	var ps []sizePoint
	var rows []*result
	for _, r := range rs {
		if len(r.dossier.builds) == 0 {
			continue
		}
		ps = append(ps, sizePoint{n: r.n, wall: median(r.dossier.builds),
			rss: int64(medianUsage(r.dossier.usages, func(u usage) float64 { return float64(u.maxRSS) }))})
		rows = append(rows, r)
	}
	if len(ps) < 2 {
		return
	}
	fmt.Fprintf(w, "\n### Scaling (dossier's cold build, medians)\n\n")
	fmt.Fprintln(w, "| articles | Markdown | wall time | CPU time | peak RSS | per 1,000 articles | time growth (articles growth) | hugo wall time | hugo peak RSS |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	base := ps[0]
	for i, r := range rows {
		p := ps[i]
		cpu := time.Duration(medianUsage(r.dossier.usages, func(u usage) float64 { return float64(u.cpu) }))
		growth := fmt.Sprintf("%.2f× (%.1f×)", float64(p.wall)/float64(base.wall), float64(p.n)/float64(base.n))
		hw, hr := "—", "—"
		switch {
		case r.skipHugo:
			hw, hr = "skipped (-hugo-max)", "skipped"
		case len(r.hugo.builds) > 0:
			hw = fmtDur(median(r.hugo.builds))
			hr = fmtBytes(int64(medianUsage(r.hugo.usages, func(u usage) float64 { return float64(u.maxRSS) })))
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", commas(p.n), fmtBytes(r.mdBytes), fmtDur(p.wall), fmtDur(cpu),
			fmtBytes(p.rss), fmtDur(time.Duration(p.perArticle()*1000)), growth, hw, hr)
	}
	fmt.Fprintln(w)
	if ref, last, factor, linear, ok := scalingVerdict(ps); ok {
		fmt.Fprintf(w, "- **time grows linearly: %s**: %s per 1,000 articles at %s articles, %.2f× the rate at %s (target ≤ %.1f×)\n",
			yesNo(linear), fmtDur(time.Duration(last.perArticle()*1000)), commas(last.n), factor, commas(ref.n), linearLimit)
		fmt.Fprintf(w, "- **peak RSS at %s articles under 2 GB: %s** (%s)\n", commas(last.n), yesNo(last.rss < rssLimit), fmtBytes(last.rss))
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// corpusRates is dossier's cold-build time per MB of Markdown on the
// 10,000-article corpus, or on the largest one measured without it (n
// articles): the rate the pathological articles are compared with.
type corpusRates struct {
	wall, cpu float64 // seconds per MB
	n         int     // 0: no corpus measured
}

func corpusRate(rs []*result) corpusRates {
	var pick *result
	for _, r := range rs {
		if len(r.dossier.builds) == 0 || r.mdBytes == 0 {
			continue
		}
		if pick == nil || r.n == 10000 || (pick.n != 10000 && r.n > pick.n) {
			pick = r
		}
	}
	if pick == nil {
		return corpusRates{}
	}
	mb := float64(pick.mdBytes) / 1e6
	cpu := medianUsage(pick.dossier.usages, func(u usage) float64 { return float64(u.cpu) })
	return corpusRates{wall: median(pick.dossier.builds).Seconds() / mb, cpu: time.Duration(cpu).Seconds() / mb, n: pick.n}
}
