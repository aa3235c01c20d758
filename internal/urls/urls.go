// Package urls is the one place that maps a thing to its URL and output
// file, as Zola's make_permalink: site, render, build, check and serve all
// ask here, so a page's address is decided once.
//
// A page path is site-relative, slash-separated, with a trailing slash
// ("articles/x/", "" for the home page); Under and Abs put it under the base
// URL; File gives the file that serves it.
package urls

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dossier-news/dossier/internal/slugs"
)

// Section paths.
const (
	Home     = ""
	Topics   = "topics/"
	Entities = "entities/"
	Outlets  = "outlets/"
	Claims   = "claims/"
	Timeline = "timeline/"
	// Connections is who appears with whom (people and organisations).
	Connections = "connections/"
	Search      = "search/"
	NotFound    = "404.html"
	Feed        = "feed.xml"
	Sitemap     = "sitemap.xml"
	Robots      = "robots.txt"
)

// Content folders, as content/ names them; a content file's kind.
const (
	ArticlesDir = "articles"
	TopicsDir   = "topics"
	EntitiesDir = "entities"
	ClaimsDir   = "claims"
)

// ContentDirs lists the folders of content/ that hold one Markdown file per page.
var ContentDirs = []string{ArticlesDir, TopicsDir, EntitiesDir, ClaimsDir}

// Article returns an article's page path.
func Article(slug string) string { return ArticlesDir + "/" + slug + "/" }

// Topic returns a topic's page path.
func Topic(slug string) string { return TopicsDir + "/" + slug + "/" }

// Entity returns a person's, organisation's or place's page path.
func Entity(slug string) string { return EntitiesDir + "/" + slug + "/" }

// Claim returns a claim's page path.
func Claim(slug string) string { return ClaimsDir + "/" + slug + "/" }

// Outlet returns an outlet's page path (slug from Slug(name)).
func Outlet(slug string) string { return Outlets + slug + "/" }

// Of returns the page path of a content file's kind and slug.
func Of(kind, slug string) string { return kind + "/" + slug + "/" }

// ContentFile returns a content file's path relative to content/: "articles/x.md".
func ContentFile(kind, slug string) string { return kind + "/" + slug + ".md" }

// OfContentFile is ContentFile's inverse, as the page of the file:
// "articles/x.md" -> "articles/x/"; false for a file of no kind's folder.
func OfContentFile(file string) (string, bool) {
	kind, name, ok := strings.Cut(file, "/")
	slug, md := strings.CutSuffix(name, ".md")
	if !ok || !md || strings.Contains(slug, "/") || !slices.Contains(ContentDirs, kind) {
		return "", false
	}
	return Of(kind, slug), true
}

// Original returns the path of the page comparing an article with its
// original: "articles/x/original/".
func Original(slug string) string { return Article(slug) + "original/" }

// Paged returns the path of page n of a list whose first page is base:
// base itself for n <= 1, then base+"page/n/".
func Paged(base string, n int) string {
	if n <= 1 {
		return base
	}
	return fmt.Sprintf("%spage/%d/", base, n)
}

// eventSlugMax bounds the title part of an event anchor.
const eventSlugMax = 40

// Event returns the fragment id of the i-th timeline event (0-based) from
// its date and title: "e2013-05-07-kerry-meets-putin"; the event's number
// stands in for a title with nothing to transliterate.
func Event(date, title string, i int) string {
	s := Slug(title)
	if len(s) > eventSlugMax {
		s = strings.TrimRight(s[:eventSlugMax], "-")
	}
	if s == "" {
		s = strconv.Itoa(i + 1)
	}
	return "e" + date + "-" + s
}

// File returns the output file serving a page path: "articles/x/" ->
// "articles/x/index.html"; paths naming a file ("404.html", "feed.xml") are
// their own file.
func File(p string) string {
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

// PageOf is File's inverse for pages: "articles/x/index.html" ->
// "articles/x/"; other files return themselves.
func PageOf(file string) string {
	if file == "index.html" {
		return ""
	}
	if strings.HasSuffix(file, "/index.html") {
		return strings.TrimSuffix(file, "index.html")
	}
	return file
}

// Under puts a site path under the base URL's path: ("/dossier/", "topics/") -> "/dossier/topics/".
func Under(basePath, p string) string { return basePath + strings.TrimPrefix(p, "/") }

// Abs makes a full URL of a site path, for canonical links, feeds and Open Graph.
func Abs(baseURL, p string) string { return baseURL + strings.TrimPrefix(p, "/") }

// Nav resolves a navigation entry: a full URL (or mailto:) as it is, a site
// path under the base path.
func Nav(basePath, u string) string {
	if IsExternal(u) {
		return u
	}
	return Under(basePath, u)
}

// IsExternal reports whether u is a full URL (scheme://) or a mailto: link.
func IsExternal(u string) bool { return strings.Contains(u, "://") || strings.HasPrefix(u, "mailto:") }

// Base parses a base URL: it returns the absolute URL with a trailing slash
// and its path ("/" or "/repo/"), or an error saying what a base URL must be.
func Base(raw string) (baseURL, basePath string, err error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", fmt.Errorf("base URL %q must be a full URL such as https://owner.github.io/repo/", raw)
	}
	u.RawQuery, u.Fragment = "", ""
	p := u.EscapedPath()
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	u.RawPath = ""
	u.Path = ""
	return strings.TrimSuffix(u.String(), "/") + p, p, nil
}

// Slug makes the lowercase ASCII slug of a name in any script (outlets,
// event anchors); see package slugs. "" when nothing in it transliterates.
func Slug(name string) string { return slugs.Make(name) }
