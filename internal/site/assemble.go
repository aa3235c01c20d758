package site

import (
	"context"
	"html/template"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/dossier-news/dossier/internal/bufpool"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/workpool"
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
// what did not change; it is only read. When the content differs from prev's
// only in what articles say (bodies, summaries, annotations: not which
// articles exist, their dates, titles, topics or outlets, nor topics,
// entities, claims or the timeline), the new graph shares every node the
// change did not reach and copies the containers that held the changed ones;
// otherwise it is assembled afresh, still sharing unchanged cards and items.
func Assemble(c *content.Content, in Inputs, prev *Site) *Site {
	if prev != nil {
		if s := assembleDelta(c, in, prev); s != nil {
			return s
		}
	} else {
		prev = &Site{}
	}
	return assembleFull(c, in, prev)
}

func bodyOf(in Inputs, i int) *Body {
	if i < len(in.Bodies) && in.Bodies[i] != nil {
		return in.Bodies[i]
	}
	return emptyBody
}

var emptyBody = NewBody(Body{}, "", nil)

// topicRefs returns the refs of the topics of a that exist.
func topicRefs(a *content.Article, topics map[string]*Topic) []*TopicRef {
	refs := make([]*TopicRef, 0, len(a.Topics))
	for _, t := range a.Topics {
		if tp := topics[t]; tp != nil && !slices.Contains(refs, tp.Ref) {
			refs = append(refs, tp.Ref)
		}
	}
	return refs
}

// mentionsOf groups a body's entity mentions by entity (known ones only),
// entities by name.
func mentionsOf(b *Body, entities map[string]*Entity) ([]*EntityRef, [][]Paragraph) {
	var order []string
	sentences := map[string][]Paragraph{}
	for _, m := range b.Mentions {
		if entities[m.Entity] == nil {
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
	refs := make([]*EntityRef, len(order))
	for i, slug := range order {
		refs[i] = entities[slug].Ref
	}
	sort.SliceStable(refs, func(i, j int) bool { return lessFold(refs[i].Name, refs[j].Name) })
	out := make([][]Paragraph, len(refs))
	for i, r := range refs {
		out[i] = sentences[r.Slug]
	}
	return refs, out
}

// assembleFull builds the graph from scratch, reusing prev's cards, topic
// items and entity mentions where their inputs are the same.
func assembleFull(c *content.Content, in Inputs, prev *Site) *Site {
	s := &Site{
		Config:       c.Config,
		BaseURL:      in.BaseURL,
		BasePath:     in.BasePath,
		TopicBySlug:  make(map[string]*Topic, len(c.Topics)),
		EntityBySlug: make(map[string]*Entity, len(c.Entities)),
		ClaimBySlug:  make(map[string]*Claim, len(c.Claims)),
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

	// Articles and their cards, newest first.
	outletRefs := map[string]*OutletRef{}
	for _, pa := range prev.Articles {
		outletRefs[pa.Card.Outlet.Name] = pa.Card.Outlet
	}
	arts := make([]*Article, len(c.Articles))
	olds := make([]*Article, len(c.Articles)) // each article's node in prev, or nil
	sameOrder := len(prev.Articles) == len(c.Articles)
	for i, a := range c.Articles {
		body := bodyOf(in, i)
		o := newOutletRef(a.Outlet, outletRefs[a.Outlet])
		outletRefs[a.Outlet] = o
		topics := topicRefs(a, s.TopicBySlug)
		ar := &Article{Source: a, Body: body}
		pa := prev.ArticleBySlug(a.Slug)
		if pa != nil && sameCard(pa.Card, a, body, o, topics) {
			ar.Card = pa.Card
		} else {
			ar.Card = newArticleCard(a, body, o, topics)
		}
		if pa == nil || pa.Card.Date != ar.Card.Date || pa.Card.Title != ar.Card.Title {
			sameOrder = false
		}
		arts[i], olds[i] = ar, pa
	}
	// Newest first; ties by title then slug so the order never depends on
	// the file system. When no article came, went or changed date or title,
	// the previous order holds: skip the sort, share the index.
	order := make([]int, len(arts)) // order[k] = index in arts of the k-th newest
	if sameOrder {
		for i, a := range arts {
			order[prev.articleIdx[a.Card.Slug]] = i
		}
		s.articleIdx = prev.articleIdx
	} else {
		for k := range order {
			order[k] = k
		}
		sort.Slice(order, func(x, y int) bool {
			a, b := arts[order[x]].Card, arts[order[y]].Card
			if c := a.Date.Compare(b.Date); c != 0 {
				return c > 0
			}
			if a.Title != b.Title {
				return a.Title < b.Title
			}
			return a.Slug < b.Slug
		})
		s.articleIdx = make(map[string]int, len(arts))
		for k, i := range order {
			s.articleIdx[arts[i].Card.Slug] = k
		}
	}
	s.Articles = make([]*Article, len(arts))
	prevOf := make([]*Article, len(arts))
	for k, i := range order {
		s.Articles[k], prevOf[k] = arts[i], olds[i]
	}
	for k, a := range s.Articles {
		if k > 0 {
			a.Newer = s.Articles[k-1].Card
		}
		if k+1 < len(s.Articles) {
			a.Older = s.Articles[k+1].Card
		}
	}

	// Outlets.
	byOutlet := map[string]*Outlet{}
	for _, a := range s.Articles {
		o := byOutlet[a.Card.Outlet.Slug]
		if o == nil {
			o = &Outlet{Ref: a.Card.Outlet}
			byOutlet[a.Card.Outlet.Slug] = o
			s.Outlets = append(s.Outlets, o)
		}
		o.Articles = append(o.Articles, a.Card)
	}
	sort.Slice(s.Outlets, func(i, j int) bool { return lessFold(s.Outlets[i].Ref.Name, s.Outlets[j].Ref.Name) })

	// Topic passages and entity mentions, reused from prev while the
	// article's card and body (and the topic's keywords) are unchanged.
	// Per article, in parallel: its passages on each of its topics and its
	// sentences naming each entity. Then, in order, the topics' and
	// entities' lists.
	var lowerBufs bufpool.Slices // lowered's, one an article at a time
	_ = workpool.Each(context.Background(), len(s.Articles), func(k int) {
		a, pa := s.Articles[k], prevOf[k]
		same := pa != nil && pa.Card == a.Card && pa.Body == a.Body
		a.Items = make([]*TopicItem, len(a.Card.Topics))
		fresh := false // a topic's passages to find
		for j, ref := range a.Card.Topics {
			if same && prevKeywords(prev, ref.Slug) == s.TopicBySlug[ref.Slug].kwKey {
				a.Items[j] = pa.Items[j]
			} else {
				fresh = true
			}
		}
		if fresh {
			// The text is read once for all of the article's topics;
			// passages copies the little it keeps.
			a.Body.ReadParagraphs(func(paras []Paragraph) {
				buf := lowerBufs.Get()
				defer lowerBufs.Put(buf)
				lower := lowered(paras, buf)
				for j, ref := range a.Card.Topics {
					if a.Items[j] == nil {
						a.Items[j] = newTopicItem(a.Card, passages(paras, lower, s.TopicBySlug[ref.Slug].keywords))
					}
				}
			})
		}
		if same && entitiesExist(pa.Entities, s.EntityBySlug) {
			a.Entities, a.Mentions = pa.Entities, pa.Mentions
		} else {
			refs, sentences := mentionsOf(a.Body, s.EntityBySlug)
			a.Entities = refs
			a.Mentions = make([]*EntityMention, len(refs))
			for j := range refs {
				a.Mentions[j] = newEntityMention(a.Card, sentences[j])
			}
		}
	})
	topicArts := map[*Topic][]int{} // article indices, newest first, for relate
	for k, a := range s.Articles {
		for j, ref := range a.Card.Topics {
			t := s.TopicBySlug[ref.Slug]
			t.Items = append(t.Items, a.Items[j])
			topicArts[t] = append(topicArts[t], k)
		}
		for j, r := range a.Entities {
			e := s.EntityBySlug[r.Slug]
			e.Mentions = append(e.Mentions, a.Mentions[j])
		}
	}
	quotes, evidence := notesBy(s.Articles)
	for _, e := range s.Entities {
		e.Quotes = quotes[e.Ref.Slug]
	}
	for _, cl := range s.Claims {
		cl.Evidence = evidence[cl.Ref.Slug]
	}
	timeline(c, in, s)
	relate(s, topicArts)
	return s
}

func prevKeywords(prev *Site, slug string) string {
	if t := prev.TopicBySlug[slug]; t != nil {
		return t.kwKey
	}
	return "\x01" // matches no topic's keywords
}

// entitiesExist reports whether every entity of refs is still in the graph
// with the same ref.
func entitiesExist(refs []*EntityRef, entities map[string]*Entity) bool {
	for _, r := range refs {
		if e := entities[r.Slug]; e == nil || e.Ref != r {
			return false
		}
	}
	return true
}

// notesBy returns the quotes attributed to each entity (newest article
// first) and each claim's evidence (oldest first, so a claim's table reads
// as the story developed), from the anchored notes of articles (newest first).
func notesBy(articles []*Article) (map[string][]*Quote, map[string][]*Evidence) {
	quotes := map[string][]*Quote{}
	evidence := map[string][]*Evidence{}
	for _, a := range articles {
		for _, n := range a.Body.Notes {
			if n.Text == "" {
				continue // not anchored
			}
			if n.Speaker != "" {
				quotes[n.Speaker] = append(quotes[n.Speaker], &Quote{Article: a.Card, Note: n})
			}
		}
	}
	for i := len(articles) - 1; i >= 0; i-- {
		a := articles[i]
		for _, n := range a.Body.Notes {
			if n.Text != "" && n.Claim != "" {
				evidence[n.Claim] = append(evidence[n.Claim], &Evidence{Article: a.Card, Note: n})
			}
		}
	}
	return quotes, evidence
}

func timeline(c *content.Content, in Inputs, s *Site) {
	for i, ev := range c.Timeline {
		e := &Event{ID: ev.Anchor(i), Date: ev.Date, Title: ev.Title, Line: ev.Line, source: ev}
		if i < len(in.Events) {
			e.NoteHTML = in.Events[i]
		}
		// An article or topic listed twice is shown once, as an
		// article's topics are (topicRefs): "Reported in: AFP, AFP", and
		// the event twice on the article's page, were the editor's slip.
		for _, sl := range ev.Articles {
			if a := s.ArticleBySlug(sl); a != nil && !slices.Contains(e.Articles, a.Card) {
				e.Articles = append(e.Articles, a.Card)
				a.Events = append(a.Events, e)
			}
		}
		for _, sl := range ev.Topics {
			if t := s.TopicBySlug[sl]; t != nil && !slices.Contains(e.Topics, t.Ref) {
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

// assembleDelta returns the graph for content that differs from prev's only
// in what some articles say, or nil when the change reaches further.
func assembleDelta(c *content.Content, in Inputs, prev *Site) *Site {
	if len(c.Articles) != len(prev.Articles) || in.BaseURL != prev.BaseURL || in.BasePath != prev.BasePath ||
		len(c.Topics) != len(prev.Topics) || len(c.Entities) != len(prev.Entities) || len(c.Claims) != len(prev.Claims) ||
		len(c.Timeline) != len(prev.Events) || !reflect.DeepEqual(c.Config, prev.Config) {
		return nil
	}
	for _, t := range c.Topics {
		if p := prev.TopicBySlug[t.Slug]; p == nil || p.Source != t || p.Overview != in.Overviews[t.Slug] {
			return nil
		}
	}
	for _, e := range c.Entities {
		if p := prev.EntityBySlug[e.Slug]; p == nil || p.Source != e || p.Bio != in.Bios[e.Slug] {
			return nil
		}
	}
	for _, cl := range c.Claims {
		if p := prev.ClaimBySlug[cl.Slug]; p == nil || p.Source != cl || p.NoteHTML != in.Claims[cl.Slug] {
			return nil
		}
	}
	for i, ev := range c.Timeline {
		if p := prev.Events[i]; p.source != ev || i < len(in.Events) && p.NoteHTML != in.Events[i] {
			return nil
		}
	}

	type change struct {
		k        int // index in Articles
		old, new *Article
	}
	var changes []change
	var lowerBuf []byte // lowered's, one article at a time
	for i, a := range c.Articles {
		k, ok := prev.articleIdx[a.Slug]
		if !ok {
			return nil // a new article
		}
		p := prev.Articles[k]
		body := bodyOf(in, i)
		if p.Source == a && p.Body == body {
			continue
		}
		// Order, outlet and topic lists stay as they are only if these do.
		topics := topicRefs(a, prev.TopicBySlug)
		if p.Card.Date != a.Date || p.Card.Title != a.Title || p.Card.Outlet.Name != a.Outlet || !slices.Equal(topics, p.Card.Topics) {
			return nil
		}
		card := p.Card
		if !sameCard(card, a, body, p.Card.Outlet, topics) {
			if len(p.Events) > 0 {
				return nil // events show the card: assemble afresh
			}
			card = newArticleCard(a, body, p.Card.Outlet, topics)
		}
		n := &Article{Card: card, Source: a, Body: body, Related: p.Related, Older: p.Older, Newer: p.Newer, Events: p.Events}
		same := card == p.Card && body == p.Body
		n.Items = make([]*TopicItem, len(topics))
		var paras []Paragraph
		var lower []string
		for j, ref := range topics {
			if same {
				n.Items[j] = p.Items[j]
			} else {
				if lower == nil {
					paras = body.Paragraphs()
					lower = lowered(paras, &lowerBuf)
				}
				n.Items[j] = newTopicItem(card, passages(paras, lower, prev.TopicBySlug[ref.Slug].keywords))
			}
		}
		refs, sentences := mentionsOf(body, prev.EntityBySlug)
		if !slices.Equal(refs, p.Entities) {
			return nil // related articles depend on who is mentioned
		}
		n.Entities = refs
		n.Mentions = make([]*EntityMention, len(refs))
		for j := range refs {
			if same {
				n.Mentions[j] = p.Mentions[j]
			} else {
				n.Mentions[j] = newEntityMention(card, sentences[j])
			}
		}
		changes = append(changes, change{k, p, n})
	}

	s := &Site{
		Config: prev.Config, BaseURL: prev.BaseURL, BasePath: prev.BasePath,
		Articles: slices.Clone(prev.Articles), articleIdx: prev.articleIdx,
		Events: prev.Events, Years: prev.Years,
	}
	cards := map[*ArticleCard]*ArticleCard{} // changed cards, old -> new
	for _, ch := range changes {
		s.Articles[ch.k] = ch.new
		if ch.new.Card != ch.old.Card {
			cards[ch.old.Card] = ch.new.Card
		}
	}
	// Nodes that show a changed card get a copy that shows the new one.
	if len(cards) > 0 {
		swap := func(c *ArticleCard) *ArticleCard {
			if n, ok := cards[c]; ok {
				return n
			}
			return c
		}
		for k, a := range s.Articles {
			_, nearChanged := cards[a.Older]
			_, nc := cards[a.Newer]
			nearChanged = nearChanged || nc
			for _, r := range a.Related {
				if _, ok := cards[r]; ok {
					nearChanged = true
				}
			}
			if !nearChanged {
				continue
			}
			cp := *a
			cp.Older, cp.Newer = swap(a.Older), swap(a.Newer)
			cp.Related = make([]*ArticleCard, len(a.Related))
			for i, r := range a.Related {
				cp.Related[i] = swap(r)
			}
			s.Articles[k] = &cp
		}
		for _, o := range prev.Outlets {
			no := o
			for i, c := range o.Articles {
				if n, ok := cards[c]; ok {
					if no == o {
						no = &Outlet{Ref: o.Ref, Articles: slices.Clone(o.Articles)}
					}
					no.Articles[i] = n
				}
			}
			s.Outlets = append(s.Outlets, no)
		}
	} else {
		s.Outlets = prev.Outlets
	}
	// Topics and entities holding a changed item get a copy with the new one.
	items := map[*TopicItem]*TopicItem{}
	mentions := map[*EntityMention]*EntityMention{}
	for _, ch := range changes {
		for j, it := range ch.new.Items {
			if it != ch.old.Items[j] {
				items[ch.old.Items[j]] = it
			}
		}
		for j, m := range ch.new.Mentions {
			if m != ch.old.Mentions[j] {
				mentions[ch.old.Mentions[j]] = m
			}
		}
	}
	s.TopicBySlug = make(map[string]*Topic, len(prev.Topics))
	for _, t := range prev.Topics {
		nt := t
		for i, it := range t.Items {
			if n, ok := items[it]; ok {
				if nt == t {
					cp := *t
					cp.Items = slices.Clone(t.Items)
					nt = &cp
				}
				nt.Items[i] = n
			}
		}
		s.Topics = append(s.Topics, nt)
		s.TopicBySlug[nt.Ref.Slug] = nt
	}
	quotes, evidence := notesBy(s.Articles)
	s.EntityBySlug = make(map[string]*Entity, len(prev.Entities))
	for _, e := range prev.Entities {
		ne := e
		for i, m := range e.Mentions {
			if n, ok := mentions[m]; ok {
				if ne == e {
					cp := *e
					cp.Mentions = slices.Clone(e.Mentions)
					ne = &cp
				}
				ne.Mentions[i] = n
			}
		}
		if q := quotes[e.Ref.Slug]; !sameQuotes(q, e.Quotes) {
			if ne == e {
				cp := *e
				ne = &cp
			}
			ne.Quotes = q
		}
		s.Entities = append(s.Entities, ne)
		s.EntityBySlug[ne.Ref.Slug] = ne
	}
	s.ClaimBySlug = make(map[string]*Claim, len(prev.Claims))
	for _, cl := range prev.Claims {
		nc := cl
		if ev := evidence[cl.Ref.Slug]; !sameEvidence(ev, cl.Evidence) {
			cp := *cl
			cp.Evidence = ev
			nc = &cp
		}
		s.Claims = append(s.Claims, nc)
		s.ClaimBySlug[nc.Ref.Slug] = nc
	}
	return s
}

func sameQuotes(a, b []*Quote) bool {
	return slices.EqualFunc(a, b, func(x, y *Quote) bool { return x.Article == y.Article && x.Note == y.Note })
}

func sameEvidence(a, b []*Evidence) bool {
	return slices.EqualFunc(a, b, func(x, y *Evidence) bool { return x.Article == y.Article && x.Note == y.Note })
}

func lessFold(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return a < b
}
