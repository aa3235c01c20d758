package content

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dossier-news/dossier/internal/bufpool"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/scratch"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/workpool"
)

// Folder names inside content/.
const (
	ConfigFile   = "dossier.yaml"
	TimelineName = "timeline.yaml"
	ArticlesDir  = "articles"
	TopicsDir    = "topics"
	EntitiesDir  = "entities"
	ClaimsDir    = "claims"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Load reads the content folder root/content. Every problem found is returned
// together as a diag.List (sorted); the Content is nil only when nothing could be
// read at all.
func Load(ctx context.Context, root string) (*Content, error) {
	return LoadWith(ctx, root, LoadOptions{})
}

// LoadOptions change what Load keeps.
type LoadOptions struct {
	// LaterBodies leaves every article's Body nil, so that the text of
	// every article is not held at once: a streamed build reads each one
	// again with ArticleBody when it renders it (at 100,000 articles the
	// text is most of a gigabyte).
	LaterBodies bool
}

// LoadWith is Load with options.
func LoadWith(ctx context.Context, root string, opts LoadOptions) (*Content, error) {
	c := &Content{Root: root}
	var problems diag.List
	dir := filepath.Join(root, "content")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		// Where it looked, since the folder may be one --src named: "pass
		// --src" alone told an editor who had passed it nothing.
		return nil, diag.List{diag.Errorf("content", 0, "no content/ folder in %s: pass the project folder (the one holding content/) as --src DIR, or run dossier inside it", root)}
	}

	cfgPath := filepath.Join(dir, ConfigFile)
	if data, err := ReadFile(root, rel(root, cfgPath), DefaultMaxFileSize); err == nil {
		cfg, ps := ParseConfig(rel(root, cfgPath), data)
		problems.Merge(ps)
		c.Config = cfg
	} else if !errors.Is(err, fs.ErrNotExist) {
		problems.Merge(diag.From(err, rel(root, cfgPath)))
		c.Config.File = rel(root, cfgPath)
	} else {
		c.Config.File = rel(root, cfgPath)
	}
	c.Config.applyDefaults()
	limit := c.Config.FileSizeLimit()

	problems.Merge(c.ReadTimeline())

	type job struct {
		kind string
		path string
	}
	var jobs []job
	for _, kind := range urls.ContentDirs {
		entries, err := os.ReadDir(filepath.Join(dir, kind))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			problems.Add(diag.Errorf(rel(root, filepath.Join(dir, kind)), 0, "cannot read folder: %v", err))
			continue
		}
		for _, e := range entries {
			read, warning := entryRole(kind, e.Name(), e.IsDir())
			if warning != "" {
				problems.Add(diag.Warnf(rel(root, filepath.Join(dir, kind, e.Name())), 0, "%s", warning))
			}
			if read {
				jobs = append(jobs, job{kind, filepath.Join(dir, kind, e.Name())})
			}
		}
	}

	// Parse files in parallel: front matter parsing dominates load time on big corpora.
	results := make([]any, len(jobs))
	probs := make([]diag.List, len(jobs))
	// An article loaded without its body keeps nothing of its file's
	// bytes (the front matter's values are copies): those are read into
	// buffers handed from one article to the next.
	var articleBufs bufpool.Buffers
	if err := workpool.Each(ctx, len(jobs), func(i int) {
		j := jobs[i]
		file := rel(root, j.path)
		buf := new(bytes.Buffer)
		if j.kind == ArticlesDir && opts.LaterBodies {
			buf = articleBufs.Get()
			defer articleBufs.Put(buf)
		}
		data, err := ReadFileInto(buf, root, file, limit)
		if err != nil {
			probs[i] = diag.From(err, file)
			return
		}
		results[i], probs[i] = ParseFilePartly(j.kind, file, data)
		if a, ok := results[i].(*Article); ok && opts.LaterBodies {
			a.Body = nil // and with it the file's bytes
		}
	}); err != nil {
		return nil, err
	}
	for i, r := range results {
		problems.Merge(probs[i])
		if a, ok := r.(*Article); ok && a.IsBroken() {
			c.Broken = append(c.Broken, a)
			r = nil // unloaded, as far as the dossier goes
		}
		if r == nil {
			if c.Unloaded == nil {
				c.Unloaded = map[string]bool{}
			}
			c.Unloaded[jobs[i].kind+"/"+strings.TrimSuffix(filepath.Base(jobs[i].path), ".md")] = true
		}
		switch v := r.(type) {
		case *Article:
			c.Articles = append(c.Articles, v)
		case *Topic:
			c.Topics = append(c.Topics, v)
		case *Entity:
			c.Entities = append(c.Entities, v)
		case *Claim:
			c.Claims = append(c.Claims, v)
		}
	}
	c.Sort()
	problems.Merge(Validate(c))
	problems.Sort()
	if len(problems) > 0 {
		return c, problems
	}
	return c, nil
}

