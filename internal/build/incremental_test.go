package build_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/testsite"
)

// The preview must always equal the build. This property test applies
// random sequences of edits of every kind to the fixture dossier (article
// bodies and front matter, added, deleted and renamed articles, topics,
// entities, claims, the timeline, dossier.yaml, and project templates and
// static files, including templates that read fields the defaults do not)
// and after each edit checks that the incremental build, given the changed
// files as the preview server gives them, is byte for byte the build of a
// fresh Builder; or that both fail with the same problems.
//
// DOSSIER_PROPERTY_SEQUENCES sets the number of sequences (default 200; 25
// under the race detector, which `make test` runs besides a plain run of
// all 200) and DOSSIER_PROPERTY_SEED the first seed, to replay a failure.
func TestIncrementalEqualsFullBuild(t *testing.T) {
	def := 200
	if raceEnabled {
		def = 25
	}
	sequences := envInt(t, "DOSSIER_PROPERTY_SEQUENCES", def)
	first := envInt(t, "DOSSIER_PROPERTY_SEED", 1)
	const steps = 4
	var succeeded, failed atomic.Int64
	t.Cleanup(func() {
		t.Logf("%d steps built, %d failed in both builds alike", succeeded.Load(), failed.Load())
	})
	for seq := first; seq < first+sequences; seq++ {
		t.Run(fmt.Sprintf("seed=%d", seq), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(uint64(seq), 0x5eed))
			p := &project{t: t, root: testsite.New(t), r: r}
			minify := seq%8 == 0 // minified output too, now and then
			// Now and then as the preview builds: the search index left
			// for RefreshSearch, which must then give the full build's.
			deferSearch := seq%3 == 0
			b := build.New(build.Options{Root: p.root, Minify: minify, DeferSearch: deferSearch})
			if _, err := b.Build(context.Background(), nil); err != nil {
				t.Fatalf("fixture does not build: %v", err)
			}
			var log []string
			for step := 0; step < steps; step++ {
				name, changed := p.edit()
				log = append(log, name)
				inc, incErr := b.Build(context.Background(), changed)
				if incErr == nil && inc.SearchPending {
					fresh, err := b.RefreshSearch(context.Background())
					if err != nil || fresh == nil {
						t.Fatalf("after edits %s: RefreshSearch: %v, %v", strings.Join(log, ", "), fresh, err)
					}
					cp := *inc
					cp.Site = fresh.Site
					inc = &cp
				}
				full, fullErr := build.New(build.Options{Root: p.root, Minify: minify}).Build(context.Background(), nil)
				if fullErr == nil {
					succeeded.Add(1)
				} else {
					failed.Add(1)
				}
				if msg := compareBuilds(inc, incErr, full, fullErr); msg != "" {
					t.Fatalf("after edits %s (changed %v):\n%s", strings.Join(log, ", "), changed, msg)
				}
			}
		})
	}
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s=%q: want a number", name, v)
	}
	return n
}

// compareBuilds returns what differs between an incremental and a full build.
func compareBuilds(inc *build.Result, incErr error, full *build.Result, fullErr error) string {
	if (incErr == nil) != (fullErr == nil) {
		return fmt.Sprintf("incremental error: %v\nfull error: %v", incErr, fullErr)
	}
	if incErr != nil {
		a, b := diag.From(incErr, "").Errors(), diag.From(fullErr, "").Errors()
		a.Sort()
		b.Sort()
		if a.Error() != b.Error() {
			return fmt.Sprintf("different problems:\nincremental:\n%v\nfull:\n%v", a, b)
		}
		return ""
	}
	var diffs []string
	for p, f := range full.Site.Files {
		g, ok := inc.Site.Files[p]
		switch {
		case !ok:
			diffs = append(diffs, "missing in the incremental build: "+p)
		case !bytes.Equal(f.Data, g.Data):
			diffs = append(diffs, "differs: "+p+"\n"+firstDifference(g.Data, f.Data))
		}
	}
	for p := range inc.Site.Files {
		if _, ok := full.Site.Files[p]; !ok {
			diffs = append(diffs, "only in the incremental build: "+p)
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 6 {
		diffs = append(diffs[:6], fmt.Sprintf("... and %d more", len(diffs)-6))
	}
	if a, b := fmt.Sprint(inc.Warnings), fmt.Sprint(full.Warnings); a != b {
		diffs = append(diffs, "warnings differ:\n"+a+"\n"+b)
	}
	return strings.Join(diffs, "\n")
}

func firstDifference(inc, full []byte) string {
	i := 0
	for i < len(inc) && i < len(full) && inc[i] == full[i] {
		i++
	}
	clip := func(b []byte) string { return string(b[max(0, i-120):min(len(b), i+120)]) }
	return "  incremental: ..." + clip(inc) + "...\n  full:        ..." + clip(full) + "..."
}

// project edits a copy of the fixture dossier at random.
type project struct {
	t    *testing.T
	root string
	r    *rand.Rand
	n    int // edits made, for unique names and words
}

func (p *project) path(rel string) string { return filepath.Join(p.root, filepath.FromSlash(rel)) }

func (p *project) read(rel string) string {
	b, err := os.ReadFile(p.path(rel))
	if err != nil {
		p.t.Fatal(err)
	}
	return string(b)
}

func (p *project) write(rel, data string) {
	testsite.Write(p.t, p.root, rel, data)
}

func (p *project) remove(rel string) {
	if err := os.Remove(p.path(rel)); err != nil && !os.IsNotExist(err) {
		p.t.Fatal(err)
	}
}

func (p *project) exists(rel string) bool {
	_, err := os.Stat(p.path(rel))
	return err == nil
}

// files lists the .md files of a content folder, as content/<dir>/<name>.
func (p *project) files(dir string) []string {
	entries, _ := os.ReadDir(p.path("content/" + dir))
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			out = append(out, "content/"+dir+"/"+e.Name())
		}
	}
	return out
}

