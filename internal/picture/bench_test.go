package picture

import "testing"

func BenchmarkConnections40(b *testing.B) {
	sets := randomSets(300, 60, 1)
	nodes := nodesOf(60)
	c := Count(60, sets)
	for b.Loop() {
		Connections(nodes, c, 40)
	}
}

func BenchmarkEgo12(b *testing.B) {
	sets := randomSets(300, 60, 1)
	nodes := nodesOf(60)
	c := Count(60, sets)
	for b.Loop() {
		Ego(nodes, c, 3, 12)
	}
}
