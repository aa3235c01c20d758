package check

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/markdown"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/search"
	"github.com/dossier-news/dossier/internal/urls"
)

// Options configure Run.
type Options struct {
	Root    string
	BaseURL string // overrides dossier.yaml's baseURL when set
	// Strict also lists the articles whose rendition is not verified
	// against an original and not marked `unverified:` (as warnings, which
	// fail a strict check).
	Strict bool
}

// Report is the outcome of a check.
type Report struct {
	Problems diag.List // sorted; errors and warnings
	Pages    int       // HTML pages built (0 when the build failed)
	Files    int       // files built
	// The build's times (`dossier check --timings`).
	Steps     []build.Step
	Templates []build.TemplateTime
}

// Run checks the content and a fresh build of it, streamed into a scanner
// that keeps each page's links and ids, not the page; nothing is written.
// Every problem is listed: those of the content (front matter, references,
// dates), of the Markdown (links to missing content files, malformed
// external URLs, images without alt text), of the annotations (quotes that
// do not anchor) and of the built pages (links and #fragments that do not
// resolve), the last mapped back to the content file behind them where
// there is one. When the build fails, the content is still checked as
// far as it can be, so one run lists every problem.
//
// The error is non-nil only when the check could not run (ctx cancelled).
func Run(ctx context.Context, opts Options) (*Report, error) {
	rep := &Report{}
	var ps diag.List
	// The build streams its files into a scanner that keeps what the link
	// check needs of them, so a check holds no more than a build does.
	sc := newScanner()
	// Without the search index: the link check reads HTML pages only, and
	// the index reports no problem. Its entry file is listed, for a page
	// that links to it. The pages are made even when the content has
	// problems (KeepGoing), so that their links are checked in the same
	// run; should that fail otherwise than with the content's problems
	// (a template that cannot take the content as it is), the build runs
	// again as dossier build does, for those problems.
	bopts := build.Options{Root: opts.Root, BaseURL: opts.BaseURL, Minify: false, Sink: sc, NoSearch: true, KeepGoing: true}
	res, err := build.New(bopts).Build(ctx, nil)
	var problems diag.List
	if err != nil && (res == nil || res.Graph == nil || !errors.As(err, &problems)) && ctx.Err() == nil {
		sc = newScanner()
		bopts.KeepGoing = false
		res, err = build.New(bopts).Build(ctx, nil)
	}
	_ = sc.Put(&output.File{Path: search.EntryPath}) // never fails
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A failed build still lists every problem of every step that ran, and
	// the links and warnings it found.
	ps.Merge(diag.From(err, "content"))
	if res == nil || res.Content == nil {
		rep.Problems = dedupe(ps)
		return rep, nil
	}
	rep.Steps, rep.Templates = res.Steps, res.Templates
	ps.Merge(res.Warnings)
	ps.Merge(markdownLinks(res.Links))
	ps.Merge(contentChecks(res.Content, res.Graph))
	ps.Merge(provenanceChecks(res.Content, opts.Strict))
	if res.Graph != nil {
		inv := sc.inventory(res.Graph.BasePath)
		inv.unbuilt = unbuiltPages(res.Content)
		inv.unsure = pagesOf(ps.Errors())
		rep.Pages, rep.Files = res.Pages, len(inv.files)
		ps.Merge(outputNames(inv.paths(), inv.unsure))
		ps.Merge(mapToSources(siteProblems(inv, res.Graph.BaseURL), inv.basePath, res.Content, res.Links))
	}
	rep.Problems = dedupe(withoutNotesOfBroken(ps))
	return rep, nil
}

// withoutNotesOfBroken drops the notes on files that have errors: a note
// says what the site will lack once the file is right ("no article has
// topic "Wages" yet"), and until then it repeats the error in other words.
func withoutNotesOfBroken(ps diag.List) diag.List {
	broken := map[string]bool{}
	for _, p := range ps.Errors() {
		broken[p.File] = true
	}
	return slices.DeleteFunc(ps, func(p diag.Problem) bool { return p.Severity == diag.Note && broken[p.File] })
}

