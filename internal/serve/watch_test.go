package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var startFiles = map[string]string{
	"content/dossier.yaml":     "title: Test\n",
	"content/articles/x.md":    "---\ntitle: X\n---\nfirst version\n",
	"content/articles/y.md":    "---\ntitle: Y\n---\nwhy\n",
	"content/topics/syria.md":  "---\ntitle: Syria\n---\n",
	"templates/base.html":      "{{.}}",
	"static/style.css":         "body{}",
	"README.md":                "not watched",
	"content/articles/.hidden": "ignored",
}

// wantBody waits until url serves a body containing s.
func wantBody(t *testing.T, url, s string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, body := get(t, url)
		if resp.StatusCode == 200 && strings.Contains(body, s) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s, body lacks %q: %q", url, resp.Status, s, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func wantChanged(t *testing.T, fb *fakeBuilder, want ...string) {
	t.Helper()
	if got := fb.lastChanged(); !reflect.DeepEqual(got, want) {
		t.Errorf("changed %q, want %q", got, want)
	}
}

func TestWatchCreateEditDelete(t *testing.T) {
	p := startProject(t, startFiles)
	if got := p.fb.lastChanged(); got != nil {
		t.Errorf("first build changed = %q, want nil (everything)", got)
	}
	wantBody(t, p.url+"/articles/x/", "first version")

	p.write(t, "content/articles/new.md", "---\ntitle: New\n---\nbrand new\n")
	p.fb.settle(t, 2)
	wantChanged(t, p.fb, "content/articles/new.md")
	wantBody(t, p.url+"/articles/new/", "brand new")
	waitLog(t, p.log, "rebuilt in ")
	waitLog(t, p.log, "(changed content/articles/new.md)")

	p.write(t, "content/articles/x.md", "---\ntitle: X\n---\nsecond version\n")
	p.fb.settle(t, 3)
	wantChanged(t, p.fb, "content/articles/x.md")
	wantBody(t, p.url+"/articles/x/", "second version")

	if err := os.Remove(p.path("content/articles/new.md")); err != nil {
		t.Fatal(err)
	}
	p.fb.settle(t, 4)
	wantChanged(t, p.fb, "content/articles/new.md")
	if resp, _ := get(t, p.url+"/articles/new/"); resp.StatusCode != 404 {
		t.Errorf("deleted article: %s", resp.Status)
	}

	// dossier.yaml, templates and static are watched too.
	n := 4
	for _, rel := range []string{"content/dossier.yaml", "templates/base.html", "static/style.css"} {
		p.write(t, rel, "changed "+rel)
		n++
		p.fb.settle(t, n)
		wantChanged(t, p.fb, rel)
	}
	// Files outside the watched folders are not.
	p.write(t, "README.md", "edited")
	p.write(t, "notes.txt", "new")
	p.fb.settle(t, n)
}

