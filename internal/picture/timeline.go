package picture

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"

	"github.com/dossier-news/dossier/internal/content"
)

// Event is a timeline event, for Timeline.
type Event struct {
	Href    string // its anchor: "#e2013-05-07-kerry-meets-putin"
	Date    content.Date
	Title   string
	Reports []Report // the articles that report it
}

// Report is an article that reports an event.
type Report struct {
	Href  string // the article's page
	Date  content.Date
	Label string // the link's name: "AFP, 7 May 2013: Kerry in Moscow"
}

// TimelinePicture is the timeline's time axis.
type TimelinePicture struct {
	SVG     template.HTML
	Unit    Unit // what one mark stands for
	Events  int
	Reports int // distinct articles
}

// Timeline geometry, in SVG units.
const (
	tlWidth    = 960
	tlLeft     = 76 // lane names
	tlRight    = 14
	tlEventsY  = 24
	tlReportsY = 112
	tlStep     = 15 // between stacked marks
	tlLevels   = 4  // marks stacked at one place before a coarser unit is tried
	tlAxisY    = 176
	tlHeight   = 200
	tlSpacing  = 14 // the least distance between two marks' centres
	tlMaxLinks = 400
)

// tlMark is one mark of a lane: a period's events or reports.
type tlMark struct {
	bin
	name   string // of the period, at the precision of its first date
	hrefs  []string
	labels []string
	x, y   float64
}

func (m *tlMark) r() float64 { return markR(len(m.hrefs)) }

// Timeline draws events on a time axis above the articles that report them,
// a line joining each event to each report. Every mark links to its event
// (on the timeline page) or article. Marks that would overlap are stacked;
// when there are more than fit, a mark stands for a month or a year of
// events or reports. It returns nil when there are no events.
func Timeline(events []Event) *TimelinePicture {
	if len(events) == 0 {
		return nil
	}
	// Distinct reports, by page, in order of first appearance.
	var reports []Report
	seen := map[string]bool{}
	var dates []content.Date
	for _, e := range events {
		dates = append(dates, e.Date)
		for _, r := range e.Reports {
			if !seen[r.Href] {
				seen[r.Href] = true
				reports = append(reports, r)
				dates = append(dates, r.Date)
			}
		}
	}
	var (
		unit           Unit
		ax             axis
		elane, rlane   []*tlMark
		ebyHref, rbyHr map[string]*tlMark
	)
	for unit = chooseUnit(dates, tlWidth-tlLeft-tlRight, tlSpacing); ; unit++ {
		ebyHref, rbyHr = map[string]*tlMark{}, map[string]*tlMark{}
		elane = binMarks(unit, len(events), func(i int) (content.Date, string, string) {
			e := events[i]
			return e.Date, e.Href, e.Date.Human() + ": " + e.Title
		}, ebyHref)
		rlane = binMarks(unit, len(reports), func(i int) (content.Date, string, string) {
			r := reports[i]
			return r.Date, r.Href, r.Label
		}, rbyHr)
		var ts []float64
		for _, m := range append(append([]*tlMark(nil), elane...), rlane...) {
			ts = append(ts, m.t)
		}
		ax = newAxis(ts, tlLeft, tlWidth-tlRight)
		ax.names = map[float64]string{}
		for _, m := range append(append([]*tlMark(nil), elane...), rlane...) {
			if _, ok := ax.names[m.t]; !ok {
				ax.names[m.t] = m.name
			}
		}
		okE := stack(elane, ax, tlEventsY, tlStep)
		okR := stack(rlane, ax, tlReportsY, tlStep)
		if okE && okR || unit == Year {
			break
		}
	}
	// Lines: one per pair of marks, heavier for more pairs of things.
	type pair struct{ e, r *tlMark }
	links := map[pair]int{}
	var linkOrder []pair
	for _, e := range events {
		em := ebyHref[e.Href]
		done := map[*tlMark]bool{}
		for _, r := range e.Reports {
			rm := rbyHr[r.Href]
			if done[rm] {
				continue
			}
			done[rm] = true
			p := pair{em, rm}
			if links[p] == 0 {
				linkOrder = append(linkOrder, p)
			}
			links[p]++
		}
	}

	first, last := events[0].Date, events[0].Date
	for _, e := range events {
		if e.Date.Compare(first) < 0 {
			first = e.Date
		}
		if e.Date.Compare(last) > 0 {
			last = e.Date
		}
	}
	span := "in " + fmt.Sprint(first.Year)
	if last.Year != first.Year {
		span = fmt.Sprintf("from %d to %d", first.Year, last.Year)
	}
	desc := fmt.Sprintf("%s %s on a time axis, above the %s that report them; a line joins each event to each report.",
		plural(len(events), "event", "events"), span, plural(len(reports), "article", "articles"))
	if unit != Day {
		desc += fmt.Sprintf(" Each mark stands for a %s; the bigger the mark, the more it holds.", unit)
	}
	desc += " The list below gives every event with its reports."

	var w svg
	w.open("picture-timeline", "tl", "group", tlWidth, tlHeight, "Timeline of the events and of the reports", desc)
	w.raw(`<text class="lane" x="0"`)
	w.num("y", tlEventsY+4)
	w.raw(`>Events</text><text class="lane" x="0"`)
	w.num("y", tlReportsY+4)
	w.raw(`>Reports</text>`)

	// Lines under the marks: the heaviest only when there are too many.
	if len(linkOrder) > tlMaxLinks {
		sort.SliceStable(linkOrder, func(i, j int) bool { return links[linkOrder[i]] > links[linkOrder[j]] })
		linkOrder = linkOrder[:tlMaxLinks]
	}
	if len(linkOrder) > 0 {
		w.raw(`<g class="links">`)
		for _, p := range linkOrder {
			w.raw(`<path`)
			if n := links[p]; n > 1 {
				w.raw(` class="w`, fmt.Sprint(min(3, 1+int(math.Log2(float64(n))))), `"`)
			}
			w.raw(` d="M`, num(p.e.x), " ", num(p.e.y+p.e.r()), "L", num(p.r.x), " ", num(p.r.y-p.r.r()), `"/>`)
		}
		w.raw(`</g>`)
	}
	ax.draw(&w, tlAxisY, unit)
	drawMarks := func(lane []*tlMark, class, one, many string, diamond bool) {
		w.raw(`<g class="`, class, `">`)
		for _, m := range lane {
			label := m.labels[0]
			if len(m.hrefs) > 1 {
				label = aggregateLabel(m.name, plural(len(m.hrefs), one, many), m.labels)
			}
			w.link(m.hrefs[0], label)
			r := m.r()
			if diamond {
				r *= 1.25
				w.raw(`<path d="M`, num(m.x), " ", num(m.y-r), "l", num(r), " ", num(r), "l-", num(r), " ", num(r), "l-", num(r), " -", num(r), `z"/>`)
			} else {
				w.raw(`<circle`)
				w.num("cx", m.x)
				w.num("cy", m.y)
				w.num("r", r)
				w.raw(`/>`)
			}
			w.raw(`</a>`)
		}
		w.raw(`</g>`)
	}
	drawMarks(elane, "events", "event", "events", true)
	drawMarks(rlane, "reports", "report", "reports", false)
	return &TimelinePicture{SVG: w.close(), Unit: unit, Events: len(events), Reports: len(reports)}
}

