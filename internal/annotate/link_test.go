package annotate

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
)

var testEntities = []Entity{
	{Slug: "kerry", URL: "/entities/kerry/", Names: []string{"John Kerry", "Kerry"}},
	{Slug: "kerrys-law", URL: "/entities/kerrys-law/", Names: []string{"Kerry's Law"}},
	{Slug: "putin", URL: "/entities/putin/", Names: []string{"Putin", "Vladimir Putin"}},
	{Slug: "assad", URL: "/entities/assad/", Names: []string{"Assad", "Bashar al-Assad"}},
	{Slug: "fsa", URL: "/entities/fsa/", Names: []string{"Free Syrian Army"}},
	{Slug: "syria", URL: "/entities/syria/", Names: []string{"Syria", "Syrian"}},
	{Slug: "lavrov", URL: "/entities/lavrov/", Names: []string{"Sergei Lavrov", "Lavrov"}},
	{Slug: "un", URL: "/entities/un/", Names: []string{"United Nations", "U.N."}},
	{Slug: "brien", URL: "/entities/brien/", Names: []string{"Brien"}},
	{Slug: "tartus", URL: "/entities/tartus/?a=1&b=2", Names: []string{"Tartus"}},
}

func TestLink(t *testing.T) {
	type m struct {
		slug, para, sentence string
		linked               bool
	}
	cases := []struct {
		name     string
		html     string
		mentions []m
		contains []string // substrings of the output
		links    int      // entity links in the output
	}{
		{
			name: "first mention only, whole words, possessive",
			html: `<p id="p1">Kerrygold is a butter. Then Kerry&rsquo;s plane left. Kerry landed; O'Brien waved.</p>`,
			mentions: []m{
				{"kerry", "p1", "Then Kerry’s plane left.", true},
				{"kerry", "p1", "Kerry landed; O'Brien waved.", false},
			},
			contains: []string{`Then <a class="entity" href="/entities/kerry/" data-entity="kerry">Kerry</a>&rsquo;s plane`},
			links:    1,
		},
		{
			name: "longest name wins",
			html: `<p id="p2">The Free Syrian Army fought. Syrian troops and Bashar al-Assad’s forces. Assad spoke. Kerry's Law passed.</p>`,
			mentions: []m{
				{"fsa", "p2", "The Free Syrian Army fought.", true},
				{"syria", "p2", "Syrian troops and Bashar al-Assad’s forces.", true},
				{"assad", "p2", "Syrian troops and Bashar al-Assad’s forces.", true},
				{"assad", "p2", "Assad spoke.", false},
				{"kerrys-law", "p2", "Kerry's Law passed.", true},
			},
			contains: []string{
				`<a class="entity" href="/entities/fsa/" data-entity="fsa">Free Syrian Army</a>`,
				`<a class="entity" href="/entities/assad/" data-entity="assad">Bashar al-Assad</a>’s`,
				`<a class="entity" href="/entities/kerrys-law/" data-entity="kerrys-law">Kerry's Law</a>`,
			},
			links: 4,
		},
		{
			name: "never inside headings, links, code, pre or notes",
			html: `<h2 id="kerry-and-putin">Kerry and Putin</h2>
<p id="p1"><a href="https://example.org">John Kerry</a> arrived; <code>Putin()</code> ran.</p>
<pre><code>Kerry
</code></pre>
<p id="p3">Mr. <mark class="ann ann-context" data-note="a1" id="a1">Lavrov met</mark><sup class="note-ref" aria-hidden="true"><label for="a1-t" class="note-toggle-label">1</label></sup><input type="checkbox" id="a1-t" class="note-toggle"><span class="note note-context" id="a1-n" role="note"><span class="note-num">1</span> <span class="note-kind">Context Putin</span> Putin was absent.</span> them.</p>
<p id="p4">Kerry saw Vladimir Putin.</p>`,
			mentions: []m{
				{"kerry", "kerry-and-putin", "Kerry and Putin", false},
				{"putin", "kerry-and-putin", "Kerry and Putin", false},
				{"kerry", "p1", "John Kerry arrived; Putin() ran.", false},
				{"lavrov", "p3", "Mr. Lavrov met them.", true},
				{"kerry", "p4", "Kerry saw Vladimir Putin.", true},
				{"putin", "p4", "Kerry saw Vladimir Putin.", true},
			},
			contains: []string{
				`<h2 id="kerry-and-putin">Kerry and Putin</h2>`,
				`<a href="https://example.org">John Kerry</a>`,
				`<mark class="ann ann-context" data-note="a1" id="a1"><a class="entity" href="/entities/lavrov/" data-entity="lavrov">Lavrov</a> met</mark>`,
				`Putin was absent.</span>`,
			},
			links: 3,
		},
		{
			name: "mention split by markup is reported, link waits",
			html: `<p id="p1"><mark>John</mark> Kerry and <em>U.N.</em> officials. John Kerry in <strong>Tartus</strong>.</p>`,
			mentions: []m{
				{"kerry", "p1", "John Kerry and U.N. officials.", false},
				{"un", "p1", "John Kerry and U.N. officials.", true},
				{"kerry", "p1", "John Kerry in Tartus.", true},
				{"tartus", "p1", "John Kerry in Tartus.", true},
			},
			contains: []string{
				`<em><a class="entity" href="/entities/un/" data-entity="un">U.N.</a></em>`,
				`officials. <a class="entity" href="/entities/kerry/" data-entity="kerry">John Kerry</a> in`,
				`href="/entities/tartus/?a=1&amp;b=2"`,
			},
			links: 3,
		},
		{
			name:     "case-sensitive",
			html:     `<p id="p1">KERRY and kerry and syria.</p>`,
			mentions: nil,
			links:    0,
		},
	}
	l := NewLinker(testEntities)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, got := l.Link([]byte(tc.html))
			checkWellFormed(t, out)
			var gotM []m
			for _, x := range got {
				gotM = append(gotM, m{x.Slug, x.Paragraph, x.Sentence, x.Linked})
			}
			if fmt.Sprint(gotM) != fmt.Sprint(tc.mentions) {
				t.Errorf("mentions\n got %v\nwant %v", gotM, tc.mentions)
			}
			for _, c := range tc.contains {
				if !strings.Contains(string(out), c) {
					t.Errorf("output lacks %s\n%s", c, out)
				}
			}
			links := 0
			var walk func(*html.Node, bool)
			walk = func(n *html.Node, inside bool) {
				if n.Type == html.ElementNode && n.Data == "a" && attr(n, "class") == "entity" {
					links++
					if inside {
						t.Errorf("entity link nested in a link, heading, code or note: %s", textOf(n))
					}
				}
				if n.Type == html.ElementNode {
					switch n.Data {
					case "a", "h1", "h2", "code", "pre":
						inside = true
					case "span":
						inside = inside || hasClass(attr(n, "class"), "note")
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, inside)
				}
			}
			walk(parse(t, out), false)
			if links != tc.links {
				t.Errorf("%d entity links, want %d\n%s", links, tc.links, out)
			}
		})
	}
}

