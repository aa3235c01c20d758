package slugs

import "testing"

func TestMake(t *testing.T) {
	tests := []struct{ in, want string }{
		{"The St. Petersburg Times", "the-st-petersburg-times"},
		{"AFP", "afp"},
		{"A.F.P.", "afp"},
		{"America's  Voice!", "americas-voice"},
		{"Recep Tayyip Erdoğan", "recep-tayyip-erdogan"},
		{"Süddeutsche Zeitung", "suddeutsche-zeitung"},
		{"Сергей Лавров", "sergei-lavrov"},
		{"Коммерсантъ", "kommersant"},
		{"日本経済新聞", "ri-ben-jing-ji-xin-wen"},
		{"Straße", "strasse"},
		{"  ", ""},
		{"🙂", ""},
	}
	for _, tc := range tests {
		if got := Make(tc.in); got != tc.want {
			t.Errorf("Make(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Two non-Latin outlets get distinct, readable slugs (they both became
	// "unknown" before).
	if a, b := Make("日本経済新聞"), Make("Коммерсантъ"); a == b || a == "" || b == "" {
		t.Errorf("distinct outlets share slug %q / %q", a, b)
	}
}
