package content

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/dossier-news/dossier/internal/diag"
)

// YAML syntax errors, in an editor's words and at the line to fix.
//
// The parser gives up where the text stops making sense, which is often
// lines after the mistake (an unclosed quote runs on to the next quote in the
// file), and says so in its own terms ("mapping value is not allowed in this
// context"). So when a file does not parse, it is cut into its top-level
// fields (and a list field into its items), each is parsed on its own, the
// readable ones are decoded as usual, and each unreadable one is explained by
// looking at its lines for the mistakes editors make: a tab, an unclosed
// quote or bracket, ": " or quotes inside an unquoted value, a missing space
// after a colon. The parser's message is the fallback, translated where it is
// known.

// chunk is a run of lines [from, to) (0-based indexes into the file's lines)
// that holds one top-level field or list item.
type chunk struct{ from, to int }

func splitLines(src []byte) []string {
	lines := strings.Split(string(src), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// chunks cuts the lines of a document into its top-level entries.
func chunks(lines []string) []chunk {
	seq := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' || ClosesFrontMatter(l) {
			continue
		}
		seq = t[0] == '-' && (len(t) == 1 || t[1] == ' ')
		break
	}
	var out []chunk
	cur := -1
	for i, l := range lines {
		marker := ClosesFrontMatter(l)
		start := false
		if !marker && l != "" {
			switch c := l[0]; {
			case c == ' ' || c == '\t' || c == '#':
			case seq:
				start = c == '-'
			default:
				start = c != '-' && c != ']' && c != '}' && c != ','
			}
		}
		if marker || start {
			if cur >= 0 {
				out = append(out, chunk{cur, i})
			}
			cur = -1
			if start {
				cur = i
			}
		}
	}
	if cur >= 0 {
		out = append(out, chunk{cur, len(lines)})
	}
	return out
}

// parseLines parses lines [from, to) alone, its line numbers (of the nodes,
// or of the error) moved down by from so that they are the file's. (Padding
// the lines with from empty lines, as it once did, made reading a broken
// file's chunks quadratic in its length: 16,000 timeline events, 15 s.)
func parseLines(lines []string, from, to int) (ast.Node, error) {
	text := strings.Join(lines[from:to], "\n") + "\n"
	f, err := parser.ParseBytes([]byte(text), 0, parser.AllowDuplicateMapKey())
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) {
			shiftLines(nil, ye.GetToken(), from)
		}
		return nil, err
	}
	for _, doc := range f.Docs {
		if doc.Body != nil {
			shiftLines(doc.Body, doc.Body.GetToken(), from)
			return doc.Body, nil
		}
	}
	return nil, nil
}

// shiftLines adds by to the line of every token of tk's stream and of every
// node under n, once each.
func shiftLines(n ast.Node, tk *token.Token, by int) {
	if by == 0 {
		return
	}
	seen := map[*token.Position]bool{}
	shift := func(t *token.Token) {
		if t != nil && t.Position != nil && !seen[t.Position] {
			seen[t.Position] = true
			t.Position.Line += by
		}
	}
	if tk != nil {
		shift(tk)
		for t := tk.Prev; t != nil; t = t.Prev {
			shift(t)
		}
		for t := tk.Next; t != nil; t = t.Next {
			shift(t)
		}
	}
	if n != nil {
		ast.Walk(visitFunc(func(n ast.Node) { shift(n.GetToken()) }), n)
	}
}

type visitFunc func(ast.Node)

func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	f(n)
	return f
}

// decodeChunks decodes a document that does not parse as a whole: see above.
func decodeChunks(d *decoder, src []byte, v reflect.Value, whole error) diag.List {
	lines := splitLines(src)
	var ps diag.List
	failed := false
	for _, c := range chunks(lines) {
		body, err := parseLines(lines, c.from, c.to)
		if err == nil && v.Kind() == reflect.Struct && isScalar(body) {
			// "title:T" or "title" alone: text where a field belongs.
			err = errNoField
		}
		if err == nil {
			if body != nil {
				d.decode(body, v, d.root)
			}
			continue
		}
		failed = true
		if d.decodeItems(lines, c, v, &ps) {
			continue
		}
		ps.Add(explain(d.file, lines, c.from, c.to, err))
	}
	if !failed && len(d.ps) == 0 {
		ps.Add(explain(d.file, lines, 0, len(lines), whole))
	}
	return ps
}

var errNoField = errors.New("unexpected key name")

func isScalar(n ast.Node) bool {
	_, ok := scalarText(n)
	return ok && n != nil
}

var itemRE = regexp.MustCompile(`^( *)- `)

