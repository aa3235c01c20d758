package reader

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/ledongthuc/pdf"

	"github.com/dossier-news/dossier/internal/render"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/testsite"
	"github.com/dossier-news/dossier/internal/testtool"
	"github.com/dossier-news/dossier/internal/urls"
)

// pageType is one kind of page, by an example of it in the fixture.
type pageType struct {
	name string // for reports and screenshot files
	path string // under the base URL
}

// fixture builds and serves the engine's fixture dossier, with enough extra
// articles on one topic for a second page of it; or, when
// DOSSIER_READER_ROOT names a project (the bundled dossier: `DOSSIER_READER_ROOT=$PWD
// go test ./internal/reader`), that project as it is. It returns an example
// of every page type.
func fixture(t *testing.T) (*served, []pageType) {
	t.Helper()
	root := os.Getenv("DOSSIER_READER_ROOT")
	if root == "" {
		root = testsite.New(t)
		topic := testsite.Topics[1]
		for i := range render.PageSize + 1 {
			testsite.Write(t, root, fmt.Sprintf("content/articles/filler-%02d.md", i),
				testsite.Article(fmt.Sprintf("Filler report %d", i), "Varn Daily", 1+i%28, []string{topic}, fmt.Sprintf("Filler paragraph %d about the strike.", i)))
		}
	}
	s := serveBuild(t, root)
	g := s.res.Graph
	types := []pageType{{"home", ""}, {"article", s.article().Card.Path}}
	for _, a := range g.Articles {
		if a.Body.Provenance != nil && len(a.Body.Provenance.Passages) > 0 {
			types = append(types, pageType{"original", a.Card.Path + "original/"})
			break
		}
	}
	// The topic with most articles, and its second page where it has one.
	var topic *site.Topic
	for _, tp := range g.Topics {
		if topic == nil || len(tp.Items) > len(topic.Items) {
			topic = tp
		}
	}
	if topic != nil {
		types = append(types, pageType{"topic", topic.Ref.Path})
		if len(topic.Items) > render.PageSize {
			types = append(types, pageType{"topic-page-2", urls.Paged(topic.Ref.Path, 2)})
		} else if os.Getenv("DOSSIER_READER_ROOT") == "" {
			t.Fatal("the fixture has no topic page 2")
		}
	}
	types = append(types, pageType{"topics", urls.Topics})
	// The person named in most articles: their page shows who appears with them.
	var person *site.Entity
	for _, e := range g.Entities {
		if e.Ref.Kind == "person" && (person == nil || len(e.Mentions) > len(person.Mentions)) {
			person = e
		}
	}
	if person != nil {
		types = append(types, pageType{"person", person.Ref.Path}, pageType{"people", urls.Entities}, pageType{"connections", urls.Connections})
	}
	if len(g.Outlets) > 0 {
		types = append(types, pageType{"outlet", g.Outlets[0].Ref.Path})
	}
	types = append(types, pageType{"outlets", urls.Outlets})
	if len(g.Claims) > 0 {
		types = append(types, pageType{"claim", g.Claims[0].Ref.Path}, pageType{"claims", urls.Claims})
	}
	if len(g.Events) > 0 {
		types = append(types, pageType{"timeline", urls.Timeline})
	}
	types = append(types, pageType{"search", urls.Search}, pageType{"404", "no-such-page/"})
	for _, p := range types {
		if p.name != "404" && s.res.Site.Files[urls.File(p.path)] == nil {
			t.Fatalf("no %s page (%s)", p.name, p.path)
		}
	}
	if os.Getenv("DOSSIER_READER_ROOT") == "" && len(types) != 16 {
		t.Fatalf("the fixture lacks a page type: %v", types)
	}
	return s, types
}

// article returns the article with most notes, among those with a source URL
// when there are any.
func (s *served) article() *site.Article {
	var best *site.Article
	score := func(a *site.Article) int {
		n := 2 * len(a.Body.Notes)
		if a.Card.URL != "" {
			n += 1000
		}
		return n
	}
	for _, a := range s.res.Graph.Articles {
		if best == nil || score(a) > score(best) {
			best = a
		}
	}
	return best
}

