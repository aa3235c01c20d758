package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFloorNotes(t *testing.T) {
	const ms = time.Millisecond
	for _, tc := range []struct {
		name                 string
		libs, goldmark, hugo time.Duration
		want                 []string // substrings, one per note, in order
		outOfReach           []bool
	}{
		{"both out of reach", 1100 * ms, 500 * ms, 4000 * ms,
			[]string{"3× the goldmark floor is 1500 ms", "0.25× Hugo's wall time is 1000 ms"}, []bool{false, true}},
		{"both reachable", 1100 * ms, 500 * ms, 12000 * ms,
			[]string{"goldmark and minify alone take 1100 ms, 0.73× that target", "leaving 1900 ms for everything else"}, []bool{false, false}},
		{"floor target out of reach", 1600 * ms, 500 * ms, 0,
			[]string{"1.07× that target"}, []bool{true}},
		{"no Hugo", 900 * ms, 500 * ms, 0,
			[]string{"3× the goldmark floor"}, []bool{false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			notes := floorNotes(10000, tc.libs, tc.goldmark, tc.hugo)
			if len(notes) != len(tc.want) {
				t.Fatalf("notes = %q, want %d", notes, len(tc.want))
			}
			for i, n := range notes {
				if !strings.Contains(n, tc.want[i]) {
					t.Errorf("note %d = %q, want it to contain %q", i, n, tc.want[i])
				}
				if got := strings.Contains(n, "out of reach"); got != tc.outOfReach[i] {
					t.Errorf("note %d = %q: says out of reach %v, want %v", i, n, got, tc.outOfReach[i])
				}
			}
		})
	}
}

func TestMinifyFloor(t *testing.T) {
	dir := t.TempDir()
	if _, err := minifyFloor(t.Context(), dir); err == nil {
		t.Error("an empty folder: no error")
	}
	// The search index's JSON is not minified by a build, so not by the floor.
	if err := os.WriteFile(filepath.Join(dir, "index.json"), []byte(`{"a":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := minifyFloor(t.Context(), dir); err == nil {
		t.Error("a folder of JSON only: no error")
	}
	page := "<!DOCTYPE html>\n<html>\n<head>\n<title> A </title>\n</head>\n<body>\n<p class=\"x\">  one  </p>\n</body>\n</html>\n"
	if err := os.MkdirAll(filepath.Join(dir, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"index.html": page, "a/index.html": page, "a/x.json": `{ "a" : 1 }`, "a/b.png": "\x89PNG"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := minifyFloor(t.Context(), dir)
	if err != nil || d <= 0 {
		t.Fatalf("minifyFloor = %v, %v; want a duration", d, err)
	}
	// The files are the floor's input, not its output: they stay as they were.
	if b, err := os.ReadFile(filepath.Join(dir, "index.html")); err != nil || string(b) != page {
		t.Errorf("index.html changed: %q, %v", b, err)
	}
}

// TestReportHugoPlusPagefind: the report pairs each Hugo build with the
// Pagefind run after it, and compares dossier with their sums.
func TestReportHugoPlusPagefind(t *testing.T) {
	const s = time.Second
	u := func(cpu time.Duration) usage { return usage{cpu: cpu, maxRSS: 100 << 20} }
	r := &result{n: 1000}
	r.dossier.builds = []time.Duration{2 * s, 3 * s, 4 * s}
	r.dossier.usages = []usage{u(4 * s), u(5 * s), u(6 * s)}
	r.hugo.builds = []time.Duration{5 * s, 9 * s, 7 * s}
	r.hugo.usages = []usage{u(10 * s), u(14 * s), u(12 * s)}
	// Sums 6, 10 and 12 s: the median of the sums is 10 s, not the sum of
	// the medians (7 + 2 = 9 s).
	r.pagefind.builds = []time.Duration{1 * s, 1 * s, 5 * s}
	r.pagefind.usages = []usage{u(2 * s), u(2 * s), u(8 * s)}
	var out strings.Builder
	(&bench{}).report(&out, []*result{r})
	for _, want := range []string{
		"| Pagefind on Hugo's output, wall time, median |  | 1000 ms |  |",
		"| **3000 ms** | **10.00 s** | **0.30×** |",
		"| pages and search index, CPU time, median | 5000 ms | 16.00 s | 0.31× |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	// Without Pagefind's runs, no such rows.
	r.pagefind = tool{}
	out.Reset()
	(&bench{}).report(&out, []*result{r})
	if strings.Contains(out.String(), "Pagefind") {
		t.Errorf("report without Pagefind runs mentions it:\n%s", out.String())
	}
}
