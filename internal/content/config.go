package content

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/language"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/readfile"
)

// ValidateConfig checks the dossier.yaml values that dossier writes verbatim
// into the output (the CNAME file, every canonical URL, the lang attribute)
// or uses to read the project, each with its line.
func ValidateConfig(cfg Config) diag.List {
	var ps diag.List
	if cfg.BaseURL != "" {
		if err := CheckBaseURL(cfg.BaseURL); err != nil {
			ps.Add(diag.Errorf(cfg.File, cfg.Lines["baseURL"], "baseURL %v", err))
		}
	}
	if cfg.CNAME != "" {
		if err := CheckHostname(cfg.CNAME); err != nil {
			ps.Add(diag.Errorf(cfg.File, cfg.Lines["cname"], "cname %v", err))
		}
	}
	if cfg.Language != "" {
		if err := CheckLanguage(cfg.Language); err != nil {
			ps.Add(diag.Errorf(cfg.File, cfg.Lines["language"], "language %v", err))
		}
	}
	if cfg.MaxFileSize != "" {
		if _, err := readfile.ParseSize(cfg.MaxFileSize); err != nil {
			ps.Add(diag.Errorf(cfg.File, cfg.Lines["maxFileSize"], "maxFileSize: %v", err))
		}
	}
	return ps
}

// FileSizeLimit is the largest content file Load reads: maxFileSize, or
// DefaultMaxFileSize when it is unset or invalid (ValidateConfig reports that).
func (c *Config) FileSizeLimit() int64 {
	if n, err := readfile.ParseSize(c.MaxFileSize); err == nil {
		return n
	}
	return DefaultMaxFileSize
}

// CheckBaseURL checks a base URL (dossier.yaml's baseURL or -base-url): a
// full http or https URL with a host, and nothing that would need escaping
// where it is pasted into pages, feeds and the sitemap. The error reads after
// the value's name.
func CheckBaseURL(raw string) error {
	for _, r := range raw {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("\"'<>\\`{}|^", r) {
			return fmt.Errorf("%q contains %q: a URL has no spaces, quotes, angle brackets or control characters (percent-encode them)", raw, r)
		}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%q must be a full URL such as https://owner.github.io/repo/", raw)
	}
	if u.User != nil {
		return fmt.Errorf("%q must not carry a user name or password", raw)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("%q must not have a ?query or #fragment: it is the folder the site is published under", raw)
	}
	if err := CheckHostname(u.Hostname()); err != nil && !isIPLiteral(u.Hostname()) {
		return fmt.Errorf("%q: its host %v", raw, err)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%q: its port %s is not a port number (1 to 65535)", raw, p)
		}
	}
	// Every page's links start with the path: an empty segment makes
	// "//host/..." of them (another site), and browsers resolve "." and
	// ".." (even percent-encoded) away, so the pages would not be where
	// their links say.
	var segments []string
	if p := u.EscapedPath(); p != "" && p != "/" {
		segments = strings.Split(strings.TrimPrefix(p, "/"), "/")
		if segments[len(segments)-1] == "" {
			segments = segments[:len(segments)-1] // the trailing slash
		}
	}
	for i, seg := range segments {
		dec, err := url.PathUnescape(seg)
		if err != nil {
			return fmt.Errorf("%q: its path has a malformed %%-escape in %q", raw, seg)
		}
		switch {
		case seg == "":
			return fmt.Errorf("%q: its path has an empty folder (\"//\"): write each folder once, as in https://owner.github.io/repo/", raw)
		case dec == "." || dec == "..":
			return fmt.Errorf("%q: its path has a %q folder (part %d), which browsers resolve away: write the folder the site is published under, as in https://owner.github.io/repo/", raw, seg, i+1)
		}
	}
	return nil
}

func isIPLiteral(h string) bool { return net.ParseIP(h) != nil }

var tagRE = regexp.MustCompile(`^[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*$`)

var labelRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// CheckHostname checks a DNS host name as GitHub Pages' CNAME file holds it:
// dot-separated labels of ASCII letters, digits and inner dashes, at most
// 253 characters, no scheme, port, path or trailing dot. The error reads
// after the value's name.
func CheckHostname(h string) error {
	switch {
	case h == "":
		return fmt.Errorf("is empty")
	case strings.Contains(h, "://"):
		return fmt.Errorf("%q must be a bare domain such as news.example.org, without http:// (that goes in baseURL)", h)
	case strings.ContainsAny(h, "/:?#@"):
		return fmt.Errorf("%q must be a bare domain such as news.example.org, without a port or path", h)
	case len(h) > 253:
		return fmt.Errorf("is %d characters long, more than the 253 a domain name may have", len(h))
	}
	for _, r := range h {
		if r > unicode.MaxASCII {
			return fmt.Errorf("%q has non-ASCII letters: write an internationalised domain in its xn-- (punycode) form", h)
		}
	}
	labels := strings.Split(h, ".")
	if h != "localhost" && len(labels) < 2 {
		return fmt.Errorf("%q is not a full domain name such as news.example.org", h)
	}
	for _, l := range labels {
		if !labelRE.MatchString(l) {
			return fmt.Errorf("%q is not a valid domain name: use letters, digits and dashes between dots (a dash neither first nor last, at most 63 characters between dots)", h)
		}
	}
	return nil
}

// CheckLanguage checks a BCP 47 language tag such as en, en-GB or pt-BR,
// which becomes the pages' lang attribute and the feed's language.
func CheckLanguage(tag string) error {
	// language.Parse also takes "en_US" and other spellings that are not
	// what an HTML lang attribute holds: only letters, digits and dashes.
	if !tagRE.MatchString(tag) {
		return fmt.Errorf("%q is not a language tag: write a BCP 47 tag such as en, en-GB, fr or pt-BR", tag)
	}
	if _, err := language.Parse(tag); err != nil {
		return fmt.Errorf("%q is not a language tag: write a BCP 47 tag such as en, en-GB, fr or pt-BR", tag)
	}
	return nil
}

// rtlScripts are the scripts written right to left (ISO 15924) that a
// language's likely script can be.
var rtlScripts = map[string]bool{"Adlm": true, "Arab": true, "Hebr": true, "Mand": true, "Nkoo": true, "Rohg": true, "Samr": true, "Syrc": true, "Thaa": true, "Yezi": true}

// Dir is the direction the site's language is written in, for the pages'
// dir attribute: "rtl" for Hebrew, Arabic, Persian, Urdu and the others
// written in a right-to-left script (he, ar, fa-IR, az-Arab), else "ltr".
func (c Config) Dir() string {
	tag, err := language.Parse(c.Language)
	if err != nil {
		return "ltr"
	}
	if s, conf := tag.Script(); conf != language.No && rtlScripts[s.String()] {
		return "rtl"
	}
	return "ltr"
}
