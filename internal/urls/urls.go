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
	"strings"
)

// Section paths.
const (
	Home     = ""
	Topics   = "topics/"
	Entities = "entities/"
	Outlets  = "outlets/"
	Claims   = "claims/"
	Timeline = "timeline/"
	Search   = "search/"
	NotFound = "404.html"
	Feed     = "feed.xml"
	Sitemap  = "sitemap.xml"
	Robots   = "robots.txt"
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

// Paged returns the path of page n of a list whose first page is base:
// base itself for n <= 1, then base+"page/n/".
func Paged(base string, n int) string {
	if n <= 1 {
		return base
	}
	return fmt.Sprintf("%spage/%d/", base, n)
}

// Event returns a timeline event's fragment id from its date and title.
func Event(date, title string) string {
	s := Slug(title)
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
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

// Slug makes a lowercase, URL-safe slug of a name (outlets, events).
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r == '.' || r == '\'' || r == '’':
			// "St. Petersburg" -> "st-petersburg", "America's" -> "americas"
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		out = "unknown"
	}
	return out
}
