package serve

import (
	"bytes"
	"path"
	"strings"

	"github.com/dossier-news/dossier/internal/output"
)

type change int

const (
	changeNone   change = iota // same bytes everywhere
	changeCSS                  // stylesheets only (and the links to them)
	changeReload               // anything else
)

// diffSites tells what a browser showing old must do to show new. changeCSS
// comes with a map from the old stylesheets' URL paths to the new ones.
//
// Stylesheets are fingerprinted ("static/style.3fa9c2.css"), so a CSS edit
// also changes every page that links to it; such a page counts as unchanged
// when renaming the old stylesheets to the new ones in its old bytes gives
// its new bytes.
func diffSites(old, cur *output.Site) (change, map[string]string) {
	if old == nil || old.BasePath != cur.BasePath {
		return changeReload, nil
	}
	var changed, added, removed []string
	kept := 0
	for p, f := range cur.Files {
		o, ok := old.Files[p]
		switch {
		case !ok:
			added = append(added, p)
		case !sameFile(o, f):
			kept++
			changed = append(changed, p)
		default:
			kept++
		}
	}
	if kept < len(old.Files) { // some were removed
		for p := range old.Files {
			if cur.Files[p] == nil {
				removed = append(removed, p)
			}
		}
	}
	if len(changed)+len(added)+len(removed) == 0 {
		return changeNone, nil
	}

	// Pair the stylesheets: in place, or renamed by their fingerprint.
	cssMap := make(map[string]string) // site path -> site path
	for _, p := range changed {
		if isCSS(p) {
			cssMap[p] = p
		}
	}
	gone := make(map[string]string) // unfingerprinted name -> removed path
	for _, p := range removed {
		if !isCSS(p) {
			return changeReload, nil
		}
		gone[cssKey(p)] = p
	}
	for _, p := range added {
		o, ok := gone[cssKey(p)]
		if !isCSS(p) || !ok {
			return changeReload, nil
		}
		cssMap[o] = p
		delete(gone, cssKey(p))
	}
	if len(gone) > 0 || len(cssMap) == 0 {
		return changeReload, nil
	}

	// Every other change must be the renaming of the stylesheets' links.
	var olds, news [][]byte
	for o, n := range cssMap {
		if o != n {
			olds = append(olds, []byte(path.Base(o)))
			news = append(news, []byte(path.Base(n)))
		}
	}
	for _, p := range changed {
		if isCSS(p) {
			continue
		}
		if len(olds) == 0 || !strings.HasSuffix(p, ".html") {
			return changeReload, nil
		}
		b := old.Files[p].Data
		for i := range olds {
			b = bytes.ReplaceAll(b, olds[i], news[i])
		}
		if !bytes.Equal(b, cur.Files[p].Data) {
			return changeReload, nil
		}
	}

	urls := make(map[string]string, len(cssMap))
	for o, n := range cssMap {
		urls[cur.BasePath+o] = cur.BasePath + n
	}
	return changeCSS, urls
}

func sameFile(a, b *output.File) bool {
	if a == b {
		return true
	}
	if a.ETag != "" && b.ETag != "" {
		return a.ETag == b.ETag
	}
	return bytes.Equal(a.Data, b.Data)
}

func isCSS(p string) bool { return strings.HasSuffix(p, ".css") }

// cssKey strips a fingerprint: "static/style.3fa9c2.css" -> "static/style.css".
func cssKey(p string) string {
	stem := strings.TrimSuffix(p, ".css")
	i := strings.LastIndexByte(stem, '.')
	if i < 0 || strings.Contains(stem[i:], "/") {
		return p
	}
	hash := stem[i+1:]
	if len(hash) < 6 || len(hash) > 64 {
		return p
	}
	for _, c := range hash {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return p
		}
	}
	return stem[:i] + ".css"
}
