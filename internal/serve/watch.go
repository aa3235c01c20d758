package serve

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/readfile"
	"github.com/dossier-news/dossier/internal/scratch"
)

// The folders of a project that the watcher follows, recursively.
var watchedFolders = []string{"content", "templates", "static"}

// Debouncing: a batch is sent once no change came for a quiet time. A single
// save (one or two paths written, all events within a millisecond or so)
// needs only a short one, which keeps save-to-reload latency low. A batch
// where a file is gone (deleted, or renamed away by an editor's atomic save
// whose second half has not come yet) waits longer, as does a batch of more
// paths: a burst (git checkout, a formatter, a copy), whose quiet time grows
// with its length (a slow burst, on a busy disk, has long stalls) so that a
// stall in the middle does not split it into two rebuilds. A folder going
// away gets the longest (rm -rf is slow).
const (
	saveDelay     = 8 * time.Millisecond   // quiet time after a single save
	burstDelay    = 100 * time.Millisecond // quiet time ending a short burst
	maxBurstDelay = 400 * time.Millisecond // quiet time ending a long one
	burstSize     = 3                      // paths from which a batch is a burst
	maxDelay      = 3 * time.Second        // a never-ending burst is cut here
	pollInterval  = 500 * time.Millisecond // looking for a missing folder
)

// Watcher watches a project's content/, templates/ and static/ folders,
// recursively, and sends one batch of changed paths per burst of changes.
//
// Each batch on C lists the changed files (created, written, removed or
// renamed; relative to the project folder, slash-separated, sorted, without
// duplicates). A nil batch means "anything may have changed": a watched
// folder came back after being removed, a folder was renamed or removed, or
// the kernel's event queue overflowed. C is closed by Close.
//
// Editor droppings (swap, backup and lock files, dot files) are ignored,
// as the build ignores them (package scratch).
// Folders created later are watched as they appear; a top folder that is
// removed or renamed is polled for until it comes back, and so is the
// target of a symbolic link that is not there (yet). While content/ is
// missing no batch is sent (there is nothing to build); its return sends nil.
type Watcher struct {
	C <-chan []string
	// Missing receives the name of a top folder nothing can be built
	// without ("content") when it is removed or renamed, so that the
	// preview can say so over the last good page as well as in the log.
	// Its return comes on C (a nil batch).
	Missing <-chan string

	c      chan []string
	missed chan string
	root   string
	fw     *fsnotify.Watcher
	log    io.Writer
	done   chan struct{}
	exited chan struct{}

	// Owned by the loop goroutine.
	dirs map[string]bool // watched folders (absolute)
	// links maps the file a symbolic link in a watched folder points to
	// (absolute, resolved) to the links (relative, slash-separated): the
	// build reads through them, so a save of the target is a change of
	// each link. The target's folder is watched for it (linkDirs, when
	// not watched already).
	links    map[string][]string
	linkDirs map[string]bool
	// linkFiles are the links in watched folders that lead to a file, or
	// to nothing (yet): absolute -> relative, slash-separated. No event
	// of a watched folder tells that a dangling link's target appeared
	// (git checkout makes content/x.md -> ../shared/x.md before shared/,
	// an editor saves the target after making the link), nor that the
	// folder of a target came back after it was removed (its watch went
	// with it): poll finds both.
	linkFiles map[string]string
	// linkFolders are the folders reached through a link (content/
	// entities -> ../shared/entities, a submodule's), by the link's
	// absolute path, with the folder watched there. When that folder is
	// removed or replaced (git checkout in the submodule), its watch goes
	// with it and no event says so (the kernel's event for a watched
	// folder's own removal is dropped when its parent is watched, and the
	// link in that parent did not change): pollLinks watches it again.
	linkFolders map[string]os.FileInfo
	// One folder watched under two names (static/originals ->
	// ../content/originals): the kernel has one watch for it, whose
	// events name the first; the build reads it under both. firstName
	// maps a folder's resolved path to the name watched first, aliases
	// that name to the others, whose events handle makes too.
	firstName map[string]string
	aliases   map[string][]string

	missing  map[string]bool // top folders (names) currently absent
	rootOK   bool            // root itself is watched
	pending  map[string]bool // changed paths (relative, slash-separated) -> gone
	gone     int             // pending paths whose last event removed them
	all      bool            // pending is "everything"
	slow     bool            // a folder went away: more may follow
	first    time.Time       // first change of the pending batch
	timer    *time.Timer
	ready    bool // the burst is over: pending may be sent
	pollTick *time.Ticker
	sent     int // batches sent on C
	polls    int // polls done (for the test hook)

	// hook, set only by this package's tests, follows the loop: every raw
	// event, and the state the loop is in each time it waits. It lets a test
	// know that the watcher has seen everything and has nothing left to send,
	// instead of sleeping and hoping so.
	hook func(watchNote)
}

