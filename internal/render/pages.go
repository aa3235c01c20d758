package render

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/picture"
	"github.com/dossier-news/dossier/internal/provenance"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/viewkey"
)

// Page is what every template receives: the page's own fields, its view
// data in .Data (an *ArticlePage, *TopicPage... or nil for pages made of
// site-wide lists), and the site in .Site.
type Page struct {
	Kind        string // home, article, original, topic, topics, entity, entities, outlet, outlets, claim, claims, timeline, connections, search, 404
	Path        string // site-relative path of the page ("" for home, "articles/x/")
	Title       string
	Description string
	OGType      string // website | article | profile
	NoIndex     bool
	Data        any // the page's view: everything of the page's subject its template can read
	JSONLD      any // structured data for pages that are not articles (articles' is made from Data)

	key viewkey.Key
}

// pageData is what a template executes on: the page, and the site in .Site
// (settings and lists, keyed separately from the page: see Site).
type pageData struct {
	*Page
	// The page's fields again, as pageData's own: reflect finds a field of
	// an embedded struct by a search that allocates, and base.html reads
	// these on every page.
	Kind, Path, Title, Description, OGType string
	NoIndex                                bool
	Data, JSONLD                           any

	Site Site
}

// newPageData is what p's template executes on, with data (p.Data, or a
// copy of it made for the execution) in .Data.
func newPageData(p *Page, data any, site Site) pageData {
	return pageData{Page: p, Kind: p.Kind, Path: p.Path, Title: p.Title, Description: p.Description, OGType: p.OGType,
		NoIndex: p.NoIndex, Data: data, JSONLD: p.JSONLD, Site: site}
}

// File is the page's output file.
func (p *Page) File() string { return urls.File(p.Path) }

// Key identifies everything the page shows except the site-wide settings and
// lists (which the build keys separately): two pages with the same Key and
// the same lists render the same bytes with the same templates.
func (p *Page) Key() viewkey.Key {
	if p.key == 0 {
		p.key = viewkey.Fields(p)
	}
	return p.key
}

// LD returns the page's structured data: JSON-LD NewsArticle for articles,
// built when the page is rendered (not for every page on every rebuild).
func (d pageData) LD() any {
	if a, ok := d.Data.(*ArticlePage); ok {
		return newsArticle(d.Site.Lists, a)
	}
	return d.JSONLD
}

// ArticlePage is an article page's view.
type ArticlePage struct {
	*site.ArticleCard // title, outlet, date, byline, summary, topics, reading time
	*site.Body        // HTML, EditorNote, Paragraphs, Notes, Words, Provenance
	// The fields of the card and body the article template reads, again as
	// the view's own: reflect finds a field of an embedded struct by a
	// search that allocates, and these are read on every article page.
	Path, Title, Byline, Summary, URL string
	DateISO, DateHuman                string
	Outlet                            *site.OutletRef
	Topics                            []*site.TopicRef
	ReadingMinutes                    int
	EditorNote                        template.HTML
	Notes                             []*site.Note
	Provenance                        *provenance.Report
	Removed                           []content.Removal
	Unverified                        string            // why the article has no original, when the editors said
	Entities                          []*site.EntityRef // mentioned, by name
	Related                           []*site.ArticleCard
	Older, Newer                      *site.ArticleCard
	Events                            []*site.Event
	// HTML is the body's HTML while the page renders, and empty
	// otherwise: Renderer.Render fills it in a copy of the view for the
	// one execution, with a view of the unpacked text (Body.ReadHTML),
	// not a string of its own. The field hides Body's HTML method from
	// the templates.
	HTML template.HTML
}

// OriginalPage is an article's comparison page: its original, line by line,
// with what the rendition leaves out.
type OriginalPage struct {
	*site.ArticleCard
	Provenance *provenance.Report
}

// ClaimsPage is the claims index: the claims by outlet.
type ClaimsPage struct {
	Matrix *site.ClaimMatrix
}

// TopicPage is one page of a topic's article list.
type TopicPage struct {
	*site.TopicRef
	Overview     template.HTML
	ArticleCount int
	Items        []*site.TopicItem
	Pager        Pager
}

// OutletPage is one page of an outlet's article list.
type OutletPage struct {
	*site.OutletRef
	ArticleCount int
	Items        []*site.ArticleCard
	Pager        Pager
}