// TestReaderPages checks every page type of the fixture in headless
// Chromium: no axe-core violation at 375 and 1280 px in light and dark (and
// a screenshot of each), previews by keyboard and mouse, margin notes beside
// their passages, and print.
func TestReaderPages(t *testing.T) {
	ctx := browser(t)
	s, types := fixture(t)

	t.Run("axe and screenshots", func(t *testing.T) {
		axe := axeSource(t)
		dir := screenshotDir(t)
		t.Logf("screenshots of every page type: %s", dir)
		counts := map[string][]int{}
		for _, v := range views {
			if err := chromedp.Do(ctx, emulate(v)); err != nil {
				t.Fatal(err)
			}
			for _, p := range types {
				open(t, ctx, s.base+p.path)
				if err := screenshot(ctx, filepath.Join(dir, fmt.Sprintf("%s-%d-%s.png", p.name, v.width, v.scheme))); err != nil {
					t.Errorf("screenshot of %s at %s: %v", p.name, v, err)
				}
				vs := runAxe(t, ctx, axe)
				counts[p.name] = append(counts[p.name], len(vs))
				for _, x := range vs {
					t.Errorf("%s (%s) at %s: %s [%s, %s]: %d element(s), first %s: %s", p.name, p.path, v, x.ID, x.Impact, x.Help, len(x.Nodes), x.Nodes[0].Target, x.Nodes[0].Summary)
				}
			}
		}
		var b strings.Builder
		for _, p := range types {
			fmt.Fprintf(&b, "\n  %-13s %v", p.name, counts[p.name])
		}
		t.Logf("axe-core violations per page type at %v:%s", views, b.String())
	})

	t.Run("previews", func(t *testing.T) { testPreviews(t, ctx, s) })
	t.Run("margin notes", func(t *testing.T) { testMarginNotes(t, ctx, s) })
	t.Run("print", func(t *testing.T) { testPrint(t, ctx, s) })
	t.Run("original's text isolated", func(t *testing.T) { testOriginalIsolated(t, ctx, s, types) })
}

// axeSource returns axe-core's script: $AXE_CORE_JS, else the copy .ci/run
// installs (npm's axe-core in the cache folder).
func axeSource(t *testing.T) string {
	t.Helper()
	p := os.Getenv("AXE_CORE_JS")
	if p == "" {
		cache, err := os.UserCacheDir()
		if err == nil {
			p = filepath.Join(cache, "dossier-axe", "node_modules", "axe-core", "axe.min.js")
		}
	}
	b, err := os.ReadFile(p)
	if err != nil {
		testtool.Missing(t, "axe-core, for the accessibility test", "npm install --prefix ~/.cache/dossier-axe axe-core (as .ci/run does), or set AXE_CORE_JS=/path/to/axe.min.js")
	}
	return string(b)
}

type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct{ Target, Summary string }
}

// axeTags are the rule sets checked: WCAG 2.0, 2.1 and 2.2 A and AA, and
// axe's best practices.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

func runAxe(t *testing.T, ctx context.Context, axe string) []axeViolation {
	t.Helper()
	tags, _ := json.Marshal(axeTags)
	raw := evalJS[json.RawMessage](t, ctx, axe+`;
(async () => {
	const r = await axe.run(document, {runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]});
	return r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: (n.failureSummary || "").replace(/\s+/g, " ")}))}));
})()`)
	var vs []axeViolation
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatalf("axe results: %v", err)
	}
	return vs
}

// hasCardJS defines cardOf(a): the card the page's preview data holds for
// link a, or null (the script's own lookup, restated).
const hasCardJS = `window.cardOf = (a) => {
	const d = document.getElementById("dossier-previews");
	if (!d || !a || !a.matches("a[href]") || a.closest("svg")) return null;
	const cards = JSON.parse(d.textContent), u = new URL(a.getAttribute("href"), location.href);
	if (u.origin !== location.origin || a.getAttribute("href").startsWith("#")) return null;
	return cards[u.pathname + u.hash] || (u.pathname !== location.pathname && cards[u.pathname]) || null;
}; true`

const cardJS = `document.getElementById("dossier-preview")`

