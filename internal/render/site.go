package render

import (
	"sync"
	"sync/atomic"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/viewkey"
)

// Site is what every template receives as .Site: the site's settings, and
// the site-wide lists as methods (.Site.Articles, .Site.Topics...). A page
// depends on a list only if its template reads it: each method call is
// recorded while the page renders, so that a body edit, which changes no
// list, re-renders no list page, while a project template that lists every
// article on every page still sees every change.
type Site struct {
	*Lists
	// The settings again, as Site's own fields: reflect finds a field of an
	// embedded struct (.Site.Config through Lists) by a search that
	// allocates, and templates read these on every page.
	Config                            content.Config
	BaseURL, BasePath                 string
	HasEntities, HasClaims, HasEvents bool

	deps *Deps // nil outside a render
	// budget is what the page's templates may still write (PageLimit),
	// partials included.
	budget *budget
	// nested is how many "cached" partials this Site is inside: a partial
	// that shows itself would otherwise recurse until the stack overflows.
	nested int
}

// newSite is the .Site of one render, recording the lists it reads in deps,
// writing within bud.
func newSite(l *Lists, deps *Deps, bud *budget) Site {
	return Site{Lists: l, Config: l.Config, BaseURL: l.BaseURL, BasePath: l.BasePath,
		HasEntities: l.HasEntities, HasClaims: l.HasClaims, HasEvents: l.HasEvents, deps: deps, budget: bud}
}

// Lists holds a build's site-wide data. Immutable, but for the memo of the
// partials its pages made (partials), which only ever gains entries.
type Lists struct {
	Config   content.Config
	BaseURL  string // absolute, with trailing slash
	BasePath string // the base URL's path, with leading and trailing slash
	// Whether the site has any people and organisations, claims, timeline
	// events: for links every page shows (a change here changes every page anyway).
	HasEntities, HasClaims, HasEvents bool

	articles []*site.ArticleCard // newest first
	topics   []*TopicCard        // by title
	outlets  []*OutletCard       // by name
	entities []*EntityCard       // by name
	claims   []*ClaimCard        // by title
	events   []*site.Event       // oldest first
	years    []*site.Year        // oldest first

	keys     [numLists]viewkey.Key
	depsKeys [1 << numLists]viewkey.Key // by Deps.Used

	// partials memoises the site-wide partials ("cached" in templates) of
	// this build's pages: partialKey -> *partial.
	partials sync.Map
	// runaways memoises where each page kind's templates went over the
	// page limit, once per build: kind -> *runaway.
	runaways sync.Map
}

// A List names one of the site-wide lists, for dependency records.
type List uint8

// The site-wide lists.
const (
	ListArticles List = iota
	ListTopics
	ListOutlets
	ListEntities
	ListClaims
	ListEvents
	numLists
)

// Deps records which lists a render read, one bit per List. Safe for
// concurrent use.
type Deps struct{ used atomic.Uint32 }

func (d *Deps) use(l List) {
	if d != nil {
		d.used.Or(1 << l)
	}
}

// add records the lists of used (Deps.Used of another render) as read.
func (d *Deps) add(used uint32) {
	if d != nil && used != 0 {
		d.used.Or(used)
	}
}

// Used returns the lists a render read, one bit per List: what a build
// keeps of Deps once the render is done.
func (d *Deps) Used() uint32 { return d.used.Load() }

// DepsKey returns the key of the lists a render read (Deps.Used), with the
// lists' current values: a page whose view is unchanged renders the same
// while this is. Looked up, not hashed: a rebuild asks it for every page.
func (l *Lists) DepsKey(used uint32) viewkey.Key { return l.depsKeys[used&(1<<numLists-1)] }

// depsKey hashes the keys of the lists in used.
func (l *Lists) depsKey(used uint32) viewkey.Key {
	if used == 0 {
		return 0
	}
	h := viewkey.New()
	for i := range numLists {
		if used&(1<<i) != 0 {
			h.Uint(uint64(i)).Key(l.keys[i])
		}
	}
	return h.Sum()
}

// Articles lists every article's card, newest first.
func (s Site) Articles() []*site.ArticleCard { s.deps.use(ListArticles); return s.articles }

// Topics lists every topic, by title.
func (s Site) Topics() []*TopicCard { s.deps.use(ListTopics); return s.topics }

// Outlets lists every outlet, by name.
func (s Site) Outlets() []*OutletCard { s.deps.use(ListOutlets); return s.outlets }

// Entities lists every person, organisation and place, by name.
func (s Site) Entities() []*EntityCard { s.deps.use(ListEntities); return s.entities }

// Claims lists every claim, by title.
func (s Site) Claims() []*ClaimCard { s.deps.use(ListClaims); return s.claims }

// Events lists the timeline's events, oldest first.
func (s Site) Events() []*site.Event { s.deps.use(ListEvents); return s.events }

// Years groups the timeline's events by year, oldest first.
func (s Site) Years() []*site.Year { s.deps.use(ListEvents); return s.years }

// TopicCard is a topic on list pages.
type TopicCard struct {
	*site.TopicRef
	ArticleCount int
}

// OutletCard is an outlet on list pages.
type OutletCard struct {
	*site.OutletRef
	ArticleCount int
}

// EntityCard is a person, organisation or place on list pages.
type EntityCard struct {
	*site.EntityRef
	MentionCount int
}

// ClaimCard is a claim on list pages.
type ClaimCard struct {
	*site.ClaimRef
	SourceCount int
}

// NewLists extracts the site-wide lists from the graph.
func NewLists(g *site.Site) *Lists {
	l := &Lists{Config: g.Config, BaseURL: g.BaseURL, BasePath: g.BasePath,
		HasEntities: len(g.Entities) > 0, HasClaims: len(g.Claims) > 0, HasEvents: len(g.Events) > 0}
	l.articles = make([]*site.ArticleCard, len(g.Articles))
	for i, a := range g.Articles {
		l.articles[i] = a.Card
	}
	for _, t := range g.Topics {
		l.topics = append(l.topics, &TopicCard{TopicRef: t.Ref, ArticleCount: len(t.Items)})
	}
	for _, o := range g.Outlets {
		l.outlets = append(l.outlets, &OutletCard{OutletRef: o.Ref, ArticleCount: len(o.Articles)})
	}
	for _, e := range g.Entities {
		l.entities = append(l.entities, &EntityCard{EntityRef: e.Ref, MentionCount: len(e.Mentions)})
	}
	for _, c := range g.Claims {
		l.claims = append(l.claims, &ClaimCard{ClaimRef: c.Ref, SourceCount: len(c.Evidence)})
	}
	l.events, l.years = g.Events, g.Years
	l.keys[ListArticles] = viewkey.Of(l.articles)
	l.keys[ListTopics] = viewkey.Of(l.topics)
	l.keys[ListOutlets] = viewkey.Of(l.outlets)
	l.keys[ListEntities] = viewkey.Of(l.entities)
	l.keys[ListClaims] = viewkey.Of(l.claims)
	l.keys[ListEvents] = viewkey.Of(l.events)
	for used := range l.depsKeys {
		l.depsKeys[used] = l.depsKey(uint32(used))
	}
	return l
}
