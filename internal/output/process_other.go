//go:build !unix

package output

// processAlive cannot tell here: a leftover is taken for a dead build's. Two
// builds into the same folder at once are not supported on these systems.
func processAlive(pid int) bool { return false }
