package picture

import (
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dossier-news/dossier/internal/content"
)

func date(t testing.TB, s string) content.Date {
	t.Helper()
	d, err := content.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// day returns the date n days after 1 January 2000.
func day(n int) content.Date {
	tt := time.Date(2000, 1, 1+n, 0, 0, 0, 0, time.UTC)
	return content.Date{Year: tt.Year(), Month: int(tt.Month()), Day: tt.Day(), Precision: content.Day}
}

var regexpCircle = regexp.MustCompile(`<circle[^>]* cx="([-0-9.]+)" cy="([-0-9.]+)"`)

// svgDoc is what a picture holds, read back as XML: its root's attributes,
// the elements it uses, and every text (titles, descriptions, labels).
type svgDoc struct {
	root     map[string]string
	elements map[string]int
	texts    []string
	links    []string
}

// parse reads a picture as XML: it must be well formed, and every text in it
// escaped.
func parse(t *testing.T, svg string) svgDoc {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	d.Strict = true
	doc := svgDoc{root: map[string]string{}, elements: map[string]int{}}
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the picture is not well-formed: %v\n%.600s", err, svg)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			doc.elements[e.Name.Local]++
			for _, a := range e.Attr {
				if depth == 0 {
					doc.root[a.Name.Local] = a.Value
				}
				if a.Name.Local == "href" {
					doc.links = append(doc.links, a.Value)
				}
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") || a.Name.Local == "style" {
					t.Errorf("attribute %s=%q in the picture", a.Name.Local, a.Value)
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if s := strings.TrimSpace(string(e)); s != "" {
				doc.texts = append(doc.texts, s)
			}
		}
	}
	return doc
}

