package site

// relatedMax is how many related articles an article page shows.
const relatedMax = 5

// window is how many neighbours in date order each topic contributes as
// candidates; it bounds the work per article, so relating n articles costs
// O(n · topics · window) instead of O(n²).
const window = 12

// relate fills Article.Related: articles sharing the most topics and
// entities, nearest in time first, ties by slug.
func relate(s *Site) {
	type cand struct {
		a     *Article
		score int
		days  int
	}
	better := func(x, y *cand) bool {
		if x.score != y.score {
			return x.score > y.score
		}
		if x.days != y.days {
			return x.days < y.days
		}
		return x.a.Card.Slug < y.a.Card.Slug
	}
	// slot[j] is 1 + the index in cands of article j for the article being
	// related, valid while stamp[j] equals that article's turn: O(1) dedupe
	// without clearing anything between articles.
	slot := make([]int, len(s.Articles))
	stamp := make([]int, len(s.Articles))
	var cands []cand
	for turn, a := range s.Articles {
		cands = cands[:0]
		for k, t := range a.Topics {
			i := a.topicPos[k]
			lo, hi := max(0, i-window), min(len(t.articles), i+window+1)
			for _, o := range t.articles[lo:hi] {
				if o == a {
					continue
				}
				if stamp[o.idx] == turn+1 {
					cands[slot[o.idx]].score += 3
					continue
				}
				stamp[o.idx], slot[o.idx] = turn+1, len(cands)
				cands = append(cands, cand{a: o, score: 3, days: daysApart(a, o)})
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
		// Partial selection of the best few: candidates are few, and a full
		// sort per article would dominate a rebuild of a large dossier.
		n := min(relatedMax, len(cands))
		for k := 0; k < n; k++ {
			best := k
			for j := k + 1; j < len(cands); j++ {
				if better(&cands[j], &cands[best]) {
					best = j
				}
			}
			cands[k], cands[best] = cands[best], cands[k]
		}
		a.Related = make([]*Article, n)
		for k := 0; k < n; k++ {
			a.Related[k] = cands[k].a
		}
	}
}

func daysApart(a, b *Article) int {
	d := a.day - b.day
	if d < 0 {
		d = -d
	}
	return int(d)
}
