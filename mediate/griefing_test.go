package mediate

import (
	"errors"
	"testing"
	"time"
)

func TestGriefTrackerRefusesThenBans(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	g := NewGriefTracker(GriefPolicy{Window: time.Hour, RefuseAbove: 2, BanAbove: 4})
	held := func(i byte, at time.Time) GriefVerdict {
		return g.Held(HeldLock{Peer: merchant, SecretHash: [32]byte{i}}, at)
	}
	for i := byte(1); i <= 2; i++ {
		if v := held(i, t0); v.Refused || v.Ban {
			t.Fatalf("lock %d: %+v", i, v)
		}
	}
	// A repeat of the same lock is not a second offence.
	if v := held(2, t0); v.Count != 2 || v.New {
		t.Fatalf("repeat counted: %+v", v)
	}
	if err := g.Check(merchant, t0); err != nil {
		t.Fatalf("at the refuse threshold: %v", err)
	}
	if v := held(3, t0); !v.Refused || v.Ban {
		t.Fatalf("third lock: %+v", v)
	}
	if err := g.Check(merchant, t0); !errors.Is(err, ErrForwardLimit) {
		t.Fatalf("over the refuse threshold: %v", err)
	}
	if err := g.Check(wallet, t0); err != nil {
		t.Fatalf("another peer: %v", err)
	}
	held(4, t0)
	if v := held(5, t0.Add(time.Minute)); !v.Ban || v.Count != 5 {
		t.Fatalf("fifth lock: %+v", v)
	}
	// The window forgives: an hour after the first four, one is left.
	if n := g.Count(merchant, t0.Add(time.Hour+time.Second)); n != 1 {
		t.Fatalf("after the window: %d", n)
	}
	if err := g.Check(merchant, t0.Add(time.Hour+time.Second)); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestGriefTrackerNegativeThresholdIsOff(t *testing.T) {
	g := NewGriefTracker(GriefPolicy{RefuseAbove: -1, BanAbove: -1})
	now := time.Unix(1, 0)
	for i := range byte(50) {
		if v := g.Held(HeldLock{Peer: merchant, SecretHash: [32]byte{i}, Incoming: true}, now); v.Refused || v.Ban {
			t.Fatalf("lock %d: %+v", i, v)
		}
	}
}
