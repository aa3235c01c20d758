//go:build race

package build_test

// raceEnabled is set when the tests run with the race detector, which slows
// the pipeline about tenfold.
const raceEnabled = true
