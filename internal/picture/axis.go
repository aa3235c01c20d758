package picture

import (
	"fmt"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/dossier-news/dossier/internal/content"
)

// Unit is what one mark of a time picture stands for: a day, or, when there
// are too many days to tell apart, a month or a year.
type Unit int

// Units, finest first.
const (
	Day Unit = iota
	Month
	Year
)

func (u Unit) String() string { return [...]string{"day", "month", "year"}[u] }

// bin is one period of a Unit holding dated things.
type bin struct {
	key int     // orders bins: days since 1970, year*12+month, or year
	t   float64 // where it sits on the time axis, in days since 1970
}

// binOf returns the bin of d at unit u. A date less precise than u (an event
// dated "2011") falls in the first day or month of its period.
func binOf(d content.Date, u Unit) bin {
	m, day := max(d.Month, 1), max(d.Day, 1)
	switch u {
	case Year:
		return bin{d.Year, days(d.Year, 7, 1)}
	case Month:
		return bin{d.Year*12 + m - 1, days(d.Year, m, 15)}
	}
	t := days(d.Year, m, day)
	return bin{int(t), t}
}

func days(y, m, d int) float64 {
	return float64(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix()) / 86400
}

// label names bin b of unit u for readers.
func (u Unit) label(b bin) string {
	switch u {
	case Year:
		return fmt.Sprint(b.key)
	case Month:
		return fmt.Sprintf("%s %d", time.Month(b.key%12+1), b.key/12)
	}
	return time.Unix(int64(b.t*86400), 0).UTC().Format("2 Jan 2006")
}

// name names the period of bin b, which holds date d, at the precision of
// d when that is coarser than u: an event dated "1971" is in "1971", not in
// "January 1971".
func (u Unit) name(d content.Date, b bin) string {
	if d.Precision == content.Year || d.Precision == content.Month && u == Day {
		return d.Human()
	}
	return u.label(b)
}

// chooseUnit returns the finest unit at which the distinct periods of dates,
// spaced by spacing units, fit in width.
func chooseUnit(dates []content.Date, width, spacing float64) Unit {
	for _, u := range []Unit{Day, Month} {
		seen := map[int]bool{}
		for _, d := range dates {
			seen[binOf(d, u).key] = true
		}
		if float64(len(seen))*spacing <= width {
			return u
		}
	}
	return Year
}

// axis maps time (days since 1970) to x, with long empty stretches cut out:
// a story told from 1971 to 2015, most of it in 2013, gets its own segment
// for 1971 and most of the width for the busy years.
type axis struct {
	segs []segment
	// names, by time, name the periods that have a segment of their own;
	// a time not named gets a name from the calendar.
	names map[float64]string
}

type segment struct {
	t0, t1 float64   // time span
	x0, x1 float64   // drawn between, padded inside
	ts     []float64 // the distinct times in it
}

// Axis layout constants, in SVG units.
const (
	segPad   = 10 // inside each end of a segment, so end marks clear the break
	segMin   = 84 // the narrowest segment: room for its label
	breakGap = 18 // between segments
	maxBreak = 4
	// A gap is cut when it is longer than this share of the span left and
	// than minBreakDays.
	breakShare   = 0.2
	minBreakDays = 180
)

// newAxis lays out the times ts (any order, repeats allowed) between x0 and x1.
func newAxis(ts []float64, x0, x1 float64) axis {
	if len(ts) == 0 {
		return axis{segs: []segment{{t0: 0, t1: 0, x0: x0, x1: x1}}}
	}
	u := append([]float64(nil), ts...)
	sort.Float64s(u)
	uniq := u[:1]
	for _, t := range u[1:] {
		if t != uniq[len(uniq)-1] {
			uniq = append(uniq, t)
		}
	}
	// Cut the longest gaps while each is a large share of what is left.
	type gap struct {
		i   int // between uniq[i] and uniq[i+1]
		len float64
	}
	var gaps []gap
	for i := 0; i+1 < len(uniq); i++ {
		gaps = append(gaps, gap{i, uniq[i+1] - uniq[i]})
	}
	sort.SliceStable(gaps, func(a, b int) bool { return gaps[a].len > gaps[b].len })
	span := uniq[len(uniq)-1] - uniq[0]
	cut := map[int]bool{}
	for _, g := range gaps {
		if len(cut) == maxBreak || g.len < minBreakDays || g.len <= breakShare*span {
			break
		}
		cut[g.i] = true
		span -= g.len
	}
	var segs []segment
	start := 0
	for i := range uniq {
		if i == len(uniq)-1 || cut[i] {
			segs = append(segs, segment{t0: uniq[start], t1: uniq[i], ts: uniq[start : i+1]})
			start = i + 1
		}
	}
	// Widths: a minimum each, the rest shared by the number of times in
	// each (a segment's marks need the room, whatever its span).
	avail := x1 - x0 - breakGap*float64(len(segs)-1)
	extra := max(0, avail-segMin*float64(len(segs)))
	x := x0
	for i := range segs {
		w := segMin + extra*float64(len(segs[i].ts)-1)/float64(len(uniq)-len(segs))
		if len(uniq) == len(segs) {
			w = segMin + extra/float64(len(segs))
		}
		segs[i].x0, segs[i].x1 = x, x+w
		x += w + breakGap
	}
	return axis{segs: segs}
}

