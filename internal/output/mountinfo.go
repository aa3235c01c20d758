package output

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// mountsAt reads a mount table in the format of Linux's
// /proc/self/mountinfo and returns whether a file system (or a folder, bound
// there) is mounted at dir itself, and the mount points strictly inside dir.
// dir is a real path: the table lists real paths.
func mountsAt(table io.Reader, dir string) (at bool, inside []string) {
	prefix := strings.TrimSuffix(dir, "/") + "/"
	sc := bufio.NewScanner(table)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		// id parent major:minor root mount-point options ...
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		mp := unescapeMount(fields[4])
		switch {
		case mp == dir:
			at = true
		case strings.HasPrefix(mp, prefix):
			inside = append(inside, mp)
		}
	}
	return at, inside
}

// unescapeMount undoes the kernel's escapes in a mount table's path: a
// space, tab, line feed or backslash is written as \ and three octal
// digits.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
