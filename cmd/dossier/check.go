package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/dossier-news/dossier/internal/check"
	"github.com/dossier-news/dossier/internal/diag"
)

// cmdCheck lists every problem of the content and of a fresh in-memory build
// on stdout, one per line as file:line: message, sorted; it fails (exit
// status 1) on any error, and with -strict on any warning too.
func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("src", ".", "project folder (holding content/, templates/, static/)")
	baseURL := fs.String("base-url", "", "base URL to check links under, e.g. https://owner.github.io/repo/ (default: dossier.yaml's baseURL)")
	strict := fs.Bool("strict", false, "fail on warnings too")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"unexpected argument " + fs.Arg(0)}
	}
	rep, err := check.Run(ctx, check.Options{Root: *src, BaseURL: *baseURL})
	if err != nil {
		return err
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, p.Error())
	}
	nErr, nWarn := len(rep.Problems.Errors()), len(rep.Problems.Warnings())
	if nErr > 0 || (*strict && nWarn > 0) {
		msg := fmt.Sprintf("%s, %s", plural(nErr, "error"), plural(nWarn, "warning"))
		if nErr == 0 {
			msg += " (warnings fail with -strict)"
		}
		// A Problem, so that main prints it as "dossier check: ..." and exits 1.
		return diag.List{{File: "dossier check", Msg: msg}}
	}
	fmt.Fprintf(stdout, "ok: %d pages, %d files checked, %s\n", rep.Pages, rep.Files, plural(nWarn, "warning"))
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
