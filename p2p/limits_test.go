package p2p

import (
	"context"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

func TestTokenBucket(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	cases := []struct {
		name    string
		rate    float64
		burst   int
		at      []time.Duration // offsets from t0 of each message
		allowed int
	}{
		{"burst passes at once", 10, 5, []time.Duration{0, 0, 0, 0, 0}, 5},
		{"beyond burst is refused", 10, 5, []time.Duration{0, 0, 0, 0, 0, 0, 0}, 5},
		{"refills at the rate", 10, 1, []time.Duration{0, 50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond}, 3},
		{"refill is capped at burst", 1000, 2, []time.Duration{0, 0, time.Hour, time.Hour, time.Hour}, 4},
		{"clock going backwards adds nothing", 10, 1, []time.Duration{time.Second, 0, 500 * time.Millisecond}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb := newTokenBucket(c.rate, c.burst, t0)
			got := 0
			for _, d := range c.at {
				if tb.allow(t0.Add(d)) {
					got++
				}
			}
			if got != c.allowed {
				t.Fatalf("allowed %d, want %d", got, c.allowed)
			}
		})
	}
}

func TestMalformedFramesBanOnlyWithinTheWindow(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	bans := newBanList(clock.Now)
	id := peer.ID("peer")
	for i := 0; i < 3; i++ {
		if bans.recordMalformed(id, 3, time.Minute) {
			t.Fatalf("banned after %d malformed frames, limit 3", i+1)
		}
		clock.now = clock.now.Add(10 * time.Second)
	}
	clock.now = clock.now.Add(time.Minute) // the old ones age out
	if bans.recordMalformed(id, 3, time.Minute) {
		t.Fatal("frames outside the window still counted")
	}
	for i := 0; i < 2; i++ {
		bans.recordMalformed(id, 3, time.Minute)
	}
	if !bans.recordMalformed(id, 3, time.Minute) {
		t.Fatal("fourth malformed frame within a minute did not trip the limit")
	}
}

func TestBanExpires(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	bans := newBanList(clock.Now)
	id := peer.ID("peer")
	bans.ban(id, time.Minute)
	if bans.InterceptPeerDial(id) || bans.InterceptSecured(0, id, nil) {
		t.Fatal("banned peer allowed through the gater")
	}
	if !bans.InterceptPeerDial("other") {
		t.Fatal("unbanned peer refused")
	}
	clock.now = clock.now.Add(time.Minute + time.Second)
	if !bans.InterceptPeerDial(id) || !bans.InterceptSecured(0, id, nil) {
		t.Fatal("ban did not expire")
	}
}

func TestBannedPeerMayReturnAfterTheBan(t *testing.T) {
	victim := startNode(t, func(c *Config) {
		c.Limits.MessageRate, c.Limits.MessageBurst = 10, 10
		c.Limits.BanDuration = 500 * time.Millisecond
	})
	flooder := startNode(t, nil)
	connect(t, flooder, victim)
	for i := uint64(0); i < 100; i++ {
		flooder.Send(context.Background(), victim.Address(), &Ack{Nonce: i})
	}
	waitFor(t, flooder.h.disconnected, victim.Address(), "flooder banned")
	// The flooder's keeper redials with backoff; once the ban lapses it gets in.
	waitFor(t, victim.h.connected, flooder.Address(), "flooder readmitted after the ban")
}

func TestSenderAddressIsTheAuthenticatedKey(t *testing.T) {
	victim := startNode(t, nil)
	raw := rawPeer(t)
	st, err := openRaw(t, raw, victim)
	if err != nil {
		t.Fatal(err)
	}
	st.Write(append(validHello(t), frameOf(t, &Ack{Nonce: 7})...))
	r := nextMessage(t, victim.h)
	want, err := AddressFromPeerID(raw.ID())
	if err != nil {
		t.Fatal(err)
	}
	if r.from != want {
		t.Fatalf("message attributed to %s, want the key's address %s", r.from, want)
	}
}
