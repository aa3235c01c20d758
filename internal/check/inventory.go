package check

import (
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/dossier-news/dossier/internal/output"
)

// inventory is what the link checker needs of a built site: which files
// exist, and the ids and links of each HTML page, not the pages' bytes. Run
// fills it as the build streams its files (see scanner), so a check holds
// no more of the site than a build does.
type inventory struct {
	basePath string
	files    map[string]struct{}
	pages    map[string]*pageInfo // HTML files by output path
	// unbuilt are the pages of content files that could not be read (a
	// check of a failed build): links to them, and to any of their ids,
	// are not reported, as the files' own problems are.
	unbuilt map[string]bool
	// unsure are the pages of content files with problems, made all the
	// same: links to their ids are not checked.
	unsure map[string]bool
}

func (inv *inventory) has(p string) bool {
	_, ok := inv.files[p]
	return ok
}

// paths lists every file, sorted.
func (inv *inventory) paths() []string { return slices.Sorted(maps.Keys(inv.files)) }

// inventoryOf takes the inventory of a site held in memory.
func inventoryOf(s *output.Site) *inventory {
	sc := newScanner()
	for _, f := range s.Files {
		_ = sc.Put(f) // never fails
	}
	return sc.inventory(s.BasePath)
}

// scanner is an output.Sink that keeps a site's inventory instead of its
// files. Safe for concurrent use, as a Sink must be: pages are scanned by
// the goroutines that give them.
type scanner struct {
	mu     sync.Mutex
	files  map[string]struct{}
	pages  map[string]*pageInfo
	intern map[string]string // one copy of each link and id: most recur on every page
}

func newScanner() *scanner {
	return &scanner{files: map[string]struct{}{}, pages: map[string]*pageInfo{}, intern: map[string]string{}}
}

func (sc *scanner) Put(f *output.File) error {
	var info *pageInfo
	if strings.HasSuffix(f.Path, ".html") {
		info = scan(f.Data)
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.files[f.Path] = struct{}{}
	if info != nil {
		info.compact(sc.one)
		sc.pages[f.Path] = info
	}
	return nil
}

// one returns the kept copy of s.
func (sc *scanner) one(s string) string {
	if k, ok := sc.intern[s]; ok {
		return k
	}
	s = strings.Clone(s)
	sc.intern[s] = s
	return s
}

func (sc *scanner) inventory(basePath string) *inventory {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return &inventory{basePath: basePath, files: sc.files, pages: sc.pages}
}
