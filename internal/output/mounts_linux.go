package output

import "os"

// mounts tells whether a file system (or a folder, bound there) is mounted
// at the real path dir, and lists the mount points inside it, from the
// kernel's table; nothing when it cannot be read.
func mounts(dir string) (at bool, inside []string) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return false, nil
	}
	defer f.Close()
	return mountsAt(f, dir)
}
