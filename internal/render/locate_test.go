package render

import (
	"errors"
	"html/template"
	"io"
	"strings"
	"testing"
)

// locate places the engine's own errors: parsing, executing and escaping
// ones, as html/template words them.
func TestLocate(t *testing.T) {
	_, parseErr := template.New("page.html").Parse("<p>\n{{.X | nofunc}}</p>")
	execErr := template.Must(template.New("base.html").Parse("<p>\n\n{{index .X 3}}</p>")).Execute(io.Discard, map[string][]int{"X": {1}})
	escapeErr := template.Must(template.New("bad.html").Parse("<a href=\"{{if .}}x{{end}}\n<script>{{.}}")).Execute(io.Discard, true)
	tests := []struct {
		name     string
		err      error
		file     string
		line     int
		inMsg    string
		wholeMsg bool
	}{
		{"parse", parseErr, "page.html", 2, "nofunc", false},
		{"execute", execErr, "base.html", 3, "index", false},
		{"escape", escapeErr, "bad.html", 0, "", false},
		{"other", errors.New("disk full"), "", 0, "disk full", true},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Fatalf("%s: the engine gave no error", tt.name)
		}
		file, line, msg := locate(tt.err)
		if tt.name == "escape" {
			// Where html/template places an escaping error varies; it is
			// placed in the file, at some line.
			if file != "bad.html" || line == 0 {
				t.Errorf("%s: %q at %d, want bad.html at a line (from %q)", tt.name, file, line, tt.err)
			}
			continue
		}
		if file != tt.file || line != tt.line || !strings.Contains(msg, tt.inMsg) || (tt.wholeMsg && msg != tt.err.Error()) {
			t.Errorf("%s: locate(%q) = %q, %d, %q; want %q, %d, a message with %q", tt.name, tt.err, file, line, msg, tt.file, tt.line, tt.inMsg)
		}
	}
}
