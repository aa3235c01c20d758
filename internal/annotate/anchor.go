package annotate

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/dossier-news/dossier/internal/diag"
)

// Note is one editor's annotation, ready to be placed in the text.
type Note struct {
	ID     string // id for the <mark>, e.g. "a3"; assigned by the caller, unique per page ("a"+Number when empty)
	Number int    // display number, 1-based
	// Quote, Prefix and Suffix come from content.Annotation; straight quotes,
	// "--" and "..." are fine, they match what the typographer rendered.
	Quote, Prefix, Suffix string
	Kind                  string        // context | correction | fact-check | editorial (a CSS class and data attribute)
	Label                 string        // reader-facing label of the kind, e.g. "Context", "Fact check"
	HTML                  template.HTML // the note body, already rendered, PHRASING content only (spans, a, em...): it is placed inside a <p>
	Line                  int           // the annotation's line in File, for error messages
}

// Placement tells where a note landed.
type Placement struct {
	ID        string // the note's ID
	Paragraph string // id of the enclosing block (e.g. "p7"), "" if none
	Text      string // the passage as rendered (plain text, curly quotes as in the page)
	Sentence  string // the whole sentence(s) of the paragraph containing the passage, plain text
}

// Anchor finds each note's quote in html and wraps it. file names the
// article's source file for errors.
//
// Every note is tried and every problem reported, one per note (orphan,
// ambiguous, partly overlapping another note); the notes that anchor are placed
// regardless, so a preview can show them while the editor fixes the rest. The
// placements come in the order of notes and leave out the notes that failed.
// Quotes that contain one another nest; quotes that partly overlap are an
// error on the one that starts later, naming the other's line.
func Anchor(file string, html []byte, notes []Note) ([]byte, []Placement, diag.List) {
	return anchor(file, html, notes, nil)
}

// anchor is Anchor, with budget in place of compareBudget when set (tests).
func anchor(file string, html []byte, notes []Note, budget func(n int) int) ([]byte, []Placement, diag.List) {
	if len(notes) == 0 {
		return html, nil, nil
	}
	s := scan(html, true)
	defer s.release()
	s.budget = budget
	var probs diag.List

	type hit struct{ idx, n0, n1 int }
	var hits []hit
	var fast []found
	if len(notes) >= multiMin {
		var alike []int
		if fast, alike = s.locateAll(notes); alike != nil {
			n := notes[alike[0]]
			// The start the quotes share (as the first and the last have it).
			q, last := normalize(n.Quote), normalize(notes[alike[len(alike)-1]].Quote)
			k := 0
			for k < len(q) && k < len(last) && q[k] == last[k] {
				k++
			}
			for k > 0 && k < len(q) && !utf8.RuneStart(q[k]) {
				k--
			}
			start := q[:k]
			probs.Add(diag.Errorf(file, n.Line,
				"this and %d other annotations quote passages that start alike (%s): too many to anchor in one article, as each is compared with every place the text has those words; quote longer passages that start differently, or annotate fewer of those places",
				len(alike)-1, display(start+"…")))
			return html, nil, probs
		}
	}
	explained := 0
	for i := range notes {
		var n0, n1 int
		if fast != nil && fast[i].count == 1 {
			n0, n1 = fast[i].pos, fast[i].end
		} else if fast != nil && explained >= maxExplained && normalize(notes[i].Quote) != "" {
			probs.Add(fast[i].problem(file, &notes[i]))
			continue
		} else {
			explained++
			var p diag.Problem
			var ok bool
			if n0, n1, p, ok = s.locate(file, &notes[i]); !ok {
				if p.Msg != "" {
					probs.Add(p)
				}
				continue
			}
		}
		// Widen to whole entities so that the overlap check below sees what
		// the marks will really cover.
		for n0 > 0 && s.start[n0] >= 0 && s.start[n0-1] == s.start[n0] {
			n0--
		}
		for n1 < len(s.text) && s.start[n1-1] >= 0 && s.start[n1] == s.start[n1-1] {
			n1++
		}
		hits = append(hits, hit{i, n0, n1})
	}

	// Nesting check: sorted by start (longest first), the open ranges form a
	// chain of nested ranges; a range must fit inside the innermost one it
	// starts in, or it partly overlaps it.
	sorted := slices.Clone(hits)
	slices.SortFunc(sorted, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.n0, b.n0), cmp.Compare(b.n1, a.n1), cmp.Compare(a.idx, b.idx))
	})
	placed := make([]bool, len(notes))
	var open []hit
	for _, h := range sorted {
		for len(open) > 0 && open[len(open)-1].n1 <= h.n0 {
			open = open[:len(open)-1]
		}
		if len(open) > 0 && h.n1 > open[len(open)-1].n1 {
			o := notes[open[len(open)-1].idx]
			n := notes[h.idx]
			probs.Add(diag.Errorf(file, n.Line,
				"annotation quote %s overlaps the quote of the annotation at line %d (%s): annotations may nest but not partly overlap; shorten one of them",
				display(n.Quote), o.Line, display(o.Quote)))
			continue
		}
		open = append(open, h)
		placed[h.idx] = true
	}

	var edits []edit
	var places []Placement
	cache := newSentenceCache()
	for _, h := range hits {
		if !placed[h.idx] {
			continue
		}
		n := &notes[h.idx]
		id := n.ID
		if id == "" {
			id = "a" + strconv.Itoa(n.Number)
		}
		runs := s.rawRuns(h.n0, h.n1)
		if len(runs) == 0 {
			continue // cannot happen: a trimmed quote starts and ends in text
		}
		for i, r := range runs {
			edits = append(edits,
				edit{pos: r.r0, phase: phaseOpen, k1: -r.r1, k2: -h.n1, k3: h.idx, s: markOpen(id, n.Kind, i == 0)},
				edit{pos: r.r1, phase: phaseClose, k1: -r.r0, k2: h.n1, k3: -h.idx, s: "</mark>"})
		}
		last := runs[len(runs)-1]
		pos := last.r1
		// Interactive content may not nest: a note whose passage ends inside a
		// link goes after the link.
		if in := s.segs[last.seg].inter; in >= 0 && s.interEnd[in] >= 0 {
			pos = int(s.interEnd[in])
		}
		edits = append(edits, edit{pos: pos, phase: phaseNote, k1: h.idx, s: noteSlot(id)})
		places = append(places, Placement{
			ID:        id,
			Paragraph: s.blockAt(h.n0),
			Text:      s.plainText(h.n0, h.n1),
			Sentence:  s.sentence(h.n0, h.n1, cache),
		})
	}
	return applyEdits(html, edits), places, probs
}