// decodeItems handles a field holding a block list ("annotations:" and its
// "- quote: ..." items) whose text does not parse: each item is parsed on its
// own, so every broken item is reported and the others decoded. It reports
// false when c is not such a field.
func (d *decoder) decodeItems(lines []string, c chunk, v reflect.Value, ps *diag.List) bool {
	head := lines[c.from]
	key, rest, ok := strings.Cut(head, ":")
	if !ok || strings.TrimSpace(rest) != "" || strings.ContainsAny(key, " \t\"'") || v.Kind() != reflect.Struct {
		return false
	}
	indent := -1
	var starts []int
	for i := c.from + 1; i < c.to; i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		m := itemRE.FindStringSubmatch(l)
		if indent < 0 {
			if m == nil {
				return false
			}
			indent = len(m[1])
		}
		if m != nil && len(m[1]) == indent {
			starts = append(starts, i)
		}
	}
	if len(starts) == 0 {
		return false
	}
	path := key
	if d.root != "" {
		path = d.root + "." + key
	}
	seen := d.seen[d.root]
	if seen == nil {
		seen = map[string]int{}
		d.seen[d.root] = seen
	}
	if first, dup := seen[key]; dup {
		d.errorf(c.from+1, "%s is set twice (first on line %d): keep one of them", key, first)
		return true
	}
	seen[key] = c.from + 1
	fields := structFields(v.Type())
	idx, known := fields.index[key]
	if !known {
		d.errorf(c.from+1, "%s", unknownField(key, v.Type(), fields))
		return true
	}
	d.lines[path] = c.from + 1
	field := v.Field(idx)
	for k, s := range starts {
		end := c.to
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		body, err := parseLines(lines, s, end)
		if err != nil {
			ps.Add(explain(d.file, lines, s, end, err))
			continue
		}
		if body != nil && field.Kind() == reflect.Slice {
			d.decode(body, field, path)
		}
	}
	return true
}

var (
	keyRE      = regexp.MustCompile(`^([A-Za-z_][\w.-]*)\s*:(?:\s+|$)`)
	noSpaceRE  = regexp.MustCompile(`^([A-Za-z_][\w-]*):([^\s/:].*)$`)
	leadingRE  = regexp.MustCompile(`^[ \t]*`)
	yamlPrefix = regexp.MustCompile(`^\[\d+:\d+\]\s*`)
)

// explain turns a syntax error in lines [from, to) into a problem at the
// line to fix.
func explain(file string, lines []string, from, to int, err error) diag.Problem {
	if n, msg, ok := lint(lines, from, to); ok {
		return diag.Errorf(file, n, "%s", msg)
	}
	n, msg := translate(err)
	last := 0
	for i := from; i < to; i++ {
		if strings.TrimSpace(lines[i]) != "" {
			last = i + 1
		}
	}
	if n > last && last > 0 {
		n = last
	}
	if n <= from && from < to {
		n = from + 1
	}
	return diag.Errorf(file, n, "%s", msg)
}

// lint looks for the usual mistakes in lines [from, to) and returns the first.
func lint(lines []string, from, to int) (int, string, bool) {
	flowDepth, flowLine, flowIndent := 0, 0, 0
	var flowOpen byte
	blockIndent := -1 // inside a | or > block scalar indented more than this
	for i := from; i < to; i++ {
		raw := lines[i]
		n := i + 1
		if strings.TrimSpace(raw) == "" {
			continue
		}
		lead := leadingRE.FindString(raw)
		indent := len(lead)
		if blockIndent >= 0 {
			if indent > blockIndent && !strings.Contains(lead, "\t") {
				continue
			}
			blockIndent = -1
		}
		if strings.Contains(lead, "\t") {
			return n, "a tab indents this line; YAML needs spaces: replace the tab with spaces", true
		}
		s := raw[indent:]
		if s[0] == '#' {
			continue
		}
		if flowDepth > 0 {
			if indent <= flowIndent && keyRE.MatchString(s) {
				return flowLine, unclosedFlow(flowOpen), true
			}
			flowDepth = scanFlow(s, flowDepth)
			continue
		}
		if strings.HasPrefix(s, "-\t") || strings.Contains(s, "- \t") {
			return n, "a tab follows the dash of this list item; YAML needs spaces: replace the tab with a space", true
		}
		item := false
		for strings.HasPrefix(s, "- ") || s == "-" {
			item = true
			s = strings.TrimLeft(strings.TrimPrefix(s, "-"), " ")
		}
		if s == "" {
			continue
		}
		key, value := "", s
		if m := keyRE.FindStringSubmatchIndex(s); m != nil {
			key, value = s[m[2]:m[3]], strings.TrimSpace(s[m[1]:])
		} else if m := noSpaceRE.FindStringSubmatch(s); m != nil && !item {
			return n, fmt.Sprintf("put a space after the colon: %s: %s", m[1], m[2]), true
		} else if !item {
			continue // the continuation of a multi-line value
		}
		if value == "" {
			continue
		}
		switch value[0] {
		case '"', '\'':
			end := closingQuote(value)
			if end < 0 {
				return n, fmt.Sprintf("the quote (%c) that opens this value is never closed: end the value with %c on this line", value[0], value[0]), true
			}
			if rest := strings.TrimSpace(value[end+1:]); rest != "" && rest[0] != '#' {
				if value[0] == '"' {
					return n, fmt.Sprintf("the value's quotes close early, after %s, and more text follows: inside \"...\" write \\\" for a quote, or put the value in single quotes ('...')", value[:end+1]), true
				}
				return n, fmt.Sprintf("the value's quotes close early, after %s, and more text follows: inside '...' write '' for an apostrophe, or put the value in double quotes (\"...\")", value[:end+1]), true
			}
		case '[', '{':
			if d := scanFlow(value, 0); d > 0 {
				flowDepth, flowLine, flowIndent, flowOpen = d, n, indent, value[0]
			}
		case '|', '>':
			blockIndent = indent
		case '@', '`', '%':
			return n, fmt.Sprintf("a value cannot start with %c: put the whole value in quotes, e.g. %s\"%s\"", value[0], keyPrefix(key), value), true
		case '&', '*', '!':
		case '?':
			if value == "?" || strings.HasPrefix(value, "? ") {
				return n, fmt.Sprintf("a value cannot start with \"? \" (YAML reads a key there): put the whole value in quotes, e.g. %s\"%s\"", keyPrefix(key), strings.ReplaceAll(value, `"`, `\"`)), true
			}
		default:
			plain := value
			if c := strings.Index(plain, " #"); c >= 0 {
				plain = plain[:c]
			}
			if strings.Contains(plain, ": ") || strings.HasSuffix(plain, ":") {
				return n, fmt.Sprintf("this value contains \": \", which YAML reads as the start of another field: put the whole value in quotes, e.g. %s\"%s\"", keyPrefix(key), strings.ReplaceAll(plain, `"`, `\"`)), true
			}
		}
	}
	if flowDepth > 0 {
		return flowLine, unclosedFlow(flowOpen), true
	}
	return 0, "", false
}

