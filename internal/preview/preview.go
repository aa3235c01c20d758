// Package preview makes the data of the popover previews: a small card (what
// it is, its outlet and date or role, its title and one sentence) for every
// article, person, organisation, place, topic, claim and timeline event, and,
// for each rendered page, the cards of the ones it links to, as a JSON data
// block the preview script (static/preview.js) reads. Nothing is fetched or
// parsed in the browser but that block; without JavaScript it is inert.
//
// A page's cards are found after its template ran, from the links it holds,
// so a project's own templates get previews too. The page records the links
// it looked up (Add), and the build re-renders it when the cards of those
// links change (Key), as it does when the site-wide lists its template read
// change: a rebuild stays equal to a full build.
package preview

import (
	"bytes"
	"encoding/json"
	"html"
	"html/template"
	"sort"
	"strings"
	"unicode/utf8"
	"weak"

	xhtml "golang.org/x/net/html"

	"github.com/dossier-news/dossier/internal/annotate"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/viewkey"
)

// Card is what a preview shows of a link's target. Immutable.
type Card struct {
	key viewkey.Key
	// entry is the card as Add writes it, "target":["meta","title","text"]
	// (meta: "Article · AFP · 7 May 2013", "Person · US Secretary of
	// State"; text: one sentence, may be empty), JSON-encoded once; the
	// array starts at entry[at:]. A card is kept for every previewable
	// thing of the dossier, so it holds nothing else: at 100,000 articles
	// its fields as strings beside the JSON cost 40 MB more live heap.
	entry []byte
	at    int
	// target is the card's target, kept for the next build that lends
	// the card.
	target string
}

// setTarget records the target the card is the card of.
func (c *Card) setTarget(t string) {
	if c.at > 0 && t == c.target {
		return
	}
	k, _ := json.Marshal(t) // escapes <, > and &, as the array does
	entry := make([]byte, 0, len(k)+1+len(c.entry)-c.at)
	entry = append(append(append(entry, k...), ':'), c.entry[c.at:]...)
	c.target, c.entry, c.at = t, entry, len(k)+1
}

func newCard(meta, title, text string) *Card {
	b, _ := json.Marshal([]string{meta, title, oneSentence(text)}) // escapes <, > and &: safe inside <script>
	return &Card{entry: b, key: viewkey.Strings(string(b))}
}

// ID is the id of the JSON data block the preview script reads.
const ID = "dossier-previews"

// Index holds the cards of a build, by the path links use for their target
// ("/base/articles/x/", "/base/timeline/#e2013-05-07-..."). Immutable.
type Index struct {
	basePath string
	cards    map[string]*Card
	// articles lends article cards to the next build while the article's
	// card (title, outlet, date, summary) is the same.
	articles map[*site.ArticleCard]*Card
	// from is the index NewIndex lent cards from, changed what it found
	// changed since then (see Changed). Weak: each preview rebuild's index
	// would otherwise keep every earlier one alive.
	from    weak.Pointer[Index]
	changed map[string]bool
}

// sections are the kinds of page whose links get a preview (as site paths).
var sections = []string{urls.ArticlesDir + "/", urls.EntitiesDir + "/", urls.TopicsDir + "/", urls.ClaimsDir + "/"}

