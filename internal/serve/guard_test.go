package serve

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func tcpAddr(t *testing.T, s string) net.Addr {
	t.Helper()
	a, err := net.ResolveTCPAddr("tcp", s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Only Host headers naming the server are answered: a DNS-rebinding page
// (evil.example resolving to 127.0.0.1) gets 421 and no draft.
func TestHostHeaderCheck(t *testing.T) {
	cases := []struct {
		listen, baseURL string
		host            string
		ok              bool
	}{
		{"127.0.0.1:8080", "", "myhost.lan:8080", true}, // named with --addr myhost.lan:8080
		{"127.0.0.1:8080", "", "myhost.lan:9090", false},
		{"127.0.0.1:8080", "", "127.0.0.1:8080", true},
		{"127.0.0.1:8080", "", "localhost:8080", true},
		{"127.0.0.1:8080", "", "LocalHost:8080", true},
		{"127.0.0.1:8080", "", "[::1]:8080", true},
		{"127.0.0.1:8080", "", "evil.example", false},
		{"127.0.0.1:8080", "", "evil.example:8080", false},
		{"127.0.0.1:8080", "", "localhost.evil.example:8080", false},
		{"127.0.0.1:8080", "", "127.0.0.1.nip.io:8080", false},
		{"127.0.0.1:8080", "", "localhost:9090", false},
		{"127.0.0.1:8080", "", "127.0.0.1", false}, // port 80
		{"127.0.0.1:8080", "", "10.1.2.3:8080", false},
		{"127.0.0.1:8080", "", "", false},
		{"127.0.0.1:8080", "", "[::1", false},
		{"127.0.0.1:80", "", "localhost", true},
		{"127.0.0.1:8080", "https://preview.example.org/calden/", "preview.example.org", true},
		{"127.0.0.1:8080", "https://preview.example.org/calden/", "preview.example.org:443", true},
		{"127.0.0.1:8080", "https://preview.example.org/calden/", "other.example.org", false},
		{"0.0.0.0:8080", "", "192.168.1.5:8080", true},
		{"0.0.0.0:8080", "", "[fe80::1]:8080", true},
		{"0.0.0.0:8080", "", "192.168.1.5:9999", false},
		{"0.0.0.0:8080", "", "evil.example:8080", false},
	}
	site := newSite("/", testFiles)
	for _, tc := range cases {
		srv := NewServer()
		srv.Swap(site, nil)
		srv.Listen(tcpAddr(t, tc.listen), tc.baseURL, "myhost.lan")
		r := httptest.NewRequest("GET", "/articles/x/", nil)
		r.Host = tc.host
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if got := w.Code == http.StatusOK; got != tc.ok {
			t.Errorf("listen %s base %q, Host %q: status %d, want ok=%v", tc.listen, tc.baseURL, tc.host, w.Code, tc.ok)
		}
		if !tc.ok && (w.Code != http.StatusMisdirectedRequest || strings.Contains(w.Body.String(), "Article X")) {
			t.Errorf("Host %q: status %d, body %q: want 421 and no page", tc.host, w.Code, w.Body.String())
		}
		// A refusal carries the default policy (a page its own, or none
		// like this one: TestCSPHeader).
		if !tc.ok && w.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("Host %q: status %d without a Content-Security-Policy", tc.host, w.Code)
		}
	}
}

// Through a real connection, as curl -H 'Host: evil.example' does it.
func TestHostHeaderCheckOverTheNetwork(t *testing.T) {
	srv, ts := startServer(t, newSite("/", testFiles))
	srv.Listen(ts.Listener.Addr(), "")
	for host, want := range map[string]int{"": 200, "evil.example": 421, "localhost": 421} {
		req, _ := http.NewRequest("GET", ts.URL+"/articles/x/", nil)
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %q: %d, want %d", host, resp.StatusCode, want)
		}
		if want != 200 && strings.Contains(string(body), "Article X") {
			t.Errorf("Host %q: the page was served", host)
		}
	}
}

// The event stream refuses other sites' pages (an Origin of theirs).
func TestEventStreamOrigin(t *testing.T) {
	srv, ts := startServer(t, newSite("/", testFiles))
	srv.Listen(ts.Listener.Addr(), "")
	port := ts.Listener.Addr().(*net.TCPAddr).Port
	for origin, want := range map[string]int{
		"":                                       200,
		ts.URL:                                   200,
		"http://localhost:" + strconv.Itoa(port): 200,
		"http://evil.example":                    403,
		"http://evil.example:" + strconv.Itoa(port): 403,
		"null":               403,
		"http://127.0.0.1:1": 403,
		"file://":            403,
	} {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/__dossier/events", nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != want {
			t.Errorf("Origin %q: %d, want %d", origin, resp.StatusCode, want)
		}
		cancel()
		resp.Body.Close()
	}
}

// Requests with a body are refused at once, without reading it, and the
// connection is closed: a slow body cannot hold it open.
func TestRequestBodyRefused(t *testing.T) {
	_, ts := startServer(t, newSite("/", testFiles))
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	// Headers announce a big body; only a few bytes of it ever come.
	io.WriteString(conn, "POST /articles/x/ HTTP/1.1\r\nHost: "+ts.Listener.Addr().String()+"\r\nContent-Length: 100000000\r\n\r\nabc")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", resp.StatusCode)
	}
	io.Copy(io.Discard, resp.Body)
	if _, err := conn.Read(make([]byte, 1)); !errors.Is(err, io.EOF) && !isReset(err) {
		t.Errorf("connection still open after a refused body: %v", err)
	}
	// A GET with a body too.
	req, _ := http.NewRequest("GET", ts.URL+"/", strings.NewReader("x"))
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("GET with a body: %d, want 413", r2.StatusCode)
	}
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && strings.Contains(op.Err.Error(), "reset")
}

