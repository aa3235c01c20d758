// Package check verifies a project without writing anything: the content
// (front matter, references, annotation anchors, Markdown links and images,
// titles) and a fresh build of it (every internal link and #fragment
// of every page resolves, nothing escapes the base path). Every problem is
// listed at once as file:line: message, pointing at the content file an editor
// has to fix wherever the page it shows on can be traced back to one.
package check

import (
	"bytes"
	"fmt"
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/net/html"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/output"
)

// pageInfo is what the link checker needs of one HTML file.
type pageInfo struct {
	ids   map[string]int // id -> occurrences, while scanning (see compact)
	links []ref
	// Kept by the scanner instead of ids, a tenth of its size: every id
	// once, sorted, and those used more than once with their counts.
	sorted []string
	dups   map[string]int
}

// compact replaces ids by sorted and dups, with each string passed through one.
func (p *pageInfo) compact(one func(string) string) {
	p.sorted = make([]string, 0, len(p.ids))
	for id, n := range p.ids {
		p.sorted = append(p.sorted, one(id))
		if n > 1 {
			if p.dups == nil {
				p.dups = map[string]int{}
			}
			p.dups[one(id)] = n
		}
	}
	sort.Strings(p.sorted)
	p.ids = nil
	for i, r := range p.links {
		p.links[i] = ref{one(r.attr), one(r.val)}
	}
}

// count is how many times id is used in the page.
func (p *pageInfo) count(id string) int {
	if p.ids != nil {
		return p.ids[id]
	}
	if n, ok := p.dups[id]; ok {
		return n
	}
	if _, ok := slices.BinarySearch(p.sorted, id); ok {
		return 1
	}
	return 0
}

type ref struct {
	attr, val string
}

// linkProblem is one bad reference found in a built page.
type linkProblem struct {
	Page string // output path of the page holding the reference, "articles/x/index.html"
	Attr string // "a href", "img src", "id", ...
	Val  string // the attribute's value as written in the page
	Msg  string // what is wrong, independent of the page when the target is
}

// Links checks every href, src and srcset of every HTML file of s: internal
// targets must exist under s.BasePath, fragments must name an id in the
// target page, and nothing may point outside the base path. Problems are
// reported against output files ("public/articles/x/index.html"); Run maps
// them back to content files.
func Links(s *output.Site, origin string) diag.List {
	var ps diag.List
	for _, lp := range siteProblems(inventoryOf(s), origin) {
		ps.Add(diag.Errorf("public/"+lp.Page, 0, "%s", lp.Msg))
	}
	return ps
}

// siteProblems is Links with the details Run needs to find the content file
// behind each problem. The result is sorted by page, then value.
func siteProblems(s *inventory, origin string) []linkProblem {
	pages := s.pages
	var paths []string
	for _, p := range s.paths() {
		if pages[p] != nil {
			paths = append(paths, p)
		}
	}
	var out []linkProblem
	for _, p := range paths {
		info := pages[p]
		seen := map[string]bool{}
		for _, r := range info.links {
			key := r.attr + "\x00" + r.val
			if seen[key] {
				continue
			}
			seen[key] = true
			if p == "404.html" && isRelative(r.val) {
				out = append(out, linkProblem{Page: p, Attr: r.attr, Val: r.val,
					Msg: fmt.Sprintf("%s %q is relative: GitHub Pages serves 404.html at every missing address, at any depth, where it leads elsewhere; use an absolute path such as %s", r.attr, r.val, s.basePath)})
				continue
			}
			if msg := checkRef(s, origin, pageURL(s.basePath, p), r); msg != "" {
				out = append(out, linkProblem{Page: p, Attr: r.attr, Val: r.val, Msg: msg})
			}
		}
		dups := slices.Sorted(maps.Keys(info.dups))
		if s.unsure[p] {
			dups = nil // made from a file with problems, which say why (two events with one anchor)
		}
		for _, id := range dups {
			out = append(out, linkProblem{Page: p, Attr: "id", Val: id,
				Msg: fmt.Sprintf("id %q is used %d times in the page: a link to #%s cannot tell which is meant", id, info.dups[id], id)})
		}
	}
	return out
}

// pageURL is the URL path a page is served at.
func pageURL(basePath, p string) string {
	if path.Base(p) == "index.html" {
		return basePath + strings.TrimSuffix(p, "index.html")
	}
	return basePath + p
}