// maxExplained is the number of an article's notes that do not anchor
// whose problem is explained in full (where the quote occurs, the nearest
// passage to one that does not): each explanation searches the whole text
// again, so explaining every one was quadratic (10,000 notes whose quotes
// were not in the text took 20 s). The others are told in short, from what
// locateAll found.
const maxExplained = 16

// problem says in short what locateAll found of a note that does not anchor.
func (f found) problem(file string, n *Note) diag.Problem {
	q := display(n.Quote)
	switch {
	case !f.seen:
		return notInText(file, n)
	case f.count == 0:
		return diag.Errorf(file, n.Line, "annotation quote %s occurs in the text but never with the given prefix/suffix: copy prefix: and suffix: exactly from the text around the passage", q)
	case normalize(n.Prefix) != "" || normalize(n.Suffix) != "":
		return diag.Errorf(file, n.Line, "annotation quote %s occurs more than once with the given prefix/suffix: lengthen prefix: or suffix: to pick one", q)
	default:
		return diag.Errorf(file, n.Line, "annotation quote %s occurs more than once: add prefix: or suffix: to pick one", q)
	}
}

// locate finds the one occurrence of n's quote that its prefix and suffix
// allow, as a range of s.text, or says what is wrong.
func (s *stream) locate(file string, n *Note) (n0, n1 int, p diag.Problem, ok bool) {
	q := normalize(n.Quote)
	if q == "" {
		if strings.TrimSpace(n.Quote) == "" {
			// content.Validate's problem ("annotation has no quote"):
			// said once, there.
			return 0, 0, diag.Problem{}, false
		}
		return 0, 0, diag.Errorf(file, n.Line, "annotation's quote %q has no visible text: copy the passage it annotates into quote:", n.Quote), false
	}
	pre, suf := normalize(n.Prefix), normalize(n.Suffix)
	t := s.text
	var all, matched []int
	for from := 0; from <= len(t)-len(q); {
		k := strings.Index(t[from:], q)
		if k < 0 {
			break
		}
		k += from
		all = append(all, k)
		if s.contextOK(k, k+len(q), pre, suf) {
			matched = append(matched, k)
		}
		_, size := utf8.DecodeRuneInString(t[k:])
		from = k + size
	}
	switch {
	case len(matched) == 1:
		return matched[0], matched[0] + len(q), p, true
	case len(all) == 0:
		return 0, 0, s.orphan(file, n, q), false
	case len(matched) == 0:
		var ctx []string
		if pre != "" {
			ctx = append(ctx, "prefix "+display(n.Prefix))
		}
		if suf != "" {
			ctx = append(ctx, "suffix "+display(n.Suffix))
		}
		return 0, 0, diag.Errorf(file, n.Line,
			"annotation quote %s occurs %s%s but never with %s: copy prefix: and suffix: exactly from the text around the passage",
			display(n.Quote), times(len(all)), s.blockList(all), strings.Join(ctx, " and ")), false
	case pre != "" || suf != "":
		return 0, 0, diag.Errorf(file, n.Line,
			"annotation quote %s occurs %s with the given prefix/suffix%s: lengthen prefix: or suffix: to pick one",
			display(n.Quote), times(len(matched)), s.blockList(matched)), false
	default:
		return 0, 0, diag.Errorf(file, n.Line,
			"annotation quote %s occurs %s%s: add prefix: or suffix: to pick one",
			display(n.Quote), times(len(all)), s.blockList(all)), false
	}
}

