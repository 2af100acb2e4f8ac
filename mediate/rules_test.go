package mediate

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

func TestExpirationsFallByTheMarginAndEveryHopKeepsOne(t *testing.T) {
	c := Config{RevealMargin: 100}
	now := uint64(1000)
	hops := []common.Address{{2}, {3}, {4}} // hub2, hub3, target
	if err := CheckRoute(common.Address{1}, hops); err != nil {
		t.Fatal(err)
	}
	in := channel.Lock{Amount: big.NewInt(50), Expiration: c.InitiatorExpiration(now, len(hops)), SecretHash: [32]byte{1}}
	rest := hops
	for i := 0; len(rest) > 0; i++ {
		if len(rest) == 1 {
			// rest[0] is the target: it must have at least a margin left to reveal.
			break
		}
		out, next, after, err := c.Forward(in, big.NewInt(50), rest, now)
		if err != nil {
			t.Fatalf("hop %d: %v", i, err)
		}
		if in.Expiration-out.Expiration < c.RevealMargin || next != rest[0] || out.SecretHash != in.SecretHash {
			t.Fatalf("hop %d: in %d out %d next %s", i, in.Expiration, out.Expiration, next)
		}
		in, rest = out, after
	}
	if err := c.TargetReveals(in, big.NewInt(50), now); err != nil {
		t.Fatalf("target at the end of a fresh route: %v", err)
	}
	// Time passes: the target refuses once less than a margin is left.
	if err := c.TargetReveals(in, big.NewInt(50), in.Expiration-c.RevealMargin+1); !errors.Is(err, ErrUnsafeExpiration) {
		t.Fatalf("late reveal: %v", err)
	}
}

func TestMediatorRefusesUnsafeOrUnderpaidLocks(t *testing.T) {
	c := Config{RevealMargin: 100}
	in := channel.Lock{Amount: big.NewInt(50), Expiration: 1199, SecretHash: [32]byte{1}}
	// 1199 - 1000 < 2 margins: the next hop would get less than a margin.
	if _, _, _, err := c.Forward(in, big.NewInt(50), []common.Address{{9}}, 1000); !errors.Is(err, ErrUnsafeExpiration) {
		t.Fatalf("unsafe forward: %v", err)
	}
	in.Expiration = 1200
	if _, _, _, err := c.Forward(in, big.NewInt(50), []common.Address{{9}}, 1000); err != nil {
		t.Fatalf("forward with exactly two margins: %v", err)
	}
	if _, _, _, err := c.Forward(in, big.NewInt(51), []common.Address{{9}}, 1000); !errors.Is(err, ErrUnderpaid) {
		t.Fatalf("forward more than received: %v", err)
	}
	if _, _, _, err := c.Forward(in, big.NewInt(50), nil, 1000); !errors.Is(err, ErrBadRoute) {
		t.Fatalf("forward with no hop: %v", err)
	}
	if err := c.TargetReveals(in, big.NewInt(51), 1000); !errors.Is(err, ErrUnderpaid) {
		t.Fatalf("target underpaid: %v", err)
	}
}

func TestCheckRoute(t *testing.T) {
	self := common.Address{1}
	for name, hops := range map[string][]common.Address{
		"empty": nil, "self": {{2}, {1}}, "loop": {{2}, {3}, {2}}, "long": make([]common.Address, MaxHops+1),
	} {
		if err := CheckRoute(self, hops); !errors.Is(err, ErrBadRoute) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestLegActions(t *testing.T) {
	l := channel.Lock{Amount: big.NewInt(1), Expiration: 100}
	cases := []struct {
		out    bool
		known  bool
		now    uint64
		action Action
	}{
		{true, false, 100, Wait}, // inclusive: at expiration the receiver may still claim
		{true, false, 101, SendExpire},
		{true, true, 50, SendUnlock},
		{true, true, 101, SendUnlock}, // a known secret is honoured
		{false, true, 100, SendReveal},
		{false, true, 101, Wait},
		{false, false, 50, Wait},
	}
	for i, c := range cases {
		var got Action
		if c.out {
			got = Outgoing(l, c.known, c.now)
		} else {
			got = Incoming(l, c.known, c.now)
		}
		if got != c.action {
			t.Errorf("case %d: %s, want %s", i, got, c.action)
		}
	}
}

// A secret learnt after the lock expired is honoured only while a mediator's incoming lock
// (one margin later) can still pay it back; past that the lock is expired instead
// (TestE2ERoutedLateRevealCostsTheHubNothing found the hub unlocking with nothing upstream).
func TestLateSecretIsHonouredOnlyWithinAMarginOfExpiration(t *testing.T) {
	c := Config{RevealMargin: 10}
	l := channel.Lock{Amount: big.NewInt(1), Expiration: 100}
	for _, tc := range []struct {
		known  bool
		now    uint64
		action Action
	}{
		{true, 100, SendUnlock},
		{true, 110, SendUnlock}, // the incoming lock expires at 110, inclusive
		{true, 111, SendExpire},
		{false, 111, SendExpire},
		{false, 100, Wait},
	} {
		if got := c.Outgoing(l, tc.known, tc.now); got != tc.action {
			t.Errorf("known %v at %d: %s, want %s", tc.known, tc.now, got, tc.action)
		}
	}
}
