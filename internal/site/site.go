// Package site assembles the site graph from loaded content and rendered
// article bodies: topics with their passages, outlets, entities with
// backlinks, claims with their evidence, the timeline, related articles and
// previous/next links.
//
// A Site is immutable once assembled. The next build assembles a new one,
// handing Assemble the previous Site: unchanged parts (an article's card,
// its passages on a topic, its sentences naming an entity) are shared by
// pointer instead of being computed again, which keeps an edit in a dossier
// of ten thousand articles cheap without patching anything in place.
//
// Everything here is linear or n·log n in the number of articles: related
// articles come from a date-ordered index per topic, never a comparison of
// every pair.
package site

import (
	"html/template"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/provenance"
	"github.com/dossier-news/dossier/internal/viewkey"
)

// Paragraph is one anchored block of an article's text, or a sentence of it.
type Paragraph struct {
	ID   string // "p7"
	Text string // plain text
}

// Mention is one occurrence of an entity in an article.
type Mention struct {
	Entity    string // slug
	Paragraph string
	Sentence  string
}

// Note is an anchored annotation. Immutable.
type Note struct {
	content.Annotation
	ID        string        // element id of the passage's <mark>: "a3"
	Number    int           // in reading order
	Label     string        // the kind, for readers: "Fact check"
	HTML      template.HTML // the note, rendered
	Paragraph string        // enclosing paragraph id
	Text      string        // the passage as rendered
	Sentence  string
	key       viewkey.Key
}

// ViewKey implements viewkey.Keyed.
func (n *Note) ViewKey() viewkey.Key { return n.key }

// Body is what the Markdown and annotation stages made of one article.
// Immutable: make it with NewBody.
type Body struct {
	EditorNote template.HTML
	Mentions   []Mention
	Notes      []*Note // in front-matter order (ids a1, a2...), numbered in reading order
	Words      int     // word count of the text
	// Headings are the text's section headings with their ids, which
	// Paragraphs leave out; search lists them.
	Headings []Paragraph
	// Provenance is the check of the rendition against its original (the
	// comparison page's data), nil when the article names none.
	Provenance *provenance.Report
	text       packedText // HTML and Paragraphs, compressed (see packedText)
	textBytes  int        // length of the Paragraphs' text
	key        viewkey.Key
}

// NewBody seals a body with its HTML and paragraphs: it computes the keys of
// its notes and itself.
func NewBody(b Body, html template.HTML, paragraphs []Paragraph) *Body {
	return NewBodyIn(nil, b, html, paragraphs)
}

// NewBodyIn is NewBody keeping the text in spill (in memory when nil).
func NewBodyIn(spill *Spill, b Body, html template.HTML, paragraphs []Paragraph) *Body {
	return NewBodyOf(spill, b, bytesOf(string(html)), paragraphs)
}

// NewBodyOf is NewBodyIn with the HTML as bytes, which it only reads while
// it runs (the body keeps them compressed): a build renders an article into
// a buffer it reuses for the next, and needs no string copy of it.
func NewBodyOf(spill *Spill, b Body, html []byte, paragraphs []Paragraph) *Body {
	for _, n := range b.Notes {
		n.key = viewkey.Fields(n)
	}
	nb := &b
	nb.text = packText(html, paragraphs, spill)
	for _, p := range paragraphs {
		nb.textBytes += len(p.Text)
	}
	nb.key = viewkey.New().Key(viewkey.Fields(nb)).String(stringOf(html)).Value(paragraphs).Sum()
	return nb
}

// TextBytes is the length in bytes of the Paragraphs' text, known without
// unpacking them.
func (b *Body) TextBytes() int { return b.textBytes }

// HTML is the body as rendered: Markdown, anchors, notes and entity links.
func (b *Body) HTML() template.HTML { return b.text.HTML() }

// ReadHTML is HTML without a copy, for a reader that keeps nothing of it:
// see packedText.ReadHTML.
func (b *Body) ReadHTML(read func(template.HTML)) { b.text.ReadHTML(read) }

// Paragraphs are the anchored blocks of the text, in order, as plain text
// (before notes were placed). Each call unpacks them anew: call it once
// per use.
func (b *Body) Paragraphs() []Paragraph { return b.text.Paragraphs() }

