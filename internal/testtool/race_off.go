//go:build !race

package testtool

// Race is true when the tests run with the race detector.
const Race = false