// TimelinePath is the timeline's path relative to the project root.
const TimelinePath = "content/" + TimelineName

// ReadTimeline reads content/timeline.yaml (again) into c.Timeline and
// c.TimelineFile, as Load does, and returns its problems. c.Root and
// c.Config must be set.
func (c *Content) ReadTimeline() diag.List {
	c.Timeline, c.TimelineFile, c.BrokenEvents, c.timelineUnread = nil, "", nil, nil
	data, err := ReadFile(c.Root, TimelinePath, c.Config.FileSizeLimit())
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		c.timelineUnread = map[int]bool{}
		return diag.From(err, TimelinePath)
	}
	c.TimelineFile = TimelinePath
	evs, ps := ParseTimelinePartly(c.TimelineFile, data)
	if len(ps) == 0 {
		c.Timeline = evs
		return nil
	}
	c.BrokenEvents = evs
	c.timelineUnread = make(map[int]bool, len(ps))
	for _, p := range ps {
		c.timelineUnread[p.Line] = true
	}
	return ps
}

// TimelineBroken reports whether timeline.yaml exists but has problems of
// its own (or cannot be read): the site then has no timeline, as it has no
// page of an article whose front matter has problems.
func (c *Content) TimelineBroken() bool { return c.timelineUnread != nil }

// TimelineUnreadLine reports whether line n of a broken timeline.yaml holds
// one of its own problems: a check of what is there would repeat it.
func (c *Content) TimelineUnreadLine(n int) bool { return c.timelineUnread[n] }

// entryRole says what Load does with the entry name of the folder
// content/kind: read it, or warn that it is not read, or neither.
// Editors' scratch files are skipped; a folder only when hidden (vim's
// all-digit scratch names are files, 2013/ is a folder).
func entryRole(kind, name string, dir bool) (read bool, warning string) {
	if scratch.Skipped(name, dir) {
		return false, ""
	}
	if w := unreadName(kind, name, dir); w != "" {
		return false, w
	}
	return !dir && strings.HasSuffix(name, ".md"), ""
}

// kindEntry splits rel (slash-separated, relative to the project root)
// into a kind's folder and an entry of it ("content/topics/x.md"), or says
// it is no such entry.
func kindEntry(rel string) (kind, name string, ok bool) {
	parts := strings.Split(rel, "/")
	if len(parts) != 3 || parts[0] != "content" || !slices.Contains(urls.ContentDirs, parts[1]) {
		return "", "", false
	}
	return parts[1], parts[2], true
}

// Change is what a change to a path is to Load.
type Change int

const (
	// ChangeNone: a file in one of the kinds' folders that Load neither
	// reads nor warns about (the temporary file perl -i writes beside an
	// article and renames over it, a notes.txt) changes nothing.
	ChangeNone Change = iota
	// ChangeFile: a file of a kind's folder that Load reads, or would
	// read, gone now: the one file can be read again alone.
	ChangeFile
	// ChangeOther: anything else (a folder, a file Load warns about, a
	// path elsewhere), which only a whole load gets right.
	ChangeOther
)

// ChangeOf says what a change to rel (slash-separated, relative to the
// project root root) is to Load, judging rel as it is now. A path gone
// since is judged as a file: a watcher reports a folder that went away as
// such (serve's Watcher rebuilds everything then).
func ChangeOf(root, rel string) Change {
	kind, name, ok := kindEntry(rel)
	if !ok {
		return ChangeOther
	}
	dir := false
	if fi, err := os.Lstat(filepath.Join(root, filepath.FromSlash(rel))); err == nil {
		dir = fi.IsDir()
	}
	switch read, warning := entryRole(kind, name, dir); {
	case read:
		return ChangeFile
	case warning != "":
		return ChangeOther
	}
	return ChangeNone
}

// ChangeMatters reports whether a change to rel may change what Load reads
// or says (see ChangeOf).
func ChangeMatters(root, rel string) bool { return ChangeOf(root, rel) != ChangeNone }