// Atomic saves as editors do them: the file is replaced by a rename.
func TestWatchAtomicSaves(t *testing.T) {
	p := startProject(t, startFiles)
	x := p.path("content/articles/x.md")
	dir := filepath.Dir(x)
	n := 1
	for _, tc := range []struct {
		editor string
		save   func(content string) error
	}{
		{"write temp + rename (VS Code, renameio)", func(c string) error {
			tmp := filepath.Join(dir, ".x.md.tmp-12345")
			if err := os.WriteFile(tmp, []byte(c), 0o644); err != nil {
				return err
			}
			return os.Rename(tmp, x)
		}},
		{"vim (4913 probe, backup x.md~, write, drop backup)", func(c string) error {
			probe := filepath.Join(dir, "4913")
			if err := os.WriteFile(probe, nil, 0o644); err != nil {
				return err
			}
			os.Remove(probe)
			if err := os.WriteFile(filepath.Join(dir, ".x.md.swp"), []byte("swap"), 0o644); err != nil {
				return err
			}
			if err := os.Rename(x, x+"~"); err != nil {
				return err
			}
			if err := os.WriteFile(x, []byte(c), 0o644); err != nil {
				return err
			}
			os.Remove(filepath.Join(dir, ".x.md.swp"))
			return os.Remove(x + "~")
		}},
		{"JetBrains safe write", func(c string) error {
			tmp, old := x+"___jb_tmp___", x+"___jb_old___"
			if err := os.WriteFile(tmp, []byte(c), 0o644); err != nil {
				return err
			}
			if err := os.Rename(x, old); err != nil {
				return err
			}
			if err := os.Rename(tmp, x); err != nil {
				return err
			}
			return os.Remove(old)
		}},
		{"Emacs (lock, autosave, backup)", func(c string) error {
			if err := os.Symlink("user@host.1234:1", filepath.Join(dir, ".#x.md")); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, "#x.md#"), []byte(c), 0o644); err != nil {
				return err
			}
			if err := os.Rename(x, x+"~"); err != nil {
				return err
			}
			if err := os.WriteFile(x, []byte(c), 0o644); err != nil {
				return err
			}
			os.Remove(filepath.Join(dir, "#x.md#"))
			return os.Remove(filepath.Join(dir, ".#x.md"))
		}},
	} {
		text := fmt.Sprintf("saved by %s", tc.editor)
		if err := tc.save("---\ntitle: X\n---\n" + text + "\n"); err != nil {
			t.Fatalf("%s: %v", tc.editor, err)
		}
		n++
		p.fb.settle(t, n)
		wantChanged(t, p.fb, "content/articles/x.md")
		wantBody(t, p.url+"/articles/x/", text)
	}
}

func TestWatchNewSubfolder(t *testing.T) {
	p := startProject(t, startFiles)
	// A file written right after its folder is created, before the watcher
	// could add the folder.
	p.write(t, "content/claims/toll.md", "the toll")
	p.fb.settle(t, 2)
	wantChanged(t, p.fb, "content/claims/toll.md")
	wantBody(t, p.url+"/claims/toll/", "the toll")

	// Later files in the new folder are seen: it is watched.
	p.write(t, "content/claims/vetoes.md", "three vetoes")
	p.fb.settle(t, 3)
	wantChanged(t, p.fb, "content/claims/vetoes.md")
	wantBody(t, p.url+"/claims/vetoes/", "three vetoes")

	// Nested folders created at once (mkdir -p), then a file deep inside.
	if err := os.MkdirAll(p.path("content/a/b/c"), 0o755); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // empty folders change nothing: no build
	p.write(t, "content/a/b/c/deep.md", "deep down")
	p.fb.settle(t, 4)
	wantChanged(t, p.fb, "content/a/b/c/deep.md")

	// A folder moved in from elsewhere, with files.
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "moved/one.md"), "one")
	writeFile(t, filepath.Join(outside, "moved/sub/two.md"), "two")
	if err := os.Rename(filepath.Join(outside, "moved"), p.path("content/moved")); err != nil {
		t.Fatal(err)
	}
	p.fb.settle(t, 5)
	wantChanged(t, p.fb, "content/moved/one.md", "content/moved/sub/two.md")
	p.write(t, "content/moved/sub/three.md", "three")
	p.fb.settle(t, 6)
	wantChanged(t, p.fb, "content/moved/sub/three.md")

	// A subfolder deleted: a full rebuild, its pages are gone.
	if err := os.RemoveAll(p.path("content/claims")); err != nil {
		t.Fatal(err)
	}
	p.fb.settle(t, 7)
	if resp, _ := get(t, p.url+"/claims/toll/"); resp.StatusCode != 404 {
		t.Errorf("deleted folder's page: %s", resp.Status)
	}
	// A subfolder renamed: the new name is watched, the old one forgotten.
	if err := os.Rename(p.path("content/moved"), p.path("content/renamed")); err != nil {
		t.Fatal(err)
	}
	p.fb.settle(t, 8)
	p.write(t, "content/renamed/sub/four.md", "four")
	p.fb.settle(t, 9)
	wantChanged(t, p.fb, "content/renamed/sub/four.md")
	wantBody(t, p.url+"/renamed/sub/four/", "four")
}

