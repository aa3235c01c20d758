package webanno

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dossier-news/dossier/internal/annotate"
	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/markdown"
	"github.com/dossier-news/dossier/internal/site"
)

// Article is an article annotations may be imported into.
type Article struct {
	Slug     string
	File     string   // project-relative: content/articles/x.md
	URLs     []string // the URLs it is published at
	Source   string   // its source: URL, "" when unknown
	Path     string   // site-relative page path, "articles/x/": matched on loopback hosts (the preview)
	HTML     []byte   // its rendered body, annotations placed
	Markdown []byte   // its body's Markdown
	Existing []content.Annotation
	// Hash is the SHA-256 (hex) of the file the build read: the import
	// edits the file only while it still has those bytes.
	Hash string
}

// Articles lists the articles of a built site as import targets: each at its
// canonical URL under the base URL built for and under dossier.yaml's
// baseURL, at its source: URL, and at its path on the preview server.
func Articles(s *site.Site) []Article {
	bases := []string{s.BaseURL}
	if b := s.Config.BaseURL; b != "" && b != s.BaseURL {
		if !strings.HasSuffix(b, "/") {
			b += "/"
		}
		bases = append(bases, b)
	}
	out := make([]Article, 0, len(s.Articles))
	for _, a := range s.Articles {
		src := a.Source
		t := Article{Slug: a.Slug(), File: src.File, Path: a.Card.Path, HTML: []byte(a.Body.HTML()), Markdown: src.Body, Existing: src.Annotations, Hash: src.Hash}
		for _, b := range bases {
			t.URLs = append(t.URLs, b+a.Card.Path)
		}
		t.Source = src.URL
		out = append(out, t)
	}
	return out
}

// Result is what an import did or would do.
type Result struct {
	Added      []Outcome // annotations written (or to write)
	Duplicates []Outcome // already in the article
	Orphans    []Outcome // quotes that do not anchor in the article's text
	Unmatched  []Outcome // no article at the annotated URL
	Skipped    []Outcome // nothing to import: page notes, replies, highlights without a note
	Refused    []Outcome // notes a build would refuse (a list or a heading in a note)
	// Files are the edited articles' new bytes, by project-relative path.
	Files map[string][]byte
	// read are the bytes each edited article had when Import read it:
	// Write replaces a file only while it still has them.
	read map[string][]byte
}

// Outcome is one imported annotation's fate, with a message for editors.
type Outcome struct {
	From       string // the annotation's id, or its URI
	File       string // the article, when matched
	Annotation content.Annotation
	Message    string
}

// Options of an import.
type Options struct {
	Root     string          // the project folder
	Claims   map[string]bool // known claim slugs: linking bodies pointing at their pages become claim:
	Entities map[string]bool // known entity slugs: identifying bodies become speaker:
}

