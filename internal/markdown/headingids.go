package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// reservedIDs are the ids the default templates give elements of the pages
// a Markdown body is shown in (the layout's, the article's, the topic's).
// A heading "## Main" would otherwise be <h2 id="main">, a second element
// with the id the skip link goes to.
var reservedIDs = map[string]bool{
	"main": true, "title": true, "site-q": true, "q": true, "latest": true,
	"coverage": true, "coverage-h": true, "coverage-cap": true,
	"print-notes-h": true, "events-h": true, "entities-h": true, "prov-h": true,
	"related-h": true, "topics-h": true, "removed-h": true, "quotes-h": true,
	"mentions-h": true, "with-h": true, "pairs-h": true, "lines-h": true, "ev-h": true,
	"matrix-caption": true, "search-form": true, "search-status": true,
	"search-results": true, "search-more": true, "search-help": true, "search-facets": true,
	// Made by the build, not the templates: the previews' data
	// (preview.ID) and the pictures' titles and descriptions (picture:
	// the graph on entity pages, the coverage chart, the timeline).
	// TestHeadingsNeverTakeAPagesIDs (build) finds any the list misses.
	"dossier-previews": true, "graph-t": true, "graph-d": true, "cov-t": true, "cov-d": true,
	"tl-t": true, "tl-d": true,
}

// reservedID reports an id heading ids must not take: one of reservedIDs,
// or one of the numbered ids dossier gives paragraphs (p3), annotations and
// their notes (a2, a2-t, a2-n), an original's lines (l14) and the
// timeline's years (y2013).
func reservedID(id []byte) bool {
	if reservedIDs[string(id)] {
		return true
	}
	if len(id) < 2 {
		return false
	}
	switch id[0] {
	case 'p', 'a', 'l', 'y':
	default:
		return false
	}
	i := 1
	for i < len(id) && '0' <= id[i] && id[i] <= '9' {
		i++
	}
	switch {
	case i == 1:
		return false
	case i == len(id):
		return true
	}
	rest := string(id[i:])
	return id[0] == 'a' && (rest == "-t" || rest == "-n")
}

// headingIDs is goldmark's heading id generator (lower-cased words joined
// by dashes, "-1", "-2"... on a repeat), never giving a reserved id: the
// next of the series is taken instead ("main-1").
type headingIDs struct{ parser.IDs }

func newHeadingIDs() headingIDs { return headingIDs{parser.NewContext().IDs()} }

func (h headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	for {
		id := h.IDs.Generate(value, kind)
		if !reservedID(id) {
			return id
		}
	}
}
