package serve

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/output"
)

// liveJS is the script injected into every HTML response in serve mode.
//
//go:embed live.js
var liveJS []byte

// liveETag validates liveJS.
var liveETag = output.NewFile("live.js", liveJS).ETag

// The reserved folder for the server's own endpoints, under the site's base
// path (and, for pages built under another one, any path). A site file with
// this name would be shadowed.
const (
	reserved   = "__dossier/"
	eventsPath = reserved + "events"
	scriptPath = reserved + "live.js"
)

// Server serves the last good in-memory Site, with the live-reload script
// injected into HTML responses, and the server-sent events endpoint that tells
// the pages to reload, swap their stylesheets or show build errors. It never
// reads the file system. Create it with NewServer; feed it with Swap.
type Server struct {
	state atomic.Pointer[state]
	swap  sync.Mutex // serialises Swap, so events leave in order
	hub   *hub

	genPrefix string
	genSeq    int

	heartbeat    time.Duration // comment line keeping idle streams open
	writeTimeout time.Duration // per event write: a stuck client is dropped

	hosts      atomic.Pointer[hostPolicy] // the Host and Origin values answered
	maxStreams int                        // open event streams at most

	// Limits of the http.Server Run makes (fields, so tests can shorten them).
	readHeaderTimeout, readTimeout, idleTimeout time.Duration
}

// state is what the server shows; replaced whole on every Swap.
type state struct {
	site     *served   // last good site; nil until the first successful build
	problems diag.List // the current build's errors; nil when it succeeded
	errJSON  []byte    // problems as the "error" event's data
}

// served is a Site with what the server derives from it.
type served struct {
	site  *output.Site
	gen   string   // changes whenever a page's bytes may have changed (not on SwapQuiet)
	etags sync.Map // path -> ETag, for files built without one
	csps  sync.Map // path -> the Content-Security-Policy of an HTML page
}

// NewServer returns a Server with no site yet: until the first Swap every
// page says the site is being built, and reloads itself when it is.
func NewServer() *Server {
	s := &Server{
		hub:          newHub(),
		genPrefix:    strconv.FormatInt(time.Now().UnixNano(), 36),
		heartbeat:    20 * time.Second,
		writeTimeout: 10 * time.Second,
		maxStreams:   maxStreams,

		readHeaderTimeout: readHeaderTimeout,
		readTimeout:       readTimeout,
		idleTimeout:       idleTimeout,
	}
	s.state.Store(&state{})
	s.hosts.Store(defaultHosts())
	return s
}

// Listen restricts the Host (and, on the event stream, Origin) headers the
// server answers to those naming it: the listen address addr, the loopback
// names with its port, the host names given (such as --addr's, when it names
// the machine), and baseURL's host (any port; "" for none). Others get 421
// Misdirected Request, so that a DNS-rebinding page cannot read the drafts.
// Until it is called, loopback names are answered on any port.
func (s *Server) Listen(addr net.Addr, baseURL string, names ...string) {
	s.hosts.Store(newHostPolicy(addr, baseURL, names...))
}

// Site returns the site being served (the last one built without error), or nil.
func (s *Server) Site() *output.Site {
	if sv := s.state.Load().site; sv != nil {
		return sv.site
	}
	return nil
}

// Swap publishes a build's outcome. With err == nil, site replaces the served
// site atomically and the pages are told to reload (or, when only
// stylesheets changed, to swap them; nothing when no byte changed). With
// err != nil the last good site stays (site is ignored) and the pages show
// err's problems (see diag.From) in an overlay until a later successful Swap.
func (s *Server) Swap(site *output.Site, err error) {
	s.swap.Lock()
	defer s.swap.Unlock()
	old := s.state.Load()

	if err != nil {
		probs := diag.From(err, "").Errors()
		if len(probs) == 0 {
			probs = diag.List{{Msg: err.Error()}}
		}
		probs.Sort()
		ns := &state{site: old.site, problems: probs, errJSON: problemsJSON(probs)}
		s.state.Store(ns)
		s.hub.broadcast(event{name: "error", data: ns.errJSON})
		return
	}
	if site == nil {
		return
	}
	s.publish(old, site, true)
}

