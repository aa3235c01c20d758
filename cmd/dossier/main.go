// Command dossier builds, serves and checks an annotated news dossier.
//
//	dossier build [-src DIR] [-out DIR] [-base-url URL] [-minify=true]
//	dossier serve [-src DIR] [-addr 127.0.0.1:8080] [-open]
//	dossier check [-src DIR] [-strict]
//	dossier new article|topic|entity|claim NAME [-src DIR]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/scaffold"
)

const usage = `dossier turns a folder of annotated news articles into a static website.

Usage:
  dossier build [-src DIR] [-out DIR] [-base-url URL] [-minify=true]
  dossier serve [-src DIR] [-addr 127.0.0.1:8080] [-base-url URL] [-open]
  dossier check [-src DIR] [-base-url URL] [-strict]
  dossier new article|topic|entity|claim NAME [-src DIR]

Run "dossier COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "build":
		err = cmdBuild(ctx, args[1:], stdout, stderr)
	case "serve":
		err = cmdServe(ctx, args[1:], stdout, stderr)
	case "check":
		err = cmdCheck(ctx, args[1:], stdout, stderr)
	case "new":
		err = cmdNew(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "dossier: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "dossier %s: %s\n", args[0], ue.msg)
		return 2
	}
	report(stderr, err)
	return 1
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// report prints problems one per line as file:line: message.
func report(w io.Writer, err error) {
	l := diag.From(err, "")
	l.Sort()
	for _, p := range l {
		fmt.Fprintln(w, p.Error())
	}
	if n := len(l.Errors()); n > 1 {
		fmt.Fprintf(w, "%d problems\n", n)
	}
}

func cmdBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("src", ".", "project folder (holding content/, templates/, static/)")
	out := fs.String("out", "", "output folder (default SRC/public)")
	baseURL := fs.String("base-url", "", "base URL of the published site, e.g. https://owner.github.io/repo/ (default: dossier.yaml's baseURL)")
	minify := fs.Bool("minify", true, "minify HTML, CSS, JS, SVG, XML and JSON")
	quiet := fs.Bool("q", false, "print nothing on success")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if *out == "" {
		*out = filepath.Join(*src, "public")
	}
	b := build.New(build.Options{Root: *src, BaseURL: *baseURL, Minify: *minify})
	res, err := b.Build(ctx, nil)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, w.Error())
	}
	if err := output.Write(ctx, res.Site, *out); err != nil {
		return fmt.Errorf("write %s: %w (the previous output is untouched)", *out, err)
	}
	if !*quiet {
		fmt.Fprintf(stdout, "built %d pages, %d files into %s in %d ms\n", res.Pages, len(res.Site.Files), *out, res.Duration.Milliseconds())
	}
	return nil
}

func cmdNew(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("src", ".", "project folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError{"want: dossier new article|topic|entity|claim NAME"}
	}
	p, err := scaffold.New(*src, fs.Arg(0), fs.Arg(1))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s\n", p)
	return nil
}
