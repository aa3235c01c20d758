package provenance

import (
	"strconv"
	"strings"
)

// Report lays out an original for the comparison page: its lines with the
// removed passages marked, and beside each line the rendition's paragraphs
// that carry its words.
type Report struct {
	File     string     // the original's file, project-relative
	Hash     string     // identifies the original's bytes; set by the caller, for cache keys
	Lines    []Line     // the original's lines, blank ones left out
	Passages []*Passage // the passages left out, in order
	Reasons  []string   // the removed: entries' reasons, in their order, without repeats
}

// Line is one line of the original.
type Line struct {
	Number  int // 1-based line number in the original
	Parts   []Part
	Anchors []Anchor // the rendition's blocks holding this line's words, in order
}

// Part is a run of a line's text in one state: "kept" (in the rendition),
// "removed" (left out, with the passage it belongs to) or "title" (the
// headline, shown as the page title).
type Part struct {
	Text    string
	State   string
	Passage *Passage // for removed parts
	First   bool     // the passage's first part (carries its id)
	Last    bool     // the passage's last part
	// Label is set on the removed parts that carry the editors' reason:
	// those quoted by a removed: entry, with its reason in Whys (or, when no
	// part of a passage is quoted, its last part, with the passage's reasons).
	Label bool
	Whys  []string
}

// Why is the part's reasons joined.
func (p Part) Why() string { return strings.Join(p.Whys, "; ") }

// Passage is a stretch of the original the rendition leaves out.
type Passage struct {
	ID   string   // "r1", the element id on the comparison page
	Line int      // line of the original where it starts
	Text string   // its text, whitespace collapsed and shortened when long
	Whys []string // the reasons of the entries quoting it (entries without one add none)
}

// Why is the passage's reasons joined, "" when no entry gave one.
func (p *Passage) Why() string { return strings.Join(p.Whys, "; ") }

// Anchor is a block of the rendition: its element id, and its paragraph
// number when it is a paragraph ("p7" is 7), else 0.
type Anchor struct {
	ID   string
	Para int
}

func (v *verifier) report() *Report {
	r := &Report{File: v.in.OriginalFile}
	seen := map[string]bool{}
	for _, e := range v.in.Removed {
		if w := strings.TrimSpace(e.Why); w != "" && !seen[w] {
			seen[w] = true
			r.Reasons = append(r.Reasons, w)
		}
	}
	// passageOf[i] is the passage of removed original token i.
	passOf := make(map[int]*Passage, len(v.pass))
	first, last := map[int]bool{}, map[int]bool{}
	v.occOf = map[*Passage][]occurrence{}
	for n, p := range v.pass {
		ps := &Passage{ID: "r" + strconv.Itoa(n+1), Line: v.oline(p.i0), Text: v.slice(v.ot, v.orig, p.i0, p.i1)}
		for _, e := range p.whys {
			if w := strings.TrimSpace(v.in.Removed[e].Why); w != "" && !contains(ps.Whys, w) {
				ps.Whys = append(ps.Whys, w)
			}
		}
		r.Passages = append(r.Passages, ps)
		v.occOf[ps] = p.occ
		for i := p.i0; i < p.i1; i++ {
			passOf[i] = ps
		}
		first[p.i0], last[p.i1-1] = true, true
	}
	stateName := func(i int) string {
		switch v.state[i] {
		case removed:
			if passOf[i] != nil {
				return "removed"
			}
		case title:
			return "title"
		}
		return "kept"
	}
	k := 0 // next token
	// A byte-order mark is no text of the first line.
	for l0, n := len(v.orig)-len(strings.TrimPrefix(v.orig, "\ufeff")), 1; l0 < len(v.orig); n++ {
		l1 := strings.IndexByte(v.orig[l0:], '\n')
		next := len(v.orig)
		if l1 < 0 {
			l1 = len(v.orig)
		} else {
			l1 += l0
			next = l1 + 1
		}
		end := l1
		if end > l0 && v.orig[end-1] == '\r' {
			end--
		}
		k0 := k
		for k < len(v.ot) && int(v.ot[k].start) < next {
			k++
		}
		if k > k0 {
			r.Lines = append(r.Lines, v.line(n, l0, end, k0, k, stateName, passOf, first, last))
		}
		l0 = next
	}
	// A passage none of whose parts is quoted (an entry quoting it across
	// lines in a way no part matches cannot happen, but be safe) gets its
	// label on its last part.
	labelled := map[*Passage]bool{}
	var lastPart = map[*Passage]*Part{}
	for li := range r.Lines {
		for pi := range r.Lines[li].Parts {
			p := &r.Lines[li].Parts[pi]
			if p.Passage == nil {
				continue
			}
			if p.Label {
				labelled[p.Passage] = true
			}
			lastPart[p.Passage] = p
		}
	}
	for ps, p := range lastPart {
		if !labelled[ps] {
			p.Label, p.Whys = true, ps.Whys
		}
	}
	return r
}

// line lays out original line n, bytes [l0, l1), tokens [k0, k1).
func (v *verifier) line(n, l0, l1, k0, k1 int, stateName func(int) string, passOf map[int]*Passage, first, last map[int]bool) Line {
	ln := Line{Number: n}
	cur, from := stateName(k0), l0
	startTok := k0
	flush := func(to, endTok int) {
		to = min(max(to, from), l1)
		if to > from {
			p := Part{Text: v.orig[from:to], State: cur}
			if cur == "removed" {
				p.Passage, p.First, p.Last = passOf[startTok], first[startTok], last[endTok]
				for _, o := range v.occOf[p.Passage] {
					if o.i0 <= endTok && o.i1 > startTok {
						p.Label = true
						if w := strings.TrimSpace(v.in.Removed[o.e].Why); w != "" && !contains(p.Whys, w) {
							p.Whys = append(p.Whys, w)
						}
					}
				}
			}
			ln.Parts = append(ln.Parts, p)
		}
		from = to
	}
	for i := k0 + 1; i < k1; i++ {
		st := stateName(i)
		if st == cur && (st != "removed" || passOf[i] == passOf[i-1]) {
			continue
		}
		at := int(v.ot[i].start) // whitespace between goes with the kept side
		if cur != "kept" {
			at = int(v.ot[i-1].end)
		}
		flush(at, i-1)
		cur, startTok = st, i
	}
	flush(l1, k1-1)
	seen := map[string]bool{}
	for i := k0; i < k1; i++ {
		j := v.match[i]
		if j < 0 {
			continue
		}
		id := v.in.Text[v.run(v.rt[j].start)].Anchor
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		a := Anchor{ID: id}
		if len(id) > 1 && id[0] == 'p' {
			if p, err := strconv.Atoi(id[1:]); err == nil {
				a.Para = p
			}
		}
		ln.Anchors = append(ln.Anchors, a)
	}
	return ln
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
