package webanno_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/testsite"
)

// pageText is the article text of a built article page, read independently
// of the package: the DOM of the page as published (minified), the element
// with class "body", its text without the note apparatus, whitespace runs as
// one space, a line feed after each block.
func pageText(t *testing.T, page []byte) []rune {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(string(page)))
	if err != nil {
		t.Fatal(err)
	}
	has := func(n *html.Node, key, val string) bool {
		for _, a := range n.Attr {
			if a.Key == key && slices.Contains(strings.Fields(a.Val), val) {
				return true
			}
		}
		return false
	}
	var body *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "div" && has(n, "class", "body") && body == nil {
			body = n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if body == nil {
		t.Fatal("no div.body in the page")
	}
	blocks := map[string]bool{"p": true, "li": true, "ul": true, "ol": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"blockquote": true, "pre": true, "table": true, "thead": true, "tbody": true, "tr": true, "td": true, "th": true, "div": true, "hr": true, "br": true,
		"figure": true, "figcaption": true, "section": true, "dl": true, "dt": true, "dd": true}
	var out []rune
	pendingSpace := false
	brk := func() {
		pendingSpace = false
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			for _, r := range n.Data {
				if strings.ContainsRune(" \t\n\r\f", r) {
					pendingSpace = len(out) > 0 && out[len(out)-1] != '\n'
					continue
				}
				if pendingSpace {
					out = append(out, ' ')
					pendingSpace = false
				}
				out = append(out, r)
			}
			return
		case html.ElementNode:
			if n.Data == "input" || n.Data == "script" || n.Data == "style" || (n.Data == "sup" && has(n, "class", "note-ref")) ||
				(n.Data == "span" && has(n, "class", "note")) || has(n, "class", "footnote-ref") || has(n, "role", "doc-noteref") || has(n, "role", "doc-backlink") {
				return
			}
			if blocks[n.Data] {
				brk()
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			if blocks[n.Data] {
				brk()
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		walk(c)
	}
	for len(out) > 0 && out[len(out)-1] == '\n' {
		out = out[:len(out)-1]
	}
	return out
}

// occurrences returns every start of pat in text.
func occurrences(text, pat []rune) []int {
	var at []int
	for i := 0; i+len(pat) <= len(text); i++ {
		if slices.Equal(text[i:i+len(pat)], pat) {
			at = append(at, i)
		}
	}
	return at
}

var motivations = []string{"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting", "identifying", "linking", "moderating", "questioning", "replying", "tagging"}

// Every article publishes its annotations as a Web Annotation page with the
// model's required properties, linked from the article page; every
// exported selector anchors in the page's text as published, at its
// position and exactly once with its prefix and suffix.
func TestExportReanchors(t *testing.T) {
	root := testsite.New(t)
	res, err := build.New(build.Options{Root: root, Minify: true}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, slug := range testsite.Articles {
		rel := "content/articles/" + slug + ".md"
		v, ps := content.ParseFile(content.ArticlesDir, rel, []byte(testsite.Read(t, root, rel)))
		if len(ps) > 0 {
			t.Fatal(ps)
		}
		art := v.(*content.Article)
		page := res.Site.Files["articles/"+slug+"/index.html"].Data
		canonical := testsite.BaseURL + "articles/" + slug + "/"
		docURL := canonical + "annotations.jsonld"
		if !strings.Contains(string(page), `<link rel=alternate type=application/ld+json title="Annotations (W3C Web Annotation)" href=/calden/articles/`+slug+`/annotations.jsonld>`) {
			t.Errorf("%s: the page does not link its annotations", slug)
		}
		f := res.Site.Files["articles/"+slug+"/annotations.jsonld"]
		if f == nil {
			t.Fatalf("%s: no annotations.jsonld", slug)
		}
		if f.ContentType() != "application/ld+json" {
			t.Errorf("served as %s", f.ContentType())
		}
		var doc map[string]any
		if err := json.Unmarshal(f.Data, &doc); err != nil {
			t.Fatalf("%s: %v", slug, err)
		}
		if doc["@context"] != "http://www.w3.org/ns/anno.jsonld" || doc["type"] != "AnnotationPage" || doc["id"] != docURL {
			t.Errorf("%s: page @context/type/id = %v %v %v", slug, doc["@context"], doc["type"], doc["id"])
		}
		items, _ := doc["items"].([]any)
		if len(items) != len(art.Annotations) {
			t.Fatalf("%s: %d annotations, the article has %d", slug, len(items), len(art.Annotations))
		}
		text := pageText(t, page)
		ids := map[string]bool{}
		for k, it := range items {
			an, _ := it.(map[string]any)
			id, _ := an["id"].(string)
			if u, err := url.Parse(id); err != nil || !u.IsAbs() || ids[id] {
				t.Errorf("%s item %d: id %q is not a unique absolute IRI", slug, k, id)
			}
			ids[id] = true
			if an["type"] != "Annotation" || !slices.Contains(motivations, an["motivation"].(string)) {
				t.Errorf("%s item %d: type %v, motivation %v", slug, k, an["type"], an["motivation"])
			}
			bodies, _ := an["body"].([]any)
			if len(bodies) == 0 {
				t.Errorf("%s item %d: no body", slug, k)
			}
			for _, b := range bodies {
				bm, _ := b.(map[string]any)
				switch bm["type"] {
				case "TextualBody":
					if _, ok := bm["value"].(string); !ok {
						t.Errorf("%s item %d: TextualBody without a value", slug, k)
					}
				case "Choice":
					if items, _ := bm["items"].([]any); len(items) == 0 {
						t.Errorf("%s item %d: empty Choice", slug, k)
					}
				case "SpecificResource":
					if _, ok := bm["source"].(string); !ok {
						t.Errorf("%s item %d: SpecificResource without a source", slug, k)
					}
				default:
					t.Errorf("%s item %d: body of type %v", slug, k, bm["type"])
				}
			}
			target, _ := an["target"].(map[string]any)
			if target["source"] != canonical {
				t.Errorf("%s item %d: target source %v, want %s", slug, k, target["source"], canonical)
			}
			var exact, prefix, suffix string
			start, end := -1, -1
			sels, _ := target["selector"].([]any)
			for _, s := range sels {
				sm, _ := s.(map[string]any)
				switch sm["type"] {
				case "TextQuoteSelector":
					exact, _ = sm["exact"].(string)
					prefix, _ = sm["prefix"].(string)
					suffix, _ = sm["suffix"].(string)
				case "TextPositionSelector":
					s, _ := sm["start"].(float64)
					e, _ := sm["end"].(float64)
					start, end = int(s), int(e)
				}
			}
			if exact == "" || start < 0 || end <= start || end > len(text) {
				t.Fatalf("%s item %d: selectors %q [%d,%d) in a text of %d", slug, k, exact, start, end, len(text))
			}
			if got := string(text[start:end]); got != exact {
				t.Errorf("%s item %d: position [%d,%d) holds %q, the quote is %q", slug, k, start, end, got, exact)
			}
			full := []rune(prefix + exact + suffix)
			at := occurrences(text, full)
			if len(at) != 1 || at[0] != start-len([]rune(prefix)) {
				t.Errorf("%s item %d: prefix+exact+suffix found at %v, want once at %d", slug, k, at, start-len([]rune(prefix)))
			}
			if n := len([]rune(prefix)); n != min(32, start) {
				t.Errorf("%s item %d: prefix of %d code points", slug, k, n)
			}
			if !strings.Contains(strings.Join(strings.Fields(exact), " "), strings.Join(strings.Fields(strings.NewReplacer("'", "’").Replace(art.Annotations[k].Quote)), " ")) &&
				!strings.Contains(exact, art.Annotations[k].Quote) {
				t.Errorf("%s item %d: exact %q is not the annotation's quote %q", slug, k, exact, art.Annotations[k].Quote)
			}
			total++
		}
	}
	if total == 0 {
		t.Fatal("no annotations checked")
	}
}
