package render

import (
	"testing"
	"unicode/utf8"
)

// title capitalises the first letter, whatever its script: it cut the
// first byte off a letter of several ("élan" became invalid UTF-8) in a
// project template showing a name or a role.
func TestTitleFunc(t *testing.T) {
	title := (&Renderer{}).funcs()["title"].(func(string) string)
	for in, want := range map[string]string{"": "", "person": "Person", "élan": "Élan", "東京": "東京", "\xff": "\xff"} {
		got := title(in)
		if got != want || utf8.ValidString(in) && !utf8.ValidString(got) {
			t.Errorf("title(%q) = %q, want %q", in, got, want)
		}
	}
}
