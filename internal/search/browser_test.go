package search_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/search"
	"github.com/dossier-news/dossier/internal/testsite"
	"github.com/dossier-news/dossier/internal/testtool"
)

// serveSite serves a built site under its base path.
func serveSite(t *testing.T, s *output.Site) string {
	return serveSites(t, func() *output.Site { return s }, nil)
}

// serveSites serves the site current returns at each request, under its
// base path, until the test ends, and returns its URL. hook, when set, sees
// each request's path first, and answers it itself when it returns true (a
// server's failure), or sets headers.
func serveSites(t *testing.T, current func() *output.Site, hook func(w http.ResponseWriter, p string) bool) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := current()
		p := strings.TrimPrefix(r.URL.Path, s.BasePath)
		if p == "" || strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		if hook != nil && hook(w, p) {
			return
		}
		f, ok := s.Files[p]
		if !ok || !strings.HasPrefix(r.URL.Path, s.BasePath) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f.ContentType())
		w.Write(f.Data)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + current().BasePath
}

// searchTab is a headless Chromium tab for a search test, closed when the
// test ends (skipping the test, or failing it with CI set, without one).
func searchTab(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chrome := testtool.Chromium(t, "the search page's browser test")
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), testtool.HeadlessOptions(t, chrome, 1100, 800)...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// waitSearchStatus waits until the search page's status line starts with
// want, and fails the test when it does not within 10 s.
func waitSearchStatus(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("search-status").textContent`))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(status, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("status %q, want %q", status, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// buildSite builds the project at root in memory.
func buildSite(t *testing.T, root string) *output.Site {
	t.Helper()
	res, err := build.New(build.Options{Root: root}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.Site
}

// searchProject is the fixture plus a few hundred generated articles, so
// that the index has many chunks and a query must fetch only some.
func searchProject(t *testing.T) (string, *build.Result) {
	t.Helper()
	root := t.TempDir()
	if err := testsite.GenerateCorpus(root, 300, 3); err != nil {
		t.Fatal(err)
	}
	if err := testsite.CopyTo(root); err != nil {
		t.Fatal(err)
	}
	// Hostile text in a title must reach the page as text.
	testsite.Write(t, root, "content/articles/hostile.md", testsite.Article(`Quayside </script><img src=x onerror="window.__pwned=1"> memo`, "Calden Herald", 20, []string{"strike"}, "A memo about the quayside cranes."))
	// A long paragraph without spaces (Japanese) whose match is far in.
	testsite.Write(t, root, "content/articles/tokyo.md", testsite.Article("Osaka notice", "Calden Herald", 22, []string{"strike"}, strings.Repeat("大阪、", 150)+"東京で会議。"))
	// Only inflected forms: a query of the base form must still find them.
	testsite.Write(t, root, "content/articles/inflected.md", testsite.Article("Tidewater notice", "Calden Herald", 21, []string{"strike"}, "Lorries were barricading the tidewater sandbanks and embankments."))
	res, err := build.New(build.Options{Root: root, BaseURL: "http://127.0.0.1/calden/"}).Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return root, res
}

type rootFile struct {
	B []string `json:"b"`
	C []string `json:"c"`
}

func readRoot(t *testing.T, s *output.Site) rootFile {
	t.Helper()
	var p struct{ Root string }
	if err := json.Unmarshal(s.Files["search/index.json"].Data, &p); err != nil {
		t.Fatal(err)
	}
	var r rootFile
	if err := json.Unmarshal(s.Files["search/"+p.Root].Data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// chunkFor is the chunk the browser must fetch for a folded word.
func (r rootFile) chunkFor(w string) string {
	i := sort.Search(len(r.B), func(i int) bool { return r.B[i] > w }) - 1
	return r.C[i]
}

// TestBrowserSearch types queries into the real search page in headless
// Chromium and checks what readers see and what the browser fetched.
func TestBrowserSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chrome := testtool.Chromium(t, "the search page's browser test")
	_, res := searchProject(t)
	base := serveSite(t, res.Site)
	root := readRoot(t, res.Site)
	if len(root.C) < 4 {
		t.Fatalf("the test index has %d chunks: too few to tell whether a query fetches only its own", len(root.C))
	}

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), testtool.HeadlessOptions(t, chrome, 1100, 800)...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	var mu sync.Mutex
	var requests, problems []string
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, strings.TrimPrefix(e.Request.URL, base))
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == "exception" || m.Type == "error" {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string, out any) {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr))
		if err == nil {
			err = json.Unmarshal(v, out)
		}
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
	}
	waitFor := func(expr string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")")); err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("not true within 10s: %s", expr)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	takeRequests := func() []string {
		mu.Lock()
		defer mu.Unlock()
		r := requests
		requests = nil
		return r
	}
	// query opens the search page for q and waits for its results.
	type result struct {
		Title, Href, Meta, Snippet string
		Marks                      []string
	}
	results := func() []result {
		var rs []result
		eval(`Array.from(document.querySelectorAll("#search-results > li")).map(li => ({
			Title: li.querySelector("h2 a").textContent, Href: li.querySelector("h2 a").getAttribute("href"),
			Meta: li.querySelector(".meta").textContent, Snippet: li.querySelector(".snippet").textContent,
			Marks: Array.from(li.querySelectorAll("mark")).map(m => m.textContent)}))`, &rs)
		return rs
	}
	done := `document.querySelector("#search-results[data-done]") && document.querySelector("#search-results").getAttribute("aria-busy") === "false"`
	query := func(q string) []result {
		t.Helper()
		takeRequests()
		run("open search for "+q, chromedp.Navigate(base+"search/?q="+urlQuery(q)))
		waitFor(done)
		return results()
	}
	status := func() string {
		var s string
		eval(`document.getElementById("search-status").textContent`, &s)
		return s
	}
	// count is the number of results the status announces.
	count := func() int {
		n := 0
		fmt.Sscanf(status(), "%d", &n)
		return n
	}

	// The home page has the search box and loads only the small loader,
	// not the search script (other scripts, such as the previews', and JSON
	// data blocks are not search's); "/" focuses the box, which loads the
	// search script.
	run("home", chromedp.Navigate(base))
	var scripts []string
	eval(`Array.from(document.scripts).filter(s => !/json$/.test(s.type)).map(s => s.getAttribute("src") || "inline")`, &scripts)
	loader := false
	for _, s := range scripts {
		loader = loader || strings.Contains(s, "/static/search-loader.")
		if s == "inline" || strings.Contains(s, "/static/search.") {
			t.Errorf("home page loads script %s before any search", s)
		}
	}
	if !loader {
		t.Errorf("home page lacks the search loader: scripts %v", scripts)
	}
	run("press /", chromedp.KeyEvent("/"))
	waitFor(`document.activeElement && document.activeElement.id === "site-q"`)
	waitFor(`Array.from(document.scripts).some(s => /\/static\/search\.[0-9a-f]+\.js$/.test(s.src))`)
	// Typing in the header box shows ranked results under it: the person
	// first (a name weighs more than body text), by prefix while typing.
	run("type okaf", chromedp.SendKeys("#site-q", "okaf"))
	waitFor(`document.querySelector(".search-panel li h2 a")`)
	var first string
	eval(`document.querySelector(".search-panel li h2 a").textContent`, &first)
	if first != "Mara Okafor" {
		t.Errorf("first result for the prefix okaf: %q, want the entity Mara Okafor", first)
	}
	// A space after it ends the word: "okaf" is no word of the site (found
	// by hostile testing: the query was trimmed, so it stayed a prefix).
	run("type a space", chromedp.SendKeys("#site-q", " "))
	waitFor(`document.querySelector(".search-panel li h2 a") === null && /No results/.test(document.querySelector(".search-panel p").textContent)`)
	// Escape closes the panel; an arrow down opens it again, and the next
	// moves into it (found by hostile testing: the arrows did nothing once
	// it was closed).
	run("type okafor", chromedp.SendKeys("#site-q", "\bor"))
	// The results of what the box holds, not of "okaf" had its search run
	// while the rest was typed (a later render would undo what follows).
	waitFor(`document.querySelector(".search-panel li h2 a") && !document.querySelector(".search-panel").hidden && document.querySelector(".search-panel p").textContent.includes("\u201c" + document.querySelector("#site-q").value.trim() + "\u201d")`)
	run("escape", chromedp.KeyEvent(kb.Escape))
	waitFor(`document.querySelector(".search-panel").hidden && document.activeElement.id === "site-q"`)
	// Closing the panel keeps the query (found by a flaky run: Chrome
	// empties a search field on Escape, and the emptied box cleared the
	// results 60 ms later, before a reader could press the arrow).
	var kept string
	eval(`document.querySelector("#site-q").value`, &kept)
	if strings.TrimSpace(strings.TrimPrefix(kept, "/")) != "okafor" {
		t.Errorf("the box holds %q after Escape closed the panel, want the query okafor", kept)
	}
	run("down", chromedp.KeyEvent(kb.ArrowDown))
	waitFor(`!document.querySelector(".search-panel").hidden && document.activeElement.id === "site-q"`)
	run("down", chromedp.KeyEvent(kb.ArrowDown))
	waitFor(`document.activeElement === document.querySelector(".search-panel li h2 a")`)
	// Escape on a result closes the panel and takes focus back to the box,
	// as a combobox's popup does (found by testing at a reader's pace: the
	// box's focus handler opened the panel again, so it stayed open).
	run("escape on a result", chromedp.KeyEvent(kb.Escape))
	waitFor(`document.activeElement.id === "site-q" && document.querySelector(".search-panel").hidden`)
	run("down", chromedp.KeyEvent(kb.ArrowDown))
	waitFor(`!document.querySelector(".search-panel").hidden && document.activeElement.id === "site-q"`)

	// Stemming: "vetoes" finds "vetoed", "vetoes" and "veto", marked.
	rs := query("vetoes")
	titles := map[string]bool{}
	for _, r := range rs {
		titles[r.Title] = true
		if len(r.Marks) == 0 {
			t.Errorf("result %q has no highlighted word (snippet %q)", r.Title, r.Snippet)
		}
		for _, m := range r.Marks {
			if search.Stem(search.Fold(m)) != "veto" {
				t.Errorf("result %q highlights %q, not a form of veto", r.Title, m)
			}
		}
		if !strings.Contains(r.Href, "#p") {
			t.Errorf("article result %q links to %q, not to a paragraph", r.Title, r.Href)
		}
	}
	for _, want := range []string{"Dockers walk out at the port of Calden", "Minister meets union as strike enters second week", "Strike spreads to rail freight"} {
		if !titles[want] {
			t.Errorf("vetoes: %q missing from %v", want, rs)
		}
	}
	if !strings.Contains(status(), "3 results") {
		t.Errorf("status %q, want 3 results", status())
	}
	// The query fetched the root, the one chunk holding "vetoes", no
	// positions, and one fragment per result shown.
	checkRequests(t, res.Site, takeRequests(), []string{root.chunkFor("vetoes")}, false, len(rs))

	// A form no article uses is looked up by its base: "vetoing" finds the
	// same three articles.
	if rs := query("vetoing"); len(rs) != 3 {
		t.Errorf("vetoing: %d results, want the 3 veto articles", len(rs))
	}
	// A base form no article uses finds the forms they use: "sandbank"
	// (the stem of "sandbanks"), "lorry" ("lorries", stem "lorri"),
	// "barricade" ("barricading", stem "barricad"), "embankment"
	// ("embankments", stem "embank"). Found by hostile testing.
	for _, q := range []string{"sandbank", "lorry", "barricade", "embankment", "lorry barricade sandbank embankment"} {
		if rs := query(q); len(rs) != 1 || rs[0].Title != "Tidewater notice" || len(rs[0].Marks) == 0 {
			t.Errorf("%s: %+v, want Tidewater notice with its words marked", q, rs)
		}
	}
	// The snippet of a long text without spaces shows the match, marked.
	if rs := query("東京で会議"); len(rs) != 1 || !slices.Equal(rs[0].Marks, []string{"東京で会議"}) {
		t.Errorf("東京で会議: %+v, want Osaka notice with the match marked in its snippet", rs)
	}
	// A word inside such a text is found, as its characters in order, and
	// marked there only (大阪 precedes it 150 times; found by hostile
	// testing: the run was indexed as one word).
	if rs := query("会議"); len(rs) != 1 || !slices.Equal(rs[0].Marks, []string{"会議"}) {
		t.Errorf("会議: %+v, want Osaka notice with 会議 marked", rs)
	}
	if rs := query("議会"); len(rs) != 0 {
		t.Errorf("議会 (the characters in another order): %+v, want no results", rs)
	}
	// Kana keep their voicing marks: で is not て.
	if rs := query("京で会"); len(rs) != 1 {
		t.Errorf("京で会: %+v, want Osaka notice", rs)
	}
	if rs := query("京て会"); len(rs) != 0 {
		t.Errorf("京て会: %+v, want no results", rs)
	}
	if rs := query("東京 大阪"); len(rs) != 1 {
		t.Errorf("東京 大阪: %+v, want Osaka notice", rs)
	}
	query("vetoes")

	// Follow a result to its paragraph.
	var href string
	eval(`document.querySelector("#search-results li h2 a").getAttribute("href")`, &href)
	run("follow", chromedp.Click("#search-results li h2 a"))
	// The new document's location carries the hash as soon as it commits,
	// before its body is parsed: wait for the paragraph itself.
	waitFor(`location.hash.startsWith("#p") && document.getElementById(location.hash.slice(1)) !== null && document.readyState !== "loading"`)
	var target string
	eval(`document.getElementById(location.hash.slice(1)).textContent`, &target)
	if !strings.Contains(strings.ToLower(target), "veto") {
		t.Errorf("followed %s: the paragraph reads %q, no veto in it", href, target)
	}

	// Accent and case folding: ZOE finds Zoë Brandt.
	rs = query("ZOE")
	if len(rs) == 0 || rs[0].Title != "Zoë Brandt" || len(rs[0].Marks) == 0 || rs[0].Marks[0] != "Zoë" {
		t.Errorf("ZOE: %+v, want Zoë Brandt first with Zoë marked", rs)
	}

	// A phrase matches words in that order only; the same words unquoted
	// match both articles that have them.
	loose := query("fair offer")
	phrase := query(`"fair offer"`)
	reqs := takeRequests()
	if len(phrase) != 1 || phrase[0].Title != "Minister meets union as strike enters second week" {
		t.Errorf(`"fair offer": %+v, want only the minister's meeting`, phrase)
	}
	if len(loose) <= len(phrase) {
		t.Errorf("fair offer (unquoted) found %d, the phrase %d: the phrase should be narrower", len(loose), len(phrase))
	}
	checkRequests(t, res.Site, reqs, []string{root.chunkFor("fair"), root.chunkFor("offer")}, true, len(phrase))

	// A phrase of two common words is answered from the pair index: no
	// positions fetched, fewer results than the words anywhere.
	query("port strike")
	unquoted := count()
	pairPhrase := query(`"port strike"`)
	checkRequests(t, res.Site, takeRequests(), []string{root.chunkFor("port"), root.chunkFor("strike"), root.chunkFor("port strike")}, false, len(pairPhrase))
	if n := count(); n == 0 || n >= unquoted {
		t.Errorf(`"port strike": %d results, unquoted %d`, n, unquoted)
	}

	// Facets: filtering by outlet keeps that outlet's results only.
	query("strike")
	all := count()
	// A double click on "More results" shows the next page once, not the
	// same page twice (found by hostile testing).
	var clicked bool
	eval(`(() => { const m = document.getElementById("search-more"); m.click(); m.click(); return !m.hidden })()`, &clicked)
	if !clicked || all <= 20 {
		t.Fatalf("strike: %d results, More hidden: want more than 20 to page through", all)
	}
	waitFor(`document.querySelectorAll("#search-results > li").length > 10`)
	var hrefs []string
	eval(`Array.from(document.querySelectorAll("#search-results li h2 a")).map(a => a.getAttribute("href"))`, &hrefs)
	if distinct := slices.Compact(slices.Sorted(slices.Values(hrefs))); len(hrefs) != 20 || len(distinct) != 20 {
		t.Errorf("a double click on More results: %d results shown, want 20 distinct: %v", len(hrefs), hrefs)
	}
	var label string
	eval(`(() => { const cb = document.querySelector('#search-facets input[name=outlet][value="Radio Meridian"]'); if (!cb) return ""; cb.click(); return cb.parentElement.textContent; })()`, &label)
	if label == "" {
		t.Fatal("no Radio Meridian outlet facet for strike")
	}
	waitFor(done + ` && document.getElementById("search-status").textContent.includes("filtered")`)
	rs = results()
	if n := count(); n == 0 || n >= all {
		t.Errorf("outlet filter: %d results of %d", n, all)
	}
	for _, r := range rs {
		if !strings.Contains(r.Meta, "Radio Meridian") {
			t.Errorf("filtered by Radio Meridian, got %q (%s)", r.Title, r.Meta)
		}
	}

	// "/" goes to the search box also from a checkbox (a filter here, a
	// note's on a phone), which takes no text (found by hostile testing:
	// it did nothing).
	run("focus a filter", chromedp.Focus("#search-facets input"))
	run("press / on the filter", chromedp.KeyEvent("/"))
	waitFor(`document.activeElement && document.activeElement.id === "q"`)

	// No results.
	if rs := query("xylophonist"); len(rs) != 0 || !strings.Contains(status(), "No results") {
		t.Errorf("xylophonist: %d results, status %q", len(rs), status())
	}

	// Hostile text stays text.
	rs = query("quayside memo")
	var pwned bool
	eval(`window.__pwned === 1`, &pwned)
	if pwned || len(rs) == 0 || !strings.Contains(rs[0].Title, `<img src=x onerror="window.__pwned=1">`) {
		t.Errorf("hostile title: pwned=%v, results %+v", pwned, rs)
	}

	// A word longer than the index keeps (MaxWordBytes) is dropped from the
	// query, as ParseQuery drops it, not required (found by hostile testing).
	if rs := query("quayside " + strings.Repeat("é", search.MaxWordBytes/2+1)); len(rs) != 1 || !strings.HasPrefix(rs[0].Title, "Quayside") {
		t.Errorf("quayside and a long word: %+v, want the quayside memo", rs)
	}

	// Keyboard: arrows move from the box through the results; Enter opens one.
	query("pereira")
	run("focus", chromedp.Focus("#q"))
	run("down", chromedp.KeyEvent(kb.ArrowDown))
	run("down", chromedp.KeyEvent(kb.ArrowDown))
	var focused, second string
	eval(`document.activeElement.getAttribute("href")`, &focused)
	eval(`document.querySelectorAll("#search-results li h2 a")[1].getAttribute("href")`, &second)
	if focused != second {
		t.Errorf("two arrow presses focus %q, want the second result %q", focused, second)
	}
	run("enter", chromedp.KeyEvent("\r"))
	waitFor(`location.pathname + location.hash === ` + jsString(second))

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser console: %s", p)
	}
}

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

