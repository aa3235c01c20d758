// Package annotate is the pipeline stage that works on an article's rendered
// HTML: it anchors editors' annotations to the passages they quote and links
// the first mention of each known entity. It also splits rendered text into
// paragraphs and sentences for the stages that quote articles elsewhere
// (topic, entity and claim pages, search).
//
// # Anchoring
//
// Anchoring follows Hypothesis's text-quote selectors, applied to the rendered
// text rather than the Markdown, because that is what the editor copied from
// and what the reader sees. The text of the document is its text nodes with
// entities decoded (scripts, styles, footnote reference numbers and notes
// already placed are left out). Text and quote are compared in a normal form:
// ‘ ’ ‚ ‛ ′ become ', “ ” „ ″ become ", every dash and any run of dashes ("--",
// "---", – —) becomes -, … becomes ..., « » become << >>, and any run of
// whitespace (non-breaking spaces included) one space, and accented letters
// are compared decomposed (NFD: "ë" typed as one character or as e and a
// combining mark). Case matters. A quote
// must lie within one block (paragraph, list item, heading, table cell...);
// prefix and suffix may reach into the neighbouring blocks, and the
// whitespace where they meet the quote is optional.
//
// A quote must match exactly once, prefix and suffix taken into account;
// otherwise the note is reported (with a near match for a missing quote, the
// paragraphs for an ambiguous one) and left out. Two quotes may nest,
// including covering the same text, in which case their marks nest; two that
// partly overlap are an error on the one that starts later in the text.
//
// # Markup
//
// For the CSS author. A passage is wrapped in one <mark> per run of text
// inside one element (a passage running into an <em> or a link gets several),
// so the tree stays well-formed:
//
//	<mark class="ann ann-KIND" data-note="ID" data-kind="KIND" id="ID" aria-describedby="ID-n">…</mark>
//
// Only the first mark has id and aria-describedby. Right after the last mark
// (after the enclosing </a> when the passage ends inside a link, as
// interactive content cannot nest) comes the note, Tufte-style, all phrasing
// content so it may sit inside a <p>:
//
//	<sup class="note-ref" aria-hidden="true"><label for="ID-t" class="note-toggle-label">N</label></sup>
//	<input type="checkbox" id="ID-t" class="note-toggle" aria-label="Note N, LABEL" aria-controls="ID-n">
//	<span class="note note-KIND" id="ID-n" role="note" aria-label="Note N, LABEL">
//	  <span class="note-num">N</span> <span class="note-kind">LABEL</span> BODY</span>
//
// (one line in the output, no whitespace between the elements). The order
// sup, input, span lets `.note-toggle:checked + .note` reveal the note and
// `.note-ref:has(+ .note-toggle:focus-visible)` show focus on the number.
//
// The checkbox, not the number, is the accessible control: the number is only
// a visual click target (a <label> cannot take focus), so it is hidden from
// assistive technology, and the checkbox carries the note's name instead of
// aria-hidden, since a focusable control must never be hidden from it. The CSS
// should therefore, on narrow screens, hide the checkbox visually but keep it
// focusable (clip it, do not use display:none) and hide .note until
// .note-toggle:checked; on wide screens float .note into the margin and give
// the checkbox display:none, as it does nothing there. Screen readers then
// read the passage, then the note in place (role=note), or on narrow screens a
// "Note 3, Fact check" checkbox that reveals it.
//
// # Entity links
//
// The first mention of each entity in normal text becomes
//
//	<a class="entity" href="URL" data-entity="SLUG">Name</a>
//
// placed inside any mark around it. See Linker.Link for which mentions count.
package annotate
