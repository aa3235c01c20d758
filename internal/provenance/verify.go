// Package provenance checks that an article's rendition is its original word
// for word: every word of the rendition appears in the original, in the same
// order, and every passage of the original that the rendition leaves out is
// accounted for by a `removed:` entry quoting it. It also lays out the
// original for the comparison page, with the removed passages marked and the
// rendition's paragraph anchors beside its lines.
//
// Both texts are compared as words and punctuation marks in a comparison form
// (see tokenize): whitespace, Unicode form (NFKC), typographic quotes and
// dashes do not count; Markdown does not either, because the rendition's
// rendered text is compared, not its source.
package provenance

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/dossier-news/dossier/internal/diag"
)

// Run is a piece of the rendition's rendered text (see markdown.TextRun). A
// run "\n" separates blocks.
type Run struct {
	Text   string
	Line   int    // line in the article file
	Anchor string // id of the enclosing block, "p7"
}

// Removal is one `removed:` entry.
type Removal struct {
	Text, Why string
	Line      int // line of the entry in the article file
}

// Input is the rendition to verify.
type Input struct {
	File         string // the article file, for problems
	OriginalFile string // the original's file, for messages and the report
	OriginalLine int    // line of `original:` in File
	BodyLine     int    // first line of the body in File
	Title        string // the article's title: the original's headline, when it has one, needs no removed: entry
	Text         []Run
	Removed      []Removal
	RemovedLine  int // line of `removed:` in File, 0 when absent
}

// MaxProblems is how many differences are reported for one article before
// the rest are summed up.
const MaxProblems = 20

// Verify compares the rendition with the original's bytes. Problems are
// errors at the article's file and line (a word added or changed, a passage
// left out with no entry quoting it) and warnings (an entry that quotes
// nothing left out). The report lays out the original for the comparison
// page; it is nil when the original is not text.
func Verify(in Input, original []byte) (*Report, diag.List) {
	var ps diag.List
	if !utf8.Valid(original) {
		ps.Add(diag.Errorf(in.File, in.OriginalLine, "original %s is not UTF-8 text: save the scraped page as UTF-8", in.OriginalFile))
		return nil, ps
	}
	v := &verifier{in: in, orig: string(original), words: newInterner()}
	var b strings.Builder
	for _, r := range in.Text {
		v.runStart = append(v.runStart, int32(b.Len()))
		b.WriteString(r.Text)
	}
	v.rend = b.String()
	v.ot = tokenize(v.orig, v.words)
	v.rt = tokenize(v.rend, v.words)
	a, bb := ids(v.ot), ids(v.rt)
	v.ops = slide(align(a, bb, len(v.words.forms)), a, v.boundary)
	v.classify()
	ps.Merge(v.mismatches())
	v.markTitle()
	v.passages()
	ps.Merge(v.cover())
	return v.report(), ps
}

func ids(ts []token) []int32 {
	out := make([]int32, len(ts))
	for i, t := range ts {
		out[i] = t.id
	}
	return out
}

// Token states in the original.
const (
	kept    uint8 = iota // in the rendition
	removed              // left out
	changed              // replaced by other words (an error)
	title                // the headline, shown as the page's title
)

type verifier struct {
	in       Input
	orig     string // the original's text
	rend     string // the rendition's text, runs joined
	runStart []int32
	words    *interner
	ot, rt   []token
	ops      []op

	state   []uint8 // per original token
	match   []int32 // per original token: the rendition token it is, -1
	hunks   []hunk  // differences with rendition words in them
	removed []span  // maximal runs of original tokens left out, in order
	title   span
	pass    []*passage
	occOf   map[*Passage][]occurrence // for the report
	nl      []int32                   // offsets of the original's line feeds, for oline
}

type span struct{ i0, i1 int } // original tokens [i0, i1)

type hunk struct{ a0, a1, b0, b1 int }

type passage struct {
	span
	whys []int        // indexes of the entries covering it
	occ  []occurrence // where they quote it
}

// occurrence is where entry e quotes a passage: original tokens [i0, i1).
type occurrence struct {
	e int
	span
}