func urlQuery(q string) string {
	r := strings.NewReplacer(" ", "+", `"`, "%22", "#", "%23", "&", "%26")
	return r.Replace(q)
}

// checkRequests asserts that a query fetched index files only as needed:
// chunk files among chunks, position parts only for phrases (and only parts
// of those chunks), and at most one fragment per result shown.
func checkRequests(t *testing.T, site *output.Site, reqs []string, chunks []string, phrase bool, shown int) {
	t.Helper()
	allowed, parts := map[string]bool{}, map[string]bool{}
	for _, c := range chunks {
		allowed[c] = true
		var cj struct{ X [][2]any }
		if err := json.Unmarshal(site.Files["search/c/"+c+".json"].Data, &cj); err != nil {
			t.Fatal(err)
		}
		for _, x := range cj.X {
			parts[x[1].(string)] = true
		}
	}
	frags := 0
	for _, r := range reqs {
		if !strings.HasPrefix(r, "search/") || r == "search/" || strings.HasPrefix(r, "search/?") {
			continue
		}
		switch {
		case r == "search/index.json" || strings.HasPrefix(r, "search/root."):
		case strings.HasPrefix(r, "search/c/"):
			if h := strings.TrimSuffix(r[len("search/c/"):], ".json"); !allowed[h] {
				t.Errorf("fetched %s, not a chunk of the query's words %v", r, chunks)
			}
		case strings.HasPrefix(r, "search/x/"):
			if h := strings.TrimSuffix(r[len("search/x/"):], ".json"); !phrase || !parts[h] {
				t.Errorf("fetched positions %s: not a phrase's, or not of its words' chunks", r)
			}
		case strings.HasPrefix(r, "search/f/"):
			frags++
		default:
			t.Errorf("unexpected search request %s", r)
		}
	}
	if frags > shown {
		t.Errorf("fetched %d fragments for %d results shown", frags, shown)
	}
}