// startLimited serves srv with the preview's http.Server on a loopback port.
func startLimited(t *testing.T, srv *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listen(ln.Addr(), "")
	hs, _ := newHTTPServer(srv)
	go hs.Serve(ln)
	t.Cleanup(func() { srv.Close(); hs.Close() })
	return ln.Addr().String()
}

// A client that never finishes its headers, or leaves a kept-alive
// connection idle, is disconnected after the server's timeouts; an event
// stream outlives the request timeout.
func TestServerTimeouts(t *testing.T) {
	srv := NewServer()
	srv.Swap(newSite("/", testFiles), nil)
	srv.readHeaderTimeout, srv.readTimeout, srv.idleTimeout = 200*time.Millisecond, 300*time.Millisecond, 200*time.Millisecond
	srv.heartbeat = 50 * time.Millisecond
	addr := startLimited(t, srv)
	hs, _ := newHTTPServer(srv)
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.IdleTimeout <= 0 || hs.MaxHeaderBytes <= 0 {
		t.Fatalf("limits not set: %+v", hs)
	}
	closedWithin := func(name string, conn net.Conn) {
		t.Helper()
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		start := time.Now()
		_, err := io.Copy(io.Discard, conn)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%s: connection still open after %v", name, time.Since(start))
		}
	}

	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	io.WriteString(slow, "GET / HTTP/1.1\r\nHost: "+addr+"\r\n") // and never the blank line
	closedWithin("unfinished headers", slow)

	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	io.WriteString(idle, "GET / HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
	br := bufio.NewReader(idle)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	closedWithin("idle keep-alive", idle)

	// The event stream: pings keep coming well past the read timeout.
	ev, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Close()
	io.WriteString(ev, "GET /__dossier/events HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
	ev.SetReadDeadline(time.Now().Add(10 * time.Second))
	er := bufio.NewReader(ev)
	start := time.Now()
	pings := 0
	for time.Since(start) < 3*srv.readTimeout {
		line, err := er.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream closed after %v (%d pings): %v", time.Since(start), pings, err)
		}
		if strings.HasPrefix(line, ": ping") {
			pings++
		}
	}
}

// At most maxStreams event streams are open at once; more get 503.
func TestEventStreamCap(t *testing.T) {
	srv := NewServer()
	srv.maxStreams = 3
	srv.Swap(newSite("/", testFiles), nil)
	addr := startLimited(t, srv)
	var open []*http.Response
	defer func() {
		for _, r := range open {
			r.Body.Close()
		}
	}()
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, DisableKeepAlives: true}}
	for i := 0; i < srv.maxStreams+2; i++ {
		resp, err := client.Get("http://" + addr + "/__dossier/events")
		if err != nil {
			t.Fatal(err)
		}
		want := http.StatusOK
		if i >= srv.maxStreams {
			want = http.StatusServiceUnavailable
		}
		if resp.StatusCode != want {
			t.Errorf("stream %d: status %d, want %d", i+1, resp.StatusCode, want)
		}
		if resp.StatusCode == http.StatusOK {
			open = append(open, resp)
		} else {
			resp.Body.Close()
		}
	}
	// Closing one frees its place.
	open[0].Body.Close()
	open = open[1:]
	for deadline := time.Now().Add(5 * time.Second); srv.hub.count() >= srv.maxStreams; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a closed stream was not released")
		}
	}
	resp, err := client.Get("http://" + addr + "/__dossier/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after one closed: %d, want 200", resp.StatusCode)
	}
}

// Pages carry their own Content-Security-Policy as a header, and a page
// that declares none gets none, as on the static host (the default would
// block in the preview what the site allows); other responses the default.
func TestCSPHeader(t *testing.T) {
	policy := "default-src 'self'; img-src 'self' https://img.example"
	files := map[string]string{
		"index.html":            `<!doctype html><html><head><meta charset=utf-8><meta http-equiv=Content-Security-Policy content="` + policy + `"><title>t</title></head><body><meta http-equiv="Content-Security-Policy" content="late"></body></html>`,
		"articles/x/index.html": page("no policy"),
		"static/a.css":          "a{}",
	}
	_, ts := startServer(t, newSite("/", files))
	for path, want := range map[string]string{"/": policy, "/articles/x/": "", "/static/a.css": DefaultCSP, "/nope": DefaultCSP} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Security-Policy"); got != want {
			t.Errorf("%s: policy %q, want %q", path, got, want)
		}
	}
}

// "OPTIONS *" goes through the server's checks like every request: net/http
// answered it itself, 200 to any Host, before the handler could refuse a
// DNS-rebinding page's name, and without the policy header.
func TestOptionsAsteriskChecked(t *testing.T) {
	addr := startLimited(t, NewServer())
	for _, tc := range []struct {
		host string
		want int
	}{
		{"evil.example", http.StatusMisdirectedRequest},
		{addr, http.StatusMethodNotAllowed},
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(conn, "OPTIONS * HTTP/1.1\r\nHost: "+tc.host+"\r\nConnection: close\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		conn.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("OPTIONS * with Host %s: %d, want %d", tc.host, resp.StatusCode, tc.want)
		}
		if resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("OPTIONS * with Host %s: no Content-Security-Policy", tc.host)
		}
	}
}
