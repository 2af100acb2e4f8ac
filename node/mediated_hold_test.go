package node

import (
	"crypto/rand"
	"math/big"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// A secret revealed to the initiator is held in memory for its unlock, whose batch stores
// it; a hub, which is paid on the hash and needs the secret to claim on chain, does not
// hold it (it stores the secret before acting, as before).
func TestInitiatorHoldsRevealedSecretUntilItsUnlockStoresIt(t *testing.T) {
	x := newThreeNodes(t)
	var secret [32]byte
	rand.Read(secret[:])
	h := channel.SecretHash(secret)
	expectInvoice(t, x.c, h, big.NewInt(40))
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, x.a, x.route, 40, h)
		done <- err
	}()
	x.payeeHoldsLock(t) // the hub holds the payer's lock and forwarded it
	if x.h.holdSecret(h, secret) {
		t.Fatal("the hub, paid on the hash, held the secret instead of storing it first")
	}
	if !x.a.holdSecret(h, secret) {
		t.Fatal("the initiator did not hold the secret for its unlock")
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("payment with the held secret: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the initiator did not unlock with the held secret")
	}
	ls := x.a.store.(lockStorage)
	if got, ok, err := ls.GetSecret(h); err != nil || !ok || got != secret {
		t.Fatalf("initiator's store after its unlock: %x %v %v; want the secret stored with the unlock", got, ok, err)
	}
	x.a.med.mu.Lock()
	left := len(x.a.med.held)
	x.a.med.mu.Unlock()
	if left != 0 {
		t.Fatalf("%d secrets still held after the unlock", left)
	}
	x.ah.pay(x.payer, x.hub, 40)
	x.ah.eventually(t, "payer-hub channel", x.a, x.h)
}
