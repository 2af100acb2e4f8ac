package risk

import (
	"testing"
	"time"
)

// Client state keeps the ramp sum, the rate run and the last completion across a restart,
// and state written by the previous version (1, no such fields) still loads.
func TestClientStateRoundTripsAndVersionOneStillLoads(t *testing.T) {
	cs := newClientState("w", ClientConfig{})
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC).UnixNano()
	cs.day, cs.spent = now/int64(dayNanos), amt(12345)
	cs.base = baseline{attempts: 30, approved: 20, last: now, lastDone: now - 5e9, gapEWMA: 7.5, usual: 1000,
		excess: 13.5, excessAt: now - 1e9, rateRun: 4}
	cs.w.add(now, amt(7))
	v2 := cs.encode()
	got := newClientState("w", ClientConfig{})
	if err := got.decode("client/w", v2); err != nil {
		t.Fatal(err)
	}
	if got.base != cs.base || got.spent != cs.spent {
		t.Fatalf("round trip: %+v, want %+v", got.base, cs.base)
	}
	// Version 1: the same without lastDone, excess, excessAt and rateRun.
	win := len(encodeWindows(nil, &cs.w))
	cut := len(v2) - win - 4*8
	v1 := append(append([]byte{stateVersion1}, v2[1:cut]...), v2[len(v2)-win:]...)
	old := newClientState("w", ClientConfig{})
	if err := old.decode("client/w", v1); err != nil {
		t.Fatalf("version 1 state: %v", err)
	}
	if old.base.usual != 1000 || old.base.lastDone != now || old.base.excess != 0 || old.spent != cs.spent {
		t.Fatalf("version 1 state read as %+v", old.base)
	}
}