// NewIndex makes the cards of every previewable thing of g. prev, the last
// build's index or nil, lends the cards of unchanged articles.
func NewIndex(g *site.Site, prev *Index) *Index {
	x := &Index{basePath: g.BasePath, cards: make(map[string]*Card, len(g.Articles)+len(g.Entities)+len(g.Topics)+len(g.Claims)+len(g.Events)),
		articles: make(map[*site.ArticleCard]*Card, len(g.Articles))}
	if prev != nil && prev.basePath != g.BasePath {
		prev = nil
	}
	// What changed since prev (Changed) is found on the way: a card lent by
	// prev is at the target it had there; a new one is compared with the
	// card prev had at its target; prev's targets that are not matched are gone.
	var changed map[string]bool
	matched := 0
	if prev != nil {
		x.from, changed = weak.Make(prev), map[string]bool{}
	}
	put := func(t string, c *Card) {
		c.setTarget(t)
		if prev != nil {
			// A target given twice (it should not be) keeps the last
			// card: any card unlike prev's there marks it changed.
			p := prev.cards[t]
			if p == nil || p.key != c.key {
				changed[t] = true
			}
			if _, dup := x.cards[t]; !dup && p != nil {
				matched++
			}
		}
		x.cards[t] = c
	}
	under := func(p string) string { return urls.Under(g.BasePath, p) }
	for _, a := range g.Articles {
		c := a.Card
		if prev != nil {
			if card := prev.articles[c]; card != nil {
				x.articles[c] = card
				x.cards[card.target] = card
				matched++
				continue
			}
		}
		card := newCard("Article · "+c.Outlet.Name+" · "+c.DateHuman, c.Title, c.Summary)
		x.articles[c] = card
		put(under(c.Path), card)
	}
	for _, e := range g.Entities {
		meta := kindLabel(e.Ref.Kind)
		if e.Ref.Role != "" {
			meta += " · " + e.Ref.Role
		}
		put(under(e.Ref.Path), newCard(meta, e.Ref.Name, textOf(e.Bio)))
	}
	for _, t := range g.Topics {
		text := t.Ref.Summary
		if text == "" {
			text = textOf(t.Overview)
		}
		put(under(t.Ref.Path), newCard("Topic", t.Ref.Title, text))
	}
	for _, c := range g.Claims {
		text := c.Ref.Verdict
		if text == "" {
			text = textOf(c.NoteHTML)
		}
		put(under(c.Ref.Path), newCard("Claim compared", c.Ref.Title, text))
	}
	for _, e := range g.Events {
		put(under(urls.Timeline)+"#"+e.ID, newCard("Event · "+e.Date.Human(), e.Title, textOf(e.NoteHTML)))
	}
	if prev != nil && matched != len(prev.cards) {
		for t := range prev.cards {
			if x.cards[t] == nil {
				changed[t] = true
			}
		}
	}
	x.changed = changed
	return x
}

func kindLabel(kind string) string {
	switch kind {
	case "person":
		return "Person"
	case "organisation":
		return "Organisation"
	case "place":
		return "Place"
	}
	return "Entry"
}

// Changed returns the targets whose card x does not hold as prev did (new,
// gone or different), and whether prev could be compared at all (not nil,
// same base path). A page that links to none of them has the cards it had,
// so a rebuild need not look up every page's cards.
func (x *Index) Changed(prev *Index) (map[string]bool, bool) {
	if prev == nil || prev.basePath != x.basePath {
		return nil, false
	}
	if weak.Make(prev) == x.from {
		return x.changed, true // found by NewIndex
	}
	return x.compare(prev), true
}

// compare returns the targets whose card x does not hold as prev did, by
// comparing every card.
func (x *Index) compare(prev *Index) map[string]bool {
	changed := map[string]bool{}
	for t, c := range x.cards {
		if p := prev.cards[t]; p == nil || p.key != c.key {
			changed[t] = true
		}
	}
	for t := range prev.cards {
		if x.cards[t] == nil {
			changed[t] = true
		}
	}
	return changed
}

// Holds reports whether a page that linked to targets, whose cards had
// the key k under prev, has the same cards under x; changed and ok are
// x.Changed(prev).
func (x *Index) Holds(targets []string, k viewkey.Key, changed map[string]bool, ok bool) bool {
	if ok && len(changed) == 0 {
		return true
	}
	if ok {
		hit := false
		for _, t := range targets {
			if changed[t] {
				hit = true
				break
			}
		}
		if !hit {
			return true
		}
	}
	return x.Key(targets) == k
}

// Key returns the key of the cards of targets, as Add returned them (0 for
// a target with no card): while it holds, the page's cards are the same.
func (x *Index) Key(targets []string) viewkey.Key {
	if len(targets) == 0 {
		return 0
	}
	h := viewkey.New()
	for _, t := range targets {
		if c := x.cards[t]; c != nil {
			h.Key(c.key)
		} else {
			h.Uint(0)
		}
	}
	return h.Sum()
}

