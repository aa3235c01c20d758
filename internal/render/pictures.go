package render

import (
	"context"
	"maps"
	"slices"
	"sort"

	"github.com/dossier-news/dossier/internal/picture"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/viewkey"
	"github.com/dossier-news/dossier/internal/workpool"
)

// The views of the pages that show pictures (internal/picture), and the
// co-mention counts they share. A picture is drawn into its page's view, so
// the page's key follows it.

// HomePage is the home page's view: the picture of which outlet reported when.
type HomePage struct {
	Coverage *picture.CoveragePicture // nil without articles
}

// TimelinePage is the timeline page's view: the time axis of the events and
// their reports.
type TimelinePage struct {
	Picture *picture.TimelinePicture
}

// ConnectionsPage is the connections page's view: who appears with whom.
type ConnectionsPage struct {
	Graph *picture.GraphPicture // nil when no two appear together
	Pairs []*Connection         // the strongest pairs, most articles first
	More  int                   // pairs not listed
}

// Connection is two people or organisations named in the same articles; on
// an entity page, A is the entity.
type Connection struct {
	A, B     *site.EntityRef
	Articles int
}

// graphEntities are the indices (index: slug -> index) of the graph's
// entities a names, by name; those it names in most sentences first when
// they are more than picture.Count pairs.
func graphEntities(a *site.Article, index map[string]int) []int {
	var ks, sentences []int
	for j, r := range a.Entities {
		if k, ok := index[r.Slug]; ok {
			ks = append(ks, k)
			if j < len(a.Mentions) {
				sentences = append(sentences, len(a.Mentions[j].Sentences))
			} else {
				sentences = append(sentences, 0)
			}
		}
	}
	if len(ks) <= picture.PairEntities {
		return ks
	}
	order := make([]int, len(ks))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return sentences[order[x]] > sentences[order[y]] })
	out := make([]int, len(ks))
	for i, o := range order {
		out[i] = ks[o]
	}
	return out
}

// Limits of the co-mention pictures and lists.
const (
	connectionsMax      = 40 // entities in the connections graph
	connectionsPairsMax = 30 // pairs listed on the connections page
	egoMax              = 12 // entities with one on its page
)

// graphKinds are the kinds of entity in co-mention graphs: who, not where.
var graphKinds = map[string]bool{"person": true, "organisation": true}

// connections is a build's co-mention counts among people and
// organisations, with the pictures drawn from them. The next build reuses
// it, pictures and all, while its key (the entities' refs and which of them
// each article names) is the same.
type connections struct {
	key      viewkey.Key
	basePath string
	refs     []*site.EntityRef // graph entities, in the graph's order (by name)
	index    map[string]int    // slug -> index in refs
	nodes    []picture.Node
	cm       *picture.CoMentions
	page     *ConnectionsPage
	// egos memoises the entity pages' pictures of this build by the key of
	// what they show, for the next build (whose entity nodes may be new, or
	// its co-mentions other, while what a picture shows is not).
	egos map[viewkey.Key]*egoView
}

type egoView struct {
	graph *picture.GraphPicture
	with  []*Connection
}

func newConnections(g *site.Site, prev *connections) *connections {
	c := &connections{basePath: g.BasePath, index: map[string]int{}, egos: map[viewkey.Key]*egoView{}}
	h := viewkey.New().String(g.BasePath)
	for _, e := range g.Entities {
		if graphKinds[e.Ref.Kind] {
			c.index[e.Ref.Slug] = len(c.refs)
			c.refs = append(c.refs, e.Ref)
			h.Key(e.Ref.ViewKey())
		}
	}
	sets := make([][]int, len(g.Articles))
	for i, a := range g.Articles {
		sets[i] = graphEntities(a, c.index)
		h.Uint(uint64(len(sets[i])))
		for _, k := range sets[i] {
			h.Uint(uint64(k))
		}
	}
	c.key = h.Sum()
	if prev != nil && prev.key == c.key {
		cp := *prev
		cp.egos = map[viewkey.Key]*egoView{}
		return &cp
	}
	c.cm = picture.Count(len(c.refs), sets)
	c.nodes = make([]picture.Node, len(c.refs))
	for i, r := range c.refs {
		c.nodes[i] = picture.Node{Name: r.Name, Href: urls.Under(g.BasePath, r.Path), Kind: r.Kind}
	}
	c.page = &ConnectionsPage{Graph: picture.Connections(c.nodes, c.cm, connectionsMax)}
	pairs := c.cm.Pairs()
	if len(pairs) > connectionsPairsMax {
		c.page.More = len(pairs) - connectionsPairsMax
		pairs = pairs[:connectionsPairsMax]
	}
	for _, p := range pairs {
		c.page.Pairs = append(c.page.Pairs, &Connection{A: c.refs[p.A], B: c.refs[p.B], Articles: p.N})
	}
	return c
}

