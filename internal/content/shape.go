package content

import (
	"regexp"
	"strings"

	"github.com/dossier-news/dossier/internal/diag"
)

// Limits on the shape of YAML, checked before the parser sees it. The YAML
// parser (goccy/go-yaml) takes time quadratic in the number of keys of one
// block mapping (each key after the first is parsed one call deeper, and
// every call copies the keys after it: 160,000 keys, 1.6 MB, took 94 s),
// and memory quadratic in how deep lists and mappings nest on one line
// (each level keeps its whole path as a string: "[[[[...]]]]" 40,000 deep,
// 80 KB, took 2.4 GB). No content file comes near either limit: an article
// has 15 fields, an annotation 7.
const (
	// maxMapKeys is the most keys of one block mapping.
	maxMapKeys = 1000
	// maxNesting is the deepest nesting of flow collections ([...] and
	// {...}) and of compact sequences ("- - x") in one value.
	maxNesting = 64
)

// mapKeyRE matches a line's block mapping key (after its indent and any
// "- "): a quoted or plain key, then ':' and a space or the line's end.
var mapKeyRE = regexp.MustCompile(`^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'\[\]{}#&*!|>%@` + "`" + `,?:-][^#]*?|[?:-][^\s#]*?):(?:[ \t]|$)`)

// blockScalarRE matches a value that starts a literal or folded block.
var blockScalarRE = regexp.MustCompile(`^[|>][-+0-9]*[ \t]*(?:#.*)?$`)

// checkShape reports the first place where src, YAML, exceeds maxMapKeys or
// maxNesting, at its file line. One pass over src; it reads lines as YAML
// lays them out (indentation, "- ", "key: ", block scalars, quotes in flow
// collections), which is enough to count keys and depth: a line it misreads
// can only make a count smaller or count a key in a mapping of its own.
func checkShape(file string, src []byte) diag.List {
	type level struct{ col, keys, line int }
	var stack []level
	scalarCol := -1 // inside a block scalar: lines indented deeper than this
	flow, flowLine := 0, 0
	lines := strings.Split(string(src), "\n")
	for n, line := range lines {
		line = strings.TrimRight(line, "\r")
		indent := len(line) - len(strings.TrimLeft(line, " "))
		rest := line[indent:]
		if scalarCol >= 0 {
			if strings.TrimSpace(line) == "" || indent > scalarCol {
				continue
			}
			scalarCol = -1
		}
		if flow > 0 {
			depth, deepest := flowDepth(line, flow)
			if deepest > maxNesting {
				return nestingProblem(file, flowLine)
			}
			flow = depth
			continue
		}
		if rest == "" || rest[0] == '#' || rest == "---" || rest == "..." {
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].col > indent {
			stack = stack[:len(stack)-1]
		}
		col, items := indent, 0
		for rest == "-" || strings.HasPrefix(rest, "- ") {
			items++
			trimmed := strings.TrimLeft(rest[1:], " ")
			col += len(rest) - len(trimmed)
			rest = trimmed
		}
		if items > maxNesting {
			return nestingProblem(file, n+1)
		}
		parent := indent + 2*max(items-1, 0) // the column of the last "- "
		if m := mapKeyRE.FindString(rest); m != "" {
			if items > 0 {
				for len(stack) > 0 && stack[len(stack)-1].col >= col {
					stack = stack[:len(stack)-1]
				}
			}
			if len(stack) > 0 && stack[len(stack)-1].col == col {
				top := &stack[len(stack)-1]
				top.keys++
				if top.keys > maxMapKeys {
					return diag.List{diag.Errorf(file, n+1, "more than %d fields in one mapping (the one starting at line %d): dossier reads at most %d, and no content file needs that many; remove the fields that do not belong there", maxMapKeys, top.line, maxMapKeys)}
				}
			} else {
				stack = append(stack, level{col, 1, n + 1})
			}
			parent = col
			rest = strings.TrimLeft(rest[len(m):], " \t")
		}
		switch {
		case blockScalarRE.MatchString(rest):
			scalarCol = parent
		case strings.HasPrefix(rest, "[") || strings.HasPrefix(rest, "{"):
			depth, deepest := flowDepth(rest, 0)
			if deepest > maxNesting {
				return nestingProblem(file, n+1)
			}
			flow, flowLine = depth, n+1
		}
	}
	return nil
}

func nestingProblem(file string, line int) diag.List {
	return diag.List{diag.Errorf(file, line, "lists or sets of fields nested more than %d deep (in [ ], { } or \"- - \"): dossier reads at most %d; if this is text, put the whole value in quotes", maxNesting, maxNesting)}
}

// flowDepth returns the bracket depth after s, starting from depth, and the
// deepest it reached, skipping quoted text and comments.
func flowDepth(s string, depth int) (int, int) {
	deepest := depth
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '[', '{':
			depth++
			deepest = max(deepest, depth)
		case ']', '}':
			depth = max(depth-1, 0)
		case '"', '\'':
			if j := closingQuote(s[i:]); j > 0 {
				i += j
			} else {
				return depth, deepest
			}
		case '#':
			if i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') {
				return depth, deepest
			}
		}
	}
	return depth, deepest
}
