package annotate

import (
	"cmp"
	"slices"
)

// Phases of the insertions made at one HTML offset, in output order: closing
// tags first, then note apparatus, then opening tags. With nested (never
// partly overlapping) ranges this keeps the tree well-formed.
const (
	phaseClose = iota
	phaseNote
	phaseOpen
)

// edit inserts s at byte offset pos of the source.
type edit struct {
	pos        int
	phase      int
	k1, k2, k3 int // order within a phase at the same offset
	s          string
}

// applyEdits returns src with every edit inserted, in one copy.
func applyEdits(src []byte, edits []edit) []byte {
	if len(edits) == 0 {
		return src
	}
	slices.SortStableFunc(edits, func(a, b edit) int {
		return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(a.phase, b.phase), cmp.Compare(a.k1, b.k1), cmp.Compare(a.k2, b.k2), cmp.Compare(a.k3, b.k3))
	})
	n := len(src)
	for _, e := range edits {
		n += len(e.s)
	}
	out := make([]byte, 0, n)
	last := 0
	for _, e := range edits {
		out = append(out, src[last:e.pos]...)
		out = append(out, e.s...)
		last = e.pos
	}
	return append(out, src[last:]...)
}
