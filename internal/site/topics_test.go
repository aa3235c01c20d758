package site

import (
	"strings"
	"testing"
)

// lowered gives each paragraph's strings.ToLower, for ASCII, other scripts,
// letters that change length when lowered and bytes that are not UTF-8.
func TestLoweredIsToLower(t *testing.T) {
	for _, texts := range [][]string{
		nil,
		{""},
		{"Kerry MEETS Lavrov", "", "in MOSCOW."},
		{"Zoë BRANDT über Straße", "ΑΘΗΝΑ and Київ"},
		{"İstanbul KELVIN \u212a sign", "mixed ascii THEN Ünïcödé THEN ASCII"},
		{"bad \xff\xfe BYTES", "\xc3", "Ok"},
	} {
		checkLowered(t, texts)
	}
}

func FuzzLowered(f *testing.F) {
	f.Add("Kerry MEETS Lavrov", "Zoë BRANDT über")
	f.Add("\xffA", "İ")
	f.Fuzz(func(t *testing.T, a, b string) { checkLowered(t, []string{a, b, a + b}) })
}

func checkLowered(t *testing.T, texts []string) {
	t.Helper()
	paras := make([]Paragraph, len(texts))
	for i, s := range texts {
		paras[i] = Paragraph{ID: "p", Text: s}
	}
	buf := []byte("a buffer lent before")
	got := lowered(paras, &buf)
	if len(got) != len(texts) {
		t.Fatalf("lowered(%q): %d texts", texts, len(got))
	}
	all := ""
	for i, s := range texts {
		want := strings.ToLower(s)
		if got[i] != want {
			t.Errorf("lowered(%q)[%d] = %q, want %q", texts, i, got[i], want)
		}
		all += want
	}
	// Written into the lent buffer, in place of what it held.
	if string(buf) != all {
		t.Errorf("lowered(%q) left the buffer %q, want the lowered texts %q", texts, buf, all)
	}
}
