package gossip

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/sluicepay/sluice/routing"
)

const relayer = peer.ID("relayer")

func TestValidatorAdmitsAnHonestAnnouncementIntoTheGraph(t *testing.T) {
	v, g := newValidator(t, newFakeChain(), nil)
	a := signed(t, accountKey(0), chID(1), 5, nil)
	if _, err := v.Admit(context.Background(), relayer, encode(t, a)); err != nil {
		t.Fatal(err)
	}
	e, ok := g.Edge(chID(1), accountAddr(0))
	if !ok || e.To != accountAddr(1) || e.Capacity.Cmp(a.Capacity) != 0 || e.Fee.PPM != 100 || e.Fee.Flat.Int64() != 10 {
		t.Fatalf("edge %+v", e)
	}
}

// Every cheat is refused with its reason and leaves the graph as it was.
func TestValidatorRefusesCheats(t *testing.T) {
	other := accountKey(4) // a stranger to channel 1
	cases := map[string]struct {
		a      func(t *testing.T) *Announcement
		want   error
		ignore bool
	}{
		"forged signer": {func(t *testing.T) *Announcement {
			a := signed(t, other, chID(1), 5, nil)
			a.Announcer = accountAddr(0) // claims to be 0, signed by 4
			return a
		}, ErrPeerMismatch, false},
		"forged signer, matching peer id": {func(t *testing.T) *Announcement {
			a := signed(t, other, chID(1), 5, nil)
			b := signed(t, accountKey(0), chID(1), 5, nil)
			a.Announcer, a.PeerID = b.Announcer, b.PeerID
			return a
		}, ErrBadSignature, false},
		"non-participant": {func(t *testing.T) *Announcement { return signed(t, other, chID(1), 5, nil) }, ErrNotParticipant, false},
		"unknown channel": {func(t *testing.T) *Announcement { return signed(t, accountKey(0), chID(9), 5, nil) }, ErrUnknownChannel, false},
		"closed channel":  {func(t *testing.T) *Announcement { return signed(t, accountKey(1), chID(2), 5, nil) }, ErrChannelNotOpen, true},
		"over funds": {func(t *testing.T) *Announcement {
			return signed(t, accountKey(0), chID(1), 5, func(a *Announcement) { a.Capacity = routing.Bucket(big.NewInt(6_000_000)) })
		}, ErrCapacityOverFunds, false},
		"exact balance": {func(t *testing.T) *Announcement {
			return signed(t, accountKey(0), chID(1), 5, func(a *Announcement) { a.Capacity = big.NewInt(1_000_001) })
		}, ErrNotBucketed, false},
		"stale": {func(t *testing.T) *Announcement {
			return signed(t, accountKey(0), chID(1), 5, func(a *Announcement) { a.Timestamp -= uint64(3 * time.Hour / time.Second) })
		}, ErrStale, false},
		"future": {func(t *testing.T) *Announcement {
			return signed(t, accountKey(0), chID(1), 5, func(a *Announcement) { a.Timestamp += uint64(time.Hour / time.Second) })
		}, ErrFuture, false},
		"fee over 100%": {func(t *testing.T) *Announcement {
			return signed(t, accountKey(0), chID(1), 5, func(a *Announcement) { a.FeePPM = routing.MaxFeePPM + 1 })
		}, ErrMalformed, false},
		"bad multiaddr": {func(t *testing.T) *Announcement {
			return signed(t, accountKey(0), chID(1), 5, func(a *Announcement) { a.Addrs = [][]byte{{0xff, 0xff}} })
		}, ErrMalformed, false},
		"someone else's peer id": {func(t *testing.T) *Announcement {
			b := signed(t, other, chID(1), 5, nil)
			return signed(t, accountKey(0), chID(1), 5, func(a *Announcement) { a.PeerID = b.PeerID })
		}, ErrPeerMismatch, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			v, g := newValidator(t, newFakeChain(), nil)
			_, err := v.Admit(context.Background(), relayer, encode(t, tc.a(t)))
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if _, ignore := Reason(err); ignore != tc.ignore {
				t.Fatalf("reason %v: ignore=%v, want %v", err, ignore, tc.ignore)
			}
			if ch, _ := g.Len(); ch != 0 {
				t.Fatal("a refused announcement reached the graph")
			}
		})
	}
}

func TestValidatorKeepsOnlyNewerSequences(t *testing.T) {
	v, g := newValidator(t, newFakeChain(), nil)
	ctx := context.Background()
	newer := signed(t, accountKey(0), chID(1), 7, func(a *Announcement) { a.FeePPM = 7 })
	if _, err := v.Admit(ctx, relayer, encode(t, newer)); err != nil {
		t.Fatal(err)
	}
	for _, seq := range []uint64{7, 6} {
		old := signed(t, accountKey(0), chID(1), seq, func(a *Announcement) { a.FeePPM = 999 })
		if _, err := v.Admit(ctx, relayer, encode(t, old)); !errors.Is(err, ErrNotNewer) {
			t.Fatalf("sequence %d after 7: %v", seq, err)
		}
	}
	if e, _ := g.Edge(chID(1), accountAddr(0)); e.Fee.PPM != 7 {
		t.Fatalf("an older announcement replaced the newer: %d ppm", e.Fee.PPM)
	}
}