// SwapQuiet serves site without telling the pages: for a site that differs
// from the one served only in files no page shows (the search index brought
// up to date after a rebuild), so that the pages do not reload twice.
func (s *Server) SwapQuiet(site *output.Site) {
	s.swap.Lock()
	defer s.swap.Unlock()
	old := s.state.Load()
	if site == nil || old.problems != nil {
		return // a failed build since: its problems stay shown
	}
	s.publish(old, site, false)
}

// publish serves site; the caller holds s.swap.
func (s *Server) publish(old *state, site *output.Site, notify bool) {
	if site.BasePath == "" {
		cp := *site
		cp.BasePath = "/"
		site = &cp
	}

	// Publish first: comparing the sites (a few ms for 10,000 pages) only
	// delays the notification, not the serving.
	// A quiet swap changes no page: the pages keep their generation, or
	// one loaded just before it would be told to reload when its event
	// stream connects (a second reload for one save).
	var gen string
	if !notify && old.site != nil {
		gen = old.site.gen
	} else {
		s.genSeq++
		gen = s.genPrefix + "." + strconv.Itoa(s.genSeq)
	}
	sv := &served{site: site, gen: gen}
	s.state.Store(&state{site: sv})
	if !notify {
		return
	}

	var oldSite *output.Site
	if old.site != nil {
		oldSite = old.site.site
	}
	kind, cssMap := diffSites(oldSite, site)
	wasBroken := old.problems != nil
	switch kind {
	case changeNone:
		if wasBroken {
			s.hub.broadcast(event{name: "ok", data: []byte("{}")})
		}
	case changeCSS:
		data, _ := json.Marshal(struct {
			Gen string            `json:"gen"`
			Map map[string]string `json:"map"`
		}{sv.gen, cssMap})
		evs := []event{{name: "css", data: data}}
		if wasBroken {
			evs = append(evs, event{name: "ok", data: []byte("{}")})
		}
		s.hub.broadcast(evs...)
	default:
		s.hub.broadcast(reloadEvent(sv.gen))
	}
}

func reloadEvent(gen string) event {
	data, _ := json.Marshal(struct {
		Gen string `json:"gen"`
	}{gen})
	return event{name: "reload", data: data}
}

type problemJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	Text    string `json:"text"` // "file:line: message"
}

func problemText(p diag.Problem) string {
	if p.File == "" {
		return diag.Printable(p.Msg)
	}
	return p.Error()
}

func problemsJSON(l diag.List) []byte {
	out := make([]problemJSON, len(l))
	for i, p := range l {
		out[i] = problemJSON{File: p.File, Line: p.Line, Message: p.Msg, Text: problemText(p)}
	}
	data, _ := json.Marshal(struct {
		Problems []problemJSON `json:"problems"`
	}{out})
	return data
}

