package picture

import (
	"fmt"
	"html/template"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/layout"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/spatial/r2"
)

// CoMentions counts, for every pair of entities, the articles that mention
// both, and for each entity the articles that mention it. Immutable.
type CoMentions struct {
	counts []int
	pairs  map[uint64]int // a<<32|b, a < b
	with   [][]Pair       // by entity: its pairs (A is the entity), most articles first
}

// Pair is two entities (indices) and the number of articles naming both.
type Pair struct{ A, B, N int }

// PairEntities is the most entities of one article whose pairs are
// counted: an article naming thousands (a pasted index) would add millions
// of pairs, time and memory growing with the square of their number, where
// the pictures show a few dozen. Real articles name far fewer.
const PairEntities = 100

// Count counts co-mentions among n entities; each element of articles lists
// the entities (indices below n, no repeats) one article mentions, those it
// names most first: pairs are counted among its first PairEntities.
func Count(n int, articles [][]int) *CoMentions {
	c := &CoMentions{counts: make([]int, n), pairs: map[uint64]int{}, with: make([][]Pair, n)}
	for _, ents := range articles {
		paired := ents[:min(len(ents), PairEntities)]
		for i, a := range ents {
			c.counts[a]++
			if i < len(paired) {
				for _, b := range paired[i+1:] {
					c.pairs[pairKey(a, b)]++
				}
			}
		}
	}
	for k, m := range c.pairs {
		a, b := int(k>>32), int(k&0xffffffff)
		c.with[a] = append(c.with[a], Pair{a, b, m})
		c.with[b] = append(c.with[b], Pair{b, a, m})
	}
	for _, ps := range c.with {
		sortPairs(ps)
	}
	return c
}

func pairKey(a, b int) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(b)
}

// Mentions returns the number of articles mentioning entity i.
func (c *CoMentions) Mentions(i int) int { return c.counts[i] }

// Between returns the number of articles mentioning both i and j.
func (c *CoMentions) Between(i, j int) int {
	if i == j {
		return 0
	}
	return c.pairs[pairKey(i, j)]
}

// With returns the entities that appear with i (as B; A is i), most
// articles together first (ties by index). The slice is shared: do not modify it.
func (c *CoMentions) With(i int) []Pair { return c.with[i] }

// Pairs returns every pair, most articles together first.
func (c *CoMentions) Pairs() []Pair {
	out := make([]Pair, 0, len(c.pairs))
	for k, n := range c.pairs {
		out = append(out, Pair{int(k >> 32), int(k & 0xffffffff), n})
	}
	sortPairs(out)
	return out
}

func sortPairs(ps []Pair) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].N != ps[j].N {
			return ps[i].N > ps[j].N
		}
		if ps[i].A != ps[j].A {
			return ps[i].A < ps[j].A
		}
		return ps[i].B < ps[j].B
	})
}

// Node is an entity of a co-mention graph.
type Node struct {
	Name string
	Href string
	Kind string // person | organisation | place
}

// GraphPicture is a drawn co-mention graph.
type GraphPicture struct {
	SVG   template.HTML
	Shown []int // the entities drawn (indices), most mentioned first (the centre first in Ego)
	More  int   // entities with co-mentions left out
}

// Graph geometry, in SVG units.
const (
	grWidth  = 720
	grHeight = 440
	grMargin = 24
	grMinR   = 4
	grMaxR   = 14
	// Force-directed layout: fixed seed and number of updates, so the same
	// graph is laid out the same every build.
	grUpdates = 120
	grRate    = 0.01 // larger steps oscillate, and can collapse nodes onto each other
	grSeed    = 20130507
)

