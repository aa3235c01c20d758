package testtool

// LeastGrowth measures a growth ratio (the time of a large input over the
// time of a small one) up to attempts times, until it is within bound, and
// returns the least it saw. The tests that check that no stage is
// superlinear compare timings on a shared machine: one measurement can
// catch a burst of load or a collection, but a superlinear stage is over
// the bound every time.
func LeastGrowth(attempts int, bound float64, measure func() float64) float64 {
	least := measure()
	for i := 1; i < attempts && least > bound; i++ {
		least = min(least, measure())
	}
	return least
}
