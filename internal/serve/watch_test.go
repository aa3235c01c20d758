package serve

import (
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The watcher tests run in parallel: each has its own project, and most of
// their time is the watcher's debounce. They wait for what they expect with
// the tracker (tracker_test.go), never for a fixed time.

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

// wantBody asserts that url serves a body containing s. Called after a
// check (rebuilt, noBuild): the build is published by then.
func wantBody(t *testing.T, url, s string) {
	t.Helper()
	if resp, body := get(t, url); resp.StatusCode != 200 || !strings.Contains(body, s) {
		t.Errorf("%s: %s, body lacks %q: %q", url, resp.Status, s, body)
	}
}

// wantChanged compares what the builds were told changed (nil: everything).
func wantChanged(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changed %q, want %q", got, want)
	}
}

func TestWatchCreateEditDelete(t *testing.T) {
	t.Parallel()
	p := startProject(t, startFiles)
	if got := p.fb.lastChanged(); got != nil {
		t.Errorf("first build changed = %q, want nil (everything)", got)
	}
	wantBody(t, p.url+"/articles/x/", "first version")

	p.write(t, "content/articles/new.md", "---\ntitle: New\n---\nbrand new\n")
	wantChanged(t, p.rebuilt(t), "content/articles/new.md")
	wantBody(t, p.url+"/articles/new/", "brand new")
	waitLog(t, p.log, "rebuilt in ")
	waitLog(t, p.log, "(changed content/articles/new.md)")

	p.write(t, "content/articles/x.md", "---\ntitle: X\n---\nsecond version\n")
	wantChanged(t, p.rebuilt(t), "content/articles/x.md")
	wantBody(t, p.url+"/articles/x/", "second version")

	if err := os.Remove(p.path("content/articles/new.md")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/articles/new.md")
	if resp, _ := get(t, p.url+"/articles/new/"); resp.StatusCode != 404 {
		t.Errorf("deleted article: %s", resp.Status)
	}

	// dossier.yaml, templates and static are watched too.
	for _, rel := range []string{"content/dossier.yaml", "templates/base.html", "static/style.css"} {
		p.write(t, rel, "changed "+rel)
		wantChanged(t, p.rebuilt(t), rel)
	}
	// Files outside the watched folders are not.
	p.write(t, "README.md", "edited")
	p.write(t, "notes.txt", "new")
	p.noBuild(t)
}

// Atomic saves as editors do them: the file is replaced by a rename.
func TestWatchAtomicSaves(t *testing.T) {
	t.Parallel()
	p := startProject(t, startFiles)
	x := p.path("content/articles/x.md")
	dir := filepath.Dir(x)
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
		{"perl -i, sed -i (temp file without extension, renamed)", func(c string) error {
			tmp := filepath.Join(dir, "XXbr4WBr")
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
		wantChanged(t, p.rebuilt(t), "content/articles/x.md")
		wantBody(t, p.url+"/articles/x/", text)
	}
}

func TestWatchNewSubfolder(t *testing.T) {
	t.Parallel()
	p := startProject(t, startFiles)
	// A file written right after its folder is created, before the watcher
	// could add the folder.
	p.write(t, "content/claims/toll.md", "the toll")
	wantChanged(t, p.rebuilt(t), "content/claims/toll.md")
	wantBody(t, p.url+"/claims/toll/", "the toll")

	// Later files in the new folder are seen: it is watched.
	p.write(t, "content/claims/vetoes.md", "three vetoes")
	wantChanged(t, p.rebuilt(t), "content/claims/vetoes.md")
	wantBody(t, p.url+"/claims/vetoes/", "three vetoes")

	// Nested folders created at once (mkdir -p), then a file deep inside.
	if err := os.MkdirAll(p.path("content/a/b/c"), 0o755); err != nil {
		t.Fatal(err)
	}
	p.noBuild(t) // empty folders change nothing
	// ... but one in an articles, topics, entities or claims folder, which
	// the build warns it does not read.
	if err := os.Mkdir(p.path("content/articles/drafts"), 0o755); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/articles/drafts")
	if err := os.Mkdir(p.path("content/articles/.drafts"), 0o755); err != nil {
		t.Fatal(err)
	}
	p.noBuild(t) // hidden: not warned about
	p.write(t, "content/a/b/c/deep.md", "deep down")
	wantChanged(t, p.rebuilt(t), "content/a/b/c/deep.md")

	// A folder moved in from elsewhere, with files.
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "moved/one.md"), "one")
	writeFile(t, filepath.Join(outside, "moved/sub/two.md"), "two")
	if err := os.Rename(filepath.Join(outside, "moved"), p.path("content/moved")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/moved/one.md", "content/moved/sub/two.md")
	p.write(t, "content/moved/sub/three.md", "three")
	wantChanged(t, p.rebuilt(t), "content/moved/sub/three.md")

	// A subfolder deleted: a full rebuild, its pages are gone.
	if err := os.RemoveAll(p.path("content/claims")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t)) // everything: which files went is not known
	if resp, _ := get(t, p.url+"/claims/toll/"); resp.StatusCode != 404 {
		t.Errorf("deleted folder's page: %s", resp.Status)
	}
	// A subfolder renamed: the new name is watched, the old one forgotten.
	if err := os.Rename(p.path("content/moved"), p.path("content/renamed")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t))
	p.write(t, "content/renamed/sub/four.md", "four")
	wantChanged(t, p.rebuilt(t), "content/renamed/sub/four.md")
	wantBody(t, p.url+"/renamed/sub/four/", "four")
}

