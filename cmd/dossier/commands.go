package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/check"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/gcpace"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/progress"
	"github.com/dossier-news/dossier/internal/project"
	"github.com/dossier-news/dossier/internal/scaffold"
	"github.com/dossier-news/dossier/internal/serve"
	"github.com/dossier-news/dossier/internal/version"
)

func newRoot(ctx context.Context, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "dossier",
		Short: "dossier turns a folder of annotated news articles into a static website",
		Long: `dossier turns a folder of annotated news articles into a static website.

Run it in a dossier project (a folder holding content/) or any folder inside
one: it looks upwards for content/, as git looks for its repository.
--src DIR names the project folder instead.`,
		Version:       version.String(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("dossier {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return err })
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(buildCmd(ctx), serveCmd(ctx), checkCmd(ctx), newCmd(), importCmd(ctx), versionCmd())
	strictHelpAndCompletion(root) // after SetOut: the completion command keeps the writer it is made with
	return root
}

// strictHelpAndCompletion makes `dossier help NOSUCH` and `dossier completion
// NOSUCH` wrong command lines (exit status 2, the message on stderr), as an
// unknown command is: cobra's own print the usage on stdout and succeed, so
// `dossier completion tcsh > dossier.tcsh` wrote the usage into the file and a
// script could not tell a typo from help. Cobra adds both commands when the
// root runs; made here, they are the ones it keeps.
func strictHelpAndCompletion(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.RunE = func(c *cobra.Command, args []string) error {
				cmd, rest, err := root.Find(args)
				if err != nil || cmd == nil || len(rest) > 0 {
					return fmt.Errorf("unknown command %q: run 'dossier help' for the list of commands", strings.Join(args, " "))
				}
				cmd.InitDefaultHelpFlag() // so that -h, --help shows among its flags
				return cmd.Help()
			}
		case "completion":
			shells := c.Commands()
			c.Args = func(c *cobra.Command, args []string) error {
				if len(args) == 0 {
					return nil
				}
				names := make([]string, len(shells))
				for i, s := range shells {
					names[i] = s.Name()
				}
				return fmt.Errorf("unknown shell %q: use %s or %s", args[0], strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
			}
			// Runnable, so that cobra checks Args rather than printing the
			// usage for any argument.
			c.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
		}
	}
}

// srcFlag adds --src to a command.
func srcFlag(fs *pflag.FlagSet, src *string) {
	fs.StringVar(src, "src", "", "project folder holding content/ (default: the current folder or the nearest one above it that holds content/)")
}

// buildFlags are the flags of `dossier build`; a new flag is a field here and
// a line in addBuildFlags.
type buildFlags struct {
	src, out, baseURL    string
	minify, quiet, force bool
	profiles             profileFlags
}

func addBuildFlags(fs *pflag.FlagSet, f *buildFlags) {
	srcFlag(fs, &f.src)
	fs.StringVar(&f.out, "out", "", "output folder (default SRC/public)")
	fs.StringVar(&f.baseURL, "base-url", "", "base URL of the published site, e.g. https://owner.github.io/repo/ (default: dossier.yaml's baseURL)")
	fs.BoolVar(&f.minify, "minify", true, "minify HTML, CSS, JS, SVG, XML and JSON (--minify=false to turn it off)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on success (problems are still printed)")
	fs.BoolVar(&f.force, "force", false, "replace --out even if it is a non-empty folder dossier did not make, deleting everything in it (never the project, its sources, your home folder or a system folder)")
	addProfileFlags(fs, &f.profiles)
}

// streamedGC paces the collector of a streamed build (`build` and `check`)
// (internal/gcpace): GOGC 200 for a small heap, 100 beyond, under a memory
// budget of 1.7 GB, which only a very large dossier reaches, and then only
// while its heap is at its largest. A GOGC or GOMEMLIMIT the user set wins.
// The function it returns stops it.
func streamedGC() (stop func()) { return gcpace.Start(50 * time.Millisecond) }

func buildCmd(ctx context.Context) *cobra.Command {
	var f buildFlags
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the site into SRC/public",
		Long: `Build the whole site into SRC/public (or --out), atomically: the new site is
written beside the old one and swapped in, in one step, so a failed or
interrupted build leaves the previous output untouched. Every problem of every
content file is listed as file:line: message, as 'dossier check' lists them.

dossier only replaces a folder it made (it holds a .dossier-output file), an
empty one, or with --force another folder; never the project, its content/,
templates/, static/ or .git/, a folder holding the project, your home folder,
the system's own folders (/usr, /etc...) or /.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			start := time.Now()
			defer streamedGC()()
			root, err := project.Root(f.src)
			if err != nil {
				return fail(err)
			}
			out := f.out
			if out == "" {
				out = filepath.Join(root, "public")
			}
			stop, err := f.profiles.start(root, out)
			if err != nil {
				return fail(err)
			}
			defer func() {
				if perr := stop(); err == nil {
					err = fail(perr)
				}
			}()
			// Refuse a dangerous --out before spending time on the build;
			// the pages are then written as they are rendered, into a
			// folder beside it that takes its place when all is written.
			stage, err := output.NewStage(out, output.WriteOptions{Root: root, Force: f.force})
			if err != nil {
				return fail(err)
			}
			defer stage.Abort() // a failed build leaves the previous output as it was
			var line *progress.Line
			if !f.quiet && isTerminal(cmd.ErrOrStderr()) {
				line = progress.New(cmd.ErrOrStderr(), 100*time.Millisecond)
			}
			res, err := build.New(build.Options{Root: root, BaseURL: f.baseURL, Minify: f.minify, Sink: stage,
				Progress: func(p build.Progress) { line.Update(p.Step, p.Done, p.Total) }}).Build(ctx, nil)
			line.Done()
			if err != nil {
				if res != nil && len(res.Warnings) > 0 && ctx.Err() == nil {
					// Every problem at once, as check lists them: the
					// warnings too, not only once the errors are fixed.
					err = append(diag.From(err, ""), res.Warnings...)
				}
				return fail(err)
			}
			for _, w := range res.Warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), w.Error())
			}
			if err := stage.Commit(ctx); err != nil {
				var le *output.LeftoverError
				if !errors.As(err, &le) {
					return fail(err) // it says whether the previous output is untouched
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %v\n", err)
			}
			if !f.quiet {
				fmt.Fprintf(cmd.OutOrStdout(), "built %d pages, %d files into %s in %d ms\n", res.Pages, res.Files, out, time.Since(start).Milliseconds())
			}
			if f.profiles.timings {
				return printTimings(cmd.OutOrStdout(), res.Steps, res.Templates)
			}
			return nil
		},
	}
	addBuildFlags(cmd.Flags(), &f)
	markDirs(cmd, "src", "out")
	return cmd
}

func serveCmd(ctx context.Context) *cobra.Command {
	var src, addr, baseURL string
	var open bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Preview the site with live reload",
		Long: `Build the site in memory, serve it on loopback, watch content/, templates/
and static/, rebuild what an edit affects and reload the browser. Problems
show in the terminal and over the last good page.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// A malformed --addr is a wrong command line (exit 2), said
			// in the flag's terms, not the network's.
			if _, port, err := net.SplitHostPort(addr); err != nil || !validPort(port) {
				return fmt.Errorf("--addr %q: want HOST:PORT with a port from 0 to 65535, such as 127.0.0.1:8080", addr)
			}
			root, err := project.Root(src)
			if err != nil {
				return fail(err)
			}
			b := build.New(build.Options{Root: root, BaseURL: baseURL, Minify: false})
			return fail(serve.Run(ctx, b, serve.Options{Addr: addr, Root: root, Log: cmd.OutOrStdout(), Open: open, BaseURL: baseURL}))
		},
	}
	srcFlag(cmd.Flags(), &src)
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (loopback by default; another address exposes your drafts)")
	cmd.Flags().StringVar(&baseURL, "base-url", "", "base URL (default http://ADDR/ plus dossier.yaml's path prefix)")
	cmd.Flags().BoolVar(&open, "open", false, "open the site in the browser")
	markDirs(cmd, "src")
	return cmd
}