// TestBrowserSearchEmptySite: a site with nothing to search answers "No
// results", not "Search is unavailable: Cannot read properties of null"
// (found by hostile testing).
func TestBrowserSearchEmptySite(t *testing.T) {
	ctx := searchTab(t)
	root := t.TempDir()
	testsite.Write(t, root, "content/dossier.yaml", "title: Empty\nbaseURL: http://127.0.0.1/empty/\n")
	base := serveSite(t, buildSite(t, root))
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"search/?q=kerry")); err != nil {
		t.Fatal(err)
	}
	waitSearchStatus(t, ctx, "No results for \u201ckerry\u201d.")
}

// TestBrowserSearchAfterRedeploy: a reader keeps the search page open while
// the site is published again. A query whose results' fragments are gone
// (their folder is named by the old numbering) loads the new index and
// answers from it; the page was stuck on the previous query's results, busy,
// with an uncaught error (found by hostile testing).
func TestBrowserSearchAfterRedeploy(t *testing.T) {
	ctx := searchTab(t)
	root := t.TempDir()
	testsite.Write(t, root, "content/dossier.yaml", "title: Redeploy\nbaseURL: http://127.0.0.1/r/\n")
	testsite.Write(t, root, "content/topics/t.md", "---\ntitle: Harbour\n---\n")
	testsite.Write(t, root, "content/articles/a.md", testsite.Article("Alpha report", "Calden Herald", 1, []string{"t"}, "Alphabet soup at the harbour."))
	testsite.Write(t, root, "content/articles/b.md", testsite.Article("Beta report", "Calden Herald", 2, []string{"t"}, "Betamax tapes at the harbour."))
	var live atomic.Pointer[output.Site]
	live.Store(buildSite(t, root))
	testsite.Write(t, root, "content/articles/0.md", testsite.Article("Betamax again", "Calden Herald", 3, []string{"t"}, "More betamax tapes."))
	next := buildSite(t, root)
	base := serveSites(t, live.Load, nil)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"search/?q=alphabet")); err != nil {
		t.Fatal(err)
	}
	waitSearchStatus(t, ctx, "1 result for \u201calphabet\u201d")
	live.Store(next)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.getElementById("q").value = "betamax"; document.getElementById("search-form").requestSubmit(); return true })()`)); err != nil {
		t.Fatal(err)
	}
	waitSearchStatus(t, ctx, "2 results for \u201cbetamax\u201d")
}

// TestBrowserSearchOpensAgainAfterAFailure: when the index or a chunk
// cannot be fetched once (a flaky connection, a server busy: HTTP 503),
// the next query tries again; the failure was kept, and every query of the
// page that needed the file said "Search is unavailable" (found by hostile
// testing).
func TestBrowserSearchOpensAgainAfterAFailure(t *testing.T) {
	ctx := searchTab(t)
	root := t.TempDir()
	testsite.Write(t, root, "content/dossier.yaml", "title: Flaky\nbaseURL: http://127.0.0.1/f/\n")
	testsite.Write(t, root, "content/topics/t.md", "---\ntitle: Harbour\n---\n")
	testsite.Write(t, root, "content/articles/a.md", testsite.Article("Alpha report", "Calden Herald", 1, []string{"t"}, "Alphabet soup at the harbour."))
	site := buildSite(t, root)
	var failedIndex, failedChunk atomic.Bool
	base := serveSites(t, func() *output.Site { return site }, func(w http.ResponseWriter, p string) bool {
		w.Header().Set("Cache-Control", "no-store")
		if p == "search/index.json" && !failedIndex.Swap(true) || strings.HasPrefix(p, "search/c/") && !failedChunk.Swap(true) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"search/?q=alphabet")); err != nil {
		t.Fatal(err)
	}
	submit := func() {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.getElementById("search-status").textContent = ""; document.getElementById("search-form").requestSubmit(); return true })()`)); err != nil {
			t.Fatal(err)
		}
	}
	waitSearchStatus(t, ctx, "Search is unavailable: HTTP 503 for "+base+"search/index.json")
	submit()
	waitSearchStatus(t, ctx, "Search is unavailable: HTTP 503 for "+base+"search/c/")
	submit()
	waitSearchStatus(t, ctx, "1 result for \u201calphabet\u201d")
}
