package build

import (
	"context"
	"html/template"
	"regexp"
	"strings"

	"golang.org/x/net/html"

	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/search"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/urls"
)

// searchIndex builds the search index of next's graph, reusing the last
// build's (which it takes over: an index is patched in place for a body
// edit, and a consumed index knows to build afresh if it is offered again
// after a failed build). Its files' ETags come from their content keys.
func (b *Builder) searchIndex(ctx context.Context, prev, next *state) ([]*output.File, error) {
	// Streaming (Options.Sink), the fragments (a document's whole text
	// each), chunks and position parts go to the sink as they are made:
	// ix.Files is then only the root and index.json, and the index keeps
	// nothing to patch (the next build makes it afresh).
	var emit func(search.File) error
	if sink := b.opts.Sink; sink != nil {
		emit = func(f search.File) error { return sink.Put(&output.File{Path: f.Path, Data: f.Data, Done: f.Done}) }
	}
	ix, err := search.BuildStreaming(ctx, searchDocs(next.graph), prev.search, emit)
	if err != nil {
		return nil, err
	}
	next.search = ix
	files := make([]*output.File, len(ix.Files))
	for i, f := range ix.Files {
		files[i] = &output.File{Path: f.Path, Data: f.Data, ETag: `"s` + f.Key + `"`}
	}
	next.searchFiles = files
	return files, nil
}

// searchDocs turns the site graph into the search package's documents:
// every article (title, byline, summary, every paragraph and heading, annotation
// notes), entity (name, aliases, role, bio), topic (title, summary,
// keywords, overview), claim (title, verdict, note) and timeline event.
func searchDocs(g *site.Site) []search.Doc {
	docs := make([]search.Doc, 0, len(g.Articles)+len(g.Entities)+len(g.Topics)+len(g.Claims)+len(g.Events))
	for _, a := range g.Articles {
		c := a.Card
		d := search.Doc{
			URL: urls.Under(g.BasePath, c.Path), Kind: "article", Title: c.Title,
			Year: c.Date.Year, Date: c.DateISO, When: c.DateHuman, Summary: c.Summary,
		}
		if c.Outlet != nil {
			d.Outlet = c.Outlet.Name
		}
		if a.Source != nil {
			d.Version = a.Source.Hash + "\x00" + d.URL
		}
		if c.Byline != "" {
			d.Fields = append(d.Fields, search.Field{Text: c.Byline, Weight: search.WeightSummary})
		}
		if body := a.Body; body != nil {
			// Unpacked when read: every article's text at once would
			// outweigh the index (search.Doc.ReadParagraphs).
			// The headings (which the paragraphs leave out) and the
			// notes follow the paragraphs.
			notes := make([]search.Paragraph, 0, len(body.Headings)+len(body.Notes))
			d.ParagraphBytes = body.TextBytes()
			for _, h := range body.Headings {
				notes = append(notes, search.Paragraph{ID: h.ID, Text: h.Text})
				d.ParagraphBytes += len(h.Text)
			}
			for _, n := range body.Notes {
				notes = append(notes, search.Paragraph{ID: n.ID, Text: n.Label + ": " + markdownText(n.Annotation.Note)})
				d.ParagraphBytes += len(notes[len(notes)-1].Text)
			}
			d.ReadParagraphs = func(read func([]search.Paragraph)) {
				body.ReadParagraphs(func(paras []site.Paragraph) {
					out := make([]search.Paragraph, 0, len(paras)+len(notes))
					for _, p := range paras {
						out = append(out, search.Paragraph{ID: p.ID, Text: p.Text})
					}
					read(append(out, notes...))
				})
			}
		}
		docs = append(docs, d)
	}
	for _, e := range g.Entities {
		r := e.Ref
		d := search.Doc{URL: urls.Under(g.BasePath, r.Path), Kind: r.Kind, Title: r.Name, Summary: r.Role}
		if len(r.Aliases) > 0 {
			d.Fields = append(d.Fields, search.Field{Text: strings.Join(r.Aliases, " · "), Weight: search.WeightName})
		}
		d.Paragraphs = htmlParagraphs(e.Bio)
		docs = append(docs, d)
	}
	for _, t := range g.Topics {
		d := search.Doc{URL: urls.Under(g.BasePath, t.Ref.Path), Kind: "topic", Title: t.Ref.Title, Summary: t.Ref.Summary}
		if t.Source != nil && len(t.Source.Keywords) > 0 {
			d.Fields = append(d.Fields, search.Field{Text: strings.Join(t.Source.Keywords, " · "), Weight: search.WeightSummary})
		}
		d.Paragraphs = htmlParagraphs(t.Overview)
		docs = append(docs, d)
	}
	for _, c := range g.Claims {
		d := search.Doc{URL: urls.Under(g.BasePath, c.Ref.Path), Kind: "claim", Title: c.Ref.Title, Summary: c.Ref.Verdict}
		d.Paragraphs = htmlParagraphs(c.NoteHTML)
		docs = append(docs, d)
	}
	for _, ev := range g.Events {
		d := search.Doc{URL: urls.Under(g.BasePath, urls.Timeline) + "#" + ev.ID, Kind: "event", Title: ev.Title,
			Year: ev.Date.Year, Date: ev.Date.String(), When: ev.Date.Human()}
		d.Paragraphs = htmlParagraphs(ev.NoteHTML)
		docs = append(docs, d)
	}
	return docs
}

// htmlParagraphs returns the text of rendered Markdown, one paragraph per
// block element, without anchors (bios, overviews and notes have none).
func htmlParagraphs(h template.HTML) []search.Paragraph {
	var out []search.Paragraph
	var cur strings.Builder
	flush := func() {
		if t := strings.Join(strings.Fields(cur.String()), " "); t != "" {
			out = append(out, search.Paragraph{Text: t})
		}
		cur.Reset()
	}
	z := html.NewTokenizer(strings.NewReader(string(h)))
	for {
		switch z.Next() {
		case html.ErrorToken:
			flush()
			return out
		case html.TextToken:
			cur.Write(z.Text())
		case html.StartTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "td", "th", "dd", "dt":
				flush()
			case "br":
				cur.WriteByte(' ')
			}
		}
	}
}

var (
	mdLink  = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdMarks = strings.NewReplacer("**", "", "__", "", "*", "", "`", "", "\\", "")
)

// markdownText is the readable text of a short Markdown note: link texts
// without their targets, emphasis marks dropped.
func markdownText(md string) string {
	return strings.Join(strings.Fields(mdMarks.Replace(mdLink.ReplaceAllString(md, "$1"))), " ")
}
