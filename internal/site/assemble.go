package site

import (
	"html/template"
	"sort"
	"strings"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/urls"
)

// Inputs are the rendered parts Assemble needs besides the content.
type Inputs struct {
	Bodies    []*Body                  // one per c.Articles, same order
	Overviews map[string]template.HTML // topic slug -> rendered overview
	Bios      map[string]template.HTML // entity slug -> rendered bio
	Claims    map[string]template.HTML // claim slug -> rendered note
	Events    []template.HTML          // rendered event notes, in c.Timeline order
	BaseURL   string
	BasePath  string
}

// Assemble builds the graph. prev, the previous build's graph or nil, lends
// the parts that did not change; it is only read.
func Assemble(c *content.Content, in Inputs, prev *Site) *Site {
	if prev == nil {
		prev = &Site{}
	}
	s := &Site{
		Config:        c.Config,
		BaseURL:       in.BaseURL,
		BasePath:      in.BasePath,
		ArticleBySlug: make(map[string]*Article, len(c.Articles)),
		TopicBySlug:   make(map[string]*Topic, len(c.Topics)),
		EntityBySlug:  make(map[string]*Entity, len(c.Entities)),
		ClaimBySlug:   make(map[string]*Claim, len(c.Claims)),
	}
	for _, t := range c.Topics {
		var pr *TopicRef
		if p := prev.TopicBySlug[t.Slug]; p != nil {
			pr = p.Ref
		}
		tp := &Topic{Ref: newTopicRef(t, pr), Source: t, Overview: in.Overviews[t.Slug], keywords: Keywords(t)}
		tp.kwKey = strings.Join(tp.keywords, "\x00")
		s.Topics = append(s.Topics, tp)
		s.TopicBySlug[t.Slug] = tp
	}
	sort.SliceStable(s.Topics, func(i, j int) bool { return lessFold(s.Topics[i].Ref.Title, s.Topics[j].Ref.Title) })
	for _, e := range c.Entities {
		var pr *EntityRef
		if p := prev.EntityBySlug[e.Slug]; p != nil {
			pr = p.Ref
		}
		en := &Entity{Ref: newEntityRef(e, pr), Source: e, Bio: in.Bios[e.Slug]}
		s.Entities = append(s.Entities, en)
		s.EntityBySlug[e.Slug] = en
	}
	sort.SliceStable(s.Entities, func(i, j int) bool { return lessFold(s.Entities[i].Ref.Name, s.Entities[j].Ref.Name) })
	for _, cl := range c.Claims {
		var pr *ClaimRef
		if p := prev.ClaimBySlug[cl.Slug]; p != nil {
			pr = p.Ref
		}
		cp := &Claim{Ref: newClaimRef(cl, pr), Source: cl, NoteHTML: in.Claims[cl.Slug]}
		s.Claims = append(s.Claims, cp)
		s.ClaimBySlug[cl.Slug] = cp
	}
	sort.SliceStable(s.Claims, func(i, j int) bool { return lessFold(s.Claims[i].Ref.Title, s.Claims[j].Ref.Title) })

	s.Articles = articles(c, in, prev, s)
	outlets(s)
	topicItems(s, prev)
	entityMentions(s, prev)
	claimEvidence(s)
	timeline(c, in, s)
	relate(s)
	return s
}

// articles makes the article nodes and their cards, newest first.
func articles(c *content.Content, in Inputs, prev, s *Site) []*Article {
	outletRefs := map[string]*OutletRef{}
	prevOutlets := map[string]*OutletRef{}
	for _, pa := range prev.Articles {
		prevOutlets[pa.Card.Outlet.Name] = pa.Card.Outlet
	}
	out := make([]*Article, len(c.Articles))
	sameOrder := len(prev.Articles) == len(c.Articles)
	for i, a := range c.Articles {
		body := in.Bodies[i]
		if body == nil {
			body = NewBody(Body{})
		}
		o := outletRefs[a.Outlet]
		if o == nil {
			o = newOutletRef(a.Outlet, prevOutlets[a.Outlet])
			outletRefs[a.Outlet] = o
		}
		ar := &Article{Source: a, Body: body, day: a.Date.Time().Unix() / 86400}
		topics := make([]*TopicRef, 0, len(a.Topics))
		for _, t := range a.Topics {
			if tp := s.TopicBySlug[t]; tp != nil {
				ar.Topics = append(ar.Topics, tp)
				topics = append(topics, tp.Ref)
			}
		}
		pa := prev.ArticleBySlug[a.Slug]
		if pa != nil && sameCard(pa.Card, a, body, o, topics) {
			ar.Card = pa.Card
		} else {
			ar.Card = newArticleCard(a, body, o, topics)
		}
		if pa == nil || pa.Card.Date != ar.Card.Date || pa.Card.Title != ar.Card.Title {
			sameOrder = false
		}
		out[i] = ar
		s.ArticleBySlug[a.Slug] = ar
	}
	// Newest first; ties by title then slug so the order never depends on
	// the file system. When no article came, went or changed date or title,
	// the previous order holds: skip the sort.
	if sameOrder {
		sorted := make([]*Article, len(out))
		for _, a := range out {
			sorted[prev.ArticleBySlug[a.Card.Slug].idx] = a
		}
		out = sorted
	} else {
		sort.Slice(out, func(i, j int) bool {
			a, b := out[i].Card, out[j].Card
			if c := a.Date.Compare(b.Date); c != 0 {
				return c > 0
			}
			if a.Title != b.Title {
				return a.Title < b.Title
			}
			return a.Slug < b.Slug
		})
	}
	for i, a := range out {
		a.idx = i
		if i > 0 {
			a.Newer = out[i-1]
		}
		if i+1 < len(out) {
			a.Older = out[i+1]
		}
	}
	return out
}

