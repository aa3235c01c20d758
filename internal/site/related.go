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
	// Each article's index in each of its topics' newest-first lists.
	pos := make(map[*Topic]map[*Article]int, len(s.Topics))
	for _, t := range s.Topics {
		m := make(map[*Article]int, len(t.Articles))
		for i, ta := range t.Articles {
			m[ta.Article] = i
		}
		pos[t] = m
	}
	type cand struct {
		a     *Article
		score int
		days  int
	}
	var cands []cand // reused: at most topics·(2·window+1) entries
	for _, a := range s.Articles {
		cands = cands[:0]
		for _, t := range a.Topics {
			i := pos[t][a]
			lo, hi := max(0, i-window), min(len(t.Articles), i+window+1)
		next:
			for _, ta := range t.Articles[lo:hi] {
				if ta.Article == a {
					continue
				}
				for k := range cands {
					if cands[k].a == ta.Article {
						cands[k].score += 3
						continue next
					}
				}
				cands = append(cands, cand{a: ta.Article, score: 3, days: daysApart(a, ta.Article)})
			}
		}
		if len(cands) == 0 {
			continue
		}
		if len(a.Entities) > 0 {
			for k := range cands {
				for _, e := range cands[k].a.Entities {
					for _, mine := range a.Entities {
						if e == mine {
							cands[k].score++
						}
					}
				}
			}
		}
		sort.Slice(cands, func(i, j int) bool {
			x, y := cands[i], cands[j]
			if x.score != y.score {
				return x.score > y.score
			}
			if x.days != y.days {
				return x.days < y.days
			}
			return x.a.Slug < y.a.Slug
		})
		a.Related = make([]*Article, 0, min(relatedMax, len(cands)))
		for _, c := range cands[:min(relatedMax, len(cands))] {
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
