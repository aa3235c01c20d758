package content

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/dossier-news/dossier/internal/diag"
)

// Front matter is decoded by walking goccy/go-yaml's syntax tree ourselves
// rather than with yaml.Unmarshal: Unmarshal stops at the first problem and
// speaks of Go types, while an editor wants every problem of the file at once,
// each at its own line and in plain words ("topics must be a list"), with a
// "did you mean" for a misspelt field.

// decoder decodes one YAML document into a Go value, collecting problems.
type decoder struct {
	file    string
	ps      diag.List
	lines   map[string]int            // "title" -> 2, "annotations[1]" -> 9, "annotations[1].kind" -> 10
	seen    map[string]map[string]int // field path -> key -> line it was first set on
	anchors map[string]ast.Node
	root    string // path of the document itself: "" or, for timeline.yaml's bare list, "events"
	// aliased counts the bytes aliases repeat; see maxAliased.
	aliased, maxAliased int
}

func newDecoder(file, root string) *decoder {
	return &decoder{file: file, root: root, lines: map[string]int{}, seen: map[string]map[string]int{}, anchors: map[string]ast.Node{}}
}

func (d *decoder) errorf(line int, format string, args ...any) {
	d.ps.Add(diag.Errorf(d.file, line, format, args...))
}

// decodeYAML decodes src (a whole YAML file, or front matter including its
// opening "---" line, so that parser lines are file lines) into target, a
// pointer. It returns each key's line and every problem found.
func decodeYAML(file string, src []byte, target any, root string) (map[string]int, diag.List) {
	d := newDecoder(file, root)
	d.maxAliased = max(len(src), 4096)
	v := reflect.ValueOf(target).Elem()
	if ps := checkShape(file, src); len(ps) > 0 {
		return d.lines, ps
	}
	// Duplicate keys are the decoder's to report (decodeStruct), each at
	// its line beside the item's other problems: the parser would refuse
	// the whole item for one.
	f, err := parser.ParseBytes(src, 0, parser.AllowDuplicateMapKey())
	if err == nil {
		for _, doc := range f.Docs {
			if doc.Body != nil {
				d.decode(doc.Body, v, root)
			}
		}
		return d.lines, d.ps
	}
	// A syntax error: decode what can be read, one top-level field (or list
	// item) at a time, so that one bad line does not hide the problems of the
	// others, and name each unreadable field at its own line.
	d.ps.Merge(decodeChunks(d, src, v, err))
	return d.lines, d.ps
}

// line is the 1-based line a node starts on, 0 when unknown.
func line(n ast.Node) int {
	if n == nil {
		return 0
	}
	if t := n.GetToken(); t != nil && t.Position != nil {
		return t.Position.Line
	}
	return 0
}

// unwrap resolves tags, anchors and aliases to the value they stand for.
func (d *decoder) unwrap(n ast.Node) ast.Node {
	for i := 0; i < 16 && n != nil; i++ {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			if v.Name != nil {
				d.anchors[v.Name.String()] = v.Value
			}
			n = v.Value
		case *ast.AliasNode:
			if v.Value == nil {
				return nil
			}
			target, ok := d.anchors[v.Value.String()]
			if !ok {
				d.errorf(line(v), "alias *%s names no anchor (&%s) above it", v.Value.String(), v.Value.String())
				return nil
			}
			// An alias repeats its value without repeating its text: a few
			// bytes of front matter could stand for gigabytes of page (a 1 MB
			// string listed a thousand times). Aliases may repeat at most as
			// much as the file holds.
			if d.aliased <= d.maxAliased {
				d.aliased += len(target.String())
				if d.aliased > d.maxAliased {
					d.errorf(line(v), "alias *%s: the aliases in this file repeat more text than the file holds; write the values out instead", v.Value.String())
				}
			}
			if d.aliased > d.maxAliased {
				return nil
			}
			n = target
		case *ast.CommentGroupNode, *ast.CommentNode:
			return nil
		default:
			return n
		}
	}
	return n
}

var dateType = reflect.TypeOf(Date{})

