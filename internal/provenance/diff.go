package provenance

import (
	"slices"
	"sort"
)

// opKind is one kind of step of an alignment of a (the original) with b (the
// rendition).
type opKind uint8

const (
	opEqual  opKind = iota // tokens in both
	opDelete               // tokens of a only: left out of the rendition
	opInsert               // tokens of b only: not in the original
)

type op struct {
	kind opKind
	n    int
}

// align returns an alignment of a with b as a list of steps, consecutive
// steps of a kind merged. It is Myers' O(ND) difference algorithm in its
// linear-space form (the middle snake, after the diff-match-patch
// formulation), on integer tokens, with two guards that keep the work near
// linear on texts of any size:
//
//   - each bisection gets a work allowance; when the two ranges differ too
//     much for it, they are cut at patience anchors instead (tokens that occur
//     exactly once in each, longest increasing run), and each piece between
//     anchors is aligned on its own;
//   - all of it draws on one budget proportional to len(a)+len(b); when the
//     budget is spent, whatever is left is reported as changed (deleted and
//     inserted) rather than searched further.
//
// The result is always a valid alignment; it is a minimal one whenever the
// guards did not step in (always, for texts that differ in a few thousand
// words or fewer).
func align(a, b []int32, vocab int) []op {
	al := &aligner{a: a, b: b, vocab: vocab, work: 50*(len(a)+len(b)) + 1<<24}
	al.diff(0, len(a), 0, len(b))
	return al.ops
}

type aligner struct {
	a, b  []int32
	vocab int
	ops   []op
	work  int // budget left, in comparison steps
	// bisection scratch, reused between calls (a bisection ends before
	// the recursion it leads to starts)
	v1, v2 []int
	// patience scratch, indexed by token id, all zero between calls
	cntA, cntB []int32
	posB       []int32
}

func (al *aligner) emit(k opKind, n int) {
	if n <= 0 {
		return
	}
	if l := len(al.ops); l > 0 && al.ops[l-1].kind == k {
		al.ops[l-1].n += n
		return
	}
	al.ops = append(al.ops, op{k, n})
}

func (al *aligner) diff(a0, a1, b0, b1 int) {
	p := 0
	for a0+p < a1 && b0+p < b1 && al.a[a0+p] == al.b[b0+p] {
		p++
	}
	al.emit(opEqual, p)
	a0, b0 = a0+p, b0+p
	s := 0
	for a1-s > a0 && b1-s > b0 && al.a[a1-1-s] == al.b[b1-1-s] {
		s++
	}
	a1, b1 = a1-s, b1-s
	al.work -= p + s
	switch {
	case a0 == a1:
		al.emit(opInsert, b1-b0)
	case b0 == b1:
		al.emit(opDelete, a1-a0)
	default:
		if x, y, ok := al.bisect(a0, a1, b0, b1); ok {
			al.diff(a0, x, b0, y)
			al.diff(x, a1, y, b1)
		} else if !al.patience(a0, a1, b0, b1) {
			al.emit(opDelete, a1-a0)
			al.emit(opInsert, b1-b0)
		}
	}
	al.emit(opEqual, s)
}

