package reader

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/dossier-news/dossier/internal/testsite"
	"github.com/dossier-news/dossier/internal/urls"
)

// Text in other scripts than the site's: a Hebrew, an Arabic and a Japanese
// article, and an unbreakable word, added to the fixture.
const (
	hebrewTitle = "שביתה בנמל קלדן: הפועלים יוצאים!"
	hebrewLede  = "כתבה בעברית על השביתה, עם סימני פיסוק בסוף."
	hebrewPara  = "הפועלים יצאו לשביתה ביום שני, והנמל נסגר."
	arabicPara  = "هذه فقرة باللغة العربية عن الإضراب في الميناء."
	longWord    = "Averyveryverylongwordwithoutanybreakopportunityatallthatnarrowscreenscannotfitinthecolumn"
)

func scriptsFixture(t *testing.T) *served {
	t.Helper()
	root := testsite.New(t)
	he := testsite.Article(hebrewTitle, "Varn Daily", 5, []string{testsite.Topics[1]}, hebrewPara+"\n\n"+arabicPara+"\n\nIn English, then one word: "+longWord+".")
	he = replaceSummary(t, he, hebrewLede)
	testsite.Write(t, root, "content/articles/hebrew.md", he)
	testsite.Write(t, root, "content/articles/japanese.md", testsite.Article("カルデン港のストライキ、三日目に入る", "Varn Daily", 6, []string{testsite.Topics[1]},
		"港湾労働者のストライキは三日目に入った。組合と経営者の交渉は月曜日に再開される予定だが、合意の見通しは立っていない。港には貨物船が十隻以上停泊している。"))
	testsite.Write(t, root, "content/articles/table.md", testsite.Article("Cargo by port", "Varn Daily", 7, []string{testsite.Topics[1]}, wideTable))
	return serveBuild(t, root)
}

// wideTable is a Markdown table wider than a phone.
const wideTable = `| Port | Ships waiting | Containers | Tonnage | Average delay (days) | Operator | Notes from the harbour master |
|------|---:|---:|---:|:-:|------|------|
| Calden | 12 | 4,300 | 120,000 | 3.5 | Calden Port Authority International Holdings | Congestion expected to last through the weekend |
| Varn | 4 | 1,200 | 40,000 | 1.0 | Varn Harbour Co. | Normal |
`

// replaceSummary sets the summary line of an article made by testsite.Article.
func replaceSummary(t *testing.T, src, summary string) string {
	t.Helper()
	const key = "\nsummary: "
	i := strings.Index(src, key)
	if i < 0 {
		t.Fatal("no summary line")
	}
	j := i + len(key) + strings.Index(src[i+len(key):], "\n")
	return src[:i] + key + `"` + summary + `"` + src[j:]
}

// rtlJS reports how an element's text ending in punctuation is laid out:
// whether its last character (the punctuation) sits left of the letter
// before it, as it does when the text reads right to left, and the gap
// between the text's right end and the element's (0 when right-aligned).
const rtlJS = `((el) => {
	if (!el) return {found: false};
	const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
	let last = null; for (let n; (n = walker.nextNode());) if (n.data.trim()) last = n;
	const d = last.data.replace(/\s+$/, ""), k = d.length;
	const rect = (i) => { const r = document.createRange(); r.setStart(last, i); r.setEnd(last, i + 1); return r.getBoundingClientRect(); };
	const p = rect(k - 1), l = rect(k - 2), box = el.getBoundingClientRect();
	const r = document.createRange(); r.selectNodeContents(el);
	return {found: true, punctLeft: p.right <= l.left + 1, rightGap: box.right - Math.max(...[...r.getClientRects()].map(x => x.right))};
})`

