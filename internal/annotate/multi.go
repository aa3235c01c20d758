package annotate

import "unicode/utf8"

// multiMin is the number of notes from which Anchor finds every quote in one
// pass over the text instead of one search per note. With a handful of notes
// strings.Index (vectorised) is faster; with hundreds, a search each would
// make anchoring cost notes × text size.
const multiMin = 8

// found is what locateAll learnt of one note.
type found struct {
	pos, end int  // the match, when count == 1
	count    int  // occurrences that satisfy the prefix and suffix, capped at 2
	seen     bool // the quote occurs, whatever is around it
}

// locateAll finds, in one pass over s.text, the occurrences of every note's
// quote that satisfy its prefix and suffix, exactly as locate does (the same
// positions, the same rune-by-rune advance after each occurrence). It only
// answers the unique case: for a note with count != 1, locate is asked again,
// to explain the problem.
//
// Quotes are found with a rolling hash over a window of the shortest quote's
// length (at most 32 bytes): one hash update and one bit test per text byte,
// and a comparison only where some quote's first bytes hash alike.
//
// Every candidate a quote's first bytes bring up is a comparison; when the
// notes make more than the budget (many notes quoting passages that start
// alike, each compared with every place the text has those words: 20,000
// notes on one phrase took 5.4 s, quadratic), locateAll stops and returns
// the notes of the largest such set, for Anchor to refuse the article's
// notes, rather than take time quadratic in their number.
func (s *stream) locateAll(notes []Note) (out []found, alike []int) {
	out = make([]found, len(notes))
	t := s.text
	type pat struct {
		q, pre, suf string
		from        int // next text offset an occurrence may start at
	}
	pats := make([]pat, len(notes))
	w := 32
	some := false
	for i := range notes {
		q := normalize(notes[i].Quote)
		pats[i] = pat{q: q, pre: normalize(notes[i].Prefix), suf: normalize(notes[i].Suffix)}
		if q != "" {
			w = min(w, len(q))
			some = true
		}
	}
	if !some || len(t) < w {
		return out, nil
	}
	const base = 1099511628211 // FNV prime: odd, bytes spread over the word
	pow := uint64(1)           // base^(w-1)
	for j := 1; j < w; j++ {
		pow *= base
	}
	hash := func(b string) uint64 {
		var h uint64
		for j := 0; j < len(b); j++ {
			h = h*base + uint64(b[j])
		}
		return h
	}
	var filter [1024]uint64 // one bit per top-16-bit hash value: most positions stop here
	byHash := map[uint64][]int{}
	for i, p := range pats {
		if p.q == "" {
			continue
		}
		h := hash(p.q[:w])
		filter[h>>54] |= 1 << (h >> 48 & 63)
		byHash[h] = append(byHash[h], i)
	}
	budget := compareBudget(len(t))
	if s.budget != nil {
		budget = s.budget(len(t))
	}
	h := hash(t[:w])
	for k := 0; ; k++ {
		if filter[h>>54]&(1<<(h>>48&63)) != 0 {
			cands := byHash[h]
			if budget -= len(cands); budget < 0 {
				for _, c := range byHash {
					if len(c) > len(alike) {
						alike = c
					}
				}
				return nil, alike
			}
			for _, i := range cands {
				p := &pats[i]
				if k < p.from || len(t)-k < len(p.q) || t[k:k+len(p.q)] != p.q {
					continue
				}
				_, size := utf8.DecodeRuneInString(t[k:])
				p.from = k + size
				out[i].seen = true
				if s.contextOK(k, k+len(p.q), p.pre, p.suf) {
					if out[i].count == 0 {
						out[i].pos, out[i].end = k, k+len(p.q)
					}
					out[i].count = min(out[i].count+1, 2)
				}
			}
		}
		if k+w >= len(t) {
			break
		}
		h = (h-uint64(t[k])*pow)*base + uint64(t[k+w])
	}
	return out, nil
}

// compareBudget is the most quote comparisons locateAll makes in a text of
// n bytes: far more than any article's notes need (about one for each place
// a quote occurs), and a fraction of a second.
func compareBudget(n int) int { return 1<<24 + 32*n }
