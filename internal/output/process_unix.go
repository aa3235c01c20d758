//go:build unix

package output

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with this id exists (possibly
// another user's: EPERM means it exists).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
