package markdown

import (
	"strings"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/testtool"
)

// Blocks over MaxBlock and quotes nested deeper than MaxQuoteDepth are
// refused at their line, before goldmark spends quadratic time on them;
// fenced code is not a block of text.
func TestLimits(t *testing.T) {
	big := strings.Repeat("word ", MaxBlock/5+10)
	cases := []struct {
		name, src string
		want      string // "" for no problem
	}{
		{"paragraphs under the limit", strings.Repeat(strings.Repeat("word ", 1000)+"\n\n", 40), ""},
		{"one paragraph over", "Intro.\n\n" + big + "\n", "x.md:12: 65586 bytes of text without a blank line (a paragraph, list or quote): dossier takes at most 65536 (64 KB)"},
		{"wrapped paragraph over", "Intro.\n\n" + strings.ReplaceAll(big, "word word ", "word\nword "), "x.md:12: 65586 bytes of text without a blank line (a paragraph, list or quote): dossier takes at most 65536 (64 KB)"},
		{"fenced code is exempt", "```\n" + strings.ReplaceAll(big, " ", "\n") + "```\n\nAfter.\n", ""},
		{"tilde fence", "~~~~ go\n" + big + "\n~~~~\n", ""},
		{"long word", "Intro.\n\n" + strings.Repeat("[a](", MaxWord/4+1) + "\n", "x.md:12: 8196 bytes of text without a space: dossier takes at most 8192 (8 KB)"},
		{"word at the limit", "Intro.\n\n" + strings.Repeat("a", MaxWord) + " b\n", ""},
		{"word one byte over", "Intro.\n\n" + strings.Repeat("a", MaxWord+1) + "\n", "x.md:12: 8193 bytes of text without a space"},
		{"Chinese has no spaces", strings.Repeat("罢工继续进行，港口关闭。", 1000) + "\n", ""},
		{"deep quote", "Intro.\n\n" + strings.Repeat("> ", 17) + "deep\n", "x.md:12: blockquotes nested 17 deep"},
		{"quote at the limit", strings.Repeat("> ", 16) + "ok\n", ""},
		{"lists on one line", "Intro.\n\n" + strings.Repeat("- ", 33) + "item\n", "x.md:12: lists nested 33 deep on one line: dossier takes at most 32"},
		{"ordered lists and quotes", "Intro.\n\n" + strings.Repeat("1. > * ", 11) + "item\n", "x.md:12: lists nested 33 deep on one line"},
		{"lists at the limit", strings.Repeat("- ", 32) + "ok\n", ""},
		{"a thematic break of many dashes", strings.Repeat("- ", 100) + "-\n\n" + strings.Repeat("* ", 100) + "\n", ""},
		{"numbers that are not markers", strings.Repeat("1.5 ", 100) + "\n", ""},
		{"indented lists", strings.Repeat("- a\n  ", 40) + "- b\n", ""},
	}
	r := New()
	for _, tc := range cases {
		_, ps := r.Render([]byte(tc.src), Options{File: "x.md", BodyLine: 10})
		got := ps.Error()
		if tc.want == "" && got != "" || tc.want != "" && !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: problems %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Inputs that make goldmark quadratic in one block's size: within the block
// limit, 8 times the input (in 8 times the blocks) takes about 8 times as
// long, and a block over the limit is refused at once.
func TestScalingPathologicalMarkdown(t *testing.T) {
	if testtool.Race {
		t.Skip("timing test: run without the race detector (make test does, after the race run)")
	}
	if testing.Short() {
		t.Skip("slow")
	}
	units := map[string]string{
		"link openers": "[a](", "brackets": "[", "emphasis": "*a _b ", "backticks": "`a ",
		"reference definitions": "[a]: /u\n", "nested quotes": "> > > > > > > > x\n", "nested lists": "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x\n",
	}
	r := New()
	timeOf := func(src string) time.Duration {
		best := time.Duration(1<<63 - 1)
		for range 2 {
			start := time.Now()
			r.Render([]byte(src), Options{File: "x.md", BodyLine: 1})
			best = min(best, time.Since(start))
		}
		return best
	}
	for name, unit := range units {
		// Blocks as large as allowed, of runs as long as allowed.
		word := strings.Repeat(unit, (MaxWord-100)/len(unit))
		block := strings.Repeat(word+" ", (MaxBlock-100)/(len(word)+1))
		var small, large time.Duration
		ratio := testtool.LeastGrowth(3, 24, func() float64 {
			small, large = timeOf(strings.Repeat(block+"\n\n", 1)), timeOf(strings.Repeat(block+"\n\n", 8))
			return float64(large) / float64(small)
		})
		t.Logf("%s: 1 block %v, 8 blocks %v: ×%.1f", name, small, large, ratio)
		if ratio > 24 {
			t.Errorf("%s: 8 times the blocks took %.0f times as long", name, ratio)
		}
		over := strings.Repeat(word+" ", 4*MaxBlock/len(word))
		if d := timeOf(over); d > 20*small {
			t.Errorf("%s: a block over the limit took %v (a block under it %v): not refused before parsing", name, d, small)
		}
		if _, ps := r.Render([]byte(over), Options{File: "x.md", BodyLine: 1}); !strings.Contains(ps.Error(), "without a blank line") {
			t.Errorf("%s: a %d KB block was not refused: %v", name, len(over)>>10, ps)
		}
	}
}