// A burst of writes (git checkout, a formatter) is one rebuild.
func TestWatchBurstIsOneRebuild(t *testing.T) {
	p := startProject(t, startFiles)
	for burst := 1; burst <= 3; burst++ {
		var want []string
		for i := 0; i < 200; i++ {
			rel := fmt.Sprintf("content/articles/burst-%03d.md", i)
			p.write(t, rel, fmt.Sprintf("burst %d file %d", burst, i))
			want = append(want, rel)
		}
		p.fb.settle(t, 1+burst)
		wantChanged(t, p.fb, want...)
		wantBody(t, p.url+"/articles/burst-199/", fmt.Sprintf("burst %d file 199", burst))
	}
	// Deleting them is one burst too.
	for i := 0; i < 200; i++ {
		os.Remove(p.path(fmt.Sprintf("content/articles/burst-%03d.md", i)))
	}
	p.fb.settle(t, 5)
	if got := len(p.fb.lastChanged()); got != 200 {
		t.Errorf("delete burst changed %d paths, want 200", got)
	}
}

// Changes made during a slow build are coalesced into the next one.
func TestWatchChangesDuringBuild(t *testing.T) {
	p := startProject(t, startFiles)
	p.fb.mu.Lock()
	p.fb.delay = 300 * time.Millisecond
	p.fb.mu.Unlock()
	p.write(t, "content/articles/a.md", "a")
	time.Sleep(150 * time.Millisecond) // the build of a.md has started
	p.write(t, "content/articles/b.md", "b")
	time.Sleep(100 * time.Millisecond)
	p.write(t, "content/articles/c.md", "c")
	p.fb.settle(t, 3)
	wantChanged(t, p.fb, "content/articles/b.md", "content/articles/c.md")
}

