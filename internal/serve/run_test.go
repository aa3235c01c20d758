package serve

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
)

// scripted returns its results in turn; a nil result panics.
type scripted struct {
	results []func() (*build.Result, error)
}

func (s *scripted) Build(ctx context.Context, changed []string) (*build.Result, error) {
	f := s.results[0]
	s.results = s.results[1:]
	return f()
}

func ok(pages, rendered int, warn ...diag.Problem) func() (*build.Result, error) {
	return func() (*build.Result, error) {
		return &build.Result{Site: newSite("/", map[string]string{"index.html": page("x")}),
			Pages: pages, Rendered: rendered, Duration: 12 * time.Millisecond, Warnings: warn}, nil
	}
}

func TestRebuildLog(t *testing.T) {
	w1 := diag.Warnf("content/articles/a.md", 2, "title already used")
	b := &scripted{results: []func() (*build.Result, error){
		ok(66, 66, w1),
		ok(66, 3, w1),
		func() (*build.Result, error) {
			// A failed build's warnings are listed with its errors, as
			// dossier build lists them.
			return &build.Result{Warnings: diag.List{diag.Warnf("content/articles/y.md", 3, "add summary")}},
				diag.List{diag.Errorf("content/articles/x.md", 4, `unknown field "titel"`), diag.Errorf("content/timeline.yaml", 0, "bad")}
		},
		ok(66, 1),
		func() (*build.Result, error) { panic("boom") },
		ok(66, 1),
	}}
	log := &lockedBuffer{}
	srv := NewServer()
	r := &rebuilder{b: b, srv: srv, log: log}
	ctx := context.Background()
	r.build(ctx, nil, true)
	r.build(ctx, []string{"content/articles/x.md"}, false)
	r.build(ctx, []string{"content/articles/x.md"}, false)
	if srv.Site() == nil || srv.state.Load().problems == nil {
		t.Error("a failed build must keep the last good site and record the problems")
	}
	r.build(ctx, []string{"a", "b", "c", "d"}, false)
	r.build(ctx, nil, false)
	if srv.Site() == nil {
		t.Error("a panicking build must keep the site")
	}
	r.build(ctx, []string{"a"}, false)
	out := log.String()
	for _, want := range []string{
		"built in 12 ms: 66 pages\n",
		"content/articles/a.md:2: warning: title already used\n",
		"rebuilt in 12 ms: 3 of 66 pages rendered (changed content/articles/x.md); 1 warning, as before\n",
		"build failed (3 problems; changed content/articles/x.md); serving the last good site:\n" +
			"content/articles/x.md:4: unknown field \"titel\"\ncontent/articles/y.md:3: warning: add summary\ncontent/timeline.yaml: bad\n",
		// The warning listed above is gone: the log says so, as
		// dossier check then lists none.
		"rebuilt (fixed) in 12 ms: 1 of 66 pages rendered (changed a and 3 more); no warnings now\n",
		"internal error: panic: boom\n",
		"build failed (1 problem; changed everything)",
		"rebuilt (fixed) in 12 ms: 1 of 66 pages rendered (changed a)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "title already used"); n != 1 {
		t.Errorf("an unchanged warning was listed %d times:\n%s", n, out)
	}
}

// fakeListener has a non-loopback address and accepts nothing.
type fakeListener struct {
	once   sync.Once
	closed chan struct{}
}

func (l *fakeListener) Accept() (net.Conn, error) {
	<-l.closed
	return nil, net.ErrClosed
}
func (l *fakeListener) Close() error { l.once.Do(func() { close(l.closed) }); return nil }
func (l *fakeListener) Addr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4zero, Port: 8080}
}

func TestRunWarnsOffLoopbackAndStops(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root+"/content/articles/x.md", "x")
	log := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, newFakeBuilder(root), Options{Root: root, Log: log}, &fakeListener{closed: make(chan struct{})}, NewServer())
	}()
	waitLog(t, log, "serving http://localhost:8080/")
	if !strings.Contains(log.String(), "warning: listening on 0.0.0.0:8080, not on loopback") {
		t.Errorf("no warning:\n%s", log.String())
	}
	stopRun(t, cancel, done)
	waitLog(t, log, "stopped")
}

func TestRunStartupErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	root := t.TempDir()
	err = Run(context.Background(), newFakeBuilder(root), Options{Addr: ln.Addr().String(), Root: root, Log: &lockedBuffer{}})
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("address in use: %v", err)
	}
	err = Run(context.Background(), newFakeBuilder(root), Options{Addr: "127.0.0.1:0", Root: root + "/missing", Log: &lockedBuffer{}})
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing project folder: %v", err)
	}
}

// Clients still connected to the event stream, or connected and silent, do
// not hold up shutdown.
func TestRunShutdownWithOpenStreams(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root+"/content/articles/x.md", "x")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, log := NewServer(), &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, newFakeBuilder(root), Options{Root: root, Log: log}, ln, srv) }()
	waitLog(t, log, "serving http://")
	var streams []*sseClient
	for i := 0; i < 5; i++ {
		streams = append(streams, dialEvents(t, noRedirect, "http://"+ln.Addr().String()+"/__dossier/events"))
	}
	// And connections that have sent no request, or half of one (a
	// browser's preconnect), which net/http waits 5 s for.
	for _, send := range []string{"", "GET / HTTP/1.1\r\nHost: "} {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Write([]byte(send)); err != nil {
			t.Fatal(err)
		}
	}
	// Streams holding up the graceful shutdown would make it last its whole
	// timeout; a loaded machine only makes it slow.
	start := time.Now()
	stopRun(t, cancel, done)
	if d := time.Since(start); d >= shutdownTimeout {
		t.Errorf("shutdown took %v with open streams: they held it up until the timeout (%v)", d, shutdownTimeout)
	}
	for i, c := range streams {
		select {
		case <-drain(c.events):
		case <-time.After(5 * time.Second):
			t.Errorf("stream %d still open after shutdown", i)
		}
	}
}
