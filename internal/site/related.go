package site

// relatedMax is how many related articles an article page shows.
const relatedMax = 5

// window is how many neighbours in date order each topic contributes as
// candidates; it bounds the work per article, so relating n articles costs
// O(n · topics · window) instead of O(n²).
const window = 12

// relate fills Article.Related: articles sharing the most topics and
// entities, nearest in time first, ties by slug. topicArts lists each
// topic's articles (indices into s.Articles), newest first.
func relate(s *Site, topicArts map[*Topic][]int) {
	type cand struct {
		k     int // index in s.Articles
		score int
		days  int
	}
	day := make([]int64, len(s.Articles))
	for k, a := range s.Articles {
		day[k] = a.Card.Date.Time().Unix() / 86400
	}
	better := func(x, y *cand) bool {
		if x.score != y.score {
			return x.score > y.score
		}
		if x.days != y.days {
			return x.days < y.days
		}
		return s.Articles[x.k].Card.Slug < s.Articles[y.k].Card.Slug
	}
	// Each article's topics, with its position in each topic's list.
	type at struct {
		list []int
		i    int
	}
	pos := make([][]at, len(s.Articles))
	for _, t := range s.Topics {
		list := topicArts[t]
		for i, k := range list {
			pos[k] = append(pos[k], at{list, i})
		}
	}
	// slot[j] is the index in cands of article j for the article being
	// related, valid while stamp[j] equals that article's turn: O(1) dedupe
	// without clearing anything between articles.
	slot := make([]int, len(s.Articles))
	stamp := make([]int, len(s.Articles))
	var cands []cand
	for k, a := range s.Articles {
		cands = cands[:0]
		turn := k + 1
		for _, p := range pos[k] {
			list, i := p.list, p.i
			lo, hi := max(0, i-window), min(len(list), i+window+1)
			for _, o := range list[lo:hi] {
				if o == k {
					continue
				}
				if stamp[o] == turn {
					cands[slot[o]].score += 3
					continue
				}
				stamp[o], slot[o] = turn, len(cands)
				d := day[k] - day[o]
				if d < 0 {
					d = -d
				}
				cands = append(cands, cand{k: o, score: 3, days: int(d)})
			}
		}
		if len(cands) == 0 {
			continue
		}
		if len(a.Entities) > 0 {
			for c := range cands {
				for _, e := range s.Articles[cands[c].k].Entities {
					for _, mine := range a.Entities {
						if e == mine {
							cands[c].score++
						}
					}
				}
			}
		}
		// Partial selection of the best few: candidates are few, and a full
		// sort per article would dominate a rebuild of a large dossier.
		n := min(relatedMax, len(cands))
		for c := 0; c < n; c++ {
			best := c
			for j := c + 1; j < len(cands); j++ {
				if better(&cands[j], &cands[best]) {
					best = j
				}
			}
			cands[c], cands[best] = cands[best], cands[c]
		}
		a.Related = make([]*ArticleCard, n)
		for c := 0; c < n; c++ {
			a.Related[c] = s.Articles[cands[c].k].Card
		}
	}
}