// Import matches annotations to articles by URL, anchors their quotes in the
// articles' rendered text, and prepares the front matter edits (see
// AppendAnnotations): the quote as the editor would type it, the shortest
// prefix or suffix (in words) that makes it unique, a kind from a tag
// (fact-check, correction, context, editorial) or else from the motivation
// (default context), the note. Quotes that no longer anchor are orphans,
// reported with the nearest match and not written; annotations already in
// the article are skipped. Nothing is written to disk: see Result.Write.
func Import(ins []Incoming, targets []Article, opts Options) (*Result, error) {
	r := &Result{Files: map[string][]byte{}, read: map[string][]byte{}}
	pending := map[string][]content.Annotation{}
	type state struct {
		t     *Article
		text  *normText
		taken map[string]bool // position + note of every annotation there, to skip duplicates
	}
	states := map[string]*state{}
	var order []string
	md := markdown.New()
	for _, in := range ins {
		from := in.Name()
		if in.Reply {
			r.Skipped = append(r.Skipped, Outcome{From: from, Message: "a reply to another annotation: only annotations of an article's text are imported"})
			continue
		}
		if in.Hidden {
			r.Skipped = append(r.Skipped, Outcome{From: from, Message: "hidden by a moderator of its Hypothesis group: not published; show it there first if it is to be"})
			continue
		}
		t := match(in.URI, targets)
		if t == nil {
			r.Unmatched = append(r.Unmatched, Outcome{From: from, Message: fmt.Sprintf("no article is published at %s: if the site was, import with --base-url set to the address it was published at; if it is an article's source, set that article's source:", in.URI)})
			continue
		}
		if in.Exact == "" {
			r.Skipped = append(r.Skipped, Outcome{From: from, File: t.File, Message: "no quote to anchor: a note on the whole page, which an article does not have"})
			continue
		}
		st := states[t.File]
		if st == nil {
			st = &state{t: t, text: newNormText(ArticleText(t.HTML).Runes), taken: map[string]bool{}}
			for _, e := range t.Existing {
				if at, ok := st.text.locate(e.Quote, e.Prefix, e.Suffix); ok {
					st.taken[dupKey(at, e.Quote, e.Note)] = true
				}
			}
			states[t.File] = st
			order = append(order, t.File)
		}
		an := content.Annotation{Kind: kindOf(in), Note: noRawHTML(strings.TrimSpace(in.Note))}
		an.Claim = slugUnder(in.Links["linking"], "claims", opts.Claims)
		an.Speaker = slugUnder(in.Links["identifying"], "entities", opts.Entities)
		if an.Note == "" && an.Claim == "" && an.Speaker == "" {
			r.Skipped = append(r.Skipped, Outcome{From: from, File: t.File, Message: fmt.Sprintf("%s has no note: a highlight alone is not published", quoteMsg(in.Exact))})
			continue
		}
		// A note is shown inside the text: the build refuses one that
		// holds blocks (a list, a heading, a rule), and so does the import,
		// rather than write what the next build fails on.
		if an.Note != "" {
			if msg := refuseNote(md, t.File, an.Note); msg != "" {
				r.Refused = append(r.Refused, Outcome{From: from, File: t.File, Annotation: an,
					Message: fmt.Sprintf("the note on %s: %s", quoteMsg(in.Exact), msg)})
				continue
			}
		}
		at, end, msg := st.text.choose(in)
		if msg != "" {
			r.Orphans = append(r.Orphans, Outcome{From: from, File: t.File, Message: msg + orphanHint(t, in.Exact)})
			continue
		}
		q, pre, suf, ok := st.text.context(at, end)
		if !ok {
			r.Orphans = append(r.Orphans, Outcome{From: from, File: t.File, Message: fmt.Sprintf("%s occurs several times in the same words: no prefix or suffix picks this one", quoteMsg(in.Exact))})
			continue
		}
		// Write what the editor typed where the Markdown has the passage as
		// is (straight quotes, say), else what the reader sees; it must
		// anchor in the page either way.
		an.Quote, an.Prefix, an.Suffix = sourceForm(q, t.Markdown), sourceForm(pre, t.Markdown), sourceForm(suf, t.Markdown)
		if p := anchors(t, an); p != "" {
			an.Quote, an.Prefix, an.Suffix = q, pre, suf
			if p := anchors(t, an); p != "" {
				r.Orphans = append(r.Orphans, Outcome{From: from, File: t.File, Message: p})
				continue
			}
		}
		key := dupKey(at, an.Quote, an.Note)
		if st.taken[key] {
			r.Duplicates = append(r.Duplicates, Outcome{From: from, File: t.File, Annotation: an, Message: fmt.Sprintf("%s is already annotated with this note", quoteMsg(an.Quote))})
			continue
		}
		st.taken[key] = true
		pending[t.File] = append(pending[t.File], an)
		r.Added = append(r.Added, Outcome{From: from, File: t.File, Annotation: an})
	}
	// refuse refuses an article's annotations, and writes the others'.
	refuse := func(file, msg string) {
		kept := r.Added[:0]
		for _, o := range r.Added {
			if o.File == file {
				o.Message = msg
				r.Refused = append(r.Refused, o)
			} else {
				kept = append(kept, o)
			}
		}
		r.Added = kept
	}
	for _, file := range order {
		add := pending[file]
		if len(add) == 0 {
			continue
		}
		data, err := os.ReadFile(filepath.Join(opts.Root, filepath.FromSlash(file)))
		if err != nil {
			return nil, err
		}
		// The quotes were anchored in the text the build read: saved
		// since, the file may no longer hold them there.
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != states[file].t.Hash {
			refuse(file, "the article was saved while the import read it: import again")
			continue
		}
		out, err := AppendAnnotations(file, data, add)
		if err != nil {
			refuse(file, fmt.Sprintf("%v; fix the article and import again", err))
			continue
		}
		r.Files[file] = out
		r.read[file] = data
	}
	return r, nil
}