// TestReaderScripts checks pages with right-to-left and CJK text at 375 px:
// a Hebrew or Arabic title, lede or paragraph reads right to left (its
// final punctuation at its left end, the text against the right edge), a
// Hebrew title in a list of English ones does so too without reordering
// the English beside it, and no page scrolls sideways because of a long
// word or a wide table, which scrolls in a box of its own (found by hostile
// testing: all of it was laid out left to right, "!" and "." at the wrong
// end, and the word and the table widened the page).
func TestReaderScripts(t *testing.T) {
	ctx := browser(t)
	s := scriptsFixture(t)
	if err := chromedp.Do(ctx, emulate(view{375, "light"})); err != nil {
		t.Fatal(err)
	}
	type layout struct {
		Found     bool
		PunctLeft bool
		RightGap  float64
	}
	check := func(where, sel string, aligned bool) {
		t.Helper()
		got := evalJS[layout](t, ctx, rtlJS+`(`+sel+`)`)
		switch {
		case !got.Found:
			t.Errorf("%s: no element %s", where, sel)
		case !got.PunctLeft:
			t.Errorf("%s: %s is laid out left to right (its final punctuation right of its last letter)", where, sel)
		case aligned && got.RightGap > 2:
			t.Errorf("%s: %s is not aligned right (%.0f px from the right edge)", where, sel, got.RightGap)
		}
	}
	article := s.base + "articles/hebrew/"
	open(t, ctx, article)
	check("article", `document.querySelector("h1")`, true)
	check("article", `document.querySelector(".lede")`, true)
	check("article", `[...document.querySelectorAll(".body p")].find(p => p.textContent.startsWith("הפועלים"))`, true)
	check("article", `[...document.querySelectorAll(".body p")].find(p => p.textContent.startsWith("هذه"))`, true)

	for _, p := range []string{"", "topics/" + testsite.Topics[1] + "/", "articles/japanese/"} {
		open(t, ctx, s.base+p)
		check("/"+p, `[...document.querySelectorAll("main a")].find(a => a.textContent.trim() === "`+hebrewTitle+`")`, false)
		// The English list item around the title stays left to right.
		if gap := evalJS[float64](t, ctx, `(() => { const a = [...document.querySelectorAll("main li a, main h3 a")].find(a => a.textContent.trim() === "`+hebrewTitle+`");
			const b = a.closest("li, h3").getBoundingClientRect(), r = a.getBoundingClientRect(); return r.left - b.left; })()`); gap > 2 {
			t.Errorf("/%s: the Hebrew title's list item is laid out right to left (the title %.0f px from its left edge)", p, gap)
		}
	}

	for _, p := range []string{"", "articles/hebrew/", "articles/japanese/", "articles/table/", "topics/" + testsite.Topics[1] + "/", "outlets/", "search/?q=strike"} {
		open(t, ctx, s.base+p)
		if w := evalJS[[]float64](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); w[0] > w[1] {
			t.Errorf("/%s at 375 px: the page is %.0f px wide, wider than the window (%.0f px)", p, w[0], w[1])
		}
	}
	// The article's table scrolls in a box of its own, which the keyboard
	// reaches (to scroll it with the arrow keys).
	open(t, ctx, article+"../table/")
	if box := evalJS[string](t, ctx, `(() => { const t = document.querySelector(".body table"), b = t && t.parentElement;
		if (!b) return "no table";
		const cs = getComputedStyle(b);
		return cs.overflowX + " " + b.tabIndex + " " + (b.scrollWidth > b.clientWidth); })()`); box != "auto 0 true" {
		t.Errorf("the article's wide table: its box (overflow, tabindex, wider than the box) is %q, want \"auto 0 true\"", box)
	}
}

