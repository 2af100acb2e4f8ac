package node

import (
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// TestAttack4RoutedLogAfterARetryOnTheSameHash: the payer's first route through the hub
// goes on to D1, which has no channel to the payee and refuses; the hub cancels, D1
// endorses, the payer's lock is cancelled, and the payer retries on the SAME hash through
// the same hub and D2, which pays the payee. The hub's routed log must say what happened:
// one forwarding of the payment that went out on hub-D2 and was unlocked, and the refused
// first attempt (if listed) not pending. A record left pending by the cancel takes the
// retry's place, so the hub's log names the channel it did not pay over.
func TestAttack4RoutedLogAfterARetryOnTheSameHash(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{})
	d1 := tn.startNode(3, nodeOpts{})
	d2 := tn.startNode(4, nodeOpts{})
	c := tn.startNode(5, nodeOpts{})
	openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idH1 := openChannel(t, h, d1, big.NewInt(1000), nil, time.Hour)
	idH2 := openChannel(t, h, d2, big.NewInt(1000), nil, time.Hour)
	openChannel(t, d2, c, big.NewInt(1000), nil, time.Hour)
	hub, via1, via2, payee := h.signer.Address(), d1.signer.Address(), d2.signer.Address(), c.signer.Address()
	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	expectInvoice(t, c, hash, big.NewInt(100))
	if _, err := routedPay(t, a, []common.Address{hub, via1, payee}, 100, hash); !errors.Is(err, ErrRouteRefused) {
		t.Fatalf("first attempt via D1 (no channel to the payee): %v, want refused", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, a, []common.Address{hub, via2, payee}, 100, hash)
		done <- err
	}()
	waitFor(t, "the payee holds the retry's lock", func() bool { return partnerSeesNonce(c, idOf(t, d2, c)) >= 1 })
	learnSecret(t, c, secret, big.NewInt(100))
	if err := <-done; err != nil {
		t.Fatalf("the retry via D2: %v", err)
	}
	time.Sleep(500 * time.Millisecond) // the hub's unlock upstream and its log write
	var out []string
	unlocked := 0
	for _, r := range routedRecords(t, h) {
		if r.Role != store.RoleMediator || r.SecretHash != hash {
			continue
		}
		out = append(out, r.State.String()+" out="+r.Out.String())
		switch {
		case r.State == store.LockUnlocked && r.Out == idH2:
			unlocked++
		case r.State == store.LockUnlocked && r.Out == idH1:
			t.Errorf("the hub's log says it forwarded the payment over hub-D1 and was unlocked: it went out over hub-D2")
		case !r.State.Final():
			t.Errorf("the hub's log keeps a forwarding record %s pending", r.State)
		}
	}
	if unlocked != 1 {
		t.Errorf("the hub's mediator records for the hash: %v; want one unlocked out over hub-D2 (%s)", out, idH2)
	}
}

// idOf is the channel between a and b.
func idOf(t *testing.T, a, b *Node) channel.ID {
	t.Helper()
	lc := a.openChannelWith(b.signer.Address())
	if lc == nil {
		t.Fatal("no channel")
	}
	return lc.id
}
