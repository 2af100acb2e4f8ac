package risk

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicepay/sluice/store"
)

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "db"), store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return st
}

// TestCapsHoldAcrossRestart spends most of a daily cap and a minute window, closes the
// real leveldb store, reopens it in a new engine and checks the caps still bind.
func TestCapsHoldAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	cfg := Config{Clients: map[string]ClientConfig{
		"w": {Profile: ProfileService, DailyCap: amt(1000), Limits: Limits{PerMinute: WindowLimit{Count: 12}}},
	}}
	st := openStore(t, dir)
	e := newTestEngine(t, cfg, clock, st)
	dev := newDeviceKey(t)
	if err := e.RegisterDevice("w", dev.Address(), false); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if d := e.Decide(payReq("w", 1, 1, 90)); d.Outcome != Approve {
			t.Fatalf("payment %d before restart: %s %v", i, d.Outcome, d.Reasons.Strings())
		}
		clock.Advance(time.Second)
	}
	if err := e.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st = openStore(t, dir)
	defer st.Close()
	e = newTestEngine(t, cfg, clock, st)
	if d := e.Decide(payReq("w", 1, 1, 101)); d.Outcome != Decline || !d.Reasons.Has(ReasonDailyCap) {
		t.Fatalf("after restart, 900+101 against a cap of 1000: %s %v", d.Outcome, d.Reasons.Strings())
	}
	if d := e.Decide(payReq("w", 1, 1, 100)); d.Outcome != Approve {
		t.Fatalf("after restart, 900+100: %s %v", d.Outcome, d.Reasons.Strings())
	}
	if d := e.Decide(payReq("w", 1, 1, 0+1)); d.Outcome != Decline {
		t.Fatalf("after restart, the cap is full: %s %v", d.Outcome, d.Reasons.Strings())
	}
	st0 := e.Clients()[0]
	if st0.Device != dev.Address() || st0.Windows[1].Count != 11 {
		t.Fatalf("after restart: device %s, minute count %d; want %s and 11", st0.Device, st0.Windows[1].Count, dev.Address())
	}
	evs := e.Events(EventFilter{Limit: 100})
	if len(evs) != 14 || evs[len(evs)-1].Seq != 1 || evs[len(evs)-1].Outcome != ActionDeviceEnrolled || evs[0].Seq != 14 {
		t.Fatalf("audit trail after restart has %d events (want the enrollment and 10 decisions persisted + 3 new, seq 14..1): %+v", len(evs), evs)
	}
	// A new UTC day resets the cap, and only that does.
	clock.Advance(24 * time.Hour)
	if d := e.Decide(payReq("w", 1, 1, 500)); d.Outcome != Approve {
		t.Fatalf("next day: %s %v", d.Outcome, d.Reasons.Strings())
	}
}

func TestAuditTrailIsBounded(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	defer st.Close()
	clock := newFakeClock()
	e := newTestEngine(t, Config{AuditCapacity: 5, Clients: map[string]ClientConfig{"w": {Profile: ProfileService}}}, clock, st)
	for range 12 {
		e.Decide(payReq("w", 1, 1, 1))
		if err := e.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := st.ListMeta(nsAudit)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 5 || entries[0].Key != auditKey(8) {
		t.Fatalf("persisted audit keys: %d from %q, want 5 from %q", len(entries), entries[0].Key, auditKey(8))
	}
	if evs := e.Events(EventFilter{}); len(evs) != 5 || evs[0].Seq != 12 {
		t.Fatalf("in-memory trail: %+v", evs)
	}
}

func TestSetClientIsDurableAndKeepsSpend(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	clock := newFakeClock()
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{"w": {Profile: ProfileService}}}, clock, st)
	if d := e.Decide(payReq("w", 1, 1, 400)); d.Outcome != Approve {
		t.Fatal(d.Outcome)
	}
	if _, err := e.SetClient(context.Background(), "w", ClientConfig{Profile: ProfileService, DailyCap: amt(500)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.SetClient(context.Background(), "bad name!", ClientConfig{}); err == nil {
		t.Fatal("a client name with spaces was accepted")
	}
	hash := string(make64('c'))
	if _, err := e.SetClient(context.Background(), "a", ClientConfig{TokenHash: hash}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.SetClient(context.Background(), "b", ClientConfig{TokenHash: hash}); err == nil {
		t.Fatal("a second client with the same token hash was accepted")
	}
	if d := e.Decide(payReq("w", 1, 1, 101)); d.Outcome != Decline || !d.Reasons.Has(ReasonDailyCap) {
		t.Fatalf("new cap over old spend: %s %v", d.Outcome, d.Reasons.Strings())
	}
	if err := e.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st = openStore(t, dir)
	defer st.Close()
	e = newTestEngine(t, Config{Clients: map[string]ClientConfig{"w": {Profile: ProfileService}}}, clock, st)
	if c := e.Config().Clients["w"]; c.DailyCap != amt(500) {
		t.Fatalf("admin-set cap after restart: %s, want 500", c.DailyCap)
	}
}

// TestConcurrentRequestsCannotOvershootCap races 64 goroutines against one daily cap.
func TestConcurrentRequestsCannotOvershootCap(t *testing.T) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{
		"w": {Profile: ProfileService, DailyCap: amt(1000)},
	}}, clock, nil)
	var approved atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range 64 {
		wg.Go(func() {
			<-start
			for i := range 10 {
				d := e.Decide(payReq("w", byte(g), byte(i), 7))
				if d.Outcome == Approve {
					approved.Add(1)
					if (g+i)%5 == 0 { // some payments fail and give their reservation back
						e.Release(&d)
						approved.Add(-1)
					}
				}
			}
		})
	}
	close(start)
	wg.Wait()
	spent := e.Clients()[0].SpentToday
	if spent.Cmp(amt(1000)) > 0 || spent != amt(uint64(approved.Load())*7) {
		t.Fatalf("64 racing goroutines: spent %s for %d approved payments of 7; cap 1000", spent, approved.Load())
	}
	// Whatever the releases left free can still be spent, up to the cap and not past it.
	for e.Decide(payReq("w", 1, 1, 7)).Outcome == Approve {
		approved.Add(1)
	}
	if spent := e.Clients()[0].SpentToday; approved.Load() != 1000/7 || spent != amt(1000/7*7) {
		t.Fatalf("filled the cap: %d payments of 7, spent %s; want %d and %d", approved.Load(), spent, 1000/7, 1000/7*7)
	}
}

