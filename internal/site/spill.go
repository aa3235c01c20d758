package site

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/dossier-news/dossier/internal/bufpool"
)

// Spill keeps bodies' packed text in a temporary file instead of the heap.
//
// A streamed build (`dossier build`, `dossier check`) reads each article's
// text at most a few times, in two passes: the search index, then the
// pages. Held in memory, the compressed text is a third of the build's peak
// heap at 100,000 articles (about 440 MB); in a file it is in the kernel's
// page cache, which the kernel can write out and drop under pressure and
// which no RSS counts. The preview keeps its text in memory: it rereads it
// on every edit.
//
// The file is removed as soon as it is made, so nothing is left behind
// however dossier ends; it is closed when the Spill becomes unreachable
// (os.File's finalizer) or by Close. Safe for concurrent use.
type Spill struct {
	f       *os.File
	end     atomic.Int64   // next free offset
	bufs    bufpool.Slices // read buffers
	packs   sync.Pool      // *packScratch, for packText
	unpacks bufpool.Slices // what Paragraphs unpacks into
}

// packScratch is packText's working memory: the paragraphs laid out, and
// the s2 blocks before they are written.
type packScratch struct{ raw, out []byte }

// scratch lends packText a scratch buffer; release takes it back, unless it
// grew past a large article's size (it would stay in the pool).
func (s *Spill) scratch() *packScratch {
	if sc, ok := s.packs.Get().(*packScratch); ok {
		return sc
	}
	return &packScratch{}
}

func (s *Spill) release(sc *packScratch) {
	if cap(sc.raw)+cap(sc.out) <= 4<<20 {
		s.packs.Put(sc)
	}
}

// unpackBuffer lends Paragraphs a buffer to unpack a text into: a spilled
// text is unpacked on every read, at 10,000 articles a twentieth of what a
// build allocated when each read made a new one. A nil Spill (the text is
// in memory, as in the preview) lends a new buffer.
func (s *Spill) unpackBuffer() *[]byte {
	if s == nil {
		return new([]byte)
	}
	return s.unpacks.Get()
}

// releaseUnpacked takes back a buffer of unpackBuffer.
func (s *Spill) releaseUnpacked(bp *[]byte) {
	if s != nil {
		s.unpacks.Put(bp)
	}
}

// NewSpill makes an empty spill file in dir (os.TempDir() when dir is "").
// Where an open file cannot be removed (Windows), it returns an error and
// the caller keeps the text in memory.
func NewSpill(dir string) (*Spill, error) {
	f, err := os.CreateTemp(dir, "dossier-text-*")
	if err != nil {
		return nil, fmt.Errorf("making a temporary file for article text: %w", err)
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("removing the temporary file for article text while it is open: %w", err)
	}
	return &Spill{f: f}, nil
}

// Close closes the file; reading a body spilled to it afterwards panics.
func (s *Spill) Close() error { return s.f.Close() }

// Size is how many bytes the file holds.
func (s *Spill) Size() int64 { return s.end.Load() }

// put writes b at the end of the file and returns its offset; false when
// the write failed (a full disk), and the caller keeps b in memory.
func (s *Spill) put(b []byte) (int64, bool) {
	off := s.end.Add(int64(len(b))) - int64(len(b))
	if _, err := s.f.WriteAt(b, off); err != nil {
		return 0, false
	}
	return off, true
}

// get reads n bytes at off and passes them to use, in a buffer reused
// afterwards: use must not keep them.
func (s *Spill) get(off int64, n int, use func([]byte)) {
	bp := s.bufs.Get()
	if cap(*bp) < n {
		*bp = make([]byte, n)
	}
	b := (*bp)[:n]
	if _, err := s.f.ReadAt(b, off); err != nil {
		// The file is this process's own, written before: an error is
		// the system's (an I/O error, the file closed too early).
		panic(fmt.Sprintf("dossier: reading article text back from its temporary file: %v", err))
	}
	use(b)
	s.bufs.Put(bp)
}
