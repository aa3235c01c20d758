//go:build !unix

package main

import (
	"os"
	"os/exec"
)

func setGroup(cmd *exec.Cmd) {}

func terminateGroup(p *os.Process) error { return p.Kill() }

func killGroup(p *os.Process) error { return p.Kill() }

// flushDirty does nothing where sync(2) is not at hand: see waitQuiet.
func flushDirty() {}
