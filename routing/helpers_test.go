package routing

import (
	"math/big"
	"math/rand/v2"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

var epoch = time.Unix(1_800_000_000, 0)

func addr(i int) common.Address {
	var a common.Address
	a[0] = 0xaa
	a[18] = byte(i >> 8)
	a[19] = byte(i) + 1
	return a
}

func chanID(i int) channel.ID {
	var id channel.ID
	id[0] = 0xcc
	id[29] = byte(i >> 16)
	id[30] = byte(i >> 8)
	id[31] = byte(i)
	return id
}

// randomGraph builds a graph of n nodes and m channels with random capacities and fees,
// and returns the edges it holds.
func randomGraph(rng *rand.Rand, n, m int, maxCap int64) (*Graph, []Edge) {
	g := NewGraph(Config{MaxChannels: m + 1})
	var all []Edge
	for c := 0; c < m; c++ {
		a, b := rng.IntN(n), rng.IntN(n)
		if a == b {
			continue
		}
		for _, dir := range [][2]int{{a, b}, {b, a}} {
			if rng.IntN(5) == 0 {
				continue // one direction unannounced
			}
			e := Edge{
				Channel:  chanID(c),
				From:     addr(dir[0]),
				To:       addr(dir[1]),
				Capacity: big.NewInt(rng.Int64N(maxCap + 1)),
				Fee:      FeePolicy{Flat: big.NewInt(rng.Int64N(50)), PPM: uint32(rng.IntN(50_000))},
				Sequence: 1,
				Updated:  epoch,
			}
			if rng.IntN(4) == 0 {
				e.Fee.Flat = nil
			}
			if err := g.Upsert(e); err != nil {
				panic(err)
			}
			all = append(all, e)
		}
	}
	return g, all
}

// bruteForce is the independent model: enumerate every simple path of at most maxHops
// edges, price it backwards from the payee with FeePolicy.Fee, check every capacity, keep
// the lowest fee (ties: fewer hops). It shares nothing with Route but the fee formula.
func bruteForce(edges []Edge, from, to common.Address, amount *big.Int, maxHops int, x *Exclusions) (fee *big.Int, hops int, found bool) {
	out := map[common.Address][]Edge{}
	for _, e := range edges {
		out[e.From] = append(out[e.From], e)
	}
	var path []Edge
	seen := map[common.Address]bool{from: true}
	var walk func(at common.Address)
	walk = func(at common.Address) {
		if at == to {
			need := new(big.Int).Set(amount)
			for i := len(path) - 1; i >= 0; i-- {
				if path[i].Capacity.Cmp(need) < 0 {
					return
				}
				if i > 0 {
					need.Add(need, path[i].Fee.Fee(need))
				}
			}
			f := new(big.Int).Sub(need, amount)
			if !found || f.Cmp(fee) < 0 || (f.Cmp(fee) == 0 && len(path) < hops) {
				fee, hops, found = f, len(path), true
			}
			return
		}
		if len(path) == maxHops {
			return
		}
		for _, e := range out[at] {
			if seen[e.To] || (x != nil && (x.HasChannel(e.Channel) || (e.To != to && x.HasNode(e.To)))) {
				continue
			}
			seen[e.To] = true
			path = append(path, e)
			walk(e.To)
			path = path[:len(path)-1]
			seen[e.To] = false
		}
	}
	walk(from)
	return fee, hops, found
}