func (d svgDoc) hasText(s string) bool {
	for _, x := range d.texts {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// hostile are names an editor might write, or an attacker slip in.
var hostile = []string{
	`</title><script>alert(1)</script>`,
	`"><svg onload="alert(2)">`,
	`Smith & Wesson <Ltd>`,
	`O'Brien's "quotes"`,
	`]]><!-- --> &amp; &#x3c;`,
}

func TestPicturesEscapeEveryText(t *testing.T) {
	var events []Event
	var dated []Dated
	outlets := map[string]string{}
	var nodes []Node
	var sets [][]int
	for i, h := range hostile {
		d := day(i * 3)
		events = append(events, Event{Href: "#e" + strconv.Itoa(i), Date: d, Title: h,
			Reports: []Report{{Href: "/a/" + strconv.Itoa(i) + "/?x=1&y=" + h, Date: d, Label: h}}})
		dated = append(dated, Dated{Outlet: h, Date: d})
		outlets[h] = "/outlets/" + strconv.Itoa(i) + "/"
		nodes = append(nodes, Node{Name: h, Href: "/e/" + strconv.Itoa(i) + "/", Kind: `person" onclick="x`})
		sets = append(sets, []int{0, i})
	}
	cm := Count(len(nodes), sets)
	pics := map[string]string{
		"timeline":    string(Timeline(events).SVG),
		"coverage":    string(Coverage(dated, outlets).SVG),
		"connections": string(Connections(nodes, cm, 40).SVG),
		"ego":         string(Ego(nodes, cm, 0, 12).SVG),
	}
	for name, svg := range pics {
		t.Run(name, func(t *testing.T) {
			doc := parse(t, svg)
			if doc.elements["script"] > 0 || doc.elements["foreignObject"] > 0 {
				t.Errorf("markup from a name became an element: %v", doc.elements)
			}
			if doc.elements["svg"] != 1 {
				t.Errorf("%d svg elements, want 1", doc.elements["svg"])
			}
			for _, h := range hostile {
				if r := []rune(h); !doc.hasText(string(r[:min(20, len(r))])) {
					t.Errorf("the name %q is not in the picture's text", h)
				}
			}
		})
	}
}

// Every picture is accessible: a group (its marks are links) or an image,
// named by its title and described by its description.
func TestPicturesAreNamedAndDescribed(t *testing.T) {
	cm := Count(3, [][]int{{0, 1}, {1, 2}})
	nodes := []Node{{"A", "/a/", "person"}, {"B", "/b/", "person"}, {"C", "/c/", "organisation"}}
	for name, tc := range map[string]struct {
		svg  string
		role string
	}{
		"timeline":    {string(Timeline([]Event{{Href: "#e", Date: day(0), Title: "x", Reports: []Report{{"/r/", day(1), "r"}}}}).SVG), "group"},
		"coverage":    {string(Coverage([]Dated{{"AFP", day(0)}}, nil).SVG), "img"},
		"connections": {string(Connections(nodes, cm, 40).SVG), "group"},
	} {
		doc := parse(t, tc.svg)
		if doc.root["role"] != tc.role {
			t.Errorf("%s: role %q, want %q", name, doc.root["role"], tc.role)
		}
		title, desc := doc.root["aria-labelledby"], doc.root["aria-describedby"]
		if title == "" || desc == "" || !strings.Contains(tc.svg, `<title id="`+title+`">`) || !strings.Contains(tc.svg, `<desc id="`+desc+`">`) {
			t.Errorf("%s: not named by its <title> and described by its <desc>: %v", name, doc.root)
		}
		if tc.role == "img" && len(doc.links) > 0 {
			t.Errorf("%s: an img holds links %v (its children are presentational)", name, doc.links)
		}
		if tc.role == "group" && doc.elements["a"] == 0 {
			t.Errorf("%s: no mark is a link", name)
		}
		if doc.elements["a"] != strings.Count(tc.svg, "<a href=") || doc.elements["a"] > doc.elements["title"]-1 {
			t.Errorf("%s: a link without a <title> naming it", name)
		}
		if strings.Contains(tc.svg, "fill=\"#") || strings.Contains(tc.svg, "stroke=\"#") {
			t.Errorf("%s: colours in the markup: themes cannot restyle it", name)
		}
	}
}

func timelineOf(n int, step int) []Event {
	var events []Event
	for i := range n {
		d := day(i * step)
		events = append(events, Event{Href: fmt.Sprintf("#e%d", i), Date: d, Title: fmt.Sprintf("Event %d", i),
			Reports: []Report{{Href: fmt.Sprintf("/a/%d/", i), Date: day(i*step + 1), Label: fmt.Sprintf("Report %d", i)}}})
	}
	return events
}

// Dense input is drawn by month or year, in a bounded number of marks and
// bytes; sparse input one mark a day.
func TestTimelineAggregates(t *testing.T) {
	for _, tc := range []struct {
		name     string
		events   []Event
		unit     Unit
		maxMarks int
	}{
		{"a few days", timelineOf(5, 9), Day, 10},
		{"a week a day", timelineOf(7, 1), Day, 14},
		{"two years of days", timelineOf(700, 1), Month, 60},
		{"twenty years of days", timelineOf(7300, 1), Year, 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Timeline(tc.events)
			if p.Unit != tc.unit {
				t.Errorf("unit %s, want %s", p.Unit, tc.unit)
			}
			doc := parse(t, string(p.SVG))
			if marks := doc.elements["a"]; marks > tc.maxMarks || marks == 0 {
				t.Errorf("%d marks, want 1 to %d", marks, tc.maxMarks)
			}
			if p.Events != len(tc.events) || p.Reports != len(tc.events) {
				t.Errorf("counts %d events, %d reports, want %d", p.Events, p.Reports, len(tc.events))
			}
			if len(p.SVG) > 40<<10 {
				t.Errorf("%d bytes", len(p.SVG))
			}
		})
	}
	// A mark standing for several events names the period and how many.
	p := Timeline(timelineOf(7300, 1))
	if !regexp.MustCompile(`<title>2003: 365 events: [^<]+; …</title>`).MatchString(string(p.SVG)) {
		t.Errorf("no mark names its year and number of events:\n%.800s", p.SVG)
	}
}

// A story told across decades gets its quiet stretches cut from the axis.
func TestAxisCutsLongGaps(t *testing.T) {
	var ts []float64
	for _, s := range []string{"1971", "2013-05-06", "2013-05-07", "2013-05-08", "2015-12-15"} {
		ts = append(ts, binOf(date(t, s), Day).t)
	}
	ax := newAxis(ts, 0, 900)
	if len(ax.segs) != 3 {
		t.Fatalf("%d segments, want 3 (1971, May 2013, December 2015)", len(ax.segs))
	}
	if w := ax.segs[1].x1 - ax.segs[1].x0; w < 400 {
		t.Errorf("the busy segment is %.0f units wide: it should get most of the width", w)
	}
	var x []float64
	for _, v := range ts {
		x = append(x, ax.x(v))
	}
	for i := 1; i < len(x); i++ {
		if x[i] <= x[i-1] {
			t.Errorf("times out of order on the axis: %v", x)
		}
	}
	// Every segment of its own is named; the days of a short one too.
	var dated []Dated
	for _, s := range []string{"2013-05-03", "2013-05-07", "2013-05-07", "2013-05-08", "2015-12-15"} {
		dated = append(dated, Dated{Outlet: "AFP", Date: date(t, s)})
	}
	doc := parse(t, string(Coverage(dated, nil).SVG))
	for _, want := range []string{"3 May 2013", "7 May", "8 May", "15 Dec 2015"} {
		found := false
		for _, x := range doc.texts {
			found = found || x == want
		}
		if !found {
			t.Errorf("the axis lacks the label %q: %q", want, doc.texts)
		}
	}
	// Times close together stay on one linear segment.
	ax = newAxis([]float64{0, 10, 20, 30}, 0, 900)
	if len(ax.segs) != 1 {
		t.Errorf("%d segments for a month of days", len(ax.segs))
	}
}

func TestCoverageAggregates(t *testing.T) {
	var dated []Dated
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 10000 {
		dated = append(dated, Dated{Outlet: fmt.Sprintf("Outlet %02d", r.IntN(20)), Date: day(i)})
	}
	p := Coverage(dated, nil)
	if p.Unit != Year {
		t.Errorf("10,000 days drawn by %s, want year", p.Unit)
	}
	if len(p.Outlets) != cvMaxOutlets+1 || p.Outlets[cvMaxOutlets].Name != "8 other outlets" {
		t.Errorf("columns %v: want the 12 biggest outlets and 8 others", p.Outlets)
	}
	total := 0
	for _, row := range p.Rows {
		sum := 0
		for _, n := range row.Counts {
			sum += n
		}
		if sum != row.Total {
			t.Errorf("%s: total %d, counts add to %d", row.Period, row.Total, sum)
		}
		total += row.Total
	}
	if total != len(dated) {
		t.Errorf("the table counts %d articles, want %d", total, len(dated))
	}
	if len(p.Rows) != 28 { // 10,000 days from 2000 reach 2027
		t.Errorf("%d rows, want a year each", len(p.Rows))
	}
	if doc := parse(t, string(p.SVG)); doc.elements["circle"] > len(p.Rows)*len(p.Outlets) {
		t.Errorf("%d dots for %d cells", doc.elements["circle"], len(p.Rows)*len(p.Outlets))
	}
	if len(p.SVG) > 60<<10 {
		t.Errorf("%d bytes", len(p.SVG))
	}
	// A few days stay days.
	if p := Coverage(dated[:5], nil); p.Unit != Day || len(p.Rows) != 5 {
		t.Errorf("five days drawn by %s in %d rows", p.Unit, len(p.Rows))
	}
}

func TestCount(t *testing.T) {
	c := Count(4, [][]int{{0, 1, 2}, {1, 2}, {2, 3}, {}, {1}})
	for _, tc := range []struct{ a, b, want int }{{0, 1, 1}, {1, 2, 2}, {2, 1, 2}, {2, 3, 1}, {0, 3, 0}, {1, 1, 0}} {
		if got := c.Between(tc.a, tc.b); got != tc.want {
			t.Errorf("Between(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if got := []int{c.Mentions(0), c.Mentions(1), c.Mentions(2), c.Mentions(3)}; fmt.Sprint(got) != "[1 3 3 1]" {
		t.Errorf("mentions %v", got)
	}
	if got := c.With(2); fmt.Sprint(got) != "[{2 1 2} {2 0 1} {2 3 1}]" {
		t.Errorf("With(2) = %v, want most articles first, then by index", got)
	}
}

// randomSets are the entity lists of n articles among e entities.
func randomSets(n, e int, seed uint64) [][]int {
	r := rand.New(rand.NewPCG(seed, 7))
	sets := make([][]int, n)
	for i := range sets {
		for _, k := range r.Perm(e)[:1+r.IntN(min(e, 8))] {
			sets[i] = append(sets[i], k)
		}
	}
	return sets
}

func nodesOf(n int) []Node {
	nodes := make([]Node, n)
	for i := range nodes {
		nodes[i] = Node{Name: fmt.Sprintf("Entity %d", i), Href: fmt.Sprintf("/entities/e%d/", i), Kind: "person"}
	}
	return nodes
}

// The same articles, in any order, give the same bytes: the layout's seed is
// fixed and nothing depends on map order.
func TestGraphIsDeterministic(t *testing.T) {
	sets := randomSets(300, 60, 1)
	nodes := nodesOf(60)
	want := Connections(nodes, Count(60, sets), 40)
	wantEgo := Ego(nodes, Count(60, sets), 3, 12)
	for i := range 5 {
		shuffled := append([][]int(nil), sets...)
		rand.New(rand.NewPCG(uint64(i), 9)).Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		c := Count(60, shuffled)
		if got := Connections(nodes, c, 40); got.SVG != want.SVG {
			t.Fatalf("run %d: a different connections picture from the same articles", i)
		}
		if got := Ego(nodes, c, 3, 12); got.SVG != wantEgo.SVG {
			t.Fatalf("run %d: a different picture of entity 3 from the same articles", i)
		}
	}
	if len(want.Shown) != 40 || want.More != 20 {
		t.Errorf("%d shown, %d more; want the 40 mentioned most and 20 more", len(want.Shown), want.More)
	}
	for i := 1; i < len(want.Shown); i++ {
		c := Count(60, sets)
		if c.Mentions(want.Shown[i]) > c.Mentions(want.Shown[i-1]) {
			t.Errorf("shown out of order of mentions: %v", want.Shown)
			break
		}
	}
	if len(wantEgo.Shown) != 13 || wantEgo.Shown[0] != 3 {
		t.Errorf("ego picture shows %v: want entity 3 and the 12 it appears with most", wantEgo.Shown)
	}
}

// Layouts that could trip the force-directed layout (two nodes, a star,
// a complete graph, nodes alike in every way) finish, inside the picture.
func TestGraphLayoutsStayInside(t *testing.T) {
	star := [][]int{}
	for i := 1; i < 41; i++ {
		star = append(star, []int{0, i})
	}
	all := make([]int, 41)
	for i := range all {
		all[i] = i
	}
	for _, tc := range []struct {
		name string
		sets [][]int
	}{
		{"two", [][]int{{0, 1}}},
		{"star", star},
		{"complete", [][]int{all, all, all}},
		{"pairs apart", [][]int{{0, 1}, {2, 3}, {4, 5}, {6, 7}}},
		{"random", randomSets(500, 41, 3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Connections(nodesOf(41), Count(41, tc.sets), 40)
			doc := parse(t, string(p.SVG))
			if doc.elements["circle"] != len(p.Shown) {
				t.Errorf("%d dots for %d entities", doc.elements["circle"], len(p.Shown))
			}
			for _, m := range regexpCircle.FindAllStringSubmatch(string(p.SVG), -1) {
				x, _ := strconv.ParseFloat(m[1], 64)
				y, _ := strconv.ParseFloat(m[2], 64)
				if x < 0 || x > grWidth || y < 0 || y > grHeight {
					t.Errorf("a dot at (%v, %v), outside the picture", x, y)
				}
			}
		})
	}
	if Connections(nodesOf(3), Count(3, [][]int{{0}, {1}, {2}}), 40) != nil {
		t.Error("a picture of connections where no two appear together")
	}
	if Ego(nodesOf(3), Count(3, [][]int{{0}, {1, 2}}), 0, 12) != nil {
		t.Error("a picture of who appears with an entity that appears with no one")
	}
}

// An article naming thousands of entities adds the pairs of its first
// PairEntities only (those it names most, listed first), not millions:
// 4,000 took 26 s and 1.6 GB (found by hostile testing). Each is still
// counted as mentioned.
func TestCountBoundsOneArticlesPairs(t *testing.T) {
	const n = 3000
	all := make([]int, n)
	for i := range all {
		all[i] = n - 1 - i
	}
	c := Count(n, [][]int{all, {0, 1}})
	if got, want := len(c.Pairs()), PairEntities*(PairEntities-1)/2+1; got != want {
		t.Errorf("%d pairs, want %d", got, want)
	}
	if c.Mentions(0) != 2 || c.Mentions(n-1) != 1 {
		t.Errorf("mentions %d, %d, want 2, 1", c.Mentions(0), c.Mentions(n-1))
	}
	if c.Between(n-1, n-2) != 1 || c.Between(n-1, n-1-PairEntities) != 0 || c.Between(0, 1) != 1 {
		t.Errorf("pairs among the first %d: %d, %d, %d", PairEntities, c.Between(n-1, n-2), c.Between(n-1, n-1-PairEntities), c.Between(0, 1))
	}
}
