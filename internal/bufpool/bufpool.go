// Package bufpool lends byte buffers to work done once per file or page
// (reading an article, rendering a page, unpacking a text, collecting a
// text) and takes them back for the next, dropping any that a huge input
// grew past MaxKept: kept, it would hold that memory for the rest of the
// run. Safe for concurrent use; the zero values are ready to use.
package bufpool

import (
	"bytes"
	"sync"
)

// MaxKept is the capacity of the largest buffer taken back: far above a
// news article or a page, far below a pathological one.
const MaxKept = 1 << 20

// Buffers lends *bytes.Buffer, empty.
type Buffers struct{ pool sync.Pool }

// Get returns an empty buffer.
func (p *Buffers) Get() *bytes.Buffer {
	if b, ok := p.pool.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

// Put takes b back, unless it grew past MaxKept; b must not be used after.
func (p *Buffers) Put(b *bytes.Buffer) {
	if b.Cap() <= MaxKept {
		b.Reset()
		p.pool.Put(b)
	}
}

// Slices lends *[]byte, of whatever length and capacity they were put back
// with: the borrower sizes it.
type Slices struct{ pool sync.Pool }

// Get returns a slice to reuse, or a new empty one.
func (p *Slices) Get() *[]byte {
	if bp, ok := p.pool.Get().(*[]byte); ok {
		return bp
	}
	return new([]byte)
}

// Put takes bp back, unless its slice grew past MaxKept; *bp must not be
// used after.
func (p *Slices) Put(bp *[]byte) {
	if cap(*bp) <= MaxKept {
		p.pool.Put(bp)
	}
}
