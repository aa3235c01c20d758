package content

import (
	"strconv"
	"strings"

	"github.com/dossier-news/dossier/internal/slugs"
)

// anchorMax bounds the title part of an event anchor, so ids stay short.
const anchorMax = 40

// Anchor is the event's id on the timeline page, e.g.
// "e2013-05-07-kerry-arrives-in-moscow": its date and up to 40 characters of
// its title's slug. i, the event's position in the timeline, stands in for a
// title with nothing to transliterate. Validate reports two events whose
// anchors would collide.
func (e *Event) Anchor(i int) string {
	slug := slugs.Make(e.Title)
	if len(slug) > anchorMax {
		slug = strings.TrimRight(slug[:anchorMax], "-")
	}
	if slug == "" {
		slug = strconv.Itoa(i + 1)
	}
	return "e" + e.Date.String() + "-" + slug
}
