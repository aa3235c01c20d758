package site

import (
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/viewkey"
)

// Cards and refs are what pages show of a thing they link to: an article's
// card on a list page, a topic's title on an article. They are immutable and
// keyed, shared between pages and between builds while unchanged, so a page
// listing fifty articles hashes fifty keys, not fifty articles.

// ArticleCard is what lists show of an article.
type ArticleCard struct {
	Slug    string
	Path    string // "articles/<slug>/"
	Title   string
	Byline  string
	Summary string
	URL     string // the original's URL, where known
	Date    content.Date
	// DateISO and DateHuman are Date.String() and Date.Human(), made once:
	// a template calls a method through reflection, at ten times the cost
	// of reading a field, and list pages show hundreds of dates.
	DateISO, DateHuman string
	Outlet             *OutletRef
	Topics             []*TopicRef
	// ReadingMinutes is the estimated reading time at 230 words a minute.
	ReadingMinutes int
	// NoteCount is the number of annotations.
	NoteCount int
	key       viewkey.Key
}

// ViewKey implements viewkey.Keyed.
func (c *ArticleCard) ViewKey() viewkey.Key { return c.key }

// readingMinutes estimates reading time at 230 words a minute, at least one.
func readingMinutes(words int) int { return max(1, (words+229)/230) }

func newArticleCard(a *content.Article, b *Body, o *OutletRef, topics []*TopicRef) *ArticleCard {
	c := &ArticleCard{Slug: a.Slug, Path: urls.Article(a.Slug), Title: a.Title, Byline: a.Byline, Summary: a.Summary, URL: a.URL,
		Date: a.Date, DateISO: a.Date.String(), DateHuman: a.Date.Human(), Outlet: o, Topics: topics, ReadingMinutes: readingMinutes(b.Words), NoteCount: len(b.Notes)}
	c.key = viewkey.Fields(c)
	return c
}

// sameCard reports whether c shows exactly what a new card of a, b, o and topics would.
func sameCard(c *ArticleCard, a *content.Article, b *Body, o *OutletRef, topics []*TopicRef) bool {
	if c.Slug != a.Slug || c.Title != a.Title || c.Byline != a.Byline || c.Summary != a.Summary || c.URL != a.URL ||
		c.Date != a.Date || c.Outlet != o || len(c.Topics) != len(topics) ||
		c.ReadingMinutes != readingMinutes(b.Words) || c.NoteCount != len(b.Notes) {
		return false
	}
	for i, t := range topics {
		if c.Topics[i] != t {
			return false
		}
	}
	return true
}

// TopicRef is what other pages show of a topic.
type TopicRef struct {
	Slug, Title, Summary, Path string
	key                        viewkey.Key
}

// ViewKey implements viewkey.Keyed.
func (t *TopicRef) ViewKey() viewkey.Key { return t.key }

// OutletRef is what other pages show of an outlet.
type OutletRef struct {
	Slug, Name, Path string
	key              viewkey.Key
}

// ViewKey implements viewkey.Keyed.
func (o *OutletRef) ViewKey() viewkey.Key { return o.key }

// EntityRef is what other pages show of a person, organisation or place.
type EntityRef struct {
	Slug, Name, Kind, Role, Path string
	Aliases                      []string
	key                          viewkey.Key
}

// ViewKey implements viewkey.Keyed.
func (e *EntityRef) ViewKey() viewkey.Key { return e.key }

// ClaimRef is what other pages show of a claim.
type ClaimRef struct {
	Slug, Title, Verdict, Path string
	key                        viewkey.Key
}

// ViewKey implements viewkey.Keyed.
func (c *ClaimRef) ViewKey() viewkey.Key { return c.key }

// seal computes a ref's key, or returns prev when prev shows the same (so
// pointers stay stable across builds and cards that hold them are reused).
func seal[T any, P interface {
	*T
	viewkey.Keyed
}](r P, prev P, setKey func(P, viewkey.Key)) P {
	k := viewkey.Fields(r)
	if prev != nil && prev.ViewKey() == k {
		return prev
	}
	setKey(r, k)
	return r
}

func newTopicRef(t *content.Topic, prev *TopicRef) *TopicRef {
	return seal(&TopicRef{Slug: t.Slug, Title: t.Title, Summary: t.Summary, Path: urls.Topic(t.Slug)}, prev, func(r *TopicRef, k viewkey.Key) { r.key = k })
}

func newOutletRef(name string, prev *OutletRef) *OutletRef {
	slug := Slugify(name)
	return seal(&OutletRef{Slug: slug, Name: name, Path: urls.Outlet(slug)}, prev, func(r *OutletRef, k viewkey.Key) { r.key = k })
}

func newEntityRef(e *content.Entity, prev *EntityRef) *EntityRef {
	return seal(&EntityRef{Slug: e.Slug, Name: e.Name, Kind: e.Kind, Role: e.Role, Path: urls.Entity(e.Slug), Aliases: e.Aliases}, prev, func(r *EntityRef, k viewkey.Key) { r.key = k })
}

// NewClaimRef makes a claim's ref, for stages before the graph (notes cite claims).
func NewClaimRef(c *content.Claim) *ClaimRef { return newClaimRef(c, nil) }

func newClaimRef(c *content.Claim, prev *ClaimRef) *ClaimRef {
	return seal(&ClaimRef{Slug: c.Slug, Title: c.Title, Verdict: c.Verdict, Path: urls.Claim(c.Slug)}, prev, func(r *ClaimRef, k viewkey.Key) { r.key = k })
}

func newTopicItem(card *ArticleCard, passages []Paragraph) *TopicItem {
	t := &TopicItem{Article: card, Passages: passages}
	t.key = viewkey.Fields(t)
	return t
}

func newEntityMention(card *ArticleCard, sentences []Paragraph) *EntityMention {
	m := &EntityMention{Article: card, Sentences: sentences}
	m.key = viewkey.Fields(m)
	return m
}

// Slugify makes a lowercase, URL-safe slug of a name.
func Slugify(s string) string { return urls.Slug(s) }