// Link runs on Anchor's output: the link goes inside the mark.
func TestLinkAfterAnchor(t *testing.T) {
	out, _, probs := anchorNotes("art.md", []byte(article), []Note{
		{ID: "a1", Number: 1, Quote: "counterpart Sergei Lavrov respectively", Kind: "context", Label: "Context", HTML: "Lavrov is Russia's foreign minister; Putin appointed him.", Line: 3},
	})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	out, ms := NewLinker(testEntities).Link(out)
	checkWellFormed(t, out)
	if !strings.Contains(string(out), `<em><mark class="ann ann-context" data-note="a1" data-kind="context"><a class="entity" href="/entities/lavrov/" data-entity="lavrov">Sergei Lavrov</a></mark></em>`) {
		t.Errorf("link not inside the mark:\n%s", out)
	}
	for _, x := range ms {
		if x.Slug == "lavrov" && x.Sentence != "Kerry will hold talks with Russian President Vladimir Putin and his Russian counterpart Sergei Lavrov respectively." {
			t.Errorf("mention of Lavrov in the note or with a wrong sentence: %+v", x)
		}
	}
}

func TestLinkerConcurrent(t *testing.T) {
	l := NewLinker(testEntities)
	want, _ := l.Link([]byte(article))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if got, _ := l.Link([]byte(article)); string(got) != string(want) {
					t.Error("concurrent Link differs")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestLinkerEmpty(t *testing.T) {
	in := []byte(article)
	out, ms := NewLinker(nil).Link(in)
	if string(out) != article || ms != nil {
		t.Error("empty linker changed the article")
	}
}
