package serve

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/testsite"
)

// The preview builds for the address it serves (with the path of
// dossier.yaml's baseURL): canonical, Open Graph and feed URLs lead back to
// it, not to the published site; -base-url still wins.
func TestServeBuildsForItsOwnAddress(t *testing.T) {
	for _, tc := range []struct {
		name    string
		baseURL string // -base-url
		want    func(addr string) string
	}{
		{"served address", "", func(addr string) string { return "http://" + addr + "/calden/" }},
		{"-base-url wins", "https://news.example/x/", func(string) string { return "https://news.example/x/" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := testsite.New(t)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			srv, log := NewServer(), &lockedBuffer{}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, build.New(build.Options{Root: root, BaseURL: tc.baseURL}), Options{Root: root, Log: log}, ln, srv)
			}()
			t.Cleanup(func() { stopRun(t, cancel, done) })
			for deadline := time.Now().Add(60 * time.Second); srv.Site() == nil; {
				if time.Now().After(deadline) {
					t.Fatalf("first build:\n%s", log.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			want := tc.want(addr)
			path := strings.TrimPrefix(want, "https://news.example")
			if !strings.HasPrefix(path, "/") {
				path = "/calden/"
			}
			_, body := get(t, "http://"+addr+path+"articles/"+testsite.Articles[0]+"/")
			for _, attr := range []string{
				`<link rel="canonical" href="` + want + `articles/` + testsite.Articles[0] + `/">`,
				`<meta property="og:url" content="` + want + `articles/` + testsite.Articles[0] + `/">`,
			} {
				if !strings.Contains(body, attr) {
					t.Errorf("the page lacks %s", attr)
				}
			}
			if _, feed := get(t, "http://"+addr+path+"feed.xml"); !strings.Contains(feed, want+"articles/") {
				t.Errorf("the feed's links are not under %s:\n%.400s", want, feed)
			}
			// The site is served before the line saying so is logged:
			// wait for it, then check it names this address.
			waitLog(t, log, "serving ")
			if !strings.Contains(log.String(), "serving http://"+addr+path) {
				t.Errorf("the log names another address:\n%s", log.String())
			}
		})
	}
}