// watchNote is what a Watcher tells its test hook: a raw event, as fsnotify
// delivered it (before any filtering), or, with event nil, the state in which
// the loop waits for what comes next.
type watchNote struct {
	event *fsnotify.Event
	// quiet: nothing will be sent on C unless a new event comes (nothing is
	// pending, or what is pending is held while content/ is missing).
	quiet bool
	ready bool // a batch is due and waits for a reader of C
	sent  int  // batches sent on C so far
	polls int  // polls done so far (see poll)
}

// NewWatcher starts watching the project folder root. Log receives one line
// per notable event (a folder removed or back, watcher errors).
func NewWatcher(root string, log io.Writer) (*Watcher, error) {
	return newWatcher(root, log, nil)
}

// newWatcher is NewWatcher with a test hook (nil outside tests), called on
// the watcher's goroutine.
func newWatcher(root string, log io.Writer, hook func(watchNote)) (*Watcher, error) {
	if log == nil {
		log = io.Discard
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", root)
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watching files: %w", err)
	}
	c := make(chan []string)
	missed := make(chan string, 1)
	w := &Watcher{
		C: c, c: c, Missing: missed, missed: missed, root: abs, fw: fw, log: log,
		done: make(chan struct{}), exited: make(chan struct{}), hook: hook,
		dirs: make(map[string]bool), missing: make(map[string]bool), pending: make(map[string]bool),
		links: make(map[string][]string), linkDirs: make(map[string]bool), linkFiles: make(map[string]string),
		linkFolders: make(map[string]os.FileInfo), firstName: make(map[string]string), aliases: make(map[string][]string),
	}
	// The root is watched (not recursively) to see top folders created,
	// removed or renamed.
	if err := fw.Add(abs); err != nil {
		fw.Close()
		return nil, fmt.Errorf("watching %s: %w", root, err)
	}
	w.rootOK = true
	for _, name := range watchedFolders {
		dir := filepath.Join(abs, name)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			w.missing[name] = true
			if name == "content" {
				fmt.Fprintf(log, "watch: %s not found; waiting for it to appear\n", dir)
			}
			continue
		}
		w.addTree(dir, false)
	}
	w.timer = time.NewTimer(time.Hour)
	w.timer.Stop()
	w.pollTick = time.NewTicker(pollInterval)
	go w.loop()
	return w, nil
}

// Close stops watching and closes C.
func (w *Watcher) Close() error {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
	<-w.exited
	return nil
}

func (w *Watcher) loop() {
	defer close(w.exited)
	defer close(w.c)
	defer w.fw.Close()
	defer w.pollTick.Stop()
	defer w.timer.Stop()
	for {
		var out chan<- []string
		var batch []string
		// Nothing can be built without content/: wait for it to come back.
		if w.ready && (w.all || len(w.pending) > 0) && !w.missing["content"] {
			out = w.c
			if !w.all {
				batch = make([]string, 0, len(w.pending))
				for p := range w.pending {
					batch = append(batch, p)
				}
				sort.Strings(batch)
			}
		}
		if out != nil {
			// Events already queued come first: they may extend the batch,
			// or tell that content/ is going away.
			select {
			case ev, ok := <-w.fw.Events:
				if !ok {
					return
				}
				w.handle(ev)
				continue
			default:
			}
		}
		if w.hook != nil {
			pending := w.all || len(w.pending) > 0
			w.hook(watchNote{
				quiet: !pending || w.ready && w.missing["content"],
				ready: out != nil,
				sent:  w.sent,
				polls: w.polls,
			})
		}
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			w.handle(ev)
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				fmt.Fprintln(w.log, "watch: too many changes at once; rebuilding everything")
				w.changedAll()
			} else {
				fmt.Fprintf(w.log, "watch: %v\n", err)
			}
		case <-w.timer.C:
			w.ready = true
			// A top folder may be gone with its event still on the way.
			for _, name := range watchedFolders {
				if !w.missing[name] && !isDir(filepath.Join(w.root, name)) {
					w.lost(name)
				}
			}
		case <-w.pollTick.C:
			w.poll()
			w.pollLinks()
			w.polls++
		case out <- batch:
			w.sent++
			clear(w.pending)
			w.all = false
			w.slow = false
			w.gone = 0
			w.ready = false
			w.first = time.Time{}
		}
	}
}

