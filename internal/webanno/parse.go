package webanno

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
)

// Incoming is an annotation read from a file, whatever its format.
type Incoming struct {
	// Index is the annotation's place in the file (1, 2, ...), which names
	// it in messages when it has no id.
	Index  int
	ID     string // the annotation's id, for messages
	URI    string // the annotated page
	Exact  string // TextQuoteSelector
	Prefix string
	Suffix string
	Start  int // TextPositionSelector, -1 when absent
	End    int
	Note   string   // Markdown
	Tags   []string // Hypothesis tags, W3C tagging bodies
	// Motivation is the W3C motivation (or the note body's purpose).
	Motivation string
	// Links are the URLs of SpecificResource bodies by purpose ("linking",
	// "identifying"): a claim's or a speaker's page.
	Links map[string][]string
	// Reply: the annotation answers another (Hypothesis's references, the
	// W3C replying motivation); its target may be that annotation.
	Reply bool
	// Hidden: a moderator of its Hypothesis group hid it ("hidden": true).
	Hidden bool
}

// Name is how messages name the annotation: its id, else its place in the file.
func (in Incoming) Name() string {
	if in.ID != "" {
		return in.ID
	}
	return fmt.Sprintf("annotation %d", in.Index)
}

// Parse reads annotations in any of the shapes Hypothesis and W3C Web
// Annotation tools write: Hypothesis API objects (uri, text, tags,
// target[].selector[]), alone, in an array, under "rows" (the search API) or
// "annotations" (the client's export); W3C Annotations, alone, in an array,
// in an AnnotationPage's items or an AnnotationCollection's embedded pages,
// or in JSON-LD's @graph. The file (named file in problems) must be UTF-8, a
// byte-order mark allowed: JSON would read other bytes as U+FFFD, in place
// of the notes' letters. A problem is a diag.List at the file's line.
func Parse(file string, data []byte) ([]Incoming, error) {
	if ps := content.CheckText(file, data); len(ps) > 0 {
		return nil, ps
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // Windows tools write one; JSON has none
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		line := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		}
		return nil, diag.List{diag.Errorf(file, line, "not JSON: %v: export the annotations again, as JSON", err)}
	}
	var out []Incoming
	var walk func(v any, depth int) error
	walk = func(v any, depth int) error {
		if depth > 8 {
			return nil
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				if err := walk(e, depth+1); err != nil {
					return err
				}
			}
			return nil
		case map[string]any:
			for _, key := range []string{"rows", "annotations", "items", "@graph"} {
				if list, ok := x[key].([]any); ok {
					return walk(list, depth+1)
				}
			}
			if typ := str(x["type"]); typ == "AnnotationCollection" {
				for page := x["first"]; page != nil; {
					pm, ok := page.(map[string]any)
					if !ok {
						return fmt.Errorf("annotation collection %s: its pages are not in the file (only embedded pages are read): import each page's file, or export the collection with its pages", str(x["id"]))
					}
					if err := walk(pm["items"], depth+1); err != nil {
						return err
					}
					page = pm["next"]
				}
				return nil
			}
			_, target := x["target"]
			_, uri := x["uri"]
			if target || uri {
				in := incoming(x)
				in.Index = len(out) + 1
				out = append(out, in)
			}
		}
		return nil
	}
	if err := walk(v, 0); err != nil {
		return nil, diag.List{diag.Errorf(file, 0, "%v", err)}
	}
	if len(out) == 0 {
		return nil, diag.List{diag.Errorf(file, 0, "no annotations found: expected Hypothesis JSON (objects with uri, text, target) or W3C Web Annotation JSON (Annotation, AnnotationPage, AnnotationCollection)")}
	}
	return out, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// incoming reads one annotation object (Hypothesis or W3C).
func incoming(x map[string]any) Incoming {
	in := Incoming{ID: str(x["id"]), URI: str(x["uri"]), Start: -1, End: -1, Links: map[string][]string{}}
	if in.ID == "" {
		in.ID = str(x["@id"])
	}
	in.Motivation = firstString(x["motivation"])
	in.Reply = in.Motivation == "replying" || len(list(x["references"])) > 0
	in.Hidden, _ = x["hidden"].(bool)
	// Target: a URL, an object, or a list of them; selectors an object or a list.
	for _, t := range list(x["target"]) {
		switch tv := t.(type) {
		case string:
			if in.URI == "" {
				in.URI = tv
			}
		case map[string]any:
			src := str(tv["source"])
			if src == "" {
				src = str(tv["id"])
			}
			if in.URI == "" {
				in.URI = src
			}
			for _, s := range list(tv["selector"]) {
				sm, _ := s.(map[string]any)
				readSelector(&in, sm)
			}
		}
	}
	// Hypothesis: text and tags.
	if t, ok := x["text"].(string); ok {
		in.Note = t
	}
	for _, t := range list(x["tags"]) {
		if s, ok := t.(string); ok {
			in.Tags = append(in.Tags, s)
		}
	}
	// W3C: bodyValue, body.
	if bv := str(x["bodyValue"]); bv != "" && in.Note == "" {
		in.Note = bv
	}
	for _, b := range list(x["body"]) {
		readBody(&in, b)
	}
	return in
}

func readSelector(in *Incoming, s map[string]any) {
	if s == nil {
		return
	}
	switch str(s["type"]) {
	case "TextQuoteSelector":
		if in.Exact == "" {
			in.Exact, in.Prefix, in.Suffix = str(s["exact"]), str(s["prefix"]), str(s["suffix"])
		}
	case "TextPositionSelector":
		st, ok1 := s["start"].(float64)
		en, ok2 := s["end"].(float64)
		if ok1 && ok2 && in.Start < 0 {
			in.Start, in.End = int(st), int(en)
		}
	}
	if r, ok := s["refinedBy"].(map[string]any); ok {
		readSelector(in, r)
	}
}

// readBody reads a W3C body: a note (TextualBody, or a Choice of formats,
// the Markdown or plain one preferred), a tag, or a link.
func readBody(in *Incoming, b any) {
	bm, ok := b.(map[string]any)
	if !ok {
		return
	}
	purpose := firstString(bm["purpose"])
	switch str(bm["type"]) {
	case "Choice":
		var best map[string]any
		rank := func(m map[string]any) int {
			switch str(m["format"]) {
			case "text/markdown":
				return 3
			case "text/plain", "":
				return 2
			case "text/html":
				return 1
			}
			return 0
		}
		for _, it := range list(bm["items"]) {
			if m, ok := it.(map[string]any); ok && (best == nil || rank(m) > rank(best)) {
				best = m
			}
		}
		if best != nil {
			readBody(in, best)
		}
		return
	case "SpecificResource":
		if src := str(bm["source"]); src != "" {
			in.Links[purpose] = append(in.Links[purpose], src)
		}
		return
	}
	value, hasValue := bm["value"].(string)
	if !hasValue {
		if id := str(bm["id"]); id != "" {
			in.Links[purpose] = append(in.Links[purpose], id)
		}
		return
	}
	if purpose == "tagging" {
		in.Tags = append(in.Tags, value)
		return
	}
	if in.Note != "" {
		return
	}
	if str(bm["format"]) == "text/html" {
		value = htmlToMarkdown(value)
	}
	in.Note = value
	if in.Motivation == "" {
		in.Motivation = purpose
	}
}

func list(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

func firstString(v any) string {
	for _, e := range list(v) {
		if s, ok := e.(string); ok {
			return s
		}
	}
	return ""
}

func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}
