package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/mediate"
)

// TestALockExpiredInTheHubsViewDoesNotStickTheChannel: the wallet's chain view lags a
// time jump by more than a lock's whole life, and it pays with PayRouted (no head read
// of its own, as a lagging hub forwarding would): its lock is already expired for the
// hub. The hub takes the proof (refusing it would leave the channel a nonce apart for
// good: the wallet counts it sent) and refuses the lock; the wallet cancels it. Nothing
// moved, the two agree on the channel, and the next payment goes through. Before, the hub
// refused the proof as "lock expiration not in the future" and every later payment on the
// channel timed out on a nonce gap.
func TestALockExpiredInTheHubsViewDoesNotStickTheChannel(t *testing.T) {
	x, _ := laggingPayer(t, 3*mediate.DefaultRevealMargin*time.Second+5*time.Second, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req := RoutedPayRequest{Hops: []common.Address{x.hub.signer.Address(), x.merchant.signer.Address()},
		Amount: big.NewInt(1000), SecretHash: invoice(t, x.merchant, 1000).SecretHash}
	rand.Read(req.PaymentID[:])
	_, err := x.wallet.PayRouted(ctx, req)
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || refused.FailedNode != x.hub.signer.Address() {
		t.Fatalf("a lock already expired for the hub: %v, want the hub's refusal", err)
	}
	x.m1.eventually(t, "wallet-hub after the refused lock", x.wallet, x.hub)
	x.m2.eventually(t, "hub-merchant untouched", x.hub, x.merchant)

	res, err := x.pay(t, 2000) // PayTo reads the head: priced from the chain's time
	x.paidOverTheHub(t, res, err, 1)
}

// TestAnExpiryTheLaggingPayeeRefusedIsSentAgain: the merchant holds the hub's lock and
// never reveals; chain time jumps past the lock's expiration while the merchant's view
// stays behind, and so do its fresh reads of the head (an RPC endpoint behind the
// others). The hub expires the lock (LockExpired); for the merchant the lock has not
// expired yet, so it refuses the proof. Once the merchant's view catches up, the hub's
// unacknowledged expiry must reach it again without waiting for a reconnect: the two
// agree on the channel and the next payment goes through. Before, the hub resent its
// lock messages only when the peer reconnected, and the channel stayed a nonce apart.
func TestAnExpiryTheLaggingPayeeRefusedIsSentAgain(t *testing.T) {
	tn := newTestNet(t)
	lag := &staleViewChain{}
	fast := RoutingConfig{AnnounceInterval: 300 * time.Millisecond, AnnounceMinGap: time.Second, AnnounceRefresh: 2 * time.Second}
	wallet := tn.startNode(0, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	hub := tn.startNode(1, nodeOpts{routing: fast})
	merchant := tn.startNode(2, nodeOpts{routing: fast, wrapChain: func(c Chain) Chain { lag.Chain = c; return lag }})
	idWH := openChannel(t, wallet, hub, big.NewInt(10_000), nil, time.Hour)
	idHM := openChannel(t, hub, merchant, big.NewInt(10_000), nil, time.Hour)
	hops := []common.Address{hub.signer.Address(), merchant.signer.Address()}
	hash := silentHash(t, merchant, 100)
	held := payAsync(t, wallet, hops, 100, hash)
	waitFor(t, "the merchant holds the hub's lock", func() bool { return incomingPending(merchant, idHM, hash) })

	lag.freeze(t)
	lag.staleHeads.Store(1 << 30)      // its reads of the head lag too (an RPC behind the others)
	time.Sleep(200 * time.Millisecond) // a poll in flight at the freeze may still raise the view
	if err := tn.chain.AdjustTime(time.Duration(3*mediate.DefaultRevealMargin+30) * time.Second); err != nil {
		t.Fatal(err)
	}
	tn.chain.Commit()
	waitFor(t, "the hub expires its lock to the merchant", func() bool {
		lc := hub.channel(idHM)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		_, pending := lc.st.PendingLock(lc.us, hash)
		return !pending
	})
	time.Sleep(300 * time.Millisecond) // the merchant refuses the expiry from its lagging view
	if !incomingPending(merchant, idHM, hash) {
		t.Fatal("the lagging merchant took the expiry: the test lost its lag")
	}
	lag.frozen.Store(nil) // the merchant's view catches up; no reconnect
	// Offered again once the hub has seen no acknowledgement for lockResendAfter (the
	// resender looks every third of it): up to about 14 s here.
	deadline := time.Now().Add(lockResendAfter + 30*time.Second)
	for incomingPending(merchant, idHM, hash) || partnerSeesNonce(merchant, idHM) != latestOwnProof(t, hub, idHM).Nonce {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for the merchant to take the hub's expiry")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-held:
		if err == nil {
			t.Fatal("the silent merchant's payment succeeded")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the expired payment never ended")
	}
	_ = idWH
	inv := invoice(t, merchant, 300)
	if _, err := routedPay(t, wallet, hops, 300, inv.SecretHash); err != nil {
		t.Fatalf("the next payment after the expiry: %v", err)
	}
}
