package readfile

import (
	"strings"
	"testing"
)

// FuzzParseSize: a size is accepted only when positive and spelled as a
// number with an optional unit, and formats back to the same value.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"32MB", "1", "512 kb", "0", "-1", "1.5GB", "9999999999GB", "12TB", "MB", "7 B"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err != nil {
			return
		}
		if n <= 0 {
			t.Fatalf("%q: %d", s, n)
		}
		if strings.TrimLeft(s, "0123456789") == s {
			t.Fatalf("%q accepted without a number", s)
		}
		if m, err := ParseSize(strings.ReplaceAll(Size(n), " ", "")); err == nil && float64(m) > float64(n)*1.1+1 {
			t.Fatalf("%q = %d, formatted %q = %d", s, n, Size(n), m)
		}
	})
}
