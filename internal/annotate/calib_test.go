package annotate

import (
	"bytes"
	"testing"

	"golang.org/x/net/html"
)

func BenchmarkCalibTokenizer(b *testing.B) {
	art, _, _ := benchArticle()
	b.SetBytes(int64(len(art)))
	for b.Loop() {
		z := html.NewTokenizer(bytes.NewReader(art))
		for z.Next() != html.ErrorToken {
		}
	}
}

func BenchmarkCalibScan(b *testing.B) {
	art, _, _ := benchArticle()
	b.SetBytes(int64(len(art)))
	for b.Loop() {
		scan(art)
	}
}