// refuseNote says why a note cannot be imported, "" when it can: what the
// build would refuse (a list or a heading: notes are shown inside the text),
// a control character, a link the renderer drops (javascript:), which a
// project letting raw HTML through would write as it is.
func refuseNote(md *markdown.Renderer, file, note string) string {
	if c, ok := content.ControlChar(note); ok {
		return fmt.Sprintf("it holds the control character %U: remove it in the annotation tool and import again", c)
	}
	_, doc, ps := md.Inline(note, markdown.Options{File: file})
	if len(ps.Errors()) > 0 {
		return fmt.Sprintf("%s; make it sentences and import it again", ps.Errors()[0].Msg)
	}
	for _, l := range doc.Links {
		if l.Dest == "" && l.Orig != "" {
			return fmt.Sprintf("it links to %q, an address that runs code or reads files rather than a page: remove the link in the annotation tool and import again", l.Orig)
		}
	}
	for _, im := range doc.Images {
		if im.Dest == "" && im.Src != "" {
			return fmt.Sprintf("it shows the image %q, an address that runs code or reads files rather than a picture: remove it in the annotation tool and import again", im.Src)
		}
	}
	return ""
}

// Write writes the edited articles, each atomically (a new file renamed over
// the old one, with its permissions). An article that is a symbolic link
// stays one: the file it leads to is replaced. An article saved since Import
// read it is left as the editor saved it, and named in the error: its new
// text may no longer hold the passages the annotations were anchored in.
func (r *Result) Write(root string) error {
	files := make([]string, 0, len(r.Files))
	for f := range r.Files {
		files = append(files, f)
	}
	slices.Sort(files)
	var changed []string
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f))
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if now, err := os.ReadFile(p); err != nil || !bytes.Equal(now, r.read[f]) {
			changed = append(changed, f)
			continue
		}
		mode := os.FileMode(0o644)
		if st, err := os.Stat(p); err == nil {
			mode = st.Mode().Perm()
		}
		tmp, err := os.CreateTemp(filepath.Dir(p), ".import-*")
		if err != nil {
			return err
		}
		_, werr := tmp.Write(r.Files[f])
		cerr := tmp.Close()
		if err := errorsJoin(werr, cerr, os.Chmod(tmp.Name(), mode)); err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("write %s: %w", f, err)
		}
		if err := os.Rename(tmp.Name(), p); err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("write %s: %w", f, err)
		}
	}
	if len(changed) > 0 {
		return fmt.Errorf("%s changed (or went away) while importing: left as saved, without the new annotations; import again to add them", strings.Join(changed, ", "))
	}
	return nil
}

func errorsJoin(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// match finds the article published at u: at one of its URLs (scheme,
// host case, default port, "index.html", query and fragment aside: a
// static site reads no query), at its source: URL (only the fragment aside:
// the source's query may name the page), or at its path on a loopback host,
// where the preview runs.
func match(u string, targets []Article) *Article {
	pu, err := url.Parse(strings.TrimSpace(u))
	if err != nil || pu.Host == "" {
		return nil
	}
	page, source := urlKey(pu, false), urlKey(pu, true)
	for i := range targets {
		for _, tu := range targets[i].URLs {
			if t, err := url.Parse(tu); err == nil && urlKey(t, false) == page {
				return &targets[i]
			}
		}
		if t, err := url.Parse(targets[i].Source); err == nil && targets[i].Source != "" && urlKey(t, true) == source {
			return &targets[i]
		}
	}
	host := pu.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil
	}
	p := strings.TrimSuffix(pu.Path, "index.html")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	for i := range targets {
		if strings.HasSuffix(p, "/"+targets[i].Path) {
			return &targets[i]
		}
	}
	return nil
}

