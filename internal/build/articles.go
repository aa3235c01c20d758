package build

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dossier-news/dossier/internal/annotate"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/markdown"
	"github.com/dossier-news/dossier/internal/render"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/slugs"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/viewkey"
	"github.com/dossier-news/dossier/internal/workpool"
)

// env is what article bodies are rendered against besides their own file:
// the entity linker, the content files links may point to, the claims notes
// are evidence for, and the note template. A body records what it used of
// it (see article.deps), so that a change reaches exactly the bodies that
// used what changed.
type env struct {
	key      viewkey.Key // what every body uses: base path, raw-HTML setting, entity names, note template
	basePath string
	unsafe   bool
	linker   *annotate.Linker
	files    map[string]string // "articles/x.md" -> "articles/x/"
	filesKey viewkey.Key       // of files: while it holds, every content link resolves as before
	claims   map[string]*claimEnv
	tmpl     *render.Renderer
	// noteLimit is the most HTML one note's template may write (render.PageLimit).
	noteLimit int64
	// folded is files' keys by their lower case, made the first time a
	// content link names no file (meant): derived from files alone, the
	// same whenever it is made, and shared by the env's copies, as files is.
	folded *foldedFiles
}

type foldedFiles struct {
	once sync.Once
	m    map[string]string
}

// claimEnv is what a note citing a claim shows of it: the claim, and the
// other articles' passages on it ("also reported by").
type claimEnv struct {
	ref      *site.ClaimRef
	evidence []evidenceRef
	key      viewkey.Key
}

type evidenceRef struct {
	slug, outlet, id string
}

// reuseEnv returns prev's env for c when everything an env is made of is
// unchanged (the usual case: an edit of what articles say), or a new one.
func reuseEnv(prev *state, c *content.Content, basePath string, tmpl *render.Renderer) *env {
	pe, pc := prev.env, prev.content
	if pe == nil || pc == nil || tmpl == nil || pe.basePath != basePath || pe.unsafe != c.Config.UnsafeHTML || pe.tmpl == nil || pe.tmpl.NoteHash != tmpl.NoteHash ||
		!slices.Equal(pc.Entities, c.Entities) || !slices.Equal(pc.Topics, c.Topics) || !slices.Equal(pc.Claims, c.Claims) ||
		!maps.Equal(pc.Unloaded, c.Unloaded) || len(pc.Articles) != len(c.Articles) {
		return newEnv(c, basePath, tmpl)
	}
	for i, a := range c.Articles {
		if o := pc.Articles[i]; o != a && (o.Slug != a.Slug || o.Outlet != a.Outlet || !sameClaims(o, a)) {
			return newEnv(c, basePath, tmpl)
		}
	}
	e := *pe
	e.tmpl = tmpl
	return &e
}

// sameClaims reports whether a and b's annotations cite the same claims.
func sameClaims(a, b *content.Article) bool {
	return slices.EqualFunc(a.Annotations, b.Annotations, func(x, y content.Annotation) bool { return x.Claim == y.Claim })
}

