package site

import (
	"sort"

	"github.com/dossier-news/dossier/internal/content"
)

// Patch replaces the body of an article whose list metadata (title, date,
// outlet, topics, summary, annotation claims and speakers) is unchanged, in
// place, and updates what depends on the body: topic passages, entity
// sentences and quotes, claim evidence. It returns false, changing nothing,
// when the edit reaches further (the article is new, or mentions a different
// set of entities, which changes related articles): then the caller
// assembles the site again. This is what makes an edit in a dossier of ten
// thousand articles cheap to preview.
func (s *Site) Patch(a *content.Article, body *Body) bool {
	ar := s.ArticleBySlug[a.Slug]
	if ar == nil || ar.MetaHash != MetaHash(a) || len(body.Notes) != len(ar.Notes) {
		return false
	}
	if !sameEntities(ar.Entities, body.Mentions) {
		return false
	}
	ar.Article = a
	ar.HTML, ar.EditorNoteHTML, ar.Paragraphs, ar.Words, ar.body = body.HTML, body.EditorNote, body.Paragraphs, body.Words, body
	oldNotes := ar.Notes
	ar.Notes = make([]*Note, len(body.Notes))
	repl := make(map[*Note]*Note, len(oldNotes))
	for i := range body.Notes {
		ar.Notes[i] = &body.Notes[i]
		repl[oldNotes[i]] = ar.Notes[i]
	}
	for _, t := range ar.Topics {
		for _, ta := range t.Articles {
			if ta.Article == ar {
				ta.Passages = body.passages(t)
				break
			}
		}
	}
	sentences := map[string][]Paragraph{}
	for _, m := range body.Mentions {
		ss := sentences[m.Entity]
		if len(ss) == 0 || ss[len(ss)-1].Text != m.Sentence {
			sentences[m.Entity] = append(ss, Paragraph{ID: m.Paragraph, Text: m.Sentence})
		}
	}
	for _, e := range ar.Entities {
		for _, em := range e.Mentions {
			if em.Article == ar {
				em.Sentences = sentences[e.Slug]
				break
			}
		}
	}
	// Claims and speakers per note are part of MetaHash, so evidence and
	// quotes keep their places; only the notes they point to are new.
	for _, e := range s.Entities {
		for _, q := range e.Quotes {
			if q.Article == ar {
				q.Note = repl[q.Note]
			}
		}
	}
	for _, c := range s.Claims {
		for _, ev := range c.Evidence {
			if ev.Article == ar {
				ev.Note = repl[ev.Note]
			}
		}
	}
	return true
}

// sameEntities reports whether mentions name exactly the entities of have.
func sameEntities(have []*Entity, mentions []Mention) bool {
	seen := map[string]bool{}
	var slugs []string
	for _, m := range mentions {
		if !seen[m.Entity] {
			seen[m.Entity] = true
			slugs = append(slugs, m.Entity)
		}
	}
	if len(slugs) != len(have) {
		return false
	}
	sort.Strings(slugs)
	old := make([]string, len(have))
	for i, e := range have {
		old[i] = e.Slug
	}
	sort.Strings(old)
	for i := range old {
		if old[i] != slugs[i] {
			return false
		}
	}
	return true
}
