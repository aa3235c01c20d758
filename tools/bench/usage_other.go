//go:build !unix

package main

import "os"

func processUsage(ps *os.ProcessState) usage {
	if ps == nil {
		return usage{}
	}
	return usage{cpu: ps.UserTime() + ps.SystemTime()}
}