// EntityPage is one page of an entity's mentions.
type EntityPage struct {
	*site.EntityRef
	Bio          template.HTML
	MentionCount int
	Quotes       []*site.Quote
	Items        []*site.EntityMention
	Pager        Pager
	// Graph is who appears with them (people and organisations, first page
	// only; nil for none), With the same as a list: A is this entity.
	Graph *picture.GraphPicture
	With  []*Connection
}

// ClaimPage is a claim's page.
type ClaimPage struct {
	*site.ClaimRef
	NoteHTML template.HTML
	Evidence []*site.Evidence
}

// PageSet is a build's pages, with the graph nodes they were made from: the
// next build reuses the pages (views and keys) of the nodes it shares.
type PageSet struct {
	Pages  []*Page
	byNode map[any]nodePages
	// prev[i] is the index in the previous set of Pages[i], when that page
	// was lent by it (the same *Page), else -1: a rebuild finds what it
	// made of the page last time by position, without a lookup by path.
	prev []int32
	conn *connections // co-mention counts and pictures, lent to the next build
	home *homeMemo
}

// nodePages are a node's pages, and where they start in PageSet.Pages.
type nodePages struct {
	pages []*Page
	at    int32
}

// PrevIndex returns the index in the previous set (the one given to Pages)
// of the i-th page when it is the same *Page, lent by that set, else -1.
func (ps *PageSet) PrevIndex(i int) int { return int(ps.prev[i]) }

