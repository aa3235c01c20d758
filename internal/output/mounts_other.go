//go:build !linux

package output

// mounts cannot read the kernel's table here: the mount point as -out is
// told by its device (mountPoint), and mounts inside it are not seen.
func mounts(dir string) (at bool, inside []string) { return false, nil }
