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
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/build"
	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/output"
	"github.com/dossier-news/dossier/internal/scratch"
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
	root string
	base string

	mu      sync.Mutex
	calls   int
	changed [][]string
	hold    chan struct{} // when set, a build waits for it to close
	started chan struct{} // a held build has started
}

func newFakeBuilder(root string) *fakeBuilder {
	return &fakeBuilder{root: root, base: "/", started: make(chan struct{}, 100)}
}

func (f *fakeBuilder) Build(ctx context.Context, changed []string) (*build.Result, error) {
	start := time.Now()
	f.mu.Lock()
	hold := f.hold
	f.mu.Unlock()
	if hold != nil {
		f.started <- struct{}{}
		select {
		case <-hold:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.mu.Lock()
	f.calls++
	f.changed = append(f.changed, changed)
	f.mu.Unlock()

	files := map[string]string{"404.html": page("<h1>Not here</h1>")}
	var probs diag.List
	home := "<ul>"
	content := filepath.Join(f.root, "content")
	filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || scratch.File(d.Name()) {
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

// holdBuilds makes the builds that start from now on wait until the
// returned release is called (at most once).
func (f *fakeBuilder) holdBuilds() (release func()) {
	hold := make(chan struct{})
	f.mu.Lock()
	f.hold = hold
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		f.hold = nil
		f.mu.Unlock()
		close(hold)
	}
}

// waitStarted waits until a held build has started.
func (f *fakeBuilder) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case <-f.started:
	case <-time.After(waitTimeout):
		t.Fatalf("no build started within %v", waitTimeout)
	}
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

func (f *fakeBuilder) changedSets() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.changed)
}

// lockedBuffer is a log sink safe to read while it is written; it tells
// waiters of each write.
type lockedBuffer struct {
	mu   sync.Mutex
	b    bytes.Buffer
	wake chan struct{} // closed and replaced at each write
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.wake != nil {
		close(l.wake)
		l.wake = nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitLog waits until the log contains s.
func waitLog(t testing.TB, l *lockedBuffer, s string) {
	t.Helper()
	waitLogWithin(t, l, s, waitTimeout)
}

// waitLogWithin is waitLog with another timeout.
func waitLogWithin(t testing.TB, l *lockedBuffer, s string, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		l.mu.Lock()
		ok := strings.Contains(l.b.String(), s)
		if l.wake == nil {
			l.wake = make(chan struct{})
		}
		wake := l.wake
		l.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-wake:
		case <-deadline:
			t.Fatalf("log lacks %q after %v:\n%s", s, timeout, l.String())
		}
	}
}

// project is a running preview of a temp project with a fake builder.
type project struct {
	root string
	fb   *fakeBuilder
	tr   *tracker
	srv  *Server
	url  string // http://127.0.0.1:port
	log  *lockedBuffer

	checked int // builds checked by the last noBuild or rebuilt
	mark    int // the tracker's events up to that check
}

// startProject writes files (relative path -> content) into a temp project
// and runs the preview on a free loopback port until the test ends.
func startProject(t *testing.T, files map[string]string) *project {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		writeFile(t, filepath.Join(root, p), c)
	}
	p := &project{root: root, fb: newFakeBuilder(root), tr: newTracker(), srv: NewServer(), log: &lockedBuffer{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.url = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, p.fb, Options{Root: root, Log: p.log, hooks: p.tr.hooks()}, ln, p.srv) }()
	t.Cleanup(func() { stopRun(t, cancel, done) })
	waitLog(t, p.log, "serving http://") // after the first build
	p.checked = 1
	return p
}

func (p *project) path(rel string) string { return filepath.Join(p.root, filepath.FromSlash(rel)) }

func (p *project) write(t *testing.T, rel, content string) { writeFile(t, p.path(rel), content) }

// save writes a file as editors' atomic saves do: into a temp file (a dot
// file, which the watcher ignores) renamed into place, so that the watcher
// sees one event.
func (p *project) save(t *testing.T, rel, content string) {
	t.Helper()
	dst := p.path(rel)
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp")
	writeFile(t, tmp, content)
	if err := os.Rename(tmp, dst); err != nil {
		t.Fatal(err)
	}
}

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
