package main

import (
	"context"
	"flag"
	"io"
	"runtime/debug"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/serve"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("src", ".", "project folder (holding content/, templates/, static/)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (loopback by default; another address exposes your drafts)")
	baseURL := fs.String("base-url", "", "base URL (default http://ADDR/ plus dossier.yaml's path prefix)")
	open := fs.Bool("open", false, "open the site in the browser")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"unexpected argument " + fs.Arg(0)}
	}
	// The preview keeps the whole site in memory and rebuilds on every save:
	// trading memory for fewer garbage collections keeps rebuilds quick.
	debug.SetGCPercent(200)
	b := build.New(build.Options{Root: *src, BaseURL: *baseURL, Minify: false})
	return serve.Run(ctx, b, serve.Options{Addr: *addr, Root: *src, Log: stdout, Open: *open})
}