// A burst of writes (git checkout, a formatter) is one rebuild.
//
// Not parallel: a stall of the machine in the middle of a burst splits it
// (rightly, see explainSplits), so it runs alone, where the strict case (no
// stall, one rebuild) is the likely one.
func TestWatchBurstIsOneRebuild(t *testing.T) {
	p := startProject(t, startFiles)
	for burst := 1; burst <= 3; burst++ {
		var want []string
		for i := 0; i < 200; i++ {
			rel := fmt.Sprintf("content/articles/burst-%03d.md", i)
			p.write(t, rel, fmt.Sprintf("burst %d file %d", burst, i))
			want = append(want, rel)
		}
		wantChanged(t, p.rebuilt(t), want...)
		wantBody(t, p.url+"/articles/burst-199/", fmt.Sprintf("burst %d file 199", burst))
	}
	// Deleting them is one burst too.
	for i := 0; i < 200; i++ {
		os.Remove(p.path(fmt.Sprintf("content/articles/burst-%03d.md", i)))
	}
	if got := len(p.rebuilt(t)); got != 200 {
		t.Errorf("delete burst changed %d paths, want 200", got)
	}
}

// Changes made during a slow build are coalesced into the next one.
func TestWatchChangesDuringBuild(t *testing.T) {
	t.Parallel()
	p := startProject(t, startFiles)
	// Each file appears by a rename: one event, which a stalled machine
	// cannot split into two batches.
	release := p.fb.holdBuilds()
	p.save(t, "content/articles/a.md", "a")
	p.fb.waitStarted(t) // the build of a.md has started, and lasts
	p.save(t, "content/articles/b.md", "b")
	p.tr.held(t, p.root) // b's batch is due, waiting for the build to end
	p.save(t, "content/articles/c.md", "c")
	p.tr.sync(t, p.root) // c is seen: it joins the waiting batch
	release()
	if n := p.catchUp(t); n != 2 {
		t.Fatalf("%d builds, want 2: %q", n, p.fb.changedSets())
	}
	sets := p.fb.changedSets()
	wantChanged(t, sets[1], "content/articles/a.md")
	wantChanged(t, sets[2], "content/articles/b.md", "content/articles/c.md")
}

