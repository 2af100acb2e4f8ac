package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
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

// A hub that learns the secret from the payee reveals it to the payer at once and stores
// it with its unlock to the payee (no write of its own, ADR 0034). Its unlock is lost on
// the wire and the hub restarts: the secret and the unlock are on disk, the restarted hub
// delivers the unlock, and every channel adds up.
func TestHubStoresARevealedSecretWithItsUnlockAndDeliversItAfterARestart(t *testing.T) {
	tn := newTestNet(t)
	lossy := &lossyTransport{lose: p2p.TypeUnlock}
	lossy.on.Store(true)
	hDir := t.TempDir()
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{dir: hDir, wrap: func(tr Transport) Transport { lossy.Transport = tr; return lossy }})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	ah, hc := newModel(idAH, a, h, 1000), newModel(idHC, h, c, 1000)
	payer, hub, payee := a.signer.Address(), h.signer.Address(), c.signer.Address()

	inv := invoice(t, c, 70)
	if res, err := routedPay(t, a, []common.Address{hub, payee}, 70, inv.SecretHash); err != nil || !res.Unlocked {
		t.Fatalf("routed payment: %+v %v", res, err)
	}
	ah.pay(payer, hub, 70)
	ah.eventually(t, "payer-hub channel", a, h)
	waitFor(t, "the hub's unlock to the payee is stored", func() bool {
		s, ok, err := h.store.(lockStorage).GetSecret(inv.SecretHash)
		if err != nil || !ok || channel.SecretHash(s) != inv.SecretHash {
			return false
		}
		locks, found, err := h.store.(lockStorage).GetLocks(idHC, channel.PartyA)
		return err == nil && (!found || len(locks.Locks) == 0)
	})
	h.med.mu.Lock()
	held := len(h.med.held)
	h.med.mu.Unlock()
	if held != 0 {
		t.Fatalf("hub still holds %d secrets after its unlock", held)
	}
	lcC := c.channel(idHC)
	lcC.mu.Lock()
	paidYet := len(lcC.st.Locks(lcC.us.Other())) == 0
	lcC.mu.Unlock()
	if paidYet {
		t.Fatal("the payee saw the hub's unlock, which the test drops")
	}

	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	h2 := tn.startNode(2, nodeOpts{dir: hDir, staticPeers: []string{addrOf(t, a), addrOf(t, c)}})
	hc.pay(hub, payee, 70)
	hc.eventually(t, "hub-payee channel after the restart", h2, c)
	ah.eventually(t, "payer-hub channel after the restart", a, h2)
}
