package render

import (
	"fmt"
	"strings"

	"github.com/dossier-news/dossier/internal/site"
)

// File returns the output file of a page path: "articles/x/" -> "articles/x/index.html".
func File(p *Page) string {
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
		pages = append(pages, &Page{Site: s, Kind: "article", Path: a.Path, Title: a.Title, Description: a.Summary, OGType: "article", Data: a, JSONLD: newsArticle(s, a)})
	}
	for _, t := range s.Topics {
		d := t.Summary
		if d == "" {
			d = fmt.Sprintf("%s: %d articles in %s.", t.Title, len(t.Articles), s.Config.Title)
		}
		pages = append(pages, &Page{Site: s, Kind: "topic", Path: t.Path, Title: t.Title, Description: d, OGType: "website", Data: t})
	}
	for _, o := range s.Outlets {
		pages = append(pages, &Page{Site: s, Kind: "outlet", Path: o.Path, Title: o.Name, Description: fmt.Sprintf("Reports by %s in %s.", o.Name, s.Config.Title), OGType: "website", Data: o})
	}
	for _, e := range s.Entities {
		d := e.Role
		if d == "" {
			d = e.Name + " in " + s.Config.Title + "."
		}
		pages = append(pages, &Page{Site: s, Kind: "entity", Path: e.Path, Title: e.Name, Description: d, OGType: "profile", Data: e})
	}
	for _, c := range s.Claims {
		pages = append(pages, &Page{Site: s, Kind: "claim", Path: c.Path, Title: c.Title, Description: "How the sources reported it: " + c.Title, OGType: "website", Data: c})
	}
	return pages
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
