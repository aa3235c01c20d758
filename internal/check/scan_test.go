package check

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/testsite"
)

// scanWithMaps is scan as it was before it reused one slice of attributes
// for every tag: a map and strings per tag. It is kept as the reference the
// rewrite must agree with.
func scanWithMaps(data []byte) *pageInfo {
	info := &pageInfo{ids: map[string]int{}}
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return info
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		tag := string(name)
		attrs := map[string]string{}
		var order []string
		for hasAttr {
			k, v, more := z.TagAttr()
			if _, dup := attrs[string(k)]; !dup {
				order = append(order, string(k))
				attrs[string(k)] = string(v)
			}
			hasAttr = more
		}
		for _, k := range order {
			v := attrs[k]
			switch k {
			case "id":
				info.ids[v]++
			case "name":
				if tag == "a" && attrs["id"] != v {
					info.ids[v]++
				}
			case "href":
				if rel := attrs["rel"]; tag == "link" && (rel == "preconnect" || rel == "dns-prefetch") {
					continue
				}
				if tag == "base" {
					continue
				}
				info.links = append(info.links, ref{tag + " href", v})
			case "src", "poster":
				info.links = append(info.links, ref{tag + " " + k, v})
			case "srcset":
				for _, part := range strings.Split(v, ",") {
					if f := strings.Fields(part); len(f) > 0 {
						info.links = append(info.links, ref{tag + " srcset", f[0]})
					}
				}
			case "content":
				if tag == "meta" && (ownURLMeta[attrs["property"]] || ownURLMeta[attrs["name"]]) {
					info.links = append(info.links, ref{"meta " + attrs["property"] + attrs["name"], v})
				}
			}
		}
	}
}

func sameScan(t *testing.T, what string, page []byte) {
	t.Helper()
	got, want := scan(page), scanWithMaps(page)
	if !maps.Equal(got.ids, want.ids) || !slices.Equal(got.links, want.links) {
		t.Errorf("%s: scan gives ids %v, links %v\nwant ids %v, links %v", what, got.ids, got.links, want.ids, want.links)
	}
}

var scanCases = []string{
	`<a name="x" id="x" href="/a/#x">same</a><a name="y" id="z">differ</a><a name="w">only name</a>`,
	`<p id="a" id="b" ID="c">first id wins</p><P Id="d">upper case</P>`,
	`<input checked id="c" disabled id="e"><input id>`,
	`<link rel="preconnect" href="https://x.example/"><link rel="dns-prefetch" href="//y.example/"><link rel="stylesheet" href="/s.css" rel="preconnect">`,
	`<base href="/b/"><img src="/i.png" srcset="/a.png 1x, /b.png 2x,, /c.png" poster="/p.png">`,
	`<meta property="og:url" content="https://site/x/"><meta name="twitter:image" content="/t.png"><meta name="description" content="/no/">`,
	`<meta content="/before/" property="og:image"><meta property="og:url" name="twitter:image" content="/both/">`,
	`<video poster="/v.jpg" src="/v.mp4"></video><source srcset="/s.webp"><iframe src="/f/"></iframe><area href="/m/">`,
	`<svg><a href="#in-svg" id="svg-id"/></svg><script>var a = '<a href="/not/">';</script><!-- <a href="/comment/"> -->`,
	`<a href='/single/' id=bare>x</a><a href=/unquoted/ id="amp&amp;">y</a><a href="/e/?a=1&amp;b=2">z</a>`,
	`<custom-tag id="k" href="/custom/" src="/csrc/">`,
}

func TestScanAgreesWithTheReference(t *testing.T) {
	for _, c := range scanCases {
		sameScan(t, c, []byte(c))
	}
	root := testsite.New(t)
	for _, minify := range []bool{false, true} {
		res, err := build.New(build.Options{Root: root, Minify: minify}).Build(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for path, f := range res.Site.Files {
			if strings.HasSuffix(path, ".html") {
				sameScan(t, path, f.Data)
				n++
			}
		}
		if n < 10 {
			t.Fatalf("only %d pages scanned", n)
		}
	}
}

func FuzzScanAgreesWithTheReference(f *testing.F) {
	for _, c := range scanCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, page string) {
		sameScan(t, "fuzzed page", []byte(page))
	})
}

// BenchmarkScan scans every page of the fixture site, built unminified as
// check builds it; -run=^$ -bench=Scan compares scan with the reference.
func BenchmarkScan(b *testing.B) {
	res, err := build.New(build.Options{Root: testsite.New(b)}).Build(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	var pages [][]byte
	for path, f := range res.Site.Files {
		if strings.HasSuffix(path, ".html") {
			pages = append(pages, f.Data)
		}
	}
	for _, bc := range []struct {
		name string
		scan func([]byte) *pageInfo
	}{{"scan", scan}, {"reference", scanWithMaps}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range pages {
					bc.scan(p)
				}
			}
		})
	}
}
