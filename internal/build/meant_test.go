package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/testsite"
)

// A content link naming a file in another case (which a case-insensitive
// disk, macOS's or Windows', opens, and the site's URLs do not) is told the
// path to write, relative as it was written, with its fragment; one naming
// nothing near keeps the general advice. Once the file is there under
// that name, a rebuild (incremental) renders the link and drops the problem.
func TestContentLinkInAnotherCaseIsToldTheFile(t *testing.T) {
	root := testsite.New(t)
	const article, topic = "content/articles/dockers-walk-out.md", "content/topics/strike.md"
	a, tp := testsite.Read(t, root, article), testsite.Read(t, root, topic)
	if !strings.Contains(a, "(minister-meets-union.md)") || !strings.Contains(tp, "(../articles/dockers-walk-out.md)") {
		t.Fatal("the fixture's links moved")
	}
	testsite.Write(t, root, article, strings.Replace(a, "(minister-meets-union.md)", "(Minister-Meets-Union.md)", 1))
	testsite.Write(t, root, topic, strings.Replace(tp, "(../articles/dockers-walk-out.md)", "(../Articles/Dockers-Walk-Out.md#p2) and [more](no-such-file.md)", 1))

	b := build.New(build.Options{Root: root})
	_, err := b.Build(context.Background(), nil)
	ps := diag.From(err, "")
	for _, want := range []string{
		`dockers-walk-out.md:39: link to "Minister-Meets-Union.md": no such content file: did you mean "minister-meets-union.md"?`,
		`strike.md:8: link to "../Articles/Dockers-Walk-Out.md#p2": no such content file: did you mean "../articles/dockers-walk-out.md#p2"?`,
		`strike.md:8: link to "no-such-file.md": no such content file; fix the path`,
	} {
		if !strings.Contains(ps.Error(), want) {
			t.Errorf("no problem %q in:\n%v", want, ps)
		}
	}

	testsite.Write(t, root, article, a)
	testsite.Write(t, root, topic, tp)
	res := mustBuild(t, b, []string{article, topic})
	page := string(res.Site.Files["articles/dockers-walk-out/index.html"].Data)
	if !strings.Contains(page, `href="/calden/articles/minister-meets-union/"`) {
		t.Errorf("the fixed link is not rendered:\n%s", page)
	}
}

// Of two files alike but for case, a link in a third spelling is told the
// one with a valid name, every build the same.
func TestContentLinkToldTheValidOfTwoFiles(t *testing.T) {
	root := testsite.New(t)
	if _, err := os.Stat(filepath.Join(root, "content", "topics", "WAGES.md")); err == nil {
		t.Skip("the file system does not tell names by case (macOS, Windows)")
	}
	const topic = "content/topics/strike.md"
	testsite.Write(t, root, "content/topics/Wages.md", testsite.Read(t, root, "content/topics/wages.md"))
	tp := testsite.Read(t, root, topic)
	testsite.Write(t, root, topic, strings.Replace(tp, "(wages.md)", "(WAGES.md)", 1))
	for range 3 {
		_, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
		if ps := diag.From(err, ""); !strings.Contains(ps.Error(), `link to "WAGES.md": no such content file: did you mean "wages.md"?`) {
			t.Fatalf("want the valid file suggested, got:\n%v", ps)
		}
	}
}
