package testtool

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The behaviour is checked in a child process, since a skip or a failure
// ends the test that calls it.
func TestMissingSkipsWithALineOrFailsInCI(t *testing.T) {
	if os.Getenv("TESTTOOL_CHILD") != "" {
		Missing(t, "the frobnicator", "apt-get install frobnicator")
		return
	}
	tests := []struct {
		name     string
		ci       string
		wantFail bool
	}{
		{"outside CI", "", false},
		{"in CI", "true", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "skips")
			cmd := exec.Command(os.Args[0], "-test.run=^TestMissingSkipsWithALineOrFailsInCI$", "-test.v")
			cmd.Env = append(os.Environ(), "TESTTOOL_CHILD=1", "CI="+tc.ci, LogEnv+"="+log)
			out, err := cmd.CombinedOutput()
			if failed := err != nil; failed != tc.wantFail {
				t.Fatalf("failed = %v, want %v:\n%s", failed, tc.wantFail, out)
			}
			logged, _ := os.ReadFile(log)
			if tc.wantFail {
				if !strings.Contains(string(out), "CI is set but the frobnicator is missing") {
					t.Errorf("failure does not say what is missing:\n%s", out)
				}
				return
			}
			if !strings.Contains(string(out), "--- SKIP") {
				t.Errorf("not skipped:\n%s", out)
			}
			if want := "skipped TestMissingSkipsWithALineOrFailsInCI: the frobnicator is missing (apt-get install frobnicator)\n"; string(logged) != want {
				t.Errorf("skip log = %q, want %q", logged, want)
			}
		})
	}
}

func TestLeastGrowth(t *testing.T) {
	for _, tc := range []struct {
		name     string
		seq      []float64
		attempts int
		want     float64
		calls    int
	}{
		{"within the bound at once", []float64{10, 1, 1}, 3, 10, 1},
		{"a burst, then within", []float64{90, 12, 1}, 3, 12, 2},
		{"over every time", []float64{90, 80, 85}, 3, 80, 3},
		{"one attempt", []float64{90, 1}, 1, 90, 1},
	} {
		calls := 0
		got := LeastGrowth(tc.attempts, 48, func() float64 { calls++; return tc.seq[calls-1] })
		if got != tc.want || calls != tc.calls {
			t.Errorf("%s: %v after %d measurements, want %v after %d", tc.name, got, calls, tc.want, tc.calls)
		}
	}
}
