package diag

import (
	"errors"
	"fmt"
	"testing"
)

func TestListSortErrAndFrom(t *testing.T) {
	l := List{
		Errorf("b.md", 3, "late"),
		Warnf("a.md", 9, "just a warning"),
		Errorf("a.md", 10, "second"),
		Errorf("a.md", 2, "first"),
	}
	err := l.Err()
	if err == nil {
		t.Fatal("errors present but Err is nil")
	}
	want := "a.md:2: first\na.md:10: second\nb.md:3: late"
	if err.Error() != want {
		t.Errorf("Err() =\n%s\nwant\n%s", err, want)
	}
	if (List{Warnf("a.md", 1, "w")}).Err() != nil {
		t.Error("warnings alone must not fail")
	}
	if got := Warnf("a.md", 0, "w").Error(); got != "a.md: warning: w" {
		t.Errorf("whole-file warning = %q", got)
	}
	wrapped := fmt.Errorf("context: %w", l)
	if n := len(From(wrapped, "x")); n != 4 {
		t.Errorf("From kept %d problems", n)
	}
	if p := From(errors.New("boom"), "x.md"); len(p) != 1 || p[0].Error() != "x.md: boom" {
		t.Errorf("From plain error = %v", p)
	}
}

// A problem names a file and quotes text anyone may have written: what a
// terminal would act on (escape sequences, bells, carriage returns,
// bidirectional overrides) is printed as escapes; the rest as it is.
func TestProblemIsPrintable(t *testing.T) {
	for _, tt := range []struct{ file, msg, want string }{
		{"content/a.md", "quote \"Kerry — «да» 日本\" is\tnot here", "content/a.md:3: quote \"Kerry — «да» 日本\" is\tnot here"},
		{"content/e\x1b[31mvil.md", "x", `content/e\x1b[31mvil.md:3: x`},
		{"a.md", "quote \"X\x1b]0;PWNED\a\x1b[31mRED\" and\rover", `a.md:3: quote "X\x1b]0;PWNED\x07\x1b[31mRED" and\x0dover`},
		{"a.md", "C1 \u009b31m and \u202egnp.exe and \x7f", `a.md:3: C1 \x9b31m and \u202egnp.exe and \x7f`},
		{"a.md", "two\nlines", "a.md:3: two\nlines"},
	} {
		if got := (Problem{File: tt.file, Line: 3, Msg: tt.msg}).Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
