package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"

	"github.com/dossier-news/dossier/internal/site"
)

// FeedSize is how many of the newest articles the Atom feed carries.
const FeedSize = 30

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Link      atomLink   `xml:"link"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Author    atomAuthor `xml:"author"`
	Summary   atomText   `xml:"summary"`
	Content   atomText   `xml:"content"`
	Category  []atomCat  `xml:"category"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Links    []atomLink  `xml:"link"`
	Updated  string      `xml:"updated"`
	Author   atomAuthor  `xml:"author"`
	Rights   string      `xml:"rights,omitempty"`
	Entries  []atomEntry `xml:"entry"`
}

// Feed returns the Atom feed of the newest articles. Its updated time is the
// newest article's date, so identical content gives identical bytes.
func Feed(s *site.Site) []byte {
	f := atomFeed{
		Title:    s.Config.Title,
		Subtitle: s.Config.Description,
		ID:       s.BaseURL,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: s.BaseURL + "feed.xml"},
			{Rel: "alternate", Type: "text/html", Href: s.BaseURL},
		},
		Updated: "1970-01-01T00:00:00Z",
		Author:  atomAuthor{Name: s.Config.Author},
		Rights:  s.Config.Copyright,
	}
	if f.Author.Name == "" {
		f.Author.Name = s.Config.Title
	}
	if len(s.Articles) > 0 {
		f.Updated = stamp(s.Articles[0])
	}
	for _, a := range s.Articles[:min(FeedSize, len(s.Articles))] {
		e := atomEntry{
			Title:     a.Title,
			ID:        s.BaseURL + a.Path,
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: s.BaseURL + a.Path},
			Updated:   stamp(a),
			Published: stamp(a),
			Author:    atomAuthor{Name: a.Outlet.Name},
			Summary:   atomText{Type: "text", Body: a.Summary},
			Content:   atomText{Type: "html", Body: absolutize(s, a.HTML)},
		}
		if a.Byline != "" {
			e.Author.Name = a.Byline + " (" + a.Outlet.Name + ")"
		}
		for _, t := range a.Topics {
			e.Category = append(e.Category, atomCat{Term: t.Slug, Label: t.Title})
		}
		f.Entries = append(f.Entries, e)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		panic(err) // only plain strings are encoded: cannot fail
	}
	return b.Bytes()
}

// absolutize makes root-relative links in feed content absolute, since feed
// readers have no base URL to resolve them against.
func absolutize(s *site.Site, h template.HTML) string {
	if s.BaseURL == "/" || s.BaseURL == "" {
		return string(h)
	}
	origin := s.BaseURL[:len(s.BaseURL)-len(s.BasePath)]
	out := bytes.ReplaceAll([]byte(h), []byte(`href="`+s.BasePath), []byte(`href="`+origin+s.BasePath))
	return string(out)
}

func stamp(a *site.Article) string {
	return a.Date.Time().Format("2006-01-02T15:04:05Z")
}

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []smURL  `xml:"url"`
}

type smURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// Sitemap lists every indexable page.
func Sitemap(s *site.Site, pages []*Page) []byte {
	var u urlset
	for _, p := range pages {
		if p.NoIndex {
			continue
		}
		e := smURL{Loc: s.BaseURL + p.Path}
		if a, ok := p.Data.(*site.Article); ok {
			e.LastMod = a.Date.String()
		}
		u.URLs = append(u.URLs, e)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(u); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Robots returns robots.txt pointing at the sitemap.
func Robots(s *site.Site) []byte {
	return []byte(fmt.Sprintf("User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n", s.BaseURL))
}
