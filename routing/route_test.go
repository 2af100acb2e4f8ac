package routing

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
)

// checkRoute re-derives everything a route claims from the edges it names.
func checkRoute(t *testing.T, g *Graph, req Request, r Route) {
	t.Helper()
	if len(r.Hops) == 0 || r.Hops[0].From != req.From || r.Hops[len(r.Hops)-1].To != req.To {
		t.Fatalf("route does not join %s to %s: %+v", req.From, req.To, r.Hops)
	}
	seen := map[any]bool{req.From: true}
	for i, h := range r.Hops {
		if i > 0 && h.From != r.Hops[i-1].To {
			t.Fatalf("hop %d not contiguous", i)
		}
		if seen[h.To] {
			t.Fatalf("hop %d revisits %s", i, h.To)
		}
		seen[h.To] = true
		e, ok := g.Edge(h.Channel, h.From)
		if !ok || e.To != h.To {
			t.Fatalf("hop %d: no edge %s from %s", i, h.Channel, h.From)
		}
		if e.Capacity.Cmp(h.Amount) < 0 {
			t.Fatalf("hop %d carries %s over capacity %s", i, h.Amount, e.Capacity)
		}
		if req.Exclude != nil && req.Exclude.HasChannel(h.Channel) {
			t.Fatalf("hop %d uses excluded channel", i)
		}
		want := new(big.Int)
		if i > 0 {
			want = e.Fee.Fee(h.Amount)
		}
		if h.Fee.Cmp(want) != 0 {
			t.Fatalf("hop %d fee %s, policy %s says %s", i, h.Fee, e.Fee, want)
		}
		if i > 0 {
			if sum := new(big.Int).Add(h.Amount, h.Fee); sum.Cmp(r.Hops[i-1].Amount) != 0 {
				t.Fatalf("hop %d: previous hop carries %s, want amount+fee %s", i, r.Hops[i-1].Amount, sum)
			}
		}
	}
	if r.Hops[len(r.Hops)-1].Amount.Cmp(req.Amount) != 0 || r.Amount.Cmp(req.Amount) != 0 {
		t.Fatalf("payee receives %s, want %s", r.Hops[len(r.Hops)-1].Amount, req.Amount)
	}
	if sum := new(big.Int).Add(r.Amount, r.Fee); sum.Cmp(r.Total) != 0 || r.Total.Cmp(r.Hops[0].Amount) != 0 {
		t.Fatalf("total %s, amount %s + fee %s, first hop %s", r.Total, r.Amount, r.Fee, r.Hops[0].Amount)
	}
}

func compareWithBruteForce(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	n := 3 + rng.IntN(8)
	g, edges := randomGraph(rng, n, n+rng.IntN(3*n), 5_000)
	maxHops := 1 + rng.IntN(5)
	for q := 0; q < 20; q++ {
		from, to := addr(rng.IntN(n)), addr(rng.IntN(n))
		if from == to {
			continue
		}
		var x *Exclusions
		if rng.IntN(3) == 0 {
			x = &Exclusions{}
			x.Channel(chanID(rng.IntN(3 * n)))
			x.Node(addr(rng.IntN(n)))
		}
		req := Request{From: from, To: to, Amount: big.NewInt(1 + rng.Int64N(3_000)), MaxHops: maxHops, Exclude: x}
		wantFee, wantHops, found := bruteForce(edges, from, to, req.Amount, maxHops, x)
		r, err := g.Route(req)
		if !found {
			if !errors.Is(err, ErrNoRoute) {
				t.Fatalf("seed %d query %d: model finds no route, Route gave %v / %+v", seed, q, err, r)
			}
			continue
		}
		if err != nil {
			t.Fatalf("seed %d query %d: model fee %s in %d hops, Route: %v", seed, q, wantFee, wantHops, err)
		}
		checkRoute(t, g, req, r)
		if r.Fee.Cmp(wantFee) != 0 || len(r.Hops) != wantHops {
			t.Fatalf("seed %d query %d: Route fee %s in %d hops, model %s in %d", seed, q, r.Fee, len(r.Hops), wantFee, wantHops)
		}
		// maxFee: exactly the cheapest passes, one wei less is refused with the figure.
		req.MaxFee = wantFee
		if _, err := g.Route(req); err != nil {
			t.Fatalf("seed %d: maxFee = cheapest fee refused: %v", seed, err)
		}
		if wantFee.Sign() > 0 {
			req.MaxFee = new(big.Int).Sub(wantFee, big.NewInt(1))
			_, err := g.Route(req)
			var fe *FeeTooHighError
			if !errors.As(err, &fe) || !errors.Is(err, ErrFeeTooHigh) || fe.Fee.Cmp(wantFee) != 0 {
				t.Fatalf("seed %d: maxFee one below: %v", seed, err)
			}
		}
	}
}

