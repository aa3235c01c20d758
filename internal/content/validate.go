package content

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/dossier-news/dossier/internal/diag"
)

// Validate checks what no single file can: required fields, allowed values, and
// that every topic, claim, entity and article reference exists. All problems are
// returned, not just the first.
func Validate(c *Content) diag.List {
	var ps diag.List
	topics := map[string]bool{}
	for _, t := range c.Topics {
		topics[t.Slug] = true
		if strings.TrimSpace(t.Title) == "" {
			ps.Add(diag.Errorf(t.File, 1, "topic has no title: add `title: ...` to the front matter"))
		}
	}
	claims := map[string]bool{}
	for _, cl := range c.Claims {
		claims[cl.Slug] = true
		if strings.TrimSpace(cl.Title) == "" {
			ps.Add(diag.Errorf(cl.File, 1, "claim has no title: add `title: ...` stating the claim in neutral words"))
		}
	}
	entities := map[string]bool{}
	aliasOwner := map[string]string{}
	for _, e := range c.Entities {
		entities[e.Slug] = true
		if strings.TrimSpace(e.Name) == "" {
			ps.Add(diag.Errorf(e.File, 1, "entity has no name: add `name: ...` to the front matter"))
		}
		if !slices.Contains(EntityKinds, e.Kind) {
			ps.Add(diag.Errorf(e.File, e.Line("kind"), "entity kind %q is not one of %s", e.Kind, strings.Join(EntityKinds, ", ")))
		}
		for i, a := range append([]string{e.Name}, e.Aliases...) {
			key := strings.ToLower(strings.TrimSpace(a))
			if key == "" {
				continue
			}
			if other, ok := aliasOwner[key]; ok && other != e.Slug {
				line := e.Line("name")
				if i > 0 {
					line = e.Line(fmt.Sprintf("aliases[%d]", i-1))
				}
				ps.Add(diag.Errorf(e.File, line, "name or alias %q is already used by entities/%s.md: an alias must point to one entity", a, other))
				continue
			}
			aliasOwner[key] = e.Slug
		}
	}
	articles := map[string]bool{}
	titles := map[string]string{}
	for _, a := range c.Articles {
		articles[a.Slug] = true
		if strings.TrimSpace(a.Title) == "" {
			ps.Add(diag.Errorf(a.File, 1, "article has no title: add `title: ...` to the front matter"))
		} else if other, ok := titles[a.Title]; ok {
			ps.Add(diag.Warnf(a.File, a.Line("title"), "title %q is already used by %s: readers and search engines cannot tell the pages apart", a.Title, other))
		} else {
			titles[a.Title] = a.File
		}
		if strings.TrimSpace(a.Outlet) == "" {
			ps.Add(diag.Errorf(a.File, 1, "article has no outlet: add `outlet: ...` (the publication it comes from)"))
		}
		if a.Date.IsZero() {
			ps.Add(diag.Errorf(a.File, 1, "article has no date: add `date: YYYY-MM-DD`"))
		} else if a.Date.Precision != Day {
			ps.Add(diag.Errorf(a.File, a.Line("date"), "article date %q needs a day: write YYYY-MM-DD", a.Date))
		}
		if a.URL != "" {
			if u, err := url.Parse(a.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				ps.Add(diag.Errorf(a.File, a.Line("source"), "source %q is not a full http(s) URL", a.URL))
			}
		}
		if len(a.Topics) == 0 {
			ps.Add(diag.Warnf(a.File, 1, "article has no topics: add `topics: [...]` so readers can find it"))
		}
		for i, t := range a.Topics {
			if !topics[t] {
				ps.Add(diag.Errorf(a.File, a.Line(fmt.Sprintf("topics[%d]", i)), "unknown topic %q: create content/topics/%s.md or fix the name", t, t))
			}
		}
		for _, an := range a.Annotations {
			if strings.TrimSpace(an.Quote) == "" {
				ps.Add(diag.Errorf(a.File, an.Line, "annotation has no quote: copy the exact passage it is about into `quote:`"))
			}
			if !slices.Contains(AnnotationKinds, an.Kind) {
				ps.Add(diag.Errorf(a.File, an.Line, "annotation kind %q is not one of %s", an.Kind, strings.Join(AnnotationKinds, ", ")))
			}
			if an.Claim != "" && !claims[an.Claim] {
				ps.Add(diag.Errorf(a.File, an.Line, "unknown claim %q: create content/claims/%s.md or fix the name", an.Claim, an.Claim))
			}
			if an.Speaker != "" && !entities[an.Speaker] {
				ps.Add(diag.Errorf(a.File, an.Line, "unknown speaker %q: create content/entities/%s.md or fix the name", an.Speaker, an.Speaker))
			}
			if strings.TrimSpace(an.Note) == "" && an.Claim == "" && an.Speaker == "" {
				ps.Add(diag.Errorf(a.File, an.Line, "annotation has no note: write what the reader needs to know in `note:`"))
			}
		}
	}
	for _, e := range c.Timeline {
		if e.Date.IsZero() {
			ps.Add(diag.Errorf(c.TimelineFile, e.Line, "event has no date: add `date: YYYY[-MM[-DD]]`"))
		}
		if strings.TrimSpace(e.Title) == "" {
			ps.Add(diag.Errorf(c.TimelineFile, e.Line, "event has no title"))
		}
		for _, s := range e.Articles {
			if !articles[s] {
				ps.Add(diag.Errorf(c.TimelineFile, e.Line, "event %q names unknown article %q: use the article's file name without .md", e.Title, s))
			}
		}
		for _, s := range e.Topics {
			if !topics[s] {
				ps.Add(diag.Errorf(c.TimelineFile, e.Line, "event %q names unknown topic %q", e.Title, s))
			}
		}
	}
	if c.Config.BaseURL != "" {
		if u, err := url.Parse(c.Config.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ps.Add(diag.Errorf(c.Config.File, c.Config.Lines["baseURL"], "baseURL %q must be a full URL such as https://owner.github.io/repo/", c.Config.BaseURL))
		}
	}
	return ps
}
