package render

import (
	"slices"
	"testing"
)

func TestPagerWindow(t *testing.T) {
	tests := []struct {
		number, total int
		want          []int
	}{
		{1, 1, []int{1}},
		{1, 2, []int{1, 2}},
		{2, 2, []int{1, 2}},
		{1, 7, []int{1, 2, 3, 0, 7}},
		{4, 7, []int{1, 2, 3, 4, 5, 6, 7}},
		{5, 9, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}}, // gaps of one page are listed
		{5, 10, []int{1, 2, 3, 4, 5, 6, 7, 0, 10}},
		{6, 364, []int{1, 0, 4, 5, 6, 7, 8, 0, 364}},
		{364, 364, []int{1, 0, 362, 363, 364}},
		{0, 0, nil},
	}
	for _, tt := range tests {
		if got := (Pager{Number: tt.number, Total: tt.total}).Window(); !slices.Equal(got, tt.want) {
			t.Errorf("page %d of %d: Window() = %v, want %v", tt.number, tt.total, got, tt.want)
		}
	}
}

// TestPagerWindowBounded checks, for every page of lists up to 80 pages
// long, what the navigation promises: the first, last and current pages and
// their neighbours are linked, numbers rise, a gap (0) stands only for two
// or more pages left out, and the count never grows with the list.
func TestPagerWindowBounded(t *testing.T) {
	for total := 1; total <= 80; total++ {
		for number := 1; number <= total; number++ {
			w := (Pager{Number: number, Total: total}).Window()
			if len(w) > 2*windowReach+5 {
				t.Fatalf("page %d of %d: %d entries: %v", number, total, len(w), w)
			}
			for _, must := range []int{1, total, number, max(1, number-windowReach), min(total, number+windowReach)} {
				if !slices.Contains(w, must) {
					t.Fatalf("page %d of %d: %v lacks %d", number, total, w, must)
				}
			}
			last := 0
			for i, n := range w {
				if n == 0 {
					if i == 0 || i == len(w)-1 || w[i+1]-w[i-1] < 3 {
						t.Fatalf("page %d of %d: %v has a gap for fewer than two pages", number, total, w)
					}
					continue
				}
				if n <= last {
					t.Fatalf("page %d of %d: %v is not rising", number, total, w)
				}
				if i > 0 && w[i-1] != 0 && n != last+1 {
					t.Fatalf("page %d of %d: %v skips pages without a gap", number, total, w)
				}
				last = n
			}
		}
	}
}