func TestWatchIgnoresEditorFiles(t *testing.T) {
	p := startProject(t, startFiles)
	dir := p.path("content/articles")
	for _, name := range []string{".x.md.swp", ".x.md.swx", "x.md.swp", "x.md~", ".#x.md", "4913", "5036",
		".DS_Store", "x.md.tmp", "#x.md#", "sedtzeGOj", "x.md___jb_tmp___", "x.md___jb_old___", ".hidden.md", "x.md.kate-swp"} {
		writeFile(t, filepath.Join(dir, name), "junk")
	}
	if err := os.Mkdir(p.path("content/.git"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, p.path("content/.git/index"), "junk")
	for _, name := range []string{"x.md~", "4913", ".DS_Store"} {
		os.Remove(filepath.Join(dir, name))
	}
	// A mode change alone does not rebuild either.
	os.Chmod(p.path("content/articles/x.md"), 0o600)
	time.Sleep(200 * time.Millisecond)
	p.fb.settle(t, 1)
	for _, name := range []string{".x.md.swp", "x.md~", "4913", ".#x.md", "#x.md#", "x.tmp", ".DS_Store", "x.md___jb_tmp___"} {
		if !ignored(name) {
			t.Errorf("%s not ignored", name)
		}
	}
	for _, name := range []string{"x.md", "dossier.yaml", "style.css", "2013-05-07-kerry.md", "a~b.md"} {
		if ignored(name) {
			t.Errorf("%s ignored", name)
		}
	}
}

// The watched folder itself removed or renamed, then back.
func TestWatchFolderRemovedAndBack(t *testing.T) {
	p := startProject(t, startFiles)
	content := p.path("content")

	if err := os.RemoveAll(content); err != nil {
		t.Fatal(err)
	}
	waitLog(t, p.log, "content/ was removed or renamed")
	p.fb.settle(t, 1) // nothing to build from: the last good site stays
	wantBody(t, p.url+"/articles/x/", "first version")

	writeFile(t, filepath.Join(content, "articles/x.md"), "recreated")
	p.fb.settle(t, 2)
	waitLog(t, p.log, "content/ is there; rebuilding")
	wantBody(t, p.url+"/articles/x/", "recreated")
	// And it is watched again, recursively.
	p.write(t, "content/articles/x.md", "edited after the return")
	p.fb.settle(t, 3)
	wantChanged(t, p.fb, "content/articles/x.md")
	wantBody(t, p.url+"/articles/x/", "edited after the return")

	// Renamed away and back (a branch switch done by hand).
	if err := os.Rename(content, content+".away"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	// Writes in the renamed folder are not this project's business.
	writeFile(t, filepath.Join(content+".away", "articles/x.md"), "written while away")
	p.fb.settle(t, 3)
	if err := os.Rename(content+".away", content); err != nil {
		t.Fatal(err)
	}
	p.fb.settle(t, 4)
	wantBody(t, p.url+"/articles/x/", "written while away")
	p.write(t, "content/articles/x.md", "back home")
	p.fb.settle(t, 5)
	wantChanged(t, p.fb, "content/articles/x.md")

	// Replaced at once (rm -rf && recreate before any event is handled).
	tmp := content + ".new"
	writeFile(t, filepath.Join(tmp, "articles/x.md"), "replaced")
	if err := os.RemoveAll(content); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, content); err != nil {
		t.Fatal(err)
	}
	// (Under extreme disk load a slow rm -rf may also let a build of the
	// half-removed folder through: only recovery is asserted here.)
	p.fb.waitCalls(t, 6)
	wantBody(t, p.url+"/articles/x/", "replaced")
	n := p.fb.quiesce(t)
	p.write(t, "content/articles/x.md", "still watched")
	p.fb.settle(t, n+1)
	wantChanged(t, p.fb, "content/articles/x.md")
}

// templates/ and static/ are optional: created later, they are watched.
func TestWatchOptionalFoldersCreatedLater(t *testing.T) {
	files := copyFiles(startFiles)
	delete(files, "templates/base.html")
	delete(files, "static/style.css")
	p := startProject(t, files)
	p.write(t, "templates/article.html", "<article>")
	p.fb.settle(t, 2)
	if got := p.fb.lastChanged(); got != nil {
		t.Errorf("templates/ appearing: changed %q, want nil (everything)", got)
	}
	p.write(t, "templates/article.html", "<article class=x>")
	p.fb.settle(t, 3)
	wantChanged(t, p.fb, "templates/article.html")

	// Removing templates/ is a change (back to the built-in templates).
	if err := os.RemoveAll(p.path("templates")); err != nil {
		t.Fatal(err)
	}
	p.fb.settle(t, 4)
	waitLog(t, p.log, "templates/ was removed or renamed")
}

// The Watcher on its own, without HTTP.
func TestWatcherBatches(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/articles/x.md"), "x")
	w, err := NewWatcher(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	next := func() []string {
		t.Helper()
		select {
		case b, ok := <-w.C:
			if !ok {
				t.Fatal("C closed")
			}
			return b
		case <-time.After(5 * time.Second):
			t.Fatal("no batch")
		}
		return nil
	}
	writeFile(t, filepath.Join(root, "content/articles/x.md"), "x2")
	writeFile(t, filepath.Join(root, "content/articles/y.md"), "y")
	os.Remove(filepath.Join(root, "content/articles/y.md"))
	if b := next(); !reflect.DeepEqual(b, []string{"content/articles/x.md", "content/articles/y.md"}) {
		t.Errorf("batch %q", b)
	}
	// Nobody reads C for a while: changes accumulate into one batch.
	writeFile(t, filepath.Join(root, "content/a.md"), "a")
	time.Sleep(300 * time.Millisecond)
	writeFile(t, filepath.Join(root, "static/s.css"), "s")
	time.Sleep(300 * time.Millisecond)
	// static/ did not exist at start: its appearance means "everything" (nil).
	if b := next(); b != nil {
		t.Errorf("batch %q, want nil", b)
	}
	writeFile(t, filepath.Join(root, "static/s.css"), "s2")
	if b := next(); !reflect.DeepEqual(b, []string{"static/s.css"}) {
		t.Errorf("batch %q", b)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-w.C; ok {
		t.Error("C not closed by Close")
	}
	if _, err := NewWatcher(filepath.Join(root, "nope"), nil); err == nil {
		t.Error("watching a missing project folder: no error")
	}
}
