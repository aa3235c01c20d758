package content

import (
	"bytes"
	"testing"
)

// FuzzParseFile: whatever an editor types, parsing never panics, and every
// problem names the file and a line that exists in it.
func FuzzParseFile(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: T\noutlet: AFP\ndate: 2013-05-07\ntopics: [syria]\n---\nBody.\n",
		"---\ntitle: Kerry: the talks\n---\n",
		"---\ntitle: \"unclosed\noutlet: O\n---\n",
		"---\ntitle: [unclosed\n---\n",
		"---\nannotations:\n  - quote: a\n\tkind: context\n---\n",
		"---\ntitle: &a x\nsummary: *a\nbyline: *b\n---\n",
		"---\n- x\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ps := ParseFile(ArticlesDir, "content/articles/x.md", data)
		// YAML, like most editors, takes a lone \r for a line break too.
		lines := bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\r")) + bytes.Count(data, []byte("\n")) + 1
		for _, p := range ps {
			if p.File != "content/articles/x.md" || p.Line < 0 || p.Line > lines {
				t.Errorf("problem at %s:%d in a %d-line file: %s", p.File, p.Line, lines, p.Msg)
			}
		}
	})
}

// FuzzParseTimelinePartly: a timeline with problems gives what could be read
// of its events (Content.BrokenEvents) without panicking, each event and
// problem at a line of the file, and the same as ParseTimeline without them.
func FuzzParseTimelinePartly(f *testing.F) {
	for _, s := range []string{
		"- date: 2013-05-07\n  title: Talks\n  articles: [a, a]\n",
		"- date: 2013-02-30\n  title: Bad day\n  articles: [nope]\n- title: No date\n- date: 2013\n",
		"- title: Date second\n  date: 2013-14-01\n  note: See [x](nope.md).\n",
		"events:\n  - date: 2013-02-30\n    title: A\n  - date: \"2013\n    title: B\n",
		"- date: [2013]\n  title: list\n- date: 2013\n  articel: [x]\n",
		"- \n- date: 2013\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		evs, ps := ParseTimelinePartly("content/timeline.yaml", data)
		lines := bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\r")) + bytes.Count(data, []byte("\n")) + 1
		for _, p := range ps {
			if p.File != "content/timeline.yaml" || p.Line < 0 || p.Line > lines+1 {
				t.Errorf("problem outside the file (%d lines): %v", lines, p)
			}
		}
		for _, e := range evs {
			if e == nil || e.Line < 0 || e.Line > lines+1 {
				t.Fatalf("event outside the file (%d lines): %+v", lines, e)
			}
		}
		whole, ps2 := ParseTimeline("content/timeline.yaml", data)
		if len(ps2) != len(ps) || len(ps) == 0 && len(whole) != len(evs) || len(ps) > 0 && whole != nil {
			t.Errorf("ParseTimeline differs: %d events, %v; partly %d events, %v", len(whole), ps2, len(evs), ps)
		}
	})
}
