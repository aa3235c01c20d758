// Package content is the first pipeline stage: it reads an editor's content/
// folder (dossier.yaml, articles, topics, entities, claims, timeline.yaml),
// parses YAML strictly with line numbers, and returns a plain data model. It
// knows nothing of Markdown or HTML; later stages take it from here.
package content

// Config is content/dossier.yaml: site-wide settings.
type Config struct {
	Title       string    `yaml:"title"`
	Description string    `yaml:"description"`
	BaseURL     string    `yaml:"baseURL"`
	Language    string    `yaml:"language"`
	Author      string    `yaml:"author"`
	Nav         []NavItem `yaml:"nav"`
	// CNAME is a custom domain for GitHub Pages; written to the output's CNAME file.
	CNAME string `yaml:"cname"`
	// UnsafeHTML lets raw HTML in every Markdown file through unescaped. Off by
	// default: an editor opts in here or per article with `rawHTML: true`.
	UnsafeHTML bool `yaml:"unsafeHTML"`
	// Copyright is shown in the footer and feed, when set.
	Copyright string `yaml:"copyright"`
	// MaxFileSize is the largest content file read ("32MB", "512KB"; default
	// DefaultMaxFileSize); see FileSizeLimit.
	MaxFileSize string `yaml:"maxFileSize"`

	File  string         `yaml:"-"`
	Lines map[string]int `yaml:"-"`
}

// NavItem is one entry in the site's navigation bar. URL is site-relative
// ("/topics/") or absolute ("https://...").
type NavItem struct {
	Title string `yaml:"title"`
	URL   string `yaml:"url"`
}

// Source locates a piece of content: its file (relative to the project folder,
// slash-separated), the line each front-matter key starts on, and where the
// Markdown body begins.
type Source struct {
	File     string
	Lines    map[string]int // "title" -> 2, "topics[1]" -> 7, "annotations[0]" -> 12
	BodyLine int            // 1-based line of the first body line
	Hash     string         // hex SHA-256 of the file's bytes, for incremental rebuilds
}

// TextLine is the line the text of the field key starts on: the key's own
// line, or the next for a block (note: |, note: >-). A Markdown field's
// problems are counted from it.
func (s Source) TextLine(key string) int {
	if n, ok := s.Lines[key+textLineSuffix]; ok {
		return n
	}
	return s.Line(key)
}

// textLineSuffix marks, in Source.Lines, the line a block's text starts on.
const textLineSuffix = "#text"

// Line returns the line of a front-matter key (e.g. "topics[2]"), falling back
// to its parent key ("topics") and then to line 1.
func (s Source) Line(key string) int {
	if n, ok := s.Lines[key]; ok {
		return n
	}
	for i := len(key) - 1; i > 0; i-- {
		if key[i] == '[' || key[i] == '.' {
			if n, ok := s.Lines[key[:i]]; ok {
				return n
			}
		}
	}
	return 1
}

// Article is one rendition of a source article.
type Article struct {
	Slug   string `yaml:"-"`
	Source `yaml:"-"`

	Title   string   `yaml:"title"`
	Outlet  string   `yaml:"outlet"`
	Date    Date     `yaml:"date"`
	Byline  string   `yaml:"byline"`
	URL     string   `yaml:"source"` // original URL where known
	Topics  []string `yaml:"topics"`
	Summary string   `yaml:"summary"`
	// Original names the scraped page text this rendition was made from, a
	// file under content/originals/, relative to this file
	// ("../originals/<slug>.txt"). The build checks the rendition against it.
	Original string `yaml:"original"`
	// Unverified says why an article has no original (a print edition, a
	// page lost): the rendition is then shown as not verified, on purpose.
	Unverified string `yaml:"unverified"`
	// Removed is the provenance list: what the editor left out of the
	// original, each entry quoting the passage and saying why.
	Removed     []Removal    `yaml:"removed"`
	Annotations []Annotation `yaml:"annotations"`
	// EditorNote is a short Markdown note on the rendition itself (how the date
	// or outlet was established, what is uncertain); shown in the provenance box.
	EditorNote string `yaml:"editorNote"`
	// RawHTML opts this article into unescaped raw HTML.
	RawHTML bool `yaml:"rawHTML"`

	Body []byte `yaml:"-"` // Markdown after the front matter
	// hasText says the file had text after its front matter, for an
	// article loaded without its Body (LoadOptions.LaterBodies).
	hasText bool
	// unreadLines are, for an article in Content.Broken, the lines of its
	// front matter's problems: fields left unread there, whose checks
	// would only repeat them (see Validate).
	unreadLines map[int]bool
}

