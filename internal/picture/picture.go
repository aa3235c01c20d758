// Package picture draws the dossier's pictures at build time, as inline SVG
// that needs no script in the browser: a time axis of the timeline's events
// and the reports behind them, which outlet reported when (outlets × dates),
// and who appears with whom in the articles (a co-mention graph laid out with
// gonum's force-directed layout).
//
// Every picture is accessible (a <title> and <desc> named by aria-labelledby
// and aria-describedby; a picture whose marks are links is a group, since an
// img may hold no links), themed by CSS classes and custom properties rather
// than colours written in the markup (so dark mode and print restyle it), and
// deterministic: the same input gives the same bytes, coordinates rounded to
// a tenth of a unit. Every text it writes is escaped. Dense input is
// aggregated (by month or year, the top entities only) so that a picture
// stays readable, and small, at ten thousand articles.
//
// The templates place the pictures (as template.HTML) and the text
// alternatives beside them, from the data the functions here return.
package picture

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// svg accumulates SVG markup. Texts go through esc; numbers through num.
type svg struct{ b strings.Builder }

func (w *svg) raw(ss ...string) {
	for _, s := range ss {
		w.b.WriteString(s)
	}
}

// text writes s escaped for element content or a quoted attribute value.
func (w *svg) text(s string) { w.b.WriteString(esc(s)) }

// esc escapes s for SVG text or a double-quoted attribute inside HTML.
func esc(s string) string { return html.EscapeString(s) }

// attr writes ` name="value"` with value escaped.
func (w *svg) attr(name, value string) {
	w.raw(" ", name, `="`, esc(value), `"`)
}

// num writes ` name="x"` for a number, rounded to a tenth.
func (w *svg) num(name string, x float64) {
	w.raw(" ", name, `="`, num(x), `"`)
}

// num formats x with at most one decimal, without a trailing ".0": the
// rounding keeps output bytes identical across builds and small.
func num(x float64) string {
	r := math.Round(x*10) / 10
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// open starts the <svg> element with its title and description. role is
// "img" for a picture without links, "group" for one whose marks are links
// (an img's children are presentational: it may hold nothing focusable).
func (w *svg) open(class, id, role string, width, height float64, title, desc string) {
	w.raw(`<svg class="picture `, class, `" viewBox="0 0 `, num(width), " ", num(height), `"`)
	w.num("width", width)
	w.num("height", height)
	w.raw(` role="`, role, `" aria-labelledby="`, id, `-t" aria-describedby="`, id, `-d">`)
	w.raw(`<title id="`, id, `-t">`)
	w.text(title)
	w.raw(`</title><desc id="`, id, `-d">`)
	w.text(desc)
	w.raw(`</desc>`)
}

// link opens an <a> to href whose accessible name (and tooltip) is label.
func (w *svg) link(href, label string) {
	w.raw(`<a`)
	w.attr("href", href)
	w.raw(`><title>`)
	w.text(label)
	w.raw(`</title>`)
}

func (w *svg) close() template.HTML {
	w.raw(`</svg>`)
	return template.HTML(w.b.String())
}

// plural returns "1 article" or "3 articles".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