// contextOK checks prefix and suffix around text range [k, e). Whitespace where
// they meet the quote is optional, since YAML makes trailing spaces easy to lose,
// and a block break counts as a space, so a prefix may come from the previous
// paragraph.
func (s *stream) contextOK(k, e int, pre, suf string) bool {
	t := s.text
	if pre != "" {
		if k > 0 && (t[k-1] == ' ' || t[k-1] == '\n') {
			k--
		}
		if k < len(pre) || !eqBreakSpace(t[k-len(pre):k], pre) {
			return false
		}
	}
	if suf != "" {
		if e < len(t) && (t[e] == ' ' || t[e] == '\n') {
			e++
		}
		if len(t)-e < len(suf) || !eqBreakSpace(t[e:e+len(suf)], suf) {
			return false
		}
	}
	return true
}

// eqBreakSpace compares text with a normalised string, a block break in the
// text matching a space.
func eqBreakSpace(text, s string) bool {
	for i := 0; i < len(s); i++ {
		c := text[i]
		if c == '\n' {
			c = ' '
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// orphan explains a quote that is nowhere in the text.
func (s *stream) orphan(file string, n *Note, q string) diag.Problem {
	// Reading on across block breaks tells a passage split between
	// paragraphs from a mistyped one.
	if k := strings.Index(strings.ReplaceAll(s.text, "\n", " "), q); k >= 0 {
		return diag.Errorf(file, n.Line,
			"annotation quote %s is not in the article text: it runs across a paragraph break%s; quote a passage within one paragraph, list item or heading",
			display(n.Quote), s.blockList([]int{k, k + len(q) - 1}))
	}
	if a, b, ok := s.nearest(q); ok {
		return diag.Errorf(file, n.Line,
			"annotation quote %s is not in the article text (did you mean %s?): copy the passage exactly as it appears",
			display(n.Quote), display(s.plainText(a, b)))
	}
	return notInText(file, n)
}

// notInText is the problem of a quote that is not in the text, when no
// nearer passage is known.
func notInText(file string, n *Note) diag.Problem {
	return diag.Errorf(file, n.Line, "annotation quote %s is not in the article text: copy the passage exactly as it appears", display(n.Quote))
}

// blockList names the blocks holding the given text offsets: " (p3, p9)".
func (s *stream) blockList(pos []int) string {
	var ids []string
	unanchored := 0 // in a block without an id (a code block, a table)
	for _, p := range pos {
		id := s.blockAt(p)
		switch {
		case id == "":
			unanchored++
		case !slices.Contains(ids, id) && len(ids) < 9:
			if len(ids) == 8 {
				id = "…"
			}
			ids = append(ids, id)
		}
	}
	list := strings.Join(ids, ", ")
	if unanchored > 0 {
		// Named too, or "occurs 2 times (p1)" reads as a mistake.
		more := strconv.Itoa(unanchored) + " in blocks without an anchor"
		if unanchored == 1 {
			more = "1 in a block without an anchor"
		}
		if list != "" {
			list += ", and "
		}
		list += more
	}
	if list == "" {
		return ""
	}
	return " (" + list + ")"
}

func times(n int) string {
	if n == 1 {
		return "once"
	}
	return strconv.Itoa(n) + " times"
}

// display quotes an editor's or the article's text for a message, on one
// line and shortened in the middle when long.
func display(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	if utf8.RuneCountInString(t) > 100 {
		r := []rune(t)
		t = string(r[:65]) + " … " + string(r[len(r)-30:])
	}
	return `"` + t + `"`
}

// classToken makes a kind safe as part of a class name.
func classToken(k string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return r
		}
		return '-'
	}, k)
}

