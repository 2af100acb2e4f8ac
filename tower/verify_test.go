package tower

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/tower/wire"
)

func newTestTower(t testing.TB, chain Chain, dir string) *Tower {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if dir == "" {
		dir = t.TempDir()
	}
	tw, err := New(Config{Key: key, DataDir: dir, Chain: chain})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	return tw
}

func held(t *testing.T, tw *Tower, id channel.ID, payer channel.Party) (uint64, bool) {
	t.Helper()
	n, ok, err := tw.Guarding(id, payer)
	if err != nil {
		t.Fatal(err)
	}
	return n, ok
}

func guardsAny(t *testing.T, tw *Tower, id channel.ID) bool {
	t.Helper()
	ok, err := tw.store.has(id)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestRegisterVerifiesEverythingItIsSent(t *testing.T) {
	chain := newFakeChain()
	a, b, mallory := newParty(t), newParty(t), newParty(t)
	d := chain.Domain()
	id := channel.ID{1}
	chain.set(id, openView(a, b))
	settled, unknown := channel.ID{2}, channel.ID{3}
	sv := openView(a, b)
	sv.Status = channel.StatusSettled
	chain.set(settled, sv)

	otherProof := registration(t, d, id, 7, 700, a, b)
	otherProof.Endorsement = registration(t, d, id, 6, 600, a, b).Endorsement // endorses another proof
	huge := registration(t, d, id, 7, 1, a, b)
	huge.Transferred = new(big.Int).Lsh(big.NewInt(1), 128)
	malformedSig := registration(t, d, id, 7, 700, a, b)
	malformedSig.Sig[64] = 5
	// The contract's _checkLocks reverts on both, so such a proof defends nothing.
	lockedNoRoot := lockedRegistration(t, d, channel.BalanceProof{Channel: id, Nonce: 7, Transferred: big.NewInt(700), Locked: big.NewInt(5)}, a, b)
	lockedHuge := lockedRegistration(t, d, channel.BalanceProof{Channel: id, Nonce: 7, Transferred: big.NewInt(700), Locked: new(big.Int).Lsh(big.NewInt(1), 96), LocksRoot: [32]byte{1}}, a, b)

	cases := []struct {
		name string
		from party
		reg  *wire.Register
		want wire.Code
	}{
		{"sent by a stranger, not the receiver", mallory, registration(t, d, id, 7, 700, a, b), wire.CodeNotReceiver},
		{"payer endorses its own proof", a, registration(t, d, id, 7, 0, a, a), wire.CodeBadEndorsement},
		{"stranger endorses and sends", mallory, registration(t, d, id, 7, 700, a, mallory), wire.CodeNotReceiver},
		{"proof signed by a stranger", b, registration(t, d, id, 7, 700, mallory, b), wire.CodeBadSignature},
		{"endorsement of another proof", b, otherProof, wire.CodeNotReceiver},
		{"malformed payer signature", b, malformedSig, wire.CodeBadSignature},
		{"unknown channel", b, registration(t, d, unknown, 7, 700, a, b), wire.CodeUnknownChannel},
		{"settled channel", b, registration(t, d, settled, 7, 700, a, b), wire.CodeNotDisputable},
		{"nonce 0", b, registration(t, d, id, 0, 0, a, b), wire.CodeInvalid},
		{"amount above uint128", b, huge, wire.CodeInvalid},
		{"locked with no locks root", b, lockedNoRoot, wire.CodeInvalid},
		{"locked above 2^96-1", b, lockedHuge, wire.CodeInvalid},
	}
	tw := newTestTower(t, chain, "")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rc := tw.register(context.Background(), c.from.addr, c.reg)
			if rc.Code != c.want {
				t.Fatalf("code %s (%s), want %s", rc.Code, rc.Reason, c.want)
			}
			if guardsAny(t, tw, c.reg.Channel) {
				t.Fatal("a refused registration was stored")
			}
		})
	}
	if tw.Guarded() != 0 {
		t.Fatalf("guarded %d after refusals only", tw.Guarded())
	}
	for _, c := range []wire.Code{wire.CodeNotReceiver, wire.CodeBadSignature, wire.CodeInvalid} {
		if got := counterValue(t, tw.metrics.registrations.WithLabelValues(c.String())); got == 0 {
			t.Fatalf("refusals %s not counted", c)
		}
	}
}