func testPreviews(t *testing.T, ctx context.Context, s *served) {
	if err := chromedp.Do(ctx, emulate(view{1280, "light"})); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, s.base+s.article().Card.Path)
	evalJS[bool](t, ctx, hasCardJS)
	if n := evalJS[int](t, ctx, `[...document.querySelectorAll("main a[href]")].filter(cardOf).length`); n < 5 {
		t.Fatalf("only %d links of the article have a preview card", n)
	}

	// Keyboard: tab to the first link with a card; its card shows.
	tabTo := func(what string) string {
		t.Helper()
		for range 400 {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			if evalJS[bool](t, ctx, `!!cardOf(document.activeElement) && !!document.activeElement.closest("main")`) {
				return evalJS[string](t, ctx, `cardOf(document.activeElement)[1]`)
			}
		}
		t.Fatalf("no %s link with a card reached by the keyboard", what)
		return ""
	}
	title := tabTo("first")
	waitJS(t, ctx, fmt.Sprintf(`!!%s && !%s.hidden && %s.querySelector(".preview-title").textContent === %q`, cardJS, cardJS, cardJS, title), 3*time.Second)
	for _, check := range []struct{ what, expr string }{
		{"the card is a tooltip", cardJS + `.getAttribute("role") === "tooltip"`},
		{"the focused link is described by the card", `(document.activeElement.getAttribute("aria-describedby") || "").split(" ").includes("dossier-preview")`},
		{"focus stays on the link", `!` + cardJS + `.contains(document.activeElement) && document.activeElement.matches("a[href]")`},
		{"the card is on screen, below or above its link", `(() => { const c = ` + cardJS + `.getBoundingClientRect(), l = document.activeElement.getBoundingClientRect(); return c.width > 50 && c.left >= 0 && c.right <= innerWidth && (c.top >= l.bottom || c.bottom <= l.top); })()`},
		{"the card's text is text, not markup", `[...` + cardJS + `.querySelectorAll("*")].every(e => e.tagName === "P")`},
	} {
		if !evalJS[bool](t, ctx, check.expr) {
			t.Errorf("keyboard preview: %s: false", check.what)
		}
	}
	// Escape closes it; focus does not move.
	evalJS[bool](t, ctx, `window.__link = document.activeElement, true`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, cardJS+`.hidden`, 2*time.Second)
	if !evalJS[bool](t, ctx, `document.activeElement === window.__link && !(window.__link.getAttribute("aria-describedby") || "").includes("dossier-preview")`) {
		t.Error("after Escape, focus moved or the link is still described by the closed card")
	}
	// Moving focus on closes the card (or shows the next link's).
	tabTo("second")
	waitJS(t, ctx, `!`+cardJS+`.hidden`, 3*time.Second)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, cardJS+`.hidden || (cardOf(document.activeElement) && `+cardJS+`.querySelector(".preview-title").textContent === cardOf(document.activeElement)[1])`, 2*time.Second)

	// Mouse: hovering a link shows its card; moving away hides it.
	evalJS[bool](t, ctx, `document.activeElement.blur(), window.scrollTo(0, 0), true`)
	waitJS(t, ctx, cardJS+`.hidden`, 2*time.Second)
	type point struct{ X, Y float64 }
	at := evalJS[point](t, ctx, `(() => { const a = [...document.querySelectorAll(".body a[href]")].find(cardOf); a.scrollIntoView({block: "center"}); const r = a.getClientRects()[0]; window.__hover = a; return {X: r.left + 3, Y: r.top + r.height / 2}; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, at.X, at.Y)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `!`+cardJS+`.hidden && `+cardJS+`.querySelector(".preview-title").textContent === cardOf(window.__hover)[1]`, 3*time.Second)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 2, 2)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, cardJS+`.hidden`, 3*time.Second)

	// On its way from a link to the link's card the pointer crosses another
	// link (a quick, slanting move). The card it reaches stays; the card of
	// the link crossed does not replace it SHOW_DELAY later (found by testing
	// at a reader's pace: it did, under the pointer, and then stayed when the
	// pointer left).
	at2 := evalJS[[2]point](t, ctx, `(() => { const [a, b] = [...document.querySelectorAll(".body a[href]")].filter(cardOf).filter((x, i, all) => all.findIndex(y => cardOf(y)[1] === cardOf(x)[1]) === i);
		a.scrollIntoView({block: "center"}); window.__hover = a; const r = a.getClientRects()[0], q = b.getClientRects()[0];
		return [{X: r.left + 3, Y: r.top + r.height / 2}, {X: q.left + 3, Y: q.top + q.height / 2}]; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, at2[0].X, at2[0].Y)); err != nil {
		t.Fatal(err)
	}
	onHovered := `!` + cardJS + `.hidden && ` + cardJS + `.querySelector(".preview-title").textContent === cardOf(window.__hover)[1]`
	waitJS(t, ctx, onHovered, 3*time.Second)
	onCard := evalJS[point](t, ctx, `(() => { const r = `+cardJS+`.getBoundingClientRect(); return {X: r.left + r.width / 2, Y: r.top + r.height / 2}; })()`)
	for _, p := range []point{at2[1], onCard} {
		if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, p.X, p.Y)); err != nil {
			t.Fatal(err)
		}
	}
	// The reader reads the card for longer than SHOW_DELAY (350 ms), then
	// moves the pointer on it: a pause before an action, as a reader's.
	time.Sleep(700 * time.Millisecond)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, onCard.X+2, onCard.Y)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, onHovered, 2*time.Second)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 2, 2)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, cardJS+`.hidden`, 3*time.Second)

	// Reduced motion: the card appears without animation.
	if err := chromedp.Do(ctx, emulate(view{1280, "light"}, &emulation.MediaFeature{Name: "prefers-reduced-motion", Value: "reduce"})); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, s.base+s.article().Card.Path)
	evalJS[bool](t, ctx, hasCardJS)
	tabTo("first")
	waitJS(t, ctx, `!`+cardJS+`.hidden`, 3*time.Second)
	if a := evalJS[string](t, ctx, `getComputedStyle(`+cardJS+`).animationName`); a != "none" {
		t.Errorf("with prefers-reduced-motion: reduce, the card is animated (%s)", a)
	}
	if err := chromedp.Do(ctx, emulate(view{1280, "light"})); err != nil {
		t.Fatal(err)
	}
}

