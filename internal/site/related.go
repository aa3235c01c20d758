package site

import "sort"

// relatedMax is how many related articles an article page shows.
const relatedMax = 5

// window is how many neighbours in date order each topic contributes as
// candidates; it bounds the work per article, so relating n articles costs
// O(n · topics · window) instead of O(n²).
const window = 12

// relate fills Article.Related: articles sharing the most topics and
// entities, nearest in time first.
func relate(s *Site) {
	// Per topic, articles in newest-first order with each article's index in it.
	pos := make(map[*Topic]map[*Article]int, len(s.Topics))
	for _, t := range s.Topics {
		m := make(map[*Article]int, len(t.Articles))
		for i, ta := range t.Articles {
			m[ta.Article] = i
		}
		pos[t] = m
	}
	for _, a := range s.Articles {
		type cand struct {
			a     *Article
			score int
		}
		cands := map[*Article]*cand{}
		for _, t := range a.Topics {
			i := pos[t][a]
			lo, hi := max(0, i-window), min(len(t.Articles), i+window+1)
			for _, ta := range t.Articles[lo:hi] {
				if ta.Article == a {
					continue
				}
				c := cands[ta.Article]
				if c == nil {
					c = &cand{a: ta.Article}
					cands[ta.Article] = c
				}
				c.score += 3
			}
		}
		if len(cands) == 0 {
			continue
		}
		ents := make(map[*Entity]bool, len(a.Entities))
		for _, e := range a.Entities {
			ents[e] = true
		}
		list := make([]*cand, 0, len(cands))
		for _, c := range cands {
			for _, e := range c.a.Entities {
				if ents[e] {
					c.score++
				}
			}
			list = append(list, c)
		}
		sort.Slice(list, func(i, j int) bool {
			x, y := list[i], list[j]
			if x.score != y.score {
				return x.score > y.score
			}
			dx, dy := daysApart(a, x.a), daysApart(a, y.a)
			if dx != dy {
				return dx < dy
			}
			return x.a.Slug < y.a.Slug
		})
		for _, c := range list[:min(relatedMax, len(list))] {
			a.Related = append(a.Related, c.a)
		}
	}
}

func daysApart(a, b *Article) int {
	d := a.Date.Time().Sub(b.Date.Time()).Hours() / 24
	if d < 0 {
		d = -d
	}
	return int(d)
}
