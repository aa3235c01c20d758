package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dossier-news/dossier/internal/site"
)

// FuzzExcerpt: the feed's excerpt and truncated fields stay within their
// bound, are valid UTF-8 when the text is, and are a prefix of the text
// (plus "…" when cut).
func FuzzExcerpt(f *testing.F) {
	f.Add("First paragraph.", "Second one, rather longer than the first.", 30)
	f.Add("ééééé", "", 4)
	f.Add(strings.Repeat("word ", 100), "x", 2000)
	f.Add("nospacesatallinthistext", "", 10)
	f.Fuzz(func(t *testing.T, a, b string, max int) {
		if max < 0 || max > 1<<16 || !utf8.ValidString(a) || !utf8.ValidString(b) {
			return
		}
		ps := []site.Paragraph{{ID: "p1", Text: a}, {ID: "p2", Text: b}}
		ex := Excerpt(ps, max)
		if len(ex) > max || !utf8.ValidString(ex) {
			t.Fatalf("Excerpt(%q, %q, %d) = %q", a, b, max, ex)
		}
		whole := strings.Join(nonEmpty(strings.TrimSpace(a), strings.TrimSpace(b)), "\n\n")
		if !strings.HasPrefix(whole, strings.TrimSuffix(ex, "…")) {
			t.Fatalf("Excerpt %q is not a prefix of %q", ex, whole)
		}
		tr := truncate(a, max)
		if (len(a) <= max && tr != a) || (len(a) > max && (len(tr) > max || !strings.HasSuffix(tr, "…") && max >= len("…"))) || !utf8.ValidString(tr) {
			t.Fatalf("truncate(%q, %d) = %q", a, max, tr)
		}
	})
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
