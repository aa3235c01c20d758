package markdown

import (
	"bytes"
	"testing"
)

// alwaysLinkify is a Renderer with linkify on for every text: what New's
// Renderer must render the same as.
func alwaysLinkify() *Renderer {
	r := &Renderer{}
	for u, unsafe := range []bool{false, true} {
		md := newGoldmark(unsafe, true)
		r.md[u][0], r.md[u][1] = md, md
	}
	return r
}

func TestLinkifyOnlyWhereItCanMatch(t *testing.T) {
	r, ref := New(), alwaysLinkify()
	tests := []struct {
		name, src string
		link      string // a link the output must hold, if any
	}{
		{"url", "See https://example.org/a for more.", `<a href="https://example.org/a">`},
		{"http", "See http://example.org.", `<a href="http://example.org">`},
		{"ftp", "Get ftp://example.org/f.txt now.", `<a href="ftp://example.org/f.txt">`},
		{"www", "Visit www.example.org today.", `<a href="http://www.example.org">`},
		{"email", "Write to desk@example.org please.", `<a href="mailto:desk@example.org">`},
		{"after emphasis", "*https://example.org* and (www.example.org)", `<a href="https://example.org">`},
		{"plain prose", "Kerry met Lavrov in Moscow on 7 May: \"talks\" -- and more...", ""},
		{"lists and tables", "- one\n- [x] two\n\n| a | b |\n|---|---|\n| 1 | ~~2~~ |\n", ""},
		{"a scheme-like word", "The mailto: prefix and HTTP: in capitals are not links.", ""},
		{"trailing space and tab", "a \t\nb\tc \t \nd", ""},
		{"trailing spaces", "a   \nb    \nc  \nd \ne", ""},
		{"carriage returns", "a\r \nb \r\nc  \r\nd\r\n", ""},
		{"white space at the end", "a \t", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, unsafe := range []bool{false, true} {
				opts := Options{File: "a.md", BodyLine: 1, Anchors: true, Unsafe: unsafe}
				got, _ := r.Render([]byte(tt.src), opts)
				want, _ := ref.Render([]byte(tt.src), opts)
				if !bytes.Equal(got.HTML, want.HTML) {
					t.Errorf("unsafe %v: got %q, want %q", unsafe, got.HTML, want.HTML)
				}
				if tt.link != "" && !bytes.Contains(got.HTML, []byte(tt.link)) {
					t.Errorf("unsafe %v: %q has no %s", unsafe, got.HTML, tt.link)
				}
			}
		})
	}
}

// FuzzLinkifySkip: leaving linkify out of a text without any of its
// prefixes changes nothing.
func FuzzLinkifySkip(f *testing.F) {
	for _, s := range []string{"a \t\nb", "a    \nb", "a\r \nb", "a\t\t"} {
		f.Add([]byte(s))
	}
	for _, s := range []string{"a b c", "*x* _y_ ~z~ (w)", "a@b.c", "www.x.org", "http://x.y", "- [ ] t\n\n|a|\n|-|\n|b|", "[l](u) ![i](j) `c`", "f[^1]\n\n[^1]: n"} {
		f.Add([]byte(s))
	}
	r, ref := New(), alwaysLinkify()
	f.Fuzz(func(t *testing.T, src []byte) {
		opts := Options{File: "a.md", BodyLine: 1, Anchors: true}
		got, _ := r.Render(src, opts)
		want, _ := ref.Render(src, opts)
		if !bytes.Equal(got.HTML, want.HTML) {
			t.Fatalf("%q: got %q, want %q", src, got.HTML, want.HTML)
		}
	})
}

func TestRaggedLineEnd(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"", false}, {"a", false}, {"a \nb", false}, {"a  \nb", false}, {"a\r\nb\r\n", false}, {"a b  c", false},
		{"a   \nb", true}, {"a\t\n", false}, {"a\t \n", true}, {"a \t", true}, {"a\r \n", true}, {"x\ny\nz\t\r", true}, {" \n\n\t\n", false},
	}
	for _, tt := range tests {
		if got := raggedLineEnd([]byte(tt.src)); got != tt.want {
			t.Errorf("raggedLineEnd(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}

func TestMayLinkify(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"", false}, {"plain prose: with a colon. And dots.", false}, {"what: ever", false},
		{"a@b", true}, {"http://x", true}, {"https://x", true}, {"ftp://x", true}, {"see www.x", true},
		{"http", false}, {"www", false}, {"HTTP://x", false}, {"xhttp:", true}, {"wwww.", true}, {"ww.x", false},
		{":http:", true}, {"a  \t\n", true},
	}
	for _, tt := range tests {
		want := bytes.IndexByte([]byte(tt.src), '@') >= 0 || bytes.Contains([]byte(tt.src), []byte("http:")) || bytes.Contains([]byte(tt.src), []byte("https:")) ||
			bytes.Contains([]byte(tt.src), []byte("ftp:")) || bytes.Contains([]byte(tt.src), []byte("www.")) || raggedLineEnd([]byte(tt.src))
		if want != tt.want {
			t.Fatalf("%q: the table says %v, the plain searches %v", tt.src, tt.want, want)
		}
		if got := mayLinkify([]byte(tt.src)); got != tt.want {
			t.Errorf("mayLinkify(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}