// testMarginNotes checks, at 1280 px, that every margin note of every
// article sits beside its passage: never above it, and no lower than the
// note before it pushes it; and that a note's number is followed by
// punctuation without a gap ("February 2, on", not "February 2 , on").
func testMarginNotes(t *testing.T, ctx context.Context, s *served) {
	if err := chromedp.Do(ctx, emulate(view{1280, "light"})); err != nil {
		t.Fatal(err)
	}
	type note struct {
		ID                  string
		Float               string
		Top, Bottom, MT, MB float64
		First, Last         float64  // tops of the passage's first and last line boxes
		Gap                 *float64 // from the number to punctuation right after it
	}
	checked, punctuated := 0, 0
	for _, a := range s.res.Graph.Articles {
		if len(a.Body.Notes) == 0 {
			continue
		}
		slug := a.Card.Slug
		open(t, ctx, s.base+a.Card.Path)
		notes := evalJS[[]note](t, ctx, `(() => { const gap = (n) => {
			const after = n.nextSibling, num = n.parentNode.querySelector("label[for='" + n.id.replace(/-n$/, "-t") + "']");
			if (!after || after.nodeType !== 3 || !/^[,.;:!?)’”"]/.test(after.data) || !num) return null;
			const p = document.createRange(), d = document.createRange();
			p.setStart(after, 0), p.setEnd(after, 1), d.selectNodeContents(num);
			return p.getBoundingClientRect().left - d.getBoundingClientRect().right;
		};
		return [...document.querySelectorAll(".body .note")].map(n => {
			const m = document.getElementById(n.id.replace(/-n$/, "")), rs = m.getClientRects(), r = n.getBoundingClientRect(), cs = getComputedStyle(n);
			return {id: n.id, float: cs.float, top: r.top + scrollY, bottom: r.bottom + scrollY, mt: parseFloat(cs.marginTop), mb: parseFloat(cs.marginBottom),
				first: rs[0].top + scrollY, last: rs[rs.length - 1].top + scrollY, gap: gap(n)};
		}); })()`)
		if len(notes) == 0 {
			t.Errorf("%s: no margin notes", slug)
		}
		prev := -1e9 // where the note before ends, with its margin
		for _, n := range notes {
			checked++
			const tol = 2 // px: rounding, and a line box's top above its text
			switch {
			case n.Float != "right" && n.Float != "inline-end": // inline-end: the right in a left-to-right page
				t.Errorf("%s #%s: the note is not in the margin (float %q)", slug, n.ID, n.Float)
			case n.Top < n.First-n.MT-tol:
				t.Errorf("%s #%s: the note (top %.0f) sits above its passage (top %.0f)", slug, n.ID, n.Top, n.First)
			case n.Top-n.MT > max(n.Last, prev)+tol:
				t.Errorf("%s #%s: the note (top %.0f) sits lower than its passage (last line %.0f) and the note before (ending %.0f) put it", slug, n.ID, n.Top, n.Last, prev)
			}
			prev = n.Bottom + n.MB
			if n.Gap != nil && *n.Gap > 0.5 {
				t.Errorf("%s #%s: a gap of %.1f px between the note's number and the punctuation after it", slug, n.ID, *n.Gap)
			}
			if n.Gap != nil {
				punctuated++
			}
		}
	}
	t.Logf("%d margin notes beside their passages; %d numbers followed by punctuation, with no gap", checked, punctuated)
	if punctuated == 0 && os.Getenv("DOSSIER_READER_ROOT") == "" {
		t.Error("no note number followed by punctuation in the fixture: the gap is not checked")
	}
}

