// Package site assembles the site graph from loaded content and rendered
// article bodies: topics with their passages, outlets, entities with
// backlinks, claims with their evidence, the timeline, related articles and
// previous/next links. Everything here is linear or n·log n in the number of
// articles: related articles come from a date-ordered index per topic, never a
// comparison of every pair.
package site

import (
	"hash/maphash"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/slugs"
)

// Paragraph is one anchored block of an article's text.
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

// Note is an anchored annotation.
type Note struct {
	content.Annotation
	ID        string // element id of the passage's <mark>: "a3"
	Number    int
	Label     string
	Paragraph string // enclosing paragraph id
	Text      string // the passage as rendered
	Sentence  string
}

// Body is what the Markdown and annotation stages made of one article.
type Body struct {
	Words      int // word count of the text
	HTML       template.HTML
	EditorNote template.HTML
	Paragraphs []Paragraph
	Mentions   []Mention
	Notes      []Note

	lower []string               // lowercased paragraph texts
	memo  map[string][]Paragraph // topic key -> passages
}

// Article is an article with everything the pages need.
type Article struct {
	*content.Article
	Path       string // site-relative: "articles/<slug>/"
	HTML       template.HTML
	Paragraphs []Paragraph
	Notes      []*Note
	Outlet     *Outlet
	Topics     []*Topic
	Entities   []*Entity // mentioned, by name
	Related    []*Article
	Older      *Article // previous in time
	Newer      *Article
	Events     []*Event
	// MetaHash covers what list pages show of the article (title, date,
	// outlet, topics, summary); Hash covers the whole source file.
	MetaHash string
	// EditorNoteHTML is the rendered editor's note on the rendition.
	EditorNoteHTML template.HTML
	// Words is the body's word count, for reading time.
	Words int
	body  *Body
	day   int64 // days since 1970, for nearness in time
	idx   int   // position in Site.Articles
}

// ReadingMinutes is the estimated reading time at 230 words a minute.
func (a *Article) ReadingMinutes() int {
	m := (a.Words + 229) / 230
	if m < 1 {
		m = 1
	}
	return m
}

// Topic is a topic page.
type Topic struct {
	*content.Topic
	Path     string
	Overview template.HTML
	Articles []*TopicArticle // newest first
	keywords []string
	memoKey  string
}

// TopicArticle is an article on a topic with the passages that speak of it.
type TopicArticle struct {
	Article  *Article
	Passages []Paragraph
}

// Outlet is a publication.
type Outlet struct {
	Slug, Name, Path string
	Articles         []*Article // newest first
}

// Entity is a person, organisation or place with its backlinks.
type Entity struct {
	*content.Entity
	Path     string
	Bio      template.HTML
	Mentions []*EntityMention // newest article first
	Quotes   []*Quote
}

// EntityMention is an article mentioning an entity, with the sentences.
type EntityMention struct {
	Article   *Article
	Sentences []Paragraph // ID is the paragraph anchor, Text the sentence
}

// Quote is a passage attributed to an entity by an annotation.
type Quote struct {
	Article *Article
	Note    *Note
}

// Claim is a claim page with its evidence.
type Claim struct {
	*content.Claim
	Path     string
	NoteHTML template.HTML
	Evidence []*Evidence // oldest first
}

// Evidence is one article's wording of a claim.
type Evidence struct {
	Article *Article
	Note    *Note
}

// Event is a timeline event.
type Event struct {
	*content.Event
	ID       string
	NoteHTML template.HTML
	Articles []*Article
	Topics   []*Topic
}

// Year groups timeline events.
type Year struct {
	Year   int
	Events []*Event
}

// Site is the assembled graph.
type Site struct {
	Config   content.Config
	BaseURL  string     // absolute base URL with trailing slash, or "/" when unknown
	BasePath string     // the base URL's path with leading and trailing slash
	Articles []*Article // newest first
	Topics   []*Topic   // by title
	Outlets  []*Outlet  // by name
	Entities []*Entity  // by name
	Claims   []*Claim   // by title
	Years    []*Year    // oldest first
	Events   []*Event   // oldest first

	ArticleBySlug map[string]*Article
	TopicBySlug   map[string]*Topic
	EntityBySlug  map[string]*Entity
	ClaimBySlug   map[string]*Claim
}

// Inputs are the rendered parts Assemble needs besides the content.
type Inputs struct {
	Bodies    map[string]*Body         // by article slug
	Overviews map[string]template.HTML // topic slug -> rendered overview
	Bios      map[string]template.HTML // entity slug -> rendered bio
	Claims    map[string]template.HTML // claim slug -> rendered note
	Events    []template.HTML          // rendered event notes, in c.Timeline order
	BaseURL   string
	BasePath  string
	// MetaCache maps an article file hash to its MetaHash; when non-nil it
	// is read and refreshed, so rebuilds hash only changed articles.
	MetaCache map[string]string
}

