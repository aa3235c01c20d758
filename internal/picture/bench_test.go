package picture

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The pictures' cost and size at the scale of a big dossier: 10,000
// articles, 300 events, 60 people and organisations. (The build draws the
// entity pictures once per change of what they show, on every core.)

func BenchmarkCount10000(b *testing.B) {
	sets := randomSets(10000, 60, 1)
	for b.Loop() {
		Count(60, sets)
	}
}

func BenchmarkConnections40(b *testing.B) {
	nodes, c := nodesOf(60), Count(60, randomSets(10000, 60, 1))
	var p *GraphPicture
	for b.Loop() {
		p = Connections(nodes, c, 40)
	}
	b.ReportMetric(float64(len(p.SVG)), "svg-bytes")
}

func BenchmarkEgo12(b *testing.B) {
	nodes, c := nodesOf(60), Count(60, randomSets(10000, 60, 1))
	var p *GraphPicture
	for b.Loop() {
		p = Ego(nodes, c, 3, 12)
	}
	b.ReportMetric(float64(len(p.SVG)), "svg-bytes")
}

func BenchmarkCoverage10000(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	dated := make([]Dated, 10000)
	for i := range dated {
		dated[i] = Dated{Outlet: fmt.Sprintf("Outlet %d", r.IntN(12)), Date: day(i * 5 / 27)}
	}
	var p *CoveragePicture
	for b.Loop() {
		p = Coverage(dated, nil)
	}
	b.ReportMetric(float64(len(p.SVG)), "svg-bytes")
}

func BenchmarkTimeline300(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	events := make([]Event, 300)
	for i := range events {
		d := r.IntN(1800)
		e := Event{Href: fmt.Sprintf("#e%d", i), Date: day(d), Title: fmt.Sprintf("Event %d", i)}
		for k := range 1 + r.IntN(6) {
			e.Reports = append(e.Reports, Report{Href: fmt.Sprintf("/a/%d/", r.IntN(10000)), Date: day(d + k), Label: "A report"})
		}
		events[i] = e
	}
	var p *TimelinePicture
	for b.Loop() {
		p = Timeline(events)
	}
	b.ReportMetric(float64(len(p.SVG)), "svg-bytes")
}
