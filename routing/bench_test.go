package routing

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// hubGraph builds a graph of channels with a few hundred hubs and many wallets: wallets
// attach to 1-2 random hubs, hubs to each other, both directions announced.
func hubGraph(b *testing.B, channels int) (*Graph, int) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	const hubs = 300
	g := NewGraph(Config{MaxChannels: channels})
	c, nodes := 0, hubs
	add := func(x, y int) {
		for _, d := range [][2]int{{x, y}, {y, x}} {
			e := Edge{Channel: chanID(c), From: addr(d[0]), To: addr(d[1]), Capacity: big.NewInt(1e18 + rng.Int64N(1e18)),
				Fee: FeePolicy{Flat: big.NewInt(rng.Int64N(1e9)), PPM: uint32(rng.IntN(5_000))}, Sequence: 1, Updated: epoch}
			if err := g.Upsert(e); err != nil {
				b.Fatal(err)
			}
		}
		c++
	}
	for c < channels/3 { // hub backbone
		x, y := rng.IntN(hubs), rng.IntN(hubs)
		if x != y {
			add(x, y)
		}
	}
	for c < channels { // wallets and merchants
		add(nodes, rng.IntN(hubs))
		if rng.IntN(2) == 0 && c < channels {
			add(nodes, rng.IntN(hubs))
		}
		nodes++
	}
	return g, nodes
}

func BenchmarkRoute10kChannels(b *testing.B) {
	g, nodes := hubGraph(b, 10_000)
	rng := rand.New(rand.NewPCG(3, 4))
	amount := big.NewInt(1e15)
	b.ReportAllocs()
	b.ResetTimer()
	found := 0
	for i := 0; i < b.N; i++ {
		from, to := 300+rng.IntN(nodes-300), 300+rng.IntN(nodes-300)
		if from == to {
			to = 300 + (to-300+1)%(nodes-300)
		}
		if _, err := g.Route(Request{From: addr(from), To: addr(to), Amount: amount}); err == nil {
			found++
		}
	}
	b.ReportMetric(float64(found)/float64(b.N), "found/op")
}
