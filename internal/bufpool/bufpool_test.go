package bufpool

import (
	"bytes"
	"testing"
)

// A buffer comes back empty, and one grown past MaxKept is never lent
// again. sync.Pool may drop anything at a collection, so the test only
// checks what Get may return, never that it returns a given buffer.
func TestBuffers(t *testing.T) {
	var p Buffers
	huge := bytes.NewBuffer(make([]byte, 0, MaxKept+1))
	p.Put(huge)
	small := p.Get()
	small.WriteString("left over")
	p.Put(small)
	for range 100 {
		b := p.Get()
		if b == huge {
			t.Fatal("a buffer over MaxKept was lent again")
		}
		if b.Len() != 0 {
			t.Fatalf("lent a buffer holding %q", b.String())
		}
		p.Put(b)
	}
}

func TestSlices(t *testing.T) {
	var p Slices
	huge := make([]byte, MaxKept+1)
	p.Put(&huge)
	for range 100 {
		bp := p.Get()
		if bp == &huge || cap(*bp) > MaxKept {
			t.Fatal("a slice over MaxKept was lent again")
		}
		*bp = append((*bp)[:0], "text"...)
		p.Put(bp)
	}
}
