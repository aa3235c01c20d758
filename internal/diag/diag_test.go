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
