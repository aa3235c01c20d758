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
		if g == nil || !maps.Equal(g.ids, w.ids) || !slices.Equal(g.links, w.links) {
			t.Errorf("%s: streamed page info differs from the in-memory one", p)
		}
	}
	if got.basePath != want.basePath {
		t.Errorf("base path %q, want %q", got.basePath, want.basePath)
	}
}
