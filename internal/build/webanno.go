package build

import (
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/viewkey"
	"github.com/dossier-news/dossier/internal/webanno"
)

// annotationFiles are the articles' W3C Web Annotation pages,
// articles/<slug>/annotations.jsonld. Each is made from its article's body
// (text and notes) and card (title, date), and from the site's settings and
// base URL, which the global key covers.
func annotationFiles(g *site.Site) []generatedFile {
	out := make([]generatedFile, 0, len(g.Articles))
	for _, a := range g.Articles {
		key := viewkey.New().Key(a.Body.ViewKey()).Key(a.Card.ViewKey()).Sum()
		out = append(out, generatedFile{a.Card.Path + webanno.FileName, key, func() []byte { return webanno.Export(g, a) }})
	}
	return out
}