// egoKey identifies what entity slug's picture and list show (0 when it
// has none): the entities it appears with most, their refs (names, kinds,
// pages), how many articles name each and each pair, and how many are left
// out. Other entities' changes leave it, and the picture drawn for it, as
// they were.
func (c *connections) egoKey(slug string) viewkey.Key {
	i, ok := c.index[slug]
	if !ok || len(c.cm.With(i)) == 0 {
		return 0
	}
	all := c.cm.With(i)
	with := all[:min(len(all), egoMax)]
	h := viewkey.New().String(c.basePath).Key(c.refs[i].ViewKey()).Uint(uint64(c.cm.Mentions(i))).Uint(uint64(len(all)))
	for x, p := range with {
		h.Key(c.refs[p.B].ViewKey()).Uint(uint64(p.N)).Uint(uint64(c.cm.Mentions(p.B)))
		for _, q := range with[x+1:] {
			h.Uint(uint64(c.cm.Between(p.B, q.B)))
		}
	}
	return h.Sum()
}

// drawEgos returns the key of each entity's picture (by slug; 0 for none)
// and draws, on every core, those neither this build nor the last has
// drawn: a picture is laid out again only when what it shows changed.
func (c *connections) drawEgos(g *site.Site, prev *connections) map[string]viewkey.Key {
	keys := make(map[string]viewkey.Key, len(g.Entities))
	var todo []string
	for _, e := range g.Entities {
		slug := e.Ref.Slug
		k := c.egoKey(slug)
		keys[slug] = k
		if k == 0 || c.egos[k] != nil {
			continue
		}
		if prev != nil && prev.egos[k] != nil {
			c.egos[k] = prev.egos[k]
			continue
		}
		c.egos[k] = &egoView{} // claimed; drawn below
		todo = append(todo, slug)
	}
	views := make([]*egoView, len(todo))
	// Each picture is its own work on shared, read-only counts: no error, no
	// blocking, nothing to cancel.
	workpool.Each(context.Background(), len(todo), func(n int) { views[n] = c.drawEgo(todo[n]) })
	for n, slug := range todo {
		c.egos[keys[slug]] = views[n]
	}
	return keys
}

// ego returns the picture and list of who appears with an entity, by the
// key drawEgos gave it.
func (c *connections) ego(key viewkey.Key) *egoView {
	if v := c.egos[key]; v != nil {
		return v
	}
	return &egoView{}
}

func (c *connections) drawEgo(slug string) *egoView {
	i := c.index[slug]
	v := &egoView{graph: picture.Ego(c.nodes, c.cm, i, egoMax)}
	with := c.cm.With(i)
	for _, p := range with[:min(len(with), egoMax)] {
		v.with = append(v.with, &Connection{A: c.refs[i], B: c.refs[p.B], Articles: p.N})
	}
	return v
}

// homeView draws the home page's picture from every article's outlet and date.
func homeView(g *site.Site, prev *homeMemo) *homeMemo {
	dated := make([]picture.Dated, len(g.Articles))
	for i, a := range g.Articles {
		dated[i] = picture.Dated{Outlet: a.Card.Outlet.Name, Date: a.Card.Date}
	}
	outlets := make(map[string]string, len(g.Outlets))
	for _, o := range g.Outlets {
		outlets[o.Ref.Name] = urls.Under(g.BasePath, o.Ref.Path)
	}
	if prev != nil && slices.Equal(prev.dated, dated) && maps.Equal(prev.outlets, outlets) {
		return prev // an edit of what articles say: the same picture
	}
	return &homeMemo{dated: dated, outlets: outlets, page: &HomePage{Coverage: picture.Coverage(dated, outlets)}}
}

// homeMemo is the home page's view with what it was drawn from, lent to the
// next build: the coverage picture reads every article's outlet and date,
// which a one-article edit seldom changes.
type homeMemo struct {
	dated   []picture.Dated
	outlets map[string]string
	page    *HomePage
}

// timelineView draws the timeline's time axis.
func timelineView(g *site.Site) *TimelinePage {
	events := make([]picture.Event, len(g.Events))
	for i, e := range g.Events {
		ev := picture.Event{Href: "#" + e.ID, Date: e.Date, Title: e.Title}
		for _, a := range e.Articles {
			ev.Reports = append(ev.Reports, picture.Report{Href: urls.Under(g.BasePath, a.Path), Date: a.Date,
				Label: a.Outlet.Name + ", " + a.DateHuman + ": " + a.Title})
		}
		events[i] = ev
	}
	return &TimelinePage{Picture: picture.Timeline(events)}
}