// handle processes one fsnotify event, and the same event under the other
// names of its folder (see aliases).
func (w *Watcher) handle(ev fsnotify.Event) {
	if w.hook != nil {
		w.hook(watchNote{event: &ev, sent: w.sent})
	}
	dir, base := filepath.Split(filepath.Clean(ev.Name))
	for _, a := range w.aliases[filepath.Clean(dir)] {
		if w.dirs[a] {
			w.handleOne(fsnotify.Event{Name: filepath.Join(a, base), Op: ev.Op})
		}
	}
	w.handleOne(ev)
}

// handleOne processes one event.
func (w *Watcher) handleOne(ev fsnotify.Event) {
	if ev.Op == fsnotify.Chmod || ev.Op == 0 {
		return // attributes only: the content is the same
	}
	name := filepath.Clean(ev.Name)
	if links, ok := w.links[name]; ok {
		// A linked file was saved (or replaced, by an atomic save).
		for _, l := range links {
			w.changed(l, false)
		}
	}
	if w.linkDirs[name] && (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) {
		// The folder of linked files went away, and its watch with it
		// (a renamed one is watched no more): poll watches it again
		// when the targets are back.
		delete(w.linkDirs, name)
		_ = w.fw.Remove(name)
	}
	rel, err := w.rel(name)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return
	}
	// A folder is skipped only when hidden (scratch.Skipped): one that
	// went away is known as watched, a new one is looked at.
	dir := w.dirs[name] || ev.Has(fsnotify.Create) && isDir(name)
	if scratch.Skipped(filepath.Base(name), dir) {
		return
	}

	if !strings.Contains(rel, "/") { // a top-level entry of the project
		if !isWatchedFolder(rel) {
			return
		}
		switch {
		case ev.Has(fsnotify.Create):
			// A file of that name is not the folder back (poll watches
			// for it).
			if w.missing[rel] && isDir(filepath.Join(w.root, rel)) {
				w.restore(rel)
			}
		case ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename):
			w.lost(rel)
		}
		return
	}
	top := strings.SplitN(rel, "/", 2)[0]
	if !isWatchedFolder(top) {
		return // a folder watched only for a link's target (see links)
	}
	if w.missing[top] {
		return // stale event from a folder being removed
	}

	switch {
	case ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename):
		if w.dirs[name] {
			w.removeTree(name)
			w.slow = true  // folders are removed as trees (rm -rf), slowly
			w.changedAll() // the files it held are gone; which ones is not known
			return
		}
		if content.ChangeMatters(w.root, rel) {
			w.changed(rel, true)
		}
	case ev.Has(fsnotify.Create):
		fi, err := os.Lstat(name)
		if err == nil && fi.IsDir() {
			w.addTree(name, true)
			if content.FolderMatters(rel) {
				w.changed(rel, false) // the build warns about it, empty or not
			}
			return
		}
		if err == nil && fi.Mode()&fs.ModeSymlink != 0 && w.addLink(name, true, map[string]bool{}) {
			return // a link to a folder: its files are reported
		}
		if content.ChangeMatters(w.root, rel) {
			w.changed(rel, false)
		}
	case ev.Has(fsnotify.Write):
		if content.ChangeMatters(w.root, rel) {
			w.changed(rel, false)
		}
	}
}

// lost handles the removal or renaming of a top folder.
func (w *Watcher) lost(name string) {
	if w.missing[name] {
		return
	}
	dir := filepath.Join(w.root, name)
	if isDir(dir) {
		// Replaced already (e.g. rm -rf then mkdir): watch the new one.
		w.removeTree(dir)
		w.addTree(dir, false)
		w.changedAll()
		return
	}
	w.missing[name] = true
	w.slow = true
	w.removeTree(dir)
	if name != "content" {
		// templates/ and static/ are optional: their removal is a change.
		builtin := "templates"
		if name == "static" {
			builtin = "static files"
		}
		fmt.Fprintf(w.log, "watch: %s/ was removed or renamed; rebuilding with dossier's built-in %s until it is back\n", name, builtin)
		w.changedAll()
		return
	}
	fmt.Fprintf(w.log, "watch: %s/ was removed or renamed; the last good site stays up; waiting for it to come back\n", name)
	select {
	case w.missed <- name:
	default: // told already, and not read yet
	}
}