// classify sets every original token's state from the alignment.
func (v *verifier) classify() {
	v.state = make([]uint8, len(v.ot))
	v.match = make([]int32, len(v.ot))
	i, j := 0, 0
	for k := 0; k < len(v.ops); {
		o := v.ops[k]
		if o.kind == opEqual {
			for x := 0; x < o.n; x++ {
				v.match[i+x] = int32(j + x)
			}
			i, j = i+o.n, j+o.n
			k++
			continue
		}
		// A hunk: the non-equal steps between two equal ones.
		h := hunk{a0: i, b0: j}
		for ; k < len(v.ops) && v.ops[k].kind != opEqual; k++ {
			if v.ops[k].kind == opDelete {
				i += v.ops[k].n
			} else {
				j += v.ops[k].n
			}
		}
		h.a1, h.b1 = i, j
		st := removed
		if h.b1 > h.b0 {
			st = changed
			v.hunks = append(v.hunks, h)
		} else {
			v.removed = append(v.removed, span{h.a0, h.a1})
		}
		for x := h.a0; x < h.a1; x++ {
			v.state[x], v.match[x] = st, -1
		}
	}
}

// boundary scores the place before original token i as an edge of a
// removed passage: the ends of the text, a blank line, a line break, the end
// of a sentence, a space, nothing.
func (v *verifier) boundary(i int) int {
	if i <= 0 || i >= len(v.ot) {
		return 6
	}
	var gap string
	if p, q := v.ot[i-1].end, v.ot[i].start; p < q {
		gap = v.orig[p:q]
	}
	switch n := strings.Count(gap, "\n"); {
	case n >= 2:
		return 5
	case n == 1:
		return 4
	case gap == "":
		return 0
	}
	switch v.words.forms[v.ot[i-1].id] {
	case ".", "!", "?", ":":
		return 3
	}
	return 1
}

// mismatches reports each hunk with rendition words: words added or changed.
func (v *verifier) mismatches() diag.List {
	var ps diag.List
	for n, h := range v.hunks {
		if n == MaxProblems {
			added := 0
			for _, h := range v.hunks {
				added += h.b1 - h.b0
			}
			ps.Add(diag.Errorf(v.in.File, v.rline(h.b0), "…and %d more places where the rendition differs from %s (%d words and marks in all are not in the original): is original: the right file?", len(v.hunks)-n, v.in.OriginalFile, added))
			break
		}
		var parts []string
		if pre := v.slice(v.rt, v.rend, h.b0-contextWords, h.b0); pre != "" {
			if h.b0 > contextWords {
				pre = "…" + pre
			}
			parts = append(parts, pre)
		}
		if h.a1 > h.a0 {
			parts = append(parts, "[-"+v.slice(v.ot, v.orig, h.a0, h.a1)+"-]")
		}
		parts = append(parts, "{+"+v.slice(v.rt, v.rend, h.b0, h.b1)+"+}")
		if post := v.slice(v.rt, v.rend, h.b1, h.b1+contextWords); post != "" {
			if h.b1+contextWords < len(v.rt) {
				post += "…"
			}
			parts = append(parts, post)
		}
		diff := strings.Join(parts, " ")
		near := v.nearest(h)
		if h.a1 > h.a0 {
			ps.Add(diag.Errorf(v.in.File, v.rline(h.b0), "not word for word: the rendition has %s where the original has %s: %s (original %s:%d: %s)",
				quote(v.slice(v.rt, v.rend, h.b0, h.b1)), quote(v.slice(v.ot, v.orig, h.a0, h.a1)), diff, v.in.OriginalFile, v.oline(h.a0), near))
		} else {
			ps.Add(diag.Errorf(v.in.File, v.rline(h.b0), "not word for word: the rendition adds %s, which is not in the original there: %s (original %s:%d: %s)",
				quote(v.slice(v.rt, v.rend, h.b0, h.b1)), diff, v.in.OriginalFile, v.oline(min(h.a0, len(v.ot)-1)), near))
		}
	}
	return ps
}

// contextWords is how many tokens of context a diff shows on each side.
const contextWords = 6

// nearest is the original's text where the hunk is: what the rendition
// should say there.
func (v *verifier) nearest(h hunk) string {
	return quote(v.slice(v.ot, v.orig, h.a0-contextWords, h.a1+contextWords))
}

