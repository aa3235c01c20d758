package content

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/slugs"
)

// Validate checks what no single file can: required fields, allowed values, and
// that every topic, claim, entity and article reference exists. All problems are
// returned, not just the first. A reference to a file that exists but failed
// to load (c.Unloaded) is not a problem of its own: that file's problems are
// already reported. A reference that does not resolve comes with the nearest
// existing name ("did you mean").
func Validate(c *Content) diag.List {
	var ps diag.List
	topics := map[string]bool{}
	for _, t := range c.Topics {
		topics[t.Slug] = true
		if strings.TrimSpace(t.Title) == "" {
			ps.Add(fillIn(t.Source, "title", "the topic's name, e.g. title: Syria"))
		}
	}
	claims := map[string]bool{}
	for _, cl := range c.Claims {
		claims[cl.Slug] = true
		if strings.TrimSpace(cl.Title) == "" {
			ps.Add(fillIn(cl.Source, "title", "the claim, stated in neutral words"))
		}
	}
	entities := map[string]bool{}
	aliasOwner := map[string]string{}
	nameSlugs := map[string]string{} // slug of a name or alias -> entity slug, for "did you mean"
	for _, e := range c.Entities {
		entities[e.Slug] = true
		if strings.TrimSpace(e.Name) == "" {
			ps.Add(fillIn(e.Source, "name", "the name as the articles write it, e.g. name: Sergei Lavrov"))
		}
		if !slices.Contains(EntityKinds, e.Kind) {
			msg := fmt.Sprintf("entity kind %q is not one of %s", e.Kind, strings.Join(EntityKinds, ", "))
			if e.Kind == "" {
				msg = "fill in kind: one of " + strings.Join(EntityKinds, ", ")
			}
			ps.Add(diag.Errorf(e.File, e.Line("kind"), "%s%s", msg, didYouMean(e.Kind, EntityKinds)))
		}
		for i, a := range append([]string{e.Name}, e.Aliases...) {
			key := strings.ToLower(strings.TrimSpace(a))
			if key == "" {
				if i > 0 { // an empty name is the name's own check
					ps.Add(diag.Errorf(e.File, e.Line(fmt.Sprintf("aliases[%d]", i-1)), "alias %d is empty: remove it, or write the other name the text uses", i))
				}
				continue
			}
			if s := slugs.Make(a); s != "" {
				if _, ok := nameSlugs[s]; !ok {
					nameSlugs[s] = e.Slug
				}
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
	topicRef := refChecker{kind: "topic", dir: TopicsDir, known: topics, unloaded: c.Unloaded}
	claimRef := refChecker{kind: "claim", dir: ClaimsDir, known: claims, unloaded: c.Unloaded}
	speakerRef := refChecker{kind: "speaker", dir: EntitiesDir, known: entities, unloaded: c.Unloaded, names: nameSlugs}
	articles := map[string]bool{}
	titles := map[string]string{}
	// checkArticle lists a's problems into ps. For a broken article (see
	// Content.Broken) it checks what it could read (its references, its
	// values), not what is missing or unique: its front matter's problems
	// may have left a field unread, which is not also missing.
	checkArticle := func(a *Article, ps *diag.List) {
		broken := a.IsBroken()
		switch {
		case broken:
		case strings.TrimSpace(a.Title) == "":
			ps.Add(fillIn(a.Source, "title", "the article's headline"))
		case titles[a.Title] != "":
			ps.Add(diag.Warnf(a.File, a.Line("title"), "title %q is already used by %s: readers and search engines cannot tell the pages apart", a.Title, titles[a.Title]))
		default:
			titles[a.Title] = a.File
		}
		if !broken && strings.TrimSpace(a.Outlet) == "" {
			ps.Add(fillIn(a.Source, "outlet", "the publication the article comes from, e.g. outlet: AFP"))
		}
		if a.Date.IsZero() {
			if !broken {
				ps.Add(fillIn(a.Source, "date", "the day the article was published, as YYYY-MM-DD"))
			}
		} else if a.Date.Precision != Day {
			ps.Add(diag.Errorf(a.File, a.Line("date"), "article date %q needs a day: write YYYY-MM-DD", a.Date))
		}
		if a.URL != "" {
			if u, err := url.Parse(a.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				ps.Add(diag.Errorf(a.File, a.Line("source"), "source %q is not a full http(s) URL", a.URL))
			}
		}
		if len(a.Topics) == 0 && !broken {
			p := fillIn(a.Source, "topics", "the topics the article is about, so readers can find it, e.g. topics: [syria]")
			p.Severity = diag.Warning
			ps.Add(p)
		}
		if !a.hasText && len(bytes.TrimSpace(a.Body)) == 0 {
			ps.Add(diag.Warnf(a.File, max(1, a.BodyLine-1), "the article has no text: paste it after this line, one paragraph per source paragraph"))
		}
		for i, t := range a.Topics {
			if p, bad := topicRef.check(a.File, a.Line(fmt.Sprintf("topics[%d]", i)), t); bad {
				ps.Add(p)
			}
		}
		if !broken {
			ps.Merge(ValidateProvenance(a))
		}
		for i, an := range a.Annotations {
			// A field's problem is at the field's line, the
			// annotation's at its first.
			fieldLine := func(key string) int {
				if n := a.Lines[fmt.Sprintf("annotations[%d].%s", i, key)]; n > 0 {
					return n
				}
				return an.Line
			}
			if strings.TrimSpace(an.Quote) == "" && !broken {
				ps.Add(diag.Errorf(a.File, an.Line, "annotation has no quote: copy the exact passage it is about into `quote:`"))
			}
			if !slices.Contains(AnnotationKinds, an.Kind) && (an.Kind != "" || !broken) {
				msg := fmt.Sprintf("annotation kind %q is not one of %s", an.Kind, strings.Join(AnnotationKinds, ", "))
				if an.Kind == "" {
					msg = "annotation has no kind: add kind: with one of " + strings.Join(AnnotationKinds, ", ")
				}
				line := an.Line
				if an.Kind != "" {
					line = fieldLine("kind")
				}
				ps.Add(diag.Errorf(a.File, line, "%s%s", msg, didYouMean(an.Kind, AnnotationKinds)))
			}
			if an.Claim != "" {
				if p, bad := claimRef.check(a.File, fieldLine("claim"), an.Claim); bad {
					ps.Add(p)
				}
			}
			if an.Speaker != "" {
				if p, bad := speakerRef.check(a.File, fieldLine("speaker"), an.Speaker); bad {
					ps.Add(p)
				}
			}
			if strings.TrimSpace(an.Note) == "" && an.Claim == "" && an.Speaker == "" && !broken {
				ps.Add(diag.Errorf(a.File, an.Line, "annotation has no note: write what the reader needs to know in `note:`"))
			}
		}
	}
	for _, a := range c.Articles {
		articles[a.Slug] = true
		checkArticle(a, &ps)
	}
	// A broken article's problems at the lines of its front matter's
	// problems would repeat them (a date that could not be read is not
	// also missing).
	for _, a := range c.Broken {
		var own diag.List
		checkArticle(a, &own)
		for _, p := range own {
			if !a.UnreadLine(p.Line) {
				ps = append(ps, p)
			}
		}
	}
	ps.Merge(outletNames(c))
	articleRef := refChecker{kind: "article", dir: ArticlesDir, known: articles, unloaded: c.Unloaded}
	ps.Merge(validateEvents(c, c.Timeline, false, &articleRef, &topicRef))
	// A broken timeline's problems at the lines of its own would repeat
	// them (a date that could not be read is not also missing).
	for _, p := range validateEvents(c, c.BrokenEvents, true, &articleRef, &topicRef) {
		if !c.TimelineUnreadLine(p.Line) {
			ps = append(ps, p)
		}
	}
	ps.Merge(ValidateConfig(c.Config))
	return ps
}

// validateEvents checks timeline events, in date order: a date, a title, an
// anchor of their own, and the articles and topics they name. Of a broken
// timeline's events (Content.BrokenEvents), a date or title that was written
// but could not be read is not also missing.
func validateEvents(c *Content, events []*Event, broken bool, articleRef, topicRef *refChecker) diag.List {
	var ps diag.List
	written := func(e *Event, key string) bool {
		_, ok := e.FieldLines[key]
		return broken && ok
	}
	anchors := map[string]*Event{}
	for i, e := range events {
		if e.Date.IsZero() && !written(e, "date") {
			ps.Add(diag.Errorf(c.TimelineFile, e.Line, "event has no date: add `date: YYYY[-MM[-DD]]`"))
		}
		if strings.TrimSpace(e.Title) == "" {
			if !written(e, "title") {
				ps.Add(diag.Errorf(c.TimelineFile, e.Line, "event has no title: add `title: ...`"))
			}
		} else if id := e.Anchor(i); anchors[id] != nil {
			o := anchors[id]
			how := ": make their titles differ in letters or digits"
			if slugs.Make(e.Title) != slugs.Make(o.Title) {
				how = ", which keeps the start of a long title only: make their titles differ sooner"
			}
			ps.Add(diag.Errorf(c.TimelineFile, e.Line, "event %q and the event on line %d (%q) get the same link anchor #%s%s", e.Title, o.Line, o.Title, id, how))
		} else {
			anchors[id] = e
		}
		for j, s := range e.Articles {
			if p, bad := articleRef.check(c.TimelineFile, e.FieldLine(fmt.Sprintf("articles[%d]", j)), s); bad {
				p.Msg = fmt.Sprintf("event %q names %s", e.Title, p.Msg)
				ps.Add(p)
			}
		}
		for j, s := range e.Topics {
			if p, bad := topicRef.check(c.TimelineFile, e.FieldLine(fmt.Sprintf("topics[%d]", j)), s); bad {
				p.Msg = fmt.Sprintf("event %q names %s", e.Title, p.Msg)
				ps.Add(p)
			}
		}
	}
	return ps
}

// fillIn is the problem of a required field left empty: at the field's line
// when it is there (a scaffold's `outlet: ""`), else at line 1.
func fillIn(src Source, key, what string) diag.Problem {
	if n, ok := src.Lines[key]; ok {
		return diag.Errorf(src.File, n, "fill in %s: %s", key, what)
	}
	return diag.Errorf(src.File, 1, "add %s: to the front matter: %s", key, what)
}

// refChecker checks references to one kind of content file.
type refChecker struct {
	kind, dir string
	known     map[string]bool
	unloaded  map[string]bool
	names     map[string]string // slugs of names and aliases -> slug (entities)
	sorted    []string
}

// check returns the problem of a reference to slug, and whether there is one.
func (r *refChecker) check(file string, line int, slug string) (diag.Problem, bool) {
	exists := func(s string) bool { return r.known[s] || r.unloaded[r.dir+"/"+s] }
	if exists(slug) {
		return diag.Problem{}, false
	}
	if strings.TrimSpace(slug) == "" {
		return diag.Errorf(file, line, "no %s (an empty item): write the file name of one in content/%s/ without .md, or remove the item", r.kind, r.dir), true
	}
	// Written as a path, as links between content files are
	// ("../topics/syria.md"): the advice to create "content/topics/../topics/syria.md.md" was no help.
	if name := strings.TrimSuffix(path.Base(slug), ".md"); name != slug && exists(name) {
		return diag.Errorf(file, line, "unknown %s %q: write the file name alone, without its folder or .md: %s", r.kind, slug, name), true
	}
	if r.sorted == nil {
		for s := range r.known {
			r.sorted = append(r.sorted, s)
		}
		sort.Strings(r.sorted)
	}
	// The file meant, named in a spelling no file may have ("Wages.md"):
	// the reference is right, the file's name is to change (it has a
	// problem of its own), and "did you mean "Wages"" would lead the
	// editor to copy the wrong spelling into every reference.
	if s := Suggest(slug, r.sorted); s != "" && !slugRE.MatchString(s) && slugs.Make(s) == slug {
		return diag.Errorf(file, line, "unknown %s %q: content/%s/%s.md is named so in a spelling no file name may have: rename it %s.md", r.kind, slug, r.dir, s, slug), true
	}
	hint := didYouMean(slug, r.sorted)
	if hint == "" && r.names != nil {
		if s, ok := r.names[slugs.Make(slug)]; ok {
			hint = fmt.Sprintf(": did you mean %q? (entities are named by their file name)", s)
		}
	}
	if hint != "" {
		return diag.Errorf(file, line, "unknown %s %q%s", r.kind, slug, hint), true
	}
	msg := fmt.Sprintf("unknown %s %q: use the file name of one in content/%s/ without .md", r.kind, slug, r.dir)
	// A name that cannot be a file name ("Someone Else") is advised as the
	// one it would be, if any, or the new file would be refused in turn.
	switch s := slugs.Make(slug); {
	case slugRE.MatchString(slug):
		msg += fmt.Sprintf(", or create content/%s/%s.md", r.dir, slug)
	case s != "":
		msg += fmt.Sprintf(", or create content/%s/%s.md and write %s here", r.dir, s, s)
	}
	return diag.Errorf(file, line, "%s", msg), true
}

// outletNames checks that every outlet gets a page of its own: two spellings
// of one outlet, or two names that transliterate alike, would share (and
// fight over) one outlets/<slug>/ page.
func outletNames(c *Content) diag.List {
	var ps diag.List
	bySlug := map[string]*Article{}
	for _, a := range c.Articles {
		name := strings.TrimSpace(a.Outlet)
		if name == "" {
			continue // reported as a field to fill in
		}
		slug := slugs.Make(name)
		if slug == "" {
			ps.Add(diag.Errorf(a.File, a.Line("outlet"), "outlet %q gives no page name: it needs letters or digits", a.Outlet))
			continue
		}
		o, ok := bySlug[slug]
		if !ok {
			bySlug[slug] = a
			continue
		}
		if o.Outlet != a.Outlet {
			ps.Add(diag.Errorf(a.File, a.Line("outlet"), "outlet %q and %q (in %s) would share the page outlets/%s/: spell the outlet the same way in every article, or tell them apart", a.Outlet, o.Outlet, o.File, slug))
		}
	}
	return ps
}