func TestWatchIgnoresEditorFiles(t *testing.T) {
	t.Parallel()
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
	p.noBuild(t) // (which names are scratch files: package scratch's tests)
}

// content/ replaced by a file is not content/ back: nothing is built and
// the log does not say it is there, until a folder is.
func TestWatchFolderReplacedByAFile(t *testing.T) {
	t.Parallel()
	p := startProject(t, startFiles)
	content := p.path("content")
	if err := os.RemoveAll(content); err != nil {
		t.Fatal(err)
	}
	waitLog(t, p.log, "content/ was removed or renamed")
	p.noBuildUnlessStalled(t)
	writeFile(t, content, "not a folder")
	p.noBuild(t)
	if strings.Contains(p.log.String(), "content/ is there") {
		t.Errorf("a file named content is taken for the folder:\n%s", p.log.String())
	}
	if err := os.Remove(content); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(content, "articles/x.md"), "back")
	wantChanged(t, p.rebuilt(t))
	waitLog(t, p.log, "content/ is there; rebuilding")
	wantBody(t, p.url+"/articles/x/", "back")
}

// The watched folder itself removed or renamed, then back.
func TestWatchFolderRemovedAndBack(t *testing.T) {
	t.Parallel()
	p := startProject(t, startFiles)
	content := p.path("content")

	if err := os.RemoveAll(content); err != nil {
		t.Fatal(err)
	}
	waitLog(t, p.log, "content/ was removed or renamed")
	// Nothing to build from: the last good site stays. (Unless the machine
	// stalled in the middle of rm -rf for the watcher's quiet time: then it
	// rightly sent what was removed so far, before content/ went.)
	if !p.noBuildUnlessStalled(t) {
		wantBody(t, p.url+"/articles/x/", "first version")
	}

	writeFile(t, filepath.Join(content, "articles/x.md"), "recreated")
	wantChanged(t, p.rebuilt(t))
	waitLog(t, p.log, "content/ is there; rebuilding")
	wantBody(t, p.url+"/articles/x/", "recreated")
	// And it is watched again, recursively.
	p.write(t, "content/articles/x.md", "edited after the return")
	wantChanged(t, p.rebuilt(t), "content/articles/x.md")
	wantBody(t, p.url+"/articles/x/", "edited after the return")

	// Renamed away and back (a branch switch done by hand).
	if err := os.Rename(content, content+".away"); err != nil {
		t.Fatal(err)
	}
	p.noBuild(t) // the watcher has seen it go
	// Writes in the renamed folder are not this project's business.
	writeFile(t, filepath.Join(content+".away", "articles/x.md"), "written while away")
	p.noBuild(t)
	if err := os.Rename(content+".away", content); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t))
	wantBody(t, p.url+"/articles/x/", "written while away")
	p.write(t, "content/articles/x.md", "back home")
	wantChanged(t, p.rebuilt(t), "content/articles/x.md")

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
	if p.catchUp(t) == 0 {
		t.Fatal("the replaced folder was not rebuilt")
	}
	wantBody(t, p.url+"/articles/x/", "replaced")
	p.write(t, "content/articles/x.md", "still watched")
	wantChanged(t, p.rebuilt(t), "content/articles/x.md")
}

// content/ removed shows in the browser, over the last good page, not
// only in the log; its return clears it.
func TestContentRemovedShowsInTheBrowser(t *testing.T) {
	t.Parallel()
	p := startProject(t, startFiles)
	events := dialEvents(t, http.DefaultClient, p.url+"/__dossier/events")
	if err := os.RemoveAll(p.path("content")); err != nil {
		t.Fatal(err)
	}
	waitLog(t, p.log, "content/ was removed or renamed")
	for {
		ev := events.next(t, 10*time.Second)
		if ev.name == "error" {
			if !strings.Contains(ev.data, "content/ was removed or renamed") {
				t.Errorf("error event %s, want it to say content/ is gone", ev.data)
			}
			break
		}
	}
	wantBody(t, p.url+"/articles/x/", "first version") // the last good site
	writeFile(t, p.path("content/articles/x.md"), "recreated")
	for {
		if ev := events.next(t, 10*time.Second); ev.name == "reload" || ev.name == "ok" {
			break
		}
	}
	waitLog(t, p.log, "(fixed)")
	wantBody(t, p.url+"/articles/x/", "recreated")
}

