//go:build !unix

package output

import "io/fs"

// mountPoint cannot tell here (see mount_unix.go).
func mountPoint(dir string, st fs.FileInfo) bool { return false }

// busy cannot tell here (see mount_unix.go).
func busy(err error) bool { return false }