// decode sets v from node. path names the field for problems and lines
// ("annotations[2].kind"); "" is the document itself.
func (d *decoder) decode(node ast.Node, v reflect.Value, path string) {
	node = d.unwrap(node)
	if node == nil {
		return
	}
	if _, ok := node.(*ast.NullNode); ok {
		return
	}
	t := v.Type()
	switch {
	case t == dateType:
		var date Date
		if err := date.UnmarshalYAML(node); err != nil {
			if le, ok := err.(*lineError); ok {
				d.errorf(le.line, "%s", le.msg)
			} else {
				d.errorf(line(node), "%s: %v", fieldName(path), err)
			}
			return
		}
		v.Set(reflect.ValueOf(date))
	case t.Kind() == reflect.String:
		s, ok := scalarText(node)
		if !ok {
			d.errorf(line(node), "%s must be text, not %s: to start a value with [ or {, or to use \": \" in it, put the whole value in quotes", fieldName(path), describe(node))
			return
		}
		if !d.plainText(node, path, s) {
			return
		}
		v.SetString(s)
		if _, ok := node.(*ast.LiteralNode); ok {
			// A block (| or >): its text starts on the line after the
			// indicator, where the lines of what it holds are counted
			// from (TextLine). (The value's token is at its last line.)
			if n := line(node); n > 0 {
				d.lines[path+textLineSuffix] = n + 1
			}
		}
	case t.Kind() == reflect.Bool:
		b, ok := node.(*ast.BoolNode)
		if !ok {
			s, _ := scalarText(node)
			d.errorf(line(node), "%s must be true or false, not %q", fieldName(path), s)
			return
		}
		v.SetBool(b.Value)
	case t.Kind() == reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.decode(node, v.Elem(), path)
	case t.Kind() == reflect.Slice:
		seq, ok := node.(*ast.SequenceNode)
		if !ok {
			s, _ := scalarText(node)
			name := fieldName(path)
			if t.Elem().Kind() == reflect.String && s != "" {
				d.errorf(line(node), "%s must be a list: write %s: [%s], or one \"- %s\" line per item", name, name, s, s)
			} else {
				d.errorf(line(node), "%s must be a list (one \"- \" line per item), not %s", name, describe(node))
			}
			return
		}
		start := v.Len()
		for i, item := range seq.Values {
			p := fmt.Sprintf("%s[%d]", path, start+i)
			d.lines[p] = itemLine(item)
			elem := reflect.New(t.Elem()).Elem()
			d.decode(item, elem, p)
			v.Set(reflect.Append(v, elem))
		}
	case t.Kind() == reflect.Struct:
		if sv, ok := v.Addr().Interface().(scalarStruct); ok {
			if s, isScalar := scalarText(node); isScalar {
				if !d.plainText(node, path, s) {
					return
				}
				sv.setScalar(s) // a removed: entry written as a plain quote
				return
			}
		}
		d.decodeStruct(node, v, path)
	default:
		d.errorf(line(node), "%s: cannot be read (internal: unsupported type %s)", fieldName(path), t)
	}
}

// plainText reports, and says false, when s, the text of node at path,
// holds a control character other than a tab or a line break. A file
// holds none (CheckText), but a YAML escape writes one ("\0", "\x1b",
// "\u0007"): a NUL failed the build far from its cause (the minifier
// refuses one), and the others reach the pages, where they mean nothing.
func (d *decoder) plainText(node ast.Node, path, s string) bool {
	r, ok := ControlChar(s)
	if !ok {
		return true
	}
	d.errorf(line(node), "%s holds the control character %U (typed, pasted, or written by a YAML escape such as \"\\0\" or \"\\x1b\"): remove it; text holds no control characters but tabs and line breaks", fieldName(path), r)
	return false
}

// ControlChar returns the first control character of s other than a tab
// or a line break, which no text of the content may hold.
func ControlChar(s string) (rune, bool) {
	i := strings.IndexFunc(s, func(r rune) bool {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r <= 0x9f)
	})
	if i < 0 {
		return 0, false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r, true
}

