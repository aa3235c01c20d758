package annotate

import "strings"

// Near-match search for "did you mean". It only runs when a quote is not
// found, but must stay fast on a large article: one linear pass scores every
// window of the quote's length by the trigrams it shares with the quote, then
// edit distance ranks a handful of the best windows, snapped to whole words.

const (
	suggestCandidates = 6   // windows refined with edit distance
	suggestMaxEdit    = 400 // longest quote (bytes) worth an edit-distance pass
	suggestMaxScan    = 80  // how far to look for a word edge, in bytes
)

// nearest returns the text range most like q, or false when nothing is close.
func (s *stream) nearest(q string) (int, int, bool) {
	t := s.text
	L := len(q)
	g := min(3, L)
	if L == 0 || len(t) < g {
		return 0, 0, false
	}
	key := func(x string, i int) uint32 {
		var k uint32
		for j := 0; j < g; j++ {
			k = k<<8 | uint32(x[i+j])
		}
		return k
	}
	grams := make(map[uint32]struct{}, L)
	for i := 0; i+g <= L; i++ {
		grams[key(q, i)] = struct{}{}
	}
	P := len(t) - g + 1 // gram positions in the text
	W := L - g + 1      // grams in a window of the quote's length
	hits := make([]uint8, P)
	for i := range P {
		if _, ok := grams[key(t, i)]; ok {
			hits[i] = 1
		}
	}
	type cand struct{ pos, score int }
	var top []cand
	sum := 0
	for i := 0; i < min(W, P); i++ {
		sum += int(hits[i])
	}
	for i := 0; i < P; i++ {
		if sum > 0 {
			merged := false
			for c := range top {
				if d := top[c].pos - i; d > -L && d < L {
					if sum > top[c].score {
						top[c] = cand{i, sum}
					}
					merged = true
					break
				}
			}
			if !merged {
				if len(top) < suggestCandidates {
					top = append(top, cand{i, sum})
				} else {
					w := 0
					for c := range top {
						if top[c].score < top[w].score {
							w = c
						}
					}
					if sum > top[w].score {
						top[w] = cand{i, sum}
					}
				}
			}
		}
		sum -= int(hits[i])
		if i+W < P {
			sum += int(hits[i+W])
		}
	}
	if len(top) == 0 {
		return 0, 0, false
	}

	if L > suggestMaxEdit {
		// Too long for edit distance: trust the trigram score.
		best := top[0]
		for _, c := range top {
			if c.score > best.score {
				best = c
			}
		}
		if best.score*2 < W {
			return 0, 0, false
		}
		b0, b1, _ := s.blockRange(best.pos)
		a := s.wordStart(best.pos, b0)
		return a, s.wordEnd(min(a+L, b1), b1), true
	}

	qr := []rune(q)
	bestD, bestA, bestB := -1, 0, 0
	for _, c := range top {
		b0, b1, _ := s.blockRange(c.pos)
		ws := s.wordStart(c.pos, b0)
		starts := []int{ws, s.wordStart(max(ws-1, b0), b0), s.nextWord(ws, b1)}
		for _, a := range starts {
			if a >= b1 {
				continue
			}
			end := min(a+L, b1)
			w1, w2 := s.wordEnd(end, b1), s.prevWordEnd(end, a)
			// Each end also without the punctuation that follows a word.
			for _, b := range []int{w1, trimPunct(t, a, w1), w2, trimPunct(t, a, w2)} {
				if b <= a {
					continue
				}
				d := levenshtein(qr, []rune(t[a:b]))
				if bestD < 0 || d < bestD {
					bestD, bestA, bestB = d, a, b
				}
			}
		}
	}
	if bestD < 0 || bestD*2 > len(qr) {
		return 0, 0, false
	}
	return bestA, bestB, true
}

// wordStart moves p back to the start of its word, not before b0.
func (s *stream) wordStart(p, b0 int) int {
	for n := 0; p > b0 && s.text[p-1] != ' ' && n < suggestMaxScan; n++ {
		p--
	}
	return p
}

// nextWord returns the start of the word after the one at p.
func (s *stream) nextWord(p, b1 int) int {
	for n := 0; p < b1 && s.text[p] != ' ' && n < suggestMaxScan; n++ {
		p++
	}
	if p < b1 {
		p++
	}
	return p
}

// wordEnd moves p forward to the end of its word, not past b1.
func (s *stream) wordEnd(p, b1 int) int {
	for n := 0; p < b1 && s.text[p] != ' ' && n < suggestMaxScan; n++ {
		p++
	}
	return p
}

// prevWordEnd moves p back to the end of the previous whole word, not before a.
func (s *stream) prevWordEnd(p, a int) int {
	if p < len(s.text) && s.text[p] == ' ' {
		return p
	}
	for n := 0; p > a && s.text[p-1] != ' ' && n < suggestMaxScan; n++ {
		p--
	}
	if p > a {
		p-- // the space
	}
	return p
}

// trimPunct moves b back over trailing punctuation, not before a.
func trimPunct(t string, a, b int) int {
	for b > a && strings.IndexByte(",.;:!?)]\"'", t[b-1]) >= 0 {
		b--
	}
	return b
}

// levenshtein is the edit distance between two rune strings, in two rows.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c = 1 + min(c, prev[j], cur[j-1])
			}
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
