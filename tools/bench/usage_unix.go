//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// processUsage reads a finished command's resource usage: wait4's rusage
// counts the process and the children it waited for (Hugo under its
// wrapper script), and ru_maxrss is the largest of them.
func processUsage(ps *os.ProcessState) usage {
	if ps == nil {
		return usage{}
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return usage{}
	}
	rss := int64(ru.Maxrss)
	if runtime.GOOS != "darwin" {
		rss *= 1024 // kilobytes, except on macOS
	}
	return usage{cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), maxRSS: rss}
}
