package testsite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/testsite"
)

// The fixture must build cleanly and hold what its exported slug lists say.
func TestFixtureBuilds(t *testing.T) {
	root := testsite.New(t)
	res, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err != nil {
		t.Fatalf("fixture does not build:\n%v", err)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("fixture has warnings:\n%v", res.Warnings)
	}
	for dir, slugs := range map[string][]string{"articles": testsite.Articles, "topics": testsite.Topics, "entities": testsite.Entities, "claims": testsite.Claims} {
		entries, err := os.ReadDir(filepath.Join(root, "content", dir))
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != len(slugs) {
			t.Errorf("%s: %d files, the package lists %d", dir, len(entries), len(slugs))
		}
		for _, s := range slugs {
			if _, ok := res.Site.Files[dir+"/"+s+"/index.html"]; !ok {
				t.Errorf("no page %s/%s/", dir, s)
			}
		}
	}
}
