//go:build unix

package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A mount point as -out (a container's volume, a tmpfs) is refused before
// the build, even with -force, saying to pass a folder inside it: the
// output is replaced by renaming folders, which the kernel refuses for a
// mount point (EBUSY), so the build ran to its end and then failed with
// "device or resource busy", every time. CheckTarget writes nothing, so
// the system's own mount points are safe to check.
func TestRefusesAMountPoint(t *testing.T) {
	mount := ""
	for _, p := range []string{"/proc", "/dev/shm", "/sys", "/dev", "/run"} {
		st, err := os.Stat(p)
		pst, perr := os.Stat(filepath.Dir(p))
		if err == nil && perr == nil && st.IsDir() && st.Sys().(*syscall.Stat_t).Dev != pst.Sys().(*syscall.Stat_t).Dev {
			mount = p
			break
		}
	}
	if mount == "" {
		t.Skip("no mount point found to check")
	}
	root := project(t)
	for _, force := range []bool{false, true} {
		err := CheckTarget(root, mount, force)
		if !errors.As(err, new(*TargetError)) {
			t.Fatalf("-out %s (force=%v): %v, want a refusal", mount, force, err)
		}
		for _, w := range []string{"mount point", "a folder inside it", filepath.Join(mount, "site")} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("-out %s (force=%v): message %q lacks %q", mount, force, err, w)
			}
		}
	}
}
