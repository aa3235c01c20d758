package content

import (
	"fmt"
	"path"
	"strings"

	"github.com/dossier-news/dossier/internal/diag"
)

// OriginalsDir is the folder of content/ that holds the originals: the
// scraped page text each rendition was made from, kept byte for byte.
const OriginalsDir = "originals"

// Removal is one entry of an article's `removed:` list: a passage of the
// original that the rendition leaves out. Text quotes it (in full or in part);
// Why says why it was left out. In YAML an entry is either a mapping
// (`- text: "Comments are closed."` with `why: page furniture`) or a plain
// string, which is the quote without a reason.
type Removal struct {
	Text string `yaml:"text"`
	Why  string `yaml:"why"`
}

// String is how an entry reads in a list: the quote, and the reason after it.
func (r Removal) String() string {
	if r.Why == "" {
		return r.Text
	}
	return r.Text + " (" + r.Why + ")"
}

// scalarStruct is a struct the front matter may also give as one scalar.
type scalarStruct interface{ setScalar(string) }

// setScalar reads an entry written as a plain string: a quote with no reason.
func (r *Removal) setScalar(s string) { *r = Removal{Text: s} }

// OriginalFile returns the project-relative path ("content/originals/x.txt")
// of the file the article's `original:` names, or "" when it names none or
// names a file outside content/originals/ (ValidateProvenance reports that):
// an original is read, hashed and shown to readers, so a path such as
// ../../../../etc/passwd must never be opened. The path is written relative
// to the article's file, like links between content files:
// `original: ../originals/x.txt`.
func (a *Article) OriginalFile() string {
	f, problem := a.originalFile()
	if problem != "" {
		return ""
	}
	return f
}

// originalFile returns the path `original:` names and, when it may not be
// read, why (completing "original %q ").
func (a *Article) originalFile() (file, problem string) {
	if a.Original == "" {
		return "", ""
	}
	want := "../" + OriginalsDir + "/" + a.Slug + ".txt"
	f := path.Clean(path.Join(path.Dir(a.File), a.Original))
	switch {
	case strings.Contains(a.Original, "://") || path.IsAbs(a.Original) || strings.Contains(a.Original, "\\"):
		return f, "must be a path relative to this file, such as " + want
	case !strings.HasPrefix(f, "content/"+OriginalsDir+"/") || strings.HasSuffix(f, "/"):
		return f, "is not in content/" + OriginalsDir + "/: keep the scraped text there and write the path from this file, such as " + want
	}
	return f, ""
}

// ValidateProvenance checks an article's provenance fields: `original:` names
// a file under content/originals/ (whether it exists is the build's
// business), `unverified:` is not set beside it, and every `removed:` entry
// quotes something.
func ValidateProvenance(a *Article) diag.List {
	var ps diag.List
	if a.Original != "" {
		if _, problem := a.originalFile(); problem != "" {
			ps.Add(diag.Errorf(a.File, a.Line("original"), "original %q %s", a.Original, problem))
		}
		if strings.TrimSpace(a.Unverified) != "" {
			ps.Add(diag.Errorf(a.File, a.Line("unverified"), "unverified: and original: cannot both be set: the rendition is checked against its original; remove unverified:"))
		}
	}
	for i, r := range a.Removed {
		if strings.TrimSpace(r.Text) == "" {
			ps.Add(diag.Errorf(a.File, a.Line(fmt.Sprintf("removed[%d]", i)), "removed entry has no text: quote the passage left out (in part is enough), e.g. - text: \"Comments are closed.\""))
		}
	}
	return ps
}

// UnverifiedWarnings lists the articles that name no original and are not
// marked `unverified:` on purpose: `dossier check -strict` fails on them.
func UnverifiedWarnings(c *Content) diag.List {
	var ps diag.List
	for _, a := range c.Articles {
		if a.Original == "" && strings.TrimSpace(a.Unverified) == "" {
			ps.Add(diag.Warnf(a.File, 1, "rendition not verified: save the scraped page text as content/%s/%s.txt and add `original: ../%s/%s.txt`, or say why there is none with `unverified: \"...\"`", OriginalsDir, a.Slug, OriginalsDir, a.Slug))
		}
	}
	return ps
}