func markOpen(id, kind string, first bool) string {
	var b strings.Builder
	b.WriteString(`<mark class="ann ann-`)
	b.WriteString(classToken(kind))
	b.WriteString(`" data-note="`)
	b.WriteString(html.EscapeString(id))
	b.WriteString(`" data-kind="`)
	b.WriteString(html.EscapeString(kind))
	if first {
		b.WriteString(`" id="`)
		b.WriteString(html.EscapeString(id))
		b.WriteString(`" aria-describedby="`)
		b.WriteString(html.EscapeString(id + "-n"))
	}
	b.WriteString(`">`)
	return b.String()
}

// noteSlot is the placeholder Anchor leaves where a passage's note goes: a
// comment, which no later text scan (entity links, paragraph texts, sentences)
// sees, replaced by PlaceNotes with the note's markup at the very end.
func noteSlot(id string) string { return slotOpen + html.EscapeString(id) + slotClose }

const slotOpen, slotClose = "<!--dossier-note ", "-->"

// maxSlot is the longest placeholder countSlots finds: an id is "a" and a
// number.
const maxSlot = len(slotOpen) + 32 + len(slotClose)

// countSlots counts the placeholders in src, each as bytes.Count would
// count it, in one pass; scanned, when set, counts the bytes it reads
// (tests count work with it, not time).
func countSlots(src []byte, scanned *int) map[string]int {
	counts := map[string]int{}
	if scanned != nil {
		*scanned += len(src)
	}
	for rest := src; ; {
		k := bytes.Index(rest, []byte(slotOpen))
		if k < 0 {
			return counts
		}
		rest = rest[k:]
		window := rest[:min(len(rest), maxSlot)]
		if end := bytes.Index(window[len(slotOpen):], []byte(slotClose)); end >= 0 {
			counts[string(window[:len(slotOpen)+end+len(slotClose)])]++
		}
		// Past the opening only: the placeholder cannot overlap itself,
		// but a broken one may hold a whole one.
		rest = rest[len(slotOpen):]
	}
}

// PlaceNotes puts each placed note's markup (made by markup, from the
// project's "note" template in a build) where Anchor left its placeholder.
// A placeholder that occurs more than once (raw HTML that copied one, in an
// article that allows raw HTML) is an error.
//
// The placeholders are counted in one pass over src (counting each note's
// in a pass of its own was quadratic: 16,000 notes took 18 s).
func PlaceNotes(src []byte, notes []Note, markup func(n *Note) (string, error)) ([]byte, error) {
	return placeNotes(src, notes, markup, nil)
}

// placeNotes is PlaceNotes; scanned, when set, counts the bytes of src read
// (see countSlots).
func placeNotes(src []byte, notes []Note, markup func(n *Note) (string, error), scanned *int) ([]byte, error) {
	var pairs []string
	slots := countSlots(src, scanned)
	for i := range notes {
		slot := noteSlot(notes[i].ID)
		switch slots[slot] {
		case 0:
			continue // not anchored
		case 1:
		default:
			return nil, fmt.Errorf("the text contains the placeholder of note %s more than once: remove %q from the article's raw HTML", notes[i].ID, slot)
		}
		m, err := markup(&notes[i])
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, slot, m)
	}
	if len(pairs) == 0 {
		return src, nil
	}
	return []byte(strings.NewReplacer(pairs...).Replace(string(src))), nil
}
