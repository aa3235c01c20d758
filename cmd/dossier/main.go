// Command dossier builds, serves and checks an annotated news dossier.
//
//	dossier build [--src DIR] [--out DIR] [--base-url URL] [--minify=true] [--force] [-q] [--cpuprofile F] [--memprofile F]
//	dossier serve [--src DIR] [--addr 127.0.0.1:8080] [--base-url URL] [--open]
//	dossier check [--src DIR] [--base-url URL] [--strict]
//	dossier new article|topic|entity|claim NAME [--src DIR]
//	dossier import annotations [--src DIR] [--base-url URL] [-n] FILE
//	dossier version | help [COMMAND] | completion bash|zsh|fish|powershell
//
// The command line is github.com/spf13/cobra's: help per command, shell
// completion, flags before or after arguments. This package only wires flags
// to the internal packages that do the work.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dossier-news/dossier/internal/diag"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses, as Go tools and cobra programs use them.
const (
	exitOK       = 0
	exitProblems = 1 // the content has problems, or the work failed
	exitUsage    = 2 // the command line is wrong
	// exitInterrupted is a shell's status for a command ended by SIGINT.
	exitInterrupted = 130
)

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(ctx, stdout, stderr)
	root.SetArgs(longFlags(root, args))
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	name := cmd.CommandPath()
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// SIGTERM or Ctrl-C: the work stopped where it was; nothing was
		// written (output.WriteWith leaves the previous output as it was).
		fmt.Fprintf(stderr, "%s: interrupted\n", name)
		return exitInterrupted
	}
	var fe failure
	if !errors.As(err, &fe) {
		// Cobra's own errors: an unknown command or flag, a missing or extra
		// argument.
		fmt.Fprintf(stderr, "%s: %v\nRun '%s --help' for usage.\n", name, err, name)
		return exitUsage
	}
	report(stderr, name, fe.err)
	return exitProblems
}

// failure marks an error from a command's work, as opposed to one from
// parsing its command line.
type failure struct{ err error }

func (f failure) Error() string { return f.err.Error() }
func (f failure) Unwrap() error { return f.err }

// fail wraps err (nil stays nil) as a failure.
func fail(err error) error {
	if err == nil {
		return nil
	}
	return failure{err}
}

// report prints problems one per line as file:line: message; a problem that
// concerns no file is prefixed with the command instead ("dossier serve:
// listen tcp ...: address already in use").
func report(w io.Writer, name string, err error) {
	l := diag.From(err, "")
	l.Sort()
	for _, p := range l {
		if p.File == "" {
			// "dossier serve: serve: listen ..." says serve once.
			sub := name[strings.LastIndexByte(name, ' ')+1:]
			fmt.Fprintf(w, "%s: %s\n", name, diag.Printable(strings.TrimPrefix(p.Msg, sub+": ")))
			continue
		}
		fmt.Fprintln(w, p.Error())
	}
	if n := len(l.Errors()); n > 1 {
		fmt.Fprintf(w, "%d problems\n", n)
	}
}

// longFlags lets the single-dash long flags of the Go flag package
// (`-src DIR`, `-base-url=URL`, `-strict`), used in scripts and in the Pages
// workflow, keep working: pflag would read `-src` as the shorthands -s -r -c.
// An argument "-name" or "-name=value" is rewritten to "--name..." when name
// is a long flag of some dossier command; everything after "--" is left alone.
func longFlags(root *cobra.Command, args []string) []string {
	names := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) { names[f.Name] = true })
		c.PersistentFlags().VisitAll(func(f *pflag.Flag) { names[f.Name] = true })
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	names["help"], names["version"] = true, true
	out := make([]string, len(args))
	copy(out, args)
	for i, a := range out {
		if a == "--" {
			break
		}
		if len(a) < 3 || a[0] != '-' || a[1] == '-' {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		if len(name) > 1 && names[name] {
			out[i] = "-" + a
		}
	}
	return out
}
