package output

import (
	"context"
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// project makes a project folder with sources and a file in each, and
// returns it.
func project(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "proj")
	for _, d := range []string{"content/articles", "templates", "static", ".git"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"content/articles/a.md", "templates/base.html", "static/x.css", ".git/HEAD", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(root, f), []byte("precious "+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// digest lists every file under dir with its contents.
func digest(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(dir, p)
		b.WriteString(r)
		if !d.IsDir() {
			data, _ := os.ReadFile(p)
			b.WriteString("=" + string(data))
		}
		b.WriteString("\n")
		return nil
	})
	return b.String()
}

// -out must never delete what dossier did not make: the project, its
// sources, anything holding them, the home folder, /. Each is refused
// without writing anything, with the reason and what to do, whatever
// -force says; a non-empty folder without the marker is refused unless
// -force.
func TestWriteRefusesDangerousTargets(t *testing.T) {
	root := project(t)
	home, _ := os.UserHomeDir()
	wd, _ := os.Getwd()
	if err := os.Symlink(filepath.Join(root, "content"), filepath.Join(root, "link")); err != nil && runtime.GOOS != "windows" {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "mine")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "keep.txt"), []byte("mine"), 0o644)
	file := filepath.Join(t.TempDir(), "afile")
	os.WriteFile(file, []byte("x"), 0o644)

	cases := []struct {
		name, dir string
		force     bool // also refused with -force
		reason    string
	}{
		{"the project", root, true, "it is the project folder"},
		{"the project, written another way", filepath.Join(root, "content", ".."), true, "it is the project folder"},
		{"content", filepath.Join(root, "content"), true, "it is the project's content/ folder"},
		{"inside content", filepath.Join(root, "content", "articles"), true, "it is inside the project's content/ folder"},
		{"not yet inside content", filepath.Join(root, "content", "new", "out"), true, "it is inside the project's content/ folder"},
		{"templates", filepath.Join(root, "templates"), true, "it is the project's templates/ folder"},
		{"static", filepath.Join(root, "static"), true, "it is the project's static/ folder"},
		{"inside static", filepath.Join(root, "static", "public"), true, "it is inside the project's static/ folder"},
		{".git", filepath.Join(root, ".git"), true, "it is the project's .git/ folder"},
		{"through a symbolic link to content", filepath.Join(root, "link", "out"), true, "it is inside the project's content/ folder"},
		{"the project's parent", filepath.Dir(root), true, "it holds the project folder"},
		{"the root", string(filepath.Separator), true, "it is the root of the file system"},
		{"home", home, true, "it is your home folder"},
		{"the current folder", wd, true, "it is the current folder"},
		{"a file", file, true, "it is a file, not a folder"},
		{"a folder of someone's", other, false, "it is not empty and was not made by dossier build"},
	}
	for _, tc := range cases {
		if tc.dir == "" {
			continue
		}
		for _, force := range []bool{false, true} {
			if force && !tc.force {
				continue
			}
			before := digest(t, root) + digest(t, other)
			err := WriteWith(context.Background(), site(map[string]string{"index.html": "new"}), tc.dir, WriteOptions{Root: root, Force: force})
			var te *TargetError
			if !errors.As(err, &te) {
				t.Errorf("%s (force=%v): %v, want a refusal", tc.name, force, err)
				continue
			}
			if msg := err.Error(); !strings.Contains(msg, tc.reason) || !strings.Contains(msg, "nothing was written") || !strings.Contains(msg, "-out") {
				t.Errorf("%s: message %q lacks %q, what to do, or that nothing was written", tc.name, msg, tc.reason)
			}
			if after := digest(t, root) + digest(t, other); after != before {
				t.Errorf("%s (force=%v): files changed:\n%s\nwas\n%s", tc.name, force, after, before)
			}
			if ls, _ := filepath.Glob(filepath.Join(filepath.Dir(tc.dir), ".*.tmp-*")); len(ls) > 0 {
				t.Errorf("%s: temporary folders written: %v", tc.name, ls)
			}
		}
	}
}

