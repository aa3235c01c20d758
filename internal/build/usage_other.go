//go:build !unix

package build

import "time"

// processCPU is zero where the process's CPU time is not read (Step.CPU).
func processCPU() time.Duration { return 0 }
