package output

import (
	"bytes"
	"strings"
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
		if got := tooMuchEntityWork(data); got != (want > maxEntityWork(len(data))) {
			t.Fatalf("tooMuchEntityWork = %v for work %d (limit %d)", got, want, maxEntityWork(len(data)))
		}
		if want > maxEntityWork(len(data)) {
			if out, err := mf.Minify("x.html", data); err != nil || !bytes.Equal(out, data) {
				t.Fatalf("a file over the budget was changed (%v)", err)
			}
		}
	})
}

// The quick bound of tooMuchEntityWork decides nothing wrongly: a page over
// the budget in one long run, and one with as many references in short runs
// (over the quick bound, under the budget).
func TestTooMuchEntityWork(t *testing.T) {
	longRun := "<p>" + strings.Repeat("a&amp;b ", 2000) + strings.Repeat("x", 1<<20) + "</p>"
	shortRuns := strings.Repeat("<b>&amp;</b>", 100000)
	tests := []struct {
		name string
		data string
		want bool
	}{
		{"empty", "", false},
		{"a page", "<p>Tom &amp; Jerry&#39;s</p>", false},
		{"one long run", longRun, true},
		{"many short runs", shortRuns, false},
	}
	for _, tt := range tests {
		data := []byte(tt.data)
		if got := tooMuchEntityWork(data); got != tt.want {
			t.Errorf("%s: tooMuchEntityWork = %v, want %v", tt.name, got, tt.want)
		}
		if got := entityWork(data) > maxEntityWork(len(data)); got != tt.want {
			t.Errorf("%s: the case is wrong: entityWork over the budget = %v", tt.name, got)
		}
	}
}