// mapToSources turns problems found in built pages into problems in the files
// an editor writes:
//   - a link or image written in Markdown is reported at its file and line;
//   - a nav link at its entry in dossier.yaml;
//   - anything else (made by the templates) against the built page, once per
//     distinct problem however many pages it shows on.
func mapToSources(lps []linkProblem, basePath string, c *content.Content, links []build.PageLinks) diag.List {
	type loc struct {
		file       string
		line       int
		orig       string // as written in the Markdown
		unresolved bool   // a link to no content file, reported as such
	}
	written := map[string][]loc{} // rendered destination -> where it is written
	for _, pl := range links {
		for _, l := range pl.Links {
			written[l.Dest] = append(written[l.Dest], loc{pl.File, l.Line, l.Orig, l.Unresolved})
		}
		for _, im := range pl.Images {
			written[im.Dest] = append(written[im.Dest], loc{pl.File, im.Line, im.Src, false})
		}
	}
	nav := map[string]loc{}
	for i, n := range c.Config.Nav {
		u := urls.Nav(basePath, n.URL)
		if _, ok := nav[u]; !ok {
			nav[u] = loc{c.Config.File, c.Config.Lines[fmt.Sprintf("nav[%d]", i)], n.URL, false}
		}
	}
	pageSource := map[string]string{} // output file -> content file
	files := map[string]bool{}        // content files, "articles/x.md"
	for _, a := range c.Articles {
		pageSource[urls.File(urls.Article(a.Slug))] = a.File
	}
	for _, t := range c.Topics {
		pageSource[urls.File(urls.Topic(t.Slug))] = t.File
	}
	for _, e := range c.Entities {
		pageSource[urls.File(urls.Entity(e.Slug))] = e.File
	}
	for _, cl := range c.Claims {
		pageSource[urls.File(urls.Claim(cl.Slug))] = cl.File
	}
	for _, f := range pageSource {
		files[strings.TrimPrefix(f, "content/")] = true
	}

	var ps diag.List
	reported := map[string]bool{} // a nav or Markdown link shown on several pages is reported once
	unmapped := map[string]int{}  // problem -> number of pages it is on
	var order []linkProblem
	for _, lp := range lps {
		on := "on page " + pageURL(basePath, lp.Page)
		if lp.Attr != "id" {
			if l, ok := nav[lp.Val]; ok {
				if k := fmt.Sprint(l.file, l.line, lp.Msg); !reported[k] {
					reported[k] = true
					msg := "nav link: " + lp.Msg
					if why := unmadePage(strings.TrimPrefix(l.orig, "/")); why != "" && strings.HasPrefix(lp.Msg, "broken link") {
						msg += "; " + why + ": remove this entry from nav:, or add them"
					}
					ps.Add(diag.Errorf(l.file, l.line, "%s", msg))
				}
				continue
			}
			if ls := written[lp.Val]; len(ls) > 0 {
				if markdownURLProblem(ls[0].orig) != "" || ls[0].unresolved {
					continue // markdownLinks or the build report it, in the editor's words
				}
				best := ls[0]
				for _, l := range ls {
					if l.file == pageSource[lp.Page] {
						best = l
						break
					}
				}
				if k := fmt.Sprint(best.file, best.line, lp.Msg); !reported[k] {
					reported[k] = true
					msg := lp.Msg
					if f := meantFile(files, basePath, best.file, best.orig); f != "" && !strings.HasPrefix(msg, "broken anchor") {
						msg += fmt.Sprintf("; write the path of the content file instead, %s, which becomes its page's URL under any base path", relPath(best.file, f, best.orig))
					}
					ps.Add(diag.Errorf(best.file, best.line, "%s (%s)", msg, on))
				}
				continue
			}
		}
		key := lp.Attr + "\x00" + lp.Val + "\x00" + lp.Msg
		if unmapped[key] == 0 {
			order = append(order, lp)
		}
		unmapped[key]++
	}
	for _, lp := range order {
		n := unmapped[lp.Attr+"\x00"+lp.Val+"\x00"+lp.Msg]
		msg := lp.Msg
		if n > 1 {
			msg += fmt.Sprintf(" (and on %d other pages: a template or generated link)", n-1)
		}
		if src := pageSource[lp.Page]; src != "" && n == 1 {
			ps.Add(diag.Errorf(src, 0, "%s (%s)", msg, "on page "+pageURL(basePath, lp.Page)))
			continue
		}
		ps.Add(diag.Errorf("public/"+lp.Page, 0, "%s", msg))
	}
	return ps
}

