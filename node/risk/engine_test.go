package risk

import (
	"math/big"
	"slices"
	"testing"
	"time"
)

func TestInteractiveBotBurstIsSteppedUpOrDeclined(t *testing.T) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{
		"wallet": {Profile: ProfileInteractive, Limits: Limits{PerSecond: WindowLimit{Count: 5}}},
	}}, clock, nil)
	var approved, stopped int
	for i := range 50 { // 50 payments inside 100 ms
		d := e.Decide(payReq("wallet", 1, 1, 1000))
		clock.Advance(2 * time.Millisecond)
		if d.Outcome == Approve {
			approved++
			continue
		}
		stopped++
		if !d.Reasons.Has(ReasonBurst) && !d.Reasons.Has(ReasonVelocity1s) {
			t.Fatalf("payment %d: %s without burst or velocity reason: %v", i, d.Outcome, d.Reasons.Strings())
		}
	}
	if approved > 1 || stopped < 49 {
		t.Fatalf("bot pattern: %d approved, %d stepped up or declined; want at most the first approved", approved, stopped)
	}
	evs := e.Events(EventFilter{Client: "wallet", Limit: 1})
	if len(evs) != 1 || !slices.Contains(evs[0].Reasons, "burst") {
		t.Fatalf("audit trail's newest event %+v lacks the burst reason", evs)
	}
}

func TestPersonCadenceIsApproved(t *testing.T) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{
		"wallet": {Profile: ProfileInteractive, Limits: Limits{PerSecond: WindowLimit{Count: 5}, PerMinute: WindowLimit{Count: 20}},
			DailyCap: amt(1_000_000)},
	}}, clock, nil)
	gaps := []time.Duration{4, 11, 7, 30, 5, 19, 8, 60, 3, 12} // seconds, a person's rhythm
	amounts := []uint64{1200, 800, 1500, 1000, 950, 2000, 700, 1100, 1300, 900}
	for i := range 40 {
		cp := byte(i % 3) // a few regular payees
		d := e.Decide(payReq("wallet", cp, cp, amounts[i%len(amounts)]))
		if d.Outcome != Approve {
			t.Fatalf("payment %d of a person's cadence: %s %v (score %d)", i, d.Outcome, d.Reasons.Strings(), d.Score)
		}
		e.Complete(&d) // the shop acknowledged: the baseline learns it
		clock.Advance(gaps[i%len(gaps)] * time.Second)
	}
}

func TestServiceThousandsPerSecondApprovedWithinCapsDeclinedBeyond(t *testing.T) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{
		"game": {Profile: ProfileService, Limits: Limits{PerSecond: WindowLimit{Count: 5000}}, DailyCap: amt(12_000)},
	}}, clock, nil)
	// 3000 payments spread over one second, to many players.
	for i := range 3000 {
		d := e.Decide(payReq("game", byte(i%50), byte(i%200), 1))
		if d.Outcome != Approve {
			t.Fatalf("service payment %d at 3000/s: %s %v", i, d.Outcome, d.Reasons.Strings())
		}
		clock.Advance(333 * time.Microsecond)
	}
	// Now beyond its rate: 5000 more inside 100 ms.
	var approved int
	var last Decision
	for range 5000 {
		last = e.Decide(payReq("game", 1, 1, 1))
		if last.Outcome == Approve {
			approved++
		}
		clock.Advance(20 * time.Microsecond)
	}
	if last.Outcome != Decline || !last.Reasons.Has(ReasonVelocity1s) {
		t.Fatalf("service beyond 5000/s: last decision %s %v, want decline velocity_1s", last.Outcome, last.Reasons.Strings())
	}
	if approved == 5000 || approved == 0 {
		t.Fatalf("beyond-rate burst approved %d of 5000", approved)
	}
	// Daily cap: 12000 per day, spend the rest slowly, then one more is declined.
	clock.Advance(2 * time.Second)
	spent := 3000 + approved
	for spent < 12_000 {
		if d := e.Decide(payReq("game", 2, 2, 1)); d.Outcome != Approve {
			t.Fatalf("spend %d under the daily cap: %s %v", spent, d.Outcome, d.Reasons.Strings())
		}
		spent++
		clock.Advance(time.Millisecond)
	}
	if d := e.Decide(payReq("game", 2, 2, 1)); d.Outcome != Decline || !d.Reasons.Has(ReasonDailyCap) {
		t.Fatalf("payment past the daily cap: %s %v", d.Outcome, d.Reasons.Strings())
	}
}

