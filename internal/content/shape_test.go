package content

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// YAML shapes the parser reads in quadratic time or memory are refused
// before it sees them, at their line, and shapes content files have are
// not: the parser took 94 s for 160,000 keys of one mapping (1.6 MB), and
// 2.4 GB for "[[[[...]]]]" 40,000 deep (80 KB).
func TestYAMLShapeLimits(t *testing.T) {
	keys := func(n int, indent string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(indent + "k" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + ": v\n")
		}
		return b.String()
	}
	notes := strings.Repeat("  - quote: \"a: b\"\n    kind: context\n    note: |-\n      one: two\n      three: four\n", 3000)
	cases := []struct{ name, src, want string }{
		{"many annotations", "---\ntitle: T\nannotations:\n" + notes + "outlet: O\n", ""},
		{"a block scalar of key-like lines", "---\neditorNote: |\n" + keys(3000, "  ") + "title: T\n", ""},
		{"a long flow list", "---\ntopics: [" + strings.Repeat("a, ", 50000) + "b]\n", ""},
		{"flow nested 64 deep", "---\nbyline: " + strings.Repeat("[", 64) + strings.Repeat("]", 64) + "\n", ""},
		{"quoted brackets", "---\nbyline: [\"" + strings.Repeat("[", 500) + "\"]\n", ""},
		{"keys of one mapping", "---\ntitle: T\n" + keys(1000, ""), "x.md:1002: more than 1000 fields in one mapping (the one starting at line 2)"},
		{"keys of a nested mapping", "---\nbyline:\n" + keys(1001, "  "), "x.md:1003: more than 1000 fields in one mapping (the one starting at line 3)"},
		{"keys of a list item", "---\nannotations:\n  - quote: q\n" + keys(1000, "    "), "x.md:1003: more than 1000 fields in one mapping (the one starting at line 3)"},
		{"flow nested 65 deep", "---\ntitle: T\nbyline: " + strings.Repeat("[", 65) + strings.Repeat("]", 65) + "\n", "x.md:3: lists or sets of fields nested more than 64 deep"},
		{"flow nested on later lines", "---\nbyline: {a: [\n" + strings.Repeat("{b: ", 70) + "\n", "x.md:2: lists or sets of fields nested more than 64 deep"},
		{"compact sequences", "---\nbyline:\n  " + strings.Repeat("- ", 65) + "x\n", "x.md:3: lists or sets of fields nested more than 64 deep"},
	}
	for _, tc := range cases {
		got := checkShape("x.md", []byte(tc.src)).Error()
		if tc.want == "" && got != "" || tc.want != "" && !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The limits stop the front matter before the parser reads it.
func TestYAMLShapeBeforeParsing(t *testing.T) {
	var a Article
	src := "---\ntitle: T\nbyline: " + strings.Repeat("[", 40000) + strings.Repeat("]", 40000) + "\n"
	_, ps := decodeYAML("x.md", []byte(src), &a, "")
	if got, want := ps.Error(), "x.md:3: lists or sets of fields nested more than 64 deep"; !strings.HasPrefix(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
}

// A file that does not parse is read a chunk at a time, each chunk read
// alone: four times the broken events take about four times the work (the
// chunks were padded with every line above them, sixteen times the work:
// 16,000 broken timeline events took 15 s). Counted in bytes allocated.
func TestBrokenChunksLinear(t *testing.T) {
	timeline := func(n int) []byte {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "- date: 2013-05-01\n  title: \"Event %d\n  note: x\n", i)
		}
		return []byte(b.String())
	}
	allocated := func(n int) float64 {
		src := timeline(n)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, ps := ParseTimeline("timeline.yaml", src); len(ps) != n {
			t.Fatalf("%d problems for %d broken events", len(ps), n)
		}
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc - before.TotalAlloc)
	}
	small, large := allocated(500), allocated(4000)
	t.Logf("500 broken events: %.0f bytes allocated; 4,000: %.0f (×%.1f)", small, large, large/small)
	if large > 12*small {
		t.Errorf("8 times the broken events took %.1f times the bytes", large/small)
	}
}