// Annotation is an editor's note anchored to an exact quoted passage.
type Annotation struct {
	Quote  string `yaml:"quote"`
	Prefix string `yaml:"prefix"`
	Suffix string `yaml:"suffix"`
	Kind   string `yaml:"kind"` // context | correction | fact-check | editorial
	Claim  string `yaml:"claim"`
	// Speaker attributes the quoted passage to an entity (slug) as their words.
	Speaker string `yaml:"speaker"`
	Note    string `yaml:"note"` // Markdown

	Line int `yaml:"-"`
}

// AnnotationKinds lists the allowed annotation kinds, in display order.
var AnnotationKinds = []string{"context", "correction", "fact-check", "editorial"}

// Topic is an editorial overview of one topic.
type Topic struct {
	Slug   string `yaml:"-"`
	Source `yaml:"-"`

	Title   string `yaml:"title"`
	Summary string `yaml:"summary"`
	// Keywords are extra words that mark a passage as speaking of this topic
	// (the title's own words are always used).
	Keywords []string `yaml:"keywords"`

	Body []byte `yaml:"-"`
}

// Entity is a person, organisation or place.
type Entity struct {
	Slug   string `yaml:"-"`
	Source `yaml:"-"`

	Name    string   `yaml:"name"`
	Kind    string   `yaml:"kind"` // person | organisation | place
	Aliases []string `yaml:"aliases"`
	Role    string   `yaml:"role"`

	Body []byte `yaml:"-"` // short bio, Markdown
}

// EntityKinds lists the allowed entity kinds, in display order.
var EntityKinds = []string{"person", "organisation", "place"}

// Claim is a claim several sources make; annotations with `claim: <slug>` are its evidence.
type Claim struct {
	Slug   string `yaml:"-"`
	Source `yaml:"-"`

	Title   string `yaml:"title"`   // the claim in neutral words
	Verdict string `yaml:"verdict"` // the editor's verdict in a few words

	Body []byte `yaml:"-"` // the editor's note on agreement or conflict, Markdown
}

// Event is one dated entry of content/timeline.yaml.
type Event struct {
	Date     Date     `yaml:"date"`
	Title    string   `yaml:"title"`
	Note     string   `yaml:"note"` // Markdown
	Articles []string `yaml:"articles"`
	Topics   []string `yaml:"topics"`

	Line int `yaml:"-"`
	// FieldLines has the line of each field and list item ("title",
	// "articles[1]"), for problems at the line to fix.
	FieldLines map[string]int `yaml:"-"`
}

// FieldLine returns the line of the event's field key ("articles[1]"), or
// the event's first line when it is not known.
func (e *Event) FieldLine(key string) int {
	if n := e.FieldLines[key]; n > 0 {
		return n
	}
	return e.Line
}

// TextLine is the line the text of the event's field key starts on (see
// Source.TextLine).
func (e *Event) TextLine(key string) int {
	if n := e.FieldLines[key+textLineSuffix]; n > 0 {
		return n
	}
	return e.FieldLine(key)
}

// Content is everything loaded from one content folder. Slices are sorted by
// slug (events by date), so every later stage sees a deterministic order.
type Content struct {
	Root     string // the project folder
	Config   Config
	Articles []*Article
	Topics   []*Topic
	Entities []*Entity
	Claims   []*Claim
	Timeline []*Event
	// TimelineFile is the timeline's path relative to Root ("" when absent).
	TimelineFile string
	// BrokenEvents are, when timeline.yaml has problems (TimelineBroken),
	// its events as far as they could be read: not part of the dossier
	// (Timeline is empty, as a file with problems shows nothing), kept so
	// that Validate lists their other problems (an article that does not
	// exist, two events with one anchor) with the file's own, all at once.
	// By date.
	BrokenEvents []*Event
	// timelineUnread are, when timeline.yaml has problems, the lines they
	// are at (empty when it could not be read at all); nil otherwise.
	timelineUnread map[int]bool
	// Unloaded names the content files that exist but could not be read or
	// parsed, as "<kind dir>/<slug>" ("topics/syria"): their own problems are
	// reported, and references to them are not reported again as references
	// to missing files (one broken file, one set of problems).
	Unloaded map[string]bool
	// Broken are the articles whose front matter has problems, as far as
	// it could be read: not part of the dossier (nothing shows them or
	// refers to them; they are in Unloaded), kept so that Validate lists
	// their other problems (a topic that does not exist, an annotation's
	// kind) with the front matter's, all at once. By slug.
	Broken []*Article
}
