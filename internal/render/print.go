package render

import (
	"slices"

	"github.com/dossier-news/dossier/internal/site"
)

// NotesInOrder returns the article's notes in reading order (by number), for
// the footnotes a printed article ends with.
func (a *ArticlePage) NotesInOrder() []*site.Note {
	if a.Body == nil {
		return nil
	}
	notes := slices.Clone(a.Notes)
	slices.SortStableFunc(notes, func(x, y *site.Note) int { return x.Number - y.Number })
	return notes
}
