package check

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/readfile"
	"github.com/dossier-news/dossier/internal/scratch"
)

// provenanceChecks are the provenance checks the build leaves out (the build
// verifies every rendition that names an original): in strict mode, the
// articles that name none and do not say why (content.UnverifiedWarnings);
// always, files in content/originals/ that no article names.
func provenanceChecks(c *content.Content, strict bool) diag.List {
	var ps diag.List
	if strict {
		ps.Merge(content.UnverifiedWarnings(c))
	}
	named := map[string]bool{}
	for _, a := range c.Articles {
		if f := a.OriginalFile(); f != "" {
			named[f] = true
		}
	}
	dir := filepath.Join(c.Root, "content", content.OriginalsDir)
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || scratch.File(d.Name()) {
			return nil
		}
		rel, _ := filepath.Rel(c.Root, p)
		rel = filepath.ToSlash(rel)
		// A pipe, device or socket is an error, named or not, as in every
		// other source folder (the build, which reads only the named
		// originals, says so of those).
		if t := d.Type(); t&fs.ModeSymlink == 0 && !t.IsRegular() && !named[rel] {
			ps.Add(diag.Errorf(rel, 0, "%v", readfile.NotRegular(t)))
			return nil
		}
		// An article that could not be loaded (its problem is listed) may
		// name this original: no warning on top.
		slug := strings.TrimSuffix(path.Base(rel), ".txt")
		if !named[rel] && !c.Unloaded[content.ArticlesDir+"/"+slug] {
			ps.Add(diag.Warnf(rel, 0, "no article names this original: add `original: ../%s/%s` to its rendition, or delete the file", content.OriginalsDir, strings.TrimPrefix(rel, "content/"+content.OriginalsDir+"/")))
		}
		return nil
	})
	return ps
}
