//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/testsite"
)

// cpuTime is the CPU time a process has used so far, from /proc.
func cpuTime(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces: count fields after its ')'.
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil // USER_HZ is 100 on Linux
}

// nested is a template whose execution never ends (3^24 iterations): it
// stands for any stage that runs long in a library call dossier cannot
// interrupt.
var nested = `{{define "main"}}` + strings.Repeat(`{{range $.Site.Articles}}`, 24) + strings.Repeat(`{{end}}`, 24) + `{{end}}`

// SIGTERM (and Ctrl-C, the same path) stops `dossier build` and `dossier
// check` within a second in every stage, even in one that cannot be
// interrupted (a template that never ends, a 16 MB article being rendered),
// with exit status 130, a message, and nothing written. The signal is sent
// as soon as the process starts, and once it has used some CPU time (so is
// well into the build).
func TestSignalStopsEveryStage(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	bin := buildBinary(t)
	projects := map[string]func(root string){
		"endless template": func(root string) { testsite.Write(t, root, "templates/article.html", nested) },
		"16 MB article": func(root string) {
			testsite.Write(t, root, "content/articles/large.md", testsite.LargeArticle(16<<20, 100))
		},
	}
	for name, setup := range projects {
		for _, cmdName := range []string{"build", "check"} {
			for _, after := range []time.Duration{0, 50 * time.Millisecond, 300 * time.Millisecond} {
				t.Run(fmt.Sprintf("%s/%s/after %v CPU", name, cmdName, after), func(t *testing.T) {
					root := testsite.New(t)
					setup(root)
					cmd := exec.Command(bin, cmdName, "-src", root)
					var stderr strings.Builder
					cmd.Stderr = &stderr
					if err := cmd.Start(); err != nil {
						t.Fatal(err)
					}
					exited := make(chan error, 1)
					go func() { exited <- cmd.Wait() }()
					tick := time.NewTicker(2 * time.Millisecond)
					defer tick.Stop()
					deadline := time.After(30 * time.Second)
				wait:
					for after > 0 {
						select {
						case err := <-exited:
							t.Fatalf("%s finished before the signal: %v\n%s", cmdName, err, stderr.String())
						case <-deadline:
							cmd.Process.Kill()
							t.Fatal("the process did not use the CPU time")
						case <-tick.C:
							if used, err := cpuTime(cmd.Process.Pid); err == nil && used >= after {
								break wait
							}
						}
					}
					sent := time.Now()
					cmd.Process.Signal(syscall.SIGTERM)
					var err error
					select {
					case err = <-exited:
					case <-time.After(10 * time.Second):
						cmd.Process.Kill()
						t.Fatalf("still running 10 s after SIGTERM")
					}
					took := time.Since(sent)
					t.Logf("exited %v after SIGTERM: %v; %s", took.Round(time.Millisecond), err, strings.TrimSpace(stderr.String()))
					if took > time.Second {
						t.Errorf("exited %v after SIGTERM, more than a second", took)
					}
					var ee *exec.ExitError
					if !errors.As(err, &ee) || ee.ExitCode() == 0 {
						t.Errorf("exit: %v, want a failure", err)
					}
					if after > 0 {
						// The signal came after dossier had set up its handler.
						if ee != nil && ee.ExitCode() != 130 || !strings.Contains(stderr.String(), "dossier "+cmdName+": interrupted") {
							t.Errorf("exit %v, stderr %q: want status 130 and \"dossier %s: interrupted\"", err, stderr.String(), cmdName)
						}
					}
					if entries, _ := filepath.Glob(filepath.Join(root, "*public*")); len(entries) > 0 {
						t.Errorf("written: %v", entries)
					}
				})
			}
		}
	}
}

// Ctrl-C stops `dossier import annotations` while it waits for its input
// (exit status 130, "interrupted"): standard input typed at a terminal, or a
// named pipe, never ends by itself, and the command catches SIGINT to stop
// its work, so it waited for an end of file that never came (found by
// hostile testing).
func TestImportInterruptedWhileReading(t *testing.T) {
	root := testsite.New(t)
	fifo := filepath.Join(t.TempDir(), "annotations.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	t.Cleanup(func() {
		// Let the reader left waiting go: a writer that opens and closes.
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(); r.Close() })
	stdin := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = stdin })
	for _, file := range []string{"-", fifo} {
		t.Run(file, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // as Ctrl-C does: signal.NotifyContext cancels
			done := make(chan int, 1)
			var stdout, stderr bytes.Buffer
			go func() { done <- run(ctx, []string{"import", "annotations", "--src", root, file}, &stdout, &stderr) }()
			select {
			case code := <-done:
				if code != exitInterrupted || !strings.Contains(stderr.String(), "dossier import annotations: interrupted") {
					t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitInterrupted, stdout.String(), stderr.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("still reading %s 10 s after the interrupt", file)
			}
		})
	}
}
