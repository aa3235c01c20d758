package build

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/dossier-news/dossier/internal/content"
	"github.com/dossier-news/dossier/internal/site"
	"github.com/dossier-news/dossier/internal/urls"
	"github.com/dossier-news/dossier/internal/viewkey"
)

// searchTextMax bounds the body text each article puts in search.json, so
// the index stays small enough to download on a phone.
const searchTextMax = 1500

// searchEntry is one record of search.json (short keys keep the file small).
func searchEntry(u, title, kind, outlet string, date content.Date, summary string, ps []site.Paragraph) []byte {
	var text strings.Builder
	for _, p := range ps {
		if text.Len() >= searchTextMax {
			break
		}
		text.WriteString(p.Text)
		text.WriteByte(' ')
	}
	x := text.String()
	if len(x) > searchTextMax {
		x = strings.ToValidUTF8(x[:searchTextMax], "")
	}
	e := struct {
		T string `json:"t"`
		U string `json:"u"`
		K string `json:"k"`
		O string `json:"o,omitempty"`
		D string `json:"d,omitempty"`
		H string `json:"h,omitempty"`
		S string `json:"s,omitempty"`
		X string `json:"x,omitempty"`
	}{title, u, kind, outlet, date.String(), date.Human(), summary, strings.TrimSpace(x)}
	b, _ := json.Marshal(e) // plain strings: cannot fail
	return b
}

// searchShardSize is about how many articles one search index shard holds.
// Shards keep a rebuild cheap (only the changed article's shard is joined
// again) and let the browser fetch a big index in parallel.
const searchShardSize = 500

// searchFiles returns search.json (the manifest, with topic, entity and claim
// entries inline) and the article shards search/N.json. An article's shard
// is fixed by its slug's hash, so adding an article does not move the others.
func searchFiles(g *site.Site, arts []*article) []generatedFile {
	n := max(1, (len(g.Articles)+searchShardSize-1)/searchShardSize)
	bySlug := make(map[string]*article, len(arts))
	for _, a := range arts {
		bySlug[a.slug] = a
	}
	shards := make([][]string, n) // slugs, newest first
	for _, a := range g.Articles {
		h := fnv.New32a()
		h.Write([]byte(a.Card.Slug))
		i := int(h.Sum32() % uint32(n))
		shards[i] = append(shards[i], a.Card.Slug)
	}
	join := func(entries [][]byte) []byte {
		size := 2
		for _, e := range entries {
			size += len(e) + 1
		}
		b := make([]byte, 0, size)
		b = append(b, '[')
		for i, e := range entries {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, e...)
		}
		return append(b, ']')
	}
	var files []generatedFile
	var shardURLs []string
	for i, slugs := range shards {
		p := fmt.Sprintf("search/%d.json", i)
		shardURLs = append(shardURLs, urls.Under(g.BasePath, p))
		h := viewkey.New().Uint(uint64(n))
		entries := make([][]byte, 0, len(slugs))
		for _, s := range slugs {
			a := bySlug[s]
			h.Key(a.searchKey)
			entries = append(entries, a.search)
		}
		files = append(files, generatedFile{p, h.Sum(), func() []byte { return join(entries) }})
	}
	var entries [][]byte
	for _, t := range g.Topics {
		entries = append(entries, searchEntry(urls.Under(g.BasePath, t.Ref.Path), t.Ref.Title, "Topic", "", content.Date{}, t.Ref.Summary, nil))
	}
	for _, e := range g.Entities {
		entries = append(entries, searchEntry(urls.Under(g.BasePath, e.Ref.Path), e.Ref.Name, strings.ToUpper(e.Ref.Kind[:1])+e.Ref.Kind[1:], "", content.Date{}, e.Ref.Role+" "+strings.Join(e.Ref.Aliases, " "), nil))
	}
	for _, c := range g.Claims {
		entries = append(entries, searchEntry(urls.Under(g.BasePath, c.Ref.Path), c.Ref.Title, "Claim", "", content.Date{}, c.Ref.Verdict, nil))
	}
	shardsJSON, _ := json.Marshal(shardURLs)
	manifest := []byte(`{"shards":`)
	manifest = append(manifest, shardsJSON...)
	manifest = append(manifest, `,"entries":`...)
	manifest = append(manifest, join(entries)...)
	manifest = append(manifest, '}')
	files = append(files, generatedFile{"search.json", viewkey.Strings(string(manifest)), func() []byte { return manifest }})
	return files
}
