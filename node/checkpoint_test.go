package node

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
)

// Checkpoints (ADR 0037) between real nodes: a payer whose removed locks keep tombstones
// asks its partner to endorse its latest proof, and prunes them once it did.

// checkpointPair is payer -> payee, the payee's CancelEndorsements filtered.
type checkpointPair struct {
	tn     *testNet
	h, c   *Node
	filter *endorseFilter
	id     channel.ID
	payee  common.Address
}

func newCheckpointPair(t *testing.T, cfg CheckpointConfig) *checkpointPair {
	tn := newTestNet(t)
	x := &checkpointPair{tn: tn, filter: &endorseFilter{}}
	x.filter.drop.Store(true)
	x.h = tn.startNode(2, nodeOpts{checkpoints: cfg})
	x.c = tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { x.filter.Transport = tr; return x.filter }})
	x.id = openChannel(t, x.h, x.c, big.NewInt(1000), nil, time.Hour)
	x.payee = x.c.signer.Address()
	return x
}

func (x *checkpointPair) pay(t *testing.T, amount int64) error {
	t.Helper()
	inv := invoice(t, x.c, amount)
	res, err := routedPay(t, x.h, []common.Address{x.payee}, amount, inv.SecretHash)
	if err == nil && !res.Unlocked {
		t.Fatalf("locked payment not unlocked: %+v", res)
	}
	return err
}

func (x *checkpointPair) storedTombstones(t *testing.T) (int, uint64) {
	t.Helper()
	ts, floor, err := x.h.store.(tombStorage).Tombstones(x.id, channel.PartyA)
	if err != nil {
		t.Fatal(err)
	}
	return len(ts), floor
}

// TestCheckpointPartnerThatNeverEndorsesGetsNoNewLocks: the payee withholds every
// endorsement, so the payer's tombstones on the channel reach MaxTombstones (2) and its
// next lock is refused with ErrTombstoneCap, nothing signed, and counted; direct payments
// and the balances are unaffected. Once the payee endorses, the checkpoint prunes the
// tombstones and locks flow again. Fails without the cap (the third lock is sent).
func TestCheckpointPartnerThatNeverEndorsesGetsNoNewLocks(t *testing.T) {
	x := newCheckpointPair(t, CheckpointConfig{Every: 1, MaxTombstones: 2})
	m := newModel(x.id, x.h, x.c, 1000)
	for range 2 {
		if err := x.pay(t, 10); err != nil {
			t.Fatalf("locked payment under the cap: %v", err)
		}
		m.pay(x.h.signer.Address(), x.payee, 10)
	}
	waitFor(t, "the payer asks for a checkpoint", func() bool { return counterValue(x.h.claims.tombs.asked) >= 1 })
	nonce := partnerSeesNonce(x.c, x.id)
	err := x.pay(t, 10)
	if !errors.Is(err, ErrTombstoneCap) {
		t.Fatalf("lock past the cap: %v, want ErrTombstoneCap", err)
	}
	if got := partnerSeesNonce(x.c, x.id); got != nonce {
		t.Fatalf("a proof left the payer for the refused lock: nonce %d -> %d", nonce, got)
	}
	if v := counterValue(x.h.claims.tombs.refused); v < 1 {
		t.Fatalf("refusals counted: %v", v)
	}
	mustPay(t, x.h, x.id, 5) // direct payments keep no tombstones
	m.pay(x.h.signer.Address(), x.payee, 5)
	m.eventually(t, "after the refused lock", x.h, x.c)
	if n, _ := x.storedTombstones(t); n != 2 {
		t.Fatalf("stored tombstones at the cap: %d", n)
	}

	x.filter.drop.Store(false)
	waitFor(t, "the payee endorses a checkpoint and the payer prunes", func() bool { return x.h.tombstoneCount(x.id) == 0 })
	if n, floor := x.storedTombstones(t); n != 0 || floor == 0 {
		t.Fatalf("stored after the checkpoint: %d tombstones, floor %d", n, floor)
	}
	if err := x.pay(t, 10); err != nil {
		t.Fatalf("locked payment after the checkpoint: %v", err)
	}
	m.pay(x.h.signer.Address(), x.payee, 10)
	m.eventually(t, "after the checkpoint", x.h, x.c)
}

// TestCheckpointForgedEndorsementPrunesNothing: while the payee withholds its
// endorsements, CancelEndorsements of the asked proof signed by a stranger, or signed by
// the payee over another proof, are refused: no tombstone is pruned, no floor is set,
// nothing is stored as endorsed. The payee's genuine endorsement then prunes. Fails if
// an endorsement is stored or acted on before it is verified.
func TestCheckpointForgedEndorsementPrunesNothing(t *testing.T) {
	x := newCheckpointPair(t, CheckpointConfig{Every: 1})
	if err := x.pay(t, 10); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the payer asks for a checkpoint", func() bool { return counterValue(x.h.claims.tombs.asked) >= 1 })
	lc := x.h.channel(x.id)
	lc.mu.Lock()
	latest, _ := lc.st.Latest(lc.us)
	lc.mu.Unlock()
	sign := func(i int, bp channel.BalanceProof) channel.Signature {
		s, err := channel.NewKeySigner(x.tn.chain.Accounts()[i].Key)
		if err != nil {
			t.Fatal(err)
		}
		d, err := x.h.domain.EndorsementDigest(bp)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := s.SignDigest(d)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	other := latest.BalanceProof
	other.Transferred = new(big.Int).Add(latest.Transferred, big.NewInt(1))
	forged := []channel.Signature{sign(5, latest.BalanceProof), sign(3, other)}
	for _, sig := range forged {
		msg := &p2p.CancelEndorsement{Channel: x.id, Nonce: latest.Nonce, Sig: sig}
		if err := x.filter.Transport.Send(context.Background(), x.h.signer.Address(), msg); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(time.Second)
	if n, floor := x.storedTombstones(t); n != 1 || floor != 0 || x.h.tombstoneCount(x.id) != 1 || x.h.med.ref.end.endorsedNonce(x.id) != 0 {
		t.Fatalf("after forged endorsements: %d tombstones stored (%d tracked), floor %d, endorsed nonce %d",
			n, x.h.tombstoneCount(x.id), floor, x.h.med.ref.end.endorsedNonce(x.id))
	}
	x.filter.drop.Store(false)
	waitFor(t, "the genuine endorsement prunes", func() bool { return x.h.tombstoneCount(x.id) == 0 })
	if n, floor := x.storedTombstones(t); n != 0 || floor < latest.Nonce {
		t.Fatalf("after the genuine endorsement: %d tombstones, floor %d", n, floor)
	}
}
