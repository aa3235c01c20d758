// Package search builds dossier's full-text search index: an inverted index
// split into files so that a query in the browser downloads only what it
// needs (a small root, the chunks holding its words, and one small fragment
// per result shown), never the whole corpus.
//
// The index is built from Docs, plain records the build makes from the site
// graph, so this package knows nothing of articles or templates. Words are
// folded (case, accents) and stemmed (English Snowball) here, at build time;
// the browser never stems: every chunk lists the surface forms of each stem,
// and the stem itself, so a query word is looked up as written and lands on
// its stem's postings ("dog" finds "dogs" where no text says "dog").
//
// Files (under search/ in the site):
//
//	index.json          {"root":"root.H.json"}: the only name that is not content-addressed
//	root.H.json         chunk boundaries and hashes, facet groups, document count
//	c/H.json            a chunk: a range of surface forms; each stem with all its forms,
//	                    postings (document gap, BM25 impact) and its position part
//	x/H.json            positions of a run of a chunk's stems, fetched only for phrases
//	f/E/N.json          document N's fragment: title, URL, outlet, date, paragraphs
//
// H is a hash of the file's content; E is a hash of the assignment of
// document numbers, so a fragment's name changes whenever its number could
// mean another document. Two stems that both occur in many documents and
// stand side by side somewhere are also listed as a pair ("security
// council", under the stems' first forms), with the documents where they
// are adjacent: a phrase of common words then needs no positions.
package search

// Kinds of documents, in the order facets list them.
var Kinds = []string{"article", "person", "organisation", "place", "topic", "claim", "event"}

// Weights of the fields of a document, for ranking (BM25F-style weighted
// term frequencies): a word in a title or a name counts as many words of
// body text.
const (
	WeightTitle   = 6
	WeightName    = 5 // entity aliases
	WeightSummary = 2 // summaries, roles, verdicts
	WeightBody    = 1 // paragraphs, notes, bios, overviews
)

// Doc is one searchable page or part of a page.
type Doc struct {
	URL    string // link target, e.g. "/articles/x/" (paragraph anchors are added)
	Kind   string // one of Kinds
	Title  string
	Outlet string // articles only
	Year   int    // 0 when undated
	Date   string // ISO date for ordering ("2024-03-04", "2019"); "" when undated
	When   string // date as readers see it ("4 March 2024")
	// Summary is shown under the title when no paragraph matches the query.
	Summary string
	// Fields are extra searchable text (names, aliases, roles), not shown.
	Fields []Field
	// Paragraphs are shown as snippets, linked to URL#ID when ID is set.
	Paragraphs []Paragraph
	// ReadParagraphs, when set and Paragraphs is nil, makes the
	// paragraphs each time they are needed (a few times per build) and
	// passes them to read, so that a document's text is in memory only
	// while it is read: the build keeps article text compressed, and all
	// of it at once would outweigh the index. The paragraphs and their
	// strings may be views of the caller's buffer, valid during read only:
	// the index keeps copies of what it keeps (its words), never them.
	ReadParagraphs func(read func([]Paragraph))
	// ParagraphBytes, when ReadParagraphs is set and every paragraph it
	// makes has the default weight, is the length in bytes of their text:
	// the document's length is then known without loading them. 0 means
	// "load them to weigh them".
	ParagraphBytes int
	// Version, when set, identifies the content (e.g. the source file's
	// hash): a rebuild reuses the work done for a Doc of the same URL and
	// Version. Empty means "hash the content".
	Version string
}

// Field is weighted searchable text.
type Field struct {
	Text   string
	Weight int
}

// Paragraph is a block of text with the anchor that links to it.
type Paragraph struct {
	ID     string // "p3", "a2", or "" for text without an anchor
	Text   string
	Weight int // 0 means WeightBody
}

// withParagraphs passes d's paragraphs to read (see ReadParagraphs).
func (d *Doc) withParagraphs(read func([]Paragraph)) {
	if d.Paragraphs == nil && d.ReadParagraphs != nil {
		d.ReadParagraphs(read)
		return
	}
	read(d.Paragraphs)
}
