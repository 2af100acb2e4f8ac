package risk

import (
	"math/big"
	"testing"
	"time"
)

// ownerHistory gives client w the history of a person whose usual payment is 1,000: 60
// completed payments a few minutes apart to two shops.
func ownerHistory(t *testing.T, e *Engine, clock *fakeClock) {
	t.Helper()
	amounts := []uint64{1000, 900, 1100, 1000, 1200, 800, 1000, 950, 1050, 1000}
	gaps := []time.Duration{3, 7, 2, 11, 5, 4, 9, 6, 3, 8} // minutes
	for i := range 60 {
		d := e.Decide(payReq("w", 1, 1+byte(i%2), amounts[i%len(amounts)]))
		if d.Outcome != Approve {
			t.Fatalf("owner's payment %d: %s %v (score %d)", i, d.Outcome, d.Reasons.Strings(), d.Score)
		}
		e.Complete(&d)
		clock.Advance(gaps[i%len(gaps)] * time.Minute)
	}
}

func rampEngine(t *testing.T) (*Engine, *fakeClock) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{
		"w": {Profile: ProfileInteractive, DailyCap: amt(50_000_000)},
	}}, clock, nil)
	// A device, so that a step-up is a step-up and not a no_device decline.
	if err := e.RegisterDevice("w", party(0xde), false); err != nil {
		t.Fatal(err)
	}
	ownerHistory(t, e, clock)
	return e, clock
}

// Issue 22, finding 9: a paid id reused 14 times with new amounts is refused by the node
// after the policy approved it (the reservation is given back); each approval used to
// raise the usual amount anyway, and then a 2,000,000 payment passed.
func TestReservationsGivenBackDoNotTrainTheBaseline(t *testing.T) {
	e, clock := rampEngine(t)
	avg := 1000.0 // what the thief believes the usual is: the old model's running average
	for range 14 {
		a := uint64(9 * avg)
		d := e.Decide(payReq("w", 1, 1, a))
		if d.Outcome == Approve {
			e.Release(&d) // the node refused the reused id before signing
			avg += ewmaAlpha * (float64(a) - avg)
		}
		clock.Advance(2 * time.Second)
	}
	d := e.Decide(payReq("w", 1, 1, 2_000_000))
	if d.Outcome == Approve {
		t.Fatalf("2,000,000 after 14 given-back reservations: approved (%v, score %d); the baseline learnt from payments that never happened", d.Reasons.Strings(), d.Score)
	}
	if !d.Reasons.Has(ReasonAmountSpike) {
		t.Fatalf("2,000,000 against a usual of 1,000: %s %v, want amount_spike", d.Outcome, d.Reasons.Strings())
	}
}

// rampResult is where a ramp was stopped: the payment that was not approved (1-based) and
// what had been approved before it.
type rampResult struct {
	stoppedAt int
	spent     uint64
	outcome   Outcome
	reasons   ReasonSet
}

// runRamp plays a thief holding the owner's stolen interactive token: payments gap apart,
// each amount factor times the thief's running average (next returns it), every approved
// payment acknowledged by the colluding payee, until a decision is not an approval or the
// 50M cap is reached.
func runRamp(t *testing.T, e *Engine, clock *fakeClock, gap time.Duration, next func(avg float64) uint64) rampResult {
	t.Helper()
	avg, spent := 1000.0, uint64(0)
	for i := 1; i <= 100_000; i++ {
		a := next(avg)
		d := e.Decide(Request{Client: "w", Channel: chanID(1), Counterparty: party(1), Amount: new(big.Int).SetUint64(a)})
		if d.Outcome != Approve {
			return rampResult{stoppedAt: i, spent: spent, outcome: d.Outcome, reasons: d.Reasons}
		}
		e.Complete(&d)
		spent += a
		avg += ewmaAlpha * (float64(a) - avg)
		clock.Advance(gap)
	}
	return rampResult{spent: spent}
}