// testPrint prints an article to PDF and reads the PDF's text: the article
// text first, then its notes as numbered footnotes (each once), external
// links with their URL, and no site header, navigation or footer.
func testPrint(t *testing.T, ctx context.Context, s *served) {
	if err := chromedp.Do(ctx, emulate(view{1280, "light"})); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, s.base+s.article().Card.Path)
	type texts struct {
		Last   string   // the start of the article's last paragraph
		Notes  []string // each note's text, in number order
		Source string   // the original's URL
		Site   string   // the site's title, in the header and footer
	}
	want := evalJS[texts](t, ctx, `(() => {
		const text = (e) => { const c = e.cloneNode(true); c.querySelectorAll(".note, .note-ref, input").forEach(x => x.remove()); return c.textContent; };
		const ps = document.querySelectorAll(".body > p");
		const notes = [...document.querySelectorAll(".body .note")].sort((a, b) => +a.querySelector(".note-num").textContent - +b.querySelector(".note-num").textContent)
			.map(n => n.querySelector(".p") ? n.querySelector(".p").textContent : "");
		return {last: text(ps[ps.length - 1]).slice(0, 40), notes, source: (document.querySelector('.meta a[href^="http"]') || {}).href || "", site: document.querySelector(".brand").textContent};
	})()`)
	if len(want.Notes) == 0 || want.Source == "" && os.Getenv("DOSSIER_READER_ROOT") == "" {
		t.Fatalf("the article lacks notes or a source URL: %+v", want)
	}
	data, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if err != nil {
		t.Fatalf("printing to PDF: %v", err)
	}
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("reading the PDF: %v", err)
	}
	tr, err := r.GetPlainText()
	if err != nil {
		t.Fatalf("reading the PDF's text: %v", err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(tr)
	got := squash(buf.String())
	t.Logf("printed %d pages, %d bytes of PDF, %d characters of text", r.NumPage(), len(data), len(got))

	end := strings.Index(got, squash(want.Last))
	if end < 0 {
		t.Fatalf("the article's last paragraph (%q) is not in the PDF:\n%s", want.Last, got)
	}
	at := end
	for i, n := range want.Notes {
		sn := squash(n)
		if len([]rune(sn)) > 40 {
			sn = string([]rune(sn)[:40])
		}
		k := strings.Index(got, sn)
		switch {
		case k < 0:
			t.Errorf("note %d (%q) is not in the PDF", i+1, n)
		case strings.Count(got, sn) != 1:
			t.Errorf("note %d is printed %d times, want once, as a footnote", i+1, strings.Count(got, sn))
		case k < at:
			t.Errorf("note %d is printed before the article's end or the note before it", i+1)
		default:
			at = k
		}
	}
	if want.Source != "" && !strings.Contains(got, squash(want.Source)) {
		t.Errorf("the original's URL %s is not printed", want.Source)
	}
	if strings.Contains(got, squash(want.Site)) {
		t.Errorf("the site header or footer (%q) is printed", want.Site)
	}
	for _, furniture := range []string{"Skip to content", "Search"} {
		if strings.Contains(got, squash(furniture)) {
			t.Errorf("%q is printed", furniture)
		}
	}
}

// squash keeps the letters of s, lowercased: PDF text extraction spaces
// words and lines its own way, and note numbers land among the words.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// testOriginalIsolated checks that the comparison page shows the original's
// text (and the article page its removed passages) as bidi isolates: a
// right-to-left override in scraped text must not reorder the editors'
// labels beside it (found by hostile testing).
func testOriginalIsolated(t *testing.T, ctx context.Context, s *served, types []pageType) {
	for _, p := range types {
		if p.name != "original" {
			continue
		}
		for _, path := range []string{p.path, strings.TrimSuffix(p.path, "original/")} {
			open(t, ctx, s.base+path)
			got := evalJS[[]string](t, ctx, `[...document.querySelectorAll(".orig-text del, .orig-text .why, .removed-list q, .removed-list .why, .provenance q, .provenance .why")].filter(e => getComputedStyle(e).unicodeBidi !== "isolate").map(e => e.outerHTML.slice(0, 80))`)
			n := evalJS[int](t, ctx, `document.querySelectorAll(".orig-text del, .removed-list q, .provenance q").length`)
			if n == 0 {
				t.Errorf("%s: no removed passage to check", path)
			}
			for _, e := range got {
				t.Errorf("%s: not isolated: %s", path, e)
			}
		}
		return
	}
	t.Fatal("no original page among the page types")
}
