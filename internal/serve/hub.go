package serve

import (
	"errors"
	"fmt"
	"sync"
)

// event is one server-sent event.
type event struct {
	name string // reload, css, error, ok
	data []byte // JSON, one line
}

// maxPending bounds a client's queue. Events are state changes, so a backlog
// can always be coalesced into "reload" plus the latest error/ok status.
const maxPending = 16

// hub fans events out to the connected event streams. Broadcasting never
// blocks: each client has its own coalescing queue and a wake-up channel, so a
// slow or stuck client only delays itself.
type hub struct {
	mu      sync.Mutex
	clients map[*client]struct{}
	closed  bool
	done    chan struct{} // closed by close
}

type client struct {
	mu      sync.Mutex
	pending []event
	wake    chan struct{} // capacity 1: "pending is not empty"
}

func newHub() *hub {
	return &hub{clients: make(map[*client]struct{}), done: make(chan struct{})}
}

// subscribe registers a client, unless the hub is closed or already has max
// clients.
func (h *hub) subscribe(max int) (*client, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errors.New("server shutting down")
	}
	if len(h.clients) >= max {
		return nil, fmt.Errorf("too many open event streams (%d): close some preview tabs", max)
	}
	c := &client{wake: make(chan struct{}, 1)}
	h.clients[c] = struct{}{}
	return c, nil
}

func (h *hub) unsubscribe(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

// count returns the number of connected clients.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

func (h *hub) broadcast(evs ...event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		for _, ev := range evs {
			c.push(ev)
		}
	}
}

// close ends every stream; later subscribers are refused.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// push queues ev, coalescing with what is already queued: a reload makes
// earlier reload/css events pointless, only the latest error/ok status
// matters, and a css swap waiting behind a reload is covered by the reload.
func (c *client) push(ev event) {
	c.mu.Lock()
	q := c.pending
	switch ev.name {
	case "reload":
		q = filterEvents(q, func(e event) bool { return e.name != "reload" && e.name != "css" })
		q = append(q, ev)
	case "css":
		if !hasEvent(q, "reload") {
			q = append(q, ev)
		}
	default: // error, ok
		q = filterEvents(q, func(e event) bool { return e.name != "error" && e.name != "ok" })
		q = append(q, ev)
	}
	if len(q) > maxPending { // only css swaps pile up: replace them by one reload
		var status []event
		for _, e := range q {
			if e.name == "error" || e.name == "ok" {
				status = append(status, e)
			}
		}
		q = append([]event{{name: "reload", data: []byte("{}")}}, status...)
	}
	c.pending = q
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// take returns and clears the queued events.
func (c *client) take() []event {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.pending
	c.pending = nil
	return q
}

func filterEvents(q []event, keep func(event) bool) []event {
	out := q[:0]
	for _, e := range q {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

func hasEvent(q []event, name string) bool {
	for _, e := range q {
		if e.name == name {
			return true
		}
	}
	return false
}