// TestRegisterTakesAPayersOwnEndorsedProof: a payer may register its own proof that its
// partner endorsed (ADR 0032, 0037), kept in the payer's direction beside the receiver's
// registrations, so the tower can put it on chain over an older proof of the payer's.
// Only the two participants may: the same proof sent by a stranger is refused.
func TestRegisterTakesAPayersOwnEndorsedProof(t *testing.T) {
	chain := newFakeChain()
	a, b, mallory := newParty(t), newParty(t), newParty(t)
	d := chain.Domain()
	id := channel.ID{4}
	chain.set(id, openView(a, b))
	tw := newTestTower(t, chain, "")
	own := registration(t, d, id, 7, 700, a, b) // a's proof, endorsed by b
	if rc := tw.register(context.Background(), mallory.addr, own); rc.Code != wire.CodeNotReceiver {
		t.Fatalf("sent by a stranger: %s (%s), want not_receiver", rc.Code, rc.Reason)
	}
	if guardsAny(t, tw, id) {
		t.Fatal("a stranger's registration was stored")
	}
	if rc := tw.register(context.Background(), a.addr, own); rc.Code != wire.CodeAccepted {
		t.Fatalf("sent by the payer: %s (%s), want accepted", rc.Code, rc.Reason)
	}
	if nonce, ok := held(t, tw, id, channel.PartyA); !ok || nonce != 7 {
		t.Fatalf("a's direction holds %d (%v), want 7", nonce, ok)
	}
	if _, ok := held(t, tw, id, channel.PartyB); ok {
		t.Fatal("the payer's registration filled the other direction")
	}
	// The receiver registering the same proof is the same direction: stale.
	if rc := tw.register(context.Background(), b.addr, own); rc.Code != wire.CodeStale {
		t.Fatalf("the receiver's repeat: %s, want stale", rc.Code)
	}
}

func TestRegisterKeepsOnlyTheHighestNonce(t *testing.T) {
	chain := newFakeChain()
	a, b := newParty(t), newParty(t)
	d := chain.Domain()
	id := channel.ID{9}
	chain.set(id, openView(a, b))
	tw := newTestTower(t, chain, "")

	for _, step := range []struct {
		nonce uint64
		want  wire.Code
		held  uint64
	}{
		{5, wire.CodeAccepted, 5},
		{9, wire.CodeAccepted, 9},
		{4, wire.CodeStale, 9},
		{9, wire.CodeStale, 9},
		{10, wire.CodeAccepted, 10},
	} {
		rc := tw.register(context.Background(), b.addr, registration(t, d, id, step.nonce, int64(step.nonce)*100, a, b))
		if rc.Code != step.want {
			t.Fatalf("nonce %d: code %s (%s), want %s", step.nonce, rc.Code, rc.Reason, step.want)
		}
		if got, _ := held(t, tw, id, channel.PartyA); got != step.held {
			t.Fatalf("after nonce %d the tower holds %d, want %d", step.nonce, got, step.held)
		}
	}
	// The other direction of the same channel is a's to register, and is kept apart: a
	// lower nonce there is not stale, and a higher one does not replace b's proof.
	for _, n := range []uint64{3, 11} {
		rc := tw.register(context.Background(), a.addr, registration(t, d, id, n, int64(n), b, a))
		if rc.Code != wire.CodeAccepted {
			t.Fatalf("a's received proof %d: %s (%s)", n, rc.Code, rc.Reason)
		}
	}
	if got, _ := held(t, tw, id, channel.PartyA); got != 10 {
		t.Fatalf("b's proof became nonce %d when a registered its own, want 10", got)
	}
	if got, _ := held(t, tw, id, channel.PartyB); got != 11 {
		t.Fatalf("a's proof is nonce %d, want 11", got)
	}
	if tw.Guarded() != 2 {
		t.Fatalf("guarded %d proofs for both directions of one channel, want 2", tw.Guarded())
	}
}

func TestRegisterAnswersUnavailableWhenTheChainIsDown(t *testing.T) {
	chain := newFakeChain()
	a, b := newParty(t), newParty(t)
	id := channel.ID{4}
	chain.set(id, openView(a, b))
	chain.down = true
	tw := newTestTower(t, chain, "")
	rc := tw.register(context.Background(), b.addr, registration(t, chain.Domain(), id, 1, 1, a, b))
	if rc.Code != wire.CodeUnavailable || !rc.Code.Retryable() {
		t.Fatalf("code %s, want a retryable unavailable", rc.Code)
	}
	if guardsAny(t, tw, id) {
		t.Fatal("stored without checking the chain")
	}
}

func TestRegisterRefusesPastTheChannelLimit(t *testing.T) {
	chain := newFakeChain()
	a, b := newParty(t), newParty(t)
	key, _ := crypto.GenerateKey()
	tw, err := New(Config{Key: key, DataDir: t.TempDir(), Chain: chain, MaxChannels: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tw.Close()
	for i, want := range []wire.Code{wire.CodeAccepted, wire.CodeFull} {
		id := channel.ID{byte(20 + i)}
		chain.set(id, openView(a, b))
		if rc := tw.register(context.Background(), b.addr, registration(t, chain.Domain(), id, 1, 1, a, b)); rc.Code != want {
			t.Fatalf("channel %d: %s, want %s", i, rc.Code, want)
		}
	}
}