func checkRef(s *inventory, origin, pageURL string, r ref) string {
	v := strings.TrimSpace(r.val)
	if v == "" {
		return fmt.Sprintf("empty %s", r.attr)
	}
	if strings.ContainsAny(v, " \t\n") {
		return fmt.Sprintf("%s %q contains a space: write it as %%20", r.attr, v)
	}
	u, err := url.Parse(v)
	if err != nil {
		return fmt.Sprintf("%s %q is not a valid URL: %v", r.attr, v, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "mailto", "tel", "data":
		return ""
	case "javascript":
		return fmt.Sprintf("%s %q uses javascript:", r.attr, v)
	}
	if u.Scheme != "" || u.Host != "" {
		o, err := url.Parse(origin)
		if origin == "" || err != nil || !strings.EqualFold(o.Host, u.Host) {
			// External link: being well formed is all we check offline.
			if msg := externalURLProblem(v); msg != "" {
				return fmt.Sprintf("%s %q: %s", r.attr, v, msg)
			}
			return ""
		}
		// An absolute link to our own site (canonical, feed, og:url): check it like an internal one.
		u = &url.URL{Path: u.Path, RawPath: u.RawPath, Fragment: u.Fragment}
	}
	base, _ := url.Parse(pageURL)
	abs := base.ResolveReference(u)
	// abs.Path is decoded ("/café/"); the base path may be written
	// percent-encoded ("/caf%C3%A9/"), as a base URL is.
	target, basePath := abs.Path, s.basePath
	if d, err := url.PathUnescape(basePath); err == nil {
		basePath = d
	}
	if !strings.HasPrefix(target, basePath) && target+"/" != basePath {
		return fmt.Sprintf("%s %q escapes the base path %s: on GitHub Pages it leads out of the site", r.attr, v, s.basePath)
	}
	rel := strings.TrimPrefix(target, basePath)
	if strings.HasSuffix(target, "/") || rel == "" {
		rel += "index.html"
	}
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	if s.unbuilt[rel] {
		return ""
	}
	if !s.has(rel) {
		if s.has(rel + "/index.html") {
			return fmt.Sprintf("%s %q lacks its trailing slash (GitHub Pages redirects; link to %s/)", r.attr, v, abs.Path)
		}
		return fmt.Sprintf("broken link: %s %q (nothing at %s)", r.attr, v, abs.Path)
	}
	if abs.Fragment != "" && !s.unsure[rel] {
		tp := s.pages[rel]
		if tp == nil {
			return fmt.Sprintf("%s %q: fragment on a non-HTML file", r.attr, v)
		}
		if tp.count(abs.Fragment) == 0 {
			return fmt.Sprintf("broken anchor: %s %q (no id %q in %s)", r.attr, v, abs.Fragment, abs.Path)
		}
	}
	return ""
}

// isRelative reports a reference that depends on the page's own address: not
// a full URL, not an absolute path, not a fragment of the page itself.
func isRelative(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && !strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "#") && !schemeRE.MatchString(v)
}

// ownURLMeta are the <meta> tags whose content is an absolute URL, usually of
// the site itself.
var ownURLMeta = map[string]bool{"og:url": true, "og:image": true, "twitter:image": true}

