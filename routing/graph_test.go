package routing

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

func edgeOf(c, from, to int, seq uint64, at time.Time) Edge {
	return Edge{Channel: chanID(c), From: addr(from), To: addr(to), Capacity: big.NewInt(1_000), Sequence: seq, Updated: at}
}

func TestUpsertReplacesOnlyWithHigherSequence(t *testing.T) {
	g := NewGraph(Config{})
	if err := g.Upsert(edgeOf(1, 0, 1, 5, epoch)); err != nil {
		t.Fatal(err)
	}
	for _, seq := range []uint64{5, 4, 0} {
		if err := g.Upsert(edgeOf(1, 0, 1, seq, epoch)); !errors.Is(err, ErrNotNewer) {
			t.Fatalf("sequence %d over 5: %v", seq, err)
		}
	}
	e := edgeOf(1, 0, 1, 6, epoch)
	e.Capacity = big.NewInt(7)
	if err := g.Upsert(e); err != nil {
		t.Fatal(err)
	}
	got, _ := g.Edge(chanID(1), addr(0))
	if got.Capacity.Int64() != 7 || got.Sequence != 6 {
		t.Fatalf("not replaced: %+v", got)
	}
	e.Capacity.SetInt64(1e9) // the graph keeps its own copy
	if got, _ := g.Edge(chanID(1), addr(0)); got.Capacity.Int64() != 7 {
		t.Fatal("graph aliases the caller's big.Int")
	}
}

func TestUpsertRefusesContradictionsAndBadShapes(t *testing.T) {
	g := NewGraph(Config{})
	if err := g.Upsert(edgeOf(1, 0, 1, 1, epoch)); err != nil {
		t.Fatal(err)
	}
	bad := []Edge{
		edgeOf(1, 1, 2, 1, epoch),                        // other direction names another partner
		edgeOf(1, 0, 2, 2, epoch),                        // same direction, partner changed
		edgeOf(2, 3, 3, 1, epoch),                        // self loop
		{Channel: chanID(3), From: addr(0), To: addr(1)}, // no capacity
		{Channel: chanID(3), From: addr(0), To: addr(1), Capacity: big.NewInt(-1)},
		{Channel: chanID(3), From: addr(0), To: addr(1), Capacity: big.NewInt(1), Fee: FeePolicy{PPM: MaxFeePPM + 1}},
	}
	for i, e := range bad {
		if err := g.Upsert(e); !errors.Is(err, ErrInvalidEdge) {
			t.Errorf("bad edge %d: %v", i, err)
		}
	}
	if ch, ed := g.Len(); ch != 1 || ed != 1 {
		t.Fatalf("bad edges changed the graph: %d channels, %d edges", ch, ed)
	}
}

func TestGraphIsBoundedAndPrunes(t *testing.T) {
	g := NewGraph(Config{MaxChannels: 2, MaxAge: time.Hour})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(g.Upsert(edgeOf(1, 0, 1, 1, epoch)))
	must(g.Upsert(edgeOf(1, 1, 0, 1, epoch.Add(50*time.Minute))))
	must(g.Upsert(edgeOf(2, 1, 2, 1, epoch)))
	if err := g.Upsert(edgeOf(3, 2, 3, 1, epoch)); !errors.Is(err, ErrGraphFull) {
		t.Fatalf("third channel under a bound of 2: %v", err)
	}
	if n := g.Prune(epoch.Add(61 * time.Minute)); n != 2 {
		t.Fatalf("pruned %d stale edges, want 2", n)
	}
	if _, ok := g.Edge(chanID(1), addr(1)); !ok {
		t.Fatal("the fresh direction was pruned")
	}
	must(g.Upsert(edgeOf(3, 2, 3, 1, epoch))) // room again
	n, err := g.PruneClosed(context.Background(), func(_ context.Context, id channel.ID) (bool, error) {
		return id != chanID(3), nil
	})
	if err != nil || n != 1 {
		t.Fatalf("PruneClosed: %d, %v", n, err)
	}
	if !g.RemoveChannel(chanID(1)) || g.RemoveChannel(chanID(1)) {
		t.Fatal("RemoveChannel reports wrongly")
	}
	if ch, ed := g.Len(); ch != 0 || ed != 0 || len(g.nodes) != 0 {
		t.Fatalf("left %d channels, %d edges, %d nodes", ch, ed, len(g.nodes))
	}
	// Node ids are reused: churn does not grow the tables.
	for i := 0; i < 100; i++ {
		must(g.Upsert(edgeOf(10+i, 100+i, 200+i, 1, epoch)))
		g.RemoveChannel(chanID(10 + i))
	}
	if len(g.addrs) > 4 {
		t.Fatalf("node table grew to %d under churn", len(g.addrs))
	}
}

func TestRemovedChannelIsNotRouted(t *testing.T) {
	g := NewGraph(Config{})
	_ = g.Upsert(edgeOf(1, 0, 1, 1, epoch))
	if _, err := g.Route(Request{From: addr(0), To: addr(1), Amount: big.NewInt(1)}); err != nil {
		t.Fatal(err)
	}
	g.RemoveChannel(chanID(1))
	if _, err := g.Route(Request{From: addr(0), To: addr(1), Amount: big.NewInt(1)}); !errors.Is(err, ErrNoRoute) {
		t.Fatalf("routed over a removed channel: %v", err)
	}
}
