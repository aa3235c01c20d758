package render

import (
	"fmt"
	"strings"

	"github.com/dossier-news/dossier/internal/site"
)

// File returns the output file of a page path: "articles/x/" -> "articles/x/index.html".
func File(p *Page) string {
	if p.out != "" {
		return p.out
	}
	if p.Kind == "404" {
		return "404.html"
	}
	return p.Path + "index.html"
}

// Pages lists every HTML page of the site, in a deterministic order.
func Pages(s *site.Site) []*Page {
	desc := s.Config.Description
	pages := []*Page{
		{Site: s, Kind: "home", Path: "", Title: s.Config.Title, Description: desc, OGType: "website",
			JSONLD: map[string]any{"@context": "https://schema.org", "@type": "WebSite", "name": s.Config.Title, "url": s.BaseURL, "description": desc, "inLanguage": s.Config.Language}},
		{Site: s, Kind: "404", Path: "404.html", Title: "Page not found", Description: "This page does not exist.", OGType: "website", NoIndex: true},
		{Site: s, Kind: "topics", Path: "topics/", Title: "Topics", Description: "Every topic of " + s.Config.Title + ".", OGType: "website"},
		{Site: s, Kind: "outlets", Path: "outlets/", Title: "Outlets", Description: "The publications whose reports make up " + s.Config.Title + ".", OGType: "website"},
	}
	pages = append(pages, &Page{Site: s, Kind: "search", Path: "search/", Title: "Search", Description: "Search " + s.Config.Title + ".", OGType: "website"})
	if len(s.Entities) > 0 {
		pages = append(pages, &Page{Site: s, Kind: "entities", Path: "entities/", Title: "People and organisations", Description: "Who is who in " + s.Config.Title + ".", OGType: "website"})
	}
	if len(s.Claims) > 0 {
		pages = append(pages, &Page{Site: s, Kind: "claims", Path: "claims/", Title: "Claims compared", Description: "Claims several sources make, compared word for word.", OGType: "website"})
	}
	if len(s.Events) > 0 {
		pages = append(pages, &Page{Site: s, Kind: "timeline", Path: "timeline/", Title: "Timeline", Description: "The events behind " + s.Config.Title + ", in order.", OGType: "website"})
	}
	for _, a := range s.Articles {
		pages = append(pages, &Page{Site: s, Kind: "article", Path: a.Path, Title: a.Title, Description: a.Summary, OGType: "article", Data: a})
	}
	for _, t := range s.Topics {
		d := t.Summary
		if d == "" {
			d = fmt.Sprintf("%s: %d articles in %s.", t.Title, len(t.Articles), s.Config.Title)
		}
		for _, pg := range paginate(t.Path, len(t.Articles)) {
			pages = append(pages, &Page{Site: s, Kind: "topic", Path: pg.Path(), Title: pg.title(t.Title), Description: d, OGType: "website",
				Data: &TopicPage{Topic: t, Items: t.Articles[pg.lo:pg.hi], Pager: pg}})
		}
	}
	for _, o := range s.Outlets {
		for _, pg := range paginate(o.Path, len(o.Articles)) {
			pages = append(pages, &Page{Site: s, Kind: "outlet", Path: pg.Path(), Title: pg.title(o.Name), Description: fmt.Sprintf("Reports by %s in %s.", o.Name, s.Config.Title), OGType: "website",
				Data: &OutletPage{Outlet: o, Items: o.Articles[pg.lo:pg.hi], Pager: pg}})
		}
	}
	for _, e := range s.Entities {
		d := e.Role
		if d == "" {
			d = e.Name + " in " + s.Config.Title + "."
		}
		for _, pg := range paginate(e.Path, len(e.Mentions)) {
			pages = append(pages, &Page{Site: s, Kind: "entity", Path: pg.Path(), Title: pg.title(e.Name), Description: d, OGType: "profile",
				Data: &EntityPage{Entity: e, Items: e.Mentions[pg.lo:pg.hi], Pager: pg}})
		}
	}
	for _, c := range s.Claims {
		pages = append(pages, &Page{Site: s, Kind: "claim", Path: c.Path, Title: c.Title, Description: "How the sources reported it: " + c.Title, OGType: "website", Data: c})
	}
	for _, p := range pages {
		p.out = File(p)
	}
	return pages
}

// LD returns the page's structured data: JSON-LD NewsArticle for articles,
// built when the page is rendered (not for every page on every rebuild).
func (p *Page) LD() any {
	if a, ok := p.Data.(*site.Article); ok && p.Kind == "article" {
		return newsArticle(p.Site, a)
	}
	return p.JSONLD
}

func newsArticle(s *site.Site, a *site.Article) map[string]any {
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         a.Title,
		"datePublished":    a.Date.String(),
		"description":      a.Summary,
		"url":              s.BaseURL + a.Path,
		"mainEntityOfPage": s.BaseURL + a.Path,
		"inLanguage":       s.Config.Language,
		"publisher":        map[string]any{"@type": "Organization", "name": a.Outlet.Name},
		"isPartOf":         map[string]any{"@type": "WebSite", "name": s.Config.Title, "url": s.BaseURL},
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
func (p Pager) PathOf(n int) string {
	if n <= 1 {
		return p.Base
	}
	return fmt.Sprintf("%spage/%d/", p.Base, n)
}

// Numbers lists 1..Total, for page links.
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

// TopicPage is one page of a topic's article list.
type TopicPage struct {
	*site.Topic
	Items []*site.TopicArticle
	Pager Pager
}

// OutletPage is one page of an outlet's article list.
type OutletPage struct {
	*site.Outlet
	Items []*site.Article
	Pager Pager
}

// EntityPage is one page of an entity's mentions.
type EntityPage struct {
	*site.Entity
	Items []*site.EntityMention
	Pager Pager
}