// scan collects ids and link-bearing attributes of an HTML document. A
// tag's attributes are read into a slice reused from tag to tag, and only
// the values kept become strings: the scan of every page of a 10,000-article
// dossier took a third more time with a map and strings per tag.
func scan(data []byte) *pageInfo {
	info := &pageInfo{ids: map[string]int{}}
	z := html.NewTokenizer(bytes.NewReader(data))
	var attrs []tagAttr // the tag's, the first of each name (as browsers read them)
	find := func(key string) int {
		for i, a := range attrs {
			if string(a.key) == key {
				return i
			}
		}
		return -1
	}
	get := func(key string) []byte {
		if i := find(key); i >= 0 {
			return attrs[i].val
		}
		return nil
	}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return info
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		attrs = attrs[:0]
		for hasAttr {
			k, v, more := z.TagAttr()
			if find(string(k)) < 0 {
				attrs = append(attrs, tagAttr{k, v})
			}
			hasAttr = more
		}
		if len(attrs) == 0 {
			continue
		}
		tag := tagName(name)
		for _, a := range attrs {
			switch string(a.key) {
			case "id":
				info.ids[string(a.val)]++
			case "name":
				if tag == "a" && !bytes.Equal(get("id"), a.val) {
					info.ids[string(a.val)]++
				}
			case "href":
				if rel := string(get("rel")); tag == "link" && (rel == "preconnect" || rel == "dns-prefetch") {
					continue
				}
				if tag == "base" {
					continue
				}
				info.links = append(info.links, ref{refLabel(tag, "href"), string(a.val)})
			case "src", "poster":
				info.links = append(info.links, ref{refLabel(tag, string(a.key)), string(a.val)})
			case "srcset":
				for _, part := range strings.Split(string(a.val), ",") {
					if f := strings.Fields(part); len(f) > 0 {
						info.links = append(info.links, ref{refLabel(tag, "srcset"), f[0]})
					}
				}
			case "content":
				prop, nm := string(get("property")), string(get("name"))
				if tag == "meta" && (ownURLMeta[prop] || ownURLMeta[nm]) {
					info.links = append(info.links, ref{"meta " + prop + nm, string(a.val)})
				}
			}
		}
	}
}

// tagAttr is one attribute of a tag, as the tokenizer lends it (valid until
// its next token).
type tagAttr struct{ key, val []byte }

// tagName is the tag name as a string, without allocating one for the tags
// pages are made of.
func tagName(b []byte) string {
	for _, t := range commonTags {
		if string(b) == t {
			return t
		}
	}
	return string(b)
}

// refLabel is a ref's attr: the tag and attribute names, made once for
// the common tags (refLabels).
func refLabel(tag, attr string) string {
	if l, ok := refLabels[[2]string{tag, attr}]; ok {
		return l
	}
	return tag + " " + attr
}

// refLabels are the labels of the common tags' link attributes; read only.
var refLabels = func() map[[2]string]string {
	m := map[[2]string]string{}
	for _, t := range commonTags {
		for _, a := range []string{"href", "src", "poster", "srcset"} {
			m[[2]string{t, a}] = t + " " + a
		}
	}
	return m
}()

var commonTags = []string{"a", "span", "p", "li", "link", "meta", "time", "input", "label", "sup", "script", "img", "section", "h2", "ul", "nav", "div", "form", "source", "area", "iframe"}

// hostRE is what a host name of a public web address looks like: labels of
// letters (any script), digits and dashes, separated by dots.
var hostRE = regexp.MustCompile(`^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.?$`)

// externalURLProblem says what is wrong with an external URL, or "" when it
// is well formed: http, https or mailto, a host name (an address for mailto),
// no spaces. Nothing is fetched.
func externalURLProblem(raw string) string {
	if raw != strings.TrimSpace(raw) || strings.ContainsAny(raw, " \t\r\n") {
		return "contains a space: write it as %20 or fix the address"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Sprintf("not a valid URL (%v)", unwrapURLError(err))
	}
	if strings.HasPrefix(raw, "//") {
		u.Scheme = "https"
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		host := u.Hostname()
		switch {
		case host == "":
			return "no host name: write it as https://example.org/..."
		case host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1":
			return "points to this computer (localhost), not to a public site"
		case strings.Contains(host, "_") || (!hostRE.MatchString(host) && !isIP(host)):
			return fmt.Sprintf("host %q is not a domain name such as example.org", host)
		}
		if p := u.Port(); p != "" && strings.Trim(p, "0123456789") != "" {
			return fmt.Sprintf("port %q is not a number", p)
		}
	case "mailto":
		addr := u.Opaque
		if addr == "" {
			addr = u.Path
		}
		local, domain, ok := strings.Cut(addr, "@")
		if !ok || local == "" || !hostRE.MatchString(domain) {
			return "mailto: needs an address such as mailto:desk@example.org"
		}
	case "":
		return "no scheme: write it as https://..."
	default:
		return fmt.Sprintf("scheme %q is not allowed: use https, http or mailto", u.Scheme)
	}
	return ""
}

func isIP(h string) bool {
	if strings.Contains(h, ":") {
		return true // url.Parse accepted a bracketed IPv6 literal
	}
	parts := strings.Split(h, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
