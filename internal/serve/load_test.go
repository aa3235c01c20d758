package serve

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/diag"
)

// loadSite is version v of a 100-page site.
func loadSite(v int) map[string]string {
	files := map[string]string{
		"index.html":              page(fmt.Sprintf("<h1>Home v%d</h1>", v)),
		"404.html":                page("<h1>Lost</h1>"),
		"feed.xml":                fmt.Sprintf("<feed><title>v%d</title></feed>", v),
		"static/style.aaaaaa.css": "body{color:red}",
	}
	for i := 0; i < 100; i++ {
		files[fmt.Sprintf("articles/a%d/index.html", i)] = page(fmt.Sprintf("<p>article %d version %d</p>%s", i, v, strings.Repeat("text ", 400)))
	}
	return files
}

// 200 concurrent HTTP clients and 50 open event streams while 10 rebuilds
// swap sites (one of them failing): no request fails, every stream sees
// every state change it must, and ends on the last site.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	const (
		clients  = 200
		streams  = 50
		rebuilds = 10
		// requests answered between two rebuilds: enough for requests to
		// be in flight whenever the site changes
		perRebuild = clients / 2
	)
	srv := NewServer()
	srv.Swap(newSite("/dossier/", loadSite(0)), nil)
	ts := httptest.NewServer(srv) // 127.0.0.1 only
	defer ts.Close()
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: clients + streams, MaxConnsPerHost: 0, DisableCompression: true}
	defer tr.CloseIdleConnections()
	// The timeout catches a hang, not slowness: under -race on a loaded
	// machine, one of 200 concurrent requests can wait for seconds.
	client := &http.Client{Transport: tr, Timeout: 3 * waitTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// dialEvents returns once the response has begun, which the server
	// sends after subscribing the stream.
	sse := make([]*sseClient, streams)
	for i := range sse {
		sse[i] = dialEvents(t, client, ts.URL+"/dossier/__dossier/events")
	}
	if n := srv.hub.count(); n != streams {
		t.Fatalf("%d of %d streams connected", n, streams)
	}

	type probe struct {
		path   string
		status int
		want   string
	}
	probes := []probe{
		{"/dossier/", 200, "Home v"},
		{"/dossier/articles/a7/", 200, "article 7 version"},
		{"/dossier/articles/a7", 301, ""},
		{"/dossier/feed.xml", 200, "<feed>"},
		{"/dossier/static/style.aaaaaa.css", 200, "color:red"},
		{"/dossier/nope/", 404, "Lost"},
		{"/dossier/../etc/passwd", 400, ""},
		{"/dossier/__dossier/live.js", 200, "EventSource"},
	}
	var (
		stop     atomic.Bool
		requests atomic.Int64
		errs     atomic.Int64
		answered = make(chan struct{}, clients) // a request was answered
		errMu    sync.Mutex
		firstErr []string
		wg       sync.WaitGroup
	)
	fail := func(format string, args ...any) {
		errs.Add(1)
		errMu.Lock()
		if len(firstErr) < 5 {
			firstErr = append(firstErr, fmt.Sprintf(format, args...))
		}
		errMu.Unlock()
	}
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 1))
			for !stop.Load() {
				p := probes[rng.IntN(len(probes))]
				resp, err := client.Get(ts.URL + p.path)
				requests.Add(1)
				select {
				case answered <- struct{}{}:
				default: // the rebuild loop is not waiting
				}
				if err != nil {
					fail("%s: %v", p.path, err)
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != p.status || !strings.Contains(string(body), p.want) {
					fail("%s: %s %v, body %.80q", p.path, resp.Status, err, body)
				}
			}
		}(uint64(c))
	}

	// Between two rebuilds, and after the last, the clients make at least
	// perRebuild requests (the ones answered earlier do not count).
	between := func() {
		t.Helper()
		for len(answered) > 0 {
			<-answered
		}
		receiveN(t, answered, perRebuild)
	}
	// The rebuilds; the 5th fails.
	start := time.Now()
	var lastGen string
	for v := 1; v <= rebuilds; v++ {
		between()
		if v == 5 {
			srv.Swap(nil, diag.List{diag.Errorf("content/articles/a5.md", 2, "broken front matter")})
			continue
		}
		srv.Swap(newSite("/dossier/", loadSite(v)), nil)
		lastGen = srv.state.Load().site.gen
	}
	between()
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start)

	// Every stream: reloads ending on the last generation, the error, then
	// the end of the error (a reload clears the overlay).
	var reloads, minReloads int64 = 0, rebuilds
	for i, c := range sse {
		sawError, sawLast, n := false, false, int64(0)
		for !sawLast {
			ev := c.next(t, waitTimeout)
			switch ev.name {
			case "reload":
				n++
				var d struct{ Gen string }
				json.Unmarshal([]byte(ev.data), &d)
				sawLast = d.Gen == lastGen
			case "error":
				sawError = strings.Contains(ev.data, "content/articles/a5.md:2: broken front matter")
			}
		}
		if !sawError {
			t.Errorf("stream %d missed the error", i)
		}
		reloads += n
		minReloads = min(minReloads, n)
		c.cancel()
	}
	if n := errs.Load(); n > 0 {
		t.Errorf("%d of %d requests failed; first: %q", n, requests.Load(), firstErr)
	}
	t.Logf("%d requests from %d clients in %v (%.0f req/s) with %d streams and %d rebuilds; reload events per stream: min %d, mean %.1f of %d",
		requests.Load(), clients, elapsed.Round(time.Millisecond), float64(requests.Load())/elapsed.Seconds(),
		streams, rebuilds, minReloads, float64(reloads)/streams, rebuilds-1)
}

// receiveN receives n values from c, failing t when they do not come in time.
func receiveN(t *testing.T, c <-chan struct{}, n int) {
	t.Helper()
	deadline := time.After(waitTimeout)
	for i := 0; i < n; i++ {
		select {
		case <-c:
		case <-deadline:
			t.Fatalf("%d of %d requests answered within %v", i, n, waitTimeout)
		}
	}
}
