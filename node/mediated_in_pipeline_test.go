package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
)

// Lock proofs have their signatures recovered by the verifier workers before the
// in-order handler sees them (inbound.go). A proof signed by any other key than the
// partner's is still refused before anything is stored or forwarded, and the channel
// goes on working.
func TestLockProofSignedByAnotherKeyIsRefusedBeforeAnythingIsStored(t *testing.T) {
	x := newThreeNodes(t)
	inv := invoice(t, x.c, 40)
	now, err := x.a.chainNow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	lock := channel.Lock{Amount: big.NewInt(40), Expiration: x.a.med.cfg.InitiatorExpiration(now, 2), SecretHash: inv.SecretHash}
	lcA := x.a.channel(x.idAH)
	lcA.mu.Lock()
	proof, err := lcA.st.PrepareLockUpdate(lcA.us, channel.AddLock(lock), now, x.a.signer)
	lcA.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	// The same proof, signed by a stranger.
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := channel.NewKeySigner(key)
	if err != nil {
		t.Fatal(err)
	}
	h, err := channel.NewHasher(x.a.domain)
	if err != nil {
		t.Fatal(err)
	}
	digest, err := h.BalanceProofDigest(proof.BalanceProof)
	if err != nil {
		t.Fatal(err)
	}
	forged := proof
	if forged.Sig, err = stranger.SignDigest(digest); err != nil {
		t.Fatal(err)
	}
	var id [16]byte
	rand.Read(id[:])
	msg := &p2p.LockedTransfer{Lock: lock, PaymentID: id, Target: x.payee, Amount: big.NewInt(40), Hops: x.route[1:]}
	msg.Proof = forged
	wrongSigner := x.h.metrics.rejects.WithLabelValues(rejectLabel(channel.Code(channel.ErrWrongSigner)))
	before := counterValue(wrongSigner)
	if err := x.a.transport.Send(context.Background(), x.hub, msg); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hub refuses the forged lock proof", func() bool { return counterValue(wrongSigner) > before })

	lcH := x.h.channel(x.idAH)
	lcH.mu.Lock()
	nonce, pending := lcH.st.Nonce(lcH.us.Other()), len(lcH.st.Locks(lcH.us.Other()))
	lcH.mu.Unlock()
	if nonce != 0 || pending != 0 {
		t.Fatalf("hub applied a forged lock proof: payer nonce %d, %d pending locks", nonce, pending)
	}
	ps := x.h.store.(interface {
		GetProof(channel.ID, channel.Party) (channel.SignedProof, bool, error)
	})
	if p, found, err := ps.GetProof(x.idAH, lcH.us.Other()); err != nil || (found && p.Nonce != 0) {
		t.Fatalf("hub stored a forged lock proof: %+v %v %v", p, found, err)
	}
	if locks, found, err := x.h.store.(lockStorage).GetLocks(x.idAH, lcH.us.Other()); err != nil || (found && len(locks.Locks) > 0) {
		t.Fatalf("hub stored the forged lock: %+v %v", locks, err)
	}
	lcC := x.c.channel(x.idHC)
	lcC.mu.Lock()
	forwarded := lcC.st.Nonce(lcC.us.Other())
	lcC.mu.Unlock()
	if forwarded != 0 {
		t.Fatalf("hub forwarded a forged lock (payee saw hub nonce %d)", forwarded)
	}

	// The real proof of the same lock (signed by the payer) still goes through.
	msg2 := *msg
	msg2.Proof = proof
	if err := x.a.transport.Send(context.Background(), x.hub, &msg2); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hub takes the payer's own proof of the lock", func() bool {
		lcH.mu.Lock()
		defer lcH.mu.Unlock()
		return lcH.st.Nonce(lcH.us.Other()) == proof.Nonce
	})
}

// The hub caches its open channel per next hop (openChannelWith); once that channel is
// closing, the cache is not used: the next lock over it is refused for want of a channel.
func TestHubDoesNotForwardOverACachedChannelOnceItCloses(t *testing.T) {
	x := newThreeNodes(t)
	inv := invoice(t, x.c, 30)
	if res, err := routedPay(t, x.a, x.route, 30, inv.SecretHash); err != nil || !res.Unlocked {
		t.Fatalf("first routed payment: %+v %v", res, err)
	}
	if lc := x.h.openChannelWith(x.payee); lc == nil || lc.id != x.idHC {
		t.Fatalf("hub's open channel with the payee: %v", lc)
	}
	if _, err := x.h.CloseChannel(context.Background(), x.idHC, true); err != nil {
		t.Fatal(err)
	}
	if lc := x.h.openChannelWith(x.payee); lc != nil {
		t.Fatalf("hub still finds channel %s open with the payee after closing it", lc.id)
	}
	inv = invoice(t, x.c, 20)
	_, err := routedPay(t, x.a, x.route, 20, inv.SecretHash)
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || refused.Reason != mediate.ReasonNoChannel || refused.FailedNode != x.hub {
		t.Fatalf("routed payment over the closed channel: %v; want a no_channel refusal by the hub", err)
	}
}