// validPort reports whether port is a TCP port number (0: any free one).
func validPort(port string) bool {
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535
}

func checkCmd(ctx context.Context) *cobra.Command {
	var src, baseURL string
	var strict bool
	var profiles profileFlags
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check the content and a fresh build, writing nothing",
		Long: `Check the content and a fresh in-memory build without writing: front matter,
references, annotation anchors, every internal link and #fragment. Every
problem is listed as file:line: message. Exit status 1 on errors, and on
warnings with --strict; notes (a topic no article uses yet) never fail.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			root, err := project.Root(src)
			if err != nil {
				return fail(err)
			}
			stop, err := profiles.start(root, "")
			if err != nil {
				return fail(err)
			}
			defer func() {
				if perr := stop(); err == nil {
					err = fail(perr)
				}
			}()
			defer streamedGC()()
			rep, err := check.Run(ctx, check.Options{Root: root, BaseURL: baseURL, Strict: strict})
			if err != nil {
				return fail(err)
			}
			w := cmd.OutOrStdout()
			for _, p := range rep.Problems {
				fmt.Fprintln(w, p.Error())
			}
			nErr, nWarn, nNote := len(rep.Problems.Errors()), len(rep.Problems.Warnings()), len(rep.Problems.Notes())
			if nErr > 0 || (strict && nWarn > 0) {
				msg := fmt.Sprintf("%s, %s", plural(nErr, "error"), plural(nWarn, "warning"))
				if nErr == 0 {
					msg += " (warnings fail with --strict)"
				}
				return fail(diag.List{{Msg: msg}})
			}
			fmt.Fprintf(w, "ok: %d pages, %d files checked, %s, %s\n", rep.Pages, rep.Files, plural(nWarn, "warning"), plural(nNote, "note"))
			if profiles.timings {
				return printTimings(w, rep.Steps, rep.Templates)
			}
			return nil
		},
	}
	srcFlag(cmd.Flags(), &src)
	cmd.Flags().StringVar(&baseURL, "base-url", "", "base URL to check links under, e.g. https://owner.github.io/repo/ (default: dossier.yaml's baseURL)")
	cmd.Flags().BoolVar(&strict, "strict", false, "fail on warnings too")
	addProfileFlags(cmd.Flags(), &profiles)
	markDirs(cmd, "src")
	return cmd
}

func newCmd() *cobra.Command {
	var src string
	cmd := &cobra.Command{
		Use:   "new article|topic|entity|claim NAME",
		Short: "Create a content file with the right front matter",
		Long: `Create content/<kind>s/<slug>.md for NAME, with its front matter. A topic,
entity or claim builds and passes 'dossier check --strict' as it is; an
article names each field still to fill in (outlet, topics, summary, text) at
its line until it is done. Existing files are never overwritten.`,
		Example: `  dossier new article "Kerry arrives in Moscow"
  dossier new entity "Sergei Lavrov" --src ~/dossiers/syria`,
		ValidArgs: scaffold.Kinds,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return fmt.Errorf("want a kind and a NAME, got %d argument(s): dossier new article|topic|entity|claim NAME", len(args))
			}
			for _, k := range scaffold.Kinds {
				if args[0] == k {
					return nil
				}
			}
			return fmt.Errorf("unknown kind %q: use %s", args[0], strings.Join(scaffold.Kinds, ", "))
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return scaffold.Kinds, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, err := project.Root(src)
			if err != nil {
				return fail(err)
			}
			p, err := scaffold.New(root, args[0], args[1])
			if err != nil {
				return fail(err)
			}
			wd, _ := os.Getwd()
			fmt.Fprintf(cmd.OutOrStdout(), "created %s\n", project.Display(wd, p))
			return nil
		},
	}
	srcFlag(cmd.Flags(), &src)
	markDirs(cmd, "src")
	return cmd
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print dossier's version",
		Args:  noArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "dossier %s\n", version.String())
		},
	}
}

// noArgs rejects arguments, naming the first.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	return nil
}

func markDirs(cmd *cobra.Command, names ...string) {
	for _, n := range names {
		_ = cmd.MarkFlagDirname(n) // the flag exists: cannot fail
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// isTerminal reports whether w is a terminal, where a progress line can be
// redrawn in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
