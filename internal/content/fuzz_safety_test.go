package content

import (
	"bytes"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var kinds = []string{ArticlesDir, TopicsDir, EntitiesDir, ClaimsDir}

// FuzzParseAnyKind checks front matter parsing of every kind of content file
// on any bytes: it never panics, is deterministic (the same problems in the
// same order), and every problem and line it gives points into the file.
func FuzzParseAnyKind(f *testing.F) {
	f.Add(uint8(0), []byte("---\ntitle: T\noutlet: O\ndate: 2013-05-07\ntopics: [a, b]\nannotations:\n  - quote: \"q\"\n    kind: context\n    note: n\n---\nBody *text*.\n"))
	f.Add(uint8(1), []byte("---\r\ntitle: T\r\nkeywords: [x]\r\n...\r\nBody\r\n"))
	f.Add(uint8(2), []byte("\xef\xbb\xbf---\nname: N\nkind: person\naliases: [A, B]\n---\n"))
	f.Add(uint8(3), []byte("---\ntitle: &a T\nverdict: *a\n---\n"))
	f.Add(uint8(0), []byte("---\ntitle: [unclosed\n---\n"))
	f.Add(uint8(0), []byte("---\ndate: 2013-02-30\n---\n"))
	f.Add(uint8(0), []byte("---\n"))
	f.Add(uint8(0), []byte("no front matter"))
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		k := kinds[int(kind)%len(kinds)]
		file := "content/" + k + "/x.md"
		v, ps := ParseFile(k, file, data)
		v2, ps2 := ParseFile(k, file, data)
		if !reflect.DeepEqual(v, v2) || !reflect.DeepEqual(ps, ps2) {
			t.Fatal("two parses of the same bytes differ")
		}
		// YAML, like most editors, takes a lone \r for a line break too.
		lines := bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\r")) + bytes.Count(data, []byte("\n")) + 1
		for _, p := range ps {
			if p.File != file || p.Line < 0 || p.Line > lines+1 || p.Msg == "" {
				t.Fatalf("problem outside the file: %+v (%d lines)", p, lines)
			}
		}
		if v == nil {
			return
		}
		var src Source
		switch x := v.(type) {
		case *Article:
			src = x.Source
			for _, a := range x.Annotations {
				if a.Line < 1 || a.Line > lines {
					t.Fatalf("annotation line %d of %d", a.Line, lines)
				}
			}
		case *Topic:
			src = x.Source
		case *Entity:
			src = x.Source
		case *Claim:
			src = x.Source
		}
		if src.File != file || src.BodyLine < 2 || src.BodyLine > lines+1 {
			t.Fatalf("source %+v of a %d-line file", src, lines)
		}
		for key, l := range src.Lines {
			if l < 1 || l > lines {
				t.Fatalf("key %s at line %d of %d", key, l, lines)
			}
		}
	})
}

var offsetRE = regexp.MustCompile(`byte offset (\d+) \(column (\d+)\)`)

// FuzzCheckText checks the UTF-8 and NUL check: a problem exactly when the
// text is not valid UTF-8 or holds a NUL, each pointing at an offending
// byte, with its line and column.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"plain", "caf\xe9", "a\x00b", "\xff\xfe-\x00", "é\n\xc3", "\xed\xa0\x80", "ok\n\n\xf4\x90\x80\x80", strings.Repeat("\xff\n", 9)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps := CheckText("f.md", data)
		bad := !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0
		if bad != (len(ps) > 0) {
			t.Fatalf("valid=%v but %d problems: %v", !bad, len(ps), ps)
		}
		if len(ps) > maxTextProblems+1 {
			t.Fatalf("%d problems", len(ps))
		}
		for _, p := range ps {
			m := offsetRE.FindStringSubmatch(p.Msg)
			if m == nil {
				continue // the UTF-16 or "more" summary
			}
			var off, col int
			fmt.Sscan(m[1], &off)
			fmt.Sscan(m[2], &col)
			if off >= len(data) {
				t.Fatalf("offset %d past the end (%d)", off, len(data))
			}
			if r, size := utf8.DecodeRune(data[off:]); data[off] != 0 && !(r == utf8.RuneError && size == 1) {
				t.Fatalf("byte %d (%q) is neither NUL nor invalid: %v", off, data[off:off+size], p)
			}
			if want := 1 + bytes.Count(data[:off], []byte("\n")); p.Line != want {
				t.Fatalf("line %d, want %d: %v", p.Line, want, p)
			}
			if want := utf8.RuneCount(data[bytes.LastIndexByte(data[:off], '\n')+1:off]) + 1; col != want {
				t.Fatalf("column %d, want %d: %v", col, want, p)
			}
		}
	})
}

var hostnameOracle = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$`)

// FuzzConfigChecks checks that what cname, baseURL and language accept is
// safe to write verbatim into a CNAME file, pages and feeds.
func FuzzConfigChecks(f *testing.F) {
	f.Add("news.example.org", "https://owner.github.io/repo/", "en-GB")
	f.Add("evil.example/../../x\nfoo", `https://example.org/"onload="x`, `en" onload="x`)
	f.Add("xn--actualits-d4a.exemple.fr", "http://127.0.0.1:8080/", "pt_BR")
	f.Add("-bad-.example", "https://[::1]:8080/a/", "x-klingon")
	f.Add("localhost", "https://user@example.org/", "zh-Hant-TW")
	f.Fuzz(func(t *testing.T, host, base, lang string) {
		if CheckHostname(host) == nil {
			if !hostnameOracle.MatchString(host) || len(host) > 253 || strings.ContainsAny(host, "\n\r\t /:") {
				t.Fatalf("cname %q accepted", host)
			}
		}
		if CheckBaseURL(base) == nil {
			u, err := url.Parse(base)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
				t.Fatalf("baseURL %q accepted", base)
			}
			for _, r := range base {
				if r <= ' ' || r == 0x7f || strings.ContainsRune("\"'<>\\`", r) {
					t.Fatalf("baseURL %q accepted with %q", base, r)
				}
			}
		}
		if CheckLanguage(lang) == nil && !regexp.MustCompile(`^[A-Za-z0-9-]+$`).MatchString(lang) {
			t.Fatalf("language %q accepted", lang)
		}
	})
}
