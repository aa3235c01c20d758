// Package diag carries the problems dossier reports to editors: every one names
// the file and line it concerns and says what to do, so that a build, a check or
// the preview server can list all of them at once, sorted, as "file:line: message".
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Severity tells whether a problem fails a build or is only worth knowing.
type Severity int

const (
	// Error fails the build or check.
	Error Severity = iota
	// Warning is reported but fails only `dossier check -strict`.
	Warning
	// Note is worth knowing but never fails, not even with -strict: a new
	// topic that no article uses yet is work in progress, not a mistake.
	Note
)

// Problem is one thing wrong with the content, located in a source file.
type Problem struct {
	File     string // path relative to the project folder, slash-separated
	Line     int    // 1-based; 0 when the problem concerns the whole file
	Severity Severity
	Msg      string
}

func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(Printable(p.File))
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	switch p.Severity {
	case Warning:
		b.WriteString("warning: ")
	case Note:
		b.WriteString("note: ")
	}
	b.WriteString(Printable(p.Msg))
	return b.String()
}

// Printable returns s with the characters a terminal acts on instead of
// showing written as escapes (\x1b, \u202e): control characters other
// than tab and newline, and the bidirectional controls that reorder what
// a reader sees. Messages name editors' files and quote their text, which
// is anyone's who sends a change: a file named "\x1b]0;...\a" would
// otherwise retitle, recolour or fill the clipboard of the terminal of
// whoever builds or previews it.
func Printable(s string) string {
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !unprintable(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

func unprintable(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || (r >= 0x7f && r <= 0x9f):
		return true
	case BidiControl(r), r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// BidiControl reports whether r is a bidirectional embedding, override or
// isolate, or the end of one (U+202A-U+202E, U+2066-U+2069): invisible, but
// it reorders what is shown around it ("\u202eoff" shows "ffo"). The
// marks (LRM, RLM, ALM) only place punctuation and are not.
func BidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// Errorf makes an error-severity problem.
func Errorf(file string, line int, format string, args ...any) Problem {
	return Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Warnf makes a warning-severity problem.
func Warnf(file string, line int, format string, args ...any) Problem {
	return Problem{File: file, Line: line, Severity: Warning, Msg: fmt.Sprintf(format, args...)}
}

// List is a set of problems. Its zero value is ready to use; it is not safe for
// concurrent use (collect per goroutine and Merge).
type List []Problem

// Add appends problems.
func (l *List) Add(p ...Problem) { *l = append(*l, p...) }

// Merge appends every problem of other.
func (l *List) Merge(other List) { *l = append(*l, other...) }

// Sort orders problems by file, line, then message, so output is deterministic.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Msg < b.Msg
	})
}

// Errors returns only error-severity problems.
func (l List) Errors() List {
	var out List
	for _, p := range l {
		if p.Severity == Error {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns only warning-severity problems.
func (l List) Warnings() List {
	var out List
	for _, p := range l {
		if p.Severity == Warning {
			out = append(out, p)
		}
	}
	return out
}

// Notef makes a note: reported, never failing.
func Notef(file string, line int, format string, args ...any) Problem {
	return Problem{File: file, Line: line, Severity: Note, Msg: fmt.Sprintf(format, args...)}
}

// Notes returns only notes.
func (l List) Notes() List {
	var out List
	for _, p := range l {
		if p.Severity == Note {
			out = append(out, p)
		}
	}
	return out
}

// Err returns the list as an error if it holds any error-severity problem, else nil.
func (l List) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return errs
}

func (l List) Error() string {
	lines := make([]string, len(l))
	for i, p := range l {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// From extracts the problems carried by err: a List, a Problem, or any wrapped
// error (reported against file, line 0).
func From(err error, file string) List {
	if err == nil {
		return nil
	}
	var l List
	if errors.As(err, &l) {
		return l
	}
	var p Problem
	if errors.As(err, &p) {
		return List{p}
	}
	return List{{File: file, Msg: err.Error()}}
}