func newEnv(c *content.Content, basePath string, tmpl *render.Renderer) *env {
	e := &env{basePath: basePath, unsafe: c.Config.UnsafeHTML, files: map[string]string{}, folded: &foldedFiles{}, claims: map[string]*claimEnv{}, tmpl: tmpl, noteLimit: render.PageLimit(c.Config)}
	h := viewkey.New().String(Version).String(basePath).Value(c.Config.UnsafeHTML).Value(e.noteLimit)
	if tmpl != nil {
		h.Key(tmpl.NoteHash)
	}
	var ents []annotate.Entity
	for _, en := range c.Entities {
		names := append([]string{en.Name}, en.Aliases...)
		ents = append(ents, annotate.Entity{Slug: en.Slug, URL: urls.Under(basePath, urls.Entity(en.Slug)), Names: names})
		h.String(en.Slug).Value(names)
		e.files[urls.ContentFile(urls.EntitiesDir, en.Slug)] = urls.Entity(en.Slug)
	}
	e.linker = annotate.NewLinker(ents)
	e.key = h.Sum()
	for _, t := range c.Topics {
		e.files[urls.ContentFile(urls.TopicsDir, t.Slug)] = urls.Topic(t.Slug)
	}
	for _, cl := range c.Claims {
		e.files[urls.ContentFile(urls.ClaimsDir, cl.Slug)] = urls.Claim(cl.Slug)
		e.claims[cl.Slug] = &claimEnv{ref: site.NewClaimRef(cl)}
	}
	// A link to a file that exists but did not load is not a link to a
	// missing file: that file's own problems are reported.
	for key := range c.Unloaded {
		if kind, slug, ok := strings.Cut(key, "/"); ok {
			e.files[urls.ContentFile(kind, slug)] = urls.Of(kind, slug)
		}
	}
	for _, a := range c.Articles {
		e.files[urls.ContentFile(urls.ArticlesDir, a.Slug)] = urls.Article(a.Slug)
		for i, an := range a.Annotations {
			if ce := e.claims[an.Claim]; ce != nil {
				ce.evidence = append(ce.evidence, evidenceRef{a.Slug, a.Outlet, noteID(i)})
			}
		}
	}
	e.filesKey = viewkey.Of(e.files)
	for _, ce := range e.claims {
		h := viewkey.New().Key(ce.ref.ViewKey())
		for _, r := range ce.evidence {
			h.String(r.slug).String(r.outlet).String(r.id)
		}
		ce.key = h.Sum()
	}
	return e
}

// resolver returns the link resolver for Markdown in file, recording every
// content link it resolves into rec (when not nil).
func (e *env) resolver(file string, rec *[]linkDep) markdown.LinkResolver {
	r := markdown.ContentLinks(e.files, e.basePath, file)
	return func(dest string) (string, bool, bool) {
		u, handled, ok := r(dest)
		if handled && !ok {
			u = e.meant(file, dest)
		}
		if handled && rec != nil {
			*rec = append(*rec, linkDep{file: file, dest: dest, url: u, ok: ok})
		}
		return u, handled, ok
	}
}

// meant is the destination a content link from file that names no file
// evidently means, written as it should be ("Minister-Meets-Union.md" for
// "minister-meets-union.md": a file of that name in other case, which a
// case-insensitive disk such as macOS's or Windows' finds and the site's
// URLs do not), or "". A file whose own name is no valid slug is not
// suggested: it is to be renamed, as its own problem says.
func (e *env) meant(file, dest string) string {
	if e.folded == nil {
		return "" // an env made by hand, in a test
	}
	target, ok := markdown.ContentTarget(file, dest)
	if !ok {
		return ""
	}
	valid := func(f string) bool {
		name := strings.TrimSuffix(path.Base(f), ".md")
		return slugs.Make(name) == name
	}
	e.folded.once.Do(func() {
		e.folded.m = make(map[string]string, len(e.files))
		for f := range e.files {
			// Two files alike but for case (wages.md, Wages.md): the
			// one with a valid name, else the first in order, whatever
			// order the map gives (the same message every build).
			k := strings.ToLower(f)
			if old, ok := e.folded.m[k]; !ok || valid(f) && !valid(old) || valid(f) == valid(old) && f < old {
				e.folded.m[k] = f
			}
		}
	})
	f, ok := e.folded.m[strings.ToLower(target)]
	if !ok || !valid(f) {
		return ""
	}
	rel := markdown.ContentLink(file, f)
	if _, frag, hasFrag := strings.Cut(dest, "#"); hasFrag {
		rel += "#" + frag
	}
	return rel
}

// article is the article stage's result for one article, with what it was
// rendered against.
type article struct {
	slug     string
	hash     string // the article file's hash
	env      viewkey.Key
	linkDeps []linkDep              // content links resolved, and to what
	filesKey viewkey.Key            // the env's filesKey then
	claims   map[string]viewkey.Key // claims its notes cite, and their keys
	body     *site.Body
	links    []PageLinks
	problems diag.List
	// noteErr is the note template's failure (a *render.PageError), listed
	// once per place for all the articles it broke, as the pages' are.
	noteErr error
}

