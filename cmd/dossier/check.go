package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/dossier-news/dossier/internal/check"
)

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("src", ".", "project folder (holding content/, templates/, static/)")
	baseURL := fs.String("base-url", "", "base URL to check links under (default: dossier.yaml's baseURL)")
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
		return fmt.Errorf("check failed: %d errors, %d warnings", nErr, nWarn)
	}
	fmt.Fprintf(stdout, "ok: %d pages, %d files checked, %d warnings\n", rep.Pages, rep.Files, nWarn)
	return nil
}
