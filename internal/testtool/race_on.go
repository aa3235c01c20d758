//go:build race

package testtool

// Race is true when the tests run with the race detector, which slows Go
// code about tenfold: timing tests skip themselves then (make test runs them
// again without it).
const Race = true
