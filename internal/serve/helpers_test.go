package serve

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/output"
)

// newSite makes a Site from path -> content, with ETags.
func newSite(base string, files map[string]string) *output.Site {
	s := &output.Site{BasePath: base, Files: make(map[string]*output.File)}
	for p, c := range files {
		sum := sha256.Sum256([]byte(c))
		s.Files[p] = &output.File{Path: p, Data: []byte(c), ETag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return s
}

func page(body string) string {
	return "<!doctype html><html><head><title>t</title></head><body>" + body + "</body></html>"
}

// fakeBuilder builds a site from the Markdown files under Root/content: each
// content/<dir>/<name>.md becomes <dir>/<name>/index.html holding the file's
// text. A file containing "BROKEN" fails the build at that line.
type fakeBuilder struct {
	root  string
	base  string
	delay time.Duration

	mu      sync.Mutex
	calls   int
	changed [][]string
	notify  chan struct{}
}

func newFakeBuilder(root string) *fakeBuilder {
	return &fakeBuilder{root: root, base: "/", notify: make(chan struct{}, 1000)}
}

func (f *fakeBuilder) Build(ctx context.Context, changed []string) (*build.Result, error) {
	start := time.Now()
	f.mu.Lock()
	delay := f.delay
	f.mu.Unlock()
	time.Sleep(delay)
	f.mu.Lock()
	f.calls++
	f.changed = append(f.changed, changed)
	f.mu.Unlock()
	defer func() { f.notify <- struct{}{} }()

	files := map[string]string{"404.html": page("<h1>Not here</h1>")}
	var probs diag.List
	home := "<ul>"
	content := filepath.Join(f.root, "content")
	filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || ignored(d.Name()) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(f.root, p)
		rel = filepath.ToSlash(rel)
		if i := strings.Index(string(data), "BROKEN"); i >= 0 {
			line := 1 + strings.Count(string(data[:i]), "\n")
			probs.Add(diag.Errorf(rel, line, "broken front matter"))
		}
		out := strings.TrimSuffix(strings.TrimPrefix(rel, "content/"), ".md") + "/index.html"
		files[out] = page("<main>" + html.EscapeString(string(data)) + "</main>")
		home += "<li>" + out + "</li>"
		return nil
	})
	if err := probs.Err(); err != nil {
		return nil, err
	}
	files["index.html"] = page(home + "</ul>")
	site := newSite(f.base, files)
	n := len(files) - 1
	return &build.Result{Site: site, Pages: n, Rendered: n, Duration: time.Since(start)}, nil
}

func (f *fakeBuilder) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func (f *fakeBuilder) lastChanged() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.changed[len(f.changed)-1]
}

// waitCalls waits until at least n builds ran.
func (f *fakeBuilder) waitCalls(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for f.count() < n {
		select {
		case <-f.notify:
		case <-deadline:
			t.Fatalf("waited 5 s for build #%d; %d builds ran", n, f.count())
		}
	}
}

// settle asserts that exactly n builds ran, and no more come.
func (f *fakeBuilder) settle(t *testing.T, n int) {
	t.Helper()
	f.waitCalls(t, n)
	time.Sleep(400 * time.Millisecond)
	f.mu.Lock()
	got, changed := f.calls, f.changed
	f.mu.Unlock()
	if got != n {
		t.Fatalf("want exactly %d builds, got %d; changed sets: %q", n, got, changed)
	}
}

// quiesce waits until no build came for 500 ms and returns the count.
func (f *fakeBuilder) quiesce(t *testing.T) int {
	t.Helper()
	n := f.count()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		time.Sleep(500 * time.Millisecond)
		if m := f.count(); m == n {
			return n
		} else {
			n = m
		}
	}
	t.Fatal("builds never stopped")
	return 0
}

// lockedBuffer is a log sink safe to read while it is written.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitLog waits until the log contains s.
func waitLog(t *testing.T, l *lockedBuffer, s string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(l.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("log lacks %q:\n%s", s, l.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// project is a running preview of a temp project with a fake builder.
type project struct {
	root string
	fb   *fakeBuilder
	srv  *Server
	url  string // http://127.0.0.1:port
	log  *lockedBuffer
}

// startProject writes files (relative path -> content) into a temp project
// and runs the preview on a free loopback port until the test ends.
func startProject(t *testing.T, files map[string]string) *project {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		writeFile(t, filepath.Join(root, p), c)
	}
	p := &project{root: root, fb: newFakeBuilder(root), srv: NewServer(), log: &lockedBuffer{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.url = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, p.fb, Options{Root: root, Log: p.log}, ln, p.srv) }()
	t.Cleanup(func() { stopRun(t, cancel, done) })
	p.fb.waitCalls(t, 1)
	waitLog(t, p.log, "serving http://")
	return p
}

func (p *project) path(rel string) string { return filepath.Join(p.root, filepath.FromSlash(rel)) }

func (p *project) write(t *testing.T, rel, content string) { writeFile(t, p.path(rel), content) }

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// get fetches url without following redirects.
func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	return do(t, "GET", url, nil)
}

var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       10 * time.Second,
}

func do(t *testing.T, method, url string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// sseEvent is one parsed server-sent event; comments have name ":".
type sseEvent struct {
	name, data string
}

type sseClient struct {
	events chan sseEvent // closed when the stream ends
	cancel context.CancelFunc
	resp   *http.Response
}

// dialEvents opens an event stream and parses it in the background.
func dialEvents(t testing.TB, client *http.Client, url string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := client.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		cancel()
		t.Fatalf("events: %s %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	c := &sseClient{events: make(chan sseEvent, 1000), cancel: cancel, resp: resp}
	go func() {
		defer close(c.events)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					c.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				c.events <- sseEvent{name: ":", data: line}
			case strings.HasPrefix(line, "event: "):
				ev.name = line[len("event: "):]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[len("data: "):]
			}
		}
	}()
	if tt, ok := t.(*testing.T); ok {
		tt.Cleanup(cancel)
	}
	return c
}

// next returns the next event other than a comment.
func (c *sseClient) next(t *testing.T, timeout time.Duration) sseEvent {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev, ok := <-c.events:
			if !ok {
				t.Fatal("event stream ended")
			}
			if ev.name == ":" {
				continue
			}
			return ev
		case <-deadline:
			t.Fatalf("no event within %v", timeout)
		}
	}
}

// quiet asserts that no event (other than comments) comes within d.
func (c *sseClient) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case ev, ok := <-c.events:
			if !ok {
				return
			}
			if ev.name != ":" {
				t.Fatalf("unexpected event %s %s", ev.name, ev.data)
			}
		case <-deadline:
			return
		}
	}
}

// stopRun cancels a Run started in the background and waits for it to
// return, reporting an error or a hang.
func stopRun(t testing.TB, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("run did not return after cancel")
	}
}
