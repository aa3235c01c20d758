package serve

import (
	"bytes"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Limits of the preview's HTTP server. A browser on this machine needs none
// of them; they stop a slow or hostile client from holding connections.
const (
	readHeaderTimeout = 10 * time.Second // a request's headers
	readTimeout       = 30 * time.Second // a whole request (event streams lift it)
	idleTimeout       = 2 * time.Minute  // a kept-alive connection between requests
	maxHeaderBytes    = 64 << 10
	// maxStreams bounds the open event streams: one per open tab is plenty.
	maxStreams = 64
)

// DefaultCSP is the Content-Security-Policy of the default templates
// (templates/base.html carries it in a <meta> tag). The preview sends a page's
// own policy as a header; this one covers what has none (the placeholder
// before the first build, plain-text errors).
const DefaultCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'"

// hostPolicy says which Host headers the server answers. A DNS-rebinding
// page (evil.example made to resolve to 127.0.0.1) reaches the preview with
// its own name in Host; only names that are this server's are accepted.
type hostPolicy struct {
	port    string          // the listening port; "" accepts the names on any port
	names   map[string]bool // host names and IP literals accepted with port, lower case
	anyPort map[string]bool // host names accepted on any port (the base URL's)
	anyIP   bool            // listening on every interface: any IP literal with the port
}

// defaultHosts accepts loopback names on any port: for a Server whose
// listener is not known (tests, embedding).
func defaultHosts() *hostPolicy {
	return &hostPolicy{names: map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}}
}

// newHostPolicy accepts the listen address, the loopback names and names
// with its port, the base URL's host, and, when listening on every
// interface, any IP literal with the port and this machine's host name.
func newHostPolicy(addr net.Addr, baseURL string, names ...string) *hostPolicy {
	p := &hostPolicy{names: map[string]bool{}, anyPort: map[string]bool{}}
	host := ""
	if ta, ok := addr.(*net.TCPAddr); ok {
		p.port = strconv.Itoa(ta.Port)
		host = ta.IP.String()
		if ta.IP.IsUnspecified() {
			p.anyIP = true
			if h, err := os.Hostname(); err == nil && h != "" {
				p.names[strings.ToLower(h)] = true
				p.names[strings.ToLower(h)+".local"] = true
			}
		}
	} else if h, port, err := net.SplitHostPort(addr.String()); err == nil {
		p.port, host = port, h
	}
	for _, n := range append([]string{host, "localhost", "127.0.0.1", "::1"}, names...) {
		if n != "" {
			p.names[strings.ToLower(n)] = true
		}
	}
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		// The base URL's host is accepted on any port: a proxy in front of
		// the preview may publish it on another one.
		p.anyPort[strings.ToLower(u.Hostname())] = true
	}
	return p
}

// allows reports whether a Host header value names this server.
func (p *hostPolicy) allows(hostport string) bool {
	if hostport == "" || len(hostport) > 300 {
		return false
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		// No port: http's default.
		host, port = strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]"), "80"
		if strings.ContainsAny(host, "[]") {
			return false
		}
	}
	host = strings.ToLower(host)
	if p.anyPort[host] {
		return true
	}
	if p.port != "" && port != p.port {
		return false
	}
	if p.names[host] {
		return true
	}
	return p.anyIP && net.ParseIP(host) != nil
}

// allowsOrigin checks an Origin header: absent (same-origin requests often
// carry none) or naming an origin whose host the server answers for.
func (p *hostPolicy) allowsOrigin(origin string) bool {
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Path != "" || u.Host == "" {
		return false
	}
	h := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		h = net.JoinHostPort(u.Hostname(), port)
	}
	return p.allows(h)
}

// newHTTPServer is the preview's http.Server with the server's limits.
func newHTTPServer(s *Server) (*http.Server, *unsent) {
	u := &unsent{conns: map[net.Conn]bool{}}
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.readHeaderTimeout,
		ReadTimeout:       s.readTimeout,
		IdleTimeout:       s.idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ConnState:         u.track,
		// "OPTIONS *" goes to the handler too, which checks its Host (and
		// refuses the method): net/http would answer it itself, to any Host.
		DisableGeneralOptionsHandler: true,
	}, u
}

// unsent tracks the connections that have sent no request yet (a
// browser's preconnect, a half-sent request): http.Server.Shutdown waits 5
// seconds for each before it counts it idle, so a stopped preview would
// take that long to exit. Shutdown closes them first (close).
type unsent struct {
	mu    sync.Mutex
	conns map[net.Conn]bool
}

func (u *unsent) track(c net.Conn, st http.ConnState) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if st == http.StateNew {
		u.conns[c] = true
	} else {
		delete(u.conns, c)
	}
}

// close closes the connections that still have sent no request.
func (u *unsent) close() {
	u.mu.Lock()
	defer u.mu.Unlock()
	for c := range u.conns {
		c.Close()
		delete(u.conns, c)
	}
}

// pageCSP returns the Content-Security-Policy a page declares in a <meta
// http-equiv> tag of its head, or "" when it has none. Only the head is read.
func pageCSP(page []byte) string {
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Body:
				return ""
			case atom.Meta:
				var equiv, content string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch string(k) {
					case "http-equiv":
						equiv = string(v)
					case "content":
						content = string(v)
					}
				}
				if strings.EqualFold(equiv, "content-security-policy") {
					return content
				}
			}
		}
	}
}
