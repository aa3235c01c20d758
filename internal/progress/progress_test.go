package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// clock is a fake time source the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestLineThrottlesAndClears(t *testing.T) {
	var out bytes.Buffer
	c := &clock{t: time.Unix(0, 0)}
	l := New(&out, 100*time.Millisecond)
	l.now = c.now

	l.Update("render", 1, 10615)
	l.Update("render", 2, 10615) // within the interval: not drawn
	c.t = c.t.Add(150 * time.Millisecond)
	l.Update("render", 3, 10615)
	l.Update("search", 0, 0) // a new step is drawn at once
	l.Update("render", 10615, 10615)
	l.Done()

	got := strings.Split(out.String(), "\r")
	want := []string{"", "dossier: render 1 of 10,615", "dossier: render 3 of 10,615", "dossier: search" + strings.Repeat(" ", 12), "dossier: render 10,615 of 10,615", strings.Repeat(" ", 32), ""}
	if len(got) != len(want) {
		t.Fatalf("drawn %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("draw %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestSilentLine(t *testing.T) {
	l := New(nil, 0)
	l.Update("render", 1, 2)
	l.Done()
	var nilLine *Line
	nilLine.Update("x", 1, 1)
	nilLine.Done()
}

func TestCommas(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 10615: "10,615", 1234567: "1,234,567", -1000: "-1,000"} {
		if got := commas(n); got != want {
			t.Errorf("commas(%d) = %q, want %q", n, got, want)
		}
	}
}
