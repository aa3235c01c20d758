package site

// ClaimMatrix is the claims at a glance: one row per claim, one column per
// outlet, each cell the passages in which that outlet reported the claim.
type ClaimMatrix struct {
	Outlets []*OutletRef // the columns, by name
	Rows    []*ClaimRow
}

// ClaimRow is one claim across the outlets.
type ClaimRow struct {
	Claim *ClaimRef
	Cells []*ClaimCell // one per outlet, in the order of ClaimMatrix.Outlets
}

// ClaimCell is one outlet's reports of one claim: its articles' annotated
// passages, oldest first; none when the outlet did not report it.
type ClaimCell struct {
	Outlet   *OutletRef
	Evidence []*Evidence
}

// Reported reports whether the outlet reported the claim.
func (c *ClaimCell) Reported() bool { return len(c.Evidence) > 0 }

// NewClaimMatrix builds the claims-by-outlets table. The columns are the
// outlets that reported at least one claim, so that a dossier with many
// outlets does not get a table of empty columns; the rows are the claims,
// by title.
func NewClaimMatrix(s *Site) *ClaimMatrix {
	m := &ClaimMatrix{}
	reporting := map[string]bool{}
	for _, c := range s.Claims {
		for _, e := range c.Evidence {
			reporting[e.Article.Outlet.Slug] = true
		}
	}
	col := map[string]int{}
	for _, o := range s.Outlets {
		if reporting[o.Ref.Slug] {
			col[o.Ref.Slug] = len(m.Outlets)
			m.Outlets = append(m.Outlets, o.Ref)
		}
	}
	for _, c := range s.Claims {
		row := &ClaimRow{Claim: c.Ref, Cells: make([]*ClaimCell, len(m.Outlets))}
		for i, o := range m.Outlets {
			row.Cells[i] = &ClaimCell{Outlet: o}
		}
		for _, e := range c.Evidence { // oldest first already
			cell := row.Cells[col[e.Article.Outlet.Slug]]
			cell.Evidence = append(cell.Evidence, e)
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}
