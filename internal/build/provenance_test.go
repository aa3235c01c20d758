package build_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/scaffold"
	"github.com/dossier-news/dossier/internal/testsite"
)

// lineOf returns the 1-based line of the first line of s containing sub.
func lineOf(t *testing.T, s, sub string) int {
	t.Helper()
	for i, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return i + 1
		}
	}
	t.Fatalf("%q not found", sub)
	return 0
}

// Each way a rendition can fail its original is reported at the article's
// file and line, with what differs and the original's words there.
func TestProvenanceFailures(t *testing.T) {
	type edit struct{ file, old, new string }
	cases := []struct {
		name    string
		edits   []edit
		remove  string // a file to delete
		article string
		at      string // text on the expected line of the edited article
		sev     diag.Severity
		want    []string
	}{
		{"changed word", []edit{{"dockers-walk-out.md", "walked out on Monday", "walked out on Tuesday"}}, "",
			"dockers-walk-out", "walked out on Tuesday", diag.Error,
			[]string{"not word for word", "has “Tuesday” where the original has “Monday”", "[-Monday-] {+Tuesday+}", "content/originals/dockers-walk-out.txt:5"}},
		{"added word", []edit{{"strike-spreads-to-rail.md", "formed at dawn", "formed at early dawn"}}, "",
			"strike-spreads-to-rail", "formed at early dawn", diag.Error,
			[]string{"not word for word", "adds “early”", "{+early+}", "content/originals/strike-spreads-to-rail.txt:5: “at the rail terminal formed at dawn. Okafor told the picket”"}},
		// Words a reader gets outside the text proper (found by hostile testing).
		{"alt text added", []edit{{"dockers-walk-out.md", "Ships were diverted to Varn.", "Ships were diverted to Varn. ![The union admitted the losses](https://img.example/x.png)"}}, "",
			"dockers-walk-out", "The union admitted", diag.Error,
			[]string{"not word for word", "adds “The union admitted the losses”"}},
		{"link title added", []edit{{"dockers-walk-out.md", "(minister-meets-union.md)", "(minister-meets-union.md \"He lied\")"}}, "",
			"dockers-walk-out", "He lied", diag.Error,
			[]string{"not word for word", "adds “He lied”"}},
		{"unrecorded removal", []edit{{"minister-meets-union.md", "Talks resume on Thursday. ", ""}}, "",
			"minister-meets-union", "[The first report]", diag.Error,
			[]string{"leaves out “Talks resume on Thursday.”", "content/originals/minister-meets-union.txt:6", "no removed: entry quotes it", `- text: "Talks resume on Thursday."`}},
		{"unused entry", []edit{{"dockers-walk-out.md", "removed:\n", "removed:\n  - text: \"Advertisement\"\n    why: an advert\n"}}, "",
			"dockers-walk-out", `"Advertisement"`, diag.Warning,
			[]string{"removed entry “Advertisement” is not in the original content/originals/dockers-walk-out.txt"}},
		{"entry quoting kept text", []edit{{"dockers-walk-out.md", "removed:\n", "removed:\n  - Ships were diverted to Varn.\n"}}, "",
			"dockers-walk-out", "- Ships were diverted", diag.Warning,
			[]string{"quotes text the rendition keeps (original content/originals/dockers-walk-out.txt:13)"}},
		{"original missing", nil, "content/originals/strike-spreads-to-rail.txt",
			"strike-spreads-to-rail", "original:", diag.Error,
			[]string{`original "../originals/strike-spreads-to-rail.txt": no such file content/originals/strike-spreads-to-rail.txt`}},
		{"original outside originals/", []edit{{"strike-spreads-to-rail.md", "original: ../originals/strike-spreads-to-rail.txt", "original: strike-spreads-to-rail.txt"}}, "",
			"strike-spreads-to-rail", "original:", diag.Error,
			[]string{`original "strike-spreads-to-rail.txt" is not in content/originals/`, "../originals/strike-spreads-to-rail.txt"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := testsite.New(t)
			for _, e := range tc.edits {
				rel := "content/articles/" + e.file
				src := testsite.Read(t, root, rel)
				if !strings.Contains(src, e.old) {
					t.Fatalf("%q not in %s", e.old, rel)
				}
				testsite.Write(t, root, rel, strings.Replace(src, e.old, e.new, 1))
			}
			if tc.remove != "" {
				if err := os.Remove(filepath.Join(root, filepath.FromSlash(tc.remove))); err != nil {
					t.Fatal(err)
				}
			}
			file := "content/articles/" + tc.article + ".md"
			prefix := fmt.Sprintf("%s:%d: ", file, lineOf(t, testsite.Read(t, root, file), tc.at))
			res, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
			var ps diag.List
			if tc.sev == diag.Error {
				if err == nil {
					t.Fatal("the build succeeded")
				}
				ps = diag.From(err, "")
			} else {
				if err != nil {
					t.Fatalf("build failed: %v", err)
				}
				ps = res.Warnings
			}
			for _, p := range ps {
				if p.Severity == tc.sev && strings.HasPrefix(p.Error(), prefix) {
					for _, w := range tc.want {
						if !strings.Contains(p.Error(), w) {
							t.Errorf("problem lacks %q:\n%s", w, p.Error())
						}
					}
					return
				}
			}
			t.Errorf("no problem at %s; got:\n%v", prefix, ps)
		})
	}
}

