package output

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// WriteOptions configure Write.
type WriteOptions struct {
	// Root is the project folder; see CheckTarget for what it protects
	// ("" is the current folder).
	Root string
	// Force replaces a non-empty folder that no build made (never a
	// protected one).
	Force bool

	removeAll  func(string) error // deletes one entry of an old output (os.RemoveAll); tests make it fail
	noExchange bool               // tests take the two-rename path
}

// LeftoverError is returned when the new site is in place but the previous
// output, moved aside, could not be deleted. The build succeeded; the next
// one tries to delete it again.
type LeftoverError struct {
	Path string
	Err  error
}

func (e *LeftoverError) Error() string {
	return fmt.Sprintf("the new site is in place, but the previous output moved aside to %s could not be deleted (%v): delete it yourself, or the next build tries again", e.Path, e.Err)
}

func (e *LeftoverError) Unwrap() error { return e.Err }

// Write is WriteWith with the zero WriteOptions: the current folder stands
// for the project folder, and a non-empty folder not made by a build is
// refused.
func Write(ctx context.Context, s *Site, dir string) error {
	return WriteWith(ctx, s, dir, WriteOptions{})
}

// WriteWith writes a site held in memory to dir, replacing what was there in
// one atomic step (see Stage, which it uses).
func WriteWith(ctx context.Context, s *Site, dir string, opts WriteOptions) error {
	st, err := NewStage(dir, opts)
	if err != nil {
		return err
	}
	defer st.Abort()
	for _, p := range s.Paths() {
		if err := ctx.Err(); err != nil {
			return st.untouched(err)
		}
		if err := st.Put(s.Files[p]); err != nil {
			return err
		}
	}
	return st.Commit(ctx)
}

// Stage is a new output folder being written beside dir, to replace it in
// one atomic step when complete: readers (a web server, the Pages upload, a
// person) see either the whole previous site or the whole new one, never a
// mixture or nothing, even if the process is killed at any moment.
//
// The files go to a temporary folder beside dir (".public.tmp-PID-RANDOM",
// holding MarkerFile from the start), written as they are made (Put, from
// any number of goroutines), so that no build holds a whole site in memory.
// Commit then puts the folder in dir's place:
//   - on Linux with renameat2(RENAME_EXCHANGE) and on macOS with
//     renamex_np(RENAME_SWAP), the two folders swap names in one step, and
//     the previous output, now under the temporary name, is deleted;
//   - elsewhere (or on a file system without the exchange), dir is renamed
//     aside (".public.old-PID-RANDOM") and the new folder renamed into place:
//     two steps, with a moment in between when dir does not exist.
//
// Leftovers of builds killed before they could clean up (folders with those
// names, holding MarkerFile or empty, whose process is gone) are deleted
// first. CheckTarget must allow dir before anything is written; it is
// checked again just before the swap. An error before the swap leaves the
// previous dir untouched and says so; a *LeftoverError from Commit means
// the new site is in place.
type Stage struct {
	dir, tmp string
	opts     WriteOptions
	// mu is held for reading by each Put, and for writing by Commit and
	// Abort: once they start, no Put queues a file any more (a cancelled
	// build may still be rendering in the background).
	mu     sync.RWMutex
	closed bool
	// queue feeds the writers: a few files in flight, so that a build
	// never holds more than that many made files, and writes overlap
	// with the work of making the next ones.
	queue   chan *File
	writers sync.WaitGroup
	abort   atomic.Bool
	errMu   sync.Mutex
	err     error
	// paths records the files put, to refuse a second file at one path
	// (that would be a mistake in the build, and its result would depend
	// on which came last); dirs the folders made, as paths of the site
	// ("." for its root). Plain maps under a lock: they hold a key per
	// file, 200,000 at 100,000 articles, and a sync.Map's nodes cost four
	// times a map's entry, kept live all build.
	seenMu sync.Mutex
	paths  map[string]struct{}
	dirs   map[string]struct{}
	files  atomic.Int64
}

// Writers and queue length of a Stage: file creation is mostly waiting on
// the file system, so more writers than cores keep it busy.
const (
	stageWriters = 8
	stageQueue   = 64
)

// NewStage checks dir with CheckTarget, cleans up what killed builds left
// beside it, and makes the temporary folder with its marker.
func NewStage(dir string, opts WriteOptions) (*Stage, error) {
	// The folder written is the one the checks were made on: dir's real
	// path, as the kernel resolves it (a "../site" from a folder reached
	// through a link is beside the link's target).
	dir, err := checkTarget(opts.Root, dir, opts.Force)
	if err != nil {
		return nil, err
	}
	st := &Stage{dir: dir, opts: opts}
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", dir, err)
	}
	removeLeftovers(parent, base)
	tmp := filepath.Join(parent, scratchName(base, "tmp"))
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return nil, st.untouched(fmt.Errorf("create a temporary output folder: %w", err))
	}
	st.tmp = tmp
	// The marker goes first, so that a build killed from here on leaves a
	// folder the next build recognises as its own.
	if err := os.WriteFile(filepath.Join(tmp, MarkerFile), []byte(markerText), 0o644); err != nil {
		os.RemoveAll(tmp)
		return nil, st.untouched(fmt.Errorf("write %s: %w", MarkerFile, err))
	}
	st.paths, st.dirs = map[string]struct{}{}, map[string]struct{}{".": {}}
	st.queue = make(chan *File, stageQueue)
	for range stageWriters {
		st.writers.Add(1)
		go st.write()
	}
	return st, nil
}

