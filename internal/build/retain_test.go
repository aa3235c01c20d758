package build_test

import (
	"context"
	"runtime"
	"testing"
	"weak"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/testsite"
	"github.com/dossier-news/dossier/internal/testtool"
)

// A preview rebuilds on every save: what a build lends the next must not
// keep the builds before it alive, or its memory grows with every save.
func TestRebuildsDoNotKeepEarlierBuilds(t *testing.T) {
	root := testsite.New(t)
	testsite.Unverify(t, root)
	b := build.New(build.Options{Root: root, DeferSearch: true})
	first := mustBuild(t, b, nil)
	w := weak.Make(first.Graph)
	first = nil
	rel := "content/articles/" + testsite.Articles[0] + ".md"
	src := testsite.Read(t, root, rel)
	for i := range 3 {
		testsite.Write(t, root, rel, src+"\nAnother sentence, number "+string(rune('a'+i))+".\n")
		mustBuild(t, b, []string{rel})
		if _, err := b.RefreshSearch(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	testtool.Collected(t, w, "the first build's site graph, three rebuilds later,")
	runtime.KeepAlive(b)
}
