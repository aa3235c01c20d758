package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/dossier-news/dossier/internal/scratch"
)

// waitTimeout bounds every wait for something the tests expect to happen:
// long enough for a loaded machine and -race, reached only when it fails.
const waitTimeout = 10 * time.Second

// tracker follows a running preview through its test hooks (testHooks): the
// raw events its watcher handled, the state its watcher waits in, and the
// builds published. Waiting on these, a test knows when the watcher has seen
// every change made so far and everything it sent has been built, so it can
// assert that something did not happen without sleeping.
type tracker struct {
	mu      sync.Mutex
	wake    chan struct{} // closed and replaced at each note
	events  []seenEvent   // in the order the watcher handled them
	seen    map[string]bool
	state   watchNote // the watcher's state, when known
	stateOK bool      // state is newer than the last raw event
	built   int       // builds published
	syncs   int       // sentinels written
}

// seenEvent is a raw event as the watcher handled it.
type seenEvent struct {
	name string
	op   fsnotify.Op
	at   time.Time // when the watcher handled it
	sent int       // batches the watcher had sent by then
}

func (ev seenEvent) String() string { return ev.op.String() + " " + ev.name }

func newTracker() *tracker {
	return &tracker{wake: make(chan struct{}), seen: make(map[string]bool)}
}

func (tr *tracker) hooks() *testHooks {
	return &testHooks{watch: tr.note, built: tr.build}
}

// note is the watcher's hook.
func (tr *tracker) note(n watchNote) {
	now := time.Now() // before waiting for the lock: the time it was handled
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if n.event != nil {
		tr.events = append(tr.events, seenEvent{name: n.event.Name, op: n.event.Op, at: now, sent: n.sent})
		tr.seen[n.event.Name] = true
		tr.stateOK = false
	} else {
		tr.state, tr.stateOK = n, true
	}
	tr.signal()
}

func (tr *tracker) build() {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.built++
	tr.signal()
}

func (tr *tracker) signal() {
	close(tr.wake)
	tr.wake = make(chan struct{})
}

// wait waits until cond, called with tr locked, holds.
func (tr *tracker) wait(t testing.TB, what string, cond func() bool) {
	t.Helper()
	tr.waitWithin(t, waitTimeout, what, cond)
}

// waitWithin is wait with another timeout.
func (tr *tracker) waitWithin(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		tr.mu.Lock()
		ok, wake := cond(), tr.wake
		tr.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-wake:
		case <-deadline:
			tr.mu.Lock()
			defer tr.mu.Unlock()
			t.Fatalf("waited %v for %s; watcher state %+v (current: %v), %d builds published", timeout, what, tr.state, tr.stateOK, tr.built)
		}
	}
}