// decodeStruct sets the fields of v from a mapping, checking every key.
func (d *decoder) decodeStruct(node ast.Node, v reflect.Value, path string) {
	var values []*ast.MappingValueNode
	switch m := node.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		if path == d.root {
			d.errorf(line(node), "%s must be a set of fields, one `name: value` per line, not %s", kindName(v.Type()), describe(node))
		} else {
			d.errorf(line(node), "%s must be a set of fields (`name: value` lines), not %s", fieldName(path), describe(node))
		}
		return
	}
	fields := structFields(v.Type())
	seen := d.seen[path]
	if seen == nil {
		seen = map[string]int{}
		d.seen[path] = seen
	}
	for _, mv := range values {
		key := keyText(mv.Key)
		kl := line(mv.Key)
		p := key
		if path != "" {
			p = path + "." + key
		}
		if first, dup := seen[key]; dup {
			d.errorf(kl, "%s is set twice (first on line %d): keep one of them", key, first)
			continue
		}
		seen[key] = kl
		idx, ok := fields.index[key]
		if !ok {
			d.errorf(kl, "%s", unknownField(key, v.Type(), fields))
			continue
		}
		d.lines[p] = kl
		d.decode(mv.Value, v.Field(idx), p)
	}
}

func keyText(k ast.MapKeyNode) string {
	switch n := k.(type) {
	case *ast.StringNode:
		return n.Value
	case *ast.MappingKeyNode:
		if n.Value != nil {
			return n.Value.String()
		}
	}
	return k.String()
}

// scalarText is the text of a scalar as written (so `title: 1984` is the
// text "1984", as an editor means it), false for lists and mappings.
func scalarText(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value == nil {
			return "", true
		}
		return v.Value.Value, true
	case *ast.NullNode:
		return "", true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	}
	return "", false
}

// describe names a node's shape for an editor.
func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.SequenceNode:
		return "a list"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a set of `name: value` fields"
	case *ast.BoolNode:
		return "true or false"
	case *ast.IntegerNode, *ast.FloatNode:
		return "a number"
	}
	if s, ok := scalarText(n); ok {
		return fmt.Sprintf("the text %q", s)
	}
	return "this"
}

// fieldName is the last field of a path, for messages: "annotations[2].kind" -> "kind".
func fieldName(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		path = path[i+1:]
	}
	if path == "" {
		return "the file"
	}
	if i := strings.IndexByte(path, '['); i > 0 {
		return "each item of " + path[:i]
	}
	return path
}

// fieldSet is the YAML fields of a struct type, in declaration order.
type fieldSet struct {
	names []string
	index map[string]int
}

func structFields(t reflect.Type) fieldSet {
	fs := fieldSet{index: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || tag == "-" || tag == "" {
			continue
		}
		fs.names = append(fs.names, tag)
		fs.index[tag] = i
	}
	return fs
}

// kindName is what an editor calls a value of type t.
func kindName(t reflect.Type) string {
	switch t {
	case reflect.TypeOf(Article{}):
		return "an article"
	case reflect.TypeOf(Topic{}):
		return "a topic"
	case reflect.TypeOf(Entity{}):
		return "an entity"
	case reflect.TypeOf(Claim{}):
		return "a claim"
	case reflect.TypeOf(Annotation{}):
		return "an annotation"
	case reflect.TypeOf(Config{}):
		return "dossier.yaml"
	case reflect.TypeOf(NavItem{}):
		return "a nav entry"
	case reflect.TypeOf(Removal{}):
		return "a removed: entry (a quote, or text: and why:)"
	case reflect.TypeOf(Event{}):
		return "a timeline event"
	}
	return "this part of the file"
}

// unknownField explains a key that is not a field of t: the field it most
// likely means, else every field there is, and where the README lists them.
func unknownField(key string, t reflect.Type, fields fieldSet) string {
	what := kindName(t)
	if key == "<<" {
		return "YAML merge keys (<<) are not read: write the fields out in full where they are used"
	}
	if s := Suggest(key, fields.names); s != "" {
		return fmt.Sprintf("unknown field %q: did you mean %q? (README.md, section Content, lists the fields of %s)", key, s, what)
	}
	msg := fmt.Sprintf("unknown field %q: the fields of %s are %s (README.md, section Content)", key, what, strings.Join(fields.names, ", "))
	if t == reflect.TypeOf(Article{}) {
		if _, ok := structFields(reflect.TypeOf(Annotation{})).index[key]; ok {
			msg += fmt.Sprintf("; %q is a field of an annotation: indent it under its \"- quote:\" line in annotations:", key)
		}
	}
	return msg
}

// itemLine is the line a list item starts on: its first key for a mapping.
func itemLine(n ast.Node) int {
	switch v := n.(type) {
	case *ast.MappingNode:
		if len(v.Values) > 0 {
			return line(v.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return line(v.Key)
	}
	return line(n)
}
