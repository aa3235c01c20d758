package reader

import (
	"bytes"
	"compress/gzip"
	"context"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/testsite"
)

// maxArticleWeight is the budget of an article page as transferred: its
// HTML, stylesheets and scripts, each gzipped, before images.
const maxArticleWeight = 50 << 10

func gzipSize(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// weight returns the gzipped size of page and of the stylesheets and
// scripts it loads from the site.
func weight(t *testing.T, s *output.Site, page string) (total, htmlSize int) {
	t.Helper()
	data := s.Files[page].Data
	htmlSize = gzipSize(data)
	total = htmlSize
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return total, htmlSize
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, _ := z.TagName()
		attrs := map[string]string{}
		for {
			k, v, more := z.TagAttr()
			attrs[string(k)] = string(v)
			if !more {
				break
			}
		}
		ref := ""
		switch {
		case string(name) == "link" && attrs["rel"] == "stylesheet":
			ref = attrs["href"]
		case string(name) == "script" && attrs["src"] != "":
			ref = attrs["src"]
		}
		if ref == "" {
			continue
		}
		f := s.Files[strings.TrimPrefix(ref, s.BasePath)]
		if f == nil {
			t.Fatalf("%s loads %s, which the site lacks", page, ref)
		}
		total += gzipSize(f.Data)
	}
}

// TestArticlePageWeight checks every article page of the fixture and of a
// generated corpus (long articles, many links) against the budget.
func TestArticlePageWeight(t *testing.T) {
	for _, tc := range []struct {
		name string
		root func(t *testing.T) string
	}{
		{"fixture", func(t *testing.T) string { return testsite.New(t) }},
		{"corpus", func(t *testing.T) string {
			dir := t.TempDir()
			if err := testsite.GenerateCorpus(dir, 300, 1); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := build.New(build.Options{Root: tc.root(t), BaseURL: "https://example.org/dossier/", Minify: true}).Build(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			most, mostHTML, page := 0, 0, ""
			for _, a := range res.Graph.Articles {
				p := a.Card.Path + "index.html"
				if w, h := weight(t, res.Site, p); w > most {
					most, mostHTML, page = w, h, p
				}
			}
			t.Logf("heaviest article page %s: %.1f KB gzipped with its CSS and JS (HTML %.1f KB)", page, float64(most)/1024, float64(mostHTML)/1024)
			if most > maxArticleWeight {
				t.Errorf("%s weighs %d bytes gzipped with its CSS and JS, over the %d budget", page, most, maxArticleWeight)
			}
		})
	}
}
