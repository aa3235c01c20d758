package webanno

import (
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/content"
)

var newNotes = []content.Annotation{
	{Quote: `a "quoted" passage`, Kind: "fact-check", Note: "First paragraph.\n\nSecond, with [a link](https://x.example/)."},
	{Quote: "z", Prefix: "the ", Kind: "context", Claim: "death-toll", Note: "Colon: and # hash"},
}

// New annotations go at the end of the list, in its indentation and line
// endings; everything else in the file stays byte for byte.
func TestAppendAnnotations(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      string // the file after, "" for an error
	}{
		{"block list with comments", "---\ntitle: x\nannotations:   # the editors' notes\n  - quote: q # why\n    kind: context\n    note: >-\n      folded\n      text\n\n  # kept\nsummary: s\n---\nBody\n",
			"---\ntitle: x\nannotations:   # the editors' notes\n  - quote: q # why\n    kind: context\n    note: >-\n      folded\n      text\n\n  # kept\n" +
				"  - quote: \"a \\\"quoted\\\" passage\"\n    kind: fact-check\n    note: |-\n      First paragraph.\n\n      Second, with [a link](https://x.example/).\n" +
				"  - quote: z\n    prefix: \"the \"\n    kind: context\n    claim: death-toll\n    note: \"Colon: and # hash\"\nsummary: s\n---\nBody\n"},
		{"zero-indented list, CRLF, last key", "---\r\ntitle: x\r\nannotations:\r\n- quote: q\r\n  kind: context\r\n  note: n\r\n---\r\nBody\r\n",
			"---\r\ntitle: x\r\nannotations:\r\n- quote: q\r\n  kind: context\r\n  note: n\r\n" +
				"- quote: \"a \\\"quoted\\\" passage\"\r\n  kind: fact-check\r\n  note: |-\r\n    First paragraph.\r\n\r\n    Second, with [a link](https://x.example/).\r\n" +
				"- quote: z\r\n  prefix: \"the \"\r\n  kind: context\r\n  claim: death-toll\r\n  note: \"Colon: and # hash\"\r\n---\r\nBody\r\n"},
		{"empty flow list", "---\ntitle: x\nannotations: [] # none yet\ntopics: [a]\n---\nBody\n",
			"---\ntitle: x\nannotations: # none yet\n" +
				"  - quote: \"a \\\"quoted\\\" passage\"\n    kind: fact-check\n    note: |-\n      First paragraph.\n\n      Second, with [a link](https://x.example/).\n" +
				"  - quote: z\n    prefix: \"the \"\n    kind: context\n    claim: death-toll\n    note: \"Colon: and # hash\"\ntopics: [a]\n---\nBody\n"},
		{"no list yet", "---\ntitle: x\n---\nBody\n",
			"---\ntitle: x\nannotations:\n" +
				"  - quote: \"a \\\"quoted\\\" passage\"\n    kind: fact-check\n    note: |-\n      First paragraph.\n\n      Second, with [a link](https://x.example/).\n" +
				"  - quote: z\n    prefix: \"the \"\n    kind: context\n    claim: death-toll\n    note: \"Colon: and # hash\"\n---\nBody\n"},
		{"delimiters with trailing space", "---  \ntitle: x\n--- \nBody\n",
			"---  \ntitle: x\nannotations:\n" +
				"  - quote: \"a \\\"quoted\\\" passage\"\n    kind: fact-check\n    note: |-\n      First paragraph.\n\n      Second, with [a link](https://x.example/).\n" +
				"  - quote: z\n    prefix: \"the \"\n    kind: context\n    claim: death-toll\n    note: \"Colon: and # hash\"\n--- \nBody\n"},
		// A byte-order mark (Windows editors) stays, and the file is
		// read after it: it was "[1:1] unexpected key name" (found by
		// hostile testing).
		{"byte-order mark", "\ufeff---\r\ntitle: x\r\n---\r\nBody\r\n",
			"\ufeff---\r\ntitle: x\r\nannotations:\r\n" +
				"  - quote: \"a \\\"quoted\\\" passage\"\r\n    kind: fact-check\r\n    note: |-\r\n      First paragraph.\r\n\r\n      Second, with [a link](https://x.example/).\r\n" +
				"  - quote: z\r\n    prefix: \"the \"\r\n    kind: context\r\n    claim: death-toll\r\n    note: \"Colon: and # hash\"\r\n---\r\nBody\r\n"},
		{"flow list with items", "---\ntitle: x\nannotations: [{quote: q, kind: context, note: n}]\n---\nBody\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AppendAnnotations("content/articles/x.md", []byte(tc.src), newNotes)
			if tc.want == "" {
				if err == nil {
					t.Errorf("accepted:\n%s", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// Fuzz: any quote, context and note an import may bring is written so that
// it reads back exactly (AppendAnnotations checks, and errs otherwise).
func FuzzAppendAnnotations(f *testing.F) {
	f.Add("quote", "pre ", " suf", "A note.\n\nTwo paragraphs.")
	f.Add(`"quoted" \ back`, "", "", "  leading spaces\ttab\r\n")
	f.Add("null", "- dash", "#hash", "line\n  indented\n")
	f.Fuzz(func(t *testing.T, quote, prefix, suffix, note string) {
		if strings.TrimSpace(quote) == "" || strings.ContainsRune(quote+prefix+suffix+note, 0xfffd) || !isText(quote) || !isText(prefix) || !isText(suffix) || !isText(note) {
			return
		}
		src := "---\ntitle: x\nannotations:\n  - quote: q\n    kind: context\n    note: n\n---\nBody\n"
		add := []content.Annotation{{Quote: quote, Prefix: prefix, Suffix: suffix, Kind: "context", Note: note}}
		if _, err := AppendAnnotations("content/articles/x.md", []byte(src), add); err != nil {
			t.Fatal(err)
		}
	})
}

// isText leaves out strings YAML cannot hold as they are (invalid UTF-8,
// lone surrogates): an import never brings them, since JSON cannot either.
func isText(s string) bool {
	return strings.ToValidUTF8(s, "") == s
}