// Connections draws the entities mentioned in most articles among those
// that appear with another, at most max of them, with the pairs among them
// (at most 3·max edges, the strongest). It returns nil when no two entities
// appear together.
func Connections(nodes []Node, c *CoMentions, max int) *GraphPicture {
	var ids []int
	for i, ps := range c.with {
		if len(ps) > 0 {
			ids = append(ids, i)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Slice(ids, func(a, b int) bool {
		if c.counts[ids[a]] != c.counts[ids[b]] {
			return c.counts[ids[a]] > c.counts[ids[b]]
		}
		return ids[a] < ids[b]
	})
	more := 0
	if len(ids) > max {
		more = len(ids) - max
		ids = ids[:max]
	}
	desc := fmt.Sprintf("Who appears with whom: %s, each joined to those named in the same articles, the line thicker for more articles together, the dot bigger for more articles.", plural(len(ids), "person or organisation", "people and organisations"))
	if more > 0 {
		desc += fmt.Sprintf(" The %d mentioned in fewest articles are left out.", more)
	}
	desc += " The list below gives the pairs."
	return draw(nodes, c, ids, -1, 5*len(ids)/2, "graph", "Who appears with whom", desc, more)
}

// Ego draws entity i with the entities it appears with in most articles, at
// most max of them, and the pairs among them. It returns nil when i appears
// with no one.
func Ego(nodes []Node, c *CoMentions, i, max int) *GraphPicture {
	with := c.With(i)
	if len(with) == 0 {
		return nil
	}
	more := 0
	if len(with) > max {
		more = len(with) - max
		with = with[:max]
	}
	ids := []int{i}
	for _, p := range with {
		ids = append(ids, p.B)
	}
	name := nodes[i].Name
	desc := fmt.Sprintf("%s and the %s named most often in the same articles, joined when they appear together, the line thicker for more articles together.", name, plural(len(with), "person or organisation", "people and organisations"))
	if more > 0 {
		desc += fmt.Sprintf(" %d more appear with %s less often.", more, name)
	}
	desc += " The list below gives the numbers."
	return draw(nodes, c, ids, i, 2*len(ids), "graph", "Who appears with "+name, desc, more)
}

// draw lays out and draws the entities ids (centre, if not -1, is one of
// them), joined by the strongest maxEdges of their pairs.
func draw(nodes []Node, c *CoMentions, ids []int, centre, maxEdges int, id, title, desc string, more int) *GraphPicture {
	var edges []Pair
	for x, a := range ids {
		for _, b := range ids[x+1:] {
			if n := c.Between(a, b); n > 0 {
				edges = append(edges, Pair{a, b, n})
			}
		}
	}
	sortPairs(edges)
	// The centre keeps its edges to everyone shown, whatever the cap.
	if len(edges) > maxEdges {
		var kept []Pair
		for _, e := range edges {
			if len(kept) < maxEdges || e.A == centre || e.B == centre {
				kept = append(kept, e)
			}
		}
		edges = kept
	}
	pos := place(ids, edges)

	mostN, mostE := 1, 1
	for _, i := range ids {
		mostN = max(mostN, c.counts[i])
	}
	for _, e := range edges {
		mostE = max(mostE, e.N)
	}
	var w svg
	w.open("picture-graph", id, "group", grWidth, grHeight, title, desc)
	w.raw(`<g class="edges">`)
	// Lightest first, so strong lines are drawn over weak ones.
	for k := len(edges) - 1; k >= 0; k-- {
		e := edges[k]
		a, b := pos[e.A], pos[e.B]
		w.raw(`<path`)
		if lvl := 1 + int(3*float64(e.N)/float64(mostE)); lvl > 1 {
			w.raw(` class="w`, fmt.Sprint(min(lvl, 3)), `"`)
		}
		w.raw(` d="M`, num(a.X), " ", num(a.Y), "L", num(b.X), " ", num(b.Y), `"/>`)
	}
	w.raw(`</g><g class="nodes">`)
	radius := make(map[int]float64, len(ids))
	for _, i := range ids {
		radius[i] = grMinR + (grMaxR-grMinR)*math.Sqrt(float64(c.counts[i])/float64(mostN))
	}
	labels := placeLabels(ids, pos, radius, func(i int) string { return clip(nodes[i].Name, 28) })
	for _, i := range ids {
		n, p := nodes[i], pos[i]
		label := n.Name + ": " + plural(c.counts[i], "article", "articles")
		if centre >= 0 && i != centre {
			label = fmt.Sprintf("%s: %s with %s", n.Name, plural(c.Between(i, centre), "article", "articles"), nodes[centre].Name)
		}
		w.link(n.Href, label)
		class := "node-" + n.Kind
		if i == centre {
			class += " centre"
		}
		w.raw(`<circle class="`, esc(class), `"`)
		w.num("cx", p.X)
		w.num("cy", p.Y)
		w.num("r", radius[i])
		w.raw(`/><text`)
		l := labels[i]
		w.num("x", l.x)
		w.num("y", l.y)
		if l.anchor != "" {
			w.raw(` text-anchor="`, l.anchor, `"`)
		}
		w.raw(`>`)
		w.text(clip(n.Name, 28))
		w.raw(`</text></a>`)
	}
	w.raw(`</g>`)
	return &GraphPicture{SVG: w.close(), Shown: ids, More: more}
}

// label is where a node's name is written.
type label struct {
	x, y   float64 // the text's anchor point and baseline
	anchor string  // "", "end" or "middle"
}

type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlap(b box) float64 {
	w := math.Min(a.x1, b.x1) - math.Max(a.x0, b.x0)
	h := math.Min(a.y1, b.y1) - math.Max(a.y0, b.y0)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// placeLabels puts each node's name beside it, right, left, above or below,
// where it overlaps the fewest names already placed and dots (the most
// mentioned placed first), and never outside the picture.
func placeLabels(ids []int, pos map[int]r2.Vec, radius map[int]float64, text func(int) string) map[int]label {
	var taken []box
	for _, i := range ids {
		p, r := pos[i], radius[i]
		taken = append(taken, box{p.X - r, p.Y - r, p.X + r, p.Y + r})
	}
	out := make(map[int]label, len(ids))
	for k, i := range ids {
		p, r := pos[i], radius[i]
		w := textWidth(text(i)) * 13 / 12
		type cand struct {
			l label
			b box
		}
		cands := []cand{
			{label{p.X + r + 3, p.Y + 4, ""}, box{p.X + r + 3, p.Y - 9, p.X + r + 3 + w, p.Y + 5}},
			{label{p.X - r - 3, p.Y + 4, "end"}, box{p.X - r - 3 - w, p.Y - 9, p.X - r - 3, p.Y + 5}},
			{label{p.X, p.Y - r - 5, "middle"}, box{p.X - w/2, p.Y - r - 18, p.X + w/2, p.Y - r - 4}},
			{label{p.X, p.Y + r + 14, "middle"}, box{p.X - w/2, p.Y + r + 1, p.X + w/2, p.Y + r + 15}},
		}
		best, bestCost := 0, math.Inf(1)
		for c, cd := range cands {
			if cd.b.x0 < 0 || cd.b.x1 > grWidth || cd.b.y0 < 0 || cd.b.y1 > grHeight {
				continue
			}
			cost := 0.0
			for t, b := range taken {
				if t != k {
					cost += cd.b.overlap(b)
				}
			}
			if cost < bestCost {
				best, bestCost = c, cost
			}
		}
		out[i] = cands[best].l
		taken = append(taken, cands[best].b)
	}
	return out
}

// place lays the entities out with gonum's Eades force-directed layout and
// scales the result into the picture. A hidden hub, weakly joined to every
// entity, keeps unconnected groups from drifting apart.
func place(ids []int, edges []Pair) map[int]r2.Vec {
	g := newLayoutGraph(len(ids) + 1)
	hub := int64(len(ids))
	index := map[int]int64{}
	for k, i := range ids {
		index[i] = int64(k)
		g.join(int64(k), hub, 0.05)
	}
	mostE := 1
	for _, e := range edges {
		mostE = max(mostE, e.N)
	}
	for _, e := range edges {
		g.join(index[e.A], index[e.B], 0.3+0.7*math.Log1p(float64(e.N))/math.Log1p(float64(mostE)))
	}
	eades := layout.EadesR2{Repulsion: 1, Rate: grRate, Updates: grUpdates, Theta: 0.2, Src: rand.NewPCG(grSeed, uint64(len(ids)))}
	o := layout.NewOptimizerR2(g, eades.Update)
	// gonum's Barnes-Hut tree recurses without end on two particles at the
	// same place (or NaN): stop before an update that would build one.
	for o.Update() && settled(o, len(ids)+1) {
	}
	// Scale into the box, each axis to fill it; the label column needs the
	// margins.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for k := range ids {
		p := o.Coord2(int64(k))
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	scale := func(v, lo, hi, from, to float64) float64 {
		if hi-lo < 1e-9 {
			return (from + to) / 2
		}
		return from + (v-lo)/(hi-lo)*(to-from)
	}
	out := make(map[int]r2.Vec, len(ids))
	for k, i := range ids {
		p := o.Coord2(int64(k))
		out[i] = r2.Vec{
			X: math.Round(scale(p.X, minX, maxX, grMargin+60, grWidth-grMargin-60)*10) / 10,
			Y: math.Round(scale(p.Y, minY, maxY, grMargin, grHeight-grMargin)*10) / 10,
		}
	}
	return out
}

// settled reports whether the n nodes of o are at finite, distinct places.
func settled(o layout.OptimizerR2, n int) bool {
	ps := make([]r2.Vec, n)
	for i := range ps {
		ps[i] = o.Coord2(int64(i))
		if math.IsNaN(ps[i].X) || math.IsNaN(ps[i].Y) || math.IsInf(ps[i].X, 0) || math.IsInf(ps[i].Y, 0) {
			return false
		}
		for _, q := range ps[:i] {
			if math.Abs(q.X-ps[i].X) < 1e-9 && math.Abs(q.Y-ps[i].Y) < 1e-9 {
				return false
			}
		}
	}
	return true
}

// layoutGraph is a weighted undirected graph whose nodes and neighbours are
// listed in a fixed order (gonum's simple graphs list them in map order, and
// the layout's floating point sums depend on the order).
type layoutGraph struct {
	nodes []graph.Node
	adj   [][]int64 // by node, ascending
	w     map[[2]int64]float64
}

func newLayoutGraph(n int) *layoutGraph {
	g := &layoutGraph{nodes: make([]graph.Node, n), adj: make([][]int64, n), w: map[[2]int64]float64{}}
	for i := range g.nodes {
		g.nodes[i] = simple.Node(i)
	}
	return g
}

func (g *layoutGraph) join(a, b int64, w float64) {
	g.adj[a] = insertSorted(g.adj[a], b)
	g.adj[b] = insertSorted(g.adj[b], a)
	g.w[[2]int64{a, b}], g.w[[2]int64{b, a}] = w, w
}

func insertSorted(xs []int64, x int64) []int64 {
	i := sort.Search(len(xs), func(i int) bool { return xs[i] >= x })
	if i < len(xs) && xs[i] == x {
		return xs
	}
	xs = append(xs, 0)
	copy(xs[i+1:], xs[i:])
	xs[i] = x
	return xs
}

func (g *layoutGraph) Node(id int64) graph.Node {
	if id < 0 || int(id) >= len(g.nodes) {
		return nil
	}
	return g.nodes[id]
}

func (g *layoutGraph) Nodes() graph.Nodes { return iterator.NewOrderedNodes(g.nodes) }

func (g *layoutGraph) From(id int64) graph.Nodes {
	ns := make([]graph.Node, len(g.adj[id]))
	for i, v := range g.adj[id] {
		ns[i] = g.nodes[v]
	}
	return iterator.NewOrderedNodes(ns)
}

func (g *layoutGraph) HasEdgeBetween(x, y int64) bool { _, ok := g.w[[2]int64{x, y}]; return ok }

func (g *layoutGraph) Edge(u, v int64) graph.Edge { return g.WeightedEdge(u, v) }

func (g *layoutGraph) WeightedEdge(u, v int64) graph.WeightedEdge {
	w, ok := g.w[[2]int64{u, v}]
	if !ok {
		return nil
	}
	return simple.WeightedEdge{F: g.nodes[u], T: g.nodes[v], W: w}
}

func (g *layoutGraph) Weight(x, y int64) (float64, bool) {
	w, ok := g.w[[2]int64{x, y}]
	return w, ok
}
