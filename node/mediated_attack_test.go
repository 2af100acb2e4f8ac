package node

import (
	"context"
	"crypto/rand"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
)

// A payer that sends a LockExpired before its lock expired, or a reveal of a wrong
// secret, changes nothing at the receiver; a payer whose lock leaves the hub less than
// two reveal margins is not forwarded.

func TestLockedPaymentCheatingPayerCannotDropALockEarly(t *testing.T) {
	x := newThreeNodes(t)
	var hash [32]byte
	rand.Read(hash[:])
	// A payee that holds the lock silently (with no invoice it would refuse it).
	expectInvoice(t, x.c, hash, big.NewInt(40))
	go routedPay(t, x.a, x.route, 40, hash) //nolint:errcheck // ends with the test
	x.payeeHoldsLock(t)

	lcA := x.a.channel(x.idAH)
	lcA.mu.Lock()
	lock, ok := lcA.st.PendingLock(lcA.us, hash)
	// Signed as if chain time were past the expiration; the hub's chain time is not.
	proof, err := lcA.st.PrepareLockUpdate(lcA.us, channel.ExpireLock(hash), lock.Expiration+1, x.a.signer)
	lcA.mu.Unlock()
	if !ok || err != nil {
		t.Fatalf("forge expiry: %v %v", ok, err)
	}
	if err := x.a.transport.Send(context.Background(), x.hub, &p2p.LockExpired{Proof: proof, SecretHash: hash}); err != nil {
		t.Fatal(err)
	}
	// And a reveal of a secret that opens nothing.
	if err := x.a.transport.Send(context.Background(), x.hub, &p2p.SecretReveal{Secret: [32]byte{1}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hub refuses the early expiry", func() bool {
		return counterValue(x.h.metrics.rejects.WithLabelValues(rejectLabel(channel.Code(channel.ErrLockNotExpired)))) > 0
	})
	lcH := x.h.channel(x.idAH)
	lcH.mu.Lock()
	_, still := lcH.st.PendingLock(lcH.us.Other(), hash)
	nonce := lcH.st.Nonce(lcH.us.Other())
	lcH.mu.Unlock()
	if !still || nonce != proof.Nonce-1 {
		t.Fatalf("hub dropped the lock early (pending %v, payer nonce %d)", still, nonce)
	}
}

func TestLockedPaymentHubDoesNotForwardAnUnsafeLock(t *testing.T) {
	x := newThreeNodes(t)
	inv := invoice(t, x.c, 30)
	now, err := x.a.chainNow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// One margin and a bit: enough for the hub to take, not enough to pass on safely.
	lock := channel.Lock{Amount: big.NewInt(30), Expiration: now + mediate.DefaultRevealMargin + 30, SecretHash: inv.SecretHash}
	msg := &p2p.LockedTransfer{Lock: lock, Target: x.payee, Amount: big.NewInt(30), Hops: []common.Address{x.payee}}
	if _, err := x.a.sendLockUpdate(x.a.channel(x.idAH), channel.AddLock(lock), now, msg, nil); err != nil {
		t.Fatal(err)
	}
	// The hub refuses it instead (ADR 0026): the payer cancels it long before it expires.
	x.ah.eventually(t, "payer-hub channel after the refusal", x.a, x.h)
	lc := x.c.channel(x.idHC)
	lc.mu.Lock()
	n := lc.st.Nonce(lc.us.Other())
	lc.mu.Unlock()
	if n != 0 {
		t.Fatalf("hub forwarded a lock with less than two margins left (payee saw hub nonce %d)", n)
	}
	x.hc.eventually(t, "hub-payee channel", x.h, x.c)
}

// A LockedTransfer lost on the wire, then its payer crashes: the restarted payer still
// delivers it (stored with the proof) before Sync, and the payment completes.
func TestLockedTransferLostThenPayerRestartsIsStillDelivered(t *testing.T) {
	tn := newTestNet(t)
	lossy := &lossyTransport{lose: p2p.TypeLockedTransfer}
	lossy.on.Store(true)
	aDir := t.TempDir()
	a := tn.startNode(1, nodeOpts{dir: aDir, wrap: func(tr Transport) Transport { lossy.Transport = tr; return lossy }})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	m := newModel(id, a, b, 1000)

	inv := invoice(t, b, 60)
	go routedPay(t, a, []common.Address{b.signer.Address()}, 60, inv.SecretHash) //nolint:errcheck // ends with the close
	waitFor(t, "the payer signed and stored its lock", func() bool {
		lc := a.channel(id)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return len(lc.st.Locks(lc.us)) == 1
	})
	time.Sleep(200 * time.Millisecond) // the (lost) send happens after the durable write
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a2 := tn.startNode(1, nodeOpts{dir: aDir, staticPeers: []string{addrOf(t, b)}})
	m.pay(a.signer.Address(), b.signer.Address(), 60)
	m.eventually(t, "after the restarted payer delivered its lock", a2, b)
}