// bisect finds a point (x, y) on a shortest edit path of a[a0:a1] and
// b[b0:b1] where the forward and the reverse searches meet. ok is false when
// the allowance ran out first. Both ranges are non-empty.
func (al *aligner) bisect(a0, a1, b0, b1 int) (x, y int, ok bool) {
	n, m := a1-a0, b1-b0
	allow := min(al.work, 4*(n+m)+1<<20)
	if allow <= 0 {
		return 0, 0, false
	}
	maxD := (n + m + 1) / 2
	vOffset := maxD + 1
	vLength := 2*maxD + 3
	if cap(al.v1) < vLength {
		al.v1, al.v2 = make([]int, vLength), make([]int, vLength)
	}
	// Entries are initialised as the search widens (step d reads at most
	// d+1 diagonals either side), so a bisection that ends early costs
	// nothing for the diagonals it never reached.
	v1, v2 := al.v1[:vLength], al.v2[:vLength]
	v1[vOffset], v2[vOffset] = -1, -1
	delta := n - m
	front := delta%2 != 0 // the forward path meets the reverse one
	var k1start, k1end, k2start, k2end int
	spent := 0
	defer func() { al.work -= spent }()
	a, b := al.a[a0:a1], al.b[b0:b1]
	for d := 0; d < maxD; d++ {
		lo, hi := vOffset-d-1, vOffset+d+1 // the initialised window
		v1[lo], v1[hi], v2[lo], v2[hi] = -1, -1, -1, -1
		if d == 0 {
			v1[hi], v2[hi] = 0, 0
		}
		for k1 := -d + k1start; k1 <= d-k1end; k1 += 2 {
			k1Offset := vOffset + k1
			var x1 int
			if k1 == -d || (k1 != d && v1[k1Offset-1] < v1[k1Offset+1]) {
				x1 = v1[k1Offset+1]
			} else {
				x1 = v1[k1Offset-1] + 1
			}
			y1 := x1 - k1
			s := x1
			for x1 < n && y1 < m && a[x1] == b[y1] {
				x1++
				y1++
			}
			spent += 1 + x1 - s
			v1[k1Offset] = x1
			switch {
			case x1 > n:
				k1end += 2 // ran off the right of the graph
			case y1 > m:
				k1start += 2 // ran off the bottom
			case front:
				if k2Offset := vOffset + delta - k1; k2Offset >= lo && k2Offset <= hi && v2[k2Offset] != -1 {
					if x1 >= n-v2[k2Offset] {
						return a0 + x1, b0 + y1, true
					}
				}
			}
		}
		for k2 := -d + k2start; k2 <= d-k2end; k2 += 2 {
			k2Offset := vOffset + k2
			var x2 int
			if k2 == -d || (k2 != d && v2[k2Offset-1] < v2[k2Offset+1]) {
				x2 = v2[k2Offset+1]
			} else {
				x2 = v2[k2Offset-1] + 1
			}
			y2 := x2 - k2
			s := x2
			for x2 < n && y2 < m && a[n-x2-1] == b[m-y2-1] {
				x2++
				y2++
			}
			spent += 1 + x2 - s
			v2[k2Offset] = x2
			switch {
			case x2 > n:
				k2end += 2 // ran off the left
			case y2 > m:
				k2start += 2 // ran off the top
			case !front:
				if k1Offset := vOffset + delta - k2; k1Offset >= lo && k1Offset <= hi && v1[k1Offset] != -1 {
					x1 := v1[k1Offset]
					y1 := vOffset + x1 - k1Offset
					if x1 >= n-x2 {
						return a0 + x1, b0 + y1, true
					}
				}
			}
		}
		if spent > allow {
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// patience cuts the ranges at anchors found exactly once in each and in the
// same order (the longest increasing run of them), and aligns the pieces
// between them. Anchors are single tokens when there are such tokens, else
// runs of gramLen tokens (in a text of few distinct words, its word
// sequences are still unique). It reports false, doing nothing, when there
// is no anchor or no budget.
func (al *aligner) patience(a0, a1, b0, b1 int) bool {
	if al.work <= 0 {
		return false
	}
	al.work -= (a1 - a0) + (b1 - b0)
	k := 1
	pairs := al.uniqueTokens(a0, a1, b0, b1)
	if len(pairs) == 0 && a1-a0 >= gramLen && b1-b0 >= gramLen {
		k = gramLen
		al.work -= 2 * ((a1 - a0) + (b1 - b0))
		pairs = al.uniqueGrams(a0, a1, b0, b1)
	}
	if len(pairs) == 0 {
		return false
	}
	pa, pb := a0, b0
	for _, p := range increasing(pairs) {
		if p.i < pa || p.j < pb {
			continue // overlaps the anchor before (grams only)
		}
		al.diff(pa, p.i, pb, p.j)
		al.emit(opEqual, k)
		pa, pb = p.i+k, p.j+k
	}
	al.diff(pa, a1, pb, b1)
	return true
}

// uniqueTokens returns the tokens found exactly once in each range, as
// (position in a, position in b), by position in a.
func (al *aligner) uniqueTokens(a0, a1, b0, b1 int) []anchor {
	if al.cntA == nil {
		al.cntA, al.cntB, al.posB = make([]int32, al.vocab), make([]int32, al.vocab), make([]int32, al.vocab)
	}
	for _, t := range al.a[a0:a1] {
		al.cntA[t]++
	}
	for j := b0; j < b1; j++ {
		t := al.b[j]
		al.cntB[t]++
		al.posB[t] = int32(j)
	}
	var pairs []anchor
	for i := a0; i < a1; i++ {
		if t := al.a[i]; al.cntA[t] == 1 && al.cntB[t] == 1 {
			pairs = append(pairs, anchor{i, int(al.posB[t])})
		}
	}
	for _, t := range al.a[a0:a1] {
		al.cntA[t] = 0
	}
	for _, t := range al.b[b0:b1] {
		al.cntB[t] = 0
	}
	return pairs
}

// gramLen is the length of the token runs used as anchors when no single
// token is unique.
const gramLen = 8

// maxGrams bounds how many runs are sampled from a range, to bound memory.
const maxGrams = 1 << 20

// uniqueGrams returns runs of gramLen tokens found exactly once in each
// range, as (start in a, start in b), by position in a. Runs are sampled by
// their hash (the same runs in both ranges), so that a long range yields at
// most about maxGrams of them.
func (al *aligner) uniqueGrams(a0, a1, b0, b1 int) []anchor {
	mask := uint64(0)
	for n := (a1 - a0) / maxGrams; n > 0; n >>= 1 {
		mask = mask<<1 | 1
	}
	type seen struct {
		nA, nB int32
		i, j   int
	}
	grams := map[uint64]*seen{}
	each := func(s []int32, from, to int, f func(h uint64, at int)) {
		const mul = 1099511628211
		var pow uint64 = 1
		for x := 0; x < gramLen; x++ {
			pow *= mul
		}
		var h uint64
		for x := from; x < to; x++ {
			h = h*mul + uint64(s[x]) + 1
			if x-from >= gramLen {
				h -= pow * (uint64(s[x-gramLen]) + 1)
			}
			if x-from >= gramLen-1 && (h>>17)&mask == 0 {
				f(h, x-gramLen+1)
			}
		}
	}
	each(al.a, a0, a1, func(h uint64, at int) {
		if g := grams[h]; g != nil {
			g.nA++
		} else {
			grams[h] = &seen{nA: 1, i: at}
		}
	})
	each(al.b, b0, b1, func(h uint64, at int) {
		if g := grams[h]; g != nil {
			g.nB++
			g.j = at
		}
	})
	var pairs []anchor
	each(al.a, a0, a1, func(h uint64, at int) {
		if g := grams[h]; g.nA == 1 && g.nB == 1 && slices.Equal(al.a[g.i:g.i+gramLen], al.b[g.j:g.j+gramLen]) {
			pairs = append(pairs, anchor{g.i, g.j})
		}
	})
	return pairs
}

type anchor struct{ i, j int }

// increasing returns the longest subsequence of pairs (sorted by i) whose j
// increase too, by patience sorting in O(n log n).
func increasing(pairs []anchor) []anchor {
	tails := []int{} // index in pairs of the smallest tail of each length
	prev := make([]int, len(pairs))
	for k, p := range pairs {
		l := sort.Search(len(tails), func(t int) bool { return pairs[tails[t]].j >= p.j })
		if l > 0 {
			prev[k] = tails[l-1]
		} else {
			prev[k] = -1
		}
		if l == len(tails) {
			tails = append(tails, k)
		} else {
			tails[l] = k
		}
	}
	out := make([]anchor, len(tails))
	for k, i := len(tails)-1, tails[len(tails)-1]; k >= 0; k, i = k-1, prev[i] {
		out[k] = pairs[i]
	}
	return out
}

// maxSlide bounds how far a removed passage is slid (see slide), so that a
// text of repeated words cannot make it quadratic.
const maxSlide = 1000

// slide improves where the alignment puts the passages the rendition leaves
// out. Several placements of a deletion cost the same when the words at its
// edges repeat ("Kerry in Russia \n Kerry will..." with the first line left
// out can also be read as leaving out "in Russia \n Kerry"); editors and
// readers expect the one that follows the original's lines. So each run of
// deleted tokens between two kept ones is slid over the equal tokens beside
// it: into a neighbouring deletion when it can reach it (two passages become
// one), else to the place whose edges score best (see score: the start or
// end of a line, of a sentence...). Runs with inserted tokens (errors) are
// left as they are.
func slide(ops []op, a []int32, score func(i int) int) []op {
	type hunk struct{ a0, a1, b0, b1 int }
	var hs []hunk
	i, j := 0, 0
	for k := 0; k < len(ops); {
		if ops[k].kind == opEqual {
			i, j = i+ops[k].n, j+ops[k].n
			k++
			continue
		}
		h := hunk{a0: i, b0: j}
		for ; k < len(ops) && ops[k].kind != opEqual; k++ {
			if ops[k].kind == opDelete {
				i += ops[k].n
			} else {
				j += ops[k].n
			}
		}
		h.a1, h.b1 = i, j
		hs = append(hs, h)
	}
	deletion := func(h hunk) bool { return h.b1 == h.b0 }
	for k := 0; k < len(hs); k++ {
		h := &hs[k]
		if !deletion(*h) {
			continue
		}
		prevEnd, nextStart := 0, len(a)
		if k > 0 {
			prevEnd = hs[k-1].a1
		}
		if k+1 < len(hs) {
			nextStart = hs[k+1].a0
		}
		left := 0
		for h.a0-left > prevEnd && left < maxSlide && a[h.a0-1-left] == a[h.a1-1-left] {
			left++
		}
		right := 0
		for h.a1+right < nextStart && right < maxSlide && a[h.a0+right] == a[h.a1+right] {
			right++
		}
		switch {
		case k > 0 && left > 0 && h.a0-left == prevEnd && deletion(hs[k-1]):
			// Slide into the deletion before: one passage. Look at it again.
			hs[k-1].a1 += h.a1 - h.a0
			hs = append(hs[:k], hs[k+1:]...)
			k -= 2
			continue
		case k+1 < len(hs) && right > 0 && h.a1+right == nextStart && deletion(hs[k+1]):
			// Slide into the deletion after.
			n := h.a1 - h.a0
			hs[k+1].a0 -= n
			hs[k+1].b0, hs[k+1].b1 = h.b0+right, h.b0+right
			hs = append(hs[:k], hs[k+1:]...)
			k--
			continue
		}
		best, bestScore := 0, score(h.a0)+score(h.a1)
		for s := -left; s <= right; s++ {
			if sc := score(h.a0+s) + score(h.a1+s); sc > bestScore {
				best, bestScore = s, sc
			}
		}
		h.a0, h.a1, h.b0, h.b1 = h.a0+best, h.a1+best, h.b0+best, h.b1+best
	}
	var out []op
	emit := func(k opKind, n int) {
		if n <= 0 {
			return
		}
		if l := len(out); l > 0 && out[l-1].kind == k {
			out[l-1].n += n
			return
		}
		out = append(out, op{k, n})
	}
	i = 0
	for _, h := range hs {
		emit(opEqual, h.a0-i)
		emit(opDelete, h.a1-h.a0)
		emit(opInsert, h.b1-h.b0)
		i = h.a1
	}
	emit(opEqual, len(a)-i)
	return out
}