// TestClaimsMatrixFitsAPhone checks the claims page at phone widths, where
// the matrix is one card per claim: every "reported" link fits in its card,
// and the table needs no sideways scrolling (found by hostile testing: the
// links did not wrap, "✓ reported 7 May 2013" was cut at the card's edge
// at 375 px).
func TestClaimsMatrixFitsAPhone(t *testing.T) {
	ctx := browser(t)
	s := serveBuild(t, testsite.New(t))
	for _, w := range []int64{320, 375} {
		if err := chromedp.Do(ctx, emulate(view{w, "light"})); err != nil {
			t.Fatal(err)
		}
		open(t, ctx, s.base+"claims/")
		type cut struct {
			Text        string
			Right, Edge float64
		}
		links := evalJS[int](t, ctx, `document.querySelectorAll(".claim-matrix td.yes a").length`)
		if links == 0 {
			t.Fatal("no reported link in the fixture's claims matrix")
		}
		for _, c := range evalJS[[]cut](t, ctx, `[...document.querySelectorAll(".claim-matrix td a")].map(a => {
			const tr = a.closest("tr"), cs = getComputedStyle(tr);
			return {text: a.textContent, right: a.getBoundingClientRect().right, edge: tr.getBoundingClientRect().right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth)};
		}).filter(c => c.right > c.edge + 0.5)`) {
			t.Errorf("at %d px: %q ends at %.0f px, past its card's content edge (%.0f px)", w, c.Text, c.Right, c.Edge)
		}
		if sw := evalJS[[]float64](t, ctx, `(() => { const e = document.querySelector(".table-wrap"); return [e.scrollWidth, e.clientWidth]; })()`); sw[0] > sw[1] {
			t.Errorf("at %d px: the claims table scrolls sideways (%.0f px in %.0f px)", w, sw[0], sw[1])
		}
	}
}

