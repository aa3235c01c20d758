package check_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/check"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/output"
)

// A small valid project. Line numbers matter: tests name them.
var goodProject = map[string]string{
	"content/dossier.yaml": `title: Test dossier
baseURL: https://example.github.io/dossier/
nav:
  - title: Topics
    url: /topics/
`,
	"content/topics/syria.md": `---
title: Syria
summary: The war in Syria.
---
The [first report](../articles/first.md) opened the story.
`,
	"content/claims/death-toll.md": `---
title: The death toll of the war
---
Sources differ.
`,
	"content/entities/john-kerry.md": `---
name: John Kerry
kind: person
---
US Secretary of State.
`,
	// line 13 is the first body line
	"content/articles/first.md": `---
title: First report
outlet: AFP
date: 2013-05-07
topics: [syria]
summary: Kerry arrives.
annotations:
  - quote: "arrived in Moscow"
    kind: context
    claim: death-toll
    note: He flew in [from Washington](https://www.state.gov/).
---
John Kerry arrived in Moscow. See the [second report](second.md#p2).

Another paragraph.
`,
	"content/articles/second.md": `---
title: Second report
outlet: AFP
date: 2013-05-08
topics: [syria]
summary: Kerry talks.
annotations:
  - quote: "70,000 lives"
    kind: fact-check
    claim: death-toll
    note: The UN's figure at the time.
---
John Kerry met Putin.

The war has cost 70,000 lives, he said.
`,
}

