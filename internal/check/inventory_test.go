package check

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/testsite"
)

// The inventory a check gathers from a streamed build is the one of the same
// site built in memory: every file, and every page's ids and links.
func TestStreamedInventoryEqualsInMemory(t *testing.T) {
	root := testsite.New(t)
	res, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := inventoryOf(res.Site)
	sc := newScanner()
	res2, err := build.New(build.Options{Root: root, Sink: sc}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := sc.inventory(res2.Graph.BasePath)
	if !slices.Equal(got.paths(), want.paths()) || len(got.paths()) != res2.Files {
		t.Fatalf("streamed inventory has %d files, in memory %d, build says %d", len(got.paths()), len(want.paths()), res2.Files)
	}
	if len(want.pages) == 0 {
		t.Fatal("no pages")
	}
	for p, w := range want.pages {
		g := got.pages[p]
		if g == nil || !slices.Equal(g.sorted, w.sorted) || !maps.Equal(g.dups, w.dups) || !slices.Equal(g.links, w.links) {
			t.Errorf("%s: streamed page info differs from the in-memory one", p)
		}
	}
	if got.basePath != want.basePath {
		t.Errorf("base path %q, want %q", got.basePath, want.basePath)
	}
}

// A compacted page answers as the scanned one did: how often each id is
// used, which ids are used twice, its links.
func TestPageInfoCompact(t *testing.T) {
	page := []byte(`<h2 id="a">A</h2><p id="b">x</p><p id="b">y</p><a name="c" href="/x/#a">c</a><img src="/i.png" id="d">`)
	want := scan(page)
	got := scan(page)
	got.compact(func(s string) string { return s })
	for _, id := range []string{"a", "b", "c", "d", "e", ""} {
		if got.count(id) != want.count(id) {
			t.Errorf("count(%q) = %d, want %d", id, got.count(id), want.count(id))
		}
	}
	if want.count("b") != 2 || len(got.dups) != 1 || got.dups["b"] != 2 {
		t.Errorf("dups = %v, want b used twice", got.dups)
	}
	if !slices.Equal(got.links, want.links) {
		t.Errorf("links %v, want %v", got.links, want.links)
	}
}
