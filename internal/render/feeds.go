package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/viewkey"
)

// FeedSize is how many of the newest articles the Atom feed carries.
const FeedSize = 30

// Feed entries carry the summary and an excerpt of the text, each bounded,
// never the whole article: a feed reader links to the page for the rest, the
// feed stays small however long the articles are, and no later step (the
// XML minifier's character reference decoding is quadratic in the size of
// one text) sees a text whose size the editor does not control.
const (
	FeedExcerptMax = 2000 // bytes of plain text in an entry's content
	FeedSummaryMax = 1000 // bytes of an entry's summary
	FeedTitleMax   = 500  // bytes of an entry's title
)

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

// FeedData is what the Atom feed shows: the newest articles.
type FeedData struct {
	Config            content.Config
	BaseURL, BasePath string
	Cards             []*site.ArticleCard
	Bodies            []*site.Body
}

// NewFeedData picks the feed's articles from the graph.
func NewFeedData(g *site.Site) *FeedData {
	d := &FeedData{Config: g.Config, BaseURL: g.BaseURL, BasePath: g.BasePath}
	for _, a := range g.Articles[:min(FeedSize, len(g.Articles))] {
		d.Cards = append(d.Cards, a.Card)
		d.Bodies = append(d.Bodies, a.Body)
	}
	return d
}

// Feed returns the Atom feed of the newest articles. Its updated time is the
// newest article's date, so identical content gives identical bytes.
func Feed(d *FeedData) []byte {
	f := atomFeed{
		Title:    d.Config.Title,
		Subtitle: d.Config.Description,
		ID:       d.BaseURL,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: urls.Abs(d.BaseURL, urls.Feed)},
			{Rel: "alternate", Type: "text/html", Href: d.BaseURL},
		},
		Updated: "1970-01-01T00:00:00Z",
		Author:  atomAuthor{Name: d.Config.Author},
		Rights:  d.Config.Copyright,
	}
	if f.Author.Name == "" {
		f.Author.Name = d.Config.Title
	}
	if len(d.Cards) > 0 {
		f.Updated = stamp(d.Cards[0])
	}
	for i, a := range d.Cards {
		u := urls.Abs(d.BaseURL, a.Path)
		e := atomEntry{
			Title:     truncate(a.Title, FeedTitleMax),
			ID:        u,
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: u},
			Updated:   stamp(a),
			Published: stamp(a),
			Author:    atomAuthor{Name: a.Outlet.Name},
			Summary:   atomText{Type: "text", Body: truncate(a.Summary, FeedSummaryMax)},
			Content:   atomText{Type: "text", Body: Excerpt(d.Bodies[i].Paragraphs(), FeedExcerptMax)},
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

// Excerpt returns the first paragraphs of an article's plain text, one blank
// line between paragraphs, at most max bytes: a paragraph that does not fit
// is cut at a word boundary and ends with "…". Its cost depends on max, not
// on the article's length.
func Excerpt(ps []site.Paragraph, max int) string {
	var b strings.Builder
	for _, p := range ps {
		t := strings.TrimSpace(p.Text)
		if t == "" {
			continue
		}
		sep := ""
		if b.Len() > 0 {
			sep = "\n\n"
		}
		if b.Len()+len(sep)+len(t) <= max {
			b.WriteString(sep)
			b.WriteString(t)
			continue
		}
		if room := max - b.Len() - len(sep) - len("…"); room > 0 {
			if cut := truncateWords(t, room); cut != "" {
				b.WriteString(sep)
				b.WriteString(cut)
				b.WriteString("…")
			}
		}
		break
	}
	return b.String()
}

// truncate shortens s to at most max bytes (ending in "…" when cut), at a
// word boundary where there is one.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	if max < len("…") {
		return truncateWords(s, max) // no room for the ellipsis
	}
	return truncateWords(s, max-len("…")) + "…"
}

// truncateWords returns the longest prefix of s of at most max bytes that
// ends at a space (or, with no space, at a rune boundary), without the
// trailing space.
func truncateWords(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > 0 {
		cut = sp
	}
	return strings.TrimRight(s[:cut], " ")
}

func stamp(a *site.ArticleCard) string {
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

// SitemapData is what the sitemap lists.
type SitemapData struct {
	BaseURL string
	Pages   []SitemapPage
	key     viewkey.Key
	from    []*Page // the pages it lists, indexable or not
}

// ViewKey implements viewkey.Keyed: a sitemap lists every page, so its key
// is computed once, without reflection.
func (d *SitemapData) ViewKey() viewkey.Key { return d.key }

// SitemapPage is one indexable page.
type SitemapPage struct {
	Path    string
	LastMod content.Date // zero when unknown
}

// NewSitemapData lists the indexable pages of ps. prev, the sitemap of the
// set ps was made from (or nil), lends its list when it lists the same:
// every page ps lent at its own position does, so only the others are
// compared.
func NewSitemapData(baseURL string, ps *PageSet, prev *SitemapData) *SitemapData {
	pages := ps.Pages
	if prev != nil && prev.BaseURL == baseURL && len(prev.from) == len(pages) {
		same := true
		for i, p := range pages {
			if ps.PrevIndex(i) == i {
				continue
			}
			if q := prev.from[i]; p.NoIndex != q.NoIndex || p.Path != q.Path || lastMod(p) != lastMod(q) {
				same = false
				break
			}
		}
		if same {
			// prev's list, made from this set (not pinning the older one).
			return &SitemapData{BaseURL: baseURL, Pages: prev.Pages, key: prev.key, from: pages}
		}
	}
	d := &SitemapData{BaseURL: baseURL, Pages: make([]SitemapPage, 0, len(pages)), from: pages}
	for _, p := range pages {
		if p.NoIndex {
			continue
		}
		d.Pages = append(d.Pages, SitemapPage{Path: p.Path, LastMod: lastMod(p)})
	}
	h := viewkey.New().String(d.BaseURL).Uint(uint64(len(d.Pages)))
	for _, p := range d.Pages {
		h.String(p.Path).Uint(uint64(p.LastMod.Year)<<16 | uint64(p.LastMod.Month)<<8 | uint64(p.LastMod.Day))
	}
	d.key = h.Sum()
	return d
}

// lastMod is the date a page was last changed, when known: an article's date.
func lastMod(p *Page) content.Date {
	if a, ok := p.Data.(*ArticlePage); ok {
		return a.Date
	}
	return content.Date{}
}

// Sitemap lists every indexable page.
func Sitemap(d *SitemapData) []byte {
	var u urlset
	u.URLs = make([]smURL, len(d.Pages))
	for i, p := range d.Pages {
		u.URLs[i] = smURL{Loc: urls.Abs(d.BaseURL, p.Path)}
		if !p.LastMod.IsZero() {
			u.URLs[i].LastMod = p.LastMod.String()
		}
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
func Robots(baseURL string) []byte {
	return []byte(fmt.Sprintf("User-agent: *\nAllow: /\n\nSitemap: %s\n", urls.Abs(baseURL, urls.Sitemap)))
}
