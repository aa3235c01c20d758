// Package readfile reads the files of a project (content/, templates/,
// static/) safely: only regular files, never more than a size limit. A FIFO
// named x.md would block a plain read forever, a device such as /dev/zero
// would never end, and one huge file would exhaust memory; all three are
// refused with a message saying what the file is and what to do.
package readfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotRegular is wrapped by the error for a path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is returned for a file over the size limit.
type TooLargeError struct {
	Size, Max int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the file is %s, over the limit of %s for one file", Size(e.Size), Size(e.Max))
}

// Read returns the contents of the regular file at path, refusing anything
// else (named pipes, devices, sockets, folders) without blocking, and any
// file larger than max bytes. A missing file gives an error wrapping
// fs.ErrNotExist.
func Read(path string, max int64) ([]byte, error) {
	return ReadInto(new(bytes.Buffer), path, max)
}

// ReadInto is Read into buf, emptied first: the bytes it returns are buf's,
// for a caller that lends buf from a pool and takes it back once it is done
// with them.
func ReadInto(buf *bytes.Buffer, path string, max int64) ([]byte, error) {
	buf.Reset()
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, NotRegular(st.Mode())
	}
	if st.Size() > max {
		return nil, &TooLargeError{Size: st.Size(), Max: max}
	}
	// The file may grow between Stat and the read: read at most one byte
	// more than allowed to tell.
	// A buffer sized for the file as Stat saw it takes the whole read in
	// one allocation (io.ReadAll would grow and copy it step by step).
	buf.Grow(int(st.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, max+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if int64(len(data)) > max {
		return nil, &TooLargeError{Size: int64(len(data)), Max: max}
	}
	return data, nil
}

// NotRegular is the error for a file of mode m that is not a regular file
// (a pipe, a device, a socket), which dossier never reads.
func NotRegular(m fs.FileMode) error {
	return fmt.Errorf("%w (%s): dossier reads only regular files; remove it or move it out of the project's folders", ErrNotRegular, kind(m))
}

// kind names a file mode's type for a message.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "not a regular file"
}

// Size formats a byte count for messages: "512 B", "40 KB", "32 MB", "1.5 GB".
func Size(n int64) string {
	const k = 1 << 10
	switch {
	case n < k:
		return fmt.Sprintf("%d B", n)
	case n < k*k:
		return trim(float64(n)/k) + " KB"
	case n < k*k*k:
		return trim(float64(n)/(k*k)) + " MB"
	}
	return trim(float64(n)/(k*k*k)) + " GB"
}

func trim(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s
}

// ParseSize parses a size as written in dossier.yaml: a number of bytes, or a
// number followed by B, KB, MB or GB (binary multiples, case-insensitive,
// optional space): "32MB", "512 KB", "1GB".
func ParseSize(s string) (int64, error) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 12 {
		return 0, fmt.Errorf("%q is not a size: write a number with a unit, such as 32MB or 512KB", s)
	}
	var n int64
	for _, c := range s[:i] {
		n = n*10 + int64(c-'0')
	}
	unit := s[i:]
	if len(unit) > 0 && unit[0] == ' ' {
		unit = unit[1:]
	}
	mult := map[string]int64{"": 1, "b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30}
	m, ok := mult[lower(unit)]
	if !ok {
		return 0, fmt.Errorf("%q is not a size: the unit must be B, KB, MB or GB", s)
	}
	if n == 0 {
		return 0, fmt.Errorf("%q is not a size: it must be more than 0", s)
	}
	if n > math.MaxInt64/m {
		return 0, fmt.Errorf("%q is too large a size", s)
	}
	return n * m, nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// ErrOutside is wrapped by the error for a file reached through a symbolic
// link that leads out of the project folder.
var ErrOutside = errors.New("a symbolic link out of the project folder")

// Confine checks that path, a file under the project folder root, stays
// inside root once symbolic links are followed. dossier publishes static
// files and originals as they are, and shows content in messages: a link
// such as static/x -> /etc/passwd or /proc/self/environ in a contributor's
// change would otherwise publish, or print in a CI log, a file of the
// machine that builds the site. A link within the project (to a shared/
// folder of it, a git submodule) is fine. Only a path with a link on the way
// is resolved: the usual case costs one lstat per folder of the path.
func Confine(root, path string) error {
	rel, err := filepath.Rel(root, path)
	if err != nil || !filepath.IsLocal(rel) {
		return nil // not under root: not a project file
	}
	p, linked := root, false
	for _, c := range strings.Split(rel, string(filepath.Separator)) {
		p = filepath.Join(p, c)
		st, err := os.Lstat(p)
		if err != nil {
			return nil // missing: the read says so
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			linked = true
			break
		}
	}
	if !linked {
		return nil
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil // a link to nothing: the read says so
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		realRoot = root
	}
	if r, err := filepath.Rel(realRoot, real); err == nil && filepath.IsLocal(r) {
		return nil
	}
	return fmt.Errorf("%w: it leads to %s; dossier reads only files inside the project, so that a link cannot publish or print a file from elsewhere on the machine: copy the file into the project (or keep shared files in a folder of it, such as a git submodule, and link to that)", ErrOutside, real)
}

// ReadIn is ReadInto for a file of the project folder root: Confine, then
// the read.
func ReadIn(buf *bytes.Buffer, root, path string, max int64) ([]byte, error) {
	if err := Confine(root, path); err != nil {
		return nil, err
	}
	return ReadInto(buf, path, max)
}

// ReadUnder is Read for a file of the project folder root (see Confine).
func ReadUnder(root, path string, max int64) ([]byte, error) {
	return ReadIn(new(bytes.Buffer), root, path, max)
}
