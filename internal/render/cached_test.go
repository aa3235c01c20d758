package render

import (
	"html/template"
	"testing"
	"unsafe"
)

// A page's strings may be views lent for its execution only (an article's
// HTML: ArticlePage), and the memo of "cached" outlives the page: a string
// item is kept as a copy, of its own type, so the memo still finds it once
// the lent bytes hold another article's text.
func TestCachedKeepsAStringItemOfItsOwn(t *testing.T) {
	tmpl := template.Must(template.New("page").Parse(`{{define "body"}}<div>{{.Item}}</div>{{end}}`))
	memo := (&Renderer{}).cached("article", tmpl)
	lists := &Lists{}
	buf := []byte("<p>lent text</p>")
	lent := template.HTML(unsafe.String(&buf[0], len(buf)))
	first, err := memo("body", newSite(lists, &Deps{}, newBudget(lists)), lent)
	if err != nil || first != "<div><p>lent text</p></div>" {
		t.Fatalf("cached = %q, %v", first, err)
	}
	copy(buf, "<p>other text</p>") // the lender reuses its buffer
	keys := 0
	lists.partials.Range(func(k, _ any) bool {
		keys++
		if item := k.(partialKey).item; item != template.HTML("<p>lent text</p>") {
			t.Errorf("the memo's key is %#v after the lent bytes changed, want the item as it was lent", item)
		}
		return true
	})
	if keys != 1 {
		t.Errorf("%d memo entries, want 1", keys)
	}
	again, err := memo("body", newSite(lists, &Deps{}, newBudget(lists)), template.HTML("<p>lent text</p>"))
	if err != nil || again != first {
		t.Errorf("the same item again: %q, %v; want %q", again, err, first)
	}
}
