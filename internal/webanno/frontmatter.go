package webanno

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/dossier-news/dossier/internal/content"
)

// AppendAnnotations returns an article file with annotations added at the
// end of its front matter's annotations: list. The file is edited as text:
// everything already there, comments and layout included, is kept byte for
// byte; the new items are written in the list's own indentation and line
// endings (or as a new annotations: key before the closing ---). The result is
// parsed again and must hold the old annotations unchanged followed by the new
// ones, or nothing is returned but an error.
func AppendAnnotations(file string, data []byte, add []content.Annotation) ([]byte, error) {
	if len(add) == 0 {
		return data, nil
	}
	before, ps := content.ParseFile(content.ArticlesDir, file, data)
	if len(ps.Errors()) > 0 {
		return nil, fmt.Errorf("%s does not parse: %v", file, ps.Errors())
	}
	old := before.(*content.Article).Annotations

	// A byte-order mark (Windows editors) is kept, and the YAML read after it.
	bom := bytes.HasPrefix(data, []byte("\ufeff"))
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	nl := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		nl = "\r\n"
	}
	lines := splitLines(data) // each with its line ending
	// The front matter: lines[1 : closing].
	closing := -1
	for i := 1; i < len(lines); i++ {
		if content.ClosesFrontMatter(lines[i]) {
			closing = i
			break
		}
	}
	if closing < 0 {
		return nil, fmt.Errorf("%s: front matter is not closed", file)
	}
	fm := strings.Join(lines[:closing], "")
	f, err := parser.ParseBytes([]byte(fm), parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var kv *ast.MappingValueNode
	if len(f.Docs) > 0 {
		var values []*ast.MappingValueNode
		switch m := f.Docs[len(f.Docs)-1].Body.(type) {
		case *ast.MappingNode:
			values = m.Values
		case *ast.MappingValueNode:
			values = []*ast.MappingValueNode{m}
		}
		for _, v := range values {
			if v.Key.GetToken().Value == "annotations" {
				kv = v
			}
		}
	}

	var out []string
	switch {
	case kv == nil:
		// No list yet: a new key before the closing line.
		out = append(out, lines[:closing]...)
		if closing > 0 && !strings.HasSuffix(lines[closing-1], "\n") {
			out[len(out)-1] += nl
		}
		out = append(out, "annotations:"+nl)
		out = append(out, items(add, "  ", "    ", nl)...)
		out = append(out, lines[closing:]...)
	default:
		keyLine := kv.Key.GetToken().Position.Line - 1 // 0-based index in lines
		seq, isSeq := kv.Value.(*ast.SequenceNode)
		switch {
		case isSeq && seq.IsFlowStyle && len(seq.Values) > 0:
			return nil, fmt.Errorf("%s:%d: annotations: is written as a flow list [...]; write it as a block list (one \"- quote: ...\" item a line) to import into it", file, keyLine+1)
		case isSeq && !seq.IsFlowStyle:
			// After the list's last line: the last line before the next
			// line at column 0 (a key, a comment, the closing ---), blank
			// lines left after.
			// A list may also be written with its dashes at column 0.
			zero := seq.Start != nil && seq.Start.Position.Column == 1
			end := closing
			for i := keyLine + 1; i < closing; i++ {
				t := strings.TrimRight(lines[i], "\r\n")
				if zero && (strings.HasPrefix(t, "- ") || t == "-") {
					continue
				}
				if t != "" && t[0] != ' ' && t[0] != '\t' {
					end = i
					break
				}
			}
			for end > keyLine+1 && strings.TrimSpace(lines[end-1]) == "" {
				end--
			}
			dash, key := listIndent(lines[keyLine+1 : end])
			out = append(out, lines[:end]...)
			if !strings.HasSuffix(out[len(out)-1], "\n") {
				out[len(out)-1] += nl
			}
			out = append(out, items(add, dash, key, nl)...)
			out = append(out, lines[end:]...)
		default:
			// annotations: with no value, ~, null or [] (its value on the
			// key's line): the key alone, then the items.
			line := lines[keyLine]
			body, ending := strings.TrimRight(line, "\r\n"), line[len(strings.TrimRight(line, "\r\n")):]
			if ending == "" {
				ending = nl
			}
			comment := ""
			if i := strings.Index(body, " #"); i >= 0 {
				comment = " " + strings.TrimSpace(body[i:])
				body = body[:i]
			}
			val := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(body), "annotations:"))
			if val != "" && val != "[]" && val != "~" && val != "null" {
				return nil, fmt.Errorf("%s:%d: annotations: holds %q; write it as a block list to import into it", file, keyLine+1, val)
			}
			indent := body[:len(body)-len(strings.TrimLeft(body, " "))]
			out = append(out, lines[:keyLine]...)
			out = append(out, indent+"annotations:"+comment+ending)
			out = append(out, items(add, indent+"  ", indent+"    ", nl)...)
			out = append(out, lines[keyLine+1:]...)
		}
	}
	result := []byte(strings.Join(out, ""))
	if bom {
		result = append([]byte("\ufeff"), result...)
	}

	after, ps := content.ParseFile(content.ArticlesDir, file, result)
	if len(ps.Errors()) > 0 {
		return nil, fmt.Errorf("%s: the edit would not parse (%v): nothing written", file, ps.Errors())
	}
	got := after.(*content.Article).Annotations
	if len(got) != len(old)+len(add) {
		return nil, fmt.Errorf("%s: the edit would hold %d annotations, not %d: nothing written", file, len(got), len(old)+len(add))
	}
	for i := range got {
		want := content.Annotation{}
		if i < len(old) {
			want = old[i]
		} else {
			want = add[i-len(old)]
		}
		g := got[i]
		g.Line, want.Line = 0, 0
		if !reflect.DeepEqual(g, want) {
			return nil, fmt.Errorf("%s: annotation %d would read back as %+v, not %+v: nothing written", file, i+1, g, want)
		}
	}
	return result, nil
}