// restore watches a top folder that came back.
func (w *Watcher) restore(name string) {
	dir := filepath.Join(w.root, name)
	delete(w.missing, name)
	w.addTree(dir, false)
	fmt.Fprintf(w.log, "watch: %s/ is there; rebuilding\n", name)
	w.changedAll()
}

// poll looks for missing top folders (and the root) every pollInterval, in
// case their creation was not seen.
func (w *Watcher) poll() {
	if !w.rootOK {
		if err := w.fw.Add(w.root); err == nil {
			w.rootOK = true
		}
	}
	for _, name := range watchedFolders {
		if !w.missing[name] {
			continue
		}
		if isDir(filepath.Join(w.root, name)) {
			w.restore(name)
		}
	}
	if w.rootOK {
		if _, err := os.Stat(w.root); err != nil {
			w.rootOK = false
			_ = w.fw.Remove(w.root)
		}
	}
}

// addTree watches dir and its subfolders. With report, the files found are
// counted as changed (they may have been written before the watch began).
func (w *Watcher) addTree(dir string, report bool) {
	w.addTreeSeen(dir, report, map[string]bool{})
}

// addTreeSeen is addTree, following links to folders once each (seen holds
// their resolved paths), so that a link to a folder holding it ends.
func (w *Watcher) addTreeSeen(dir string, report bool, seen map[string]bool) {
	real, err := filepath.EvalSymlinks(dir)
	if err == nil {
		if seen[real] {
			return
		}
		seen[real] = true
	}
	if err := w.fw.Add(dir); err != nil {
		switch {
		case errors.Is(err, os.ErrNotExist):
		case strings.Contains(err.Error(), "no space left on device"):
			fmt.Fprintf(w.log, "watch: cannot watch %s: the system's limit of watched folders is reached; raise it with: sudo sysctl fs.inotify.max_user_watches=524288\n", dir)
		default:
			fmt.Fprintf(w.log, "watch: %s: %v\n", dir, err)
		}
		return
	}
	w.dirs[dir] = true
	if real != "" {
		if first, ok := w.firstName[real]; !ok || !w.dirs[first] {
			w.firstName[real] = dir
		} else if first != dir && !slices.Contains(w.aliases[first], dir) {
			w.aliases[first] = append(w.aliases[first], dir)
		}
	}
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if st, err := os.Stat(dir); err == nil {
			w.linkFolders[dir] = st
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		link := e.Type()&fs.ModeSymlink != 0
		if scratch.Skipped(e.Name(), e.IsDir() || link && isDir(p)) {
			continue
		}
		if e.IsDir() {
			w.addTreeSeen(p, report, seen)
			continue
		}
		if link && w.addLink(p, report, seen) {
			continue
		}
		if report {
			if rel, err := w.rel(p); err == nil {
				w.changed(rel, false)
			}
		}
	}
}

// addLink watches what the symbolic link p points to: a folder as a watched
// folder of its own (its files are reported under p), a file through its
// folder (see links). It reports whether p links to a folder.
func (w *Watcher) addLink(p string, report bool, seen map[string]bool) bool {
	rel, err := w.rel(p)
	if err != nil {
		return false
	}
	st, err := os.Stat(p)
	if err != nil {
		// Dangling: the build says so, and pollLinks looks for the
		// target, whose creation is a change.
		w.linkFiles[p] = rel
		return false
	}
	if readfile.Confine(w.root, p) != nil {
		// Out of the project: the build refuses it (and says so), and
		// following it could watch a whole system folder (/usr: 18,000
		// folders, a tenth of the machine's watches).
		return false
	}
	if st.IsDir() {
		w.addTreeSeen(p, report, seen)
		return true
	}
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false
	}
	w.linkFiles[p] = rel
	w.watchTarget(target, rel)
	return false
}

// watchTarget watches target, the file the link rel leads to, through its
// folder (see links).
func (w *Watcher) watchTarget(target, rel string) {
	if !slices.Contains(w.links[target], rel) {
		w.links[target] = append(w.links[target], rel)
	}
	if dir := filepath.Dir(target); !w.dirs[dir] && !w.linkDirs[dir] {
		if err := w.fw.Add(dir); err == nil {
			w.linkDirs[dir] = true
		}
	}
}

// watchesTarget reports whether the link rel's target is watched.
func (w *Watcher) watchesTarget(target, rel string) bool {
	dir := filepath.Dir(target)
	return slices.Contains(w.links[target], rel) && (w.dirs[dir] || w.linkDirs[dir])
}

