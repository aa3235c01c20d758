package check

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/site"
)

// markdownLinks checks the links and images written in Markdown: external
// URLs must be well formed, images need alt text. Links between content files
// are checked by the Markdown stage (a missing file is an error there) and
// every other internal link by the output checker.
func markdownLinks(pls []build.PageLinks) diag.List {
	var ps diag.List
	for _, pl := range pls {
		for _, l := range pl.Links {
			if msg := markdownURLProblem(l.Orig); msg != "" {
				ps.Add(diag.Errorf(pl.File, l.Line, "link %q: %s", l.Orig, msg))
			}
		}
		for _, im := range pl.Images {
			if strings.TrimSpace(im.Alt) == "" {
				ps.Add(diag.Errorf(pl.File, im.Line, "image %q has no alt text: describe it for readers who cannot see it, as in ![Kerry and Lavrov in Moscow](%s)", im.Src, im.Src))
			}
			if msg := markdownURLProblem(im.Src); msg != "" {
				ps.Add(diag.Errorf(pl.File, im.Line, "image %q: %s", im.Src, msg))
			}
		}
	}
	return ps
}

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// markdownURLProblem checks a destination written in Markdown when it is an
// external URL (or was evidently meant to be one).
func markdownURLProblem(dest string) string {
	d := strings.TrimSpace(dest)
	lower := strings.ToLower(d)
	switch {
	case d == "":
		return "empty destination: write the URL or content file between the parentheses"
	case schemeRE.MatchString(d) || strings.HasPrefix(d, "//"):
		return externalURLProblem(dest)
	case strings.HasPrefix(lower, "www.") || strings.HasPrefix(lower, "http/") || strings.HasPrefix(lower, "https/") || strings.HasPrefix(lower, "http//") || strings.HasPrefix(lower, "https//"):
		return "looks like a web address without its scheme: write it as https://..."
	case strings.ContainsAny(dest, " \t\n"):
		return "contains a space: write it as %20 or fix the path"
	}
	return ""
}

