package output

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dossier-news/dossier/internal/diag"
	"github.com/dossier-news/dossier/internal/readfile"
	"github.com/dossier-news/dossier/internal/scratch"
)

// MaxStaticSize bounds one static file: GitHub Pages refuses files over
// 100 MB, and the whole site is held in memory.
const MaxStaticSize = 100 << 20

// Assets are the site's static files after override, minification and
// fingerprinting.
type Assets struct {
	Files []*File
	// names maps a static file's name ("style.css") to its output path
	// ("static/style.3fa9c2d1e0.css").
	names map[string]string
	// Hash identifies the whole asset set, for cache keys.
	Hash string
}

// fingerprinted extensions get a content hash in their name, because templates
// refer to them through the asset function and browsers may cache them
// forever. Other files (images, fonts) keep their names so Markdown can link to
// them as /static/<name>.
var fingerprinted = map[string]bool{".css": true, ".js": true, ".svg": true}

// LoadAssets reads the embedded defaults' static/ files, then the project's
// static/ folder (recursively; project files win by relative path), adds the
// generated files in extra (name -> bytes), minifies and fingerprints them.
func LoadAssets(defaults fs.FS, projectRoot string, extra map[string][]byte, mf *Minifier) (*Assets, error) {
	src := map[string][]byte{}
	err := fs.WalkDir(defaults, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(defaults, p)
		if err != nil {
			return err
		}
		src[strings.TrimPrefix(p, "static/")] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("embedded static files: %w", err)
	}
	for name, b := range extra {
		src[name] = b
	}
	if projectRoot != "" {
		dir := filepath.Join(projectRoot, "static")
		// Every file's problem is listed, not the first only.
		var problems diag.List
		// Folders are walked by hand: a link to a folder (static/img ->
		// ../shared/img, or static/ itself) is followed when it stays in
		// the project (readfile.Confine), as content/'s and templates/'
		// are, each real folder once (a link to a folder above it ends).
		seen := map[string]bool{}
		var walk func(dir, prefix string)
		walk = func(dir, prefix string) {
			if real, err := filepath.EvalSymlinks(dir); err == nil {
				if seen[real] {
					return
				}
				seen[real] = true
			}
			entries, err := os.ReadDir(dir)
			if st, serr := os.Stat(dir); serr == nil && !st.IsDir() && prefix == "" {
				problems.Add(diag.Errorf("static", 0, "this is a file, not a folder: the site's own static files go in a folder static/; rename or remove the file"))
				return
			}
			if err != nil {
				if !(errors.Is(err, fs.ErrNotExist) && prefix == "") {
					problems.Add(diag.Errorf("static/"+prefix, 0, "cannot read: %v", err))
				}
				return
			}
			for _, e := range entries {
				p := filepath.Join(dir, e.Name())
				name := prefix + e.Name()
				isDir := e.IsDir()
				link := e.Type()&fs.ModeSymlink != 0
				if link {
					if st, err := os.Stat(p); err == nil && st.IsDir() {
						isDir = true
					}
				}
				// Hidden files and folders, and editors' scratch
				// files (style.css~, #style.css#), are not the
				// site's: the preview's watcher ignores the same.
				if scratch.Skipped(e.Name(), isDir) {
					continue
				}
				if link && isDir {
					if err := readfile.Confine(projectRoot, p); err != nil {
						problems.Add(diag.Errorf("static/"+name, 0, "%v", err))
						continue
					}
				}
				if isDir {
					walk(p, name+"/")
					continue
				}
				if name != strings.ToLower(name) || strings.ContainsAny(name, " ?#%") {
					problems.Add(diag.Errorf("static/"+name, 0, "rename it with lowercase letters, digits, dashes and dots only (GitHub Pages URLs are case-sensitive)"))
					continue
				}
				b, err := readfile.ReadUnder(projectRoot, p, MaxStaticSize)
				if err != nil {
					var tl *readfile.TooLargeError
					if errors.As(err, &tl) {
						problems.Add(diag.Errorf("static/"+name, 0, "%v (GitHub Pages refuses files over 100 MB: host it elsewhere and link to it)", err))
					} else {
						problems.Add(diag.Errorf("static/"+name, 0, "%v", err))
					}
					continue
				}
				src[name] = b
			}
		}
		walk(dir, "")
		if len(problems) > 0 {
			return nil, problems
		}
	}
	a := &Assets{names: map[string]string{}}
	names := make([]string, 0, len(src))
	for n := range src {
		names = append(names, n)
	}
	sort.Strings(names)
	all := sha256.New()
	for _, n := range names {
		data, err := mf.Minify(n, src[n])
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:])
		out := "static/" + n
		if ext := path.Ext(n); fingerprinted[ext] {
			out = "static/" + strings.TrimSuffix(n, ext) + "." + hash[:10] + ext
		}
		a.names[n] = out
		a.Files = append(a.Files, NewFile(out, data))
		all.Write([]byte(out))
	}
	a.Hash = hex.EncodeToString(all.Sum(nil))
	return a, nil
}

// Path returns the output path of a static file by name; unknown names return
// "static/<name>" so a missing asset shows up as a broken link that `dossier
// check` reports, not as a crash.
func (a *Assets) Path(name string) string {
	if p, ok := a.names[name]; ok {
		return p
	}
	return "static/" + name
}
