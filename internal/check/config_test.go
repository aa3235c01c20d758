package check_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/check"
	"github.com/dossier-news/dossier/internal/testsite"
)

// dossier.yaml's cname, baseURL, language and maxFileSize: the documented
// custom domain passes `check -strict` (no problem with its own CNAME file),
// and values that would be written verbatim into the output are refused at
// their line.
func TestCheckConfigValues(t *testing.T) {
	cases := []struct {
		name  string
		extra string // appended to the fixture's dossier.yaml
		want  string // a problem's text, "" for none at all
	}{
		{"custom domain", "cname: news.example.org\n", ""},
		{"cname with a path", "cname: \"evil.example/../../x\\nfoo\"\n", "content/dossier.yaml:LINE: cname \"evil.example/../../x\\nfoo\" must be a bare domain"},
		{"cname with a scheme", "cname: https://news.example.org\n", "content/dossier.yaml:LINE: cname \"https://news.example.org\" must be a bare domain"},
		{"cname with a space", "cname: news example.org\n", "content/dossier.yaml:LINE: cname \"news example.org\" is not a valid domain name"},
		{"cname not ASCII", "cname: nouvelles.exemple.fr\n", ""},
		{"cname unicode", "cname: actualités.exemple.fr\n", "content/dossier.yaml:LINE: cname \"actualités.exemple.fr\" has non-ASCII letters"},
		{"language", "language: pt-BR\n", ""},
		{"bad language", "language: \"en\\\" onload=\\\"x\"\n", "content/dossier.yaml:LINE: language \"en\\\" onload=\\\"x\" is not a language tag"},
		{"unknown language", "language: klingonese\n", "content/dossier.yaml:LINE: language \"klingonese\" is not a language tag"},
		{"maxFileSize", "maxFileSize: 64MB\n", ""},
		{"bad maxFileSize", "maxFileSize: lots\n", "content/dossier.yaml:LINE: maxFileSize: \"lots\" is not a size"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := testsite.New(t)
			// Replace the key's line if the fixture has it, else append.
			lines := strings.SplitAfter(testsite.Read(t, root, "content/dossier.yaml"), "\n")
			key := tc.extra[:strings.Index(tc.extra, ":")+1]
			line := 0
			for i, l := range lines {
				if strings.HasPrefix(l, key) {
					lines[i], line = tc.extra, i+1
					break
				}
			}
			if line == 0 { // the last element is "", after the final newline
				lines, line = append(lines, tc.extra), len(lines)
			}
			testsite.Write(t, root, "content/dossier.yaml", strings.Join(lines, ""))
			rep, err := check.Run(context.Background(), check.Options{Root: root})
			if err != nil {
				t.Fatal(err)
			}
			var all []string
			for _, p := range rep.Problems {
				all = append(all, p.Error())
			}
			if tc.want == "" {
				if len(all) > 0 {
					t.Errorf("problems (check -strict would fail):\n%s", strings.Join(all, "\n"))
				}
				return
			}
			want := strings.ReplaceAll(tc.want, "LINE", itoa(line))
			found := false
			for _, p := range all {
				if strings.HasPrefix(p, want) {
					found = true
				}
			}
			if !found {
				t.Errorf("no problem starting %q among:\n%s", want, strings.Join(all, "\n"))
			}
		})
	}
}

// baseURL: quotes, spaces, control characters, queries and credentials are
// refused, as dossier.yaml's value and as -base-url.
func TestCheckBaseURL(t *testing.T) {
	cases := []struct {
		url  string
		want string // "" when valid
	}{
		{"https://news.example.org/", ""},
		{"https://owner.github.io/repo/", ""},
		{"http://127.0.0.1:8080/", ""},
		// A percent-encoded path: the site's links are checked under it.
		{"https://example.org/caf%C3%A9/", ""},
		{"https://example.org/%E6%97%A5%E6%9C%AC/dossier/", ""},
		{`https://example.org/"onload="x`, `contains '"'`},
		{"https://example.org/a b/", `contains ' '`},
		{"https://example.org/\x01", `contains '\x01'`},
		{"https://example.org/?q=1", "must not have a ?query"},
		{"https://example.org/#top", "must not have a ?query or #fragment"},
		{"https://user:pw@example.org/", "must not carry a user name"},
		{"ftp://example.org/", "must be a full URL"},
		{"example.org", "must be a full URL"},
		{"https://exa_mple.org/", "is not a valid domain name"},
		{"https://example.org", ""},
		{"https://example.org/a/b", ""},
		{"https://example.org:8443/repo/", ""},
		// Links would leave the site ("//example.com/...") or not lead
		// where the pages are.
		{"https://owner.github.io//example.com/", `has an empty folder ("//")`},
		{"https://example.org//", `has an empty folder ("//")`},
		{"https://example.org/a/../b/", `has a ".." folder (part 2)`},
		{"https://example.org/./", `has a "." folder (part 1)`},
		{"https://example.org/%2e%2E/", `has a "%2e%2E" folder`},
		{"https://example.org:99999/", "its port 99999 is not a port number"},
		{"https://example.org:0/", "its port 0 is not a port number"},
	}
	for _, tc := range cases {
		root := testsite.New(t)
		rep, err := check.Run(context.Background(), check.Options{Root: root, BaseURL: tc.url})
		if err != nil {
			t.Fatal(err)
		}
		var errs []string
		for _, p := range rep.Problems.Errors() {
			errs = append(errs, p.Error())
		}
		got := strings.Join(errs, "\n")
		if tc.want == "" && got != "" {
			t.Errorf("-base-url %q: %s", tc.url, got)
		}
		if tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("-base-url %q: want a problem containing %q, got:\n%s", tc.url, tc.want, got)
		}
	}
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
