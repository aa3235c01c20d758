package provenance

import (
	"math/rand/v2"
	"testing"
)

// apply checks that ops turn a into b, and returns how many tokens they keep.
func apply(t *testing.T, a, b []int32, ops []op) int {
	t.Helper()
	i, j, kept := 0, 0, 0
	for k, o := range ops {
		if o.n <= 0 {
			t.Fatalf("op %d has length %d", k, o.n)
		}
		if k > 0 && ops[k-1].kind == o.kind {
			t.Fatalf("ops %d and %d are of one kind: not merged", k-1, k)
		}
		switch o.kind {
		case opEqual:
			for x := 0; x < o.n; x++ {
				if i >= len(a) || j >= len(b) || a[i] != b[j] {
					t.Fatalf("equal step at a[%d], b[%d] does not match", i, j)
				}
				i, j = i+1, j+1
			}
			kept += o.n
		case opDelete:
			i += o.n
		case opInsert:
			j += o.n
		}
	}
	if i != len(a) || j != len(b) {
		t.Fatalf("ops cover a[:%d] of %d and b[:%d] of %d", i, len(a), j, len(b))
	}
	return kept
}

// lcs is the textbook quadratic longest common subsequence, for checking.
func lcs(a, b []int32) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func toTokens(data []byte, alphabet int) []int32 {
	out := make([]int32, len(data))
	for i, c := range data {
		out[i] = int32(int(c) % alphabet)
	}
	return out
}

func TestAlignSmall(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"", ""}, {"abc", ""}, {"", "abc"}, {"abc", "abc"}, {"abc", "abd"},
		{"abcabba", "cbabac"}, {"the cat sat", "the hat sat"}, {"aaaa", "aa"},
		{"xaxbxcx", "abc"}, {"abcdef", "fedcba"},
	} {
		a, b := toTokens([]byte(tc.a), 256), toTokens([]byte(tc.b), 256)
		ops := align(a, b, 256)
		if kept, want := apply(t, a, b, ops), lcs(a, b); kept != want {
			t.Errorf("%q vs %q: keeps %d tokens, the longest common subsequence has %d", tc.a, tc.b, kept, want)
		}
	}
}

// Fuzz: any two token sequences get a valid alignment, and a minimal one
// (as long as the longest common subsequence) when they are small.
func FuzzAlign(f *testing.F) {
	f.Add([]byte("the cat sat on the mat"), []byte("the cat sat on a mat"), uint8(7))
	f.Add([]byte("abcabba"), []byte("cbabac"), uint8(3))
	f.Add([]byte(""), []byte("x"), uint8(2))
	f.Fuzz(func(t *testing.T, x, y []byte, alpha uint8) {
		n := int(alpha%16) + 2
		a, b := toTokens(x, n), toTokens(y, n)
		kept := apply(t, a, b, align(a, b, n))
		if len(a)*len(b) <= 1<<16 {
			if want := lcs(a, b); kept != want {
				t.Fatalf("keeps %d tokens, the longest common subsequence has %d", kept, want)
			}
		}
	})
}

// With no budget left the alignment falls back to patience anchors and then
// to "all changed", and stays valid.
func TestAlignBudget(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	a := make([]int32, 3000)
	for i := range a {
		a[i] = int32(r.IntN(50))
	}
	b := make([]int32, 0, len(a))
	for i, t := range a {
		if i%7 != 3 {
			b = append(b, t)
		}
		if i%11 == 5 {
			b = append(b, int32(50+r.IntN(1000)))
		}
	}
	for _, work := range []int{0, 100, 10000, 1 << 30} {
		al := &aligner{a: a, b: b, vocab: 1050, work: work}
		al.diff(0, len(a), 0, len(b))
		kept := apply(t, a, b, al.ops)
		if work == 1<<30 {
			if want := lcs(a, b); kept != want {
				t.Errorf("unlimited budget: keeps %d, want %d", kept, want)
			}
		}
	}
}