// Add returns page (a rendered HTML page whose own path, under the base
// path, is self) with the cards of the targets it links to in a JSON data
// block before </body>, and the targets it looked up: every link to an
// article, entity, topic, claim or event, whether it has a card or not, for
// Key. Links inside inline SVG (pictures, whose marks carry their own
// titles) and to the page itself get none. Like append, Add may write the
// block into page's spare capacity: the caller keeps the result, not page.
func (x *Index) Add(page []byte, self string) ([]byte, []string) {
	var targets []string
	seen := map[string]bool{}
	for _, href := range hrefs(page) {
		t, ok := x.target(href)
		if !ok || t == self || seen[t] {
			continue
		}
		seen[t] = true
		targets = append(targets, t)
	}
	sort.Strings(targets)
	// The block is appended to the page, then moved before </body>: the
	// page is not copied unless it has no room.
	end := len(page)
	n := 0
	for _, t := range targets {
		c := x.cards[t]
		if c == nil {
			continue
		}
		if n == 0 {
			page = append(page, `<script type="application/json" id="`+ID+`">{`...)
		} else {
			page = append(page, ',')
		}
		page = append(page, c.entry...)
		n++
	}
	if n == 0 {
		return page, targets
	}
	page = append(page, "}</script>\n"...)
	at := bytes.LastIndex(page[:end], []byte("</body>"))
	if at < 0 {
		return page, targets
	}
	// What follows </body> (a few bytes) goes after the block.
	var small [64]byte
	tail := append(small[:0], page[at:end]...)
	copy(page[at:], page[end:])
	copy(page[len(page)-len(tail):], tail)
	return page, targets
}

// target returns the card key a link points to, if it is a link to a
// previewable page under the base path.
func (x *Index) target(href string) (string, bool) {
	rest, ok := strings.CutPrefix(href, x.basePath)
	if !ok {
		return "", false
	}
	p, frag, _ := strings.Cut(rest, "#")
	if p == urls.Timeline && frag != "" {
		return href, true
	}
	for _, s := range sections {
		if strings.HasPrefix(p, s) && len(p) > len(s) {
			return x.basePath + p, true
		}
	}
	return "", false
}

// hrefs returns the href values of page's elements outside inline <svg>,
// unescaped. The page is our own template output: attributes are quoted.
// An href is inside an svg when a "<svg" lies between the end of the
// previous value (or the page's start) and it with no "</svg>" after that
// "<svg" before it; the scan then resumes at the next "</svg>", and stops
// if there is none. One forward pass: the next "<svg" is found once and
// kept while hrefs before it are read, not looked for backwards from each.
func hrefs(page []byte) []string {
	var out []string
	pos := 0  // where the scan resumes: a "<svg" before pos does not count
	svg := -1 // the first "<svg" at or after pos not closed before it (len(page) if none); stale when < pos
	for {
		i := bytes.Index(page[pos:], []byte("href="))
		if i < 0 {
			return out
		}
		i += pos
		// Skip inline SVG: its links are the pictures' marks.
		inSVG := false
		for {
			if svg < pos {
				svg = indexFrom(page, pos, "<svg")
			}
			if svg >= i {
				break
			}
			end := bytes.Index(page[svg:], []byte("</svg>"))
			if end < 0 {
				return out // open to the end of the page
			}
			end += svg
			if end > i { // ("</svg>" cannot straddle i: page[i] is 'h')
				pos, inSVG = end, true
				break
			}
			// Closed before the href: every "<svg" up to end is too.
			svg = indexFrom(page, end, "<svg")
		}
		if inSVG {
			continue
		}
		pos = i + 5
		if pos == len(page) {
			return out
		}
		q := page[pos]
		if q != '"' && q != '\'' {
			continue
		}
		end := bytes.IndexByte(page[pos+1:], q)
		if end < 0 {
			return out
		}
		out = append(out, html.UnescapeString(string(page[pos+1:pos+1+end])))
		pos += 1 + end
	}
}

// indexFrom returns the position of the first sep in page at or after from,
// or len(page) if there is none.
func indexFrom(page []byte, from int, sep string) int {
	if k := bytes.Index(page[from:], []byte(sep)); k >= 0 {
		return from + k
	}
	return len(page)
}

// maxText bounds a card's sentence, in characters.
const maxText = 220

// oneSentence returns the first sentence of text, cut at a word before
// maxText characters.
func oneSentence(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return ""
	}
	if ss := annotate.Sentences(text); len(ss) > 0 {
		text = strings.TrimSpace(ss[0])
	}
	if utf8.RuneCountInString(text) <= maxText {
		return text
	}
	r := []rune(text)[:maxText]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > maxText/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}

// textOf returns the text of an HTML fragment.
func textOf(h template.HTML) string {
	if h == "" {
		return ""
	}
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(string(h)))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return b.String()
		case xhtml.TextToken:
			b.Write(z.Text())
		case xhtml.StartTagToken, xhtml.EndTagToken:
			if name, _ := z.TagName(); string(name) == "p" || string(name) == "li" || string(name) == "br" {
				b.WriteByte(' ')
			}
		}
	}
}
