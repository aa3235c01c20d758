// Package progress draws a long build's progress as one line on a terminal,
// rewritten in place ("dossier: render 4,512 of 10,615"), and clears it when
// the build ends, so that what is printed afterwards (problems, the summary)
// starts on a clean line. It prints nothing unless told it writes to a
// terminal: logs and CI output stay free of carriage returns.
package progress

import (
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
)

// Line is a progress line. The zero value, or one made with a nil writer,
// prints nothing. Update is safe for concurrent use.
type Line struct {
	w        io.Writer
	interval time.Duration
	now      func() time.Time

	mu    sync.Mutex
	last  time.Time
	step  string
	width int // of the line on screen, to blank it
}

// New returns a line drawn on w at most every interval, or a silent one when
// w is nil.
func New(w io.Writer, interval time.Duration) *Line {
	return &Line{w: w, interval: interval, now: time.Now}
}

// Update shows that step has done done of total (total 0: no count). It
// redraws at most once per interval, and at once when the step changes.
func (l *Line) Update(step string, done, total int) {
	if l == nil || l.w == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if step == l.step && now.Sub(l.last) < l.interval && done != total {
		return
	}
	l.last, l.step = now, step
	text := "dossier: " + step
	if total > 0 {
		text += " " + commas(done) + " of " + commas(total)
	}
	pad := max(l.width-len(text), 0)
	fmt.Fprintf(l.w, "\r%s%*s", text, pad, "")
	l.width = len(text)
}

// Done clears the line.
func (l *Line) Done() {
	if l == nil || l.w == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.width > 0 {
		fmt.Fprintf(l.w, "\r%*s\r", l.width, "")
		l.width = 0
	}
}

// commas writes n with thousands separators: 10,615.
func commas(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
