// Package testsite is the engine tests' own small dossier, as Zola's
// components/site/test_site: three fictional articles on a port strike with
// topics, people, claims, annotations and a timeline. Engine tests build it
// (or a copy they edit) instead of the bundled dossier, which editors change.
// Tests may rely on its slugs and counts; nothing else should.
package testsite

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

//go:embed all:site/content
var files embed.FS

// Slugs of the fixture's articles, topics, entities and claims.
var (
	Articles = []string{"dockers-walk-out", "minister-meets-union", "strike-spreads-to-rail"}
	Topics   = []string{"shipping", "strike", "wages"}
	Entities = []string{"calden", "jonas-pereira", "mara-okafor", "port-authority-of-calden", "zoe-brandt"}
	Claims   = []string{"cargo-losses", "strike-turnout"}
)

// BaseURL is the fixture's baseURL in dossier.yaml.
const BaseURL = "https://example.org/calden/"

// FS returns the fixture project (a folder holding content/) as a read-only file system.
func FS() fs.FS {
	sub, err := fs.Sub(files, "site")
	if err != nil {
		panic(err) // the embedded folder is fixed at compile time
	}
	return sub
}

// New copies the fixture project into a fresh temporary folder and returns
// the folder; tests edit the copy freely.
func New(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := CopyTo(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// CopyTo copies the fixture project into dir (which holds content/ afterwards).
func CopyTo(dir string) error {
	return fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := fs.ReadFile(FS(), p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// Write writes a file of the project at root (rel is slash-separated, e.g.
// "content/articles/x.md"), creating folders as needed.
func Write(t testing.TB, root, rel, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Read returns a file of the project at root.
func Read(t testing.TB, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Article returns the source of a minimal valid article, for tests that add
// articles: title, outlet, date (2024-03-DD, day in 1..28), topics and body.
func Article(title, outlet string, day int, topics []string, body string) string {
	return fmt.Sprintf("---\ntitle: %q\noutlet: %q\ndate: 2024-03-%02d\ntopics: [%s]\nsummary: %q\n---\n\n%s\n",
		title, outlet, day, strings.Join(topics, ", "), "A test article: "+title+".", body)
}

// Unverify drops the `original:` line of every article of the project at
// root: for tests that edit the fixture's article text, which the provenance
// check would (rightly) hold against the articles' originals.
func Unverify(t testing.TB, root string) {
	t.Helper()
	dir := filepath.Join(root, "content", "articles")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range strings.SplitAfter(string(b), "\n") {
			if !strings.HasPrefix(l, "original: ") {
				out = append(out, l)
			}
		}
		if err := os.WriteFile(p, []byte(strings.Join(out, "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
