package build

import (
	"context"
	"testing"

	"github.com/dossier-news/dossier/internal/search"
	"github.com/dossier-news/dossier/internal/testsite"
)

// An article's document says the length of the text it loads, so that the
// index weighs it without unpacking it: the length must be the loaded text's,
// notes included, all of the default weight.
func TestSearchDocsParagraphBytes(t *testing.T) {
	res, err := New(Options{Root: testsite.New(t)}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	lazy := 0
	for _, d := range searchDocs(res.Graph) {
		if d.ReadParagraphs == nil {
			continue
		}
		lazy++
		n := 0
		d.ReadParagraphs(func(paras []search.Paragraph) {
			for _, p := range paras {
				n += len(p.Text)
				if p.Weight != 0 {
					t.Errorf("%s: paragraph %s has weight %d", d.URL, p.ID, p.Weight)
				}
			}
		})
		if n != d.ParagraphBytes || n == 0 {
			t.Errorf("%s: ParagraphBytes %d, loaded text %d bytes", d.URL, d.ParagraphBytes, n)
		}
	}
	if lazy == 0 {
		t.Fatal("no article document loads its text lazily")
	}
}
