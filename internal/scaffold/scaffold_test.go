package scaffold

import (
	"os"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/content"
)

func TestNewWritesValidFrontMatterAndNeverOverwrites(t *testing.T) {
	root := t.TempDir()
	for _, kind := range []string{"article", "topic", "entity", "claim"} {
		p, err := New(root, kind, "Kerry's Moscow Talks")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(p, "kerrys-moscow-talks.md") {
			t.Errorf("%s path = %s", kind, p)
		}
		data, _ := os.ReadFile(p)
		dir := map[string]string{"article": content.ArticlesDir, "topic": content.TopicsDir, "entity": content.EntitiesDir, "claim": content.ClaimsDir}[kind]
		if _, ps := content.ParseFile(dir, "content/"+dir+"/kerrys-moscow-talks.md", data); len(ps) > 0 {
			t.Errorf("%s scaffold does not parse: %v", kind, ps)
		}
		if _, err := New(root, kind, "Kerry's Moscow Talks"); err == nil {
			t.Errorf("%s: second New overwrote the file", kind)
		}
	}
	if _, err := New(root, "gossip", "x"); err == nil {
		t.Error("unknown kind accepted")
	}
}