func TestRunFlushesAndStops(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	defer st.Close()
	e := newTestEngine(t, Config{FlushInterval: Duration(maxFlushInterval), Clients: map[string]ClientConfig{"w": {}}}, newFakeClock(), st)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	e.Decide(payReq("w", 1, 1, 1))
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop after its context ended")
	}
	if _, ok, err := st.GetMeta(nsState, clientKey("w")); err != nil || !ok {
		t.Fatalf("state not flushed on stop: found %v, err %v", ok, err)
	}
}

// TestDurableReservationsSurviveACrash persists approvals before "signing" and then drops
// the engine without a flush, as a crash would: the reopened engine still counts them.
func TestDurableReservationsSurviveACrash(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	cfg := Config{DurableReservations: true, FlushInterval: Duration(maxFlushInterval),
		Clients: map[string]ClientConfig{"w": {Profile: ProfileService, DailyCap: amt(100)}}}
	st := openStore(t, dir)
	e := newTestEngine(t, cfg, clock, st)
	for range 2 {
		d := e.Decide(payReq("w", 1, 1, 40))
		if d.Outcome != Approve {
			t.Fatalf("%s %v", d.Outcome, d.Reasons.Strings())
		}
		if err := e.Persist(context.Background(), &d); err != nil {
			t.Fatal(err)
		}
	}
	st.Close() // no Flush: the engine is gone as in a crash
	st = openStore(t, dir)
	defer st.Close()
	e = newTestEngine(t, cfg, clock, st)
	if d := e.Decide(payReq("w", 1, 1, 40)); d.Outcome != Decline || !d.Reasons.Has(ReasonDailyCap) {
		t.Fatalf("after a crash, 80+40 against 100: %s %v", d.Outcome, d.Reasons.Strings())
	}
}

// Issue 22, finding 3: ~10,000 declined requests from one client evicted every client's
// audit events, in memory and on disk. Each client now has its own bounded ring.
func TestOneClientsFloodCannotEvictAnothersAuditEvents(t *testing.T) {
	dir := t.TempDir()
	const capacity = 10
	cfg := Config{AuditCapacity: capacity, Clients: map[string]ClientConfig{
		"wallet": {Profile: ProfileService},
		"thief":  {Profile: ProfileService, SingleMax: amt(1)},
	}}
	st := openStore(t, dir)
	e := newTestEngine(t, cfg, newFakeClock(), st)
	for range 5 {
		e.Decide(payReq("wallet", 1, 1, 1))
	}
	for range 3 * capacity {
		if d := e.Decide(payReq("thief", 2, 2, 5)); d.Outcome != Decline {
			t.Fatalf("thief: %s", d.Outcome)
		}
	}
	check := func(when string, e *Engine) {
		t.Helper()
		if got := len(e.Events(EventFilter{Client: "wallet", Limit: 1000})); got != 5 {
			t.Fatalf("%s: wallet has %d events, want 5", when, got)
		}
		if got := len(e.Events(EventFilter{Client: "thief", Limit: 1000})); got != capacity {
			t.Fatalf("%s: thief has %d events, want %d", when, got, capacity)
		}
		all := e.Events(EventFilter{Limit: 1000})
		if len(all) != 5+capacity || all[0].Client != "thief" || all[len(all)-1].Client != "wallet" {
			t.Fatalf("%s: all events %d, newest %s, oldest %s", when, len(all), all[0].Client, all[len(all)-1].Client)
		}
		for i := 1; i < len(all); i++ {
			if all[i].Seq >= all[i-1].Seq {
				t.Fatalf("%s: events not newest first at %d", when, i)
			}
		}
	}
	check("in memory", e)
	if err := e.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if entries, err := st.ListMeta(nsAudit); err != nil || len(entries) != 5+capacity {
		t.Fatalf("on disk: %d events (%v), want %d", len(entries), err, 5+capacity)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st = openStore(t, dir)
	defer st.Close()
	check("after a restart", newTestEngine(t, cfg, newFakeClock(), st))
}
