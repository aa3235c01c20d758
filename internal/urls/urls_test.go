package urls

import "testing"

// OfContentFile is the page of a content file, as ContentFile names it, and
// nothing for a file no page is made of.
func TestOfContentFile(t *testing.T) {
	for _, tc := range []struct {
		file, want string
		ok         bool
	}{
		{ContentFile(ArticlesDir, "x"), Article("x"), true},
		{ContentFile(TopicsDir, "syria"), Topic("syria"), true},
		{ContentFile(EntitiesDir, "kerry"), Entity("kerry"), true},
		{ContentFile(ClaimsDir, "toll"), Claim("toll"), true},
		{"originals/x.txt", "", false},
		{"articles/x.txt", "", false},
		{"articles/2013/x.md", "", false},
		{"timeline.yaml", "", false},
		{"dossier.yaml", "", false},
	} {
		if got, ok := OfContentFile(tc.file); got != tc.want || ok != tc.ok {
			t.Errorf("OfContentFile(%q) = %q, %v; want %q, %v", tc.file, got, ok, tc.want, tc.ok)
		}
	}
	if got := File(Original("x")); got != "articles/x/original/index.html" {
		t.Errorf("the original page of x is served by %s", got)
	}
}