// markTitle finds the headline in the original: the title on lines of its
// own (the words of no other line before or after it), the first time the
// original has it there. When the rendition leaves it out it needs no
// removed: entry, as the page shows it as its title; the title's words in
// the middle of a sentence, or a headline printed twice, are passages like
// any other.
func (v *verifier) markTitle() {
	tt := tokenize(v.in.Title, v.words)
	if len(tt) == 0 || len(tt) > len(v.ot) {
		return
	}
	hs, hp := encode(ids(v.ot)), encode(ids(tt))
	for from := 0; ; {
		k := strings.Index(hs[from:], hp)
		if k < 0 {
			return
		}
		if (from+k)%4 != 0 {
			from += k + 1
			continue
		}
		i0 := (from + k) / 4
		i1 := i0 + len(tt)
		if v.lineBreakBefore(i0) && v.lineBreakBefore(i1) {
			for x := i0; x < i1; x++ {
				if v.state[x] != removed {
					return // the headline is in the rendition
				}
			}
			v.title = span{i0, i1}
			for x := i0; x < i1; x++ {
				v.state[x] = title
			}
			return
		}
		from += k + 4
	}
}

// lineBreakBefore reports whether a line ends between original token i and
// the one before it (the start and the end of the text count).
func (v *verifier) lineBreakBefore(i int) bool {
	if i <= 0 || i >= len(v.ot) {
		return true
	}
	return strings.IndexByte(v.orig[v.ot[i-1].end:v.ot[i].start], '\n') >= 0
}

// passages splits the removed stretches around the title.
func (v *verifier) passages() {
	for _, s := range v.removed {
		if v.title.i1 > v.title.i0 && v.title.i0 >= s.i0 && v.title.i1 <= s.i1 {
			if v.title.i0 > s.i0 {
				v.pass = append(v.pass, &passage{span: span{s.i0, v.title.i0}})
			}
			if s.i1 > v.title.i1 {
				v.pass = append(v.pass, &passage{span: span{v.title.i1, s.i1}})
			}
			continue
		}
		v.pass = append(v.pass, &passage{span: s})
	}
}

// cover matches removed: entries with the passages they quote, and reports
// passages no entry quotes (errors) and entries that quote nothing left out
// (warnings).
func (v *verifier) cover() diag.List {
	var ps diag.List
	origIDs := ids(v.ot)
	whole := encode(origIDs)
	for e, r := range v.in.Removed {
		pat := ids(tokenize(r.Text, v.words))
		if len(pat) == 0 {
			continue // content validation reports it
		}
		used := false
		for _, p := range v.pass {
			if at := indexTokens(origIDs[p.i0:p.i1], pat); at >= 0 {
				p.whys = append(p.whys, e)
				p.occ = append(p.occ, occurrence{e, span{p.i0 + at, p.i0 + at + len(pat)}})
				used = true
			}
		}
		if used {
			continue
		}
		if at := indexEncoded(whole, pat); at >= 0 {
			ps.Add(diag.Warnf(v.in.File, r.Line, "removed entry %s quotes text the rendition keeps (original %s:%d): remove the entry, or the passage from the text", quote(r.Text), v.in.OriginalFile, v.oline(at)))
			continue
		}
		hint := ""
		for k := min(len(pat), 4); k >= 2; k-- {
			if at := indexEncoded(whole, pat[:k]); at >= 0 {
				hint = fmt.Sprintf(" (it starts like %s:%d: %s)", v.in.OriginalFile, v.oline(at), quote(v.slice(v.ot, v.orig, at, at+len(pat)+2)))
				break
			}
		}
		ps.Add(diag.Warnf(v.in.File, r.Line, "removed entry %s is not in the original %s: quote the passage left out as it is written there%s", quote(r.Text), v.in.OriginalFile, hint))
	}
	where := "add an entry to removed:"
	if v.in.RemovedLine > 0 {
		where = fmt.Sprintf("add an entry under removed: (line %d)", v.in.RemovedLine)
	}
	n := 0
	for _, p := range v.pass {
		if len(p.whys) > 0 {
			continue
		}
		if n++; n > MaxProblems {
			continue
		}
		text := v.slice(v.ot, v.orig, p.i0, p.i1)
		ps.Add(diag.Errorf(v.in.File, v.gapLine(p.i0, p.i1), "the rendition leaves out %s (original %s:%d) but no removed: entry quotes it: %s, e.g. - text: %s with why: and the reason",
			quote(text), v.in.OriginalFile, v.oline(p.i0), where, yamlQuote(firstWords(text, 8))))
	}
	if n > MaxProblems {
		ps.Add(diag.Errorf(v.in.File, v.in.BodyLine, "…and %d more passages of %s left out with no removed: entry", n-MaxProblems, v.in.OriginalFile))
	}
	return ps
}