// splitLines splits data after each line feed, keeping it.
func splitLines(data []byte) []string {
	s := string(data)
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// listIndent returns the indentation of a block list's dashes and of the
// keys of its items, from its first item ("  - quote: x": "  ", "    ").
func listIndent(lines []string) (dash, key string) {
	for _, l := range lines {
		t := strings.TrimLeft(l, " ")
		if strings.HasPrefix(t, "- ") || strings.TrimRight(t, "\r\n") == "-" {
			n := len(l) - len(t)
			rest := strings.TrimLeft(t[1:], " ")
			return strings.Repeat(" ", n), strings.Repeat(" ", n+len(t)-len(rest))
		}
	}
	return "  ", "    "
}

// items writes annotations as block list items.
func items(add []content.Annotation, dash, key, nl string) []string {
	var out []string
	for _, a := range add {
		first := true
		field := func(name, value string) {
			if value == "" {
				return
			}
			lead := key
			if first {
				lead, first = dash+"- ", false
			}
			out = append(out, lead+name+": "+scalar(value, key, nl)+nl)
		}
		field("quote", a.Quote)
		field("prefix", a.Prefix)
		field("suffix", a.Suffix)
		field("kind", a.Kind)
		field("claim", a.Claim)
		field("speaker", a.Speaker)
		field("note", a.Note)
	}
	return out
}

// scalar writes a string as YAML: plain when it is a simple word (a kind, a
// slug), a literal block for a multi-line note that can be one, else double
// quoted with escapes.
func scalar(s, indent, nl string) string {
	simple := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			simple = false
			break
		}
	}
	if simple && s != "null" && s != "true" && s != "false" && s != "yes" && s != "no" && s != "on" && s != "off" && !(s[0] >= '0' && s[0] <= '9') && s[0] != '-' {
		return s
	}
	if literalOK(s) {
		var b strings.Builder
		b.WriteString("|-")
		for _, l := range strings.Split(s, "\n") {
			b.WriteString(nl)
			if l != "" {
				b.WriteString(indent + "  " + l)
			}
		}
		return b.String()
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f || r == 0x85 || r == 0xfeff || r == 0x2028 || r == 0x2029 || r == utf8.RuneError || !unicode.IsPrint(r) && !unicode.IsSpace(r) {
				if r > 0xffff {
					fmt.Fprintf(&b, `\U%08x`, r)
				} else {
					fmt.Fprintf(&b, `\u%04x`, r)
				}
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// literalOK reports whether a multi-line text reads back exactly from a
// "|-" literal block: printable lines, no carriage returns or tabs, no
// leading blank or indented first line, no trailing spaces, no final line feed.
func literalOK(s string) bool {
	if !strings.Contains(s, "\n") || strings.HasSuffix(s, "\n") || strings.HasPrefix(s, " ") || strings.HasPrefix(s, "\n") {
		return false
	}
	for _, l := range strings.Split(s, "\n") {
		if strings.HasSuffix(l, " ") || strings.ContainsAny(l, "\r\t") {
			return false
		}
		for _, r := range l {
			if !unicode.IsPrint(r) || r == 0xfeff {
				return false
			}
		}
	}
	return true
}
