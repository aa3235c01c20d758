package render

import (
	"fmt"
	"slices"
	"testing"

	"github.com/dossier-news/dossier/internal/picture"
	"github.com/dossier-news/dossier/internal/site"
)

// An article's graph entities are listed by name; when there are more than
// picture.Count pairs, those it names in most sentences come first (ties by
// name), and entities outside the graph (places) are left out.
func TestGraphEntities(t *testing.T) {
	index := map[string]int{}
	a := &site.Article{}
	for i := range picture.PairEntities + 20 {
		slug := fmt.Sprintf("e%03d", i)
		index[slug] = i
		a.Entities = append(a.Entities, &site.EntityRef{Slug: slug})
		a.Mentions = append(a.Mentions, &site.EntityMention{Sentences: make([]site.Paragraph, 1+i%3)})
	}
	a.Entities = append(a.Entities, &site.EntityRef{Slug: "a-place"}) // not in the graph
	a.Mentions = append(a.Mentions, &site.EntityMention{Sentences: make([]site.Paragraph, 9)})
	got := graphEntities(a, index)
	if len(got) != picture.PairEntities+20 {
		t.Fatalf("%d entities, want %d", len(got), picture.PairEntities+20)
	}
	if got[0] != 2 || got[1] != 5 || !slices.IsSortedFunc(got, func(x, y int) int { return (y%3 - x%3) }) {
		t.Errorf("order %v, want those in 3 sentences first (2, 5, …), then 2, then 1", got[:10])
	}
	small := &site.Article{Entities: a.Entities[:3], Mentions: a.Mentions[:3]}
	if got := graphEntities(small, index); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("a few entities: %v, want them by name", got)
	}
}
