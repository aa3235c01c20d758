package serve

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs the parallel tests all at once even on a machine with few
// cores: the watcher tests spend their time waiting for the watcher's quiet
// times, not computing, and the default (-parallel GOMAXPROCS) would queue
// them two by two on two cores. An explicit -test.parallel wins.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", "16")
	}
	os.Exit(m.Run())
}