type linkDep struct {
	file, dest, url string
	ok              bool
}

// valid reports whether a (made for an article file with hash) would be made
// the same against e.
func (a *article) valid(hash string, e *env) bool {
	if a == nil || a.hash != hash || a.env != e.key {
		return false
	}
	if a.filesKey != e.filesKey {
		for _, d := range a.linkDeps {
			u, _, ok := e.resolver(d.file, nil)(d.dest) // the suggestion too, for a link that failed
			if u != d.url || ok != d.ok {
				return false
			}
		}
	}
	for slug, k := range a.claims {
		ce := e.claims[slug]
		if ce == nil && k != 0 || ce != nil && ce.key != k {
			return false
		}
	}
	return true
}

// articleResults are one build's article results, in the order of its
// content's articles.
type articleResults struct {
	list    []*article
	content *content.Content
	once    sync.Once
	bySlug  map[string]*article // made on the first search
}

// find returns the result for the article slug, the next build's i-th:
// looked up at the same position (an edit keeps the order of the others),
// else in a map of every slug made once. A map lookup for every article
// would cost more than the rest of a one-article rebuild's article step.
func (r *articleResults) find(i int, slug string) *article {
	if r == nil {
		return nil
	}
	if i < len(r.list) && r.content.Articles[i].Slug == slug {
		return r.list[i]
	}
	r.once.Do(func() {
		r.bySlug = make(map[string]*article, len(r.list))
		for j, a := range r.list {
			r.bySlug[r.content.Articles[j].Slug] = a
		}
	})
	return r.bySlug[slug]
}

// articles runs the Markdown and annotation stages on every article, in
// parallel, reusing the last build's result for an article while it is valid.
func (b *Builder) articles(ctx context.Context, prev *state, c *content.Content, e *env, spill *site.Spill) ([]*article, diag.List) {
	out := make([]*article, len(c.Articles))
	var finished atomic.Int64
	err := workpool.Each(ctx, len(c.Articles), func(i int) {
		defer func() { b.progress("articles", int(finished.Add(1)), len(c.Articles)) }()
		a := c.Articles[i]
		key := b.bodyKey(a) // the article file's hash, and its original's
		if pa := prev.arts.find(i, a.Slug); pa.valid(key, e) {
			out[i] = pa
			return
		}
		out[i] = b.renderArticle(a, c, e, spill)
		out[i].hash = key
	})
	var problems diag.List
	if err != nil {
		return nil, diag.List{diag.Errorf("", 0, "%v", err)}
	}
	var noteErrs []error
	for _, a := range out {
		problems.Merge(a.problems)
		noteErrs = append(noteErrs, a.noteErr)
	}
	problems.Merge(templateProblems(noteErrs))
	return out, problems
}

// brokenArticles checks the text of the articles whose front matter has
// problems (content.Content.Broken): each is rendered as the others are and
// dropped, keeping its problems, so that a quote not in the text, a link to
// nothing or a passage the original does not have is listed with the front
// matter's problems, not only once they are fixed. Problems at the lines of
// the front matter's own are left out (content.Validate does the same), and
// the text is compared with its original only when the fields that
// comparison reads (title, original, removed) were read: an unread title
// would read as a headline left out.
func (b *Builder) brokenArticles(ctx context.Context, c *content.Content, e *env) diag.List {
	var problems diag.List
	for _, a := range c.Broken {
		if ctx.Err() != nil {
			return problems
		}
		cp := *a
		for _, key := range []string{"title", "original", "removed"} {
			if _, written := a.Lines[key]; (written || key == "title") && !a.ReadField(key) {
				cp.Original, cp.Removed = "", nil
			}
		}
		for _, p := range b.renderArticle(&cp, c, e, nil).problems {
			if p.File != a.File || !a.UnreadLine(p.Line) {
				problems = append(problems, p)
			}
		}
	}
	return problems
}

// noteID is the id of an article's i-th annotation (front-matter order), so
// links to #a3 stay stable when notes are added.
func noteID(i int) string { return "a" + strconv.Itoa(i+1) }