// ReadParagraphs is Paragraphs without a copy, for a reader that keeps
// nothing of them: see packedText.ReadParagraphs.
func (b *Body) ReadParagraphs(read func([]Paragraph)) { b.text.ReadParagraphs(read) }

// ViewKey implements viewkey.Keyed.
func (b *Body) ViewKey() viewkey.Key { return b.key }

// Article is an article in the graph. Like every node, it refers to other
// articles by their (immutable) cards, never to their nodes, so that a new
// graph can share every node an edit did not touch.
type Article struct {
	Card   *ArticleCard
	Source *content.Article
	Body   *Body
	// Items are the article's passages on each of Card.Topics (same order).
	Items []*TopicItem
	// Entities are the people, organisations and places it mentions, by
	// name; Mentions their sentences (same order).
	Entities []*EntityRef
	Mentions []*EntityMention
	Related  []*ArticleCard
	Older    *ArticleCard // previous in time
	Newer    *ArticleCard
	Events   []*Event
}

// Slug is the article's file name without .md.
func (a *Article) Slug() string { return a.Card.Slug }

// Topic is a topic in the graph.
type Topic struct {
	Ref      *TopicRef
	Source   *content.Topic
	Overview template.HTML
	Items    []*TopicItem // newest article first
	keywords []string
	kwKey    string
}

// TopicItem is an article on a topic with the passages that speak of it. Immutable.
type TopicItem struct {
	Article  *ArticleCard
	Passages []Paragraph
	key      viewkey.Key
}

// ViewKey implements viewkey.Keyed.
func (t *TopicItem) ViewKey() viewkey.Key { return t.key }

// Outlet is a publication.
type Outlet struct {
	Ref      *OutletRef
	Articles []*ArticleCard // newest first
}

// Entity is a person, organisation or place with its backlinks.
type Entity struct {
	Ref      *EntityRef
	Source   *content.Entity
	Bio      template.HTML
	Mentions []*EntityMention // newest article first
	Quotes   []*Quote
}

// EntityMention is an article mentioning an entity, with the sentences. Immutable.
type EntityMention struct {
	Article   *ArticleCard
	Sentences []Paragraph // ID is the paragraph anchor, Text the sentence
	key       viewkey.Key
}

// ViewKey implements viewkey.Keyed.
func (m *EntityMention) ViewKey() viewkey.Key { return m.key }

// Quote is a passage attributed to an entity by an annotation.
type Quote struct {
	Article *ArticleCard
	Note    *Note
}

// Claim is a claim with its evidence.
type Claim struct {
	Ref      *ClaimRef
	Source   *content.Claim
	NoteHTML template.HTML
	Evidence []*Evidence // oldest first
}

// Evidence is one article's wording of a claim.
type Evidence struct {
	Article *ArticleCard
	Note    *Note
}

// Event is a timeline event. Immutable.
type Event struct {
	ID       string
	Date     content.Date
	Title    string
	NoteHTML template.HTML
	Articles []*ArticleCard
	Topics   []*TopicRef
	Line     int // in the timeline file
	source   *content.Event
}

// Year groups timeline events.
type Year struct {
	Year   int
	Events []*Event
}

// Site is the assembled graph. Immutable.
type Site struct {
	Config   content.Config
	BaseURL  string     // absolute base URL with trailing slash
	BasePath string     // the base URL's path with leading and trailing slash
	Articles []*Article // newest first
	Topics   []*Topic   // by title
	Outlets  []*Outlet  // by name
	Entities []*Entity  // by name
	Claims   []*Claim   // by title
	Events   []*Event   // oldest first
	Years    []*Year    // oldest first

	TopicBySlug  map[string]*Topic
	EntityBySlug map[string]*Entity
	ClaimBySlug  map[string]*Claim
	articleIdx   map[string]int // slug -> index in Articles; shared by graphs with the same articles in the same order
}

// ArticleBySlug returns an article, or nil.
func (s *Site) ArticleBySlug(slug string) *Article {
	if i, ok := s.articleIdx[slug]; ok {
		return s.Articles[i]
	}
	return nil
}
