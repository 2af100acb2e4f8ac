package mediate

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// claimModel is an independent statement of the claim rule, phrased as "what can still
// happen" rather than with the deadline arithmetic of Claim:
//   - the lock is already ours when a registration at or before its expiration exists;
//   - we can still make it ours when we know the secret, nobody registered it, and the
//     chain is not past the expiration;
//   - the payer's off-chain window is over when the channel is closed, or when no more
//     than half a margin is left until the expiration (or the expiration passed).
func claimModel(margin uint64, exp uint64, in ClaimInput) ClaimAction {
	ours := in.RegisteredAt > 0 && in.RegisteredAt <= exp
	canMakeOurs := in.SecretKnown && in.RegisteredAt == 0 && in.Now <= exp
	left := int64(exp) - int64(in.Now)
	windowOver := left <= int64(margin/2)
	switch {
	case ours && in.Open && windowOver:
		return ClaimClose
	case ours:
		return ClaimWait
	case canMakeOurs && !in.Open:
		return ClaimRegister
	case canMakeOurs && windowOver:
		return ClaimRegisterAndClose
	}
	return ClaimWait
}

func TestClaimMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 18))
	for _, margin := range []uint64{0, 1, 2, 7, 600, 601, 3600} {
		c := Config{RevealMargin: margin}
		m := c.margin()
		for range 20_000 {
			exp := rng.Uint64N(4 * m)
			in := ClaimInput{
				SecretKnown: rng.IntN(2) == 0,
				Open:        rng.IntN(2) == 0,
				Now:         exp - min(exp, m) + rng.Uint64N(2*m+2),
			}
			switch rng.IntN(4) {
			case 0:
				in.RegisteredAt = max(1, exp-min(exp, rng.Uint64N(m+1)))
			case 1:
				in.RegisteredAt = exp + 1 + rng.Uint64N(m)
			}
			l := channel.Lock{Amount: big.NewInt(1), Expiration: exp}
			if got, want := c.Claim(l, in), claimModel(m, exp, in); got != want {
				t.Fatalf("margin %d, expiration %d, %+v: Claim says %s, model %s", m, exp, in, got, want)
			}
		}
	}
}

func TestClaimTable(t *testing.T) {
	c := Config{RevealMargin: 600}
	l := channel.Lock{Amount: big.NewInt(5), Expiration: 10_000}
	for _, tc := range []struct {
		name string
		in   ClaimInput
		want ClaimAction
	}{
		{"payer still has time", ClaimInput{SecretKnown: true, Open: true, Now: 9_699}, ClaimWait},
		{"at the deadline", ClaimInput{SecretKnown: true, Open: true, Now: 9_700}, ClaimRegisterAndClose},
		{"at the expiration, inclusive", ClaimInput{SecretKnown: true, Open: true, Now: 10_000}, ClaimRegisterAndClose},
		{"past the expiration", ClaimInput{SecretKnown: true, Open: true, Now: 10_001}, ClaimWait},
		{"secret unknown", ClaimInput{Open: true, Now: 9_900}, ClaimWait},
		{"closed by anyone: register at once", ClaimInput{SecretKnown: true, Now: 1}, ClaimRegister},
		{"closed, registered already", ClaimInput{SecretKnown: true, RegisteredAt: 5, Now: 9_999}, ClaimWait},
		{"registered by someone, open, due", ClaimInput{RegisteredAt: 9_000, Open: true, Now: 9_800}, ClaimClose},
		{"registered in time, expired, open", ClaimInput{RegisteredAt: 10_000, Open: true, Now: 20_000}, ClaimClose},
		{"registered too late", ClaimInput{SecretKnown: true, RegisteredAt: 10_001, Open: true, Now: 10_001}, ClaimWait},
	} {
		if got := c.Claim(l, tc.in); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// A mediator learns the secret at the latest when its outgoing lock expires (the next
// node can register it until then): its incoming lock's claim deadline comes after that,
// and still leaves half a margin to get the registration mined.
func TestClaimDeadlineFollowsTheOutgoingExpiration(t *testing.T) {
	for _, margin := range []uint64{2, 3, 600, 601} {
		c := Config{RevealMargin: margin}
		in := channel.Lock{Amount: big.NewInt(1), Expiration: 100_000}
		out, _, _, err := c.Forward(in, big.NewInt(1), []common.Address{{1}}, 100_000-3*margin)
		if err != nil {
			t.Fatal(err)
		}
		d := c.ClaimDeadline(in)
		if d <= out.Expiration || in.Expiration-d < margin/2 || d > in.Expiration {
			t.Fatalf("margin %d: deadline %d, outgoing expiration %d, incoming %d", margin, d, out.Expiration, in.Expiration)
		}
	}
}

func TestUnlockDueAndSplit(t *testing.T) {
	locks := []channel.Lock{
		{Amount: big.NewInt(10), Expiration: 100},
		{Amount: big.NewInt(20), Expiration: 200},
		{Amount: big.NewInt(40), Expiration: 300},
	}
	reg := []uint64{100, 0, 301} // in time (inclusive), never, too late
	if UnlockDue(locks, reg, 200) {
		t.Fatal("unlock due while lock 2 can still be registered")
	}
	if !UnlockDue(locks, reg, 201) {
		t.Fatal("unlock not due once every lock is decided")
	}
	r, s := UnlockSplit(locks, reg, big.NewInt(70))
	if r.Int64() != 10 || s.Int64() != 60 {
		t.Fatalf("split %s/%s, want 10/60", r, s)
	}
	// A proof that promised more than its payer had: the receiver's share is capped.
	r, s = UnlockSplit(locks, []uint64{1, 1, 1}, big.NewInt(25))
	if r.Int64() != 25 || s.Int64() != 0 {
		t.Fatalf("capped split %s/%s, want 25/0", r, s)
	}
}