// noteIndex is the i of noteID(i), when id is one.
func noteIndex(id string) (int, bool) {
	num, ok := strings.CutPrefix(id, "a")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 1 || noteID(n-1) != id {
		return 0, false
	}
	return n - 1, true
}

// renderArticle runs the Markdown and annotation stages on one article.
func (b *Builder) renderArticle(a *content.Article, c *content.Content, e *env, spill *site.Spill) *article {
	ar := &article{slug: a.Slug, hash: a.Hash, env: e.key, filesKey: e.filesKey}
	unsafe := c.Config.UnsafeHTML || a.RawHTML
	opts := func(line int) markdown.Options {
		return markdown.Options{File: a.File, BodyLine: line, Unsafe: unsafe, Resolve: e.resolver(a.File, &ar.linkDeps)}
	}
	bodyOpts := opts(a.BodyLine)
	bodyOpts.Anchors = true
	bodyOpts.Text = a.Original != "" // for the provenance check
	src := a.Body
	if b.opts.Sink != nil { // loaded without it (content.LoadOptions.LaterBodies)
		// Read into a pooled buffer: what the article keeps of its
		// source (links, headings, text, the HTML) is copied out of it.
		buf := b.bufs.Get()
		defer b.bufs.Put(buf)
		var ps diag.List
		if src, ps = c.ArticleBodyInto(buf, a); len(ps) > 0 {
			ar.problems.Merge(ps)
			return ar
		}
	}
	// The HTML in a pooled buffer: the body keeps it compressed, and
	// nothing else keeps any of it (NewBodyOf).
	bodyOpts.Into = b.bufs.Get()
	defer b.bufs.Put(bodyOpts.Into)
	doc, ps := b.md.Render(src, bodyOpts)
	ar.problems.Merge(ps)
	ar.links = append(ar.links, PageLinks{File: a.File, Links: doc.Links, Images: doc.Images})

	notes := make([]annotate.Note, len(a.Annotations))
	for i, an := range a.Annotations {
		h, links, ps := b.inline(an.Note, opts(a.TextLine("annotations["+strconv.Itoa(i)+"].note")))
		ar.problems.Merge(ps)
		ar.links = append(ar.links, links)
		notes[i] = annotate.Note{ID: noteID(i), Number: i + 1, Quote: an.Quote, Prefix: an.Prefix, Suffix: an.Suffix, Kind: an.Kind, Label: kindLabels[an.Kind], HTML: h, Line: an.Line}
	}
	if doc.Refused {
		// No text to anchor quotes in or to verify: its problem says why,
		// and "quote not found" or "leaves out the original" would be wrong.
		return ar
	}
	html := doc.HTML
	var placements []annotate.Placement
	if len(notes) > 0 {
		out, pl, ps := annotate.Anchor(a.File, html, notes)
		// Number notes in reading order, whatever order the editor listed
		// them in (ids stay in front-matter order, so links to #a3 are stable).
		renumber(out, notes)
		html, placements = out, pl
		ar.problems.Merge(ps)
	}
	html, mentions := e.linker.Link(html)
	body := site.Body{}
	linked := html // the text, before the notes are placed in it
	if e.tmpl != nil && len(notes) > 0 {
		placed, err := annotate.PlaceNotes(html, notes, func(n *annotate.Note) (string, error) {
			return e.tmpl.NoteHTML(e.noteView(a, n, ar), e.noteLimit)
		})
		var pe *render.PageError
		if errors.As(err, &pe) {
			pe.Page = urls.Article(a.Slug)
			ar.noteErr = pe
		} else if err != nil {
			ar.problems.Add(diag.Errorf(a.File, a.BodyLine, "%v", err))
		} else {
			html = placed
		}
	}
	if a.EditorNote != "" {
		h, links, ps := b.inline(a.EditorNote, opts(a.TextLine("editorNote")))
		ar.problems.Merge(ps)
		ar.links = append(ar.links, links)
		body.EditorNote = h
	}
	for _, m := range mentions {
		body.Mentions = append(body.Mentions, site.Mention{Entity: m.Slug, Paragraph: m.Paragraph, Sentence: m.Sentence})
	}
	byID := map[string]annotate.Placement{}
	for _, p := range placements {
		byID[p.ID] = p
	}
	for i, an := range a.Annotations {
		n := &site.Note{Annotation: an, ID: notes[i].ID, Number: notes[i].Number, Label: notes[i].Label, HTML: notes[i].HTML}
		if p, ok := byID[notes[i].ID]; ok {
			n.Paragraph, n.Text, n.Sentence = p.Paragraph, p.Text, p.Sentence
		}
		body.Notes = append(body.Notes, n)
	}
	for _, h := range doc.Headings {
		body.Headings = append(body.Headings, site.Paragraph{ID: h.ID, Text: h.Text})
	}
	body.Provenance, ps = b.verify(a, doc)
	ar.problems.Merge(ps)
	// The paragraphs are read in place, for the body to pack them
	// (NewBodyOf keeps nothing of them): no copy of the text is made.
	annotate.ReadParagraphs(linked, func(ps []annotate.Paragraph) {
		paragraphs := make([]site.Paragraph, len(ps))
		for i, p := range ps {
			paragraphs[i] = site.Paragraph{ID: p.ID, Text: p.Text}
			body.Words += annotate.CountWords(p.Text)
		}
		ar.body = site.NewBodyOf(spill, body, html, paragraphs)
	})
	return ar
}