// Pages lists every HTML page of the site, in a deterministic order, with
// the views their templates receive. prev (or nil) lends the pages of nodes
// the graph shares with the previous one: a node is immutable, so its pages are too.
func Pages(g *site.Site, prev *PageSet) *PageSet {
	size := len(g.Articles) + len(g.Topics) + len(g.Outlets) + len(g.Entities) + len(g.Claims) + 16
	if prev != nil {
		size = max(size, len(prev.Pages)+16)
	}
	ps := &PageSet{byNode: make(map[any]nodePages, len(g.Articles)+len(g.Topics)+len(g.Outlets)+len(g.Entities)+len(g.Claims)),
		Pages: make([]*Page, 0, size), prev: make([]int32, 0, size)}
	var prevConn *connections
	var prevHome *homeMemo
	if prev != nil {
		prevConn, prevHome = prev.conn, prev.home
	}
	ps.conn = newConnections(g, prevConn)
	add := func(node any, make func() []*Page) {
		at := int32(len(ps.Pages))
		if prev != nil {
			if np, ok := prev.byNode[node]; ok {
				ps.byNode[node] = nodePages{np.pages, at}
				ps.Pages = append(ps.Pages, np.pages...)
				for k := range np.pages {
					ps.prev = append(ps.prev, np.at+int32(k))
				}
				return
			}
		}
		pages := make()
		ps.byNode[node] = nodePages{pages, at}
		ps.Pages = append(ps.Pages, pages...)
		for range pages {
			ps.prev = append(ps.prev, -1)
		}
	}
	cfg := g.Config
	desc := cfg.Description
	ps.home = homeView(g, prevHome)
	ps.Pages = append(ps.Pages, []*Page{
		{Kind: "home", Path: urls.Home, Title: cfg.Title, Description: desc, OGType: "website", Data: ps.home.page,
			JSONLD: map[string]any{"@context": "https://schema.org", "@type": "WebSite", "name": cfg.Title, "url": g.BaseURL, "description": desc, "inLanguage": cfg.Language}},
		{Kind: "404", Path: urls.NotFound, Title: "Page not found", Description: "This page does not exist.", OGType: "website", NoIndex: true},
		{Kind: "topics", Path: urls.Topics, Title: "Topics", Description: "Every topic of " + cfg.Title + ".", OGType: "website"},
		{Kind: "outlets", Path: urls.Outlets, Title: "Outlets", Description: "The publications whose reports make up " + cfg.Title + ".", OGType: "website"},
		{Kind: "search", Path: urls.Search, Title: "Search", Description: "Search " + cfg.Title + ".", OGType: "website"},
	}...)
	if len(g.Entities) > 0 {
		ps.Pages = append(ps.Pages, &Page{Kind: "entities", Path: urls.Entities, Title: "People and organisations", Description: "Who is who in " + cfg.Title + ".", OGType: "website"})
		ps.Pages = append(ps.Pages, &Page{Kind: "connections", Path: urls.Connections, Title: "Connections", Description: "Who appears with whom in the reports of " + cfg.Title + ".", OGType: "website", Data: ps.conn.page})
	}
	if len(g.Claims) > 0 {
		ps.Pages = append(ps.Pages, &Page{Kind: "claims", Path: urls.Claims, Title: "Claims compared", Description: "Claims several sources make, compared word for word.", OGType: "website",
			Data: &ClaimsPage{Matrix: site.NewClaimMatrix(g)}})
	}
	if len(g.Events) > 0 {
		ps.Pages = append(ps.Pages, &Page{Kind: "timeline", Path: urls.Timeline, Title: "Timeline", Description: "The events behind " + cfg.Title + ", in order.", OGType: "website", Data: timelineView(g)})
	}
	for len(ps.prev) < len(ps.Pages) {
		ps.prev = append(ps.prev, -1) // the site-wide pages are made anew
	}
	for _, a := range g.Articles {
		add(a, func() []*Page {
			c, b := a.Card, a.Body
			v := &ArticlePage{ArticleCard: c, Body: b,
				Path: c.Path, Title: c.Title, Byline: c.Byline, Summary: c.Summary, URL: c.URL, DateISO: c.DateISO, DateHuman: c.DateHuman,
				Outlet: c.Outlet, Topics: c.Topics, ReadingMinutes: c.ReadingMinutes, EditorNote: b.EditorNote, Notes: b.Notes, Provenance: b.Provenance,
				Removed: a.Source.Removed, Unverified: a.Source.Unverified, Entities: a.Entities,
				Related: a.Related, Older: a.Older, Newer: a.Newer, Events: a.Events}
			pages := []*Page{{Kind: "article", Path: a.Card.Path, Title: a.Card.Title, Description: a.Card.Summary, OGType: "article", Data: v}}
			if a.Body.Provenance != nil {
				// The comparison page: the original, as checked against the rendition.
				pages = append(pages, &Page{Kind: "original", Path: urls.Original(a.Card.Slug), Title: "The original of “" + a.Card.Title + "”",
					Description: "The page " + a.Card.Outlet.Name + " published, as scraped, compared word for word with the rendition: " + a.Card.Title + ".",
					OGType:      "website", Data: &OriginalPage{ArticleCard: a.Card, Provenance: a.Body.Provenance}})
			}
			return pages
		})
	}
	for _, t := range g.Topics {
		add(t, func() []*Page {
			d := t.Ref.Summary
			if d == "" {
				d = fmt.Sprintf("%s: %d articles in %s.", t.Ref.Title, len(t.Items), cfg.Title)
			}
			var out []*Page
			for _, pg := range paginate(t.Ref.Path, len(t.Items)) {
				v := &TopicPage{TopicRef: t.Ref, ArticleCount: len(t.Items), Items: t.Items[pg.lo:pg.hi], Pager: pg}
				if pg.Number == 1 {
					v.Overview = t.Overview
				}
				out = append(out, &Page{Kind: "topic", Path: pg.Path(), Title: pg.title(t.Ref.Title), Description: d, OGType: "website", Data: v})
			}
			return out
		})
	}
	for _, o := range g.Outlets {
		add(o, func() []*Page {
			var out []*Page
			for _, pg := range paginate(o.Ref.Path, len(o.Articles)) {
				out = append(out, &Page{Kind: "outlet", Path: pg.Path(), Title: pg.title(o.Ref.Name), Description: fmt.Sprintf("Reports by %s in %s.", o.Ref.Name, cfg.Title), OGType: "website",
					Data: &OutletPage{OutletRef: o.Ref, ArticleCount: len(o.Articles), Items: o.Articles[pg.lo:pg.hi], Pager: pg}})
			}
			return out
		})
	}
	egoKeys := ps.conn.drawEgos(g, prevConn)
	for _, e := range g.Entities {
		// An entity's first page shows who appears with them, which other
		// articles change: its pages are the node's while that is the same.
		egoKey := egoKeys[e.Ref.Slug]
		ego := ps.conn.ego(egoKey)
		add(entityNode{e, egoKey}, func() []*Page {
			d := e.Ref.Role
			if d == "" {
				d = e.Ref.Name + " in " + cfg.Title + "."
			}
			var out []*Page
			for _, pg := range paginate(e.Ref.Path, len(e.Mentions)) {
				v := &EntityPage{EntityRef: e.Ref, MentionCount: len(e.Mentions), Items: e.Mentions[pg.lo:pg.hi], Pager: pg}
				if pg.Number == 1 {
					v.Bio, v.Quotes = e.Bio, e.Quotes
					v.Graph, v.With = ego.graph, ego.with
				}
				out = append(out, &Page{Kind: "entity", Path: pg.Path(), Title: pg.title(e.Ref.Name), Description: d, OGType: "profile", Data: v})
			}
			return out
		})
	}
	for _, c := range g.Claims {
		add(c, func() []*Page {
			return []*Page{{Kind: "claim", Path: c.Ref.Path, Title: c.Ref.Title, Description: "How the sources reported it: " + c.Ref.Title, OGType: "website",
				Data: &ClaimPage{ClaimRef: c.Ref, NoteHTML: c.NoteHTML, Evidence: c.Evidence}}}
		})
	}
	return ps
}

