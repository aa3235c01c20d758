//go:build unix

package output

import (
	"io"
	"io/fs"
	"syscall"
)

// maxWrite bounds one write(2): macOS refuses writes over 2 GB - 1, and
// Linux writes at most about 2 GB at a time (os caps its writes at 1 GB too).
const maxWrite = 1 << 30

// createFile writes data to a new file at name, as os.WriteFile does, in
// the system calls it needs and no more: an *os.File would make four
// fcntl calls and a failing epoll_ctl for every one of a build's files
// (a regular file cannot be polled), a third of the system calls of
// writing the site.
func createFile(name string, data []byte, perm uint32) error {
	var fd int
	err := retry(func() (err error) {
		fd, err = syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, perm)
		return err
	})
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 {
		var n int
		err := retry(func() (err error) {
			n, err = syscall.Write(fd, data[:min(len(data), maxWrite)])
			return err
		})
		if err == nil && n <= 0 {
			err = io.ErrShortWrite
		}
		if err != nil {
			syscall.Close(fd)
			return &fs.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
	}
	// close(2) is not retried: on Linux the descriptor is gone even when
	// it reports EINTR.
	if err := syscall.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}

// retry calls f again while a signal interrupts it (the Go runtime's own
// signals can, on network and FUSE file systems).
func retry(f func() error) error {
	for {
		if err := f(); err != syscall.EINTR {
			return err
		}
	}
}