// contentChecks are the checks on the loaded content that content.Validate
// leaves out: page titles unique across kinds, one outlet page per outlet,
// URLs in dossier.yaml's nav, and warnings about pages that would show
// nothing. g is the assembled graph, nil when the build failed.
func contentChecks(c *content.Content, g *site.Site) diag.List {
	var ps diag.List
	ps.Merge(titleChecks(c))
	for i, n := range c.Config.Nav {
		line := c.Config.Lines[fmt.Sprintf("nav[%d]", i)]
		u := strings.TrimSpace(n.URL)
		switch {
		case u == "":
			ps.Add(diag.Errorf(c.Config.File, line, "nav entry %q has no url", n.Title))
		case strings.Contains(u, "://") || strings.HasPrefix(u, "mailto:"):
			if msg := externalURLProblem(u); msg != "" {
				ps.Add(diag.Errorf(c.Config.File, line, "nav entry %q: url %q: %s", n.Title, u, msg))
			}
		case strings.HasPrefix(u, "//") || strings.HasPrefix(u, `\\`) || strings.HasPrefix(u, `/\`):
			// A browser reads //host/x as a link to another site.
			ps.Add(diag.Errorf(c.Config.File, line, "nav entry %q: url %q leads to another site (a browser reads // as the start of a host name): write a site path with one slash, such as /topics/, or a full https:// URL", n.Title, u))
		case schemeRE.MatchString(u) || strings.ContainsAny(u, " \t"):
			ps.Add(diag.Errorf(c.Config.File, line, "nav entry %q: url %q is neither a site path such as /topics/ nor a full https:// URL", n.Title, u))
		}
		if strings.TrimSpace(n.Title) == "" {
			ps.Add(diag.Errorf(c.Config.File, line, "nav entry has no title"))
		}
	}

	// Pages that would be empty, content nobody links to yet. A new topic,
	// claim or entity that nothing uses is work in progress, not a mistake:
	// a note, which never fails `check -strict` (the deploy gate).
	onTopic := map[string]bool{}
	evidence := map[string]bool{}
	for _, a := range c.Articles {
		for _, t := range a.Topics {
			onTopic[t] = true
		}
		for _, an := range a.Annotations {
			if an.Claim != "" {
				evidence[an.Claim] = true
			}
		}
		if strings.TrimSpace(a.Summary) == "" {
			line, verb := a.Line("summary"), "fill in"
			if _, ok := a.Lines["summary"]; !ok {
				line, verb = 1, "add"
			}
			ps.Add(diag.Warnf(a.File, line, "%s summary: one sentence for lists, feeds and search engines", verb))
		}
	}
	for key := range c.Unloaded {
		if strings.HasPrefix(key, content.ArticlesDir+"/") {
			// An article that did not load may be the one using them: say
			// nothing rather than something false.
			return ps
		}
	}
	for _, t := range c.Topics {
		if !onTopic[t.Slug] {
			ps.Add(diag.Notef(t.File, 1, "no article has topic %q yet: its page lists no articles until one has it in `topics:`", t.Slug))
		}
	}
	for _, cl := range c.Claims {
		if !evidence[cl.Slug] {
			ps.Add(diag.Notef(cl.File, 1, "no annotation cites claim %q yet: its page compares nothing until annotations say `claim: %s`", cl.Slug, cl.Slug))
		}
	}
	if g != nil {
		for _, e := range c.Entities {
			if en := g.EntityBySlug[e.Slug]; en != nil && len(en.Mentions) == 0 {
				ps.Add(diag.Notef(e.File, e.Line("name"), "no article mentions %q (or an alias) yet: its page lists no articles; if the articles spell the name differently, add that spelling to `aliases:`", e.Name))
			}
		}
	}
	return ps
}

// titleChecks warns when two pages share a title (compared without case
// and extra spaces), whatever their kind; like content.Validate, which warns
// about articles with the same title, it is a warning: two outlets may well
// run the same headline. Entity names are unique by content.Validate's alias
// check; a topic and an entity with the same slug and title are one subject
// seen twice (the topic "Islamic State" and the organisation), which is fine.
func titleChecks(c *content.Content) diag.List {
	type page struct {
		kind, slug, file, title string
		line                    int
	}
	var pages []page
	for _, a := range c.Articles {
		pages = append(pages, page{"article", a.Slug, a.File, a.Title, a.Line("title")})
	}
	for _, t := range c.Topics {
		pages = append(pages, page{"topic", t.Slug, t.File, t.Title, t.Line("title")})
	}
	for _, e := range c.Entities {
		pages = append(pages, page{"entity", e.Slug, e.File, e.Name, e.Line("name")})
	}
	for _, cl := range c.Claims {
		pages = append(pages, page{"claim", cl.Slug, cl.File, cl.Title, cl.Line("title")})
	}
	var ps diag.List
	first := map[string]page{}
	for _, p := range pages {
		key := strings.ToLower(strings.Join(strings.Fields(p.title), " "))
		if key == "" {
			continue
		}
		q, ok := first[key]
		if !ok {
			first[key] = p
			continue
		}
		switch {
		case p.kind == "article" && q.kind == "article" && p.title == q.title:
			// reported by content.Validate
		case p.kind == "entity" && q.kind == "entity":
			// reported by content.Validate (names and aliases are unique)
		case p.slug == q.slug && (p.kind == "topic" && q.kind == "entity" || p.kind == "entity" && q.kind == "topic"):
			// the same subject as a topic and an entity
		default:
			ps.Add(diag.Warnf(p.file, p.line, "title %q is already the title of %s: readers tell pages apart by their titles (tabs, search results, feeds); make them distinct", p.title, q.file))
		}
	}
	return ps
}

// outputNames warns about output files whose names are not lowercase and
// URL-safe: GitHub Pages serves them, but case-sensitive URLs and encoded
// characters make links to them fragile.
//
// The files of a page whose content file has problems (unsure: a file
// named "Wages.md" is told to take a valid name) are left to those.
func outputNames(paths []string, unsure map[string]bool) diag.List {
	dirs := map[string]bool{} // of the unsure pages: "articles/x/"
	for page := range unsure {
		dirs[path.Dir(page)+"/"] = true
	}
	// inUnsure reports whether p is in one of dirs (its folder or one
	// above: articles/x/original/index.html is articles/x/'s).
	inUnsure := func(p string) bool {
		for i := 0; i < len(p); i++ {
			if p[i] == '/' && dirs[p[:i+1]] {
				return true
			}
		}
		return false
	}
	var ps diag.List
	for _, p := range paths {
		if p == "CNAME" {
			continue // GitHub Pages' own file, named so by GitHub (cname: in dossier.yaml)
		}
		if !safeNameRE.MatchString(p) && !inUnsure(p) {
			ps.Add(diag.Warnf("public/"+p, 0, "file name is not lowercase and URL-safe (a-z, 0-9, '.', '-', '_'): rename the source file so links to it do not depend on case or encoding"))
		}
	}
	return ps
}

var safeNameRE = regexp.MustCompile(`^[a-z0-9._/-]+$`)

// dedupe drops repeated problems (the same one reported by content.Load, the
// build and the Markdown pass) and sorts the rest.
func dedupe(l diag.List) diag.List {
	seen := map[string]bool{}
	var out diag.List
	for _, p := range l {
		k := fmt.Sprint(p.Severity) + p.Error()
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	out.Sort()
	return out
}
