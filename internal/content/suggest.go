package content

import (
	"strings"

	"github.com/agnivade/levenshtein"
)

// Suggest returns the candidate closest to name by edit distance, ignoring
// case, or "" when none is close enough to be what the editor meant: one edit
// for a name of up to three letters, else two, or a third of the name's
// length for long names (article slugs).
func Suggest(name string, candidates []string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return ""
	}
	limit := max(2, len([]rune(n))/3)
	if len([]rune(n)) <= 3 {
		limit = 1
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(n, strings.ToLower(c))
		if d < bestD || d == bestD && best != "" && c < best {
			best, bestD = c, d
		}
	}
	if best == name {
		return ""
	}
	return best
}

// didYouMean is " (did you mean "x"?)" for the closest candidate, or "".
func didYouMean(name string, candidates []string) string {
	if s := Suggest(name, candidates); s != "" {
		return ": did you mean \"" + s + "\"?"
	}
	return ""
}
