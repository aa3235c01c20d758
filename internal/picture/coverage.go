package picture

import (
	"fmt"
	"html/template"
	"math"
	"sort"

	"github.com/dossier-news/dossier/internal/content"
)

// Dated is an article for Coverage: its outlet and date.
type Dated struct {
	Outlet string
	Date   content.Date
}

// Outlet is a column of the coverage table.
type Outlet struct {
	Name string
	Href string // its page; "" for the column of other outlets
}

// CoveragePicture shows which outlet reported when. Periods and Counts are
// the same numbers as a table, for the text alternative beside the picture.
type CoveragePicture struct {
	SVG     template.HTML
	Unit    Unit
	Outlets []Outlet      // the columns: outlets with most articles, then "Other outlets" if any
	Rows    []CoverageRow // one per period with articles, oldest first
}

// CoverageRow is one period of the coverage table.
type CoverageRow struct {
	Period string // "7 May 2013", "May 2013" or "2013"
	Counts []int  // per Outlets column
	Total  int
}

// Coverage geometry, in SVG units.
const (
	cvWidth      = 960
	cvRight      = 16
	cvRowH       = 24
	cvTop        = 8
	cvSpacing    = 12
	cvMaxOutlets = 12 // rows; the others share one
	cvMaxLabel   = 30 // characters of an outlet's name drawn
	cvMaxR       = 10
	cvMinR       = 2.5
	cvMaxTips    = 200 // dots with a tooltip each; more get none
)

// Coverage draws a row per outlet and a dot for every period in which it
// published, its area growing with the number of articles: which outlet
// reported what, and when. outlets maps an outlet's name to its page. Outlets
// beyond the twelve with most articles share a row. It returns nil when there
// are no articles.
func Coverage(articles []Dated, outlets map[string]string) *CoveragePicture {
	if len(articles) == 0 {
		return nil
	}
	// Rows: outlets by number of articles, then name.
	count := map[string]int{}
	var dates []content.Date
	for _, a := range articles {
		count[a.Outlet]++
		dates = append(dates, a.Date)
	}
	names := make([]string, 0, len(count))
	for n := range count {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if count[names[i]] != count[names[j]] {
			return count[names[i]] > count[names[j]]
		}
		return names[i] < names[j]
	})
	row := map[string]int{}
	var cols []Outlet
	for i, n := range names {
		if i == cvMaxOutlets && len(names) > cvMaxOutlets+1 {
			cols = append(cols, Outlet{Name: fmt.Sprintf("%d other outlets", len(names)-cvMaxOutlets)})
			for _, m := range names[i:] {
				row[m] = i
			}
			break
		}
		row[n] = i
		cols = append(cols, Outlet{Name: n, Href: outlets[n]})
	}

	left := 0.0
	for _, c := range cols {
		left = max(left, textWidth(clip(c.Name, cvMaxLabel)))
	}
	left += 12
	unit := chooseUnit(dates, cvWidth-left-cvRight, cvSpacing)

	// Cells: (period, row) -> count.
	type cell struct{ key, row int }
	cells := map[cell]int{}
	periods := map[int]bin{}
	for _, a := range articles {
		b := binOf(a.Date, unit)
		periods[b.key] = b
		cells[cell{b.key, row[a.Outlet]}]++
	}
	keys := make([]int, 0, len(periods))
	var ts []float64
	for k, b := range periods {
		keys = append(keys, k)
		ts = append(ts, b.t)
	}
	sort.Ints(keys)
	most := 0
	for _, n := range cells {
		most = max(most, n)
	}

	p := &CoveragePicture{Unit: unit, Outlets: cols}
	for _, k := range keys {
		r := CoverageRow{Period: unit.label(periods[k]), Counts: make([]int, len(cols))}
		for i := range cols {
			r.Counts[i] = cells[cell{k, i}]
			r.Total += r.Counts[i]
		}
		p.Rows = append(p.Rows, r)
	}

	axisY := cvTop + float64(len(cols))*cvRowH + 6
	height := axisY + 26
	ax := newAxis(ts, left, cvWidth-cvRight)
	ax.names = map[float64]string{}
	for _, b := range periods {
		ax.names[b.t] = unit.label(b)
	}
	first, last := p.Rows[0].Period, p.Rows[len(p.Rows)-1].Period
	when := first
	if first != last {
		when = first + " to " + last
	}
	desc := fmt.Sprintf("%s from %s, %s: a row per outlet, a dot for each %s in which it published, bigger for more articles. The table below gives the numbers.",
		plural(len(articles), "article", "articles"), plural(len(names), "outlet", "outlets"), when, unit)

	var w svg
	w.open("picture-coverage", "cov", "img", cvWidth, height, "Which outlet reported when", desc)
	for i, c := range cols {
		y := cvTop + float64(i)*cvRowH + cvRowH/2
		w.raw(`<text class="lane"`)
		w.num("x", 0)
		w.num("y", y+4)
		w.raw(`>`)
		w.text(clip(c.Name, cvMaxLabel))
		w.raw(`</text><path class="grid" d="M`, num(left), " ", num(y), "H", num(cvWidth-cvRight), `"/>`)
	}
	ax.draw(&w, axisY, unit)
	// Dots as big as the space between periods allows; each with a tooltip
	// while they are few (the table gives the numbers anyway).
	maxR := float64(cvMaxR)
	for i := 1; i < len(keys); i++ {
		maxR = min(maxR, max(cvMinR, (ax.x(periods[keys[i]].t)-ax.x(periods[keys[i-1]].t))/2-0.5))
	}
	tips := len(cells) <= cvMaxTips
	w.raw(`<g class="dots">`)
	for _, k := range keys {
		x := ax.x(periods[k].t)
		for i, c := range cols {
			n := cells[cell{k, i}]
			if n == 0 {
				continue
			}
			w.raw(`<circle`)
			w.num("cx", x)
			w.num("cy", cvTop+float64(i)*cvRowH+cvRowH/2)
			w.num("r", max(cvMinR, maxR*math.Sqrt(float64(n)/float64(most))))
			if !tips {
				w.raw(`/>`)
				continue
			}
			w.raw(`><title>`)
			w.text(c.Name + ", " + unit.label(periods[k]) + ": " + plural(n, "article", "articles"))
			w.raw(`</title></circle>`)
		}
	}
	w.raw(`</g>`)
	p.SVG = w.close()
	return p
}

// clip shortens s to n characters, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
