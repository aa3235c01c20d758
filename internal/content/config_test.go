package content

import "testing"

func TestConfigDir(t *testing.T) {
	for lang, want := range map[string]string{"en": "ltr", "en-GB": "ltr", "": "ltr", "ja": "ltr", "he": "rtl", "ar": "rtl", "fa-IR": "rtl", "ur": "rtl", "yi": "rtl", "az": "ltr", "az-Arab": "rtl", "ku": "ltr"} {
		if got := (Config{Language: lang}).Dir(); got != want {
			t.Errorf("language %q: Dir() = %q, want %q", lang, got, want)
		}
	}
}
