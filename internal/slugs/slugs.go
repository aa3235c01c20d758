// Package slugs makes the URL part of a name: outlet pages (/outlets/<slug>/),
// timeline anchors, the file names `dossier new` writes. Names come in every
// script (Erdoğan, Süddeutsche Zeitung, Коммерсантъ, 日本経済新聞), so they are
// transliterated to readable ASCII by github.com/gosimple/slug (Unicode
// tables from unidecode) rather than stripped, which made distinct names
// collide on "unknown".
package slugs

import (
	"strings"

	"github.com/gosimple/slug"
)

// Make returns the lowercase ASCII slug of name: letters and digits joined by
// single dashes ("Süddeutsche Zeitung" -> "suddeutsche-zeitung",
// "Коммерсантъ" -> "kommersant"), or "" when nothing in name transliterates.
// The substitutions are English ones ("&" -> "and") whatever the site's
// language, so a slug, and every link to it, never changes with a setting.
//
// Dots are dropped rather than made dashes, so that "A.F.P." is "afp" like
// "AFP", and "St. Petersburg" is "st-petersburg".
func Make(name string) string {
	return slug.MakeLang(strings.ReplaceAll(name, ".", ""), "en")
}
