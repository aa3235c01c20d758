package serve

import (
	"net"
	"net/url"
	"strings"
	"testing"
)

// FuzzHostPolicy checks the Host and Origin checks on any header value: a
// value is accepted only if it names the listen address, a loopback name
// with its port, or the base URL's host.
func FuzzHostPolicy(f *testing.F) {
	for _, s := range []string{"127.0.0.1:8080", "localhost:8080", "[::1]:8080", "evil.example", "LOCALHOST:8080", "localhost.:8080",
		"127.0.0.1.nip.io:8080", "[::ffff:127.0.0.1]:8080", "preview.example.org", "preview.example.org:1", "localhost:08080", "0x7f.1:8080", "[::1", ":8080", "localhost:"} {
		f.Add(s)
	}
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	p := newHostPolicy(addr, "https://preview.example.org/calden/")
	f.Fuzz(func(t *testing.T, host string) {
		if p.allows(host) {
			h, port, err := net.SplitHostPort(host)
			if err != nil {
				h, port = strings.Trim(host, "[]"), "80"
			}
			h = strings.ToLower(h)
			loopback := (h == "localhost" || h == "127.0.0.1" || h == "::1") && port == "8080"
			if !loopback && h != "preview.example.org" {
				t.Fatalf("Host %q accepted", host)
			}
		}
		origin := "http://" + host
		if p.allowsOrigin(origin) {
			u, err := url.Parse(origin)
			if err != nil || !p.allows(hostPort(u)) {
				t.Fatalf("Origin %q accepted", origin)
			}
		}
	})
}

func hostPort(u *url.URL) string {
	if u.Port() == "" {
		return net.JoinHostPort(u.Hostname(), "80")
	}
	return u.Host
}