func outlets(s *Site) {
	bySlug := map[string]*Outlet{}
	for _, a := range s.Articles {
		o := bySlug[a.Card.Outlet.Slug]
		if o == nil {
			o = &Outlet{Ref: a.Card.Outlet}
			bySlug[a.Card.Outlet.Slug] = o
			s.Outlets = append(s.Outlets, o)
		}
		a.Outlet = o
		o.Articles = append(o.Articles, a)
	}
	sort.Slice(s.Outlets, func(i, j int) bool { return lessFold(s.Outlets[i].Ref.Name, s.Outlets[j].Ref.Name) })
}

// topicItems lists each topic's articles with their passages, reusing the
// previous build's item when the article's card and body and the topic's
// keywords are unchanged.
func topicItems(s, prev *Site) {
	for _, a := range s.Articles {
		pa := prev.ArticleBySlug[a.Card.Slug]
		reuse := pa != nil && pa.Card == a.Card && pa.Body == a.Body && len(pa.Topics) == len(a.Topics)
		a.Items = make([]*TopicItem, len(a.Topics))
		a.topicPos = make([]int, len(a.Topics))
		for i, t := range a.Topics {
			a.topicPos[i] = len(t.articles)
			t.articles = append(t.articles, a)
			if reuse && pa.Topics[i].kwKey == t.kwKey && pa.Topics[i].Ref.Slug == t.Ref.Slug {
				a.Items[i] = pa.Items[i]
			} else {
				a.Items[i] = newTopicItem(a.Card, passages(a.Body, t.keywords))
			}
			t.Items = append(t.Items, a.Items[i])
		}
	}
}

// entityMentions fills entity backlinks and each article's entities, in
// newest-first article order, and the quotes attributed to entities.
func entityMentions(s, prev *Site) {
	for _, a := range s.Articles {
		pa := prev.ArticleBySlug[a.Card.Slug]
		if pa != nil && pa.Card == a.Card && pa.Body == a.Body {
			// Same body, same mentions: reuse the items, for the entities that still exist.
			for i, pe := range pa.Entities {
				if e := s.EntityBySlug[pe.Ref.Slug]; e != nil {
					a.Entities = append(a.Entities, e)
					a.Mentions = append(a.Mentions, pa.Mentions[i])
					e.Mentions = append(e.Mentions, pa.Mentions[i])
				}
			}
		} else {
			var order []string
			sentences := map[string][]Paragraph{}
			for _, m := range a.Body.Mentions {
				if s.EntityBySlug[m.Entity] == nil {
					continue
				}
				ss, seen := sentences[m.Entity]
				if !seen {
					order = append(order, m.Entity)
				}
				if len(ss) == 0 || ss[len(ss)-1].Text != m.Sentence {
					sentences[m.Entity] = append(ss, Paragraph{ID: m.Paragraph, Text: m.Sentence})
				}
			}
			ents := make([]*Entity, len(order))
			for i, slug := range order {
				ents[i] = s.EntityBySlug[slug]
			}
			sort.SliceStable(ents, func(i, j int) bool { return lessFold(ents[i].Ref.Name, ents[j].Ref.Name) })
			for _, e := range ents {
				m := newEntityMention(a.Card, sentences[e.Ref.Slug])
				a.Entities = append(a.Entities, e)
				a.Mentions = append(a.Mentions, m)
				e.Mentions = append(e.Mentions, m)
			}
		}
		for _, n := range a.Body.Notes {
			if n.Speaker == "" || n.Paragraph == "" && n.Text == "" {
				continue // not anchored
			}
			if e := s.EntityBySlug[n.Speaker]; e != nil {
				e.Quotes = append(e.Quotes, &Quote{Article: a.Card, Note: n})
			}
		}
	}
}

// claimEvidence lists each claim's evidence oldest first, so the table reads
// as the story developed.
func claimEvidence(s *Site) {
	for i := len(s.Articles) - 1; i >= 0; i-- {
		a := s.Articles[i]
		for _, n := range a.Body.Notes {
			if n.Text == "" {
				continue // not anchored
			}
			if cl := s.ClaimBySlug[n.Claim]; cl != nil {
				cl.Evidence = append(cl.Evidence, &Evidence{Article: a.Card, Note: n})
			}
		}
	}
}

func timeline(c *content.Content, in Inputs, s *Site) {
	for i, ev := range c.Timeline {
		e := &Event{ID: urls.Event(ev.Date.String(), ev.Title), Date: ev.Date, Title: ev.Title, Line: ev.Line}
		if i < len(in.Events) {
			e.NoteHTML = in.Events[i]
		}
		for _, sl := range ev.Articles {
			if a := s.ArticleBySlug[sl]; a != nil {
				e.Articles = append(e.Articles, a.Card)
				a.Events = append(a.Events, e)
			}
		}
		for _, sl := range ev.Topics {
			if t := s.TopicBySlug[sl]; t != nil {
				e.Topics = append(e.Topics, t.Ref)
			}
		}
		s.Events = append(s.Events, e)
		if n := len(s.Years); n == 0 || s.Years[n-1].Year != ev.Date.Year {
			s.Years = append(s.Years, &Year{Year: ev.Date.Year})
		}
		y := s.Years[len(s.Years)-1]
		y.Events = append(y.Events, e)
	}
}

func lessFold(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return a < b
}