// urlKey is what identifies a page's address: its host (lower case, without
// the scheme's default port) and path (without "index.html" and the final
// slash), and with query its query, in a fixed order.
func urlKey(pu *url.URL, query bool) string {
	host := strings.ToLower(pu.Host)
	host = strings.TrimSuffix(strings.TrimSuffix(host, ":443"), ":80")
	p := strings.TrimSuffix(pu.EscapedPath(), "index.html")
	p = strings.TrimSuffix(p, "/")
	if !query {
		return host + p
	}
	return host + p + "?" + pu.Query().Encode()
}

// kindOf is the annotation's kind: from a tag naming one, else from the
// motivation, else context.
func kindOf(in Incoming) string {
	for _, tag := range in.Tags {
		k := strings.ToLower(strings.TrimSpace(tag))
		k = strings.NewReplacer(" ", "-", "_", "-").Replace(k)
		if k == "factcheck" {
			k = "fact-check"
		}
		if slices.Contains(content.AnnotationKinds, k) {
			return k
		}
	}
	switch in.Motivation {
	case "assessing":
		return "fact-check"
	case "editing":
		return "correction"
	}
	return "context"
}

// slugUnder returns the slug of the first URL that is a known page under
// dir ("claims", "entities").
func slugUnder(urls []string, dir string, known map[string]bool) string {
	for _, u := range urls {
		pu, err := url.Parse(u)
		if err != nil {
			continue
		}
		parts := strings.Split(strings.Trim(pu.Path, "/"), "/")
		if n := len(parts); n >= 2 && parts[n-2] == dir && known[parts[n-1]] {
			return parts[n-1]
		}
	}
	return ""
}

// anchors checks that an annotation anchors in the article as the build will
// anchor it, and returns the build's problem if not.
func anchors(t *Article, an content.Annotation) string {
	_, places, ps := annotate.Anchor(t.File, t.HTML, []annotate.Note{{ID: "import", Number: 1, Quote: an.Quote, Prefix: an.Prefix, Suffix: an.Suffix, Kind: an.Kind, Line: 0}})
	if len(ps) > 0 {
		return ps[0].Msg
	}
	if len(places) != 1 {
		return fmt.Sprintf("%s does not anchor", quoteMsg(an.Quote))
	}
	return ""
}

// orphanHint is the build's own message for a quote that does not anchor,
// which names the nearest match.
func orphanHint(t *Article, exact string) string {
	_, _, ps := annotate.Anchor(t.File, t.HTML, []annotate.Note{{ID: "import", Number: 1, Quote: exact, Kind: "context"}})
	if len(ps) == 0 {
		return ""
	}
	msg := ps[0].Msg
	if i := strings.Index(msg, "(did you mean "); i >= 0 {
		if j := strings.Index(msg[i:], "?)"); j >= 0 {
			return "; nearest match: " + msg[i+len("(did you mean "):i+j]
		}
	}
	return ""
}

func dupKey(at int, quote, note string) string {
	return fmt.Sprintf("%d\x00%s\x00%s", at, normalize(quote), strings.Join(strings.Fields(note), " "))
}

func quoteMsg(s string) string {
	if r := []rune(s); len(r) > 80 {
		s = string(r[:60]) + "…"
	}
	return "“" + s + "”"
}

// normText is an article text in comparison form (the form annotate compares
// quotes in: typographic quotes and dashes as ASCII, whitespace runs as one
// space, block boundaries as line feeds), with the way back to the text.
type normText struct {
	text []rune // the article text
	n    string // comparison form
	at   []int  // at[i]: the text position byte i of n comes from
}

func newNormText(text []rune) *normText {
	nt := &normText{text: text}
	b := make([]byte, 0, len(text))
	last := func() byte {
		if len(b) == 0 {
			return 0
		}
		return b[len(b)-1]
	}
	for i, r := range text {
		s := normRune(r)
		switch {
		case s == " " && (len(b) == 0 || last() == ' ' || last() == '\n'):
			continue
		case s == "-" && last() == '-':
			continue
		case s == "\n" && last() == ' ':
			b, nt.at = b[:len(b)-1], nt.at[:len(nt.at)-1]
		}
		b = append(b, s...)
		for range len(s) {
			nt.at = append(nt.at, i)
		}
	}
	nt.n = string(b)
	nt.at = append(nt.at, len(text))
	return nt
}

