package risk

import (
	"context"
	"encoding/binary"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// spread returns a request to the i-th of many distinct counterparties and channels.
func spread(i int, amount uint64) Request {
	var id channel.ID
	var a common.Address
	binary.BigEndian.PutUint32(id[:4], uint32(i)+1)
	binary.BigEndian.PutUint32(a[:4], uint32(i)+1)
	return Request{Client: "svc", Channel: id, Counterparty: a, Amount: new(big.Int).SetUint64(amount)}
}

func stateKeys(t *testing.T, st Store, prefix string) int {
	t.Helper()
	ms, err := st.ListMeta(nsState)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range ms {
		if strings.HasPrefix(m.Key, prefix) {
			n++
		}
	}
	return n
}

// Issue 15: the per-counterparty and per-channel records are evicted by age, in memory
// and on disk, once their longest window is empty; a record with a payment in any
// window stays, and its limits still hold.
func TestIdleRiskRecordsAreEvictedByAgeAndLimitsStillHold(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	cfg := Config{
		Clients:      map[string]ClientConfig{"svc": {Profile: ProfileService}},
		Counterparty: Limits{PerHour: WindowLimit{Count: 3}},
	}
	st := openStore(t, dir)
	e := newTestEngine(t, cfg, clock, st)
	ctx := context.Background()
	const many = 2000
	for i := range many {
		d := e.Decide(spread(i, 10))
		if d.Outcome != Approve {
			t.Fatalf("payment %d: %s %v", i, d.Outcome, d.Reasons.Strings())
		}
		e.Complete(&d)
	}
	if err := e.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if p, c := e.Tracked(); p != many || c != many {
		t.Fatalf("tracked %d parties, %d channels after %d payments", p, c, many)
	}
	// Within the longest window nothing may go: each record still limits its party.
	clock.Advance(23 * time.Hour)
	if n, err := e.EvictIdle(ctx); err != nil || n != 0 {
		t.Fatalf("evicted %d (%v) records with payments 23 h old, want none", n, err)
	}
	clock.Advance(90 * time.Minute) // 24 h 30 min: past the 24 h window and its last bucket
	// One party is busy again: three payments fill its hourly count.
	for range 3 {
		d := e.Decide(spread(7, 10))
		if d.Outcome != Approve {
			t.Fatalf("busy party: %s %v", d.Outcome, d.Reasons.Strings())
		}
		e.Complete(&d)
	}
	if err := e.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := e.EvictIdle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p, c := e.Tracked(); p != 1 || c != 1 || n != 2*(many-1) {
		t.Fatalf("after 24.5 h: evicted %d, tracked %d parties and %d channels; want %d evicted and the busy one kept", n, p, c, 2*(many-1))
	}
	if p, c := stateKeys(t, st, "party/"), stateKeys(t, st, "channel/"); p != 1 || c != 1 {
		t.Fatalf("store still holds %d party and %d channel records, want 1 and 1", p, c)
	}
	if d := e.Decide(spread(7, 10)); d.Outcome != Decline || !d.Reasons.Has(ReasonCounterpartyVelocity1h) {
		t.Fatalf("4th payment to the busy party within the hour: %s %v", d.Outcome, d.Reasons.Strings())
	}
	// An evicted party starts afresh, as it would have once its windows emptied.
	if d := e.Decide(spread(8, 10)); d.Outcome != Approve {
		t.Fatalf("payment to an evicted party: %s %v", d.Outcome, d.Reasons.Strings())
	}
	if err := e.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	// A restart a day later loads nothing idle.
	clock.Advance(25 * time.Hour)
	st = openStore(t, dir)
	defer st.Close()
	e = newTestEngine(t, cfg, clock, st)
	if p, c := e.Tracked(); p != 0 || c != 0 {
		t.Fatalf("after a restart 25 h later: tracked %d parties and %d channels, want none", p, c)
	}
}

// A record forgotten between a decision's lookup and its lock is looked up again: the
// decision charges the record the engine holds, so the next payment sees it.
func TestDecisionAfterItsRecordWasEvictedChargesTheLiveRecord(t *testing.T) {
	clock := newFakeClock()
	cfg := Config{
		Clients:      map[string]ClientConfig{"svc": {Profile: ProfileService}},
		Counterparty: Limits{PerHour: WindowLimit{Count: 1}},
	}
	e := newTestEngine(t, cfg, clock, nil)
	d := e.Decide(spread(1, 1)) // creates the records, then leaves them idle
	e.Release(&d)
	evicted := 0
	afterEntityLookup = func() {
		if evicted == 0 {
			evicted, _ = e.EvictIdle(context.Background())
		}
	}
	t.Cleanup(func() { afterEntityLookup = nil })
	if d := e.Decide(spread(1, 1)); d.Outcome != Approve {
		t.Fatalf("first payment: %s %v", d.Outcome, d.Reasons.Strings())
	}
	if evicted != 2 {
		t.Fatalf("evicted %d records mid-decision, want the party's and the channel's", evicted)
	}
	if d := e.Decide(spread(1, 1)); d.Outcome != Decline || !d.Reasons.Has(ReasonCounterpartyVelocity1h) {
		t.Fatalf("second payment to a party limited to one per hour: %s %v (the first was charged to a forgotten record)", d.Outcome, d.Reasons.Strings())
	}
}

// A decision racing the evictor never charges a record the engine has already
// forgotten. Each round, workers pay one party whose limit is one payment per hour: most
// payments are given back (leaving the record idle between them, so EvictIdle, running
// without pause, forgets it), a few are kept. More than one kept payment for a party means
// a reservation landed in a record the engine no longer holds.
func TestEvictionNeverLosesAReservation(t *testing.T) {
	clock := newFakeClock()
	cfg := Config{
		Clients:      map[string]ClientConfig{"svc": {Profile: ProfileService}},
		Counterparty: Limits{PerHour: WindowLimit{Count: 1}},
	}
	e := newTestEngine(t, cfg, clock, nil)
	ctx, cancel := context.WithCancel(context.Background())
	var evictions atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			n, _ := e.EvictIdle(ctx)
			evictions.Add(int64(n))
		}
	}()
	const rounds = 300
	for r := range rounds {
		var kept atomic.Int64
		var workers sync.WaitGroup
		for w := range 4 {
			workers.Add(1)
			go func() {
				defer workers.Done()
				for i := range 30 {
					d := e.Decide(spread(r, 1))
					if d.Outcome != Approve {
						continue
					}
					if i >= 10+w {
						kept.Add(1)
						e.Complete(&d)
					} else {
						e.Release(&d)
					}
				}
			}()
		}
		workers.Wait()
		if k := kept.Load(); k != 1 {
			cancel()
			wg.Wait()
			t.Fatalf("round %d: %d payments kept against a limit of 1 per hour (%d evictions so far)", r, k, evictions.Load())
		}
	}
	cancel()
	wg.Wait()
	t.Logf("%d rounds, %d records evicted meanwhile", rounds, evictions.Load())
}