func keyPrefix(key string) string {
	if key == "" {
		return ""
	}
	return key + ": "
}

func unclosedFlow(open byte) string {
	if open == '{' {
		return "the { that opens here is never closed: end it with }"
	}
	return "the list that opens with [ here is never closed: end it with ]"
}

// closingQuote returns the index of the quote closing the quoted string at
// the start of s, or -1.
func closingQuote(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q:
			if q == '\'' && i+1 < len(s) && s[i+1] == '\'' {
				i++
				continue
			}
			return i
		}
	}
	return -1
}

// scanFlow returns the bracket depth after s, starting from depth, skipping
// quoted text.
func scanFlow(s string, depth int) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case '"', '\'':
			if j := closingQuote(s[i:]); j > 0 {
				i += j
			} else {
				return depth
			}
		case '#':
			if i > 0 && s[i-1] == ' ' {
				return depth
			}
		}
	}
	return depth
}

var definedRE = regexp.MustCompile(`mapping key "(.*)" already defined at \[(\d+):\d+\]`)

// translate puts the parser's own message in an editor's words.
func translate(err error) (int, string) {
	n := 0
	msg := err.Error()
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg = ye.GetMessage()
		if t := ye.GetToken(); t != nil && t.Position != nil {
			n = t.Position.Line
		}
	} else {
		msg = yamlPrefix.ReplaceAllString(msg, "")
		msg, _, _ = strings.Cut(msg, "\n")
	}
	if m := definedRE.FindStringSubmatch(msg); m != nil {
		return n, fmt.Sprintf("%s is set twice (first on line %s): keep one of them", m[1], m[2])
	}
	switch {
	case strings.Contains(msg, "'\\t'") || strings.Contains(msg, "\t") || strings.Contains(msg, "tab character"):
		return n, "a tab indents this line; YAML needs spaces: replace the tab with spaces"
	case strings.Contains(msg, "end character of double-quoted"):
		return n, "the quote (\") that opens this value is never closed: end the value with \""
	case strings.Contains(msg, "end character of single-quoted"):
		return n, "the quote (') that opens this value is never closed: end the value with '"
	case strings.Contains(msg, "']' must be specified"):
		return n, "a list opened with [ is not closed before this line: end it with ]"
	case strings.Contains(msg, "'}' must be specified"):
		return n, "a { is not closed before this line: end it with }"
	case strings.Contains(msg, "mapping value is not allowed"):
		return n, "this value contains \": \", which YAML reads as the start of another field: put the whole value in quotes"
	case strings.Contains(msg, "map key-value is pre-defined"):
		return n, "unexpected text after the value: if the value contains quotes or \": \", put the whole value in quotes"
	case strings.Contains(msg, "value is not allowed in this context"):
		return n, "this line's indentation does not match the lines above: line up the fields of one item with spaces"
	case strings.Contains(msg, "non-map value"):
		return n, "a list item (\"- ...\") here belongs to no field: indent it under its field, e.g. under topics:"
	case strings.Contains(msg, "reserved character"):
		return n, "a value cannot start with @ or `: put the whole value in quotes"
	case strings.Contains(msg, "unexpected key name"), strings.Contains(msg, "could not find expected ':'"):
		return n, "YAML expects `name: value` here: is the colon missing, or the space after it?"
	case strings.Contains(msg, "directive"):
		return n, "a value cannot start with %: put the whole value in quotes"
	}
	return n, fmt.Sprintf("YAML cannot read this line (the parser says: %s)", msg)
}
