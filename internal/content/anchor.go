package content

import "github.com/dossier-news/dossier/internal/urls"

// Anchor is the event's id on the timeline page, e.g.
// "e2013-05-07-kerry-arrives-in-moscow" (the rule is urls.Event's). i, the
// event's position in the timeline, stands in for a title with nothing to
// transliterate. Validate reports two events whose anchors would collide.
func (e *Event) Anchor(i int) string { return urls.Event(e.Date.String(), e.Title, i) }
