//go:build unix

package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// mountPoint reports whether the folder dir, of FileInfo st, is where a
// file system is mounted: it is on another device than its parent. (A
// bind mount of a folder of the same file system is not seen here; the
// swap then fails with EBUSY, which busy explains.)
func mountPoint(dir string, st fs.FileInfo) bool {
	pst, err := os.Stat(filepath.Dir(dir))
	if err != nil {
		return false
	}
	a, ok := st.Sys().(*syscall.Stat_t)
	b, pok := pst.Sys().(*syscall.Stat_t)
	return ok && pok && a.Dev != b.Dev
}

// busy reports whether a rename failed because its folder is a mount point
// (or otherwise in use by the system).
func busy(err error) bool { return errors.Is(err, syscall.EBUSY) }
