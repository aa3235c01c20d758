package check

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dossier-news/dossier/internal/annotate"
	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/markdown"
)

// pass is what a Markdown pass over the content gives: the links and images of
// every file, with lines, and the problems the Markdown and annotation stages
// report.
type pass struct {
	links    []build.PageLinks
	problems diag.List
}

// markdownPass renders the Markdown that build.Result.Links does not cover
// (annotation notes, editor's notes, timeline notes) and, when bodies is set, the bodies too,
// anchoring annotations as the build does. Run needs the bodies when the build
// failed: the build stops at the first failing stage, but an editor wants every
// problem of every stage at once.
func markdownPass(c *content.Content, basePath string, bodies bool) pass {
	var out pass
	md := markdown.New()
	resolve := newResolver(c.Root, basePath)
	for _, a := range c.Articles {
		unsafe := c.Config.UnsafeHTML || a.RawHTML
		var doc *markdown.Doc
		if bodies {
			var ps diag.List
			doc, ps = md.Render(a.Body, markdown.Options{File: a.File, BodyLine: a.BodyLine, Unsafe: unsafe, Resolve: resolve(a.File), Anchors: true})
			out.problems.Merge(ps)
			out.links = append(out.links, build.PageLinks{File: a.File, Links: doc.Links, Images: doc.Images})
		}
		notes := make([]annotate.Note, len(a.Annotations))
		for i, an := range a.Annotations {
			opts := markdown.Options{File: a.File, BodyLine: an.Line, Unsafe: unsafe, Resolve: resolve(a.File)}
			_, ps := md.Inline(an.Note, opts) // as the build renders it, for the same problems
			out.problems.Merge(ps)
			d, _ := md.Render([]byte(an.Note), opts) // for the links
			out.links = append(out.links, build.PageLinks{File: a.File, Links: d.Links, Images: d.Images})
			notes[i] = annotate.Note{ID: noteID(i), Number: i + 1, Quote: an.Quote, Prefix: an.Prefix, Suffix: an.Suffix, Kind: an.Kind, Line: an.Line}
		}
		if a.EditorNote != "" {
			opts := markdown.Options{File: a.File, BodyLine: a.Line("editorNote"), Unsafe: unsafe, Resolve: resolve(a.File)}
			_, ps := md.Inline(a.EditorNote, opts)
			out.problems.Merge(ps)
			d, _ := md.Render([]byte(a.EditorNote), opts)
			out.links = append(out.links, build.PageLinks{File: a.File, Links: d.Links, Images: d.Images})
		}
		if bodies && len(notes) > 0 {
			_, _, ps := annotate.Anchor(a.File, doc.HTML, notes)
			out.problems.Merge(ps)
		}
	}
	if bodies {
		docs := func(src content.Source, body []byte) {
			doc, ps := md.Render(body, markdown.Options{File: src.File, BodyLine: src.BodyLine, Unsafe: c.Config.UnsafeHTML, Resolve: resolve(src.File)})
			out.problems.Merge(ps)
			out.links = append(out.links, build.PageLinks{File: src.File, Links: doc.Links, Images: doc.Images})
		}
		for _, t := range c.Topics {
			docs(t.Source, t.Body)
		}
		for _, e := range c.Entities {
			docs(e.Source, e.Body)
		}
		for _, cl := range c.Claims {
			docs(cl.Source, cl.Body)
		}
	}
	for _, ev := range c.Timeline {
		opts := markdown.Options{File: c.TimelineFile, BodyLine: ev.Line, Unsafe: c.Config.UnsafeHTML, Resolve: resolve(c.TimelineFile)}
		_, ps := md.Inline(ev.Note, opts)
		out.problems.Merge(ps)
		d, _ := md.Render([]byte(ev.Note), opts)
		out.links = append(out.links, build.PageLinks{File: c.TimelineFile, Links: d.Links, Images: d.Images})
	}
	return out
}

func noteID(i int) string { return "a" + strconv.Itoa(i+1) }

// newResolver returns, per source file, the resolver of links between
// content files, as the build rewrites them: "other-article.md#p3" becomes
// basePath+"articles/other-article/#p3". The content files are listed from
// disk rather than taken from the loaded content, so that a link to a file
// that exists but failed to load is not reported as a missing file too.
func newResolver(root, basePath string) func(file string) markdown.LinkResolver {
	files := map[string]string{}
	for _, kind := range []string{content.ArticlesDir, content.TopicsDir, content.EntitiesDir, content.ClaimsDir} {
		entries, _ := os.ReadDir(filepath.Join(root, "content", kind))
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".md") || content.IgnoredName(name) {
				continue
			}
			files[kind+"/"+name] = kind + "/" + strings.TrimSuffix(name, ".md") + "/"
		}
	}
	return func(file string) markdown.LinkResolver {
		return markdown.ContentLinks(files, basePath, file)
	}
}