func TestHardLimitsDecline(t *testing.T) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{
		Clients:      map[string]ClientConfig{"w": {Profile: ProfileService, SingleMax: amt(100)}},
		Channel:      Limits{PerMinute: WindowLimit{Amount: amt(150)}},
		Counterparty: Limits{PerHour: WindowLimit{Count: 3}},
	}, clock, nil)
	tests := []struct {
		name string
		req  Request
		want Reason
	}{
		{"unknown client", payReq("nobody", 1, 1, 1), ReasonUnknownClient},
		{"zero amount", payReq("w", 1, 1, 0), ReasonInvalidAmount},
		{"negative amount", Request{Client: "w", Amount: big.NewInt(-1)}, ReasonInvalidAmount},
		{"over 2^128", Request{Client: "w", Amount: new(big.Int).Lsh(big.NewInt(1), 128)}, ReasonInvalidAmount},
		{"single max", payReq("w", 1, 1, 101), ReasonSingleMax},
	}
	for _, tc := range tests {
		d := e.Decide(tc.req)
		if d.Outcome != Decline || !d.Reasons.Has(tc.want) {
			t.Errorf("%s: %s %v, want decline %s", tc.name, d.Outcome, d.Reasons.Strings(), tc.want)
		}
	}
	for i, want := range []Outcome{Approve, Decline} { // channel: 100 + 100 > 150 per minute
		if d := e.Decide(payReq("w", 9, byte(10+i), 100)); d.Outcome != want {
			t.Fatalf("channel window payment %d: %s %v, want %s", i, d.Outcome, d.Reasons.Strings(), want)
		} else if want == Decline && !d.Reasons.Has(ReasonChannelVelocity1m) {
			t.Fatalf("channel window decline reasons %v", d.Reasons.Strings())
		}
	}
	for i := range 4 { // counterparty: 3 per hour across channels
		d := e.Decide(payReq("w", byte(20+i), 7, 1))
		if (i < 3) != (d.Outcome == Approve) {
			t.Fatalf("counterparty payment %d: %s %v", i, d.Outcome, d.Reasons.Strings())
		}
		if i == 3 && !d.Reasons.Has(ReasonCounterpartyVelocity1h) {
			t.Fatalf("counterparty decline reasons %v", d.Reasons.Strings())
		}
	}
}

func TestReleaseReturnsTheReservation(t *testing.T) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{
		"w": {Profile: ProfileService, DailyCap: amt(100), Limits: Limits{PerMinute: WindowLimit{Count: 1}}},
	}}, clock, nil)
	d := e.Decide(payReq("w", 1, 1, 100))
	if d.Outcome != Approve {
		t.Fatalf("first payment: %s %v", d.Outcome, d.Reasons.Strings())
	}
	if d2 := e.Decide(payReq("w", 1, 1, 1)); d2.Outcome != Decline {
		t.Fatalf("second payment while the first is reserved: %s", d2.Outcome)
	}
	e.Release(&d)
	e.Release(&d) // idempotent
	if d3 := e.Decide(payReq("w", 1, 1, 100)); d3.Outcome != Approve {
		t.Fatalf("after release: %s %v", d3.Outcome, d3.Reasons.Strings())
	}
	st := e.Clients()
	if len(st) != 1 || st[0].SpentToday != amt(100) || st[0].Windows[1].Count != 1 {
		t.Fatalf("status after release and re-spend: %+v", st)
	}
}

func TestAdminIsUnlimitedUnlessConfigured(t *testing.T) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{}, clock, nil)
	for range 100 {
		if d := e.Decide(payReq(AdminClient, 1, 1, 1e18)); d.Outcome != Approve {
			t.Fatalf("unconfigured admin: %s %v", d.Outcome, d.Reasons.Strings())
		}
	}
}

func TestAnomalyScoreFromOwnBaseline(t *testing.T) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{"w": {Profile: ProfileInteractive}}}, clock, nil)
	for range 20 {
		d := e.Decide(payReq("w", 1, 1, 100))
		if d.Outcome != Approve {
			t.Fatalf("warm-up: %s %v", d.Outcome, d.Reasons.Strings())
		}
		e.Complete(&d)
		clock.Advance(10 * time.Second)
	}
	d := e.Decide(payReq("w", 1, 2, 100*500)) // 500x the usual, to someone new
	if d.Outcome != Decline || !d.Reasons.Has(ReasonAmountSpike) || !d.Reasons.Has(ReasonNewCounterparty) || !d.Reasons.Has(ReasonAnomalyScore) {
		t.Fatalf("500x amount to a new payee: %s %v score %d", d.Outcome, d.Reasons.Strings(), d.Score)
	}
	clock.Advance(10 * time.Second)
	d = e.Decide(payReq("w", 1, 1, 100*20)) // 20x to a known payee: step-up, but no device
	if d.Outcome != Decline || !d.Reasons.Has(ReasonNoDevice) || !d.Reasons.Has(ReasonAmountSpike) {
		t.Fatalf("20x amount without a device: %s %v score %d", d.Outcome, d.Reasons.Strings(), d.Score)
	}
}
