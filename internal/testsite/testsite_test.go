package testsite_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
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

// A generated corpus builds, and the same seed gives the same files.
func TestGenerateCorpus(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := testsite.GenerateCorpus(a, 40, 7); err != nil {
		t.Fatal(err)
	}
	if err := testsite.GenerateCorpus(b, 40, 7); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(a, "content", "articles"))
	if len(entries) != 40 {
		t.Fatalf("%d articles, want 40", len(entries))
	}
	for _, e := range entries {
		x, _ := os.ReadFile(filepath.Join(a, "content", "articles", e.Name()))
		y, _ := os.ReadFile(filepath.Join(b, "content", "articles", e.Name()))
		if string(x) != string(y) {
			t.Errorf("%s differs between two runs with the same seed", e.Name())
		}
	}
	res, err := build.New(build.Options{Root: a}).Build(context.Background(), nil)
	if err != nil {
		t.Fatalf("generated corpus does not build:\n%v", err)
	}
	if _, ok := res.Site.Files["articles/"+strings.TrimSuffix(entries[0].Name(), ".md")+"/index.html"]; !ok {
		t.Errorf("no page for %s", entries[0].Name())
	}
}