func normRune(r rune) string {
	switch r {
	case '\n':
		return "\n"
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032':
		return "'"
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033':
		return `"`
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return "-"
	case '\u2026':
		return "..."
	case '\u00AB':
		return "<<"
	case '\u00BB':
		return ">>"
	case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return ""
	}
	if unicode.IsSpace(r) {
		return " "
	}
	return string(r)
}

// normalize is a string in comparison form, trimmed, line feeds as spaces.
func normalize(s string) string {
	nt := newNormText([]rune(strings.ReplaceAll(s, "\n", " ")))
	return strings.TrimSpace(nt.n)
}

// occurrences are the byte offsets in n where q starts.
func (nt *normText) occurrences(q string) []int {
	var at []int
	for from := 0; q != "" && from <= len(nt.n)-len(q); {
		k := strings.Index(nt.n[from:], q)
		if k < 0 {
			break
		}
		at = append(at, from+k)
		_, size := utf8.DecodeRuneInString(nt.n[from+k:])
		from += k + size
	}
	return at
}

// before and after: whether the text before offset k ends with p, or after
// offset e starts with s, in comparison form, a line feed counting as a space
// and the space next to the quote optional (as annotate matches context).
func (nt *normText) before(k int, p string) bool {
	if p == "" {
		return true
	}
	if k > 0 && (nt.n[k-1] == ' ' || nt.n[k-1] == '\n') {
		k--
	}
	return k >= len(p) && sameBreak(nt.n[k-len(p):k], p)
}

func (nt *normText) after(e int, s string) bool {
	if s == "" {
		return true
	}
	if e < len(nt.n) && (nt.n[e] == ' ' || nt.n[e] == '\n') {
		e++
	}
	return len(nt.n)-e >= len(s) && sameBreak(nt.n[e:e+len(s)], s)
}

func sameBreak(text, s string) bool {
	if len(text) != len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		a, b := text[i], s[i]
		if a == '\n' {
			a = ' '
		}
		if a != b {
			return false
		}
	}
	return true
}

// locate finds the one place a quote with its prefix and suffix anchors, as
// a text position.
func (nt *normText) locate(quote, prefix, suffix string) (int, bool) {
	q, p, s := normalize(quote), normalize(prefix), normalize(suffix)
	var hit []int
	for _, k := range nt.occurrences(q) {
		if nt.before(k, p) && nt.after(k+len(q), s) {
			hit = append(hit, k)
		}
	}
	if len(hit) != 1 {
		return 0, false
	}
	return nt.at[hit[0]], true
}

// span is the text range [start, end) of the n bytes of comparison form
// from offset k: from the character the first comes from to the last one the
// match takes, not counting the spaces and invisible characters the
// comparison form left out after it. It is the passage as the page has it,
// whatever the length of the quote as typed (other spaces, "..." for "…").
func (nt *normText) span(k, n int) (start, end int) {
	start, end = nt.at[k], nt.at[k+n]
	for end > start+1 {
		if s := normRune(nt.text[end-1]); s != "" && s != " " && s != "\n" {
			break
		}
		end--
	}
	return start, end
}