// templates/ and static/ are optional: created later, they are watched.
func TestWatchOptionalFoldersCreatedLater(t *testing.T) {
	t.Parallel()
	files := copyFiles(startFiles)
	delete(files, "templates/base.html")
	delete(files, "static/style.css")
	p := startProject(t, files)
	p.write(t, "templates/article.html", "<article>")
	if got := p.rebuilt(t); got != nil {
		t.Errorf("templates/ appearing: changed %q, want nil (everything)", got)
	}
	p.write(t, "templates/article.html", "<article class=x>")
	wantChanged(t, p.rebuilt(t), "templates/article.html")

	// Removing templates/ is a change (back to the built-in templates).
	if err := os.RemoveAll(p.path("templates")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t))
	waitLog(t, p.log, "templates/ was removed or renamed; rebuilding with dossier's built-in templates")
}

// The Watcher on its own, without HTTP.
func TestWatcherBatches(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/articles/x.md"), "x")
	tr := newTracker()
	w, err := newWatcher(root, nil, tr.note)
	if err != nil {
		t.Fatal(err)
	}
	r := &watchReader{w: w, tr: tr, root: root}
	writeFile(t, filepath.Join(root, "content/articles/x.md"), "x2")
	writeFile(t, filepath.Join(root, "content/articles/y.md"), "y")
	os.Remove(filepath.Join(root, "content/articles/y.md"))
	wantChanged(t, r.changes(t), "content/articles/x.md", "content/articles/y.md")

	// Nobody reads C for a while: changes accumulate into one batch.
	writeFile(t, filepath.Join(root, "content/a.md"), "a")
	tr.held(t, root)
	writeFile(t, filepath.Join(root, "static/s.css"), "s")
	tr.held(t, root)
	// static/ did not exist at start: its appearance means "everything" (nil).
	if bs := r.batches(t); len(bs) != 1 || bs[0] != nil {
		t.Errorf("batches %q, want one, nil", bs)
	}
	writeFile(t, filepath.Join(root, "static/s.css"), "s2")
	wantChanged(t, r.changes(t), "static/s.css")
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

// A file or folder linked into a watched folder from another folder of the
// project (an entity kept in shared/, a git submodule of files several
// dossiers use) is read through the link by the build: saving it rebuilds,
// as the link's own change, whether the link was made before or after the
// preview started.
func TestWatchLinkedFilesAndFolders(t *testing.T) {
	t.Parallel()
	p := startProject(t, startFiles)
	shared := p.path("shared")
	entity := filepath.Join(shared, "kerry.md")
	originals := filepath.Join(shared, "originals")
	if err := os.MkdirAll(originals, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(entity, []byte("---\nname: John Kerry\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(originals, "x.txt"), []byte("first"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(entity, p.path("content/articles/linked.md")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/articles/linked.md")
	if err := os.Symlink(originals, p.path("content/originals")); err != nil {
		t.Fatal(err)
	}
	p.rebuilt(t)

	if err := os.WriteFile(entity, []byte("---\nname: John F. Kerry\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/articles/linked.md")
	// An atomic save of the target: a new file renamed over it.
	tmp := filepath.Join(shared, ".kerry.md.swp")
	if err := os.WriteFile(tmp, []byte("---\nname: Kerry\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, entity); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/articles/linked.md")
	if err := os.WriteFile(filepath.Join(originals, "x.txt"), []byte("second"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/originals/x.txt")
	// Other files beside the target are not sources.
	if err := os.WriteFile(filepath.Join(shared, "other.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.noBuild(t)
}

// A link out of the project is not followed: the build refuses it (and
// says so), and a link to a system folder would have the watcher walk and
// watch all of it. Its creation is a change; what happens out there is not.
func TestWatchDoesNotFollowLinksOutOfTheProject(t *testing.T) {
	t.Parallel()
	p := startProject(t, startFiles)
	outside := t.TempDir()
	for _, d := range []string{"a/b", "c"} {
		if err := os.MkdirAll(filepath.Join(outside, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, p.path("static/elsewhere")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "static/elsewhere")
	writeFile(t, filepath.Join(outside, "a/b/new.css"), "p{}")
	writeFile(t, filepath.Join(outside, "c/x.md"), "x")
	p.noBuild(t)
}

// A folder is left out only when hidden, as the build leaves it out: one
// named as a scratch file can be (2013/, vim's all-digit probe name) holds
// static files or originals the build reads, so its files are changes.
func TestWatchFolderNamedLikeAScratchFile(t *testing.T) {
	t.Parallel()
	files := maps.Clone(startFiles)
	files["content/originals/2013/x.txt"] = "first"
	p := startProject(t, files)
	p.write(t, "content/originals/2013/x.txt", "second")
	wantChanged(t, p.rebuilt(t), "content/originals/2013/x.txt")

	// Created later, with a file written at once, then edited.
	p.write(t, "static/2014/photo.css", "p{}")
	wantChanged(t, p.rebuilt(t), "static/2014/photo.css")
	p.write(t, "static/2014/photo.css", "p{color:red}")
	wantChanged(t, p.rebuilt(t), "static/2014/photo.css")
	// Removed: everything, as for any folder.
	if err := os.RemoveAll(p.path("static/2014")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t))

	// Files of such names are still scratch files.
	p.write(t, "static/4913", "probe")
	p.noBuild(t)
}

// A link whose target is not there yet (made before it, as git checkout
// makes content/ before shared/, or by an editor who then saves the
// target): the target's creation is a change of the link, and so are its
// later saves, and the removal and return of the folder holding it.
func TestWatchLinkMadeBeforeItsTarget(t *testing.T) {
	t.Parallel()
	p := startProject(t, startFiles)
	target := p.path("shared/entities/kerry.md")
	if err := os.Symlink("../../shared/entities/kerry.md", p.path("content/articles/linked.md")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/articles/linked.md")

	// No event of a watched folder tells of these: the watcher finds them.
	writeFile(t, target, "first")
	wantChanged(t, p.rebuiltUnseen(t), "content/articles/linked.md")
	wantBody(t, p.url+"/articles/linked/", "first")
	writeFile(t, target, "second")
	wantChanged(t, p.rebuilt(t), "content/articles/linked.md")
	wantBody(t, p.url+"/articles/linked/", "second")

	// The folder holding the target removed, then back (git checkout of
	// a version without it, and back).
	if err := os.RemoveAll(p.path("shared")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/articles/linked.md")
	writeFile(t, target, "third")
	wantChanged(t, p.rebuiltUnseen(t), "content/articles/linked.md")
	wantBody(t, p.url+"/articles/linked/", "third")
	writeFile(t, target, "fourth")
	wantChanged(t, p.rebuilt(t), "content/articles/linked.md")
	wantBody(t, p.url+"/articles/linked/", "fourth")

	// A link that stays dangling is no change, however long it waits.
	if err := os.Symlink("../../shared/none.md", p.path("content/articles/dangling.md")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/articles/dangling.md")
	p.tr.waitPolls(t, 2)
	p.noBuild(t)
}

// A folder reached through a link (content/entities -> ../shared/entities,
// a submodule's): when the folder it leads to is removed, or replaced (git
// checkout in the submodule), its watch goes with it and no event says so;
// the watcher finds it back and watches it again.
func TestWatchLinkedFolderRemovedAndBack(t *testing.T) {
	t.Parallel()
	files := maps.Clone(startFiles)
	files["shared/entities/kerry.md"] = "first"
	p := startProject(t, files)
	if err := os.Symlink("../shared/entities", p.path("content/entities")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/entities/kerry.md")
	writeFile(t, p.path("shared/entities/kerry.md"), "second")
	wantChanged(t, p.rebuilt(t), "content/entities/kerry.md")

	// Removed, then back.
	if err := os.RemoveAll(p.path("shared/entities")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "content/entities/kerry.md")
	p.tr.waitPolls(t, 2) // the watcher has seen it gone
	writeFile(t, p.path("shared/entities/kerry.md"), "third")
	wantChanged(t, p.rebuiltUnseen(t), "content/entities/kerry.md")
	writeFile(t, p.path("shared/entities/kerry.md"), "fourth")
	wantChanged(t, p.rebuilt(t), "content/entities/kerry.md")

	// Replaced at once by another folder (a checkout of another version):
	// everything may have changed.
	if err := os.Rename(p.path("shared/entities"), p.path("shared/old")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, p.path("shared/new/kerry.md"), "fifth")
	if err := os.Rename(p.path("shared/new"), p.path("shared/entities")); err != nil {
		t.Fatal(err)
	}
	p.tr.waitPolls(t, 2)
	p.catchUp(t)
	if sets := p.fb.changedSets(); sets[len(sets)-1] != nil {
		t.Errorf("the replaced folder's last build changed %q, want everything", sets[len(sets)-1])
	}
	writeFile(t, p.path("shared/entities/kerry.md"), "sixth")
	wantChanged(t, p.rebuilt(t), "content/entities/kerry.md")
	// The folder it replaced is not watched there any more.
	writeFile(t, p.path("shared/old/kerry.md"), "old")
	p.noBuild(t)
}

// One folder watched under two names (static/originals -> ../content/
// originals publishes the originals): the kernel tells its changes under
// the first name only, and the build reads both.
func TestWatchFolderLinkedTwice(t *testing.T) {
	t.Parallel()
	files := maps.Clone(startFiles)
	files["content/originals/x.txt"] = "x"
	p := startProject(t, files)
	if err := os.Symlink("../content/originals", p.path("static/originals")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t), "static/originals/x.txt")
	p.write(t, "content/originals/y.txt", "y")
	wantChanged(t, p.rebuilt(t), "content/originals/y.txt", "static/originals/y.txt")
	p.write(t, "content/originals/x.txt", "xx")
	wantChanged(t, p.rebuilt(t), "content/originals/x.txt", "static/originals/x.txt")
	// The second name gone, the first is still watched, alone.
	if err := os.Remove(p.path("static/originals")); err != nil {
		t.Fatal(err)
	}
	wantChanged(t, p.rebuilt(t))
	p.write(t, "content/originals/x.txt", "xxx")
	wantChanged(t, p.rebuilt(t), "content/originals/x.txt")
}

// The same, when the name watched first goes: the other is watched still.
func TestWatchFolderLinkedTwiceFirstNameGoes(t *testing.T) {
	t.Parallel()
	files := maps.Clone(startFiles)
	files["shared/people/x.md"] = "x"
	p := startProject(t, files)
	for _, name := range []string{"content/people", "static/people"} {
		if err := os.Symlink("../shared/people", p.path(name)); err != nil {
			t.Fatal(err)
		}
		p.rebuilt(t)
	}
	writeFile(t, p.path("shared/people/x.md"), "xx")
	wantChanged(t, p.rebuilt(t), "content/people/x.md", "static/people/x.md")
	if err := os.Remove(p.path("content/people")); err != nil {
		t.Fatal(err)
	}
	p.rebuilt(t)
	writeFile(t, p.path("shared/people/x.md"), "xxx")
	wantChanged(t, p.rebuilt(t), "static/people/x.md")
}
