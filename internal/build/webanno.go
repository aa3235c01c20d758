package build

import (
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/viewkey"
	"github.com/dossier-news/dossier/internal/webanno"
)

// annotationFiles are the articles' W3C Web Annotation pages,
// articles/<slug>/annotations.jsonld. Each is made from its article's body
// (text and notes) and card (title, date), and from the site's settings and
// base URL, which the global key covers. An article without notes has
// nothing to publish, and no page (its page links none): in a large
// dossier most articles have none, and every file costs the build a file
// system entry.
func annotationFiles(g *site.Site) []generatedFile {
	out := make([]generatedFile, 0, len(g.Articles))
	for _, a := range g.Articles {
		if len(a.Body.Notes) == 0 {
			continue
		}
		key := viewkey.New().Key(a.Body.ViewKey()).Key(a.Card.ViewKey()).Sum()
		out = append(out, generatedFile{a.Card.Path + webanno.FileName, key, func() []byte { return webanno.Export(g, a) }})
	}
	return out
}
