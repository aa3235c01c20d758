//go:build unix

package readfile

import (
	"os"
	"syscall"
)

// open opens path for reading without blocking: opening a named pipe with
// no writer would otherwise wait forever, before Read can look at its type.
// O_NONBLOCK changes nothing for a regular file.
func open(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