func TestRouteMatchesBruteForceOnRandomGraphs(t *testing.T) {
	for seed := uint64(0); seed < 400; seed++ {
		compareWithBruteForce(t, seed)
	}
}

func FuzzRouteMatchesBruteForce(f *testing.F) {
	for _, s := range []uint64{1, 7, 42, 1 << 40} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) { compareWithBruteForce(t, seed) })
}

// A cheap path that cannot carry the amount plus its downstream fees loses to a dearer one
// that can: capacity is checked against what each hop must really carry.
func TestRouteCountsDownstreamFeesAgainstCapacity(t *testing.T) {
	g := NewGraph(Config{})
	up := func(c, from, to int, capacity int64, flat int64, ppm uint32) {
		t.Helper()
		err := g.Upsert(Edge{Channel: chanID(c), From: addr(from), To: addr(to), Capacity: big.NewInt(capacity),
			Fee: FeePolicy{Flat: big.NewInt(flat), PPM: ppm}, Sequence: 1, Updated: epoch})
		if err != nil {
			t.Fatal(err)
		}
	}
	// payer 0 -> hub 1 -> payee 3 costs 10 at hub 1; 0 -> hub 2 -> 3 costs 20 at hub 2.
	up(1, 0, 1, 1_009, 0, 0) // can carry 1,009: one short of 1,000 + 10
	up(2, 1, 3, 10_000, 10, 0)
	up(3, 0, 2, 10_000, 0, 0)
	up(4, 2, 3, 10_000, 20, 0)
	r, err := g.Route(Request{From: addr(0), To: addr(3), Amount: big.NewInt(1_000)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Hops[0].Channel != chanID(3) || r.Fee.Int64() != 20 {
		t.Fatalf("want the dearer route via hub 2 (fee 20), got %v fee %s", r.Channels(), r.Fee)
	}
	// A newer announcement of channel 1 with 1,010: now it fits.
	if err := g.Upsert(Edge{Channel: chanID(1), From: addr(0), To: addr(1), Capacity: big.NewInt(1_010), Sequence: 5, Updated: epoch}); err != nil {
		t.Fatal(err)
	}
	r, err = g.Route(Request{From: addr(0), To: addr(3), Amount: big.NewInt(1_000)})
	if err != nil || r.Fee.Int64() != 10 {
		t.Fatalf("with capacity 1,010 the cheap route fits: %v fee %v", err, r.Fee)
	}
}

func TestRouteHonoursHopBoundAndExclusions(t *testing.T) {
	g := NewGraph(Config{MaxHops: 2})
	for i := 0; i < 4; i++ { // line 0-1-2-3-4
		for _, d := range [][2]int{{i, i + 1}, {i + 1, i}} {
			if err := g.Upsert(Edge{Channel: chanID(i), From: addr(d[0]), To: addr(d[1]), Capacity: big.NewInt(1e6), Sequence: 1, Updated: epoch}); err != nil {
				t.Fatal(err)
			}
		}
	}
	amt := big.NewInt(5)
	if _, err := g.Route(Request{From: addr(0), To: addr(3), Amount: amt}); !errors.Is(err, ErrNoRoute) {
		t.Fatalf("3 hops under a bound of 2: %v", err)
	}
	if r, err := g.Route(Request{From: addr(0), To: addr(3), Amount: amt, MaxHops: 3}); err != nil || len(r.Hops) != 3 {
		t.Fatalf("3 hops under a request bound of 3: %v %+v", err, r)
	}
	x := &Exclusions{}
	x.Node(addr(1))
	if _, err := g.Route(Request{From: addr(0), To: addr(2), Amount: amt, Exclude: x}); !errors.Is(err, ErrNoRoute) {
		t.Fatalf("only forwarder excluded: %v", err)
	}
	x = &Exclusions{}
	x.Node(addr(0)) // the payer itself: no effect
	if _, err := g.Route(Request{From: addr(0), To: addr(1), Amount: amt, Exclude: x}); err != nil {
		t.Fatalf("excluding the payer must not stop it paying: %v", err)
	}
}

func TestRouteRefusesBadRequests(t *testing.T) {
	g := NewGraph(Config{})
	for name, req := range map[string]Request{
		"nil amount":   {From: addr(0), To: addr(1)},
		"zero amount":  {From: addr(0), To: addr(1), Amount: new(big.Int)},
		"self":         {From: addr(0), To: addr(0), Amount: big.NewInt(1)},
		"negative fee": {From: addr(0), To: addr(1), Amount: big.NewInt(1), MaxFee: big.NewInt(-1)},
		"too large":    {From: addr(0), To: addr(1), Amount: new(big.Int).Lsh(big.NewInt(1), 128)},
	} {
		if _, err := g.Route(req); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