// noteView is what the note template receives for one note of a; it records
// the claim it shows into ar.
func (e *env) noteView(a *content.Article, n *annotate.Note, ar *article) *render.Note {
	v := &render.Note{ID: n.ID, Number: n.Number, Kind: n.Kind, Label: n.Label, HTML: n.HTML, BasePath: e.basePath}
	var claim string
	// The note's id names its annotation (noteID): one look, not a walk of
	// every annotation for each note (quadratic in their number: 16,000
	// notes took 18 s).
	if i, ok := noteIndex(n.ID); ok && i < len(a.Annotations) {
		claim = a.Annotations[i].Claim
	}
	if claim == "" {
		return v
	}
	if ar.claims == nil {
		ar.claims = map[string]viewkey.Key{} // most articles cite no claim
	}
	ce := e.claims[claim]
	if ce == nil {
		ar.claims[claim] = 0
		return v
	}
	ar.claims[claim] = ce.key
	v.Claim = ce.ref
	for _, r := range ce.evidence {
		if r.slug != a.Slug {
			v.Also = append(v.Also, render.NoteSource{Outlet: r.outlet, Path: urls.Article(r.slug) + "#" + r.id})
		}
	}
	return v
}

// kindLabels are the reader-facing names of annotation kinds.
var kindLabels = map[string]string{"context": "Context", "correction": "Correction", "fact-check": "Fact check", "editorial": "Editorial"}

// renumber sets notes' Numbers to the order their marks appear in html.
func renumber(html []byte, notes []annotate.Note) {
	type at struct{ i, pos int }
	// One pass over the page finds every id (a search per note made an
	// article with many notes quadratic).
	byID := make(map[string]int, len(notes))
	for i, n := range notes {
		byID[n.ID] = i
	}
	first := make([]int, len(notes))
	for i := range first {
		first[i] = -1
	}
	const attr = `id="`
	for from := 0; ; {
		k := bytes.Index(html[from:], []byte(attr))
		if k < 0 {
			break
		}
		start := from + k + len(attr)
		end := bytes.IndexByte(html[start:], '"')
		if end < 0 {
			break
		}
		if i, ok := byID[string(html[start:start+end])]; ok && first[i] < 0 {
			first[i] = from + k
		}
		from = start + end
	}
	order := make([]at, 0, len(notes))
	for i := range notes {
		pos := first[i]
		if pos < 0 {
			pos = len(html) + i // not anchored: keep it after the others
		}
		order = append(order, at{i, pos})
	}
	sort.SliceStable(order, func(x, y int) bool { return order[x].pos < order[y].pos })
	for k, o := range order {
		notes[o.i].Number = k + 1
	}
}