// With -force, a non-empty folder dossier did not make is replaced; the
// marker then makes later builds replace it without -force. An empty
// folder needs no -force.
func TestWriteForceAndMarker(t *testing.T) {
	root := project(t)
	dir := filepath.Join(t.TempDir(), "site")
	os.MkdirAll(dir, 0o755)
	if err := WriteWith(context.Background(), site(map[string]string{"index.html": "one"}), dir, WriteOptions{Root: root}); err != nil {
		t.Fatalf("empty folder: %v", err)
	}
	os.Remove(filepath.Join(dir, MarkerFile)) // now it looks like someone else's folder
	err := WriteWith(context.Background(), site(map[string]string{"index.html": "two"}), dir, WriteOptions{Root: root})
	if !errors.As(err, new(*TargetError)) {
		t.Fatalf("a folder without the marker was replaced: %v", err)
	}
	if err := WriteWith(context.Background(), site(map[string]string{"index.html": "two"}), dir, WriteOptions{Root: root, Force: true}); err != nil {
		t.Fatalf("-force: %v", err)
	}
	if !hasMarker(dir) {
		t.Fatal("the output has no marker")
	}
	if err := WriteWith(context.Background(), site(map[string]string{"index.html": "three"}), dir, WriteOptions{Root: root}); err != nil {
		t.Fatalf("a folder with the marker: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "three" {
		t.Errorf("index.html = %q", b)
	}
	// The output stays a real folder (the Pages upload action and web
	// servers see a folder, not a symbolic link to one).
	if st, err := os.Lstat(dir); err != nil || !st.IsDir() {
		t.Errorf("the output is not a folder: %v %v", st.Mode(), err)
	}
	// A symbolic link as -out is refused, even with -force.
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err == nil {
		if err := WriteWith(context.Background(), site(map[string]string{"index.html": "x"}), link, WriteOptions{Root: root, Force: true}); !errors.As(err, new(*TargetError)) {
			t.Errorf("symbolic link: %v", err)
		}
	}
}

// Leftovers of killed builds (the scratch name pattern, a process that is
// gone, and the marker or nothing inside) are deleted by the next build;
// anything else that looks like one is kept.
func TestWriteRemovesLeftovers(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	mk := func(name string, marker bool, files ...string) string {
		p := filepath.Join(parent, name)
		os.MkdirAll(p, 0o755)
		if marker {
			os.WriteFile(filepath.Join(p, MarkerFile), []byte(markerText), 0o644)
		}
		for _, f := range files {
			os.WriteFile(filepath.Join(p, f), []byte("x"), 0o644)
		}
		return p
	}
	dead := deadPID(t)
	gone := []string{
		mk(".public.tmp-"+dead+"-0123456789ab", true, "index.html"),
		mk(".public.old-"+dead+"-0123456789ab", true, "index.html"),
		mk(".public.tmp-"+dead+"-ba9876543210", false), // killed before its marker: empty
	}
	kept := []string{
		mk(".public.tmp-"+dead+"-aaaaaaaaaaaa", false, "index.html"),      // no marker, not empty
		mk(".public.tmp-0123456789ab", true, "index.html"),                // an older dossier's name
		mk(".other.tmp-"+dead+"-0123456789ab", true, "index.html"),        // another output's
		mk(".public.tmp-"+itoa(os.Getppid())+"-0123456789ab", true, "x"),  // a live process's
		mk("public.tmp-"+dead+"-0123456789ab", true, "index.html"),        // not hidden
		mk(".public.tmp-"+dead+"-0123456789ab-extra", true, "index.html"), // a longer name
		mk(".public.tmp-"+dead+"-0123456789AB", true, "index.html"),       // upper case
	}
	if err := Write(context.Background(), site(map[string]string{"index.html": "new"}), dir); err != nil {
		t.Fatal(err)
	}
	for _, p := range gone {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("leftover %s not removed", filepath.Base(p))
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: it is not a leftover of a killed build", filepath.Base(p))
		}
	}
}