// The fixture's renditions are verified: their pages say so and link to the
// comparison page, which strikes out and labels what was left out and links
// each line to the rendition's paragraphs.
func TestProvenancePages(t *testing.T) {
	root := testsite.New(t)
	res := mustBuild(t, build.New(build.Options{Root: root}), nil)
	page := string(res.Site.Files["articles/dockers-walk-out/index.html"].Data)
	if !strings.Contains(page, "Word for word from the original; 2 passages removed") || !strings.Contains(page, `href="/calden/articles/dockers-walk-out/original/"`) {
		t.Errorf("article page lacks the provenance line and link")
	}
	f := res.Site.Files["articles/dockers-walk-out/original/index.html"]
	if f == nil {
		t.Fatal("no comparison page")
	}
	orig := string(f.Data)
	for _, want := range []string{
		`<del id="r1"><span class="visually-hidden">Removed: </span>By Ana Ruiz, 4 March 2024</del> <span class="why">[removed: byline and date, kept in the front matter]</span>`,
		`Get the Herald in your inbox every morning. Sign up</del> <span class="why">[removed]</span>`,
		`<span class="headline">Dockers walk out at the port of Calden</span>`,
		`<a href="/calden/articles/dockers-walk-out/#p2">`,
		`<li id="l5" value="5">`,
	} {
		if !strings.Contains(orig, want) {
			t.Errorf("comparison page lacks %s", want)
		}
	}
	// An article without an original says so, and has no comparison page.
	rel := "content/articles/minister-meets-union.md"
	src := testsite.Read(t, root, rel)
	testsite.Write(t, root, rel, strings.Replace(src, "original: ../originals/minister-meets-union.txt\n", "unverified: broadcast, no transcript kept\n", 1))
	res = mustBuild(t, build.New(build.Options{Root: root}), nil)
	if _, ok := res.Site.Files["articles/minister-meets-union/original/index.html"]; ok {
		t.Error("a comparison page for an article without an original")
	}
	if page := string(res.Site.Files["articles/minister-meets-union/index.html"].Data); !strings.Contains(page, "Not verified against an original: broadcast, no transcript kept.") {
		t.Error("the unverified article does not say so")
	}
}

// A rebuild after the original alone changed verifies the article again (as
// `dossier serve` does when content/originals/ changes), and equals a full
// build.
func TestProvenanceRebuildOnOriginalChange(t *testing.T) {
	root := testsite.New(t)
	b := build.New(build.Options{Root: root})
	mustBuild(t, b, nil)
	rel := "content/originals/minister-meets-union.txt"
	orig := testsite.Read(t, root, rel)
	testsite.Write(t, root, rel, strings.Replace(orig, "on Monday", "on Sunday", 1))
	_, err := b.Build(context.Background(), []string{rel})
	if err == nil || !strings.Contains(err.Error(), "content/articles/minister-meets-union.md:") || !strings.Contains(err.Error(), "[-Sunday-] {+Monday+}") {
		t.Fatalf("the changed original was not verified again: %v", err)
	}
	// Fixed: the original now has one more passage, recorded in the article.
	testsite.Write(t, root, rel, orig+"Podcast: subscribe\n")
	art := "content/articles/minister-meets-union.md"
	src := testsite.Read(t, root, art)
	testsite.Write(t, root, art, strings.Replace(src, "removed:\n", "removed:\n  - text: \"Podcast: subscribe\"\n    why: player furniture\n", 1))
	res := mustBuild(t, b, []string{rel, art})
	page := string(res.Site.Files["articles/minister-meets-union/original/index.html"].Data)
	if !strings.Contains(page, "Podcast: subscribe</del>") {
		t.Error("the comparison page does not show the new passage")
	}
	testsite.Write(t, root, rel, orig+"Podcast: subscribe now\n")
	res = mustBuild(t, b, []string{rel})
	page = string(res.Site.Files["articles/minister-meets-union/original/index.html"].Data)
	if !strings.Contains(page, "Podcast: subscribe now</del>") {
		t.Error("a rebuild after the original alone changed kept the old comparison page")
	}
	fresh := mustBuild(t, build.New(build.Options{Root: root}), nil)
	for p, f := range fresh.Site.Files {
		if g := res.Site.Files[p]; g == nil || string(g.Data) != string(f.Data) {
			t.Errorf("incremental build differs from a full build at %s", p)
		}
	}
}

