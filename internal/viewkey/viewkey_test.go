package viewkey

import (
	"html/template"
	"testing"
	"time"
)

type card struct {
	Title string
	N     int
	key   Key
}

func (c *card) ViewKey() Key { return c.key }

func newCard(title string, n int) *card {
	c := &card{Title: title, N: n}
	c.key = Fields(c)
	return c
}

type view struct {
	Title   string
	HTML    template.HTML
	Cards   []*card
	Tags    []string
	Meta    map[string]int
	Nested  *inner
	Any     any
	private string // a template cannot read it: not part of the key
}

type inner struct {
	On   bool
	Rate float64
}

func base() view {
	return view{Title: "t", HTML: "<p>x</p>", Cards: []*card{newCard("a", 1), newCard("b", 2)}, Tags: []string{"x", "y"},
		Meta: map[string]int{"a": 1, "b": 2}, Nested: &inner{On: true, Rate: 0.5}, Any: 3, private: "p"}
}

// Every exported field, however deep, changes the key; unexported ones do not.
func TestKeyFollowsEveryExportedField(t *testing.T) {
	k0 := Of(base())
	if Of(base()) != k0 {
		t.Fatal("same view, different keys")
	}
	edits := map[string]func(v *view){
		"Title":        func(v *view) { v.Title = "u" },
		"HTML":         func(v *view) { v.HTML = "<p>y</p>" },
		"card title":   func(v *view) { v.Cards[1] = newCard("c", 2) },
		"card count":   func(v *view) { v.Cards = v.Cards[:1] },
		"card order":   func(v *view) { v.Cards[0], v.Cards[1] = v.Cards[1], v.Cards[0] },
		"tag split":    func(v *view) { v.Tags = []string{"xy"} },
		"map value":    func(v *view) { v.Meta = map[string]int{"a": 1, "b": 3} },
		"nested bool":  func(v *view) { v.Nested = &inner{On: false, Rate: 0.5} },
		"nested float": func(v *view) { v.Nested = &inner{On: true, Rate: 0.25} },
		"nil pointer":  func(v *view) { v.Nested = nil },
		"any type":     func(v *view) { v.Any = "3" },
	}
	for name, edit := range edits {
		v := base()
		edit(&v)
		if Of(v) == k0 {
			t.Errorf("%s: key unchanged", name)
		}
	}
	v := base()
	v.private = "q"
	if Of(v) != k0 {
		t.Errorf("unexported field changed the key")
	}
}

// A Keyed part is hashed by its own key, not walked again.
func TestKeyedShortcut(t *testing.T) {
	c := newCard("a", 1)
	before := Of([]*card{c})
	c.Title = "changed without a new key" // never done: Keyed parts are immutable
	if Of([]*card{c}) != before {
		t.Errorf("a Keyed part was walked instead of using its key")
	}
}

// Map order never changes the key.
func TestMapOrder(t *testing.T) {
	m := map[string]int{}
	for i := 0; i < 50; i++ {
		m[string(rune('a'+i%26))+string(rune('a'+i/26))] = i
	}
	k := Of(m)
	for i := 0; i < 20; i++ {
		if Of(m) != k {
			t.Fatal("map key depends on iteration order")
		}
	}
}

// A func in a view panics, every time: the encoder cache keeps no
// half-made entry that a later call would wait on forever (a second call
// hung, as did go test -count=2).
func TestRejectsFuncs(t *testing.T) {
	type withFunc struct {
		Name string
		F    func()
		Next *withFunc
	}
	for i, v := range []any{struct{ F func() }{}, struct{ F func() }{}, &withFunc{}, []withFunc{{}}, &withFunc{}} {
		done := make(chan any, 1)
		go func() {
			defer func() { done <- recover() }()
			Of(v)
		}()
		select {
		case r := <-done:
			if r == nil {
				t.Errorf("%d %T: a func in a view was accepted", i, v)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%d %T: no panic within 10s: the key waits forever", i, v)
		}
	}
}

type tree struct {
	Name     string
	Children []*tree
}

// Recursive types are fine (values are trees).
func TestRecursiveType(t *testing.T) {
	a := &tree{Name: "root", Children: []*tree{{Name: "a"}, {Name: "b"}}}
	b := &tree{Name: "root", Children: []*tree{{Name: "a"}, {Name: "c"}}}
	if Of(a) == Of(b) {
		t.Error("leaf change not seen")
	}
}

// Card is exported: embedded fields of unexported types are unexported,
// and templates cannot read them either.
type Card struct {
	Title string
	key   Key
}

func (c *Card) ViewKey() Key { return c.key }

type page struct {
	*Card // promotes ViewKey, which covers the card only
	Items []string
}

// A view embedding a Keyed part is walked, not keyed by the part.
func TestEmbeddedKeyedPartDoesNotKeyTheView(t *testing.T) {
	c := &Card{Title: "a"}
	c.key = Fields(c)
	if Of(&page{Card: c, Items: []string{"x"}}) == Of(&page{Card: c, Items: []string{"y"}}) {
		t.Error("a field beside an embedded Keyed part did not change the key")
	}
}
