package output

import (
	"bytes"
	"testing"
)

// FuzzEntityWork checks the estimate that keeps the minifier from quadratic
// work against a plain count (for every run up to a '<' or '>', the
// character references in it times its length), and that a file over the
// budget is left as it is.
func FuzzEntityWork(f *testing.F) {
	for _, s := range []string{"", "a&b", "<p>a &amp; b &#39;c&#39;</p>", "&&&<&&>&", string(bytes.Repeat([]byte("x&"), 100))} {
		f.Add([]byte(s))
	}
	mf := NewMinifier()
	f.Fuzz(func(t *testing.T, data []byte) {
		want, run, refs := 0, 0, 0
		for _, c := range data {
			run++
			switch c {
			case '&':
				refs++
			case '<', '>':
				want += refs * run
				run, refs = 0, 0
			}
		}
		want += refs * run
		if got := entityWork(data); got != want {
			t.Fatalf("entityWork = %d, want %d", got, want)
		}
		if want > maxEntityWork(len(data)) {
			if out, err := mf.Minify("x.html", data); err != nil || !bytes.Equal(out, data) {
				t.Fatalf("a file over the budget was changed (%v)", err)
			}
		}
	})
}