// deadPID returns the id of a process that has exited.
func deadPID(t *testing.T) string {
	t.Helper()
	for pid := 4_000_000; pid > 1; pid-- {
		if !processAlive(pid) {
			return itoa(pid)
		}
	}
	t.Skip("no free process id")
	return ""
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// When the previous output cannot be deleted after the swap, the error says
// that the new site is in place (not that the previous one is untouched).
func TestWriteLeftoverMessageIsTrue(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := Write(context.Background(), site(map[string]string{"index.html": "old"}), dir); err != nil {
		t.Fatal(err)
	}
	failing := errors.New("permission denied")
	err := WriteWith(context.Background(), site(map[string]string{"index.html": "new"}), dir,
		WriteOptions{removeAll: func(string) error { return failing }})
	var le *LeftoverError
	if !errors.As(err, &le) || !errors.Is(err, failing) {
		t.Fatalf("err = %v, want a LeftoverError", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "new" {
		t.Errorf("index.html = %q: the new site is not in place", b)
	}
	if b, _ := os.ReadFile(filepath.Join(le.Path, "index.html")); string(b) != "old" {
		t.Errorf("%s holds %q, want the previous output", le.Path, b)
	}
	if msg := err.Error(); !strings.Contains(msg, "the new site is in place") || strings.Contains(msg, "untouched") || !strings.Contains(msg, le.Path) {
		t.Errorf("message %q", msg)
	}
	// The next build deletes the leftover.
	if err := Write(context.Background(), site(map[string]string{"index.html": "newer"}), dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(le.Path); err == nil {
		t.Errorf("leftover %s still there after the next build", le.Path)
	}
}

// Where the platform cannot exchange two folders, two renames replace the
// output, and their messages are as true.
func TestWriteWithoutExchange(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	for i, v := range []string{"one", "two"} {
		if err := WriteWith(context.Background(), site(map[string]string{"index.html": v, v + ".html": v}), dir, WriteOptions{noExchange: true}); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "two" {
		t.Errorf("index.html = %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "one.html")); err == nil {
		t.Error("a file of the previous output survived")
	}
	failing := errors.New("busy")
	err := WriteWith(context.Background(), site(map[string]string{"index.html": "three"}), dir,
		WriteOptions{noExchange: true, removeAll: func(string) error { return failing }})
	var le *LeftoverError
	if !errors.As(err, &le) || !strings.Contains(le.Path, ".public.old-") {
		t.Fatalf("err = %v, want a LeftoverError naming the set-aside folder", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "three" {
		t.Errorf("index.html = %q", b)
	}
	// The output stays a real folder (the Pages upload action and web
	// servers see a folder, not a symbolic link to one).
	if st, err := os.Lstat(dir); err != nil || !st.IsDir() {
		t.Errorf("the output is not a folder: %v %v", st.Mode(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 2 {
		t.Errorf("%d entries beside the output, want it and the leftover", len(entries))
	}
}

// A marked output folder is replaced whole, so what someone put there since
// the last build (a gh-pages clone's .git, a CNAME written by hand) would be
// deleted without a word: the build refuses, naming them, and -force
// replaces the folder. A marker from before the list was kept in it still
// lets the folder be replaced, unless it holds a .git.
func TestWriteKeepsFilesPutInTheOutput(t *testing.T) {
	root := project(t)
	dir := filepath.Join(t.TempDir(), "public")
	write := func(force bool) error {
		return WriteWith(context.Background(), site(map[string]string{"index.html": "page", "articles/a/index.html": "a", "static/x.css": "x"}), dir, WriteOptions{Root: root, Force: force})
	}
	if err := write(false); err != nil {
		t.Fatal(err)
	}
	// What the build wrote alone: replaced again without -force.
	if err := write(false); err != nil {
		t.Fatalf("a rebuild over the build's own folder: %v", err)
	}
	for _, tc := range []struct {
		name  string
		files []string
		want  []string
	}{
		{"a clone's .git", []string{".git/HEAD"}, []string{".git"}},
		{"a file and a folder", []string{"CNAME", "drafts/x.html"}, []string{"CNAME", "drafts"}},
	} {
		for _, f := range tc.files {
			p := filepath.Join(dir, filepath.FromSlash(f))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte("mine"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		before := digest(t, dir)
		err := write(false)
		var te *TargetError
		if !errors.As(err, &te) {
			t.Fatalf("%s: %v, want a refusal", tc.name, err)
		}
		for _, w := range append(tc.want, "did not write", "-force") {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: message %q lacks %q", tc.name, err, w)
			}
		}
		if after := digest(t, dir); after != before {
			t.Errorf("%s: the output changed:\n%s\nwas\n%s", tc.name, after, before)
		}
		if err := write(true); err != nil {
			t.Fatalf("%s, -force: %v", tc.name, err)
		}
		for _, f := range tc.files {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); err == nil {
				t.Errorf("%s: -force kept %s", tc.name, f)
			}
		}
	}

	// An older marker, without the list.
	if err := os.WriteFile(filepath.Join(dir, MarkerFile), []byte(markerText), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "old-page.html"), []byte("an older build's"), 0o644)
	if err := write(false); err != nil {
		t.Fatalf("an older marker: %v", err)
	}
	os.WriteFile(filepath.Join(dir, MarkerFile), []byte(markerText), 0o644)
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	if err := write(false); !errors.As(err, new(*TargetError)) || !strings.Contains(err.Error(), ".git") {
		t.Errorf("an older marker beside a .git: %v, want a refusal naming .git", err)
	}
}

// Refusing the usual output because the build runs inside it, the message
// does not suggest that same folder.
func TestRefusalDoesNotSuggestTheRefusedFolder(t *testing.T) {
	root := project(t)
	public := filepath.Join(root, "public")
	if err := os.Mkdir(public, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(public)
	err := CheckTarget(root, public, false)
	if !errors.As(err, new(*TargetError)) || !strings.Contains(err.Error(), "it is the current folder") {
		t.Fatalf("%v, want a refusal of the current folder", err)
	}
	if strings.Contains(err.Error(), "such as "+public) || !strings.Contains(err.Error(), "run the build from another folder") {
		t.Errorf("the message suggests the refused folder, or not what to do: %v", err)
	}
}

// The folder checked is the folder written, as the kernel resolves the
// path: a ".." after a symbolic link (in -out, in the current folder's path
// as the shell keeps it in $PWD, or in the project's path) leads beside the
// link's target, not beside the link. Resolved as text, each of these
// passed the checks and the build replaced the project, a folder of
// someone's without -force, or a folder inside the sources.
func TestWriteRefusesTargetsReachedThroughLinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links")
	}
	base := t.TempDir()
	root := project(t)
	real := filepath.Join(base, "deep", "real") // the project, reached through base/link
	sib := filepath.Join(base, "deep", "sib")   // someone's folder beside it
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(root, real); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(sib, 0o755)
	os.WriteFile(filepath.Join(sib, "keep.txt"), []byte("mine"), 0o644)
	link := filepath.Join(base, "link")
	for _, l := range [][2]string{{real, link}, {filepath.Join(real, "content", "articles"), filepath.Join(real, "arel")}, {filepath.Join(real, ".git"), filepath.Join(real, "glink")}} {
		if err := os.Symlink(l[0], l[1]); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(link)
	t.Setenv("PWD", link) // as a shell that cd'ed through the link keeps it

	cases := []struct {
		name, root, dir string
		force           bool // also refused with -force
		reason          string
	}{
		{"../real from the linked project", ".", "../real", true, "it is the project folder"},
		{"../sib from the linked project", ".", "../sib", false, "it is not empty and was not made by dossier build"},
		{"the linked project's real parent", link, filepath.Join(base, "deep"), true, "it holds the project folder"},
		{"a link into content/", real, filepath.Join(real, "arel", "new"), true, "it is inside the project's content/ folder"},
		{"a link into .git/", real, filepath.Join(real, "glink", "objects"), true, "it is inside the project's .git/ folder"},
	}
	for _, tc := range cases {
		for _, force := range []bool{false, true} {
			if force && !tc.force {
				continue
			}
			before := digest(t, real) + digest(t, sib)
			err := WriteWith(context.Background(), site(map[string]string{"index.html": "new"}), tc.dir, WriteOptions{Root: tc.root, Force: force})
			var te *TargetError
			if !errors.As(err, &te) {
				t.Errorf("%s (force=%v): %v, want a refusal", tc.name, force, err)
				continue
			}
			if msg := err.Error(); !strings.Contains(msg, tc.reason) || !strings.Contains(msg, "nothing was written") {
				t.Errorf("%s: message %q lacks %q or that nothing was written", tc.name, msg, tc.reason)
			}
			if after := digest(t, real) + digest(t, sib); after != before {
				t.Errorf("%s (force=%v): files changed:\n%s\nwas\n%s", tc.name, force, after, before)
			}
		}
	}

	// A folder reached through links, that may be replaced, is replaced
	// where the kernel finds it, and the link left as it was.
	out := filepath.Join(base, "deep", "site")
	if err := WriteWith(context.Background(), site(map[string]string{"index.html": "new"}), "../site", WriteOptions{Root: "."}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "index.html")); err != nil || string(b) != "new" {
		t.Errorf("../site from the linked project: %q, %v in %s", b, err, out)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link to the project: %v, %v", st, err)
	}
}

// The home folder is refused whatever $HOME says: unset (cron, systemd,
// env -i), empty, or naming another folder (sudo keeps the caller's), the
// account's own home folder and the folders holding it are still refused,
// even with -force. Only $HOME was looked at, so `-out /root -force` under
// `env -u HOME` deleted root's home. CheckTarget writes nothing, so the
// real home folder is safe to check.
func TestRefusesTheAccountsHomeWhateverHOMESays(t *testing.T) {
	u, err := user.Current()
	if err != nil || u.HomeDir == "" || u.HomeDir == "/" {
		t.Skipf("no home folder for this account (%v)", err)
	}
	if _, err := os.Stat(u.HomeDir); err != nil {
		t.Skipf("the account's home folder %s: %v", u.HomeDir, err)
	}
	root := project(t)
	elsewhere := t.TempDir()
	for _, tc := range []struct {
		name  string
		home  string
		unset bool
	}{
		{"HOME unset", "", true},
		{"HOME empty", "", false},
		{"HOME elsewhere", elsewhere, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("HOME", tc.home)
			if tc.unset {
				os.Unsetenv("HOME") // t.Setenv restores it
			}
			for _, dir := range []string{u.HomeDir, filepath.Dir(u.HomeDir)} {
				err := CheckTarget(root, dir, true)
				if !errors.As(err, new(*TargetError)) {
					t.Errorf("-out %s -force: %v, want a refusal", dir, err)
					continue
				}
				if dir == u.HomeDir && !strings.Contains(err.Error(), "it is your home folder") {
					t.Errorf("-out %s: %v, want it named as your home folder", dir, err)
				}
			}
		})
	}
}

// A previous output that cannot be deleted whole after the swap (a file the
// build may not delete) keeps its marker, so that the next build knows it
// for a leftover and deletes it, as the warning promises. os.RemoveAll
// deleted entries in the order the file system lists them, the marker among
// the first on ext4, and left a folder no build would touch again.
func TestLeftoverKeepsItsMarker(t *testing.T) {
	for _, exchange := range []bool{true, false} {
		dir := filepath.Join(t.TempDir(), "public")
		old := map[string]string{"index.html": "old", "a/index.html": "a", "b/index.html": "b", "z.html": "z"}
		if err := Write(context.Background(), site(old), dir); err != nil {
			t.Fatal(err)
		}
		failing := errors.New("operation not permitted")
		// Every entry but a/ is deleted.
		removeAll := func(p string) error {
			if filepath.Base(p) == "a" {
				return failing
			}
			return os.RemoveAll(p)
		}
		err := WriteWith(context.Background(), site(map[string]string{"index.html": "new"}), dir,
			WriteOptions{removeAll: removeAll, noExchange: !exchange})
		var le *LeftoverError
		if !errors.As(err, &le) || !errors.Is(err, failing) {
			t.Fatalf("exchange %v: err = %v, want a LeftoverError", exchange, err)
		}
		if !hasMarker(le.Path) {
			t.Errorf("exchange %v: the leftover %s lost its marker", exchange, le.Path)
		}
		if err := Write(context.Background(), site(map[string]string{"index.html": "newer"}), dir); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(le.Path); err == nil {
			t.Errorf("exchange %v: leftover %s still there after the next build", exchange, le.Path)
		}
	}
}

// A file named .dossier-output that dossier did not write (it does not
// start with the marker's text: empty, or anyone's words) does not make a
// folder dossier's: the build refuses it as any folder of someone's (with
// -force it is replaced), and a folder named as a killed build's leftover
// is not deleted for holding one. Any file of that name was trusted: a
// folder of notes holding an empty .dossier-output was deleted whole
// without -force.
func TestForgedMarkerIsNotTrusted(t *testing.T) {
	root := project(t)
	for _, tc := range []struct{ name, marker string }{
		{"empty", ""},
		{"someone's words", "keep this folder\n"},
		{"the marker's first line only", strings.SplitAfter(markerText, "\n")[0]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "notes")
			os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
			os.WriteFile(filepath.Join(dir, "sub", "keep.txt"), []byte("mine"), 0o644)
			os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
			os.WriteFile(filepath.Join(dir, MarkerFile), []byte(tc.marker), 0o644)
			before := digest(t, dir)
			err := WriteWith(context.Background(), site(map[string]string{"index.html": "new"}), dir, WriteOptions{Root: root})
			if !errors.As(err, new(*TargetError)) {
				t.Fatalf("%v, want a refusal", err)
			}
			for _, w := range []string{MarkerFile, "dossier build did not write", "-force", "nothing was written"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
			if after := digest(t, dir); after != before {
				t.Errorf("the folder changed:\n%s\nwas\n%s", after, before)
			}
			if err := WriteWith(context.Background(), site(map[string]string{"index.html": "new"}), dir, WriteOptions{Root: root, Force: true}); err != nil {
				t.Fatalf("-force: %v", err)
			}
			if !hasMarker(dir) {
				t.Error("-force: the output has no marker of dossier's")
			}
		})
	}

	// Beside an output: a killed build's leftover whose marker was cut
	// short while written is deleted; a folder of that name holding
	// someone's .dossier-output is kept.
	parent := t.TempDir()
	dead := deadPID(t)
	mk := func(name, marker string) string {
		p := filepath.Join(parent, name)
		os.MkdirAll(p, 0o755)
		os.WriteFile(filepath.Join(p, MarkerFile), []byte(marker), 0o644)
		os.WriteFile(filepath.Join(p, "index.html"), []byte("x"), 0o644)
		return p
	}
	cut := mk(".public.tmp-"+dead+"-0123456789ab", markerText[:20])
	forged := mk(".public.tmp-"+dead+"-ba9876543210", "keep this folder\n")
	if err := WriteWith(context.Background(), site(map[string]string{"index.html": "new"}), filepath.Join(parent, "public"), WriteOptions{Root: root}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cut); err == nil {
		t.Errorf("%s, a killed build's leftover, not deleted", filepath.Base(cut))
	}
	if _, err := os.Stat(filepath.Join(forged, "index.html")); err != nil {
		t.Errorf("%s deleted: its .dossier-output is not dossier's", filepath.Base(forged))
	}
}

// The system's own folders are refused as -out, even with -force (a typo
// such as -out /usr -force would delete the system's programs), while a
// folder inside one, as a web server's /var/www/html, is not refused for
// it. CheckTarget writes nothing, so the real folders are safe to check.
func TestRefusesSystemFolders(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no such folders on Windows")
	}
	root := project(t)
	n := 0
	for _, dir := range []string{"/usr", "/etc", "/var", "/usr/lib", "/var/lib", "/opt", "/System"} {
		if _, err := os.Stat(dir); err != nil {
			continue
		}
		n++
		err := CheckTarget(root, dir, true)
		if !errors.As(err, new(*TargetError)) || !strings.Contains(err.Error(), "one of the system's own folders") {
			t.Errorf("-out %s -force: %v, want a refusal naming the system folder", dir, err)
		}
	}
	if n == 0 {
		t.Skip("none of the system folders is here")
	}
	// A new folder inside one is not refused for being a system folder.
	if err := CheckTarget(root, "/var/no-such-dossier-folder/site", true); err != nil && strings.Contains(err.Error(), "system's") {
		t.Errorf("a folder inside /var: %v", err)
	}
}