// pollLinks watches the targets of links (linkFiles) that are there now
// and were not watched: a dangling link's target that appeared, a target
// whose folder came back. Each such link is a change, as the build reads
// through it. A link that stays dangling is none.
func (w *Watcher) pollLinks() {
	for p, rel := range w.linkFiles {
		if fi, err := os.Lstat(p); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			delete(w.linkFiles, p) // removed or replaced: its events told
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			continue // dangling still
		}
		if readfile.Confine(w.root, p) != nil {
			delete(w.linkFiles, p) // never followed (see addLink)
			continue
		}
		if st.IsDir() {
			// A folder appeared where the link leads: watched as a
			// folder, its files reported.
			delete(w.linkFiles, p)
			w.addTree(p, true)
			continue
		}
		target, err := filepath.EvalSymlinks(p)
		if err != nil || w.watchesTarget(target, rel) {
			continue
		}
		w.watchTarget(target, rel)
		w.changed(rel, false)
	}
	for p, was := range w.linkFolders {
		st, err := os.Stat(p)
		if err == nil && st.IsDir() && w.dirs[p] && os.SameFile(was, st) {
			continue // watched, and the folder it was
		}
		delete(w.linkFolders, p)
		w.removeTree(p)
		rel, rerr := w.rel(p)
		if rerr != nil {
			continue
		}
		if err != nil || !st.IsDir() {
			// Gone: the events of its files told their removal. Its
			// return is that of a dangling link's target (above); a
			// top folder's, restore's (poll).
			if strings.Contains(rel, "/") {
				w.linkFiles[p] = rel
			}
			continue
		}
		// Back, or another folder in its place: watched again, and
		// anything in it may have changed.
		w.addTree(p, false)
		w.changedAll()
	}
}

// removeTree forgets dir and the folders under it.
func (w *Watcher) removeTree(dir string) {
	prefix := dir + string(filepath.Separator)
	under := func(d string) bool { return d == dir || strings.HasPrefix(d, prefix) }
	for d := range w.dirs {
		if under(d) {
			if !w.isAlias(d) {
				// (An alias's watch is its first name's: kept.)
				_ = w.fw.Remove(d) // gone already when the folder was deleted
			}
			delete(w.dirs, d)
		}
	}
	for first, as := range w.aliases {
		as = slices.DeleteFunc(as, under)
		delete(w.aliases, first)
		if len(as) == 0 {
			continue
		}
		if under(first) {
			// The folder's watch went with its first name: the next
			// name, if the folder is still there, is watched now.
			if err := w.fw.Add(as[0]); err != nil {
				delete(w.dirs, as[0])
			}
			first, as = as[0], as[1:]
			if real, err := filepath.EvalSymlinks(first); err == nil {
				w.firstName[real] = first
			}
		}
		if len(as) > 0 {
			w.aliases[first] = as
		}
	}
}

// isAlias reports whether d is watched as another name of a folder.
func (w *Watcher) isAlias(d string) bool {
	for _, as := range w.aliases {
		if slices.Contains(as, d) {
			return true
		}
	}
	return false
}

// changed records a change of rel; gone tells that it left rel missing
// (removed, or renamed away as in the first half of an atomic save).
func (w *Watcher) changed(rel string, gone bool) {
	if was, ok := w.pending[rel]; ok && was {
		w.gone--
	}
	if gone {
		w.gone++
	}
	w.pending[rel] = gone
	w.touch()
}

func (w *Watcher) changedAll() {
	w.all = true
	w.touch()
}

// touch restarts the debounce timer, unless the burst has lasted maxDelay.
func (w *Watcher) touch() {
	now := time.Now()
	if !w.ready && !w.first.IsZero() && now.Sub(w.first) >= maxDelay {
		return // the timer set earlier fires soon: send what we have
	}
	if w.ready || w.first.IsZero() {
		w.first = now
	}
	w.ready = false
	d := saveDelay
	switch {
	case w.slow:
		d = maxBurstDelay
	case w.all || w.gone > 0 || len(w.pending) >= burstSize:
		d = max(burstDelay, min(now.Sub(w.first)/2, maxBurstDelay))
	}
	w.timer.Reset(d)
}

// rel is p relative to the project folder, slash-separated, as the build
// names files.
func (w *Watcher) rel(p string) (string, error) {
	rel, err := filepath.Rel(w.root, p)
	return filepath.ToSlash(rel), err
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func isWatchedFolder(name string) bool {
	for _, f := range watchedFolders {
		if f == name {
			return true
		}
	}
	return false
}
