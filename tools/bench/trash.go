package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// trash puts off deleting the bench's outputs until no build is being timed.
//
// On ext4 without a journal (as on the VM the figures in the README come
// from), the kernel's inode allocator skips every inode deleted in the last
// vm.dirty_expire_centisecs (30 s by default) plus 5 s, and checks each one
// it skips: after `rm -rf` of a 30,000-file output, creating 30,000 files
// takes 6 s instead of 0.8 s (find_inode_bit → recently_deleted in a perf
// profile). Deleting the previous output just before a timed build therefore
// charges the build for the harness's own deletion, and the tool that makes
// more files pays more than in proportion. So outputs are moved into the
// trash (a rename, which frees no inode) and the trash is emptied between
// sizes, followed by a wait until the kernel no longer counts those inodes as
// recently deleted. Every timed build starts on a quiet file system, as a
// first build on a fresh clone or a CI runner does.
type trash struct {
	dir     string
	n       int
	window  time.Duration // how long deleted inodes slow down allocation
	quietAt time.Time     // when the last emptying stops mattering
}

func newTrash(work string) (*trash, error) {
	dir := filepath.Join(work, "trash")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	// Deleting done just before the bench began (a previous run's cleanup)
	// counts too.
	w := recentlyDeletedWindow()
	return &trash{dir: dir, window: w, quietAt: time.Now().Add(w)}, nil
}

// recentlyDeletedWindow is how long Linux's ext4 treats a deleted inode as
// recently deleted: vm.dirty_expire_centisecs plus 5 s when its inode table
// block is still dirty, plus a margin. Zero where the setting does not exist
// (not Linux).
func recentlyDeletedWindow() time.Duration {
	b, err := os.ReadFile("/proc/sys/vm/dirty_expire_centisecs")
	if err != nil {
		return 0
	}
	cs, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || cs < 0 {
		return 0
	}
	return time.Duration(cs)*10*time.Millisecond + 5*time.Second + 2*time.Second
}

// discard moves path into the trash; a path that does not exist is fine.
func (t *trash) discard(path string) error {
	if _, err := os.Lstat(path); os.IsNotExist(err) {
		return nil
	}
	t.n++
	if err := os.Rename(path, filepath.Join(t.dir, strconv.Itoa(t.n))); err != nil {
		return fmt.Errorf("moving %s into the trash: %w", path, err)
	}
	return nil
}

// empty deletes what the trash holds; timed builds then wait (waitQuiet)
// until the deletion no longer slows file creation down.
func (t *trash) empty() {
	if t.n == 0 {
		return
	}
	os.RemoveAll(t.dir)
	os.MkdirAll(t.dir, 0o755)
	t.n = 0
	t.quietAt = time.Now().Add(t.window)
}

// waitQuiet returns once the last emptying no longer slows file creation
// down and the data earlier runs wrote is on disk, or when ctx ends.
//
// Without the flush, the kernel writes a run's output back while the next
// run is timed (dirty pages expire after vm.dirty_expire_centisecs, 30 s),
// on the same two cores: each tool paid for part of the previous tool's
// writing, Hugo more for dossier's 285 MB than dossier for Hugo's 80 MB.
func (t *trash) waitQuiet(ctx context.Context) error {
	if d := time.Until(t.quietAt); d > 0 {
		logf("waiting %s for the file system to forget the deleted outputs", d.Round(time.Second))
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	flushDirty()
	return ctx.Err()
}
