package webanno_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/testsite"
	"github.com/dossier-news/dossier/internal/webanno"
)

func buildSite(t *testing.T, root string) *site.Site {
	t.Helper()
	res, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res.Graph
}

func known(s *site.Site) webanno.Options {
	o := webanno.Options{Claims: map[string]bool{}, Entities: map[string]bool{}}
	for k := range s.ClaimBySlug {
		o.Claims[k] = true
	}
	for k := range s.EntityBySlug {
		o.Entities[k] = true
	}
	return o
}

func importInto(t *testing.T, root string, ins []webanno.Incoming) *webanno.Result {
	t.Helper()
	r := planImport(t, root, ins)
	if err := r.Write(root); err != nil {
		t.Fatal(err)
	}
	return r
}

// planImport is an import into the project at root, not yet written.
func planImport(t *testing.T, root string, ins []webanno.Incoming) *webanno.Result {
	t.Helper()
	g := buildSite(t, root)
	opts := known(g)
	opts.Root = root
	r, err := webanno.Import(ins, webanno.Articles(g), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func parseFile(t *testing.T, path string) []webanno.Incoming {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ins, err := webanno.Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return ins
}

func annotations(t *testing.T, root, slug string) []content.Annotation {
	t.Helper()
	rel := "content/articles/" + slug + ".md"
	v, ps := content.ParseFile(content.ArticlesDir, rel, []byte(testsite.Read(t, root, rel)))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	return v.(*content.Article).Annotations
}

// Hypothesis's search API JSON, end to end: each annotation matched to its
// article by URL (canonical, source: or the preview's), anchored, written
// with the shortest context that makes it unique and a kind from its tags;
// orphans, page notes, replies, duplicates and other sites' pages reported
// and not written; the files otherwise unchanged, byte for byte; the result
// builds; importing again adds nothing.
func TestImportHypothesis(t *testing.T) {
	root := testsite.New(t)
	before := map[string]string{}
	for _, s := range testsite.Articles {
		before[s] = testsite.Read(t, root, "content/articles/"+s+".md")
	}
	r := importInto(t, root, parseFile(t, "testdata/hypothesis.json"))

	want := []struct {
		slug string
		an   content.Annotation
	}{
		{"dockers-walk-out", content.Annotation{Quote: "walked out on Monday", Kind: "fact-check", Note: "Monday was 4 March 2024."}},
		{"strike-spreads-to-rail", content.Annotation{Quote: "picket", Prefix: "the ", Kind: "editorial", Note: "The picket line, not the first picket."}},
		// The Markdown has a straight apostrophe where the page has a curly one: written as typed.
		{"dockers-walk-out", content.Annotation{Quote: "The Calden Dockers' Union", Kind: "context", Note: "The union, founded in 1921, has no public membership list; see [its site](https://union.example/)."}},
		{"minister-meets-union", content.Annotation{Quote: "a start", Kind: "correction", Note: "Okafor's own words.\n\nShe said more in an interview on Radio Meridian."}},
	}
	if len(r.Added) != len(want) {
		t.Fatalf("added %d annotations, want %d: %+v", len(r.Added), len(want), r.Added)
	}
	added := map[string][]content.Annotation{}
	for i, w := range want {
		got := r.Added[i].Annotation
		if got != w.an || r.Added[i].File != "content/articles/"+w.slug+".md" {
			t.Errorf("added %d: %s %+v\nwant %s %+v", i, r.Added[i].File, got, w.slug, w.an)
		}
		added[w.slug] = append(added[w.slug], w.an)
	}
	count := func(list []webanno.Outcome, from, text string) {
		t.Helper()
		for _, o := range list {
			if o.From == from && strings.Contains(o.Message, text) {
				return
			}
		}
		t.Errorf("no outcome for %s with %q in %+v", from, text, list)
	}
	count(r.Orphans, "hyp-orphan", `“walked out on Sunday” is not in the article's text; nearest match: "walked out on Monday"`)
	count(r.Unmatched, "hyp-elsewhere", "https://elsewhere.example/news/strike")
	count(r.Skipped, "hyp-page-note", "no quote")
	count(r.Skipped, "hyp-reply", "a reply")
	count(r.Duplicates, "hyp-duplicate", "nine in ten of its members")
	if n := len(r.Orphans) + len(r.Unmatched) + len(r.Skipped) + len(r.Duplicates); n != 5 {
		t.Errorf("%d annotations not added, want 5", n)
	}

	for _, slug := range testsite.Articles {
		after := testsite.Read(t, root, "content/articles/"+slug+".md")
		// The old file is the new one less a run of inserted lines.
		ol, nl := strings.SplitAfter(before[slug], "\n"), strings.SplitAfter(after, "\n")
		p := 0
		for p < len(ol) && p < len(nl) && ol[p] == nl[p] {
			p++
		}
		s := 0
		for s < len(ol)-p && s < len(nl)-p && ol[len(ol)-1-s] == nl[len(nl)-1-s] {
			s++
		}
		if p+s != len(ol) {
			t.Errorf("%s: the import changed existing lines", slug)
		}
		got := annotations(t, root, slug)
		old := len(got) - len(added[slug])
		for i, w := range added[slug] {
			g := got[old+i]
			g.Line = 0
			if g != w {
				t.Errorf("%s: annotation %d reads back as %+v, want %+v", slug, old+i, g, w)
			}
		}
	}
	// The result builds, every note anchored.
	g := buildSite(t, root)
	if n := len(g.ArticleBySlug("dockers-walk-out").Body.Notes); n != 5 {
		t.Errorf("dockers-walk-out has %d notes placed, want 5", n)
	}
	// Importing again changes nothing.
	again := importInto(t, root, parseFile(t, "testdata/hypothesis.json"))
	if len(again.Added) != 0 || len(again.Duplicates) != 5 || len(again.Files) != 0 {
		t.Errorf("second import: %d added, %d duplicates, %d files", len(again.Added), len(again.Duplicates), len(again.Files))
	}
}

// stripAnnotations removes the annotations: block from an article's front matter.
var annotationsBlock = regexp.MustCompile(`(?m)^annotations:\n(?:[ \t].*\n|\n)*`)

// Exporting the fixture's annotations and importing them into a copy
// stripped of annotations gives the same front-matter annotations: quotes,
// kinds, notes, claims and speakers, with a prefix or suffix where (and only
// where) the original has one, anchoring where the original does.
func TestExportImportRoundTrip(t *testing.T) {
	root := testsite.New(t)
	res, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	original := res.Graph
	stripped := testsite.New(t)
	var ins []webanno.Incoming
	for _, slug := range testsite.Articles {
		rel := "content/articles/" + slug + ".md"
		src := testsite.Read(t, stripped, rel)
		out := annotationsBlock.ReplaceAllString(src, "")
		if out == src {
			t.Fatalf("%s: no annotations block to strip", slug)
		}
		testsite.Write(t, stripped, rel, out)
		doc := res.Site.Files["articles/"+slug+"/"+webanno.FileName]
		if doc == nil {
			t.Fatalf("%s: not exported", slug)
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "a.jsonld"), doc.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		ins = append(ins, parseFile(t, filepath.Join(dir, "a.jsonld"))...)
	}
	r := importInto(t, stripped, ins)
	if len(r.Orphans)+len(r.Unmatched)+len(r.Skipped)+len(r.Duplicates) > 0 {
		t.Fatalf("not all imported: %+v %+v %+v %+v", r.Orphans, r.Unmatched, r.Skipped, r.Duplicates)
	}
	back := buildSite(t, stripped)
	for _, slug := range testsite.Articles {
		want := annotations(t, root, slug)
		got := annotations(t, stripped, slug)
		if len(got) != len(want) {
			t.Fatalf("%s: %d annotations back, want %d", slug, len(got), len(want))
		}
		for i := range want {
			w, g := want[i], got[i]
			if g.Quote != w.Quote || g.Kind != w.Kind || g.Note != w.Note || g.Claim != w.Claim || g.Speaker != w.Speaker {
				t.Errorf("%s annotation %d:\n got %+v\nwant %+v", slug, i, g, w)
			}
			if (g.Prefix+g.Suffix == "") != (w.Prefix+w.Suffix == "") {
				t.Errorf("%s annotation %d: context %q/%q, the original has %q/%q", slug, i, g.Prefix, g.Suffix, w.Prefix, w.Suffix)
			}
			wn, gn := original.ArticleBySlug(slug).Body.Notes[i], back.ArticleBySlug(slug).Body.Notes[i]
			if wn.Paragraph != gn.Paragraph || wn.Text != gn.Text || wn.Sentence != gn.Sentence {
				t.Errorf("%s annotation %d anchors in %s %q, the original in %s %q", slug, i, gn.Paragraph, gn.Text, wn.Paragraph, wn.Text)
			}
		}
	}
}

// W3C shapes: an annotation alone, an AnnotationCollection with embedded
// pages, bodyValue, an HTML body, a target given as a URL (no selector).
func TestParseShapes(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		want       []webanno.Incoming
	}{
		{"single annotation, bodyValue, motivation", `{"@context":"http://www.w3.org/ns/anno.jsonld","id":"a1","type":"Annotation","motivation":"assessing","bodyValue":"Checked.",
			"target":{"source":"https://x.example/p","selector":{"type":"TextQuoteSelector","exact":"q","prefix":"p","suffix":"s"}}}`,
			[]webanno.Incoming{{ID: "a1", URI: "https://x.example/p", Exact: "q", Prefix: "p", Suffix: "s", Start: -1, End: -1, Note: "Checked.", Motivation: "assessing"}}},
		{"collection, HTML body, tag, position", `{"type":"AnnotationCollection","id":"c","first":{"type":"AnnotationPage","items":[
			{"id":"a2","type":"Annotation","body":[{"type":"TextualBody","format":"text/html","value":"<p>One <em>two</em> <a href=\"https://x\">three</a></p><p>Four</p>"},{"type":"TextualBody","purpose":"tagging","value":"correction"}],
			 "target":{"source":"https://x.example/q","selector":[{"type":"TextPositionSelector","start":3,"end":9},{"type":"TextQuoteSelector","exact":"e"}]}}],
			"next":{"type":"AnnotationPage","items":[{"id":"a3","type":"Annotation","target":"https://x.example/r"}]}}}`,
			[]webanno.Incoming{
				{ID: "a2", URI: "https://x.example/q", Exact: "e", Start: 3, End: 9, Note: "One *two* [three](https://x)\n\nFour", Tags: []string{"correction"}},
				{ID: "a3", URI: "https://x.example/r", Start: -1, End: -1},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := webanno.Parse("a.json", []byte(tc.json))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d annotations, want %d", len(got), len(tc.want))
			}
			for i := range got {
				got[i].Links = nil
				if g, w := got[i], tc.want[i]; g.ID != w.ID || g.URI != w.URI || g.Exact != w.Exact || g.Prefix != w.Prefix || g.Suffix != w.Suffix ||
					g.Start != w.Start || g.End != w.End || g.Note != w.Note || g.Motivation != w.Motivation || !slices.Equal(g.Tags, w.Tags) {
					t.Errorf("annotation %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
	if _, err := webanno.Parse("a.json", []byte(`{"hello":"world"}`)); err == nil {
		t.Error("a file with no annotations was accepted")
	}
}

// Fuzz: Parse never panics, whatever the JSON.
func FuzzParse(f *testing.F) {
	data, err := os.ReadFile("testdata/hypothesis.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"type":"AnnotationCollection","first":{"items":[{"target":[1,"x",{"selector":[null,{"type":"TextQuoteSelector"}]}]}]}}`))
	f.Add([]byte(`[{"uri":"x","target":{"source":3},"body":[{"type":"Choice","items":[{}]},"s"]}]`))
	// Shapes of hostile testing: a byte-order mark, @graph, a reply, an HTML body.
	f.Add([]byte("\ufeff[{\"uri\":\"x\",\"references\":[\"a\"]}]"))
	f.Add([]byte(`{"@graph":[{"motivation":"replying","target":"x#a1"},{"body":{"format":"text/html","value":"<a href=\"javascript:x\">a</a><code>` + "``" + `</code>"},"target":{"source":"x"}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = webanno.Parse("f.json", b)
	})
}

// A note the build would refuse (a list, a heading, a rule: notes are shown
// inside the text) is refused by the import too, said with the build's
// words, and not written: the next build does not fail on it.
func TestImportRefusesNotesTheBuildRefuses(t *testing.T) {
	root := testsite.New(t)
	uri := testsite.BaseURL + "articles/dockers-walk-out/"
	ins := []webanno.Incoming{
		{ID: "list", URI: uri, Exact: "walked out on Monday", Start: -1, Note: "Sources:\n\n- UN report\n- OHCHR"},
		{ID: "setext", URI: uri, Exact: "walked out on Monday", Start: -1, Note: "Sources\n---"},
		{ID: "fine", URI: uri, Exact: "walked out on Monday", Start: -1, Note: "Monday was **4 March**."},
	}
	r := importInto(t, root, ins)
	if len(r.Added) != 1 || r.Added[0].From != "fine" {
		t.Errorf("added %+v, want only the note of sentences", r.Added)
	}
	if len(r.Refused) != 2 {
		t.Fatalf("refused %+v, want the list and the heading", r.Refused)
	}
	for _, o := range r.Refused {
		if !strings.Contains(o.Message, "may hold only paragraphs and inline Markdown") || o.File != "content/articles/dockers-walk-out.md" {
			t.Errorf("refused %s: %s %q", o.From, o.File, o.Message)
		}
	}
	buildSite(t, root) // builds
}

// Write keeps an article that is a symbolic link a link (the file it leads
// to gets the annotations), and leaves an article saved since Import read it
// as the editor saved it, naming it in the error.
func TestImportWriteKeepsLinksAndLaterSaves(t *testing.T) {
	ins := parseFile(t, "testdata/hypothesis.json")
	t.Run("linked article", func(t *testing.T) {
		root := testsite.New(t)
		rel := "content/articles/dockers-walk-out.md"
		kept := filepath.Join(root, "kept", "dockers.md")
		if err := os.MkdirAll(filepath.Dir(kept), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(root, rel), kept); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("../../kept/dockers.md", filepath.Join(root, rel)); err != nil {
			t.Fatal(err)
		}
		importInto(t, root, ins)
		if fi, err := os.Lstat(filepath.Join(root, rel)); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("%s is no longer a link (%v)", rel, err)
		}
		if got := annotations(t, root, "dockers-walk-out"); !slices.ContainsFunc(got, func(a content.Annotation) bool { return a.Quote == "walked out on Monday" }) {
			t.Errorf("the linked file has no imported annotation: %+v", got)
		}
	})
	t.Run("saved meanwhile", func(t *testing.T) {
		root := testsite.New(t)
		r := planImport(t, root, ins)
		rel := "content/articles/dockers-walk-out.md"
		saved := testsite.Read(t, root, rel) + "\nA paragraph the editor just wrote.\n"
		testsite.Write(t, root, rel, saved)
		err := r.Write(root)
		if err == nil || !strings.Contains(err.Error(), rel) {
			t.Fatalf("Write: %v, want an error naming %s", err, rel)
		}
		if got := testsite.Read(t, root, rel); got != saved {
			t.Errorf("the editor's save was replaced")
		}
		// The other articles got theirs.
		if got := annotations(t, root, "minister-meets-union"); !slices.ContainsFunc(got, func(a content.Annotation) bool { return a.Quote == "a start" }) {
			t.Errorf("minister-meets-union has no imported annotation: %+v", got)
		}
	})
}

// A quote typed with other whitespace, invisible characters or an ellipsis
// than the page has (extra spaces, a soft hyphen, a zero-width space, "..."
// for "…") is written as the page has it: the passage it matched, no more
// and no less. The quote was cut at the length of what was typed: a
// character too many or too few, or, at the end of the text, characters
// past it.
func TestImportQuoteIsThePassageMatched(t *testing.T) {
	root := testsite.New(t)
	uri := testsite.BaseURL + "articles/dockers-walk-out/"
	for _, tc := range []struct{ exact, want string }{
		{"walked  out   on Monday", "walked out on Monday"},
		{"walked out on Mon\u00adday", "walked out on Monday"},
		{"walked\u200b out on Monday", "walked out on Monday"},
		{"bring in   replacement    crews.", "bring in replacement crews."},
		{" the first   full strike ", "the first full strike"},
	} {
		t.Run(tc.exact, func(t *testing.T) {
			r := planImport(t, root, []webanno.Incoming{{ID: "x", URI: uri, Exact: tc.exact, Start: -1, Note: "A note."}})
			if len(r.Added) != 1 {
				t.Fatalf("not added: orphans %+v", r.Orphans)
			}
			if got := r.Added[0].Annotation.Quote; got != tc.want {
				t.Errorf("quote %q, want %q", got, tc.want)
			}
		})
	}
}

// Files as tools write them: with a byte-order mark (Windows), as JSON-LD
// with @graph; in another encoding or not JSON, a problem at its line that
// says what to do, never text with U+FFFD in place of its letters.
// Annotations without an id are named by their place in the file, and
// replies are skipped whatever their target.
func TestParseFiles(t *testing.T) {
	const one = `{"uri":"https://x.example/p","text":"caf%s","target":[{"selector":[{"type":"TextQuoteSelector","exact":"q"}]}]}`
	for _, tc := range []struct {
		name, data string
		want       []string // "index id note", or the problem
	}{
		{"byte-order mark", "\ufeff[" + fmt.Sprintf(one, "é") + "]", []string{"1  café"}},
		{"@graph", `{"@context":"http://www.w3.org/ns/anno.jsonld","@graph":[{"id":"g1","type":"Annotation","bodyValue":"n","target":{"source":"https://x.example/p","selector":{"type":"TextQuoteSelector","exact":"q"}}}]}`, []string{"1 g1 n"}},
		{"places", "[" + fmt.Sprintf(one, "1") + ",\n" + fmt.Sprintf(one, "2") + "]", []string{"1  caf1", "2  caf2"}},
		{"Latin-1", "[\n" + fmt.Sprintf(one, "\xe9") + "]", []string{"a.json:2: invalid UTF-8 (byte 0xE9)"}},
		{"UTF-16", "\xff\xfe[\x00]\x00", []string{"a.json:1: the file is UTF-16"}},
		{"syntax", "[\n{\"uri\": \"x\",\n\"text\": oops}]", []string{"a.json:3: not JSON: invalid character 'o'"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ins, err := webanno.Parse("a.json", []byte(tc.data))
			var got []string
			if err != nil {
				got = []string{err.Error()}
			}
			for _, in := range ins {
				got = append(got, fmt.Sprintf("%d %s %s", in.Index, in.ID, in.Note))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("got %q, want %q", got[i], tc.want[i])
				}
			}
		})
	}
}

// Outcomes name an annotation without an id by its place in the file; a
// reply (Hypothesis's references, W3C's replying motivation) is skipped,
// not an annotation of no article.
func TestImportNamesAnnotationsWithoutID(t *testing.T) {
	root := testsite.New(t)
	uri := testsite.BaseURL + "articles/dockers-walk-out/"
	data := `[{"uri":"` + uri + `","text":"n","target":[{"selector":[{"type":"TextQuoteSelector","exact":"not in the text"}]}]},
	{"uri":"` + uri + `","text":"reply","references":["hyp-monday"],"target":[{"source":"` + uri + `"}]},
	{"type":"Annotation","motivation":"replying","bodyValue":"I agree","target":"https://example.org/calden/articles/dockers-walk-out/annotations.jsonld#a1"}]`
	ins, err := webanno.Parse("a.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	r := planImport(t, root, ins)
	if len(r.Orphans) != 1 || r.Orphans[0].From != "annotation 1" {
		t.Errorf("orphans %+v, want annotation 1", r.Orphans)
	}
	if len(r.Unmatched) != 0 || len(r.Skipped) != 2 {
		t.Errorf("unmatched %+v, skipped %+v: want the two replies skipped", r.Unmatched, r.Skipped)
	}
	for _, o := range r.Skipped {
		if !strings.Contains(o.Message, "reply") {
			t.Errorf("skipped %s: %q, want it called a reply", o.From, o.Message)
		}
	}
}

// Imported notes are someone else's text: whatever the site lets through
// (unsafeHTML: true), an imported note never brings markup that runs or
// hides. An HTML body's text stays text (its "&lt;script&gt;", its
// asterisks), its links keep their whole address; raw HTML in a Markdown
// note is shown as written; a link to javascript:, a note with a control
// character, are refused and named, and do not stop the other annotations,
// of the same article or of others, from being written.
func TestImportedNotesStayText(t *testing.T) {
	root := testsite.New(t)
	testsite.Write(t, root, "content/dossier.yaml", testsite.Read(t, root, "content/dossier.yaml")+"unsafeHTML: true\n")
	uri := testsite.BaseURL + "articles/dockers-walk-out/"
	data := `[{"id":"html","type":"Annotation","body":{"type":"TextualBody","format":"text/html","value":"<p>Use &lt;script&gt;alert(1)&lt;/script&gt; and *stars* [x](javascript:alert(2)) <a href=\"https://a.example/x) y\">link</a> <a href=\"javascript:alert(3)\">bad</a> <code>a` + "`" + `b</code></p>"},
	  "target":{"source":"` + uri + `","selector":{"type":"TextQuoteSelector","exact":"walked out on Monday"}}},
	 {"id":"md","uri":"` + uri + `","text":"Hi <script>alert(4)</script> <img src=x onerror=alert(5)> \\<b>\n\n<div>\nblock\n</div>","target":[{"selector":[{"type":"TextQuoteSelector","exact":"the first full strike"}]}]},
	 {"id":"js","uri":"` + uri + `","text":"See [this](javascript:alert(6)).","target":[{"selector":[{"type":"TextQuoteSelector","exact":"talks on wages"}]}]},
	 {"id":"ctl","uri":"` + uri + `","text":"red\u001b[31m text","target":[{"selector":[{"type":"TextQuoteSelector","exact":"broke down"}]}]},
	 {"id":"other","uri":"` + testsite.BaseURL + `articles/minister-meets-union/","text":"Fine.","target":[{"selector":[{"type":"TextQuoteSelector","exact":"a start"}]}]}]`
	ins, err := webanno.Parse("a.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	r := importInto(t, root, ins)
	var added []string
	for _, o := range r.Added {
		added = append(added, o.From)
	}
	if !slices.Equal(added, []string{"html", "md", "other"}) {
		t.Errorf("added %q, want html, md and other", added)
	}
	refused := map[string]string{}
	for _, o := range r.Refused {
		refused[o.From] = o.Message
	}
	if m := refused["js"]; !strings.Contains(m, "javascript:alert(6)") {
		t.Errorf("js: refused with %q, want the link named", m)
	}
	if m := refused["ctl"]; !strings.Contains(m, "U+001B") {
		t.Errorf("ctl: refused with %q, want the control character named", m)
	}
	res, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	page := string(res.Site.Files["articles/dockers-walk-out/index.html"].Data)
	for _, bad := range []string{"<script>alert", "<img src", `href="javascript`, "<div>\nblock", "<b>"} {
		if strings.Contains(page, bad) {
			i := strings.Index(page, bad)
			t.Errorf("the page has %q: …%s…", bad, page[max(0, i-80):min(len(page), i+80)])
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt; and *stars* [x](javascript:alert(2))", `href="https://a.example/x)%20y"`, "<code>a`b</code>", "Hi &lt;script&gt;alert(4)&lt;/script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// An article the import cannot edit (its annotations written as a flow
// list) has its annotations refused, saying why and what to do; the other
// articles get theirs.
func TestImportRefusesOneArticleNotAll(t *testing.T) {
	root := testsite.New(t)
	rel := "content/articles/minister-meets-union.md"
	src := testsite.Read(t, root, rel)
	flow := annotationsBlock.ReplaceAllString(src, "annotations: [{quote: \"a start\", kind: context, note: Her words.}]\n")
	if flow == src {
		t.Fatal("no annotations block to replace")
	}
	testsite.Write(t, root, rel, flow)
	r := importInto(t, root, parseFile(t, "testdata/hypothesis.json"))
	if got := testsite.Read(t, root, rel); got != flow {
		t.Errorf("%s changed", rel)
	}
	var refused int
	for _, o := range r.Refused {
		if o.File == rel {
			refused++
			if !strings.Contains(o.Message, "write it as a block list") {
				t.Errorf("refused %s: %q, want what to do", o.From, o.Message)
			}
		}
	}
	for _, o := range r.Added {
		if o.File == rel {
			t.Errorf("%s counted as added", o.From)
		}
	}
	if refused == 0 || len(r.Added) == 0 {
		t.Errorf("refused %d in %s, added %d elsewhere; want some of each", refused, rel, len(r.Added))
	}
	if got := annotations(t, root, "dockers-walk-out"); !slices.ContainsFunc(got, func(a content.Annotation) bool { return a.Quote == "walked out on Monday" }) {
		t.Errorf("dockers-walk-out did not get its annotation")
	}
}

// An annotation made on the published page is matched whatever the address
// it was reached by adds: a query (?utm_source=, which a static site does
// not read), a fragment, the default port, index.html, another letter case
// of the host. The source: page's query is part of its address.
func TestImportMatchesThePublishedPage(t *testing.T) {
	root := testsite.New(t)
	targets := webanno.Articles(buildSite(t, root))
	for _, tc := range []struct {
		uri  string
		want bool
	}{
		{testsite.BaseURL + "articles/dockers-walk-out/?utm_source=feed&utm_medium=rss", true},
		{testsite.BaseURL + "articles/dockers-walk-out?x=1#p2", true},
		{"https://example.org:443/calden/articles/dockers-walk-out/", true},
		{"HTTP://Example.ORG:80/calden/articles/dockers-walk-out/index.html", true},
		{"https://example.org:8443/calden/articles/dockers-walk-out/", false},
		{"https://example.org/articles/dockers-walk-out/", false},
		{"https://herald.example/2024/03/04/dockers-walk-out/", true},
		{"https://herald.example/2024/03/04/dockers-walk-out?page=2", false},
	} {
		r, err := webanno.Import([]webanno.Incoming{{ID: "x", URI: tc.uri, Exact: "walked out on Monday", Start: -1, Note: "n"}}, targets, webanno.Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(r.Added) == 1; got != tc.want {
			t.Errorf("%s: matched %v, want %v (%+v)", tc.uri, got, tc.want, r.Unmatched)
		}
	}
}

// The context an import writes is the text's: no space between the quote
// and a prefix or suffix that the text runs on into ("Russia" + "'s view"),
// none added inside a word.
func TestImportContextKeepsTheTextsSpacing(t *testing.T) {
	root := testsite.New(t)
	testsite.Unverify(t, root)
	testsite.Write(t, root, "content/articles/vetoes.md", testsite.Article("Vetoes", "Calden Herald", 9, []string{"strike"}, "Russia's view. Russia's veto. Russia's base. Prussia's too."))
	uri := testsite.BaseURL + "articles/vetoes/"
	r := planImport(t, root, []webanno.Incoming{
		{ID: "first", URI: uri, Exact: "Russia", Suffix: "'s view", Start: -1, Note: "n"},
		{ID: "inside", URI: uri, Exact: "ussia", Prefix: "Pr", Start: -1, Note: "n"},
	})
	if len(r.Added) != 2 {
		t.Fatalf("added %+v; orphans %+v", r.Added, r.Orphans)
	}
	if a := r.Added[0].Annotation; a.Prefix != "" || a.Suffix != "'s view." {
		t.Errorf("first: prefix %q suffix %q, want suffix %q", a.Prefix, a.Suffix, "'s view.")
	}
	if a := r.Added[1].Annotation; a.Prefix != "Pr" || a.Suffix != "" {
		t.Errorf("inside: prefix %q suffix %q, want prefix %q", a.Prefix, a.Suffix, "Pr")
	}
}

// An article saved after the build read it and before the import reads it
// to edit is not edited: its quotes were anchored in the text the build
// read (Write already leaves a file saved after that).
func TestImportRefusesAnArticleSavedMeanwhile(t *testing.T) {
	root := testsite.New(t)
	g := buildSite(t, root)
	rel := "content/articles/dockers-walk-out.md"
	saved := strings.Replace(testsite.Read(t, root, rel), "walked out on Monday", "walked out on Tuesday", 1)
	testsite.Write(t, root, rel, saved)
	opts := known(g)
	opts.Root = root
	r, err := webanno.Import(parseFile(t, "testdata/hypothesis.json"), webanno.Articles(g), opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Files[rel]; ok {
		t.Errorf("%s is to be written", rel)
	}
	var refused bool
	for _, o := range r.Refused {
		refused = refused || o.File == rel && strings.Contains(o.Message, "import again")
	}
	for _, o := range r.Added {
		if o.File == rel {
			t.Errorf("%s counted as added to %s", o.From, rel)
		}
	}
	if !refused || len(r.Files) == 0 {
		t.Errorf("refused %+v, files %d: want %s refused and the others written", r.Refused, len(r.Files), rel)
	}
}

// An annotation a Hypothesis group's moderator hid ("hidden": true) is not
// published: skipped, saying why, while its neighbour in the file is
// imported (noted by hostile testing).
func TestImportSkipsHiddenAnnotations(t *testing.T) {
	root := testsite.New(t)
	uri := testsite.BaseURL + "articles/dockers-walk-out/"
	ann := `{"id":"%s","uri":"` + uri + `","text":"%s","hidden":%s,"target":[{"selector":[{"type":"TextQuoteSelector","exact":"walked out"}]}]}`
	data := "[" + fmt.Sprintf(ann, "h1", "spam", "true") + "," + fmt.Sprintf(ann, "h2", "A note.", "false") + "]"
	ins, err := webanno.Parse("a.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	r := planImport(t, root, ins)
	if len(r.Skipped) != 1 || r.Skipped[0].From != "h1" || !strings.Contains(r.Skipped[0].Message, "hidden by a moderator") {
		t.Errorf("skipped %+v, want h1 as hidden", r.Skipped)
	}
	out := string(r.Files["content/articles/dockers-walk-out.md"])
	if strings.Contains(out, "spam") || !strings.Contains(out, "A note.") {
		t.Errorf("the article as written:\n%s", out)
	}
}
