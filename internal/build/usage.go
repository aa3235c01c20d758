package build

import (
	"runtime/metrics"
	"time"
)

// usage is the process's CPU time so far, and the garbage collector's part
// of it, for Step.
type usage struct{ cpu, gc time.Duration }

// gcCPU is the runtime's estimate of the CPU time its collector has used.
const gcCPU = "/cpu/classes/gc/total:cpu-seconds"

func readUsage() usage {
	s := []metrics.Sample{{Name: gcCPU}}
	metrics.Read(s)
	var gc time.Duration
	if s[0].Value.Kind() == metrics.KindFloat64 {
		gc = time.Duration(s[0].Value.Float64() * float64(time.Second))
	}
	return usage{cpu: processCPU(), gc: gc}
}

// since is the step name that began at start, with u read then, and the
// usage now, where the next step begins.
func (u usage) since(name string, start time.Time) (Step, usage) {
	now := readUsage()
	st := Step{Name: name, Duration: time.Since(start), GC: now.gc - u.gc}
	if u.cpu > 0 {
		st.CPU = now.cpu - u.cpu
	}
	return st, now
}