// gapLine is the article line where a passage would be: that of the rendition
// word after it, or before it at the end of the text.
func (v *verifier) gapLine(i0, i1 int) int {
	for x := i1; x < len(v.ot); x++ {
		if v.match[x] >= 0 {
			return v.rline(int(v.match[x]))
		}
	}
	for x := i0 - 1; x >= 0; x-- {
		if v.match[x] >= 0 {
			return v.rline(int(v.match[x]))
		}
	}
	return v.in.BodyLine
}

// run returns the index of the run holding rendition offset off.
func (v *verifier) run(off int32) int {
	return max(0, sort.Search(len(v.runStart), func(i int) bool { return v.runStart[i] > off })-1)
}

// rline is the article line of rendition token j.
func (v *verifier) rline(j int) int {
	if len(v.rt) == 0 || len(v.in.Text) == 0 {
		return v.in.BodyLine
	}
	j = min(max(j, 0), len(v.rt)-1)
	return v.in.Text[v.run(v.rt[j].start)].Line
}

// oline is the original's line of original token i.
func (v *verifier) oline(i int) int {
	if len(v.ot) == 0 {
		return 1
	}
	if v.nl == nil {
		v.nl = []int32{}
		for k := 0; k < len(v.orig); k++ {
			if v.orig[k] == '\n' {
				v.nl = append(v.nl, int32(k))
			}
		}
	}
	i = min(max(i, 0), len(v.ot)-1)
	start := v.ot[i].start
	return 1 + sort.Search(len(v.nl), func(k int) bool { return v.nl[k] >= start })
}

// slice returns the text of tokens [i0, i1) (clamped), whitespace collapsed.
func (v *verifier) slice(ts []token, text string, i0, i1 int) string {
	i0, i1 = max(i0, 0), min(i1, len(ts))
	if i0 >= i1 {
		return ""
	}
	return collapse(text[ts[i0].start:ts[i1-1].end])
}

// indexTokens returns the first index of pat in s, or -1. Token ids are
// compared as bytes so that the search is bytes.Index's (linear, whatever the
// texts).
func indexTokens(s, pat []int32) int {
	if len(pat) == 0 || len(pat) > len(s) {
		return -1
	}
	if len(pat) == 1 {
		return slices.Index(s, pat[0])
	}
	return indexEncoded(encode(s), pat)
}

// indexEncoded is indexTokens on an encoded text.
func indexEncoded(hs string, pat []int32) int {
	if len(pat) == 0 || 4*len(pat) > len(hs) {
		return -1
	}
	hp := encode(pat)
	for from := 0; ; {
		k := strings.Index(hs[from:], hp)
		if k < 0 {
			return -1
		}
		if (from+k)%4 == 0 {
			return (from + k) / 4
		}
		from += k + 1
	}
}

func encode(ids []int32) string {
	b := make([]byte, 4*len(ids))
	for i, id := range ids {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(id))
	}
	return string(b)
}

// collapse turns every run of whitespace into one space and shortens long
// texts in the middle.
func collapse(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 160 {
		head, tail := string(r[:100]), string(r[len(r)-50:])
		// Cut between words.
		if i := strings.LastIndexByte(head, ' '); i > 0 {
			head = head[:i]
		}
		if i := strings.IndexByte(tail, ' '); i >= 0 {
			tail = tail[i+1:]
		}
		s = head + " … " + tail
	}
	return s
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		return strings.Join(f[:n], " ")
	}
	return s
}

func quote(s string) string { return "“" + s + "”" }

// yamlQuote writes s as a YAML double-quoted string.
func yamlQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
