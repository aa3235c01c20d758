package preview

// Compare is Changed found by comparing every card, as Changed does for an
// index NewIndex was not given: the oracle of what NewIndex finds on the way.
func (x *Index) Compare(prev *Index) map[string]bool { return x.compare(prev) }