// FolderMatters reports whether a folder at rel (slash-separated, relative to
// the project root), created empty, changes what Load says: one directly in
// an articles, topics, entities or claims folder, which Load warns it does
// not read. Other empty folders change nothing.
func FolderMatters(rel string) bool {
	kind, name, ok := kindEntry(rel)
	if !ok {
		return false
	}
	_, warning := entryRole(kind, name, true)
	return warning != ""
}

// markdownExts are the extensions editors give Markdown files, other than
// the .md dossier reads.
var markdownExts = []string{".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn"}

// unreadName says why an entry of a content folder that looks meant to be
// read is not (a subfolder, a Markdown file not named .md), or "": such a
// file would otherwise be left out of the site without a word.
func unreadName(kind, name string, dir bool) string {
	if dir {
		return fmt.Sprintf("this folder is not read: dossier reads the .md files directly in content/%s/; move its files up a level (names must differ), or move the folder out of content/", kind)
	}
	if strings.HasSuffix(name, ".md") {
		return ""
	}
	lower := strings.ToLower(name)
	for _, ext := range markdownExts {
		if strings.HasSuffix(lower, ext) {
			return fmt.Sprintf("this file is not read: only files ending in .md (lower case) are; rename it %s.md", name[:len(name)-len(ext)])
		}
	}
	return ""
}

// Sort puts every slice in its canonical order.
func (c *Content) Sort() {
	sort.Slice(c.Articles, func(i, j int) bool { return c.Articles[i].Slug < c.Articles[j].Slug })
	sort.Slice(c.Topics, func(i, j int) bool { return c.Topics[i].Slug < c.Topics[j].Slug })
	sort.Slice(c.Entities, func(i, j int) bool { return c.Entities[i].Slug < c.Entities[j].Slug })
	sort.Slice(c.Claims, func(i, j int) bool { return c.Claims[i].Slug < c.Claims[j].Slug })
	sort.Slice(c.Broken, func(i, j int) bool { return c.Broken[i].Slug < c.Broken[j].Slug })
	sort.SliceStable(c.Timeline, func(i, j int) bool { return c.Timeline[i].Date.Compare(c.Timeline[j].Date) < 0 })
	sort.SliceStable(c.BrokenEvents, func(i, j int) bool { return c.BrokenEvents[i].Date.Compare(c.BrokenEvents[j].Date) < 0 })
}

func rel(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// ParseFile parses one Markdown file of the given kind (ArticlesDir, TopicsDir,
// EntitiesDir or ClaimsDir). file is the path reported in problems; its base name
// gives the slug. A file with problems gives nil.
func ParseFile(kind, file string, data []byte) (any, diag.List) {
	v, ps := ParseFilePartly(kind, file, data)
	if a, ok := v.(*Article); ok && a.IsBroken() {
		return nil, ps
	}
	return v, ps
}

// ParseFilePartly is ParseFile, but for an article whose front matter has
// problems it gives what could be read of it, for Content.Broken (IsBroken
// tells it from one without problems).
func ParseFilePartly(kind, file string, data []byte) (any, diag.List) {
	slug := strings.TrimSuffix(path.Base(file), ".md")
	var problems diag.List
	if !slugRE.MatchString(slug) {
		problems.Add(diag.Errorf(file, 0, "file name %q is not a valid slug: use lowercase letters, digits and single dashes (it becomes the page URL)", path.Base(file)))
	}
	fm, body, bodyLine, err := splitFrontMatter(data)
	if err != nil {
		problems.Add(splitProblem(file, err))
		return nil, problems
	}
	src := Source{File: file, BodyLine: bodyLine, Hash: hashOf(data)}
	var target any
	switch kind {
	case ArticlesDir:
		target = &Article{Slug: slug, Body: body, hasText: len(bytes.TrimSpace(body)) > 0}
	case TopicsDir:
		target = &Topic{Slug: slug, Body: body}
	case EntitiesDir:
		target = &Entity{Slug: slug, Body: body}
	case ClaimsDir:
		target = &Claim{Slug: slug, Body: body}
	default:
		problems.Add(diag.Errorf(file, 0, "unknown content kind %q", kind))
		return nil, problems
	}
	lines, ps := decodeStrict(file, fm, target)
	problems.Merge(ps)
	if len(ps) > 0 {
		a, ok := target.(*Article)
		if !ok || len(problems) > len(ps) {
			return nil, problems // only articles are kept partly, with a valid name
		}
		a.unreadLines = map[int]bool{}
		for _, p := range ps {
			a.unreadLines[p.Line] = true
		}
	}
	src.Lines = lines
	switch v := target.(type) {
	case *Article:
		v.Source = src
		for i := range v.Annotations {
			v.Annotations[i].Line = src.Line(fmt.Sprintf("annotations[%d]", i))
		}
	case *Topic:
		v.Source = src
	case *Entity:
		v.Source = src
	case *Claim:
		v.Source = src
	}
	return target, problems
}

// ArticleBody reads the Markdown of an article loaded with
// LoadOptions.LaterBodies again. The file must be the one loaded: if an
// editor saved it since, its front matter may no longer be what the rest
// of the build used, and the build must start again.
func (c *Content) ArticleBody(a *Article) ([]byte, diag.List) {
	return c.ArticleBodyInto(new(bytes.Buffer), a)
}

// ArticleBodyInto is ArticleBody read into buf: the body is buf's bytes.
func (c *Content) ArticleBodyInto(buf *bytes.Buffer, a *Article) ([]byte, diag.List) {
	data, err := ReadFileInto(buf, c.Root, a.File, c.Config.FileSizeLimit())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, diag.List{diag.Errorf(a.File, 0, "the file was removed while dossier was building: build again")}
	}
	if err != nil {
		return nil, diag.From(err, a.File)
	}
	if hashOf(data) != a.Hash {
		return nil, diag.List{diag.Errorf(a.File, 0, "the file changed while dossier was building: build again")}
	}
	_, body, _, err := splitFrontMatter(data)
	if err != nil {
		return nil, diag.List{splitProblem(a.File, err)}
	}
	return body, nil
}