// untouched says that the previous output is as it was.
func (st *Stage) untouched(err error) error {
	return fmt.Errorf("%w (the previous output in %s is untouched)", err, st.dir)
}

// Files is the number of files written so far.
func (st *Stage) Files() int { return int(st.files.Load()) }

// Put queues one file to be written into the stage; it waits while the
// queue is full. An error of an earlier write is returned by the next Put
// and by Commit. Safe for concurrent use.
func (st *Stage) Put(f *File) error {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if st.closed {
		return st.untouched(errors.New("the output folder is already committed or abandoned"))
	}
	if err := st.failed(); err != nil {
		return err
	}
	p := f.Path
	if !fs.ValidPath(p) || p == "." || strings.Contains(p, `\`) || p == MarkerFile {
		return st.fail(fmt.Errorf("refusing to write unsafe output path %q", p))
	}
	st.seenMu.Lock()
	_, dup := st.paths[p]
	st.paths[p] = struct{}{}
	st.seenMu.Unlock()
	if dup {
		return st.fail(fmt.Errorf("two output files for %s", p))
	}
	st.queue <- f
	return nil
}

// write is a writer: it writes the queued files until the queue is closed.
func (st *Stage) write() {
	defer st.writers.Done()
	for f := range st.queue {
		st.writeFile(f)
		if f.Done != nil {
			f.Done()
		}
	}
}

// writeFile writes one queued file into the temporary folder, unless the
// stage is aborted or failed.
func (st *Stage) writeFile(f *File) {
	if st.abort.Load() || st.failed() != nil {
		return // drain
	}
	full := filepath.Join(st.tmp, filepath.FromSlash(f.Path))
	if d := path.Dir(f.Path); !st.made(d) {
		if err := mkdir(filepath.Dir(full)); err != nil {
			st.fail(fmt.Errorf("write %s: %w", f.Path, err))
			return
		}
		st.seenMu.Lock()
		st.dirs[d] = struct{}{}
		st.seenMu.Unlock()
	}
	if err := createFile(full, f.Data, 0o644); err != nil {
		st.fail(fmt.Errorf("write %s: %w", f.Path, err))
		return
	}
	st.files.Add(1)
}

// mkdir makes the folder dir and any parents missing. It tries dir alone
// first: a page's folder is new but its parent mostly exists already, and
// os.MkdirAll would look at both before making it.
func mkdir(dir string) error {
	if os.Mkdir(dir, 0o755) == nil {
		return nil
	}
	// A missing parent, or something already there (MkdirAll tells a
	// folder from a file).
	return os.MkdirAll(dir, 0o755)
}

// fail records the first error of a write and returns it as Put and Commit do.
func (st *Stage) fail(err error) error {
	st.errMu.Lock()
	defer st.errMu.Unlock()
	if st.err == nil {
		st.err = st.untouched(err)
	}
	return st.err
}

func (st *Stage) failed() error {
	st.errMu.Lock()
	defer st.errMu.Unlock()
	return st.err
}

// made says the folder d (a path of the site) was made.
func (st *Stage) made(d string) bool {
	st.seenMu.Lock()
	defer st.seenMu.Unlock()
	_, ok := st.dirs[d]
	return ok
}

// close stops taking files and waits for the writers; the caller holds mu.
func (st *Stage) close() {
	st.closed = true
	close(st.queue)
	st.writers.Wait()
}

// Abort abandons the stage: the temporary folder is deleted and dir stays as
// it was. It does nothing after Commit, so it can be deferred.
func (st *Stage) Abort() {
	st.abort.Store(true) // the writers drop what is queued
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return
	}
	st.close()
	removeOutput(st.tmp, os.RemoveAll)
}

// Commit puts the staged folder in dir's place. Whatever it returns, the
// stage is closed.
func (st *Stage) Commit(ctx context.Context) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return st.untouched(errors.New("the output folder is already committed or abandoned"))
	}
	st.close()
	ok := false
	tmp, dir, opts := st.tmp, st.dir, st.opts
	defer func() {
		if !ok {
			removeOutput(tmp, os.RemoveAll)
		}
	}()
	removeAll := opts.removeAll
	if removeAll == nil {
		removeAll = os.RemoveAll
	}
	if err := st.failed(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return st.untouched(err)
	}
	// dir may have changed while the files were written, or a folder on
	// its path been replaced by a link.
	if real, err := checkTarget(opts.Root, dir, opts.Force); err != nil {
		return err
	} else if real != dir {
		return st.untouched(fmt.Errorf("%s now leads to %s: a folder on its path was replaced by a symbolic link while the site was written", dir, real))
	}
	// The marker now lists what the build wrote at the top of the folder,
	// so that the next build can tell files put there since (see
	// foreignEntries).
	if err := st.listInMarker(); err != nil {
		return st.untouched(err)
	}

	_, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(tmp, dir); err != nil {
			return st.untouched(fmt.Errorf("move the new output into place: %w", err))
		}
		ok = true
		return nil
	}
	if err != nil {
		return st.untouched(err)
	}
	xerr := errNoExchange
	if !opts.noExchange {
		xerr = exchange(tmp, dir)
	}
	switch err := xerr; {
	case err == nil:
		// tmp now holds the previous output.
		ok = true
		if err := removeOutput(tmp, removeAll); err != nil {
			return &LeftoverError{Path: tmp, Err: err}
		}
		return nil
	case !errors.Is(err, errNoExchange):
		return st.untouched(fmt.Errorf("swap the new output into place: %w", explainBusy(err, dir)))
	}

	// Two renames: dir is missing for a moment in between.
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	old := filepath.Join(parent, scratchName(base, "old"))
	if err := os.Rename(dir, old); err != nil {
		return st.untouched(fmt.Errorf("move the previous output aside: %w", explainBusy(err, dir)))
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("move the new output into place: %w; the previous output is in %s and could not be put back (%v): rename it to %s yourself", err, old, rerr, dir)
		}
		return st.untouched(fmt.Errorf("move the new output into place: %w", err))
	}
	ok = true
	if err := removeOutput(old, removeAll); err != nil {
		return &LeftoverError{Path: old, Err: err}
	}
	return nil
}

// listInMarker writes into the staged folder's marker the names of what the
// build wrote at its top.
func (st *Stage) listInMarker() error {
	entries, err := os.ReadDir(st.tmp)
	if err != nil {
		return fmt.Errorf("list the new output: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != MarkerFile {
			names = append(names, e.Name())
		}
	}
	if err := os.WriteFile(filepath.Join(st.tmp, MarkerFile), markerContent(names), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", MarkerFile, err)
	}
	return nil
}

// removeOutput deletes dir, a folder a build wrote (a previous output, a
// stage abandoned, a killed build's leftover), its marker last, calling
// removeAll for each other entry at its top. A deletion that stops half-way
// (a file that may not be deleted, a kill) so leaves a folder that still
// holds the marker, which the next build deletes as a leftover:
// os.RemoveAll alone deletes entries in the order the file system lists
// them, the marker among the first on ext4, and left an unmarked folder
// that no build touches again. The first error is returned, after the
// other entries are deleted.
func removeOutput(dir string, removeAll func(string) error) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var first error
	for _, e := range entries {
		if e.Name() == MarkerFile {
			continue
		}
		if err := removeAll(filepath.Join(dir, e.Name())); err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return first
	}
	return os.RemoveAll(dir)
}

// explainBusy adds to a rename's error that the output folder dir is a
// mount point, when that is why it failed (a bind mount, which the checks
// do not see: mountPoint), and what to do.
func explainBusy(err error, dir string) error {
	if !busy(err) {
		return err
	}
	return fmt.Errorf("%w: %s is a mount point (or in use by the system), which a build cannot replace: pass a folder inside it as -out, such as %s", err, dir, filepath.Join(dir, "site"))
}

// errNoExchange is wrapped by exchange's error when the platform or file
// system cannot swap two folders atomically.
var errNoExchange = errors.New("atomic exchange not supported")

// scratchName is the name of a build's temporary or set-aside folder beside
// the output folder base: ".base.KIND-PID-RANDOM". The process id tells a
// live build's folder from a killed one's.
func scratchName(base, kind string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "." + base + "." + kind + "-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
}

// scratchRE matches scratchName's names; group 1 is the process id.
func scratchRE(base string) *regexp.Regexp {
	return regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `\.(?:tmp|old)-([0-9]+)-[0-9a-f]{12}$`)
}

// removeLeftovers deletes what builds into parent/base that were killed left
// behind: folders named as scratchName makes them, whose process is gone,
// and which hold MarkerFile (whole, or cut short by the kill, but never
// someone else's file of that name) or nothing at all, if the build was
// killed before writing it. Anything else is left alone. Best effort: a
// leftover that cannot be deleted now is tried again by the next build.
func removeLeftovers(parent, base string) []string {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil
	}
	re := scratchRE(base)
	var removed []string
	for _, e := range entries {
		m := re.FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || (pid != os.Getpid() && processAlive(pid)) {
			continue // a build running now
		}
		p := filepath.Join(parent, e.Name())
		// The marker, or its start (markerHead reads no more): the build
		// may have been killed while writing it.
		if head, ok := markerHead(p); ok && strings.HasPrefix(markerText, head) {
			if removeOutput(p, os.RemoveAll) == nil {
				removed = append(removed, p)
			}
		} else if os.Remove(p) == nil { // only succeeds when empty
			removed = append(removed, p)
		}
	}
	return removed
}