func TestValidatorRateLimitsEachAnnouncerAfterItsSignature(t *testing.T) {
	now := testNow
	v, _ := newValidator(t, newFakeChain(), func(c *ValidatorConfig) {
		c.SideBurst, c.SideEvery = 3, time.Minute
		c.Now = func() time.Time { return now }
	})
	ctx := context.Background()
	// Forgeries in the honest announcer's name cost it nothing.
	for i := 0; i < 10; i++ {
		forged := signed(t, accountKey(4), chID(1), uint64(100+i), nil)
		honest := signed(t, accountKey(0), chID(1), 1, nil)
		forged.Announcer, forged.PeerID = honest.Announcer, honest.PeerID
		if _, err := v.Admit(ctx, relayer, encode(t, forged)); !errors.Is(err, ErrBadSignature) {
			t.Fatal(err)
		}
	}
	for seq := uint64(1); seq <= 3; seq++ {
		if _, err := v.Admit(ctx, relayer, encode(t, signed(t, accountKey(0), chID(1), seq, nil))); err != nil {
			t.Fatalf("within burst, seq %d: %v", seq, err)
		}
	}
	if _, err := v.Admit(ctx, relayer, encode(t, signed(t, accountKey(0), chID(1), 4, nil))); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("past the burst: %v", err)
	}
	now = now.Add(time.Minute)
	if _, err := v.Admit(ctx, relayer, encode(t, signed(t, accountKey(0), chID(1), 5, nil))); err != nil {
		t.Fatalf("after a refill: %v", err)
	}
}

func TestValidatorBoundsChainReadsPerSender(t *testing.T) {
	chain := newFakeChain()
	v, _ := newValidator(t, chain, func(c *ValidatorConfig) { c.LookupBurst, c.LookupEvery = 5, time.Hour })
	ctx := context.Background()
	limited := 0
	for i := 0; i < 20; i++ { // random channel ids, each a cache miss
		_, err := v.Admit(ctx, relayer, encode(t, signed(t, accountKey(0), chID(byte(100+i)), 1, nil)))
		if errors.Is(err, ErrLookupRateLimited) {
			limited++
		}
	}
	if chain.reads != 5 || limited != 15 {
		t.Fatalf("%d chain reads, %d limited; want 5 and 15", chain.reads, limited)
	}
	// A cached channel is not a read: the same honest channel many times costs one.
	before := chain.reads
	v2, _ := newValidator(t, chain, nil)
	for seq := uint64(1); seq <= 3; seq++ {
		_, _ = v2.Admit(ctx, relayer, encode(t, signed(t, accountKey(0), chID(1), seq, nil)))
	}
	if chain.reads-before != 1 {
		t.Fatalf("%d reads for one channel", chain.reads-before)
	}
}

// FuzzValidateAnnouncement: arbitrary bytes never panic the validator; whatever it admits
// is signed by its announcer, who is a participant of an open channel, within funds.
func FuzzValidateAnnouncement(f *testing.F) {
	good := signed(f, accountKey(0), chID(1), 5, nil)
	f.Add(encode(f, good))
	f.Add(encode(f, signed(f, accountKey(4), chID(1), 5, nil)))
	f.Add(encode(f, signed(f, accountKey(1), chID(2), 5, nil)))
	f.Fuzz(func(t *testing.T, data []byte) {
		chain := newFakeChain()
		v, g := newValidator(t, chain, nil)
		a, err := v.Admit(context.Background(), relayer, data)
		if err != nil {
			if label, _ := Reason(err); label == "other" {
				t.Fatalf("unclassified rejection: %v", err)
			}
			return
		}
		if a.VerifySignature(testDomain) != nil {
			t.Fatal("admitted an announcement its announcer did not sign")
		}
		info := chain.chans[a.Channel]
		if !info.Open || (info.Participants[0] != a.Announcer && info.Participants[1] != a.Announcer) || a.Capacity.Cmp(info.Funds) > 0 {
			t.Fatalf("admitted %+v against %+v", a, info)
		}
		if e, ok := g.Edge(a.Channel, a.Announcer); !ok || e.Sequence != a.Sequence {
			t.Fatal("admitted but not in the graph")
		}
	})
}

// The validator cached a channel's funds for 30 s, so a hub that deposited and announced
// its new capacity at once was refused (and its relayer penalised) on the stale view. A
// refusal for capacity or an unknown channel now reads the chain once more first.
func TestValidatorRereadsTheChainBeforeRefusingANewDeposit(t *testing.T) {
	chain := newFakeChain()
	v, g := newValidator(t, chain, nil)
	if _, err := v.Admit(context.Background(), relayer, encode(t, signed(t, accountKey(0), chID(1), 5, nil))); err != nil {
		t.Fatal(err)
	}
	chain.mu.Lock()
	info := chain.chans[chID(1)]
	info.Funds = big.NewInt(9_000_000) // a deposit since the validator cached 5,000,000
	chain.chans[chID(1)] = info
	chain.mu.Unlock()
	bigger := signed(t, accountKey(0), chID(1), 6, func(a *Announcement) { a.Capacity = routing.Bucket(big.NewInt(6_000_000)) })
	if _, err := v.Admit(context.Background(), relayer, encode(t, bigger)); err != nil {
		t.Fatalf("announcement of capacity the chain now holds: %v", err)
	}
	if e, ok := g.Edge(chID(1), accountAddr(0)); !ok || e.Capacity.Cmp(bigger.Capacity) != 0 {
		t.Fatalf("edge after the deposit: %+v", e)
	}
	// Capacity beyond even the fresh view is still refused.
	tooBig := signed(t, accountKey(0), chID(1), 7, func(a *Announcement) { a.Capacity = routing.Bucket(big.NewInt(20_000_000)) })
	if _, err := v.Admit(context.Background(), relayer, encode(t, tooBig)); !errors.Is(err, ErrCapacityOverFunds) {
		t.Fatalf("capacity over the fresh funds: %v, want ErrCapacityOverFunds", err)
	}
}