// Close ends every event stream (so that http.Server.Shutdown need not wait
// for them) and refuses new ones. Pages are still served.
func (s *Server) Close() { s.hub.close() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	// Every answer carries the policy, refusals too (a page's own replaces it).
	h.Set("Content-Security-Policy", DefaultCSP)
	if !s.hosts.Load().allows(r.Host) {
		http.Error(w, "421 misdirected request: this preview answers only for its own address (such as http://localhost:PORT/), which protects the drafts from DNS-rebinding pages", http.StatusMisdirectedRequest)
		return
	}
	// Nothing here takes a request body: refuse one rather than wait for it.
	if r.ContentLength != 0 {
		h.Set("Connection", "close")
		http.Error(w, "413 request body not accepted", http.StatusRequestEntityTooLarge)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}

	// The path is looked up in a map, never on disk; still, refuse anything
	// that could mean something else to a file system or a proxy.
	p := r.URL.Path
	if p == "" || p[0] != '/' || strings.ContainsAny(p, "\x00\\") || hasDotDot(p) {
		http.Error(w, "400 bad request", http.StatusBadRequest)
		return
	}
	if c := cleanPath(p); c != p {
		redirect(w, r, c, http.StatusMovedPermanently)
		return
	}

	// The server's own endpoints answer under any prefix, not only the base
	// path: pages served before the first build, or before an edit of the
	// base URL, must still hear that they are out of date.
	switch {
	case strings.HasSuffix(p, "/"+eventsPath):
		s.serveEvents(w, r)
		return
	case strings.HasSuffix(p, "/"+scriptPath):
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("ETag", liveETag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(liveJS))
		return
	}

	st := s.state.Load()
	base := "/"
	if st.site != nil {
		// The base path as the pages' links write it ("/dossi%C3%A9/"),
		// decoded as the request's path is.
		base = st.site.site.BasePath
		if d, err := url.PathUnescape(base); err == nil {
			base = d
		}
	}
	if !strings.HasPrefix(p, base) {
		if p == "/" || p+"/" == base {
			redirect(w, r, base, http.StatusFound)
			return
		}
		s.notFound(w, r, st)
		return
	}
	rel := p[len(base):]

	if st.site == nil {
		s.placeholder(w, r, st)
		return
	}
	sv := st.site
	name := rel
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	f := sv.site.Files[name]
	if f == nil {
		if sv.site.Files[name+"/index.html"] != nil {
			redirect(w, r, p+"/", http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r, st)
		return
	}
	s.serveFile(w, r, sv, f, http.StatusOK)
}

// serveFile writes f (with the live script when it is HTML) with its content
// type and ETag; status 200 honours If-None-Match and Range.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, sv *served, f *output.File, status int) {
	h := w.Header()
	ct := output.ContentType(f.Path)
	h.Set("Content-Type", ct)
	data := f.Data
	etag := s.etag(sv, f)
	if strings.HasPrefix(ct, "text/html") {
		// The page's own policy (its <meta>), the same one a browser
		// enforces on the static host, so the preview shows what breaks
		// under it.
		// A page without one gets none, as on the static host: the
		// preview's default would block there what the site allows.
		if csp := s.csp(sv, f); csp != "" {
			h.Set("Content-Security-Policy", csp)
		} else {
			h.Del("Content-Security-Policy")
		}
		data = inject(data, scriptTag(sv.site.BasePath, sv.gen))
		// The injected tag names the generation: a page from an older build
		// must not be revalidated as current.
		etag = strings.TrimSuffix(etag, `"`) + "-" + sv.gen + `"`
	}
	if status != http.StatusOK {
		h.Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(data)
		}
		return
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// csp returns the policy page f declares (cached per site), "" for none.
func (s *Server) csp(sv *served, f *output.File) string {
	if v, ok := sv.csps.Load(f.Path); ok {
		return v.(string)
	}
	p := pageCSP(f.Data)
	sv.csps.Store(f.Path, p)
	return p
}

// etag returns f's ETag, computing (once per site) a missing one.
func (s *Server) etag(sv *served, f *output.File) string {
	if f.ETag != "" {
		return f.ETag
	}
	if v, ok := sv.etags.Load(f.Path); ok {
		return v.(string)
	}
	e := output.NewFile(f.Path, f.Data).ETag
	sv.etags.Store(f.Path, e)
	return e
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, st *state) {
	if st.site != nil {
		if f := st.site.site.Files["404.html"]; f != nil {
			s.serveFile(w, r, st.site, f, http.StatusNotFound)
			return
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	body := "404 page not found\n"
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		io.WriteString(w, body)
	}
}

// placeholder answers every page request before the first successful build:
// "building" while the first build runs, its problems when it failed. The
// live script reloads the page as soon as a build succeeds.
func (s *Server) placeholder(w http.ResponseWriter, r *http.Request, st *state) {
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html lang=en><head><meta charset=utf-8>" +
		"<meta name=viewport content=\"width=device-width,initial-scale=1\">")
	status := http.StatusServiceUnavailable
	if st.problems == nil {
		b.WriteString("<title>Building…</title></head><body><main><h1>Building the site…</h1>" +
			"<p>This page reloads by itself when the build is done.</p></main>")
		w.Header().Set("Retry-After", "1")
	} else {
		status = http.StatusInternalServerError
		b.WriteString("<title>Build failed</title></head><body><main><h1>The site could not be built</h1>" +
			"<p>Fix these problems; this page reloads by itself.</p><ul>")
		for _, p := range st.problems {
			b.WriteString("<li><code>" + html.EscapeString(problemText(p)) + "</code></li>")
		}
		b.WriteString("</ul></main>")
	}
	b.WriteString(scriptTag("/", "0") + "</body></html>\n")
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		io.WriteString(w, b.String())
	}
}

