package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/project"
	"github.com/dossier-news/dossier/internal/readfile"
	"github.com/dossier-news/dossier/internal/webanno"
)

// importCmd is `dossier import annotations FILE`: annotations exported from
// Hypothesis or any W3C Web Annotation tool, added to the front matter of the
// articles they annotate (the work is webanno.Import's). It exits with status
// 1 when some could not be imported (orphans, unknown pages), after writing
// the rest.
func importCmd(ctx context.Context) *cobra.Command {
	var src, baseURL string
	var dry bool
	imp := &cobra.Command{
		Use:   "import annotations FILE",
		Short: "Bring in content made with other tools",
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			// Not a failure of the work: a wrong command line (exit status 2).
			return fmt.Errorf("want: dossier import annotations FILE")
		},
	}
	cmd := &cobra.Command{
		Use:   "annotations FILE",
		Short: "Add annotations from Hypothesis or W3C Web Annotation JSON to the articles",
		Long: `Add the annotations in FILE (Hypothesis's JSON, or any W3C Web Annotation
JSON) to the front matter of the articles they annotate, matched by URL: the
article's URL under the base URL, its source: URL, or its path on the preview
server. Quotes that no longer anchor are listed as orphans, with the nearest
match, and not written. FILE may be - for standard input.`,
		Example: `  dossier import annotations hypothesis-export.json
  dossier import annotations -n annotations.jsonld`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("want one FILE (or - for standard input), got %d argument(s)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, err := project.Root(src)
			if err != nil {
				return fail(err)
			}
			data, err := readInput(ctx, args[0], cmd.InOrStdin(), maxImportSize)
			if err != nil {
				return fail(err)
			}
			ins, err := webanno.Parse(args[0], data)
			if err != nil {
				return fail(err)
			}
			res, err := build.New(build.Options{Root: root, BaseURL: baseURL}).Build(ctx, nil)
			if err != nil {
				return fail(err)
			}
			opts := webanno.Options{Root: root, Claims: map[string]bool{}, Entities: map[string]bool{}}
			for slug := range res.Graph.ClaimBySlug {
				opts.Claims[slug] = true
			}
			for slug := range res.Graph.EntityBySlug {
				opts.Entities[slug] = true
			}
			r, err := webanno.Import(ins, webanno.Articles(res.Graph), opts)
			if err != nil {
				return fail(err)
			}
			w := cmd.OutOrStdout()
			for _, o := range r.Added {
				fmt.Fprintf(w, "%s: added %q (%s)\n", diag.Printable(o.File), o.Annotation.Quote, o.Annotation.Kind)
			}
			for _, group := range []struct {
				name string
				list []webanno.Outcome
			}{{"already there", r.Duplicates}, {"skipped", r.Skipped}, {"orphan", r.Orphans}, {"refused", r.Refused}, {"no article", r.Unmatched}} {
				for _, o := range group.list {
					where := o.File
					if where == "" {
						where = args[0]
					}
					// The file's ids and addresses are anyone's: printed so
					// that they cannot act on the terminal.
					fmt.Fprintf(w, "%s: %s: %s (%s)\n", diag.Printable(where), group.name, diag.Printable(o.Message), diag.Printable(o.From))
				}
			}
			if !dry {
				if err := r.Write(root); err != nil {
					return fail(err)
				}
			}
			verb := "added"
			if dry {
				verb = "would add"
			}
			fmt.Fprintf(w, "%s %d annotations to %d articles; %d already there, %d skipped, %d orphans, %d refused, %d for no article\n",
				verb, len(r.Added), len(r.Files), len(r.Duplicates), len(r.Skipped), len(r.Orphans), len(r.Refused), len(r.Unmatched))
			if n := len(r.Orphans) + len(r.Refused) + len(r.Unmatched); n > 0 {
				return fail(diag.List{{Msg: fmt.Sprintf("%d annotations not imported", n)}})
			}
			return nil
		},
	}
	srcFlag(cmd.Flags(), &src)
	cmd.Flags().StringVar(&baseURL, "base-url", "", "base URL the annotated pages were published at (default: dossier.yaml's baseURL; the preview's loopback URLs always match)")
	cmd.Flags().BoolVarP(&dry, "dry-run", "n", false, "show what would be added, change nothing")
	markDirs(cmd, "src")
	imp.AddCommand(cmd)
	return imp
}

// maxImportSize bounds the annotations file: a hundred thousand annotations
// of Hypothesis's export take about 200 MB.
const maxImportSize = 512 << 20

// readInput reads FILE, or standard input for "-", until ctx ends: standard
// input at a terminal (`dossier import annotations -` without a pipe) or a
// named pipe may never end, and the command catches Ctrl-C to stop its work,
// so the read must give way to it (the goroutine left reading ends with the
// process).
func readInput(ctx context.Context, name string, stdin io.Reader, limit int64) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		in, shown := stdin, "standard input"
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				done <- result{err: err}
				return
			}
			defer f.Close()
			in, shown = f, name
		}
		// A file without end (/dev/zero, a stream run by mistake) stops
		// at the limit, not when the memory runs out.
		r.data, r.err = io.ReadAll(io.LimitReader(in, limit+1))
		if r.err == nil && int64(len(r.data)) > limit {
			r.data, r.err = nil, fmt.Errorf("%s: more than %s of annotations, which no export of a dossier's annotations is: is it the file you meant? (split a larger export in parts)", shown, readfile.Size(limit))
		}
		done <- r
	}()
	select {
	case r := <-done:
		if ctx.Err() != nil {
			return nil, ctx.Err() // interrupted, then the input ended
		}
		return r.data, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
