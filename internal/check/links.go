// Package check verifies a built site and its content without writing
// anything: every internal link and #fragment resolves, no link escapes the
// base path, and the content problems of the build are listed all at once.
package check

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"

	"golang.org/x/net/html"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/output"
)

// pageInfo is what the link checker needs of one HTML file.
type pageInfo struct {
	ids   map[string]bool
	links []ref
}

type ref struct {
	attr, val string
}

// Links checks every href, src and srcset of every HTML file of s: internal
// targets must exist under s.BasePath, fragments must name an id in the
// target page, and nothing may point outside the base path. Problems are
// reported against output files ("public/articles/x/index.html").
func Links(s *output.Site, origin string) diag.List {
	pages := map[string]*pageInfo{}
	for _, p := range s.Paths() {
		if strings.HasSuffix(p, ".html") {
			pages[p] = scan(s.Files[p].Data)
		}
	}
	var ps diag.List
	paths := make([]string, 0, len(pages))
	for p := range pages {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		info := pages[p]
		pageURL := s.BasePath + strings.TrimSuffix(p, "index.html")
		if p == "404.html" {
			pageURL = s.BasePath + "404.html"
		}
		seen := map[string]bool{}
		for _, r := range info.links {
			if seen[r.val] {
				continue
			}
			seen[r.val] = true
			if msg := checkRef(s, pages, origin, pageURL, p, r); msg != "" {
				ps.Add(diag.Errorf("public/"+p, 0, "%s", msg))
			}
		}
	}
	return ps
}

func checkRef(s *output.Site, pages map[string]*pageInfo, origin, pageURL, file string, r ref) string {
	v := strings.TrimSpace(r.val)
	if v == "" {
		return fmt.Sprintf("empty %s", r.attr)
	}
	u, err := url.Parse(v)
	if err != nil {
		return fmt.Sprintf("%s %q is not a valid URL: %v", r.attr, v, err)
	}
	if u.Scheme == "mailto" || u.Scheme == "tel" || u.Scheme == "data" {
		return ""
	}
	if u.Scheme == "javascript" {
		return fmt.Sprintf("%s %q uses javascript:", r.attr, v)
	}
	if u.Scheme != "" || u.Host != "" {
		if u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "" {
			return fmt.Sprintf("%s %q: unsupported scheme", r.attr, v)
		}
		o, err := url.Parse(origin)
		if origin == "" || err != nil || !strings.EqualFold(o.Host, u.Host) {
			return "" // external link: being well formed is all we check offline
		}
		// An absolute link to our own site (canonical, feed): check it like an internal one.
		u = &url.URL{Path: u.Path, RawPath: u.RawPath, Fragment: u.Fragment}
	}
	base, _ := url.Parse(pageURL)
	abs := base.ResolveReference(u)
	target := abs.Path
	if !strings.HasPrefix(target, s.BasePath) && target+"/" != s.BasePath {
		return fmt.Sprintf("%s %q escapes the base path %s", r.attr, v, s.BasePath)
	}
	rel := strings.TrimPrefix(target, s.BasePath)
	if strings.HasSuffix(target, "/") || rel == "" {
		rel += "index.html"
	}
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	if _, ok := s.Files[rel]; !ok {
		if _, ok := s.Files[rel+"/index.html"]; ok {
			return fmt.Sprintf("%s %q lacks its trailing slash (GitHub Pages redirects; link to %s/)", r.attr, v, abs.Path)
		}
		return fmt.Sprintf("broken link: %s %q (no file %s)", r.attr, v, rel)
	}
	if abs.Fragment != "" {
		tp := pages[rel]
		if tp == nil {
			return fmt.Sprintf("%s %q: fragment on a non-HTML file", r.attr, v)
		}
		if !tp.ids[abs.Fragment] {
			return fmt.Sprintf("broken anchor: %s %q (no id %q in %s)", r.attr, v, abs.Fragment, rel)
		}
	}
	return ""
}

// scan collects ids and link-bearing attributes of an HTML document.
func scan(data []byte) *pageInfo {
	info := &pageInfo{ids: map[string]bool{}}
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return info
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		tag := string(name)
		var rel string
		var attrs []html.Attribute
		for hasAttr {
			k, v, more := z.TagAttr()
			attrs = append(attrs, html.Attribute{Key: string(k), Val: string(v)})
			if string(k) == "rel" {
				rel = string(v)
			}
			hasAttr = more
		}
		for _, a := range attrs {
			switch a.Key {
			case "id", "name":
				if a.Key == "id" || tag == "a" {
					info.ids[a.Val] = true
				}
			case "href":
				if tag == "link" && (rel == "preconnect" || rel == "dns-prefetch") {
					continue
				}
				info.links = append(info.links, ref{tag + " href", a.Val})
			case "src":
				info.links = append(info.links, ref{tag + " src", a.Val})
			case "srcset":
				for _, part := range strings.Split(a.Val, ",") {
					if f := strings.Fields(part); len(f) > 0 {
						info.links = append(info.links, ref{tag + " srcset", f[0]})
					}
				}
			case "content":
				// og:url and friends are absolute URLs of our own pages.
			}
		}
	}
}