// Issue 22, finding 13: a stolen interactive token pacing 340 ms apart and raising each
// amount to 9.5x the running average took 48.8M of a 50M daily cap in 63 s with no
// step-up, for an owner whose usual payment was 1,000. The ramp must be stopped well
// before the cap: here within 20 payments and the first 0.5% of the cap.
func TestStolenTokenRampIsSteppedUpWellBeforeTheCap(t *testing.T) {
	for _, tc := range []struct {
		name string
		next func(avg float64) uint64
	}{
		{"9.5x the running average", func(avg float64) uint64 { return uint64(9.5 * avg) }},
		{"9.5x the owner's usual, flat", func(float64) uint64 { return 9500 }},
		{"5x the owner's usual, flat", func(float64) uint64 { return 5000 }},
		{"2.9x the owner's usual, flat", func(float64) uint64 { return 2900 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, clock := rampEngine(t)
			r := runRamp(t, e, clock, 340*time.Millisecond, tc.next)
			t.Logf("stopped at payment %d (%s %v) after %d approved", r.stoppedAt, r.outcome, r.reasons.Strings(), r.spent)
			if r.stoppedAt == 0 {
				t.Fatalf("the ramp reached the cap: %d approved with no step-up", r.spent)
			}
			if r.stoppedAt > 20 || r.spent > 250_000 { // 0.5% of the cap
				t.Fatalf("the ramp was stopped only at payment %d after %d of the 50M cap", r.stoppedAt, r.spent)
			}
			if !r.reasons.Has(ReasonAnomalyScore) {
				t.Fatalf("stopped by %v, want the anomaly score", r.reasons.Strings())
			}
		})
	}
}

// The README's legitimate scenarios stay approved with the ramp rule: a person paying every
// few seconds to known shops, including an occasional purchase a few times the usual.
func TestPersonWithOccasionalLargerPurchasesIsApproved(t *testing.T) {
	e, clock := rampEngine(t)
	for i := range 300 {
		a := uint64(1000)
		switch i {
		case 40, 150, 260: // three purchases of 6x the usual in a day
			a = 6000
		}
		d := e.Decide(payReq("w", 1, 1+byte(i%2), a))
		if d.Outcome != Approve {
			t.Fatalf("payment %d of %d: %s %v (score %d)", i, a, d.Outcome, d.Reasons.Strings(), d.Score)
		}
		e.Complete(&d)
		clock.Advance(time.Duration(3+i%5) * time.Second)
		if i%50 == 49 {
			clock.Advance(2 * time.Hour) // the person's day has pauses
		}
	}
}

// A step-up the owner's device answers clears the ramp: the owner confirmed, and the next
// payments need nothing more; a thief without the device stays stopped.
func TestVerifiedStepUpClearsTheRamp(t *testing.T) {
	clock := newFakeClock()
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{
		"w": {Profile: ProfileInteractive, DailyCap: amt(50_000_000)},
	}}, clock, nil)
	dev := newDeviceKey(t)
	if err := e.RegisterDevice("w", dev.Address(), false); err != nil {
		t.Fatal(err)
	}
	ownerHistory(t, e, clock)
	r := runRamp(t, e, clock, 340*time.Millisecond, func(float64) uint64 { return 9500 })
	if r.outcome != StepUp || !r.reasons.Has(ReasonAmountRamp) {
		t.Fatalf("ramp: %s %v, want step_up amount_ramp", r.outcome, r.reasons.Strings())
	}
	clock.Advance(5 * time.Second) // the owner, not a script, answers
	req := payReq("w", 1, 1, 9500)
	req.PaymentID = [16]byte{9}
	d := e.Decide(req)
	if d.Outcome != StepUp || d.Challenge == nil {
		t.Fatalf("the next ramp payment: %s %v, want a challenge", d.Outcome, d.Reasons.Strings())
	}
	sig, err := dev.SignDigest(e.Digest(d.Challenge))
	if err != nil {
		t.Fatal(err)
	}
	req.StepUp = &StepUpProof{Challenge: d.Challenge.ID, Signature: sig}
	clock.Advance(4 * time.Second) // signing on the device takes a person a few seconds
	if d = e.Decide(req); d.Outcome != Approve || !d.Reasons.Has(ReasonStepUpVerified) {
		t.Fatalf("the owner's answer: %s %v", d.Outcome, d.Reasons.Strings())
	}
	e.Complete(&d)
	clock.Advance(time.Minute)
	if d := e.Decide(payReq("w", 1, 1, 9500)); d.Outcome != Approve {
		t.Fatalf("after the owner confirmed: %s %v", d.Outcome, d.Reasons.Strings())
	}
}
