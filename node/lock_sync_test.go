package node

import (
	"context"
	"encoding/binary"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
)

// TestLockedTransferLostThenDirectPayConvergesWithoutReconnecting: the payer's lock proof
// is lost on a live session, then it pays directly over the same channel. The payee
// refuses the Pay (a nonce gap, and a proof that signs a lock it never saw); the payer's
// Sync re-sends the lost lock proof first, so the payee catches up, accepts the Pay's
// proof from the Sync, and both ends agree without a reconnect or a close. Pay and Sync
// carry locked/locksRoot, so the payee checks the signature without guessing them.
func TestLockedTransferLostThenDirectPayConvergesWithoutReconnecting(t *testing.T) {
	tn := newTestNet(t)
	lossy := &lossyTransport{lose: p2p.TypeLockedTransfer}
	lossy.on.Store(true)
	a := tn.startNode(1, nodeOpts{wrap: func(tr Transport) Transport { lossy.Transport = tr; return lossy }})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	m := newModel(id, a, b, 1000)

	inv := invoice(t, b, 60)
	routed := make(chan error, 1)
	go func() {
		_, err := routedPay(t, a, []common.Address{b.signer.Address()}, 60, inv.SecretHash)
		routed <- err
	}()
	waitFor(t, "the payer signed and stored its lock", func() bool {
		lc := a.channel(id)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return len(lc.st.Locks(lc.us)) == 1
	})
	time.Sleep(200 * time.Millisecond) // the (lost) send happens after the durable write
	lossy.on.Store(false)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Refused or not, the proof is signed and counts as paid; Sync delivers it.
	_, payErr := a.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(7)})
	t.Logf("direct pay behind the lost lock: %v", payErr)
	m.pay(a.signer.Address(), b.signer.Address(), 7)
	payeeRecoversALockedProofFromTheFrameAlone(t, a, id)
	select {
	case err := <-routed:
		if err != nil {
			t.Fatalf("locked payment: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the locked payment did not complete after the Sync re-sent its lock proof")
	}
	m.pay(a.signer.Address(), b.signer.Address(), 60)
	m.eventually(t, "after the lost lock proof and the direct payment", a, b)
	// And the channel is usable again: the next direct payment is acknowledged.
	mustPay(t, a, id, 3)
	m.pay(a.signer.Address(), b.signer.Address(), 3)
	m.eventually(t, "after one more direct payment", a, b)
}

// payeeRecoversALockedProofFromTheFrameAlone: the payer's latest direct proof signs its
// pending lock; sent in a Pay frame, the payee's signature workers recover the payer from
// the decoded frame alone (no copy of the locks), as they do for a channel without locks.
func payeeRecoversALockedProofFromTheFrameAlone(t *testing.T, a *Node, id channel.ID) {
	t.Helper()
	lc := a.channel(id)
	lc.mu.Lock()
	proof, _ := lc.st.Latest(lc.us)
	lc.mu.Unlock()
	if proof.Locked == nil || proof.Locked.Sign() == 0 {
		t.Fatalf("the payer's latest proof has no lock pending: %+v", proof.BalanceProof)
	}
	frame, err := p2p.NewEncoder().AppendFrame(nil, &p2p.Pay{Proof: proof})
	if err != nil {
		t.Fatal(err)
	}
	_, k := binary.Uvarint(frame)
	msg, err := p2p.DecodeMessage(frame[k:])
	if err != nil {
		t.Fatal(err)
	}
	h, err := channel.NewHasher(a.domain)
	if err != nil {
		t.Fatal(err)
	}
	digest, err := h.BalanceProofDigest(msg.(*p2p.Pay).Proof.BalanceProof)
	if err != nil {
		t.Fatal(err)
	}
	if signer, err := h.Recover(digest, proof.Sig); err != nil || signer != a.signer.Address() {
		t.Fatalf("a Pay with a lock pending recovers to %s (%v), want the payer %s", signer, err, a.signer.Address())
	}
}

// countingLossy loses one kind of message for good and counts the Syncs sent.
type countingLossy struct {
	Transport
	lose  p2p.Type
	syncs atomic.Int64
}

func (c *countingLossy) Send(ctx context.Context, to common.Address, m p2p.Message) error {
	if m.Type() == p2p.TypeSync {
		c.syncs.Add(1)
	}
	if m.Type() == c.lose {
		return nil
	}
	return c.Transport.Send(ctx, to, m)
}

// TestSyncRefusedForGoodDoesNotPingPong: the payee can never accept the payer's latest
// proof (it signs a lock whose message never arrives). Each refusal of a proof the Sync
// offered must not be answered with another Sync, or the two would trade Rejects and Syncs
// as fast as the wire allows; the payer offers again on its next payment attempt.
func TestSyncRefusedForGoodDoesNotPingPong(t *testing.T) {
	tn := newTestNet(t)
	lossy := &countingLossy{lose: p2p.TypeLockedTransfer}
	a := tn.startNode(1, nodeOpts{wrap: func(tr Transport) Transport { lossy.Transport = tr; return lossy }})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)

	inv := invoice(t, b, 60)
	go routedPay(t, a, []common.Address{b.signer.Address()}, 60, inv.SecretHash) //nolint:errcheck // never completes
	waitFor(t, "the payer signed and stored its lock", func() bool {
		lc := a.channel(id)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return len(lc.st.Locks(lc.us)) == 1
	})
	time.Sleep(200 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := a.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(7)}); err == nil {
		t.Fatal("the payee accepted a proof signing a lock it never saw")
	}
	before := lossy.syncs.Load()
	time.Sleep(time.Second)
	if n := lossy.syncs.Load() - before; n > 2 {
		t.Fatalf("%d Syncs in a second after the refusal: the payer and payee ping-pong", n)
	}
}
