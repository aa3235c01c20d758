//go:build !unix

package output

import "os"

// createFile writes data to a new file at name (see create_unix.go).
func createFile(name string, data []byte, perm uint32) error {
	return os.WriteFile(name, data, os.FileMode(perm))
}