// x returns where time t is drawn: in the last segment starting at or
// before t.
func (a axis) x(t float64) float64 {
	s := a.segs[0]
	for _, c := range a.segs {
		if t >= c.t0 {
			s = c
		}
	}
	return s.x(t)
}

// x returns where time t is drawn in s (clamped to its span).
func (s segment) x(t float64) float64 {
	if s.t1 == s.t0 {
		return (s.x0 + s.x1) / 2
	}
	f := (t - s.t0) / (s.t1 - s.t0)
	f = min(max(f, 0), 1)
	return s.x0 + segPad + f*(s.x1-s.x0-2*segPad)
}

// draw writes the axis line of each segment at y, year ticks with labels
// below, and a break mark between segments. Marks stand for periods of unit u.
func (a axis) draw(w *svg, y float64, u Unit) {
	w.raw(`<g class="axis">`)
	for i, s := range a.segs {
		w.raw(`<path d="M`, num(s.x0), " ", num(y), "H", num(s.x1), `"/>`)
		if i > 0 {
			bx := s.x0 - breakGap/2
			w.raw(`<path class="break" d="M`, num(bx-4), " ", num(y+5), "l4 -10m4 10l4 -10", `"/>`)
		}
	}
	// Labels are placed where they overlap no other, those that name a
	// whole segment first (a lone "Dec 2015" must not lose to a tick's).
	type cand struct {
		x     float64
		text  string
		whole bool
	}
	var cands []cand
	label := func(x float64, s string) { cands = append(cands, cand{x, s, false}) }
	whole := func(x float64, s string) { cands = append(cands, cand{x, s, true}) }
	defer func() {
		sort.SliceStable(cands, func(i, j int) bool { return cands[i].whole && !cands[j].whole })
		type span struct{ l, r float64 }
		var placed []span
		var keep []cand
	next:
		for _, c := range cands {
			half := textWidth(c.text) / 2
			for _, p := range placed {
				if c.x-half < p.r+8 && c.x+half > p.l-8 {
					continue next
				}
			}
			placed = append(placed, span{c.x - half, c.x + half})
			keep = append(keep, c)
		}
		sort.SliceStable(keep, func(i, j int) bool { return keep[i].x < keep[j].x })
		for _, c := range keep {
			w.raw(`<text`)
			w.num("x", c.x)
			w.num("y", y+16)
			w.raw(` text-anchor="middle">`)
			w.text(c.text)
			w.raw(`</text>`)
		}
		w.raw(`</g>`)
	}()
	for _, s := range a.segs {
		t0 := time.Unix(int64(s.t0*86400), 0).UTC()
		t1 := time.Unix(int64(s.t1*86400), 0).UTC()
		if s.t1-s.t0 < 62 && u == Day && len(s.ts) > 1 {
			// A few days: each labelled.
			for i, t := range s.ts {
				x := s.x(t)
				w.raw(`<path d="M`, num(x), " ", num(y-3), "v6", `"/>`)
				layout := "2 Jan"
				if i == 0 || t1.Year() != t0.Year() {
					layout = "2 Jan 2006"
				}
				tt := time.Unix(int64(t*86400), 0).UTC()
				l := tt.Format(layout)
				if n, ok := a.names[t]; ok && n != tt.Format("2 Jan 2006") {
					l = n // a month or year: an event dated "2024-02"
				}
				label(x, l)
			}
			continue
		}
		if s.t1-s.t0 < 366 {
			// A short segment: one label, the months or years it covers.
			l := shortLabel(t0, t1, u)
			if n, ok := a.names[s.t0]; ok && len(s.ts) == 1 {
				l = n
			}
			whole((s.x0+s.x1)/2, l)
			continue
		}
		// Year ticks, labelled where they do not crowd each other.
		first := t0.Year() + 1
		if t0.YearDay() <= 31 {
			first-- // the segment starts with the year: label it
		}
		for yr := first; yr <= t1.Year(); yr++ {
			x := s.x(days(yr, 1, 1))
			w.raw(`<path d="M`, num(x), " ", num(y-3), "v6", `"/>`)
			label(x, fmt.Sprint(yr))
		}
	}
}

// shortLabel names a span shorter than a year: "1971", "2012–2013",
// "May 2013", "Dec 2012–Jan 2013". A lone date on the first of January
// stands for its year (an event dated "1971").
func shortLabel(t0, t1 time.Time, u Unit) string {
	yearOnly := u == Year || t0.Equal(t1) && t0.Month() == time.January && t0.Day() == 1
	switch {
	case yearOnly && t0.Year() == t1.Year():
		return fmt.Sprint(t0.Year())
	case yearOnly:
		return fmt.Sprintf("%d–%d", t0.Year(), t1.Year())
	case t0.Year() == t1.Year() && t0.Month() == t1.Month():
		return t0.Format("Jan 2006")
	case t0.Year() == t1.Year():
		return t0.Format("Jan") + "–" + t1.Format("Jan 2006")
	}
	return t0.Format("Jan 2006") + "–" + t1.Format("Jan 2006")
}

// textWidth estimates the width of s in the pictures' 12-unit sans-serif
// labels: enough to keep labels apart without measuring fonts.
func textWidth(s string) float64 { return 6.8 * float64(utf8.RuneCountInString(s)) }