// IsBroken says a is an article ParseFilePartly read only partly: it
// belongs in Content.Broken.
func (a *Article) IsBroken() bool { return a.unreadLines != nil }

// UnreadLine reports whether line n of a broken article's file holds one of
// its front matter's problems: a check of what is there would repeat it.
func (a *Article) UnreadLine(n int) bool { return a.unreadLines[n] }

// ReadField reports whether the front-matter field key was read: written,
// and not at one of the front matter's problems.
func (a *Article) ReadField(key string) bool {
	n, ok := a.Lines[key]
	return ok && !a.unreadLines[n]
}

func hashOf(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// splitFrontMatter returns the YAML front matter (including its opening "---"
// line, so that YAML line numbers are file line numbers), the body and the
// body's first line.
// utf8BOM is the byte order mark some editors put at the start of a file.
var utf8BOM = []byte("\xef\xbb\xbf")

func splitFrontMatter(data []byte) (fm, body []byte, bodyLine int, err error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	first, _, found := bytes.Cut(data, []byte("\n"))
	if !found || !OpensFrontMatter(string(first)) {
		return nil, nil, 0, fmt.Errorf("missing front matter: the file must start with a line \"---\", the YAML fields, and another \"---\" line")
	}
	line := 1
	i := len(first) + 1
	for i <= len(data) {
		j := bytes.IndexByte(data[i:], '\n')
		var l []byte
		end := len(data)
		if j >= 0 {
			end = i + j + 1
		}
		l = data[i:end]
		line++
		if ClosesFrontMatter(string(l)) {
			if line == 2 && fieldsBelow(data[end:]) {
				return nil, nil, 0, &splitError{line: 2, msg: "the front matter is empty: this \"---\" closes it as soon as it opens, and the fields below it are read as text: remove this line"}
			}
			return data[:i], data[end:], line + 1, nil
		}
		if j < 0 {
			break
		}
		i = end
	}
	return nil, nil, 0, fmt.Errorf("front matter is not closed: add a line \"---\" after the YAML fields")
}

// splitError is a problem of splitFrontMatter's at a line other than the
// first.
type splitError struct {
	line int
	msg  string
}

func (e *splitError) Error() string { return e.msg }

// splitProblem is splitFrontMatter's error as a problem of file, at its
// line: the first, unless it says.
func splitProblem(file string, err error) diag.Problem {
	line := 1
	var se *splitError
	if errors.As(err, &se) {
		line = se.line
	}
	return diag.Errorf(file, line, "%v", err)
}

// fieldLine is a line that reads as a front-matter field: "title: Kerry
// in Moscow", "topics:" (the fields' names start in lower case; text such
// as "Note: ..." does not).
var fieldLine = regexp.MustCompile(`^[a-z][A-Za-z0-9_-]*:(?:[ \t]|$)`)

// fieldsBelow reports whether body, what follows an empty front matter,
// starts with a field line and holds a "---" line further down: the front
// matter written below a "---" line too many.
func fieldsBelow(body []byte) bool {
	lines := strings.Split(string(body[:min(len(body), 64<<10)]), "\n")
	k := 0
	for k < len(lines) && strings.TrimSpace(lines[k]) == "" {
		k++
	}
	if k == len(lines) || !fieldLine.MatchString(strings.TrimRight(lines[k], "\r")) {
		return false
	}
	for _, l := range lines[k+1:] {
		if ClosesFrontMatter(l) {
			return true
		}
	}
	return false
}

// OpensFrontMatter reports whether a line (with or without its line ending)
// opens a file's front matter: "---", and spaces or tabs after it, which
// editors leave and nobody sees.
func OpensFrontMatter(line string) bool {
	return strings.TrimRight(line, " \t\r\n") == "---"
}

// ClosesFrontMatter reports whether a line (with or without its line ending)
// closes the front matter: "---" or YAML's "...", and spaces or tabs after it.
func ClosesFrontMatter(line string) bool {
	t := strings.TrimRight(line, " \t\r\n")
	return t == "---" || t == "..."
}

// decodeStrict decodes YAML into target, rejecting unknown keys, duplicate keys
// and wrong types, and returns each key's line and every problem found.
func decodeStrict(file string, src []byte, target any) (map[string]int, diag.List) {
	// A byte order mark, which some Windows editors write, is not part of
	// the first key.
	src = bytes.TrimPrefix(src, utf8BOM)
	if len(bytes.TrimSpace(bytes.TrimPrefix(src, []byte("---")))) == 0 {
		return map[string]int{}, nil
	}
	return decodeYAML(file, src, target, "")
}

// ParseConfig parses dossier.yaml.
func ParseConfig(file string, data []byte) (Config, diag.List) {
	var cfg Config
	lines, ps := decodeStrict(file, data, &cfg)
	cfg.File = file
	cfg.Lines = lines
	return cfg, ps
}

func (c *Config) applyDefaults() {
	if c.Title == "" {
		c.Title = "Dossier"
	}
	if c.Language == "" {
		c.Language = "en"
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://localhost:8080/"
	}
}

// ParseTimeline parses timeline.yaml: a list of events (or a mapping with an
// `events` list). A timeline with problems gives no events.
func ParseTimeline(file string, data []byte) ([]*Event, diag.List) {
	evs, ps := ParseTimelinePartly(file, data)
	if len(ps) > 0 {
		return nil, ps
	}
	return evs, nil
}

// ParseTimelinePartly is ParseTimeline, but a timeline with problems gives
// its events as far as they could be read (for Content.BrokenEvents): one
// event's bad date must not hide another's unknown article until it is fixed.
func ParseTimelinePartly(file string, data []byte) ([]*Event, diag.List) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	var evs []*Event
	var lines map[string]int
	var ps diag.List
	if c := firstContentLine(data); c == '-' || c == '[' {
		lines, ps = decodeYAML(file, data, &evs, "events")
	} else {
		var wrapped struct {
			Events []*Event `yaml:"events"`
		}
		lines, ps = decodeStrict(file, data, &wrapped)
		evs = wrapped.Events
	}
	// Each event's field lines ("events[3].articles[1]"), in one pass over
	// the keys, not one a event: a timeline of thousands of events.
	for k, n := range lines {
		rest, ok := strings.CutPrefix(k, "events[")
		if !ok {
			continue
		}
		idx, field, ok := strings.Cut(rest, "].")
		if !ok {
			continue
		}
		if i, err := strconv.Atoi(idx); err == nil && i >= 0 && i < len(evs) && evs[i] != nil {
			if evs[i].FieldLines == nil {
				evs[i].FieldLines = map[string]int{}
			}
			evs[i].FieldLines[field] = n
		}
	}
	var out []*Event
	for i, e := range evs {
		if e == nil {
			ps.Add(diag.Errorf(file, lines[fmt.Sprintf("events[%d]", i)], "event %d is empty: give it a date and a title", i+1))
			continue
		}
		e.Line = lines[fmt.Sprintf("events[%d]", i)]
		out = append(out, e)
	}
	return out, ps
}

// firstContentLine returns the first byte of the first line that is neither
// blank nor a comment: '-' or '[' for a top-level list.
func firstContentLine(data []byte) byte {
	for _, l := range bytes.Split(data, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if len(l) == 0 || l[0] == '#' || string(l) == "---" {
			continue
		}
		return l[0]
	}
	return 0
}
