package output

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// An output folder with a file system or a folder mounted inside it (a
// container's volume, a bind mount of the sources) is refused, even with
// -force and with the marker: deleting the folder deleted the files of
// what was mounted in it. Needs the right to mount (root); skipped
// otherwise.
func TestRefusesAFolderHoldingAMount(t *testing.T) {
	root := project(t)
	dir := filepath.Join(t.TempDir(), "public")
	if err := Write(context.Background(), site(map[string]string{"index.html": "old", "articles/x/index.html": "x"}), dir); err != nil {
		t.Fatal(err)
	}
	mnt := filepath.Join(dir, "articles", "x")
	if err := syscall.Mount(filepath.Join(root, "content"), mnt, "", syscall.MS_BIND, ""); err != nil {
		t.Skipf("cannot mount (%v): run as root to test", err)
	}
	t.Cleanup(func() {
		// Wherever the mount is now: a build that swapped the folder
		// took it along.
		_, inside := mounts(filepath.Dir(dir))
		for _, m := range inside {
			syscall.Unmount(m, syscall.MNT_DETACH)
		}
	})
	before := digest(t, root)
	for _, force := range []bool{false, true} {
		err := WriteWith(context.Background(), site(map[string]string{"index.html": "new"}), dir, WriteOptions{Root: root, Force: force})
		if !errors.As(err, new(*TargetError)) {
			t.Fatalf("force=%v: %v, want a refusal", force, err)
		}
		if !strings.Contains(err.Error(), mnt) || !strings.Contains(err.Error(), "unmount it") {
			t.Errorf("force=%v: message %q lacks the mount point or what to do", force, err)
		}
	}
	if after := digest(t, root); after != before {
		t.Errorf("the project changed:\n%s\nwas\n%s", after, before)
	}
}
