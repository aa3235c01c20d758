package preview

import (
	"bytes"
	"html"
	"slices"
	"testing"
)

// hrefsBackward is hrefs as it was before the single forward pass: before
// every href it looked backwards for the last "<svg" since the previous
// value. It is kept as the reference the rewrite must agree with.
func hrefsBackward(page []byte) []string {
	var out []string
	s := page
	for {
		i := bytes.Index(s, []byte("href="))
		if i < 0 {
			return out
		}
		if j := bytes.LastIndex(s[:i], []byte("<svg")); j >= 0 && !bytes.Contains(s[j:i], []byte("</svg>")) {
			end := bytes.Index(s[i:], []byte("</svg>"))
			if end < 0 {
				return out
			}
			s = s[i+end:]
			continue
		}
		s = s[i+5:]
		if len(s) == 0 {
			return out
		}
		q := s[0]
		if q != '"' && q != '\'' {
			continue
		}
		end := bytes.IndexByte(s[1:], q)
		if end < 0 {
			return out
		}
		out = append(out, html.UnescapeString(string(s[1:1+end])))
		s = s[1+end:]
	}
}

func TestHrefs(t *testing.T) {
	cases := []struct {
		name string
		page string
		want []string
	}{
		{"none", `<p>no links</p>`, nil},
		{"double and single quotes", `<a href="/a/">x</a><link href='/b.css'>`, []string{"/a/", "/b.css"}},
		{"entities unescaped", `<a href="/a/?x=1&amp;y=2">`, []string{"/a/?x=1&y=2"}},
		{"unquoted value skipped", `<a href=/a/>x</a><a href="/b/">`, []string{"/b/"}},
		{"href= at the very end", `<a href="/a/"><a href=`, []string{"/a/"}},
		{"unterminated value", `<a href="/a/"><a href="/b/`, []string{"/a/"}},
		{"empty value", `<a href="">`, []string{""}},
		{"inside svg skipped", `<a href="/a/"><svg><a href="/mark/"><text>href="x"</text></a></svg><a href="/b/">`, []string{"/a/", "/b/"}},
		{"text like href= inside svg", `<svg><text>see href='q' and href="r"</text></svg><a href="/b/">`, []string{"/b/"}},
		{"svg closed before the href", `<svg></svg><a href="/a/">`, []string{"/a/"}},
		{"two svgs, link between", `<svg><a href="/m1/"></svg><a href="/a/"><svg><a href="/m2/"></svg><a href="/b/">`, []string{"/a/", "/b/"}},
		{"nested svg opens, first close ends the skip", `<svg><svg><a href="/m/"></svg><a href="/a/"></svg><a href="/b/">`, []string{"/a/", "/b/"}},
		{"unterminated svg ends the scan", `<a href="/a/"><svg><a href="/m/"><a href="/n/">`, []string{"/a/"}},
		{"unterminated svg after the last link", `<a href="/a/"><svg><circle/>`, []string{"/a/"}},
		{"svg in a previous value does not count", `<a href="<svg"><a href="/b/">`, []string{"<svg", "/b/"}},
		{"svg after an unquoted value counts", `<a href=<svg><a href="/m/"></svg><a href="/b/">`, []string{"/b/"}},
		{"close tag in a value", `<svg><a href="</svg>"><a href="/b/">`, []string{"/b/"}},
		{"upper-case SVG is not svg", `<SVG><a href="/a/"></SVG>`, []string{"/a/"}},
		{"svg tag glued to href", `<svghref="/m/"></svg><a href="/a/">`, []string{"/a/"}},
		{"many closes, no open", `</svg></svg><a href="/a/"></svg>`, []string{"/a/"}},
		{"value holding the other quote", `<a href="it's">`, []string{"it's"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := hrefs([]byte(c.page))
			if !slices.Equal(got, c.want) {
				t.Errorf("hrefs(%q) = %q, want %q", c.page, got, c.want)
			}
			if old := hrefsBackward([]byte(c.page)); !slices.Equal(got, old) {
				t.Errorf("hrefs(%q) = %q, the backward scan found %q", c.page, got, old)
			}
		})
	}
}

// hrefTokens are the pieces the scans react to; FuzzHrefs also reads its
// input as a sequence of them, since random bytes rarely spell "<svg".
var hrefTokens = []string{"<svg", "</svg>", "href=", `"`, "'", "x", ">", " ", "&amp;", "<", "/", "h"}

// FuzzHrefs checks that the forward scan finds exactly the hrefs the
// backward scan found, on any bytes, and on any sequence of the tokens the
// scans look for.
func FuzzHrefs(f *testing.F) {
	f.Add([]byte(`<a href="/a/"><svg><a href="/m/"></svg><a href='/b/'>`))
	f.Add([]byte(`<svg><svg><a href="/m/"></svg><a href="/a/"></svg><a href=/b/>`))
	f.Add([]byte(`<a href="<svg"><a href="/b/"><svg><a href="</svg>"><a href=`))
	f.Add([]byte(`</svg><svghref="x"><svg href='y'`))
	f.Add([]byte{0, 2, 3, 5, 3, 1, 2, 4, 5, 4, 2, 3})
	f.Fuzz(func(t *testing.T, in []byte) {
		var tokens bytes.Buffer
		for _, b := range in {
			tokens.WriteString(hrefTokens[int(b)%len(hrefTokens)])
		}
		for _, page := range [][]byte{in, tokens.Bytes()} {
			if got, want := hrefs(page), hrefsBackward(page); !slices.Equal(got, want) {
				t.Fatalf("hrefs(%q) = %q, the backward scan found %q", page, got, want)
			}
		}
	})
}