// project writes goodProject, with edits applied, to a temporary folder.
// An edit whose value is "" deletes the file.
func project(t *testing.T, edits map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{}
	for k, v := range goodProject {
		files[k] = v
	}
	for k, v := range edits {
		files[k] = v
	}
	for name, data := range files {
		if data == "" {
			continue
		}
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// edit returns goodProject[file] with old replaced by new, failing the test
// if old is not there.
func edit(t *testing.T, file, old, new string) map[string]string {
	t.Helper()
	s := goodProject[file]
	if !strings.Contains(s, old) {
		t.Fatalf("%s has no %q", file, old)
	}
	return map[string]string{file: strings.Replace(s, old, new, 1)}
}

func run(t *testing.T, root, baseURL string) *check.Report {
	t.Helper()
	rep, err := check.Run(context.Background(), check.Options{Root: root, BaseURL: baseURL})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestGoodProjectPasses(t *testing.T) {
	rep := run(t, project(t, nil), "")
	if len(rep.Problems) > 0 {
		t.Fatalf("problems in the good project:\n%v", rep.Problems)
	}
	if rep.Pages == 0 || rep.Files == 0 {
		t.Errorf("pages=%d files=%d", rep.Pages, rep.Files)
	}
}

// Each case breaks the good project in one way; check must report it at the
// right file and line, as an error (or a warning where the case says so),
// with a message that says what is wrong.
func TestEachCheckFails(t *testing.T) {
	const first = "content/articles/first.md"
	cases := []struct {
		name  string
		edits func(t *testing.T) map[string]string
		want  []string // "file:line: " prefix, then parts of the message
	}{
		{"link to a missing article",
			func(t *testing.T) map[string]string { return edit(t, first, "(second.md#p2)", "(sceond.md)") },
			[]string{first + `:13: link to "sceond.md": no such content file`}},
		{"link to a missing topic from a topic",
			func(t *testing.T) map[string]string {
				return edit(t, "content/topics/syria.md", "../articles/first.md", "../articles/zeroth.md")
			},
			[]string{`content/topics/syria.md:5: link to "../articles/zeroth.md": no such content file`}},
		{"bad fragment",
			func(t *testing.T) map[string]string { return edit(t, first, "(second.md#p2)", "(second.md#p9)") },
			[]string{first + `:13: broken anchor: a href "/dossier/articles/second/#p9" (no id "p9" in /dossier/articles/second/) (on page /dossier/articles/first/)`}},
		{"link to a page that does not exist",
			func(t *testing.T) map[string]string { return edit(t, first, "(second.md#p2)", "(../outlets/reuters/)") },
			[]string{first + `:13: broken link: a href "../outlets/reuters/" (nothing at /dossier/articles/outlets/reuters/)`}},
		{"site path that escapes the base path",
			func(t *testing.T) map[string]string { return edit(t, first, "(second.md#p2)", "(/articles/second/)") },
			[]string{first + `:13: a href "/articles/second/" escapes the base path /dossier/`}},
		{"nav link to a missing page",
			func(t *testing.T) map[string]string {
				return edit(t, "content/dossier.yaml", "url: /topics/", "url: /search-page/")
			},
			[]string{`content/dossier.yaml:4: nav link: broken link: a href "/dossier/search-page/"`}},
		{"nav link to another site written as a path",
			func(t *testing.T) map[string]string {
				return edit(t, "content/dossier.yaml", "url: /topics/", "url: //evil.example/x")
			},
			[]string{`content/dossier.yaml:4: nav entry "Topics": url "//evil.example/x" leads to another site`}},
		{"relative link on the 404 page",
			func(t *testing.T) map[string]string {
				return map[string]string{"templates/404.html": `{{define "main"}}<p>Try the <a href="topics/">topics</a>.</p>{{end}}` + "\n"}
			},
			[]string{`public/404.html: a href "topics/" is relative: GitHub Pages serves 404.html at every missing address`}},
		{"unknown topic",
			func(t *testing.T) map[string]string {
				return edit(t, first, "topics: [syria]", "topics: [syria, sport]")
			},
			[]string{first + `:5: unknown topic "sport"`}},
		{"unknown claim",
			func(t *testing.T) map[string]string { return edit(t, first, "claim: death-toll", "claim: death-tol") },
			[]string{first + `:10: unknown claim "death-tol"`}},
		{"orphaned annotation",
			func(t *testing.T) map[string]string {
				return edit(t, first, `quote: "arrived in Moscow"`, `quote: "landed in Moscow"`)
			},
			[]string{first + `:8: annotation quote`, "is not in the article text"}},
		{"malformed external URL: no scheme",
			func(t *testing.T) map[string]string { return edit(t, first, "(second.md#p2)", "(www.afp.com)") },
			[]string{first + `:13: link "www.afp.com": looks like a web address without its scheme`}},
		{"malformed external URL: space",
			func(t *testing.T) map[string]string {
				return edit(t, first, "(second.md#p2)", "(<https://www.afp.com/kerry moscow>)")
			},
			[]string{first + `:13: link "https://www.afp.com/kerry moscow": contains a space`}},
		{"malformed external URL: scheme",
			func(t *testing.T) map[string]string { return edit(t, first, "(second.md#p2)", "(htps://www.afp.com/)") },
			[]string{first + `:13: link "htps://www.afp.com/": scheme "htps" is not allowed`}},
		{"malformed external URL: host",
			func(t *testing.T) map[string]string {
				return edit(t, first, "(second.md#p2)", "(https://https://afp.com/)")
			},
			[]string{first + `:13: link "https://https://afp.com/": host "https" is not a domain name`}},
		{"malformed external URL in an annotation note",
			func(t *testing.T) map[string]string {
				return edit(t, first, "(https://www.state.gov/)", "(https:/www.state.gov/)")
			},
			[]string{first + `:11: link "https:/www.state.gov/": no host name`}},
		{"malformed external URL in an editor's note",
			func(t *testing.T) map[string]string {
				return edit(t, first, "summary: Kerry arrives.\n", "summary: Kerry arrives.\neditorNote: Dated from [the wire](http://wire).\n")
			},
			[]string{first + `:7: link "http://wire": host "wire" is not a domain name`}},
		{"image without alt text",
			func(t *testing.T) map[string]string {
				return edit(t, first, "\nAnother paragraph.", "\n![](https://example.org/kerry.jpg)")
			},
			[]string{first + `:15: image "https://example.org/kerry.jpg" has no alt text`}},
		{"duplicate title: topic and article",
			func(t *testing.T) map[string]string {
				return edit(t, "content/topics/syria.md", "title: Syria", "title: First Report")
			},
			[]string{`content/topics/syria.md:2: warning: title "First Report" is already the title of content/articles/first.md`}},
		{"duplicate title: two articles",
			func(t *testing.T) map[string]string {
				return edit(t, "content/articles/second.md", "title: Second report", "title: First report")
			},
			[]string{`content/articles/second.md:2: warning: title "First report" is already used by content/articles/first.md`}},
		{"duplicate outlet slug",
			func(t *testing.T) map[string]string {
				return edit(t, "content/articles/second.md", "outlet: AFP", "outlet: A.F.P.")
			},
			[]string{`content/articles/second.md:3: outlet "A.F.P." and "AFP" (in content/articles/first.md) would share the page outlets/afp/`}},
		{"invalid date",
			func(t *testing.T) map[string]string { return edit(t, first, "date: 2013-05-07", "date: 2013-02-30") },
			[]string{first + `:4: `, `day 30 does not exist`}},
		{"date without a day",
			func(t *testing.T) map[string]string { return edit(t, first, "date: 2013-05-07", "date: 2013-05") },
			[]string{first + `:4: article date "2013-05" needs a day`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := run(t, project(t, tc.edits(t)), "")
			if len(rep.Problems) == 0 {
				t.Fatalf("no problem reported")
			}
			text := rep.Problems.Error()
			prefix := tc.want[0]
			found := false
			for _, p := range rep.Problems {
				line := p.Error()
				if !strings.HasPrefix(line, prefix) {
					continue
				}
				ok := true
				for _, w := range tc.want[1:] {
					ok = ok && strings.Contains(line, w)
				}
				found = found || ok
			}
			if !found {
				t.Errorf("want an error %q (with %q); got:\n%s", prefix, tc.want[1:], text)
			}
			assertSorted(t, rep.Problems)
		})
	}
}

func assertSorted(t *testing.T, l diag.List) {
	t.Helper()
	for i := 1; i < len(l); i++ {
		a, b := l[i-1], l[i]
		if a.File > b.File || a.File == b.File && a.Line > b.Line {
			t.Errorf("problems not sorted: %q before %q", a.Error(), b.Error())
		}
	}
}

// When the build fails early (a reference error stops it before the Markdown
// stage), check still lists the problems of every stage.
func TestEveryProblemIsListedWhenTheBuildFails(t *testing.T) {
	const first = "content/articles/first.md"
	body := "John Kerry arrived in Moscow. See the [second report](sceond.md).\n\n![](https://example.org/kerry.jpg)\n"
	s := goodProject[first]
	s = strings.Replace(s, "topics: [syria]", "topics: [sport]", 1)
	s = strings.Replace(s, `quote: "arrived in Moscow"`, `quote: "landed in Moscow"`, 1)
	s = s[:strings.LastIndex(s, "---\n")+4] + body
	rep := run(t, project(t, map[string]string{
		first:                          s,
		"content/claims/death-toll.md": "---\ntitle: The death toll\nverdict: [not, a, string]\n---\n",
		"content/articles/second.md":   strings.Replace(goodProject["content/articles/second.md"], "date: 2013-05-08", "date: 2013-13-08", 1),
	}), "")
	for _, want := range []string{
		first + `:5: unknown topic "sport"`,
		first + `:8: annotation quote`,
		first + `:13: link to "sceond.md": no such content file`,
		first + `:15: image "https://example.org/kerry.jpg" has no alt text`,
		"content/claims/death-toll.md:3: ",
		"content/articles/second.md:4: ",
	} {
		if !hasPrefixLine(rep.Problems, want) {
			t.Errorf("missing %q in:\n%v", want, rep.Problems)
		}
	}
	// second.md did not load, and it has the topic "syria": saying that no
	// article has it would be false (no cascades from a broken file).
	if hasPrefixLine(rep.Problems, "content/topics/syria.md:1: note: no article has topic") {
		t.Errorf("a knock-on note about the topic of an article that did not load:\n%v", rep.Problems)
	}
	// No duplicates although content.Load, the build and check's own
	// Markdown pass each find some of the same problems.
	seen := map[string]bool{}
	for _, p := range rep.Problems {
		if seen[p.Error()] {
			t.Errorf("listed twice: %s", p.Error())
		}
		seen[p.Error()] = true
	}
	assertSorted(t, rep.Problems)
}

func hasPrefixLine(l diag.List, prefix string) bool {
	for _, p := range l {
		if strings.HasPrefix(p.Error(), prefix) {
			return true
		}
	}
	return false
}

// Warnings are listed but are not errors: `dossier check` fails on them only
// with -strict (see cmd/dossier's test). A topic, claim or entity nothing
// uses yet is a note, which never fails.
func TestWarnings(t *testing.T) {
	first := goodProject["content/articles/first.md"]
	first = strings.Replace(first, "topics: [syria]\n", "", 1)
	first = strings.Replace(first, "summary: Kerry arrives.\n", "", 1)
	rep := run(t, project(t, map[string]string{
		"content/articles/first.md":  first,
		"content/entities/nobody.md": "---\nname: Nobody Atall\nkind: person\n---\n",
		"content/claims/unused.md":   "---\ntitle: A claim nobody makes\n---\n",
	}), "")
	if errs := rep.Problems.Errors(); len(errs) > 0 {
		t.Fatalf("errors, want only warnings:\n%v", errs)
	}
	for _, want := range []string{
		"content/articles/first.md:1: warning: add topics: to the front matter",
		"content/articles/first.md:1: warning: add summary: one sentence",
		"content/claims/unused.md:1: note: no annotation cites claim",
		"content/entities/nobody.md:2: note: no article mentions",
	} {
		if !hasPrefixLine(rep.Problems, want) {
			t.Errorf("missing %q in:\n%v", want, rep.Problems)
		}
	}
}

func TestExternalURLs(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want string // "" for well formed
	}{
		{"https://www.afp.com/en/news/1", ""},
		{"http://example.org", ""},
		{"https://example.org:8443/x?y=1#z", ""},
		{"https://президент.рф/", ""},
		{"https://192.0.2.7/", ""},
		{"mailto:desk@example.org", ""},
		{"mailto:desk@example.org?subject=Correction", ""},
		{"//cdn.example.org/x.js", ""},
		{"https://exa mple.org/", "contains a space"},
		{" https://example.org/", "contains a space"},
		{"https:///path", "no host name"},
		{"https:/example.org", "no host name"},
		{"https://example", "is not a domain name"},
		{"https://exa_mple.org/", "is not a domain name"},
		{"http://localhost:8080/", "localhost"},
		{"ftp://example.org/file", `scheme "ftp" is not allowed`},
		{"javascript:alert(1)", `scheme "javascript" is not allowed`},
		{"mailto:", "needs an address"},
		{"mailto:desk", "needs an address"},
		{"https://example.org:http/", "not a valid URL"},
		{"https://example.org/%zz", "not a valid URL"},
	} {
		got := check.ExternalURLProblem(tc.url)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("ExternalURLProblem(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}

// A Markdown link between articles becomes a working link on the built site
// under a path-prefixed base URL (GitHub project pages), fragment included.
func TestMarkdownLinkBetweenArticlesUnderPathPrefix(t *testing.T) {
	root := project(t, nil)
	const base = "https://example.github.io/dossier/"
	res, err := build.New(build.Options{Root: root, BaseURL: base}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	page := string(res.Site.Files["articles/first/index.html"].Data)
	if !strings.Contains(page, `href="/dossier/articles/second/#p2"`) {
		t.Errorf("the link to second.md#p2 is not rewritten to /dossier/articles/second/#p2:\n%s", page)
	}
	if strings.Contains(page, "second.md") {
		t.Errorf("the page still links to second.md")
	}
	topic := string(res.Site.Files["topics/syria/index.html"].Data)
	if !strings.Contains(topic, `href="/dossier/articles/first/"`) {
		t.Errorf("the topic's link to ../articles/first.md is not rewritten")
	}
	if ps := check.Links(res.Site, base); len(ps) > 0 {
		t.Errorf("broken links:\n%v", ps)
	}
	if rep := run(t, root, base); len(rep.Problems) > 0 {
		t.Errorf("check under %s:\n%v", base, rep.Problems)
	}
	// And served like GitHub Pages serves a project site, the link is followed
	// to a page that has the #p2 anchor.
	c := crawlSite(t, res.Site, "/dossier/", base)
	if len(c.broken) > 0 {
		t.Errorf("broken on the served site:\n%s", strings.Join(c.broken, "\n"))
	}
	if !c.followed["/dossier/articles/second/#p2"] {
		t.Errorf("the crawl did not follow /dossier/articles/second/#p2")
	}
}

// Strict checks want every rendition verified or marked unverified on
// purpose; an original no article names is always a warning.
func TestProvenanceStrict(t *testing.T) {
	root := project(t, map[string]string{"content/originals/stray.txt": "Scraped text nobody uses.\n"})
	for _, strict := range []bool{false, true} {
		rep, err := check.Run(context.Background(), check.Options{Root: root, Strict: strict})
		if err != nil {
			t.Fatal(err)
		}
		unverified := hasPrefixLine(rep.Problems, "content/articles/first.md:1: warning: rendition not verified")
		if unverified != strict {
			t.Errorf("strict=%v: unverified warning listed: %v\n%v", strict, unverified, rep.Problems)
		}
		if !hasPrefixLine(rep.Problems, "content/originals/stray.txt: warning: no article names this original") {
			t.Errorf("strict=%v: no warning for the stray original:\n%v", strict, rep.Problems)
		}
	}
	first := goodProject["content/articles/first.md"]
	root = project(t, map[string]string{"content/articles/first.md": strings.Replace(first, "summary: Kerry arrives.\n", "summary: Kerry arrives.\nunverified: from a print edition\n", 1)})
	rep, err := check.Run(context.Background(), check.Options{Root: root, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if hasPrefixLine(rep.Problems, "content/articles/first.md:1: warning: rendition not verified") {
		t.Errorf("an article marked unverified is still warned about:\n%v", rep.Problems)
	}
}

// An article that cannot be loaded (here, invalid UTF-8) is one error: the
// original it names is not also called unnamed, while a stray one still is.
func TestUnloadedArticleKeepsItsOriginal(t *testing.T) {
	root := project(t, map[string]string{
		"content/articles/broken.md":   "---\ntitle: \xff\n---\n",
		"content/originals/broken.txt": "The scraped page.\n",
		"content/originals/stray.txt":  "Scraped text nobody uses.\n",
	})
	rep, err := check.Run(context.Background(), check.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	if !hasPrefixLine(rep.Problems, "content/articles/broken.md:") {
		t.Fatalf("no problem for the broken article:\n%v", rep.Problems)
	}
	if hasPrefixLine(rep.Problems, "content/originals/broken.txt: warning") {
		t.Errorf("the broken article's original is warned about:\n%v", rep.Problems)
	}
	if !hasPrefixLine(rep.Problems, "content/originals/stray.txt: warning: no article names this original") {
		t.Errorf("no warning for the stray original:\n%v", rep.Problems)
	}
}

// A check of content with problems still checks the built pages' links: a
// link to a page that does not exist, or to an id a page does not have, is
// listed with the content's problems, not only once they are fixed. A link
// to the page of a file that could not be read is not (its own problems
// are); a link to one of its paragraphs neither (found by hostile testing).
func TestPageLinksAreCheckedWhenTheContentHasProblems(t *testing.T) {
	const first = "content/articles/first.md"
	s := goodProject[first]
	s = strings.Replace(s, "topics: [syria]", "topics: [sport]", 1)
	s = s[:strings.LastIndex(s, "---\n")+4] + "John Kerry arrived in Moscow. See [nothing](/dossier/nope/), [no id](/dossier/topics/#zz) and [the second](second.md#p2).\n"
	rep := run(t, project(t, map[string]string{
		first:                        s,
		"content/articles/second.md": strings.Replace(goodProject["content/articles/second.md"], "date: 2013-05-08", "date: 2013-13-08", 1),
	}), "")
	for _, want := range []string{
		first + `:5: unknown topic "sport"`,
		"content/articles/second.md:4: ",
		first + `:13: broken link`,
		first + `:13: broken anchor`,
	} {
		if !hasPrefixLine(rep.Problems, want) {
			t.Errorf("missing %q in:\n%v", want, rep.Problems)
		}
	}
	for _, p := range rep.Problems {
		if strings.Contains(p.Error(), "second") && p.File != "content/articles/second.md" {
			t.Errorf("a knock-on problem of the article that did not load: %v", p)
		}
	}
	assertSorted(t, rep.Problems)
}

// Content broken in any combination of ways still renders its pages for
// the link check (build.Options.KeepGoing): no panic, no failure other
// than the content's problems, every problem a build lists is listed, and
// no link or anchor is reported broken because of another problem.
func TestKeepGoingWithAnyBrokenContent(t *testing.T) {
	const first, second = "content/articles/first.md", "content/articles/second.md"
	breaks := []struct {
		file, old, new string
	}{
		{first, "topics: [syria]", "topics: [sport]"},
		{first, "claim: death-toll", "claim: nothere"},
		{first, "kind: context", "kind: bogus"},
		{first, `quote: "arrived in Moscow"`, `quote: "landed in Moscow"`},
		{first, "title: First report", "title: Second report"},
		{first, "outlet: AFP", "outlet: \"\""},
		{first, "date: 2013-05-07", "date: 2013-02-30"},
		{first, "second.md#p2", "third.md"},
		{first, "summary: Kerry arrives.", "summary: [a, b]"},
		{second, "claim: death-toll", "speaker: nobody"},
		{second, "title: Second report\n", ""},
		{second, "date: 2013-05-08", "date: 2013"},
		{"content/topics/syria.md", "title: Syria", "title: [Syria]"},
		{"content/topics/syria.md", "../articles/first.md", "../articles/none.md"},
		{"content/claims/death-toll.md", "title: The death toll of the war", "title: \"\""},
		{"content/entities/john-kerry.md", "kind: person", "kind: robot"},
		{"content/entities/john-kerry.md", "name: John Kerry", "name: [John]"},
		{"content/dossier.yaml", "url: /topics/", "url: /nowhere/"},
	}
	for seed := range 40 {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		edits := map[string]string{}
		var names []string
		for _, i := range r.Perm(len(breaks))[:1+r.IntN(4)] {
			b := breaks[i]
			src, ok := edits[b.file]
			if !ok {
				src = goodProject[b.file]
			}
			edits[b.file] = strings.Replace(src, b.old, b.new, 1)
			names = append(names, b.new)
		}
		root := project(t, edits)
		res, err := build.New(build.Options{Root: root, Sink: &discardSink{}, NoSearch: true, KeepGoing: true}).Build(context.Background(), nil)
		var ps diag.List
		if err != nil && (!errors.As(err, &ps) || res == nil || res.Graph == nil) {
			t.Errorf("%q: the build did not keep going: %v", names, err)
			continue
		}
		_, plain := build.New(build.Options{Root: root, Sink: &discardSink{}, NoSearch: true}).Build(context.Background(), nil)
		rep := run(t, root, "")
		for _, p := range diag.From(plain, "").Errors() {
			if !slices.Contains(rep.Problems, p) {
				t.Errorf("%q: check lacks %v", names, p)
			}
		}
		// The pages of content with problems link as they would: none
		// of these breaks makes a link or an anchor of a page fail.
		// The broken nav link is found whatever else is broken.
		_, navBroken := edits["content/dossier.yaml"]
		navFound := false
		for _, p := range rep.Problems {
			if !strings.Contains(p.Msg, "broken link") && !strings.Contains(p.Msg, "broken anchor") {
				continue
			}
			if navBroken && p.File == "content/dossier.yaml" {
				navFound = true
			} else {
				t.Errorf("%q: a knock-on problem: %v", names, p)
			}
		}
		if navBroken && !navFound {
			t.Errorf("%q: the broken nav link is not listed:\n%v", names, rep.Problems)
		}
	}
}

// discardSink takes the files of a build and keeps nothing.
type discardSink struct{}

func (discardSink) Put(*output.File) error { return nil }

// A nav entry for the timeline of a dossier without one (a fork that
// deleted timeline.yaml keeps the bundled nav) says why the page is missing
// and what to do.
func TestNavToAPageTheContentDoesNotMake(t *testing.T) {
	cfg := goodProject["content/dossier.yaml"] + "  - title: Timeline\n    url: /timeline/\n"
	rep := run(t, project(t, map[string]string{"content/dossier.yaml": cfg}), "")
	want := "content/dossier.yaml:6: nav link: broken link"
	for _, p := range rep.Problems {
		if strings.HasPrefix(p.Error(), want) {
			if !strings.Contains(p.Msg, "only when content/timeline.yaml lists events") {
				t.Errorf("%v does not say why", p)
			}
			return
		}
	}
	t.Errorf("missing %q in:\n%v", want, rep.Problems)
}

// A timeline.yaml with problems of its own (a bad date, bytes that are not
// UTF-8) has no page until they are fixed, as an article with front-matter
// problems has none: the nav's link to the timeline is not broken, the
// timeline is, and saying to remove the entry or add events was wrong (found
// by hostile testing).
func TestNavToABrokenTimeline(t *testing.T) {
	cfg := goodProject["content/dossier.yaml"] + "  - title: Timeline\n    url: /timeline/\n"
	for name, tl := range map[string]string{
		"bad date":  "- date: 2013-05-07\n  title: Talks\n- date: 2013-02-30\n  title: Bad day\n",
		"not UTF-8": "- date: 2013-05-07\n  title: Talks \xff\n",
	} {
		rep := run(t, project(t, map[string]string{"content/dossier.yaml": cfg, "content/timeline.yaml": tl}), "")
		if len(rep.Problems) != 1 || rep.Problems[0].File != "content/timeline.yaml" {
			t.Errorf("%s: want the timeline's own problem only, got:\n%v", name, rep.Problems)
		}
	}
}

// A link or image whose URL the Markdown renderer drops (javascript:,
// data:, file:) is one problem, at its line, in the editor's words: the
// page's empty href or src was reported as well, as "empty a href (on
// page ...)" with no line and nothing to do (found by hostile testing).
func TestDroppedURLIsReportedOnce(t *testing.T) {
	for _, tc := range []struct{ md, want string }{
		{"[a](javascript:alert(1))", `link "javascript:alert(1)": scheme "javascript" is not allowed`},
		{"[a](JaVaScRiPt:alert(1))", `link "JaVaScRiPt:alert(1)": scheme "javascript" is not allowed`},
		{"<javascript:alert(1)>", `link "javascript:alert(1)": scheme "javascript" is not allowed`},
		{"[a](file:///etc/passwd)", `link "file:///etc/passwd": scheme "file" is not allowed`},
		{"![a map](javascript:alert(1))", `image "javascript:alert(1)": scheme "javascript" is not allowed`},
		{"![a map](data:text/html,x)", `image "data:text/html,x": scheme "data" is not allowed`},
	} {
		root := project(t, edit(t, "content/articles/second.md", "John Kerry met Putin.", "John Kerry met Putin. "+tc.md))
		rep := run(t, root, "")
		want := "content/articles/second.md:13: " + tc.want
		if len(rep.Problems) != 1 || !strings.HasPrefix(rep.Problems[0].Error(), want) {
			t.Errorf("%s: want only %q, got:\n%v", tc.md, want, rep.Problems)
		}
	}
}

// A Markdown link written as the URL of a page of the site, rather than
// as the path of its content file, is told the path to write: one without
// .md ("second", "second/") breaks, and one from the site's root
// ("/articles/second/") breaks under a project site's base path, with
// nothing saying what to do (found by hostile testing).
func TestLinkWrittenAsAPageURLIsToldTheFile(t *testing.T) {
	for _, tc := range []struct{ file, old, link, want string }{
		{"content/articles/first.md", "second.md#p2", "second", "second.md"},
		{"content/articles/first.md", "second.md#p2", "second/#p2", "second.md#p2"},
		{"content/articles/first.md", "second.md#p2", "/articles/second/", "second.md"},
		{"content/articles/first.md", "second.md#p2", "/dossier/topics/syria", "../topics/syria.md"},
		{"content/articles/first.md", "second.md#p2", "../topics/syria/", "../topics/syria.md"},
		{"content/topics/syria.md", "../articles/first.md", "/articles/first/", "../articles/first.md"},
	} {
		root := project(t, edit(t, tc.file, tc.old, tc.link))
		rep := run(t, root, "")
		want := "write the path of the content file instead, " + tc.want + ", which becomes its page's URL under any base path"
		if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Msg, want) || rep.Problems[0].File != tc.file || rep.Problems[0].Line == 0 {
			t.Errorf("%s in %s: want one problem at its line saying %q, got:\n%v", tc.link, tc.file, want, rep.Problems)
		}
	}
	// A link to no page of a content file is told nothing more.
	rep := run(t, project(t, edit(t, "content/articles/first.md", "second.md#p2", "third/")), "")
	if len(rep.Problems) != 1 || strings.Contains(rep.Problems[0].Msg, "instead") {
		t.Errorf("a link to nothing: %v", rep.Problems)
	}
}

// A content file named in a spelling no file may have (Syria.md) is one
// error at the file, and the references to it are told to rename it, not
// to copy that spelling ("did you mean "Syria""): no note that no article
// has topic "Syria", no warning on the page's URL, which the file's name
// makes.
func TestFileNamedInAnotherCaseIsToldToBeRenamed(t *testing.T) {
	root := project(t, map[string]string{"content/topics/syria.md": "", "content/topics/Syria.md": goodProject["content/topics/syria.md"]})
	rep := run(t, root, "")
	var refs int
	for _, p := range rep.Problems {
		switch {
		case p.File == "content/topics/Syria.md" && p.Severity == diag.Error:
		case strings.Contains(p.Msg, `unknown topic "syria"`):
			refs++
			if !strings.Contains(p.Msg, "content/topics/Syria.md") || !strings.Contains(p.Msg, "rename it syria.md") {
				t.Errorf("%v: want the advice to rename content/topics/Syria.md", p)
			}
		default:
			t.Errorf("unexpected problem: %v", p)
		}
	}
	if refs == 0 {
		t.Errorf("no reference to the topic reported:\n%v", rep.Problems)
	}
}

// Two timeline events with one anchor are one problem, at the timeline's
// line, which says what to do: the built page's id used twice was
// reported as well, with no line (noted by hostile testing).
func TestEventsWithOneAnchorAreOneProblem(t *testing.T) {
	tl := "- date: 2013-05-07\n  title: Talks in Moscow\n- date: 2013-05-07\n  title: Talks in Moscow!\n"
	rep := run(t, project(t, map[string]string{"content/timeline.yaml": tl}), "")
	if len(rep.Problems) != 1 || rep.Problems[0].File != "content/timeline.yaml" || rep.Problems[0].Line != 3 || !strings.Contains(rep.Problems[0].Msg, "same link anchor") {
		t.Errorf("want one problem at content/timeline.yaml:3, got:\n%v", rep.Problems)
	}
}
