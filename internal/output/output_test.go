package output

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func site(files map[string]string) *Site {
	s := &Site{Files: map[string]*File{}, BasePath: "/"}
	for p, d := range files {
		s.Files[p] = &File{Path: p, Data: []byte(d)}
	}
	return s
}

func TestWriteReplacesAndRemovesStaleFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := Write(context.Background(), site(map[string]string{"index.html": "one", "old/index.html": "gone soon"}), dir); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), site(map[string]string{"index.html": "two", "new/index.html": "new"}), dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "two" {
		t.Errorf("index.html = %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "old/index.html")); !os.IsNotExist(err) {
		t.Errorf("stale page survived")
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") || strings.Contains(e.Name(), ".old-") {
			t.Errorf("leftover %s", e.Name())
		}
	}
}

func TestFailedWriteKeepsPreviousOutput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := Write(context.Background(), site(map[string]string{"index.html": "good"}), dir); err != nil {
		t.Fatal(err)
	}
	bad := site(map[string]string{"index.html": "bad", "../escape.html": "x"})
	if err := Write(context.Background(), bad, dir); err == nil {
		t.Fatal("unsafe path accepted")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "good" {
		t.Errorf("previous output damaged: %q", b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Write(ctx, site(map[string]string{"index.html": "cancelled"}), dir); err == nil {
		t.Fatal("cancelled write succeeded")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "good" {
		t.Errorf("previous output damaged by a cancelled write: %q", b)
	}
}

func TestMinifyAndFingerprint(t *testing.T) {
	mf := NewMinifier()
	out, err := mf.Minify("a.html", []byte("<!DOCTYPE html>\n<html>  <body>\n  <p>  hi  </p>\n</body></html>"))
	if err != nil || strings.Contains(string(out), "  ") {
		t.Errorf("html not minified: %q %v", out, err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "static", "style.css"), []byte("body {  color : red ; }"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Project file overrides the default of the same name.
	defaults := os.DirFS(filepath.Join("..", ".."))
	a, err := LoadAssets(defaults, dir, nil, mf)
	if err != nil {
		t.Fatal(err)
	}
	p := a.Path("style.css")
	if !strings.HasPrefix(p, "static/style.") || !strings.HasSuffix(p, ".css") || p == "static/style.css" {
		t.Errorf("style.css not fingerprinted: %s", p)
	}
	for _, f := range a.Files {
		if f.Path == p && string(f.Data) != "body{color:red}" {
			t.Errorf("project style.css not used or not minified: %q", f.Data)
		}
	}
}

// JSON is minified as tdewolff's minifier does it (whitespace dropped,
// numbers shortened), in a page's JSON-LD as in a .json file, and a script
// that is not JSON is left to its own minifier or none; the page's other
// bytes come through whole. Many pages in parallel each get their own
// script back (the JSON minifier lends buffers).
func TestMinifyJSON(t *testing.T) {
	mf := NewMinifier()
	tests := []struct{ name, path, in, want string }{
		{"file", "a.json", `{ "a" : [ 1.50 , 2 ], "b" : "x  y" }`, `{"a":[1.5,2],"b":"x  y"}`},
		{"webmanifest", "site.webmanifest", "{\n  \"name\": \"D\"\n}", `{"name":"D"}`},
		{"JSON-LD", "p.html", `<!doctype html><html><head><script type="application/ld+json">{ "@type" : "NewsArticle", "wordCount" : 1.0e3 }</script></head><body><p>x</p></body></html>`,
			`<!doctype html><html><head><script type=application/ld+json>{"@type":"NewsArticle","wordCount":1e3}</script></head><body><p>x</p></body></html>`},
		{"empty JSON-LD", "p.html", `<html><head><script type="application/ld+json"></script></head></html>`, `<html><head><script type=application/ld+json></script></head></html>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					in := strings.ReplaceAll(tt.in, "NewsArticle", fmt.Sprintf("NewsArticle%d", i))
					want := strings.ReplaceAll(tt.want, "NewsArticle", fmt.Sprintf("NewsArticle%d", i))
					for range 50 {
						got, err := mf.Minify(tt.path, []byte(in))
						if err != nil || string(got) != want {
							t.Errorf("Minify(%s) = %q, %v; want %q", tt.path, got, err, want)
							return
						}
					}
				}()
			}
			wg.Wait()
		})
	}
}

// BenchmarkMinifyPage minifies a page the size of a long article's.
func BenchmarkMinifyPage(b *testing.B) {
	var page strings.Builder
	page.WriteString("<!doctype html><html lang=en><head><meta charset=utf-8><title>T</title></head><body>\n")
	for i := range 60 {
		fmt.Fprintf(&page, "  <p id=\"p%d\">  The minister said &quot;no&quot; to the <a href=\"/topics/x/\">plan</a>, and then  left.  </p>\n", i)
	}
	page.WriteString("</body></html>\n")
	mf := NewMinifier()
	b.SetBytes(int64(page.Len()))
	for b.Loop() {
		if _, err := mf.Minify("index.html", []byte(page.String())); err != nil {
			b.Fatal(err)
		}
	}
}

// A link to a folder inside the project (static/img -> ../shared/img, or
// static/ itself) is published like a folder of static/; one out of the
// project is an error naming it, and a link to a folder above it ends.
func TestStaticFollowsLinksInsideTheProject(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links")
	}
	defaults := os.DirFS(filepath.Join("..", ".."))
	write := func(p, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, name); err != nil {
			t.Fatal(err)
		}
	}
	names := func(a *Assets) map[string]bool {
		out := map[string]bool{}
		for _, f := range a.Files {
			out[f.Path] = true
		}
		return out
	}

	root := t.TempDir()
	write(filepath.Join(root, "shared", "img", "logo.txt"), "logo")
	write(filepath.Join(root, "static", "own.txt"), "own")
	link("../shared/img", filepath.Join(root, "static", "img"))
	link(".", filepath.Join(root, "static", "img-loop")) // static/img-loop -> static: a loop
	a, err := LoadAssets(defaults, root, nil, NewMinifier())
	if err != nil {
		t.Fatal(err)
	}
	got := names(a)
	for _, want := range []string{"static/img/logo.txt", "static/own.txt"} {
		if !got[want] {
			t.Errorf("%s not published; published %v", want, got)
		}
	}
	if got["static/img-loop/own.txt"] {
		t.Errorf("the loop was walked: %v", got)
	}

	// static/ itself a link to a folder of the project.
	root2 := t.TempDir()
	write(filepath.Join(root2, "shared", "static", "css", "x.txt"), "x")
	link("shared/static", filepath.Join(root2, "static"))
	if a, err = LoadAssets(defaults, root2, nil, NewMinifier()); err != nil {
		t.Fatal(err)
	}
	if !names(a)["static/css/x.txt"] {
		t.Errorf("static/ as a link: static/css/x.txt not published; published %v", names(a))
	}

	// Out of the project: refused, by name.
	outside := t.TempDir()
	write(filepath.Join(outside, "secret.txt"), "secret")
	link(outside, filepath.Join(root, "static", "elsewhere"))
	_, err = LoadAssets(defaults, root, nil, NewMinifier())
	if err == nil || !strings.Contains(err.Error(), "static/elsewhere") {
		t.Errorf("a link out of the project: %v, want an error naming static/elsewhere", err)
	}
}

// Editors' scratch files in static/ (an Emacs backup style.css~ or autosave
// #style.css#, vim's probe 4913, a download's .part) are not published,
// and do not fail the build: the preview's watcher ignores them
// (package scratch), so a preview that published them kept one after it
// was deleted, and an autosave, whose # a URL cannot hold, broke
// `dossier build` while the preview showed nothing wrong. A folder is
// skipped only when hidden: static/2013/ is published.
func TestStaticSkipsScratchFiles(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"style.css~", "#style.css#", "4913", "photo.jpg.part", ".style.css.swp", "2013/photo.txt", "own.txt"} {
		p := filepath.Join(root, "static", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a, err := LoadAssets(os.DirFS(filepath.Join("..", "..")), root, nil, NewMinifier())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range a.Files {
		if !strings.HasPrefix(f.Path, "static/") || f.Path == "static/own.txt" || f.Path == "static/2013/photo.txt" {
			got[f.Path] = true
			continue
		}
		for _, bad := range []string{"~", "#", "4913", ".part", ".swp"} {
			if strings.Contains(f.Path, bad) {
				t.Errorf("published %s", f.Path)
			}
		}
	}
	for _, want := range []string{"static/own.txt", "static/2013/photo.txt"} {
		if !got[want] {
			t.Errorf("%s not published", want)
		}
	}
}