// Assemble builds the graph.
func Assemble(c *content.Content, in Inputs) *Site {
	s := &Site{
		Config:        c.Config,
		BaseURL:       in.BaseURL,
		BasePath:      in.BasePath,
		ArticleBySlug: make(map[string]*Article, len(c.Articles)),
		TopicBySlug:   map[string]*Topic{},
		EntityBySlug:  map[string]*Entity{},
		ClaimBySlug:   map[string]*Claim{},
	}
	for _, t := range c.Topics {
		tp := &Topic{Topic: t, Path: "topics/" + t.Slug + "/", Overview: in.Overviews[t.Slug], keywords: Keywords(t)}
		tp.memoKey = t.Slug + "\x00" + strings.Join(tp.keywords, "\x00")
		s.Topics = append(s.Topics, tp)
		s.TopicBySlug[t.Slug] = tp
	}
	sort.SliceStable(s.Topics, func(i, j int) bool { return lessFold(s.Topics[i].Title, s.Topics[j].Title) })
	for _, e := range c.Entities {
		en := &Entity{Entity: e, Path: "entities/" + e.Slug + "/", Bio: in.Bios[e.Slug]}
		s.Entities = append(s.Entities, en)
		s.EntityBySlug[e.Slug] = en
	}
	sort.SliceStable(s.Entities, func(i, j int) bool { return lessFold(s.Entities[i].Name, s.Entities[j].Name) })
	for _, cl := range c.Claims {
		cp := &Claim{Claim: cl, Path: "claims/" + cl.Slug + "/", NoteHTML: in.Claims[cl.Slug]}
		s.Claims = append(s.Claims, cp)
		s.ClaimBySlug[cl.Slug] = cp
	}
	sort.SliceStable(s.Claims, func(i, j int) bool { return lessFold(s.Claims[i].Title, s.Claims[j].Title) })

	outlets := map[string]*Outlet{}
	newMeta := make(map[string]string, len(c.Articles))
	for _, a := range c.Articles {
		body := in.Bodies[a.Slug]
		if body == nil {
			body = &Body{}
		}
		ar := &Article{Article: a, Path: "articles/" + a.Slug + "/", HTML: body.HTML, EditorNoteHTML: body.EditorNote, Paragraphs: body.Paragraphs}
		if m, ok := in.MetaCache[a.Hash]; ok {
			ar.MetaHash = m
		} else {
			ar.MetaHash = MetaHash(a)
		}
		if in.MetaCache != nil {
			newMeta[a.Hash] = ar.MetaHash
		}
		ar.Words = body.Words
		ar.day = a.Date.Time().Unix() / 86400
		ar.body = body
		for i := range body.Notes {
			ar.Notes = append(ar.Notes, &body.Notes[i])
		}
		oslug := Slugify(a.Outlet)
		o := outlets[oslug]
		if o == nil {
			o = &Outlet{Slug: oslug, Name: a.Outlet, Path: "outlets/" + oslug + "/"}
			outlets[oslug] = o
		}
		ar.Outlet = o
		for _, t := range a.Topics {
			if tp := s.TopicBySlug[t]; tp != nil {
				ar.Topics = append(ar.Topics, tp)
			}
		}
		s.Articles = append(s.Articles, ar)
		s.ArticleBySlug[a.Slug] = ar
	}
	// Newest first; ties by title then slug so the order never depends on map iteration.
	sort.SliceStable(s.Articles, func(i, j int) bool {
		a, b := s.Articles[i], s.Articles[j]
		if c := a.Date.Compare(b.Date); c != 0 {
			return c > 0
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.Slug < b.Slug
	})
	for i, a := range s.Articles {
		a.idx = i
		if i > 0 {
			a.Newer = s.Articles[i-1]
		}
		if i+1 < len(s.Articles) {
			a.Older = s.Articles[i+1]
		}
		a.Outlet.Articles = append(a.Outlet.Articles, a)
		for _, t := range a.Topics {
			t.Articles = append(t.Articles, &TopicArticle{Article: a, Passages: a.body.passages(t)})
		}
	}
	for _, o := range outlets {
		s.Outlets = append(s.Outlets, o)
	}
	sort.Slice(s.Outlets, func(i, j int) bool { return lessFold(s.Outlets[i].Name, s.Outlets[j].Name) })

	// Entity backlinks, in newest-first article order.
	for _, a := range s.Articles {
		body := in.Bodies[a.Slug]
		if body == nil {
			continue
		}
		seen := map[string]*EntityMention{}
		for _, m := range body.Mentions {
			e := s.EntityBySlug[m.Entity]
			if e == nil {
				continue
			}
			em := seen[m.Entity]
			if em == nil {
				em = &EntityMention{Article: a}
				seen[m.Entity] = em
				e.Mentions = append(e.Mentions, em)
				a.Entities = append(a.Entities, e)
			}
			if len(em.Sentences) == 0 || em.Sentences[len(em.Sentences)-1].Text != m.Sentence {
				em.Sentences = append(em.Sentences, Paragraph{ID: m.Paragraph, Text: m.Sentence})
			}
		}
		sort.SliceStable(a.Entities, func(i, j int) bool { return lessFold(a.Entities[i].Name, a.Entities[j].Name) })
		for _, n := range a.Notes {
			if n.Speaker != "" {
				if e := s.EntityBySlug[n.Speaker]; e != nil {
					e.Quotes = append(e.Quotes, &Quote{Article: a, Note: n})
				}
			}
		}
	}
	// Claims: evidence oldest first, so the table reads as the story developed.
	for i := len(s.Articles) - 1; i >= 0; i-- {
		a := s.Articles[i]
		for _, n := range a.Notes {
			if cl := s.ClaimBySlug[n.Claim]; cl != nil {
				cl.Evidence = append(cl.Evidence, &Evidence{Article: a, Note: n})
			}
		}
	}
	// Timeline.
	for i, ev := range c.Timeline {
		e := &Event{Event: ev, ID: eventID(ev, i)}
		if i < len(in.Events) {
			e.NoteHTML = in.Events[i]
		}
		for _, sl := range ev.Articles {
			if a := s.ArticleBySlug[sl]; a != nil {
				e.Articles = append(e.Articles, a)
				a.Events = append(a.Events, e)
			}
		}
		for _, sl := range ev.Topics {
			if t := s.TopicBySlug[sl]; t != nil {
				e.Topics = append(e.Topics, t)
			}
		}
		s.Events = append(s.Events, e)
		if n := len(s.Years); n == 0 || s.Years[n-1].Year != ev.Date.Year {
			s.Years = append(s.Years, &Year{Year: ev.Date.Year})
		}
		y := s.Years[len(s.Years)-1]
		y.Events = append(y.Events, e)
	}
	if in.MetaCache != nil {
		clear(in.MetaCache)
		for k, v := range newMeta {
			in.MetaCache[k] = v
		}
	}
	relate(s)
	return s
}

func eventID(ev *content.Event, i int) string { return ev.Anchor(i) }

// metaSeed keys MetaHash. Hashes are compared only within one process, so a
// fast seeded hash is enough; it is set once and never changed.
var metaSeed = maphash.MakeSeed()

// MetaHash hashes what list pages show of an article.
func MetaHash(a *content.Article) string {
	var h maphash.Hash
	h.SetSeed(metaSeed)
	for _, s := range []string{a.Slug, a.Title, a.Outlet, a.Date.String(), a.Summary, a.Byline, strings.Join(a.Topics, ",")} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write([]byte{byte(len(a.Annotations)), byte(len(a.Annotations) >> 8)})
	for _, an := range a.Annotations {
		h.Write([]byte(an.Claim + "\x00" + an.Speaker + "\x00"))
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// Keywords returns the lowercase words and phrases that mark a paragraph as
// speaking of a topic: the editor's keywords, the title, and the title's
// significant words.
func Keywords(t *content.Topic) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, k := range t.Keywords {
		add(k)
	}
	add(t.Title)
	if len(t.Keywords) > 0 {
		// The editor chose the words; single title words would add noise
		// ("Islamic State" must not match "Secretary of State").
		return out
	}
	for _, w := range strings.FieldsFunc(t.Title, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
		if len([]rune(w)) >= 4 && !stopwords[strings.ToLower(w)] {
			add(w)
		}
	}
	return out
}

var stopwords = map[string]bool{"with": true, "from": true, "that": true, "this": true, "their": true, "about": true, "over": true, "into": true, "and": true, "the": true}

// passages returns the paragraphs of the body that speak of the topic. The
// result is memoised in the Body, which the build caches while the article
// is unchanged, so a rebuild does not rescan every article for every topic.
func (b *Body) passages(t *Topic) []Paragraph {
	key := t.memoKey
	if ps, ok := b.memo[key]; ok {
		return ps
	}
	if b.lower == nil {
		b.lower = make([]string, len(b.Paragraphs))
		for i, p := range b.Paragraphs {
			b.lower[i] = strings.ToLower(p.Text)
		}
	}
	var out []Paragraph
	for i, p := range b.Paragraphs {
		for _, k := range t.keywords {
			if containsWord(b.lower[i], k) {
				out = append(out, p)
				break
			}
		}
	}
	if b.memo == nil {
		b.memo = map[string][]Paragraph{}
	}
	b.memo[key] = out
	return out
}

// containsWord reports whether k occurs in s starting at a word boundary
// (so "iran" matches "Iran's" and "Iranian" but not "Tehrani").
func containsWord(s, k string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], k)
		if j < 0 {
			return false
		}
		j += i
		if j == 0 || !isWordByte(s[j-1]) {
			return true
		}
		i = j + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}

// Slugify makes the lowercase ASCII slug of a name in any script
// ("Süddeutsche Zeitung" -> "suddeutsche-zeitung"), "" when nothing in it
// transliterates; see package slugs.
func Slugify(s string) string { return slugs.Make(s) }

func lessFold(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return a < b
}