// choose finds where an incoming annotation's quote is in the text, as a text
// range: its only occurrence, or the one its prefix and suffix fit best (its
// position breaking ties). The message says why there is none.
func (nt *normText) choose(in Incoming) (start, end int, msg string) {
	q := normalize(in.Exact)
	all := nt.occurrences(q)
	if len(all) == 0 {
		if strings.Contains(strings.ReplaceAll(nt.n, "\n", " "), q) {
			return 0, 0, fmt.Sprintf("%s runs across paragraphs: annotate a passage within one", quoteMsg(in.Exact))
		}
		return 0, 0, fmt.Sprintf("%s is not in the article's text", quoteMsg(in.Exact))
	}
	if len(all) == 1 {
		start, end = nt.span(all[0], len(q))
		return start, end, ""
	}
	p, s := normalize(in.Prefix), normalize(in.Suffix)
	best, bestScore, tie := -1, -1, false
	for _, k := range all {
		// How much of the prefix and of the suffix fits, in bytes.
		score := 0
		for n := 1; n <= len(p) && nt.before(k, p[len(p)-n:]); n++ {
			score = n
		}
		for n := 1; n <= len(s) && nt.after(k+len(q), s[:n]); n++ {
			score++
		}
		switch {
		case score > bestScore:
			best, bestScore, tie = k, score, false
		case score == bestScore:
			if in.Start >= 0 {
				if abs(nt.at[k]-in.Start) < abs(nt.at[best]-in.Start) {
					best = k
				}
				tie = tie && abs(nt.at[k]-in.Start) == abs(nt.at[best]-in.Start)
			} else {
				tie = true
			}
		}
	}
	if tie {
		return 0, 0, fmt.Sprintf("%s occurs %d times and its prefix and suffix do not say which", quoteMsg(in.Exact), len(all))
	}
	start, end = nt.span(best, len(q))
	return start, end, ""
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// maxContextWords bounds the prefix or suffix an import writes.
const maxContextWords = 12

// context returns the quote at text range [at, end), and the shortest prefix
// or suffix, in whole words of the text, that makes it the only match: none
// when it is unique, a prefix when as short as a suffix.
func (nt *normText) context(at, end int) (quote, prefix, suffix string, ok bool) {
	quote = string(nt.text[at:end])
	q := normalize(quote)
	all := nt.occurrences(q)
	if len(all) <= 1 {
		return quote, "", "", len(all) == 1
	}
	k := slices.IndexFunc(all, func(k int) bool { return nt.at[k] == at })
	if k < 0 {
		return quote, "", "", false
	}
	self := all[k]
	unique := func(p, s string) bool {
		pn, sn := normalize(p), normalize(s)
		for _, o := range all {
			if o != self && nt.before(o, pn) && nt.after(o+len(q), sn) {
				return false
			}
		}
		return nt.before(self, pn) && nt.after(self+len(q), sn)
	}
	before := strings.Fields(string(nt.text[:at]))
	after := strings.Fields(string(nt.text[end:]))
	// The space between the context and the quote, where the text has one:
	// "Russia" runs on into "'s view", "ussia" is inside "Prussia".
	sp, ss := "", ""
	if at > 0 && unicode.IsSpace(nt.text[at-1]) {
		sp = " "
	}
	if end < len(nt.text) && unicode.IsSpace(nt.text[end]) {
		ss = " "
	}
	for w := 1; w <= maxContextWords; w++ {
		var p, s string
		if w <= len(before) {
			p = strings.Join(before[len(before)-w:], " ")
			if unique(p, "") {
				return quote, p + sp, "", true
			}
		}
		if w <= len(after) {
			s = strings.Join(after[:w], " ")
			if unique("", s) {
				return quote, "", ss + s, true
			}
		}
		if p != "" && s != "" && unique(p, s) {
			return quote, p + sp, ss + s, true
		}
	}
	return quote, "", "", false
}

// sourceForm returns s as it is written in the Markdown source, when the
// source has it verbatim up to typography (straight quotes the typographer
// curled, say) and without markup; else s.
func sourceForm(s string, md []byte) string {
	if s == "" {
		return s
	}
	lead := s[:len(s)-len(strings.TrimLeft(s, " "))]
	trail := s[len(strings.TrimRight(s, " ")):]
	core := strings.TrimSpace(s)
	want := normalize(core)
	src := newNormText([]rune(strings.ReplaceAll(string(md), "\n", " ")))
	k := strings.Index(src.n, want)
	if k < 0 {
		return s
	}
	raw := string(src.text[src.at[k]:src.at[k+len(want)]])
	if strings.ContainsAny(raw, "*_`[]\\<&") || normalize(raw) != want {
		return s
	}
	return lead + strings.Join(strings.Fields(raw), " ") + trail
}