// entityNode is an entity page's node for reuse: the entity, and the key of
// who appears with them.
type entityNode struct {
	e   *site.Entity
	ego viewkey.Key
}

func newsArticle(l *Lists, a *ArticlePage) map[string]any {
	u := urls.Abs(l.BaseURL, a.Path)
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         a.Title,
		"datePublished":    a.DateISO,
		"description":      a.Summary,
		"url":              u,
		"mainEntityOfPage": u,
		"inLanguage":       l.Config.Language,
		"publisher":        map[string]any{"@type": "Organization", "name": a.Outlet.Name},
		"isPartOf":         map[string]any{"@type": "WebSite", "name": l.Config.Title, "url": l.BaseURL},
	}
	if a.Byline != "" {
		ld["author"] = map[string]any{"@type": "Person", "name": a.Byline}
	} else {
		ld["author"] = map[string]any{"@type": "Organization", "name": a.Outlet.Name}
	}
	if a.URL != "" {
		ld["isBasedOn"] = a.URL
	}
	var about []string
	for _, t := range a.Topics {
		about = append(about, t.Title)
	}
	if len(about) > 0 {
		ld["keywords"] = strings.Join(about, ", ")
	}
	return ld
}

// PageSize is how many articles a topic, outlet or entity page lists before
// it is split into /page/2/ and so on. Small pages keep a big dossier fast to
// read and fast to rebuild: an edit re-renders only the page listing it.
const PageSize = 50

// Pager places one page of a paginated list.
type Pager struct {
	Number, Total int
	Base          string // the list's first page: "topics/syria/"
	lo, hi        int
}

// Path of this page.
func (p Pager) Path() string { return p.PathOf(p.Number) }

// PathOf returns the path of page n.
func (p Pager) PathOf(n int) string { return urls.Paged(p.Base, n) }

// Window lists the pages a page's navigation links to: the first and the
// last, and those within windowReach of this one, in order, with 0 where a
// run of two or more pages is left out (the template shows "…"; a run of
// one page is listed instead, as a link costs no more than the ellipsis).
// It holds at most 2*windowReach+5 numbers, whatever Total is.
//
// Listing every page (Numbers) puts Total links on each of Total pages:
// at 100,000 articles a topic had 364 pages of 364 links each, which made
// template execution and the topic pages' size grow with the square of
// the dossier, and gave readers a wall of numbers to scan.
func (p Pager) Window() []int {
	if p.Total < 1 {
		return nil
	}
	out := make([]int, 0, 2*windowReach+5)
	last := 0 // the last number listed
	show := func(n int) {
		switch {
		case n <= last:
			return
		case n == last+2:
			out = append(out, last+1) // a run of one page: list it
		case n > last+2:
			out = append(out, 0)
		}
		out = append(out, n)
		last = n
	}
	show(1)
	for n := max(1, p.Number-windowReach); n <= min(p.Total, p.Number+windowReach); n++ {
		show(n)
	}
	show(p.Total)
	return out
}

// windowReach is how many pages on each side of the current one Window
// links to.
const windowReach = 2

// Numbers lists 1..Total. The default templates use Window: a template
// that links every page from every page makes a long list's pages grow
// with its length.
func (p Pager) Numbers() []int {
	out := make([]int, p.Total)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func (p Pager) title(t string) string {
	if p.Number <= 1 {
		return t
	}
	return fmt.Sprintf("%s (page %d of %d)", t, p.Number, p.Total)
}

func paginate(base string, n int) []Pager {
	total := max(1, (n+PageSize-1)/PageSize)
	out := make([]Pager, total)
	for i := range out {
		out[i] = Pager{Number: i + 1, Total: total, Base: base, lo: i * PageSize, hi: min(n, (i+1)*PageSize)}
	}
	return out
}