// serveEvents is the text/event-stream endpoint. A client passing ?gen= the
// generation its page came from is told to reload at once when the site
// changed since; a client connecting while the build is broken gets the
// error at once.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	// A page of another site may open an event stream here (EventSource
	// needs no permission): only the preview's own pages may.
	if !s.hosts.Load().allowsOrigin(r.Header.Get("Origin")) {
		http.Error(w, "403 forbidden: the event stream is for the preview's own pages", http.StatusForbidden)
		return
	}
	c, err := s.hub.subscribe(s.maxStreams)
	if err != nil {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "503 "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(c)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	rc := http.NewResponseController(w)
	// The stream outlives the server's ReadTimeout, meant for requests.
	if err := rc.SetReadDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return
	}

	// Replay the state, read after subscribing so that no change is missed
	// (one may arrive twice, which is harmless).
	var buf bytes.Buffer
	buf.WriteString("retry: 1000\n\n")
	st := s.state.Load()
	if gen := r.URL.Query().Get("gen"); gen != "" {
		cur := "0"
		if st.site != nil {
			cur = st.site.gen
		}
		if gen != cur {
			writeEvent(&buf, reloadEvent(cur))
		}
	}
	if st.problems != nil {
		writeEvent(&buf, event{name: "error", data: st.errJSON})
	}
	if s.send(w, rc, buf.Bytes()) != nil {
		return
	}

	tick := time.NewTicker(s.heartbeat)
	defer tick.Stop()
	for {
		buf.Reset()
		select {
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			return
		case <-tick.C:
			buf.WriteString(": ping\n\n")
		case <-c.wake:
			for _, ev := range c.take() {
				writeEvent(&buf, ev)
			}
		}
		if buf.Len() > 0 && s.send(w, rc, buf.Bytes()) != nil {
			return
		}
	}
}

func (s *Server) send(w http.ResponseWriter, rc *http.ResponseController, b []byte) error {
	if err := rc.SetWriteDeadline(time.Now().Add(s.writeTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return err
	}
	return rc.Flush()
}

func writeEvent(b *bytes.Buffer, ev event) {
	fmt.Fprintf(b, "event: %s\ndata: %s\n\n", ev.name, ev.data)
}

// scriptTag is what inject adds to HTML pages.
func scriptTag(base, gen string) string {
	return `<script src="` + html.EscapeString(base+scriptPath) + `" data-gen="` + html.EscapeString(gen) + `" defer></script>`
}

// inject returns a copy of page with tag before the last </body>, or at the
// end when there is none (minified pages omit it). page is never modified.
func inject(page []byte, tag string) []byte {
	i := lastIndexFold(page, "</body")
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

// lastIndexFold is bytes.LastIndex ignoring ASCII case; sub must be lower case.
func lastIndexFold(b []byte, sub string) int {
	for i := len(b) - len(sub); i >= 0; i-- {
		if b[i] == sub[0] && bytes.EqualFold(b[i:i+len(sub)], []byte(sub)) {
			return i
		}
	}
	return -1
}

// hasDotDot reports whether p has a ".." segment.
func hasDotDot(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return true
		}
	}
	return false
}

// cleanPath is path.Clean keeping a trailing slash.
func cleanPath(p string) string {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}

// redirect sends to an absolute path (always starting with a single slash,
// so never to another host), keeping the query.
func redirect(w http.ResponseWriter, r *http.Request, to string, code int) {
	u := url.URL{Path: to, RawQuery: r.URL.RawQuery}
	w.Header().Set("Location", u.EscapedPath()+queryPart(u.RawQuery))
	w.WriteHeader(code)
}

func queryPart(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}