// binMarks groups n things (date, link, name of each from get) into marks
// of unit, in time order, and records each link's mark in byHref.
func binMarks(unit Unit, n int, get func(int) (content.Date, string, string), byHref map[string]*tlMark) []*tlMark {
	bins := map[int]*tlMark{}
	var lane []*tlMark
	for i := range n {
		d, href, label := get(i)
		b := binOf(d, unit)
		m := bins[b.key]
		if m == nil {
			m = &tlMark{bin: b, name: unit.name(d, b)}
			bins[b.key] = m
			lane = append(lane, m)
		}
		m.hrefs = append(m.hrefs, href)
		m.labels = append(m.labels, label)
		byHref[href] = m
	}
	sort.SliceStable(lane, func(i, j int) bool { return lane[i].key < lane[j].key })
	return lane
}

// stack places a lane's marks on ax at y, moving a mark that would overlap
// one before it down a level. It reports whether every mark found a place
// within tlLevels levels (the rest share the last level).
func stack(lane []*tlMark, ax axis, y, step float64) bool {
	ok := true
	var last [tlLevels]*tlMark // the rightmost mark of each level
	for _, m := range lane {
		m.x = ax.x(m.t)
		level := 0
		for level < tlLevels && last[level] != nil && m.x-last[level].x < m.r()+last[level].r()+3 {
			level++
		}
		if level == tlLevels {
			ok, level = false, tlLevels-1
		}
		last[level] = m
		m.y = y + float64(level)*step
	}
	return ok
}

// markR is the radius of a mark standing for n things: its area grows with n.
func markR(n int) float64 { return min(4+1.6*math.Sqrt(float64(n-1)), 13) }

// aggregateLabel names a mark that stands for several things: the period,
// how many, and the first few.
func aggregateLabel(period, count string, labels []string) string {
	const show = 3
	s := period + ": " + count + ": " + strings.Join(labels[:min(show, len(labels))], "; ")
	if len(labels) > show {
		s += "; …"
	}
	return s
}
