package webanno

import (
	"bytes"
	"encoding/json"
	"html/template"
	"time"

	"github.com/dossier-news/dossier/internal/site"
)

// Context is the Web Annotation JSON-LD context.
const Context = "http://www.w3.org/ns/anno.jsonld"

// FileName is the name of an article's annotation page, beside its index.html.
const FileName = "annotations.jsonld"

// PrefixLen is how many code points of context a TextQuoteSelector carries on
// each side, as Hypothesis does.
const PrefixLen = 32

// Generator identifies dossier in the annotations it publishes.
const Generator = "https://github.com/dossier-news/dossier"

// Motivations maps an annotation kind to its Web Annotation motivation: a
// fact check assesses the passage, a correction asks for a change to it
// (editing), context describes it, an editorial note comments on it.
var Motivations = map[string]string{
	"fact-check": "assessing",
	"correction": "editing",
	"context":    "describing",
	"editorial":  "commenting",
}

// Page is a Web Annotation AnnotationPage, as published.
type Page struct {
	Context    string       `json:"@context"`
	ID         string       `json:"id"`
	Type       string       `json:"type"`
	Label      string       `json:"label,omitempty"`
	StartIndex int          `json:"startIndex"`
	Items      []Annotation `json:"items"`
}

// Annotation is one published annotation.
type Annotation struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Motivation string `json:"motivation"`
	Created    string `json:"created,omitempty"`
	Creator    *Agent `json:"creator,omitempty"`
	Generator  *Agent `json:"generator,omitempty"`
	Body       []any  `json:"body,omitempty"`
	Target     Target `json:"target"`
}

// Agent is a creator or generator.
type Agent struct {
	ID       string `json:"id,omitempty"`
	Type     string `json:"type"`
	Name     string `json:"name"`
	Homepage string `json:"homepage,omitempty"`
}

// Target is the annotated passage of the article page.
type Target struct {
	Source   string `json:"source"`
	Selector []any  `json:"selector"`
}

// QuoteSelector is a TextQuoteSelector.
type QuoteSelector struct {
	Type   string `json:"type"`
	Exact  string `json:"exact"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
}

// PositionSelector is a TextPositionSelector.
type PositionSelector struct {
	Type  string `json:"type"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// TextualBody is a note, a tag or one format of a note.
type TextualBody struct {
	Type     string `json:"type"`
	Value    string `json:"value"`
	Format   string `json:"format,omitempty"`
	Language string `json:"language,omitempty"`
	Purpose  string `json:"purpose,omitempty"`
}

// Choice offers the note in two formats: HTML first (the default), and the
// editors' Markdown source.
type Choice struct {
	Type  string        `json:"type"`
	Items []TextualBody `json:"items"`
}

// SpecificResource links a claim or a speaker's page.
type SpecificResource struct {
	Type    string `json:"type"`
	Source  string `json:"source"`
	Purpose string `json:"purpose"`
}

// Export returns the annotation page of an article: one annotation per note,
// targeting the article's canonical URL by a TextQuoteSelector and a
// TextPositionSelector into the article text (see the package comment).
//
// A note's body is a Choice of its HTML and its Markdown source, with a
// "tagging" body naming its kind; a claim it is evidence for is a "linking"
// body, its speaker an "identifying" one (both the pages' URLs). dossier keeps
// no date per note: created is the article's date, and the creator is the
// site's author (dossier.yaml's author, else its title).
func Export(s *site.Site, a *site.Article) []byte {
	canonical := s.BaseURL + a.Card.Path
	id := canonical + FileName
	page := Page{Context: Context, ID: id, Type: "AnnotationPage", Label: "Annotations on “" + a.Card.Title + "”", Items: []Annotation{}}
	// Read from the lent unpacked text: ArticleText keeps no view of it.
	var text *Text
	a.Body.ReadHTML(func(h template.HTML) { text = ArticleText([]byte(h)) })
	creator := &Agent{Type: "Organization", Name: s.Config.Author, Homepage: s.BaseURL}
	if creator.Name == "" {
		creator.Name = s.Config.Title
	}
	created := a.Card.Date.Time().UTC().Format(time.RFC3339)
	lang := s.Config.Language
	for _, n := range a.Body.Notes {
		r, ok := text.Marks[n.ID]
		if !ok {
			continue // not anchored: the build reports it
		}
		an := Annotation{
			ID:         id + "#" + n.ID,
			Type:       "Annotation",
			Motivation: Motivations[n.Kind],
			Created:    created,
			Creator:    creator,
			Generator:  &Agent{ID: Generator, Type: "Software", Name: "dossier"},
			Target: Target{Source: canonical, Selector: []any{
				QuoteSelector{Type: "TextQuoteSelector", Exact: string(text.Runes[r[0]:r[1]]),
					Prefix: context(text.Runes, r[0], PrefixLen, true), Suffix: context(text.Runes, r[1], PrefixLen, false)},
				PositionSelector{Type: "TextPositionSelector", Start: r[0], End: r[1]},
			}},
		}
		if an.Motivation == "" {
			an.Motivation = "commenting"
		}
		if n.Note != "" {
			an.Body = append(an.Body, Choice{Type: "Choice", Items: []TextualBody{
				{Type: "TextualBody", Value: string(n.HTML), Format: "text/html", Language: lang, Purpose: an.Motivation},
				{Type: "TextualBody", Value: n.Note, Format: "text/markdown", Language: lang, Purpose: an.Motivation},
			}})
		}
		an.Body = append(an.Body, TextualBody{Type: "TextualBody", Value: n.Kind, Purpose: "tagging"})
		if n.Claim != "" {
			an.Body = append(an.Body, SpecificResource{Type: "SpecificResource", Source: s.BaseURL + "claims/" + n.Claim + "/", Purpose: "linking"})
		}
		if n.Speaker != "" {
			an.Body = append(an.Body, SpecificResource{Type: "SpecificResource", Source: s.BaseURL + "entities/" + n.Speaker + "/", Purpose: "identifying"})
		}
		page.Items = append(page.Items, an)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(page); err != nil {
		panic(err) // plain strings and numbers: cannot fail
	}
	return b.Bytes()
}
