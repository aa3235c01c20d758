//go:build unix

package main

import (
	"os"
	"os/exec"
	"syscall"
)

// setGroup puts the child in a process group of its own, so that it and
// everything it starts (go run's binary, hugo-build.sh's hugo) can be
// stopped together, and so that a terminal's Ctrl-C reaches only us: we
// stop the children ourselves.
func setGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// terminateGroup asks p's process group to stop (SIGTERM).
func terminateGroup(p *os.Process) error { return syscall.Kill(-p.Pid, syscall.SIGTERM) }

// killGroup kills p's process group (SIGKILL).
func killGroup(p *os.Process) error { return syscall.Kill(-p.Pid, syscall.SIGKILL) }

// flushDirty writes every file system's dirty data to disk and waits for it
// (sync(2)): see waitQuiet.
func flushDirty() { syscall.Sync() }