func (p *project) pick(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[p.r.IntN(len(xs))]
}

func slugOf(rel string) string { return strings.TrimSuffix(filepath.Base(rel), ".md") }

// split returns a content file's front matter lines (without the --- lines) and body.
func split(src string) ([]string, string) {
	rest := strings.TrimPrefix(src, "---\n")
	fm, body, _ := strings.Cut(rest, "\n---\n")
	return strings.Split(fm, "\n"), body
}

func join(fm []string, body string) string {
	return "---\n" + strings.Join(fm, "\n") + "\n---\n" + body
}

// setKey sets a top-level front-matter key to a one-line value.
func setKey(fm []string, key, value string) []string {
	for i, l := range fm {
		if strings.HasPrefix(l, key+":") {
			// Drop the value's continuation lines (indented), if any.
			j := i + 1
			for j < len(fm) && strings.HasPrefix(fm[j], " ") {
				j++
			}
			return slices.Concat(fm[:i], []string{key + ": " + value}, fm[j:])
		}
	}
	return append(fm, key+": "+value)
}

func getKey(fm []string, key string) string {
	for _, l := range fm {
		if v, ok := strings.CutPrefix(l, key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

var words = []string{"harbour", "crane", "ferry", "Okafor", "Pereira", "Zoë Brandt", "port authority", "strike", "wages", "pay", "Calden", "ships", "cargo", "picket"}

func (p *project) sentence() string {
	p.n++
	ws := []string{"Marker" + strconv.Itoa(p.n)}
	for i := 0; i < 4+p.r.IntN(6); i++ {
		ws = append(ws, p.pick(words))
	}
	return strings.Join(ws, " ") + "."
}

// edit makes one random edit and returns its name and the files it changed.
func (p *project) edit() (string, []string) {
	kinds := []func() (string, []string){
		p.editBody, p.editBody, p.editBody, p.editFrontMatter, p.editFrontMatter, p.editAnnotations,
		p.addArticle, p.deleteArticle, p.renameArticle, p.editTopic, p.editEntity, p.editClaim,
		p.editTimeline, p.editConfig, p.editTemplate, p.editTemplate, p.editStatic, p.strayFile,
	}
	for {
		if name, changed := kinds[p.r.IntN(len(kinds))](); name != "" {
			return name, changed
		}
	}
}

func (p *project) editBody() (string, []string) {
	rel := p.pick(p.files("articles"))
	if rel == "" {
		return "", nil
	}
	fm, body := split(p.read(rel))
	paras := strings.Split(strings.TrimSpace(body), "\n\n")
	var what string
	switch p.r.IntN(4) {
	case 0: // add a paragraph
		i := p.r.IntN(len(paras) + 1)
		paras = slices.Insert(paras, i, p.sentence())
		what = "add a paragraph"
	case 1: // change a word
		i := p.r.IntN(len(paras))
		paras[i] = strings.Replace(paras[i], " the ", " the "+p.pick(words)+" ", 1)
		what = "change a word"
	case 2: // remove a paragraph (annotations quoting it then fail, in both builds)
		if len(paras) > 1 {
			i := p.r.IntN(len(paras))
			paras = slices.Delete(paras, i, i+1)
		}
		what = "remove a paragraph"
	default: // link to another article
		other := slugOf(p.pick(p.files("articles")))
		paras = append(paras, fmt.Sprintf("See [another report](%s.md) on %s.", other, p.pick(words)))
		what = "add a link"
	}
	p.write(rel, join(fm, "\n"+strings.Join(paras, "\n\n")+"\n"))
	return "body of " + slugOf(rel) + ": " + what, []string{rel}
}

func (p *project) editFrontMatter() (string, []string) {
	rel := p.pick(p.files("articles"))
	if rel == "" {
		return "", nil
	}
	fm, body := split(p.read(rel))
	var what string
	switch p.r.IntN(7) {
	case 6:
		// A date that does not exist, and a misspelt topic: the file is
		// broken, and both builds list all of its problems (a later date
		// edit fixes the one, a topics edit the other).
		fm = setKey(fm, "date", "2024-02-30")
		fm = setKey(fm, "topics", "[strike, strikes]")
		what = "broken date and topic"
	case 0:
		fm = setKey(fm, "summary", strconv.Quote("A new summary "+strconv.Itoa(p.n)+"."))
		what = "summary"
	case 1:
		fm = setKey(fm, "title", strconv.Quote("A retitled report "+strconv.Itoa(p.r.IntN(1000))))
		what = "title"
		// Now and then another article's title: a warning between two
		// files, which later edits of either must keep listed.
		if other := p.pick(p.files("articles")); other != rel && p.r.IntN(2) == 0 {
			if m := titleLine.FindStringSubmatch(p.read(other)); m != nil {
				fm = setKey(fm, "title", m[1])
				what = "title of " + slugOf(other)
			}
		}
	case 2:
		fm = setKey(fm, "date", fmt.Sprintf("2024-%02d-%02d", 1+p.r.IntN(12), 1+p.r.IntN(28)))
		what = "date"
	case 3:
		fm = setKey(fm, "outlet", strconv.Quote(p.pick([]string{"Calden Herald", "Northern Wire", "Radio Meridian", "Varn Daily"})))
		what = "outlet"
	case 4:
		topics := []string{"strike", "wages", "shipping"}
		p.r.Shuffle(len(topics), func(i, j int) { topics[i], topics[j] = topics[j], topics[i] })
		fm = setKey(fm, "topics", "["+strings.Join(topics[:1+p.r.IntN(3)], ", ")+"]")
		what = "topics"
	default:
		fm = setKey(fm, "byline", strconv.Quote(p.pick([]string{"", "Ana Ruiz", "Tom Berg"})))
		what = "byline"
	}
	p.write(rel, join(fm, body))
	return "front matter of " + slugOf(rel) + ": " + what, []string{rel}
}

var titleLine = regexp.MustCompile(`(?m)^title: (.*)$`)

var annotationItem = regexp.MustCompile(`(?m)^  - quote: .*\n(?:    .*\n)*`)

func (p *project) editAnnotations() (string, []string) {
	rel := p.pick(p.files("articles"))
	if rel == "" {
		return "", nil
	}
	src := p.read(rel)
	fm, body := split(src)
	if p.r.IntN(2) == 0 {
		// Annotate a new, unique sentence.
		s := p.sentence()
		body = strings.TrimRight(body, "\n") + "\n\n" + s + "\n"
		item := []string{"  - quote: " + strconv.Quote(strings.TrimSuffix(s, ".")), "    kind: " + p.pick([]string{"context", "correction", "fact-check", "editorial"})}
		switch p.r.IntN(3) {
		case 0:
			item = append(item, "    claim: "+p.pick([]string{"strike-turnout", "cargo-losses"}))
		case 1:
			item = append(item, "    speaker: "+p.pick([]string{"mara-okafor", "jonas-pereira"}))
		}
		item = append(item, "    note: "+strconv.Quote("Note "+strconv.Itoa(p.n)+" on "+p.pick(words)+"."))
		i := slices.Index(fm, "annotations:")
		if i < 0 {
			fm = append(fm, "annotations:")
			i = len(fm) - 1
		}
		// At the front: ids follow front-matter order, numbers reading order.
		fm = slices.Insert(fm, i+1, item...)
		p.write(rel, join(fm, body))
		return "annotate " + slugOf(rel), []string{rel}
	}
	text := join(fm, body)
	items := annotationItem.FindAllStringIndex(text, -1)
	if len(items) == 0 {
		return "", nil
	}
	it := items[p.r.IntN(len(items))]
	text = text[:it[0]] + text[it[1]:]
	text = strings.Replace(text, "annotations:\n---\n", "---\n", 1) // the last one
	p.write(rel, text)
	return "remove an annotation of " + slugOf(rel), []string{rel}
}

func (p *project) addArticle() (string, []string) {
	p.n++
	slug := fmt.Sprintf("added-report-%d", p.n)
	rel := "content/articles/" + slug + ".md"
	topics := []string{p.pick([]string{"strike", "wages", "shipping"})}
	src := testsite.Article("Added report "+strconv.Itoa(p.n), p.pick([]string{"Calden Herald", "Varn Daily"}), 1+p.r.IntN(28), topics, p.sentence()+"\n\n"+p.sentence())
	if p.r.IntN(4) == 0 {
		// Added broken: a day that does not exist, and a misspelt topic.
		fm, body := split(src)
		src = join(setKey(setKey(fm, "date", "2024-02-30"), "topics", "[strikes]"), body)
		slug += " (broken)"
	}
	p.write(rel, src)
	return "add " + slug, []string{rel}
}

func (p *project) deleteArticle() (string, []string) {
	rel := p.pick(p.files("articles"))
	if rel == "" {
		return "", nil
	}
	p.remove(rel)
	return "delete " + slugOf(rel), []string{rel}
}

// strayFile adds or removes a file the load does not read: one it warns
// about (a Markdown file not named .md), or one it ignores (a temporary
// file, a note).
func (p *project) strayFile() (string, []string) {
	rel := "content/articles/" + p.pick([]string{"draft.markdown", "XXq1Zr9m", "notes.txt"})
	if _, err := os.Stat(p.path(rel)); err == nil {
		p.remove(rel)
		return "remove " + rel, []string{rel}
	}
	p.write(rel, p.sentence()+"\n")
	return "add " + rel, []string{rel}
}

func (p *project) renameArticle() (string, []string) {
	rel := p.pick(p.files("articles"))
	if rel == "" {
		return "", nil
	}
	p.n++
	to := fmt.Sprintf("content/articles/renamed-%d.md", p.n)
	src := p.read(rel)
	p.remove(rel)
	p.write(to, src)
	return "rename " + slugOf(rel) + " to " + slugOf(to), []string{rel, to}
}

func (p *project) editTopic() (string, []string) {
	if p.r.IntN(4) == 0 {
		p.n++
		rel := fmt.Sprintf("content/topics/new-topic-%d.md", p.n)
		p.write(rel, fmt.Sprintf("---\ntitle: New topic %d\nsummary: A topic added by the test.\nkeywords: [%s]\n---\n\nAn overview.\n", p.n, strings.ToLower(p.pick(words))))
		return "add topic", []string{rel}
	}
	rel := p.pick(p.files("topics"))
	fm, body := split(p.read(rel))
	switch p.r.IntN(3) {
	case 0:
		fm = setKey(fm, "title", strconv.Quote("Topic "+strconv.Itoa(p.r.IntN(1000))))
	case 1:
		fm = setKey(fm, "keywords", "["+strings.ToLower(p.pick(words))+", "+strings.ToLower(p.pick(words))+"]")
	default:
		body += "\n" + p.sentence() + "\n"
	}
	p.write(rel, join(fm, body))
	return "edit topic " + slugOf(rel), []string{rel}
}

func (p *project) editEntity() (string, []string) {
	if p.r.IntN(4) == 0 {
		p.n++
		rel := fmt.Sprintf("content/entities/new-person-%d.md", p.n)
		name := p.pick([]string{"Ana Ruiz", "Tom Berg", "Harbour Council"})
		p.write(rel, fmt.Sprintf("---\nname: %s %d\nkind: person\naliases: [%s]\n---\n\nA person added by the test.\n", name, p.n, strconv.Quote(name)))
		return "add entity", []string{rel}
	}
	rel := p.pick(p.files("entities"))
	fm, body := split(p.read(rel))
	switch p.r.IntN(3) {
	case 0:
		fm = setKey(fm, "role", strconv.Quote("Role "+strconv.Itoa(p.n)))
	case 1:
		fm = setKey(fm, "aliases", "["+strconv.Quote(p.pick([]string{"harbour", "the crane", "ferry"}))+"]")
	default:
		body += "\n" + p.sentence() + "\n"
	}
	p.write(rel, join(fm, body))
	return "edit entity " + slugOf(rel), []string{rel}
}

func (p *project) editClaim() (string, []string) {
	rel := p.pick(p.files("claims"))
	fm, body := split(p.read(rel))
	switch p.r.IntN(3) {
	case 0:
		fm = setKey(fm, "verdict", strconv.Quote("Verdict "+strconv.Itoa(p.r.IntN(100))))
	case 1:
		body += "\n" + p.sentence() + "\n"
	default: // a link whose preview card only edits of that article change
		body += fmt.Sprintf("\nSee [a report](../articles/%s.md).\n", slugOf(p.pick(p.files("articles"))))
	}
	p.write(rel, join(fm, body))
	return "edit claim " + slugOf(rel), []string{rel}
}

func (p *project) editTimeline() (string, []string) {
	rel := "content/timeline.yaml"
	src := p.read(rel)
	arts := p.files("articles")
	switch p.r.IntN(3) {
	case 0:
		a := slugOf(p.pick(arts))
		src += fmt.Sprintf("- date: 2024-04-%02d\n  title: Event %d\n  articles: [%s]\n  topics: [strike]\n", 1+p.r.IntN(28), p.n, a)
	case 1:
		src = strings.Replace(src, "title: Wage talks break down", "title: Wage talks collapse", 1)
	default:
		src = strings.Replace(src, "date: 2024-03-11", "date: 2024-03-12", 1)
	}
	p.n++
	p.write(rel, src)
	return "edit timeline", []string{rel}
}

func (p *project) editConfig() (string, []string) {
	rel := "content/dossier.yaml"
	src := p.read(rel)
	p.n++
	switch p.r.IntN(3) {
	case 0:
		src = regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(src, "title: "+strconv.Quote("Calden dossier "+strconv.Itoa(p.n)))
	case 1:
		src = strings.Replace(src, "  - title: Topics\n", "  - title: Subjects\n", 1)
	default:
		src = regexp.MustCompile(`(?m)^author: .*$`).ReplaceAllString(src, "author: Editor "+strconv.Itoa(p.n))
	}
	p.write(rel, src)
	return "edit dossier.yaml", []string{rel}
}

// Project templates, several reading what the default templates do not:
// reading time and word counts on list pages, site-wide lists on every
// article, a different note markup.
var projectTemplates = map[string][]string{
	"outlet.html": {
		`{{define "main"}}{{with .Data}}<h1>{{.Name}}</h1><ol>{{range .Items}}<li><a href="{{url $.Site .Path}}">{{.Title}}</a> {{.ReadingMinutes}} min, {{.NoteCount}} notes</li>{{end}}</ol>{{end}}{{end}}`,
		`{{define "main"}}{{with .Data}}<h1>{{.Name}} ({{.ArticleCount}})</h1>{{range .Items}}<p>{{.Summary}} · {{.Byline}}</p>{{end}}{{end}}{{end}}`,
	},
	"article.html": {
		`{{define "main"}}{{with .Data}}<h1>{{.Title}}</h1><p>{{.Words}} words; {{len $.Site.Articles}} articles in all, newest: {{with index $.Site.Articles 0}}{{.Title}}{{end}}</p>{{.HTML}}{{end}}{{end}}`,
		`{{define "main"}}{{with .Data}}<h1>{{.Title}}</h1>{{range $.Site.Topics}}<span>{{.Title}} {{.ArticleCount}}</span>{{end}}{{range .Notes}}<p>{{.Number}} {{.Text}}</p>{{end}}{{.HTML}}{{end}}{{end}}`,
	},
	"topic.html": {
		`{{define "main"}}{{with .Data}}<h1>{{.Title}}</h1>{{range .Items}}<p>{{.Article.Title}} {{.Article.ReadingMinutes}} {{len .Passages}}</p>{{end}}{{end}}{{range .Site.Entities}}<i>{{.Name}} {{.MentionCount}}</i>{{end}}{{end}}`,
	},
	"home.html": {
		`{{define "main"}}{{range .Site.Articles}}<p>{{.Title}} {{.ReadingMinutes}} {{.Outlet.Name}}</p>{{end}}{{range .Site.Claims}}<p>{{.Title}} {{.SourceCount}}</p>{{end}}{{range .Site.Years}}{{.Year}}{{end}}{{end}}`,
	},
}

const customPartials = `{{define "meta"}}<span>{{.Outlet.Name}}</span> {{.Date.Human}}{{end}}
{{define "pager"}}{{end}}
{{define "note"}}<span class="note" id="{{.ID}}-n">[{{.Number}}: {{.Label}} {{.HTML}}{{with .Claim}} — {{.Title}}{{range $.Also}} / {{.Outlet}}{{end}}{{end}}]</span>{{end}}
`

func (p *project) editTemplate() (string, []string) {
	if p.r.IntN(4) == 0 {
		rel := "templates/partials.html"
		if p.exists(rel) {
			p.remove(rel)
			return "remove partials.html", []string{rel}
		}
		p.write(rel, customPartials)
		return "custom partials.html", []string{rel}
	}
	names := make([]string, 0, len(projectTemplates))
	for n := range projectTemplates {
		names = append(names, n)
	}
	sort.Strings(names)
	name := p.pick(names)
	rel := "templates/" + name
	if p.exists(rel) && p.r.IntN(2) == 0 {
		p.remove(rel)
		return "remove " + rel, []string{rel}
	}
	p.write(rel, p.pick(projectTemplates[name]))
	return "write " + rel, []string{rel}
}

func (p *project) editStatic() (string, []string) {
	p.n++
	switch p.r.IntN(3) {
	case 0:
		rel := "static/style.css"
		if p.exists(rel) {
			p.remove(rel)
			return "remove static/style.css", []string{rel}
		}
		p.write(rel, fmt.Sprintf("body { color: #%03x; }\n", p.n%4096))
		return "override static/style.css", []string{rel}
	case 1:
		rel := "static/extra.css"
		p.write(rel, fmt.Sprintf(".x%d { margin: 0 }\n", p.n))
		return "write static/extra.css", []string{rel}
	default:
		rel := "static/photo.txt"
		p.write(rel, strconv.Itoa(p.n))
		return "write static/photo.txt", []string{rel}
	}
}

// The preview went stale when a project template showed what the default
// templates do not: an outlet page listing reading times kept the old time
// after a body edit that changed it, because the page's cache key was a
// hand-kept list of what the default template showed.
func TestProjectTemplateFieldsStayFresh(t *testing.T) {
	root := testsite.New(t)
	testsite.Unverify(t, root) // the test adds words to a rendition
	testsite.Write(t, root, "templates/outlet.html", `{{define "main"}}{{with .Data}}<h1>{{.Name}}</h1><ul>{{range .Items}}<li>{{.Title}}: {{.ReadingMinutes}} min</li>{{end}}</ul>{{end}}{{end}}`)
	b := build.New(build.Options{Root: root})
	mustBuild(t, b, nil)
	// A body long enough to change the reading time.
	rel := "content/articles/strike-spreads-to-rail.md"
	src := testsite.Read(t, root, rel)
	testsite.Write(t, root, rel, src+"\n"+strings.Repeat("More words about the strike at the port. ", 200)+"\n")
	inc := mustBuild(t, b, []string{rel})
	full := mustBuild(t, build.New(build.Options{Root: root}), nil)
	page := "outlets/northern-wire/index.html"
	if !strings.Contains(string(full.Site.Files[page].Data), " min") {
		t.Fatalf("the project template is not used:\n%s", full.Site.Files[page].Data)
	}
	if got, want := string(inc.Site.Files[page].Data), string(full.Site.Files[page].Data); got != want {
		t.Errorf("stale outlet page after a body edit:\nincremental: %s\nfull:        %s", got, want)
	}
}

// An edit the preview checks alone (an article's text, its references
// unchanged) keeps the standing warnings of the other files, and those
// between files of its own, as a full build lists them: they used to drop
// out of the list, then come back as new after another edit.
func TestIncrementalKeepsStandingWarnings(t *testing.T) {
	root := testsite.New(t)
	testsite.Unverify(t, root) // the test edits article text
	dup := "content/articles/minister-meets-union.md"
	testsite.Write(t, root, dup, strings.Replace(testsite.Read(t, root, dup),
		"title: Minister meets union as strike enters second week", "title: Dockers walk out at the port of Calden", 1))
	b := build.New(build.Options{Root: root})
	first := mustBuild(t, b, nil)
	if !strings.Contains(fmt.Sprint(first.Warnings), "is already used by") {
		t.Fatalf("no duplicate-title warning to keep: %v", first.Warnings)
	}
	for i, rel := range []string{"content/articles/strike-spreads-to-rail.md", dup, "content/articles/dockers-walk-out.md", dup} {
		testsite.Write(t, root, rel, testsite.Read(t, root, rel)+fmt.Sprintf("\nOne more paragraph, %d.\n", i))
		inc := mustBuild(t, b, []string{rel})
		full := mustBuild(t, build.New(build.Options{Root: root}), nil)
		if a, f := fmt.Sprint(inc.Warnings), fmt.Sprint(full.Warnings); a != f {
			t.Errorf("after editing %s: warnings\n%s\nwant, as a full build,\n%s", rel, a, f)
		}
	}
}

// A save by a tool that writes a temporary file beside the article and
// renames it over it (perl -i) reports both paths; the temporary one, which
// the load neither reads nor warns about, must not turn a one-article
// rebuild into a full load. A file the load warns about still counts.
func TestStrayFilesKeepTheLoadIncremental(t *testing.T) {
	const edited = "content/articles/strike-spreads-to-rail.md"
	const other = "content/articles/dockers-walk-out.md"
	tests := []struct {
		stray       string // created beside the edit, and left there
		incremental bool
		warning     string // a warning the rebuild gives, as a full build does
	}{
		{"content/articles/XXbr4WBr", true, ""},
		{"content/articles/notes.txt", true, ""},
		{"content/topics/XXq1Zr9m", true, ""},
		{"content/articles/later.markdown", false, "only files ending in .md"},
		{"content/articles/Strike.MD", false, "only files ending in .md"},
	}
	for _, tt := range tests {
		t.Run(path.Base(tt.stray), func(t *testing.T) {
			root := testsite.New(t)
			testsite.Unverify(t, root) // the test edits article text
			b := build.New(build.Options{Root: root})
			first := mustBuild(t, b, nil)
			testsite.Write(t, root, tt.stray, "scratch\n")
			testsite.Write(t, root, edited, testsite.Read(t, root, edited)+"\nOne more paragraph.\n")
			inc := mustBuild(t, b, []string{tt.stray, edited})

			kept := articleBySlug(first, path.Base(other)) == articleBySlug(inc, path.Base(other))
			if kept != tt.incremental {
				t.Errorf("unchanged article kept from the last load: %v, want %v", kept, tt.incremental)
			}
			if page := inc.Site.Files["articles/strike-spreads-to-rail/index.html"]; page == nil || !bytes.Contains(page.Data, []byte("One more paragraph.")) {
				t.Errorf("the edit is not in the rebuilt site")
			}
			full := mustBuild(t, build.New(build.Options{Root: root}), nil)
			if a, f := fmt.Sprint(inc.Warnings), fmt.Sprint(full.Warnings); a != f {
				t.Errorf("warnings\n%s\nwant, as a full build,\n%s", a, f)
			}
			if tt.warning != "" && !strings.Contains(fmt.Sprint(inc.Warnings), tt.warning) {
				t.Errorf("warnings %v do not say %q", inc.Warnings, tt.warning)
			}
		})
	}
}

// articleBySlug is the loaded article of a build whose file is name.
func articleBySlug(res *build.Result, name string) *content.Article {
	for _, a := range res.Content.Articles {
		if a.Slug+".md" == name {
			return a
		}
	}
	return nil
}

// The load's own warnings (a file it does not read) stand after an edit the
// preview checks whole, as after one it checks alone: an article added,
// removed, or retitled. They used to vanish until the next full load.
func TestIncrementalKeepsTheLoadsWarnings(t *testing.T) {
	const stray = "content/articles/later.markdown"
	const edited = "content/articles/strike-spreads-to-rail.md"
	const extra = "content/articles/one-more.md" // no other file names it
	tests := []struct {
		name string
		edit func(t *testing.T, root string) string // returns the changed path
	}{
		{"article added", func(t *testing.T, root string) string {
			rel := "content/articles/brand-new.md"
			testsite.Write(t, root, rel, testsite.Article("A brand new article", "AFP", 3, []string{"strike"}, "Some text."))
			return rel
		}},
		{"article removed", func(t *testing.T, root string) string {
			if err := os.Remove(filepath.Join(root, filepath.FromSlash(extra))); err != nil {
				t.Fatal(err)
			}
			return extra
		}},
		{"article retitled", func(t *testing.T, root string) string {
			text := testsite.Read(t, root, edited)
			i := strings.Index(text, "title: ")
			testsite.Write(t, root, edited, text[:i]+"title: A new title"+text[i+strings.Index(text[i:], "\n"):])
			return edited
		}},
		{"article text", func(t *testing.T, root string) string {
			testsite.Write(t, root, edited, testsite.Read(t, root, edited)+"\nOne more paragraph.\n")
			return edited
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := testsite.New(t)
			testsite.Unverify(t, root) // the test edits article text
			testsite.Write(t, root, stray, "Not read.\n")
			testsite.Write(t, root, extra, testsite.Article("One more article", "AFP", 4, []string{"strike"}, "Its text."))
			b := build.New(build.Options{Root: root})
			first := mustBuild(t, b, nil)
			if !strings.Contains(fmt.Sprint(first.Warnings), "later.markdown") {
				t.Fatalf("no warning for %s: %v", stray, first.Warnings)
			}
			inc := mustBuild(t, b, []string{tt.edit(t, root)})
			full := mustBuild(t, build.New(build.Options{Root: root}), nil)
			if a, f := fmt.Sprint(inc.Warnings), fmt.Sprint(full.Warnings); a != f {
				t.Errorf("warnings\n%s\nwant, as a full build,\n%s", a, f)
			}
		})
	}
}

// An edit of a topic, entity or claim file re-reads that file only, as an
// article's does (at 10,000 articles a full load took half a second of every
// such save), and gives what a full build gives: pages, problems, and a
// broken file's problems without one for each article that names it.
func TestTopicEntityClaimEditsLoadIncrementally(t *testing.T) {
	const other = "content/articles/minister-meets-union.md"
	tests := []struct {
		name string
		edit func(t *testing.T, root string) []string // returns the changed paths
	}{
		{"topic overview", func(t *testing.T, root string) []string {
			rel := "content/topics/wages.md"
			testsite.Write(t, root, rel, testsite.Read(t, root, rel)+"\nThe offer was later raised.\n")
			return []string{rel}
		}},
		{"topic retitled", func(t *testing.T, root string) []string {
			rel := "content/topics/wages.md"
			testsite.Write(t, root, rel, strings.Replace(testsite.Read(t, root, rel), "title: Wages", "title: Pay", 1))
			return []string{rel}
		}},
		{"topic added", func(t *testing.T, root string) []string {
			rel := "content/topics/ferries.md"
			testsite.Write(t, root, rel, "---\ntitle: Ferries\n---\n\nThe ferries kept running.\n")
			return []string{rel}
		}},
		{"topic broken", func(t *testing.T, root string) []string {
			rel := "content/topics/wages.md"
			testsite.Write(t, root, rel, strings.Replace(testsite.Read(t, root, rel), "keywords: [wage,", "keywords: [wage, {a: b},", 1))
			return []string{rel}
		}},
		{"entity alias", func(t *testing.T, root string) []string {
			rel := "content/entities/calden.md"
			testsite.Write(t, root, rel, strings.Replace(testsite.Read(t, root, rel), "---\n", "---\naliases: [the port city]\n", 1))
			return []string{rel}
		}},
		{"claim removed", func(t *testing.T, root string) []string {
			rel := "content/claims/strike-turnout.md"
			if err := os.Remove(filepath.Join(root, rel)); err != nil {
				t.Fatal(err)
			}
			return []string{rel}
		}},
		// A file replaced by a folder of its name (rm, then mkdir, as a
		// script or a slip in a file manager does): the full load warns
		// that the folder is not read, and has no such topic or article.
		{"topic replaced by a folder", func(t *testing.T, root string) []string {
			return replaceByFolder(t, root, "content/topics/wages.md")
		}},
		{"article replaced by a folder", func(t *testing.T, root string) []string {
			return replaceByFolder(t, root, "content/articles/strike-spreads-to-rail.md")
		}},
		{"claim and article together", func(t *testing.T, root string) []string {
			rel := "content/claims/cargo-losses.md"
			testsite.Write(t, root, rel, strings.Replace(testsite.Read(t, root, rel), "Unverified estimate", "Disputed", 1))
			art := "content/articles/strike-spreads-to-rail.md"
			testsite.Write(t, root, art, testsite.Read(t, root, art)+"\nOne more paragraph.\n")
			return []string{rel, art}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := testsite.New(t)
			testsite.Unverify(t, root) // the test edits article text
			b := build.New(build.Options{Root: root})
			first := mustBuild(t, b, nil)
			inc, incErr := b.Build(context.Background(), tt.edit(t, root))
			full, fullErr := build.New(build.Options{Root: root}).Build(context.Background(), nil)
			if msg := compareBuilds(inc, incErr, full, fullErr); msg != "" {
				t.Fatal(msg)
			}
			if incErr != nil {
				t.Logf("both fail alike: %v", incErr)
				if n := len(diag.From(incErr, "").Errors()); tt.name == "topic broken" && n != 1 {
					t.Errorf("a broken topic gives %d errors, want its own only:\n%v", n, incErr)
				}
				return
			}
			if articleBySlug(first, path.Base(other)) != articleBySlug(inc, path.Base(other)) {
				t.Errorf("the articles were loaded again")
			}
		})
	}
}

// replaceByFolder removes the file rel and makes a folder of its name, and
// returns the changed path as the preview's watcher reports it.
func replaceByFolder(t *testing.T, root, rel string) []string {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(p, 0o755); err != nil {
		t.Fatal(err)
	}
	return []string{rel}
}

// The timeline, edited alone, is read again alone.
func TestTimelineEditLoadsIncrementally(t *testing.T) {
	const other = "content/articles/minister-meets-union.md"
	for _, tt := range []struct {
		name string
		edit func(text string) string
	}{
		{"event retitled", func(s string) string {
			return strings.Replace(s, "title: Strike begins", "title: The strike begins", 1)
		}},
		{"event added", func(s string) string {
			return s + "- date: 2024-04-01\n  title: Talks resume\n  articles: [minister-meets-union]\n"
		}},
		{"unknown article", func(s string) string {
			return strings.Replace(s, "articles: [minister-meets-union]", "articles: [minister-meets-unions]", 1)
		}},
		{"a bad date beside an unknown article", func(s string) string {
			s = strings.Replace(s, "date: 2024-03-04", "date: 2024-02-30", 1)
			return strings.Replace(s, "articles: [minister-meets-union]", "articles: [minister-meets-unions]", 1)
		}},
		{"removed", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := testsite.New(t)
			b := build.New(build.Options{Root: root})
			first := mustBuild(t, b, nil)
			if tt.edit == nil {
				if err := os.Remove(filepath.Join(root, "content", "timeline.yaml")); err != nil {
					t.Fatal(err)
				}
			} else {
				testsite.Write(t, root, "content/timeline.yaml", tt.edit(testsite.Read(t, root, "content/timeline.yaml")))
			}
			inc, incErr := b.Build(context.Background(), []string{"content/timeline.yaml"})
			full, fullErr := build.New(build.Options{Root: root}).Build(context.Background(), nil)
			if msg := compareBuilds(inc, incErr, full, fullErr); msg != "" {
				t.Fatal(msg)
			}
			if incErr == nil && articleBySlug(first, path.Base(other)) != articleBySlug(inc, path.Base(other)) {
				t.Errorf("the articles were loaded again")
			}
		})
	}
}
