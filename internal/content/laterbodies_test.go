package content

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/diag"
)

// Loaded with LaterBodies, articles hold no text; ArticleBody reads the very
// text Load would have given, and refuses a file saved since it was loaded.
func TestLaterBodies(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"a.md":     "---\ntitle: A\noutlet: O\ndate: 2013-05-07\n---\nFirst paragraph.\n\nSecond, with *emphasis*.\n",
		"empty.md": "---\ntitle: E\noutlet: O\ndate: 2013-05-08\n---\n",
		"crlf.md":  "\xef\xbb\xbf---\r\ntitle: C\r\noutlet: O\r\ndate: 2013-05-09\r\n---\r\nWindows text.\r\n",
	}
	for name, s := range files {
		p := filepath.Join(root, "content", "articles", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	full, err := Load(context.Background(), root)
	if ps, _ := err.(diag.List); full == nil || len(ps.Errors()) > 0 {
		t.Fatal(err)
	}
	later, err2 := LoadWith(context.Background(), root, LoadOptions{LaterBodies: true})
	if ps, _ := err2.(diag.List); later == nil || len(ps.Errors()) > 0 {
		t.Fatal(err2)
	}
	// The same problems: "no text" is still said of the empty article only.
	if fmt.Sprint(err) != fmt.Sprint(err2) || strings.Count(fmt.Sprint(err2), "has no text") != 1 {
		t.Errorf("problems differ:\n%v\nwith LaterBodies:\n%v", err, err2)
	}
	if len(later.Articles) != len(files) || len(full.Articles) != len(files) {
		t.Fatalf("loaded %d and %d articles, want %d", len(later.Articles), len(full.Articles), len(files))
	}
	for i, a := range later.Articles {
		if a.Body != nil {
			t.Errorf("%s: Body kept with LaterBodies", a.File)
		}
		body, ps := later.ArticleBody(a)
		if len(ps) > 0 {
			t.Errorf("%s: %v", a.File, ps)
		}
		if want := full.Articles[i].Body; !bytes.Equal(body, want) {
			t.Errorf("%s: ArticleBody = %q, Load's Body = %q", a.File, body, want)
		}
	}
	// Saved again after the load: the build must not mix two versions.
	a := later.Articles[0]
	p := filepath.Join(root, filepath.FromSlash(a.File))
	if err := os.WriteFile(p, []byte(files["a.md"]+"\nAdded.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ps := later.ArticleBody(a); len(ps) != 1 || !strings.Contains(ps.Error(), a.File) || !strings.Contains(ps.Error(), "build again") {
		t.Errorf("a file changed since the load gave %v", ps)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if _, ps := later.ArticleBody(a); len(ps) != 1 || !strings.Contains(ps.Error(), a.File) || !strings.Contains(ps.Error(), "removed while") {
		t.Errorf("a file removed since the load gave %v", ps)
	}
}
