package serve

import (
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/testsite"
)

// The preview watches content/originals/: saving an original checks its
// article again, and the comparison page follows.
func TestServeReverifiesOnOriginalSave(t *testing.T) {
	root := testsite.New(t)
	p := startReal(t, root)
	base, log := p.base, p.log
	page := base + "articles/minister-meets-union/original/"
	wantBody(t, page, "Radio Meridian")

	rel := "content/originals/minister-meets-union.txt"
	orig := testsite.Read(t, root, rel)
	testsite.Write(t, root, rel, strings.Replace(orig, "on Monday", "on Sunday", 1))
	waitLog(t, log, "content/articles/minister-meets-union.md:")
	waitLog(t, log, "[-Sunday-] {+Monday+}")

	testsite.Write(t, root, rel, orig+"Also on the radio: the strike diary\n")
	art := "content/articles/minister-meets-union.md"
	testsite.Write(t, root, art, strings.Replace(testsite.Read(t, root, art), "removed:\n", "removed:\n  - text: \"Also on the radio\"\n    why: programme trail\n", 1))
	p.tr.idle(t, root)
	wantBody(t, page, "programme trail")
}