// `dossier new article` makes an article that builds verified as it is,
// with or without its original saved first.
func TestScaffoldedArticleIsVerified(t *testing.T) {
	root := testsite.New(t)
	testsite.Write(t, root, "content/originals/saved-first.txt", "Saved first\n\nA *scraped* page: 1. not a list; <b>not HTML</b> &amp; -- dashes.\n")
	for _, name := range []string{"Saved first"} {
		p, err := scaffold.New(root, "article", name)
		if err != nil {
			t.Fatal(err)
		}
		// The editor names the outlet (the scaffold leaves it empty).
		data, _ := os.ReadFile(p)
		if err := os.WriteFile(p, []byte(strings.Replace(string(data), `outlet: ""`, "outlet: Test", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := mustBuild(t, build.New(build.Options{Root: root}), nil)
	for _, slug := range []string{"saved-first"} {
		if _, ok := res.Site.Files["articles/"+slug+"/original/index.html"]; !ok {
			t.Errorf("%s: not verified against its original", slug)
		}
	}
}

// A body Markdown refuses to read (a limit on its shape) gives that problem
// only: not that the rendition leaves out the whole original, nor that every
// annotation's quote is missing, which it is not (found by hostile testing).
func TestRefusedBodyHasNoKnockOnProblems(t *testing.T) {
	root := testsite.New(t)
	const file = "content/articles/dockers-walk-out.md"
	src := testsite.Read(t, root, file)
	testsite.Write(t, root, file, src+"\nhttps://herald.example/?"+strings.Repeat("a", 9000)+"\n")
	_, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err == nil {
		t.Fatal("the build succeeded")
	}
	var got []string
	for _, p := range diag.From(err, "") {
		if p.File == file {
			got = append(got, p.Error())
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "bytes of text without a space") {
		t.Errorf("problems of %s:\n%s\nwant only the limit", file, strings.Join(got, "\n"))
	}
}

// An original is text as the Markdown is: an invalid UTF-8 byte or a NUL
// byte in it is an error at the original's line, byte and column. A NUL
// byte was copied into the comparison page's HTML, and a byte that is not
// UTF-8 was "not UTF-8 text" with no place to look (found by hostile
// testing).
func TestOriginalNotText(t *testing.T) {
	for _, tc := range []struct{ name, bad, want string }{
		{"NUL byte", "\x00", "content/originals/dockers-walk-out.txt:3: NUL byte at byte offset"},
		{"Latin-1", "\xe9", "content/originals/dockers-walk-out.txt:3: invalid UTF-8 (byte 0xE9) at byte offset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := testsite.New(t)
			const file = "content/originals/dockers-walk-out.txt"
			lines := strings.SplitAfter(testsite.Read(t, root, file), "\n")
			lines[2] = tc.bad + lines[2]
			testsite.Write(t, root, file, strings.Join(lines, ""))
			_, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
			if err == nil {
				t.Fatal("the build succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("problems:\n%v\nwant %q", err, tc.want)
			}
		})
	}
}

// An original: path whose file exists under a name spelt in another Unicode
// form (decomposed, as macOS writes names) or another case says so: the
// message named a missing file and an unnamed original that looked the same
// (found by hostile testing).
func TestOriginalNameInAnotherForm(t *testing.T) {
	for _, tc := range []struct{ name, onDisk, want string }{
		{"decomposed", "zoe\u0308.txt", "its name is spelt with other Unicode characters"},
		{"case", "ZO\u00cb.txt", "its name differs in case"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := testsite.New(t)
			const art = "content/articles/dockers-walk-out.md"
			testsite.Write(t, root, "content/originals/"+tc.onDisk, testsite.Read(t, root, "content/originals/dockers-walk-out.txt"))
			testsite.Write(t, root, art, strings.Replace(testsite.Read(t, root, art), "original: ../originals/dockers-walk-out.txt", "original: ../originals/zo\u00eb.txt", 1))
			_, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
			if err == nil || !strings.Contains(err.Error(), "content/originals/"+tc.onDisk+" exists") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("problems:\n%v\nwant the file that exists and %q", err, tc.want)
			}
		})
	}
}