// TestReaderFits320 opens every page type at 320 px (a small phone, or a
// larger one with the text enlarged): none is wider than the window (found
// by hostile testing: the search page's box did not shrink, and its button
// stuck out 35 px).
func TestReaderFits320(t *testing.T) {
	ctx := browser(t)
	s, types := fixture(t)
	if err := chromedp.Do(ctx, emulate(view{320, "light"})); err != nil {
		t.Fatal(err)
	}
	for _, p := range append(types, pageType{"search with a query", urls.Search + "?q=strike"}) {
		open(t, ctx, s.base+p.path)
		w := evalJS[[]float64](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
		if w[0] > w[1] {
			wide := evalJS[[]string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && !e.closest(".visually-hidden, .skip-link")).slice(0, 3).map(e => e.outerHTML.slice(0, 80))`)
			t.Errorf("%s (%s) at 320 px: the page is %.0f px wide, wider than the window (%.0f px): %q", p.name, p.path, w[0], w[1], wide)
		}
	}
}

// TestPrintFitsThePage lays out every page type for print at the width of
// an A4 page inside Chromium's default margins (718 CSS px): nothing is
// wider than the page, and no box that scrolls on screen cuts off part of
// its content, as paper cannot scroll (found by hostile testing: the claims
// matrix printed its first columns only, the verdicts cut off).
func TestPrintFitsThePage(t *testing.T) {
	ctx := browser(t)
	s, types := fixture(t)
	const a4 = 718
	for _, p := range types {
		if err := chromedp.Do(ctx, emulate(view{a4, "light"})); err != nil {
			t.Fatal(err)
		}
		open(t, ctx, s.base+p.path)
		err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}))
		if err != nil {
			t.Fatal(err)
		}
		if !evalJS[bool](t, ctx, `matchMedia("print").matches`) {
			t.Fatal("print media not emulated")
		}
		// (A box 1 px wide is visually hidden: its clipping is meant.)
		for _, x := range evalJS[[]string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => {
			const cs = getComputedStyle(e);
			return cs.display !== "none" && cs.overflowX !== "visible" && e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 1 && e.getClientRects().length > 0;
		}).map(e => e.outerHTML.slice(0, 60) + " (" + e.scrollWidth + " px in " + e.clientWidth + ")")`) {
			t.Errorf("%s (%s) printed: a box cuts off its content: %s", p.name, p.path, x)
		}
		if w := evalJS[[]float64](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); w[0] > w[1] {
			t.Errorf("%s (%s) printed: %.0f px wide, wider than the page (%.0f px)", p.name, p.path, w[0], w[1])
		}
	}
}

// TestReaderRightToLeftSite builds the fixture as a Hebrew site (language:
// he): its pages are right to left (dir="rtl"), the margin notes sit in the
// left margin, beside the text and within the window, and no page scrolls
// sideways at 375 or 1280 px, and the pictures, drawn left to right, keep
// their labels inside them (found by hostile testing: the pages said
// lang="he" but were laid out left to right, the notes in the right margin;
// laid out right to left, the outlets' names went off the pictures' left
// edge, and "← Older" pointed into the page).
func TestReaderRightToLeftSite(t *testing.T) {
	ctx := browser(t)
	root := testsite.New(t)
	cfg := testsite.Read(t, root, "content/dossier.yaml")
	if !strings.Contains(cfg, "\nlanguage: en\n") {
		t.Fatal("the fixture's dossier.yaml has no line language: en")
	}
	testsite.Write(t, root, "content/dossier.yaml", strings.Replace(cfg, "\nlanguage: en\n", "\nlanguage: he\n", 1))
	s := serveBuild(t, root)
	article := s.article()
	if len(article.Body.Notes) == 0 {
		t.Fatal("no article with notes in the fixture")
	}
	for _, v := range []view{{1280, "light"}, {375, "light"}} {
		if err := chromedp.Do(ctx, emulate(v)); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"", article.Card.Path, article.Card.Path + "original/", urls.Timeline, urls.Claims, urls.Search + "?q=strike"} {
			open(t, ctx, s.base+p)
			if d := evalJS[string](t, ctx, `document.documentElement.dir + " " + getComputedStyle(document.body).direction`); d != "rtl rtl" {
				t.Errorf("/%s: dir and direction %q, want rtl", p, d)
			}
			if w := evalJS[[]float64](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); w[0] > w[1] {
				t.Errorf("/%s at %s: the page is %.0f px wide, wider than the window (%.0f px)", p, v, w[0], w[1])
			}
		}
		// An arrow beside "Older", "Newer" or "Back" points the way the
		// page reads: mirrored.
		for _, p := range []string{article.Card.Path, article.Card.Path + "original/"} {
			open(t, ctx, s.base+p)
			arrows := evalJS[[]string](t, ctx, `(() => { const out = [], w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
				for (let n; (n = w.nextNode());) if (/[←→]/.test(n.data)) out.push(n.parentElement.textContent.trim() + ": " + getComputedStyle(n.parentElement).transform);
				return out; })()`)
			if len(arrows) == 0 {
				t.Errorf("/%s: no arrow to check", p)
			}
			for _, a := range arrows {
				if !strings.Contains(a, "matrix(-1, 0, 0, 1, 0, 0)") {
					t.Errorf("/%s: the arrow is not mirrored on a right-to-left page: %s", p, a)
				}
			}
		}
		// The pictures (drawn left to right, as time runs) keep their
		// labels inside them.
		for _, p := range []string{"", urls.Timeline, urls.Connections} {
			open(t, ctx, s.base+p)
			for _, out := range evalJS[[]string](t, ctx, `[...document.querySelectorAll("svg.picture text")].filter(e => {
				const r = e.getBoundingClientRect(), box = e.closest("svg").getBoundingClientRect();
				return e.textContent.trim() && (r.left < box.left - 1 || r.right > box.right + 1);
			}).map(e => e.textContent)`) {
				t.Errorf("/%s at %s: the picture's label %q is drawn outside it", p, v, out)
			}
		}
		if v.width < 1280 {
			continue
		}
		open(t, ctx, s.base+article.Card.Path)
		type note struct {
			ID                    string
			Left, Right, TextLeft float64
		}
		for _, n := range evalJS[[]note](t, ctx, `[...document.querySelectorAll(".body .note")].map(n => {
			const r = n.getBoundingClientRect(), p = n.closest("p").getBoundingClientRect();
			return {id: n.id, left: r.left, right: r.right, textLeft: p.left};
		})`) {
			if n.Left < 0 || n.Right > n.TextLeft {
				t.Errorf("#%s at %s: the note spans %.0f–%.0f px, not in the left margin (the text starts at %.0f px)", n.ID, v, n.Left, n.Right, n.TextLeft)
			}
		}
	}
}