// sync returns once the watcher of the project folder root has handled
// every file event that happened before the call, and returns the number of
// events it handled. It writes a sentinel, a dot file that the watcher
// ignores, into root (always watched) and waits for the watcher to report
// its event: inotify delivers the events of one watcher in order, so every
// earlier event has been handled by then.
func (tr *tracker) sync(t testing.TB, root string) int {
	t.Helper()
	tr.mu.Lock()
	tr.syncs++
	name := filepath.Join(root, fmt.Sprintf(".sync-%d", tr.syncs))
	tr.mu.Unlock()
	if err := os.WriteFile(name, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tr.wait(t, "the watcher to see "+filepath.Base(name), func() bool { return tr.seen[name] })
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return len(tr.events)
}

// idle waits until every change made before the call has been handled and
// built: the watcher saw it, has nothing left to send, and each batch it sent
// was built (plus the first build). It returns the number of builds and of
// events handled.
func (tr *tracker) idle(t testing.TB, root string) (builds, events int) {
	t.Helper()
	events = tr.sync(t, root)
	tr.wait(t, "the watcher to be quiet and its batches built", func() bool {
		return tr.stateOK && tr.state.quiet && tr.built == 1+tr.state.sent
	})
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.built, events
}

// waitPolls waits until the watcher has polled n more times (see
// Watcher.poll): what it finds only by polling is found by then.
func (tr *tracker) waitPolls(t testing.TB, n int) {
	t.Helper()
	tr.mu.Lock()
	from := tr.state.polls
	tr.mu.Unlock()
	tr.wait(t, fmt.Sprintf("%d polls of the watcher", n), func() bool { return tr.state.polls >= from+n })
}

// held waits until the watcher has seen every change made before the call
// and holds a batch that nobody has taken yet.
func (tr *tracker) held(t testing.TB, root string) {
	t.Helper()
	tr.sync(t, root)
	tr.wait(t, "a batch to be due", func() bool { return tr.stateOK && tr.state.ready })
}

// explainSplits checks a change that the watcher sent as several batches
// (batches[i] is batch number first+i) rather than one: that is right only
// where the watcher saw the change pause for its quiet time (the machine
// stalled, between two writes or in the delivery of their events), or when
// the change outlasted maxDelay. Any other split is a debouncing bug. The
// pause is measured on the events as the watcher handled them (events[from:]
// are those of the change), where its timer measures it.
func (tr *tracker) explainSplits(t testing.TB, root string, from, first int, batches [][]string) {
	t.Helper()
	tr.mu.Lock()
	evs := slices.Clone(tr.events[from:])
	tr.mu.Unlock()
	// The events the watcher acted on, by the batch they went into.
	byBatch := make(map[int][]seenEvent)
	for _, ev := range evs {
		if counts(root, ev) {
			byBatch[ev.sent+1] = append(byBatch[ev.sent+1], ev)
		}
	}
	for i := range len(batches) - 1 {
		n := first + i
		before, after := byBatch[n], byBatch[n+1]
		if len(before) == 0 || len(after) == 0 {
			t.Errorf("the change was split after batch %d, and no pause explains it: the watcher handled no event on one side of the split (events: %v)", n, evs)
			continue
		}
		// The shortest quiet time the watcher may use for this batch.
		quiet := saveDelay
		if batches[i] == nil || len(batches[i]) >= burstSize {
			quiet = burstDelay
		}
		pause := after[0].at.Sub(before[len(before)-1].at)
		span := before[len(before)-1].at.Sub(before[0].at)
		if pause < quiet && span < maxDelay {
			t.Errorf("one change was sent as two batches after a pause of only %v (the quiet time is %v): %q then %q",
				pause, quiet, batches[i], batches[i+1])
			continue
		}
		t.Logf("the watcher saw a pause of %v (the machine stalled) and sent one change as two batches, as it should", pause.Round(time.Millisecond))
	}
}

// counts tells whether the watcher acts on ev (see Watcher.handle).
func counts(root string, ev seenEvent) bool {
	rel, err := filepath.Rel(root, ev.name)
	if err != nil || ev.op == fsnotify.Chmod || scratch.Skipped(filepath.Base(ev.name), isDir(ev.name)) {
		return false
	}
	return isWatchedFolder(strings.SplitN(filepath.ToSlash(rel), "/", 2)[0])
}

// noBuild waits until the changes made since the last check are handled and
// asserts that they caused no build.
func (p *project) noBuild(t *testing.T) {
	t.Helper()
	n, events := p.tr.idle(t, p.root)
	if n != p.checked {
		t.Fatalf("want no build, got %d; changed sets: %q", n-p.checked, p.fb.changedSets()[p.checked:])
	}
	p.mark = events
}

// noBuildUnlessStalled is noBuild for a change that the watcher holds back
// at its end (content/ removed), but may rightly send in part if the machine
// stalls in its middle (rm -rf is not atomic): builds are allowed only as
// explainSplits allows splitting the change into them and the part held. It
// reports whether there were builds.
func (p *project) noBuildUnlessStalled(t *testing.T) bool {
	t.Helper()
	n, events := p.tr.idle(t, p.root)
	if n > p.checked {
		sets := p.fb.changedSets()[p.checked:n]
		p.tr.explainSplits(t, p.root, p.mark, p.checked, append(sets, nil)) // nil: the part held
	}
	built := n > p.checked
	p.checked, p.mark = n, events
	return built
}

// rebuilt waits until the changes made since the last check are handled and
// built, asserts that they were built once (or in parts only as
// explainSplits allows), and returns what the builds were told changed: the
// union of their changed sets, nil meaning everything.
func (p *project) rebuilt(t *testing.T) []string {
	t.Helper()
	n, events := p.tr.idle(t, p.root)
	sets := p.fb.changedSets()[p.checked:n]
	if len(sets) == 0 {
		t.Fatal("no rebuild")
	}
	if len(sets) > 1 {
		// Build k (from 1) built batch k-1; the first, everything.
		p.tr.explainSplits(t, p.root, p.mark, p.checked, sets)
	}
	p.checked, p.mark = n, events
	var union []string
	for _, s := range sets {
		if s == nil {
			return nil
		}
		union = append(union, s...)
	}
	slices.Sort(union)
	return slices.Compact(union)
}

// rebuiltUnseen is rebuilt for a change that no event of a watched folder
// tells, which the watcher finds when it polls: it waits for the build.
func (p *project) rebuiltUnseen(t *testing.T) []string {
	t.Helper()
	p.tr.wait(t, "a build of a change found by polling", func() bool { return p.tr.built > p.checked })
	return p.rebuilt(t)
}

// catchUp waits until the changes made since the last check are handled and
// built, and returns the number of builds they caused.
func (p *project) catchUp(t *testing.T) int {
	t.Helper()
	n, events := p.tr.idle(t, p.root)
	k := n - p.checked
	p.checked, p.mark = n, events
	return k
}

// watchReader reads a Watcher's batches, as the preview's loop does.
type watchReader struct {
	w    *Watcher
	tr   *tracker
	root string
	sent int // batches read so far
	mark int // the tracker's events up to the last read
}

// batches waits until the watcher has handled the changes made so far and
// returns the batches it sent for them.
func (r *watchReader) batches(t *testing.T) [][]string {
	t.Helper()
	events := r.tr.sync(t, r.root)
	var bs [][]string
	deadline := time.After(waitTimeout)
	for {
		r.tr.mu.Lock()
		quiet, wake := r.tr.stateOK && r.tr.state.quiet, r.tr.wake
		r.tr.mu.Unlock()
		if quiet {
			break
		}
		select {
		case b, ok := <-r.w.C:
			if !ok {
				t.Fatal("C closed")
			}
			bs = append(bs, b)
		case <-wake:
		case <-deadline:
			t.Fatalf("the watcher did not fall quiet within %v", waitTimeout)
		}
	}
	r.sent += len(bs)
	r.mark = events
	return bs
}

// changes is batches for one change: it asserts that they are one batch
// (or several only as explainSplits allows) and returns their union (nil:
// everything).
func (r *watchReader) changes(t *testing.T) []string {
	t.Helper()
	first, mark := r.sent+1, r.mark
	bs := r.batches(t)
	if len(bs) == 0 {
		t.Fatal("no batch")
	}
	if len(bs) > 1 {
		r.tr.explainSplits(t, r.root, mark, first, bs)
	}
	var union []string
	for _, b := range bs {
		if b == nil {
			return nil
		}
		union = append(union, b...)
	}
	slices.Sort(union)
	return slices.Compact(union)
}
