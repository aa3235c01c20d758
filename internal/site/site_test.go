package site

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dossier-news/dossier/internal/content"
)

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"The St. Petersburg Times": "the-st-petersburg-times",
		"AFP":                      "afp",
		"Voice of America":         "voice-of-america",
		"America's  Voice!":        "americas-voice",
		"  ":                       "",
		"Recep Tayyip Erdoğan":     "recep-tayyip-erdogan",
		"Süddeutsche Zeitung":      "suddeutsche-zeitung",
		"Коммерсантъ":              "kommersant",
	}
	for in, want := range tests {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestContainsWordAndKeywords(t *testing.T) {
	tests := []struct {
		text, kw string
		want     bool
	}{
		{"iran's nuclear program", "iran", true},
		{"iranian weapons", "iran", true},
		{"tehrani said", "iran", false},
		{"the missile shield", "missile shield", true},
		{"secretary of state", "islamic state", false},
	}
	for _, tc := range tests {
		if got := containsWord(tc.text, tc.kw); got != tc.want {
			t.Errorf("containsWord(%q, %q) = %v", tc.text, tc.kw, got)
		}
	}
	kw := Keywords(&content.Topic{Title: "Islamic State", Keywords: []string{"ISIS"}})
	if strings.Join(kw, "|") != "isis|islamic state" {
		t.Errorf("editor keywords must not be diluted by title words: %v", kw)
	}
	kw = Keywords(&content.Topic{Title: "Iran's nuclear programme"})
	if strings.Join(kw, "|") != "iran's nuclear programme|iran|nuclear|programme" {
		t.Errorf("title keywords = %v", kw)
	}
}

func article(slug, date string, topics ...string) *content.Article {
	d, _ := content.ParseDate(date)
	return &content.Article{Slug: slug, Title: strings.ToUpper(slug), Outlet: "AFP", Date: d, Topics: topics, Source: content.Source{Hash: slug}}
}

func TestAssembleOrderRelatedAndNeighbours(t *testing.T) {
	c := &content.Content{
		Topics: []*content.Topic{{Slug: "syria", Title: "Syria"}, {Slug: "iran", Title: "Iran"}},
		Articles: []*content.Article{
			article("a", "2013-05-01", "syria"),
			article("b", "2013-05-02", "syria", "iran"),
			article("c", "2013-05-03", "syria", "iran"),
			article("d", "2013-06-30", "iran"),
		},
	}
	s := Assemble(c, Inputs{Bodies: make([]*Body, len(c.Articles)), BaseURL: "https://x.org/", BasePath: "/"}, nil)
	var order []string
	for _, a := range s.Articles {
		order = append(order, a.Slug())
	}
	if strings.Join(order, "") != "dcba" {
		t.Fatalf("newest first: %v", order)
	}
	b := s.ArticleBySlug("b")
	if b.Newer.Slug != "c" || b.Older.Slug != "a" {
		t.Errorf("neighbours of b: %s, %s", b.Newer.Slug, b.Older.Slug)
	}
	// c shares two topics with b: it must come first; then by nearness in time.
	var rel []string
	for _, r := range b.Related {
		rel = append(rel, r.Slug)
	}
	if strings.Join(rel, "") != "cad" {
		t.Errorf("related of b = %v, want c (two shared topics), a (1 day), d", rel)
	}
	if len(s.TopicBySlug["iran"].Items) != 3 || len(s.Outlets) != 1 || len(s.Outlets[0].Articles) != 4 {
		t.Errorf("topic or outlet lists wrong")
	}
}

func TestRelatedIsBoundedOnLargeTopics(t *testing.T) {
	c := &content.Content{Topics: []*content.Topic{{Slug: "syria", Title: "Syria"}}}
	for i := 0; i < 2000; i++ {
		c.Articles = append(c.Articles, article(fmt.Sprintf("a%04d", i), fmt.Sprintf("2013-%02d-%02d", 1+i%12, 1+i%28), "syria"))
	}
	s := Assemble(c, Inputs{Bodies: make([]*Body, len(c.Articles)), BaseURL: "/", BasePath: "/"}, nil)
	for _, a := range s.Articles {
		if len(a.Related) != relatedMax {
			t.Fatalf("%s has %d related", a.Slug(), len(a.Related))
		}
		for _, r := range a.Related {
			if r == a.Card {
				t.Fatalf("%s is related to itself", a.Slug())
			}
		}
	}
}

// A timeline event that lists an article or topic twice shows it once, as
// an article listing a topic twice does: the timeline said "Reported in:
// AFP, AFP" and the article's page listed the event twice (found by hostile
// testing).
func TestEventListsEachArticleAndTopicOnce(t *testing.T) {
	d, _ := content.ParseDate("2013-05-07")
	c := &content.Content{
		Topics:   []*content.Topic{{Slug: "syria", Title: "Syria"}},
		Articles: []*content.Article{article("a", "2013-05-01", "syria", "syria"), article("b", "2013-05-02", "syria")},
		Timeline: []*content.Event{{Date: d, Title: "Talks", Articles: []string{"a", "b", "a"}, Topics: []string{"syria", "syria"}}},
	}
	s := Assemble(c, Inputs{Bodies: make([]*Body, len(c.Articles)), BaseURL: "https://x.org/", BasePath: "/"}, nil)
	ev := s.Events[0]
	if len(ev.Articles) != 2 || len(ev.Topics) != 1 {
		t.Errorf("event lists %d articles and %d topics, want 2 and 1", len(ev.Articles), len(ev.Topics))
	}
	if n := len(s.ArticleBySlug("a").Events); n != 1 {
		t.Errorf("article a lists %d events, want 1", n)
	}
	if n := len(s.ArticleBySlug("a").Card.Topics); n != 1 {
		t.Errorf("article a lists %d topics, want 1", n)
	}
}
