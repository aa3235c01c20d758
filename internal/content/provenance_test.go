package content

import (
	"strings"
	"testing"
)

// removed: entries are quotes with a reason, or plain strings (quotes
// without one); original: must lead into content/originals/; problems are at
// their lines.
func TestProvenanceFields(t *testing.T) {
	const head = "---\ntitle: T\noutlet: O\ndate: 2024-03-04\ntopics: [x]\nsummary: S\n"
	for _, tc := range []struct {
		name, fm string
		removed  []Removal
		file     string // OriginalFile()
		problems []string
	}{
		{"both forms", "original: ../originals/a.txt\nremoved:\n  - \"Comments are closed.\"\n  - text: \"© 2013 AFP\"\n    why: copyright line\n",
			[]Removal{{Text: "Comments are closed."}, {Text: "© 2013 AFP", Why: "copyright line"}}, "content/originals/a.txt", nil},
		{"unknown key in an entry", "removed:\n  - text: x\n    wy: typo\n", nil, "", []string{`9: unknown field "wy": did you mean "why"?`}},
		{"entry without text", "removed:\n  - why: no quote\n", nil, "", []string{"8: removed entry has no text"}},
		{"entry that is a list", "removed:\n  - [a, b]\n", nil, "", []string{"8: "}},
		// A path outside content/originals/ is reported and never opened:
		// OriginalFile names no file for it.
		{"original outside originals/", "original: a.txt\n", nil, "", []string{`7: original "a.txt" is not in content/originals/`}},
		{"original climbing out of the project", "original: ../../../../etc/passwd\n", nil, "", []string{`7: original "../../../../etc/passwd" is not in content/originals/`}},
		{"original climbing out through originals/", "original: ../originals/../../../secret.txt\n", nil, "", []string{`7: original "../originals/../../../secret.txt" is not in content/originals/`}},
		{"original as an absolute path", "original: /etc/passwd\n", nil, "", []string{`7: original "/etc/passwd" must be a path relative to this file`}},
		{"original and unverified", "original: ../originals/a.txt\nunverified: print only\n", nil, "content/originals/a.txt", []string{"8: unverified: and original: cannot both be set"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, ps := ParseFile(ArticlesDir, "content/articles/a.md", []byte(head+tc.fm+"---\nText.\n"))
			if a, ok := v.(*Article); ok {
				ps.Merge(ValidateProvenance(a))
				if tc.removed != nil && !equalRemovals(a.Removed, tc.removed) {
					t.Errorf("removed = %+v, want %+v", a.Removed, tc.removed)
				}
				if a.OriginalFile() != tc.file {
					t.Errorf("OriginalFile() = %q, want %q", a.OriginalFile(), tc.file)
				}
			}
			if len(ps.Errors()) != len(tc.problems) {
				t.Fatalf("problems %v, want %v", ps, tc.problems)
			}
			for i, w := range tc.problems {
				if got := ps.Errors()[i].Error(); !strings.HasPrefix(got, "content/articles/a.md:"+w) {
					t.Errorf("problem %q, want content/articles/a.md:%s...", got, w)
				}
			}
		})
	}
}

func equalRemovals(a, b []Removal) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
