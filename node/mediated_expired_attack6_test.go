package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
)

// TestAttack6ExpiredAddsCostTheHubABoundedSet: since ADR 0039 a receiver takes an add
// whose lock already expired in its view. The payer here signs such adds on purpose
// (expiration 1, a forged client built on the hub's own view of its side) toward a
// payee behind the hub, as fast as it can, and never cancels one the hub refuses. The
// hub must take at most channel.MaxLocks of them (then refuse the add, changing nothing),
// forward none, refuse each (its refusal resends rate-limited), keep its own side of the
// channel and its other channel usable: it pays the payer directly and the payee through
// another channel, and the payer's junk moves none of the hub's funds. Fails if the
// receiver's expired-add rule let the set grow past MaxLocks or forwarded such a lock.
func TestAttack6ExpiredAddsCostTheHubABoundedSet(t *testing.T) {
	tn := newTestNet(t)
	counter := countSends[*p2p.LockRefused]()
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{wrap: func(tr Transport) Transport { counter.Transport = tr; return counter }})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), big.NewInt(1000), time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, payee := h.signer.Address(), c.signer.Address()

	hlc := h.channel(idAH)
	hlc.mu.Lock()
	forged, err := channel.Restore(hlc.st.Snapshot()) // the hub's view of the payer's side
	hlc.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := channel.NewKeySigner(tn.chain.Accounts()[1].Key)
	if err != nil {
		t.Fatal(err)
	}
	cNonce := partnerSeesNonce(c, idHC)
	start := time.Now()
	bg := context.Background()
	for i := range channel.MaxLocks + 1 {
		var hash [32]byte
		rand.Read(hash[:])
		l := channel.Lock{Amount: big.NewInt(1), Expiration: 1, SecretHash: hash}
		u := channel.AddLock(l)
		p, err := forged.PrepareLockUpdate(channel.PartyA, u, 0, signer)
		if i == channel.MaxLocks {
			// The payer's own rules refuse a 65th: sign it by hand on the 64th's set.
			if !errors.Is(err, channel.ErrTooManyLocks) {
				t.Fatalf("65th add: %v, want ErrTooManyLocks", err)
			}
			break
		}
		if err != nil {
			t.Fatalf("forged add %d: %v", i, err)
		}
		if err := forged.CommitLockUpdate(channel.PartyA, u, p, 0); err != nil {
			t.Fatal(err)
		}
		msg := &p2p.LockedTransfer{Proof: p, Lock: l, Target: payee, Amount: big.NewInt(1), Hops: []common.Address{hub, payee}}
		if err := a.transport.Send(bg, hub, msg); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the hub holds the payer's 64 expired locks", func() bool { return pendingCount(h, idAH, false) == channel.MaxLocks })
	waitFor(t, "the hub refuses each", func() bool { return counter.sent.Load() >= channel.MaxLocks })

	// A 65th add on the hub's own view, signed with the payer's key past the bound.
	hlc.mu.Lock()
	over, err := channel.Restore(hlc.st.Snapshot())
	hlc.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	var hash [32]byte
	rand.Read(hash[:])
	extra := channel.Lock{Amount: big.NewInt(1), Expiration: 1, SecretHash: hash}
	latest, _ := over.Latest(channel.PartyA)
	bp := latest.BalanceProof
	bp.Nonce++
	bp.Locked = new(big.Int).Add(latest.Locked, big.NewInt(1))
	bp.LocksRoot, err = channel.LocksRoot(append(over.Locks(channel.PartyA), extra))
	if err != nil {
		t.Fatal(err)
	}
	digest, err := h.domain.BalanceProofDigest(bp)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := signer.SignDigest(digest)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.transport.Send(bg, hub, &p2p.LockedTransfer{Proof: channel.SignedProof{BalanceProof: bp, Sig: sig}, Lock: extra,
		Target: payee, Amount: big.NewInt(1), Hops: []common.Address{hub, payee}}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if got := pendingCount(h, idAH, false); got != channel.MaxLocks {
		t.Fatalf("the hub holds %d locks of the payer's, want at most %d", got, channel.MaxLocks)
	}
	if got := partnerSeesNonce(h, idAH); got != latest.Nonce {
		t.Fatalf("the hub took the payer's proof past the lock bound: nonce %d, want %d", got, latest.Nonce)
	}
	if got := partnerSeesNonce(c, idHC); got != cNonce {
		t.Fatalf("the hub forwarded an expired lock to the payee: nonce %d -> %d", cNonce, got)
	}
	elapsed := time.Since(start)
	if got, limit := counter.sent.Load(), int64(channel.MaxLocks)*(int64(elapsed/resendAfter)+2); got > limit {
		t.Fatalf("the hub sent %d refusals in %v for 64 locks; want at most %d (resends rate-limited)", got, elapsed, limit)
	}

	// The hub's own direction and its other channel are unaffected.
	mustPay(t, h, idAH, 7)
	mustPay(t, h, idHC, 5)
	inv := invoice(t, c, 10)
	if res, err := routedPay(t, h, []common.Address{payee}, 10, inv.SecretHash); err != nil || !res.Unlocked {
		t.Fatalf("the hub's routed payment to the payee: %+v %v", res, err)
	}
	// The payer's 64 locked stay the payer's: nothing of them moved to or from the hub.
	if got := balances(t, h, idAH); got != "A=1007 B=993" {
		t.Fatalf("payer-hub balances %s, want A=1007 B=993 (the hub paid 7)", got)
	}
	mHC := newModel(idHC, h, c, 1000)
	mHC.pay(hub, payee, 15)
	mHC.eventually(t, "hub-payee", h, c)
}

// pendingCount is the number of pending locks on id of n's (outgoing) or its partner's.
func pendingCount(n *Node, id channel.ID, outgoing bool) int {
	lc := n.channel(id)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	payer := lc.us.Other()
	if outgoing {
		payer = lc.us
	}
	return len(lc.st.Locks(payer))
}