// meantFile is the content file ("articles/x.md") a link written in the
// Markdown of file (project-relative) as a URL rather than a file path
// evidently means, or "": its page's path ("/articles/x/", as if the site
// were at the root, or under basePath), or the file's name without .md
// ("x", "../topics/syria/"), as editors used to other generators write it.
// Such links break, or break under another base path (GitHub project
// pages); a link to the file becomes the page's URL under any.
func meantFile(files map[string]bool, basePath, file, orig string) string {
	p, _, _ := strings.Cut(orig, "#")
	p, _, _ = strings.Cut(p, "?")
	if p == "" || schemeRE.MatchString(p) || strings.HasPrefix(p, "//") {
		return ""
	}
	var cands []string
	if site, ok := strings.CutPrefix(p, "/"); ok {
		cands = append(cands, site)
		if b, ok := strings.CutPrefix(p, basePath); ok {
			cands = append(cands, b)
		}
	} else {
		dir := path.Dir(strings.TrimPrefix(file, "content/"))
		cands = append(cands, path.Join(dir, p))
	}
	for _, cand := range cands {
		cand = strings.TrimSuffix(path.Clean("/"+cand), "/index.html")
		cand = strings.Trim(cand, "/")
		if f := cand + ".md"; files[f] {
			return f
		}
	}
	return ""
}

// relPath is how the Markdown of file (project-relative) writes a link to
// the content file f ("articles/x.md"), with the fragment of orig.
func relPath(file, f, orig string) string {
	rel := markdown.ContentLink(file, f)
	if _, frag, ok := strings.Cut(orig, "#"); ok {
		rel += "#" + frag
	}
	return rel
}

// unbuiltPages are the output files of the pages of content files that
// could not be read, which a failed build leaves out (the timeline's too:
// the nav's link to it is not broken, the timeline is).
func unbuiltPages(c *content.Content) map[string]bool {
	out := map[string]bool{}
	for key := range c.Unloaded {
		kind, slug, _ := strings.Cut(key, "/")
		out[urls.File(urls.Of(kind, slug))] = true
		if kind == content.ArticlesDir {
			out[urls.File(urls.Original(slug))] = true
		}
	}
	if c.TimelineBroken() {
		out[urls.File(urls.Timeline)] = true
	}
	return out
}

// pagesOf are the output files of the pages of the content files the
// problems are in: made all the same by a check of content with problems,
// they may lack ids they would have (a note whose quote was not found).
func pagesOf(problems diag.List) map[string]bool {
	out := map[string]bool{}
	for _, p := range problems {
		if p.File == content.TimelinePath {
			out[urls.File(urls.Timeline)] = true
			continue
		}
		if rel, ok := strings.CutPrefix(p.File, "content/"); ok {
			if page, ok := urls.OfContentFile(rel); ok {
				out[urls.File(page)] = true
			}
		}
	}
	return out
}

// unmadePage says why the site lacks one of the pages it makes only for
// some content (a fork that deletes its timeline keeps the nav entry the
// bundled dossier.yaml has), or "" for any other path.
func unmadePage(p string) string {
	switch p {
	case urls.Timeline:
		return "the site has a timeline page only when content/timeline.yaml lists events"
	case urls.Claims:
		return "the site has a claims page only when content/claims/ holds claims"
	case urls.Entities, urls.Connections:
		return "the site has pages of people and organisations only when content/entities/ holds some"
	}
	return ""
}
