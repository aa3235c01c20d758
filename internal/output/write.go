package output

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// WriteOptions configure Write.
type WriteOptions struct {
	// Root is the project folder; see CheckTarget for what it protects
	// ("" is the current folder).
	Root string
	// Force replaces a non-empty folder that no build made (never a
	// protected one).
	Force bool

	removeAll  func(string) error // os.RemoveAll; tests make it fail
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

// WriteWith writes the site to dir, replacing what was there in one atomic step:
// readers (a web server, the Pages upload, a person) see either the whole
// previous site or the whole new one, never a mixture or nothing, even if the
// process is killed at any moment.
//
// The files go to a temporary folder beside dir (".public.tmp-PID-RANDOM",
// holding MarkerFile from the start), which then takes dir's place:
//   - on Linux with renameat2(RENAME_EXCHANGE) and on macOS with
//     renamex_np(RENAME_SWAP), the two folders swap names in one step, and
//     the previous output, now under the temporary name, is deleted;
//   - elsewhere (or on a file system without the exchange), dir is renamed
//     aside (".public.old-PID-RANDOM") and the new folder renamed into place:
//     two steps, with a moment in between when dir does not exist.
//
// Leftovers of builds killed before they could clean up (folders with those
// names, holding MarkerFile or empty, whose process is gone) are deleted
// first. Before anything is written, CheckTarget must allow dir; it is
// checked again just before the swap. An error before the swap leaves the
// previous dir untouched and says so; a *LeftoverError means the new site is
// in place.
func WriteWith(ctx context.Context, s *Site, dir string, opts WriteOptions) error {
	if err := CheckTarget(opts.Root, dir, opts.Force); err != nil {
		return err
	}
	removeAll := opts.removeAll
	if removeAll == nil {
		removeAll = os.RemoveAll
	}
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	untouched := func(err error) error {
		return fmt.Errorf("%w (the previous output in %s is untouched)", err, dir)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("cannot write %s: %w", dir, err)
	}
	removeLeftovers(parent, base)

	tmp := filepath.Join(parent, scratchName(base, "tmp"))
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return untouched(fmt.Errorf("create a temporary output folder: %w", err))
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	// The marker goes first, so that a build killed from here on leaves a
	// folder the next build recognises as its own.
	if err := os.WriteFile(filepath.Join(tmp, MarkerFile), []byte(markerText), 0o644); err != nil {
		return untouched(fmt.Errorf("write %s: %w", MarkerFile, err))
	}
	made := map[string]bool{}
	for _, p := range s.Paths() {
		if err := ctx.Err(); err != nil {
			return untouched(err)
		}
		if !fs.ValidPath(p) || strings.Contains(p, `\`) || p == MarkerFile {
			return untouched(fmt.Errorf("refusing to write unsafe output path %q", p))
		}
		full := filepath.Join(tmp, filepath.FromSlash(p))
		d := filepath.Dir(full)
		if !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return untouched(err)
			}
			made[d] = true
		}
		if err := os.WriteFile(full, s.Files[p].Data, 0o644); err != nil {
			return untouched(fmt.Errorf("write %s: %w", p, err))
		}
	}
	if err := ctx.Err(); err != nil {
		return untouched(err)
	}
	// dir may have changed while the files were written.
	if err := CheckTarget(opts.Root, dir, opts.Force); err != nil {
		return err
	}

	_, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(tmp, dir); err != nil {
			return untouched(fmt.Errorf("move the new output into place: %w", err))
		}
		ok = true
		return nil
	}
	if err != nil {
		return untouched(err)
	}
	xerr := errNoExchange
	if !opts.noExchange {
		xerr = exchange(tmp, dir)
	}
	switch err := xerr; {
	case err == nil:
		// tmp now holds the previous output.
		ok = true
		if err := removeAll(tmp); err != nil {
			return &LeftoverError{Path: tmp, Err: err}
		}
		return nil
	case !errors.Is(err, errNoExchange):
		return untouched(fmt.Errorf("swap the new output into place: %w", err))
	}

	// Two renames: dir is missing for a moment in between.
	old := filepath.Join(parent, scratchName(base, "old"))
	if err := os.Rename(dir, old); err != nil {
		return untouched(fmt.Errorf("move the previous output aside: %w", err))
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("move the new output into place: %w; the previous output is in %s and could not be put back (%v): rename it to %s yourself", err, old, rerr, dir)
		}
		return untouched(fmt.Errorf("move the new output into place: %w", err))
	}
	ok = true
	if err := removeAll(old); err != nil {
		return &LeftoverError{Path: old, Err: err}
	}
	return nil
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
// and which hold MarkerFile (or nothing at all, if the build was killed
// before writing it). Anything else is left alone. Best effort: a leftover
// that cannot be deleted now is tried again by the next build.
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
		if hasMarker(p) {
			if os.RemoveAll(p) == nil {
				removed = append(removed, p)
			}
		} else if os.Remove(p) == nil { // only succeeds when empty
			removed = append(removed, p)
		}
	}
	return removed
}
