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