// TestControlsStandOut checks, in light and dark, that the boundary of
// each text box (the header's search box, the search page's) contrasts
// with what is around it by at least 3:1 (WCAG 1.4.11, which axe-core does
// not check): a box that cannot be told from the page is not seen as a box
// (found by hostile testing: the header's search box had a border of the
// rule colour, 1.3:1 in light and 1.5:1 in dark).
func TestControlsStandOut(t *testing.T) {
	ctx := browser(t)
	s := serveBuild(t, testsite.New(t))
	for _, v := range []view{{1280, "light"}, {1280, "dark"}} {
		if err := chromedp.Do(ctx, emulate(v)); err != nil {
			t.Fatal(err)
		}
		open(t, ctx, s.base+urls.Search)
		type box struct {
			ID    string
			Ratio float64
		}
		boxes := evalJS[[]box](t, ctx, `(() => {
			const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
			const lum = (c) => { const [r, g, b] = rgb(c).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
			const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
			const bg = (e) => { for (let p = e.parentElement; p; p = p.parentElement) { const c = getComputedStyle(p).backgroundColor; if (!/rgba\(.*, 0\)$/.test(c) && c !== "transparent") return c; } return "rgb(255, 255, 255)"; };
			return [...document.querySelectorAll("input[type=search]")].map(e => {
				const cs = getComputedStyle(e);
				return {id: e.id, ratio: Math.max(ratio(cs.borderTopColor, bg(e)), ratio(cs.backgroundColor, bg(e)))};
			});
		})()`)
		if len(boxes) < 2 {
			t.Fatalf("at %s: %d search boxes on the search page, want the header's and the page's", v, len(boxes))
		}
		for _, b := range boxes {
			if b.Ratio < 3 {
				t.Errorf("at %s: the search box #%s stands out from the page by %.2f:1, want 3:1", v, b.ID, b.Ratio)
			}
		}
	}
}

// TestPagerNewerOnTheRight checks every article's previous/next links at
// 375 and 1280 px: "Older" at the line's start, "Newer" at its end, its
// text against that end, also on the oldest article, which has no Older
// link (found by hostile testing: there "Newer →" stood on the left, where
// "Older" goes, and elsewhere its text began mid-line).
func TestPagerNewerOnTheRight(t *testing.T) {
	ctx := browser(t)
	s := serveBuild(t, testsite.New(t))
	for _, v := range []view{{375, "light"}, {1280, "light"}} {
		if err := chromedp.Do(ctx, emulate(v)); err != nil {
			t.Fatal(err)
		}
		newer := 0
		for _, a := range s.res.Graph.Articles {
			open(t, ctx, s.base+a.Card.Path)
			gap := evalJS[float64](t, ctx, `(() => { const n = document.querySelector(".pager a[rel=next]"); if (!n) return -1;
				const r = document.createRange(); r.selectNodeContents(n); const text = Math.max(...[...r.getClientRects()].map(x => x.right));
				return document.querySelector(".pager").getBoundingClientRect().right - text; })()`)
			if gap < 0 {
				continue
			}
			newer++
			if gap > 1 {
				t.Errorf("%s at %s: the Newer link's text ends %.0f px before the line's end", a.Card.Slug, v, gap)
			}
			// "← Older" and "Newer →" are each one line, arrow and word.
			for _, l := range evalJS[[]string](t, ctx, `[...document.querySelectorAll(".pager a > span")].filter(s => s.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(s).fontSize)).map(s => s.textContent)`) {
				t.Errorf("%s at %s: the pager's label %q is on more than one line", a.Card.Slug, v, l)
			}
		}
		if newer == 0 {
			t.Fatal("no article with a Newer link")
		}
	}
}

// TestSearchWithoutJavaScript opens the search page with scripts off: it
// says that search needs JavaScript and where to browse instead, and does
// not offer the "/" shortcut, which needs a script (found by hostile
// testing: it said "Press / on any page to search", which did nothing).
func TestSearchWithoutJavaScript(t *testing.T) {
	ctx := browser(t)
	s := serveBuild(t, testsite.New(t))
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{urls.Search, urls.Search + "?q=strike"} {
		open(t, ctx, s.base+p)
		text := evalJS[string](t, ctx, `document.querySelector("main").innerText`)
		if !strings.Contains(text, "Search needs JavaScript") {
			t.Errorf("/%s without JavaScript does not say that search needs it:\n%s", p, text)
		}
		if strings.Contains(text, "Press /") {
			t.Errorf("/%s without JavaScript offers the / shortcut:\n%s", p, text)
		}
	}
}
