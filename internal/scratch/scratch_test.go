package scratch

import "testing"

func TestFile(t *testing.T) {
	for _, name := range []string{".x.md.swp", "x.md~", "4913", ".#x.md", "#x.md#", "x.tmp", ".DS_Store",
		"x.md___jb_tmp___", "sedtzeGOj", "style.css~", "photo.jpg.part", "X.SWP"} {
		if !File(name) {
			t.Errorf("%s is not a scratch file", name)
		}
	}
	for _, name := range []string{"x.md", "dossier.yaml", "style.css", "2013-05-07-kerry.md", "a~b.md", "sed.txt", "1.png"} {
		if File(name) {
			t.Errorf("%s is a scratch file", name)
		}
	}
}

func TestSkipped(t *testing.T) {
	for _, tc := range []struct {
		name string
		dir  bool
		want bool
	}{
		{"2013", true, false}, {"2013", false, true},
		{"x.md~", true, false}, {"x.md~", false, true},
		{".git", true, true}, {".drafts", true, true}, {".hidden.md", false, true},
		{"img", true, false}, {"style.css", false, false},
	} {
		if got := Skipped(tc.name, tc.dir); got != tc.want {
			t.Errorf("Skipped(%q, dir=%v) = %v, want %v", tc.name, tc.dir, got, tc.want)
		}
	}
}
