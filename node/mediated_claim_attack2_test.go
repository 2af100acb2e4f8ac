package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
)

// On-chain attacks on the hub's claim path (ADR 0027): the payer or the payee uses the
// chain against the hub. Payouts are read from the contract's events and compared with
// the hub's entitlement, computed by the test.

var errCloseHeld = errors.New("test: close not accepted by the chain node (held)")

// holdCloses stands in for a chain node that refuses the hub's close for a while (an
// RPC outage, an account out of gas money): while hold is set, preparing a close fails
// and nothing is submitted. Everything else goes through.
type holdCloses struct {
	Chain
	hold    atomic.Bool
	refused atomic.Int32
}

func (h *holdCloses) Prepare(ctx context.Context, call ChainCall) (SignedTx, error) {
	if h.hold.Load() && call.Kind == CallClose {
		h.refused.Add(1)
		return SignedTx{}, errCloseHeld
	}
	return h.Chain.Prepare(ctx, call)
}

// blindRegistry is a payer that does not look at (or pretends not to see) the secret
// registry: it never learns a secret from the chain.
type blindRegistry struct{ Chain }

func (blindRegistry) SecretRegisteredAt(context.Context, [32]byte) (uint64, error) { return 0, nil }
func (blindRegistry) RegisteredSecret(context.Context, [32]byte) ([32]byte, bool, error) {
	return [32]byte{}, false, nil
}

// TestAttack2PayerCannotExpireALockWhoseSecretTheHubRegisteredInTime: wallet A -> hub H
// -> merchant C. C releases the secret, H unlocks to C (pays 250) and reveals to A, which
// is offline. At the claim deadline H registers the secret on chain, in time; its close
// cannot get out before the lock expires (held here). ADR 0027 says the close has no
// deadline: the registration alone makes the lock H's. A comes back after the expiration,
// does not look at the registry, and sends LockExpired. The hub's entitlement on the
// A-H channel is the 250 it forwarded and paid: it must keep the lock (not accept the
// expiry) and get 250 on chain.
func TestAttack2PayerCannotExpireALockWhoseSecretTheHubRegisteredInTime(t *testing.T) {
	tn := newTestNet(t)
	reader := chainReader(t, tn)
	aDir := t.TempDir()
	blind := func(c Chain) Chain { return blindRegistry{c} }
	held := &holdCloses{}
	held.hold.Store(true)
	a := tn.startNode(1, nodeOpts{dir: aDir, wrapChain: blind})
	h := tn.startNode(2, nodeOpts{wrapChain: func(c Chain) Chain { held.Chain = c; return held }})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	wallet, hub, merchant := a.signer.Address(), h.signer.Address(), c.signer.Address()

	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	expectInvoice(t, c, hash, big.NewInt(250))
	go routedPay(t, a, []common.Address{hub, merchant}, 250, hash) //nolint:errcheck // A goes offline
	waitFor(t, "the merchant holds the forwarded lock", func() bool { return partnerSeesNonce(c, idHC) == 1 })
	lcH := h.channel(idAH)
	lcH.mu.Lock()
	lock, ok := lcH.st.PendingLock(lcH.us.Other(), hash)
	lcH.mu.Unlock()
	if !ok {
		t.Fatal("the hub holds no lock from the wallet")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	learnSecret(t, c, secret, big.NewInt(250))
	hc := newModel(idHC, h, c, 1000)
	hc.pay(hub, merchant, 250)
	hc.eventually(t, "the hub paid the merchant", h, c)

	advanceTo(t, tn, reader, h.med.cfg.ClaimDeadline(lock))
	waitFor(t, "the hub registers the secret", func() bool { return hasClaim(h, idAH, ClaimSecretRegistered) })
	waitFor(t, "the hub tries to close", func() bool { return held.refused.Load() > 0 })
	at, err := reader.SecretRegisteredAt(context.Background(), hash)
	if err != nil || !mediate.RegisteredInTime(at, lock.Expiration) {
		t.Fatalf("secret registered at %d (%v), lock expires at %d", at, err, lock.Expiration)
	}

	// Past the expiration the wallet comes back and expires its lock.
	advanceTo(t, tn, reader, lock.Expiration+1)
	a2 := tn.startNode(1, nodeOpts{dir: aDir, wrapChain: blind, staticPeers: []string{addrOf(t, h)}})
	waitFor(t, "the wallet signs its expiry", func() bool {
		lc := a2.channel(idAH)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		_, pending := lc.st.PendingLock(lc.us, hash)
		return !pending
	})
	time.Sleep(time.Second) // the expiry reaches the hub and is decided
	lcH.mu.Lock()
	_, still := lcH.st.PendingLock(lcH.us.Other(), hash)
	nonce := lcH.st.Nonce(lcH.us.Other())
	lcH.mu.Unlock()
	if !still {
		t.Fatalf("the hub accepted the wallet's expiry (wallet nonce now %d) of a lock whose secret it registered at %d <= expiration %d, after paying the merchant 250: its claim on chain is gone (entitled to 250 on the wallet's channel)",
			nonce, at, lock.Expiration)
	}

	// The close gets out; the challenge period passes; the hub is paid the lock.
	held.hold.Store(false)
	waitFor(t, "the hub closes to claim the lock", func() bool { return channelStatus(h, idAH) == channel.StatusClosing })
	v, err := reader.Channel(context.Background(), idAH)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, v.SettleAfter+1)
	// Whoever unlocks first (the hub, or the wallet, which does not see the registration
	// and expects the lock back), the contract pays the registered lock to the hub.
	var got map[common.Address]*big.Int
	waitFor(t, "the lock is unlocked after settle (the whole 1000 paid out)", func() bool {
		got = payouts(t, reader, idAH, wallet, hub)
		return new(big.Int).Add(got[hub], got[wallet]).Int64() == 1000
	})
	if got[hub].Int64() != 250 || got[wallet].Int64() != 750 {
		t.Fatalf("payouts: hub %s (entitled to 250: the lock it paid the merchant for), wallet %s (want 750)", got[hub], got[wallet])
	}
}

// TestAttack2PayeeClosesAndRegistersTheSecretAtTheLastMoment: wallet A -> hub H ->
// merchant C. C takes the hub's lock, does not reveal, closes the H-C channel on chain
// with the hub's proof that carries the lock, and registers the secret as late as the
// contract still counts it (just before the lock's expiration) or just too late. The hub
// must learn the secret from the registry and get its own incoming lock paid (A is
// honest: it unlocks once the hub reveals). Entitlements, computed here: in time, C is
// paid 250 on chain and the hub 250 by A (the hub ends with its 1000); too late, the
// lock returns to the hub on chain (C gets 0), and A, whose secret is public, pays 250.
func TestAttack2PayeeClosesAndRegistersTheSecretAtTheLastMoment(t *testing.T) {
	for _, tc := range []struct {
		name   string
		late   bool
		toPaye int64 // what the merchant gets on chain from the lock
	}{{"in time", false, 250}, {"too late", true, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			tn := newTestNet(t)
			reader := chainReader(t, tn)
			a := tn.startNode(1, nodeOpts{})
			h := tn.startNode(2, nodeOpts{})
			c := tn.startNode(3, nodeOpts{})
			idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
			idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
			wallet, hub, merchant := a.signer.Address(), h.signer.Address(), c.signer.Address()
			var secret [32]byte
			rand.Read(secret[:])
			hash := channel.SecretHash(secret)
			expectInvoice(t, c, hash, big.NewInt(250))
			done := make(chan error, 1)
			go func() {
				_, err := routedPay(t, a, []common.Address{hub, merchant}, 250, hash)
				done <- err
			}()
			waitFor(t, "the merchant holds the forwarded lock", func() bool { return partnerSeesNonce(c, idHC) == 1 })
			lcH := h.channel(idHC)
			lcH.mu.Lock()
			out, _ := lcH.st.PendingLock(lcH.us, hash)
			lcH.mu.Unlock()

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := c.CloseChannel(ctx, idHC, true); err != nil {
				t.Fatalf("merchant's close: %v", err)
			}
			waitFor(t, "the hub sees the close", func() bool { return channelStatus(h, idHC) != channel.StatusOpen })

			target := out.Expiration - 30
			if tc.late {
				target = out.Expiration + 5
			}
			advanceTo(t, tn, reader, target)
			if _, err := reader.RegisterSecret(context.Background(), secret); err != nil {
				t.Fatal(err)
			}
			at, err := reader.SecretRegisteredAt(context.Background(), hash)
			if err != nil || mediate.RegisteredInTime(at, out.Expiration) == tc.late {
				t.Fatalf("setup: registered at %d (%v), lock to the merchant expires at %d, late=%v", at, err, out.Expiration, tc.late)
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("the wallet's payment: %v (the hub did not get its incoming lock paid)", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the hub did not claim its incoming lock from the wallet after the secret was registered")
			}
			ah := newModel(idAH, a, h, 1000)
			ah.pay(wallet, hub, 250)
			ah.eventually(t, "wallet-hub: the hub was paid its incoming lock", a, h)

			v, err := reader.Channel(context.Background(), idHC)
			if err != nil {
				t.Fatal(err)
			}
			advanceTo(t, tn, reader, v.SettleAfter+1)
			waitFor(t, "the held lock is unlocked on chain", func() bool {
				recv, held, err := reader.PendingUnlock(context.Background(), idHC, hub)
				return err == nil && recv == (common.Address{}) && held.Sign() == 0 && channelStatus(h, idHC) == channel.StatusSettled
			})
			got := payouts(t, reader, idHC, hub, merchant)
			if got[merchant].Int64() != tc.toPaye || got[hub].Int64() != 1000-tc.toPaye {
				t.Fatalf("H-C payouts: hub %s, merchant %s; want %d and %d", got[hub], got[merchant], 1000-tc.toPaye, tc.toPaye)
			}
		})
	}
}

// TestAttack2PayerClosesOnChainRightAfterTheHubForwarded: wallet A locks 250 to the hub,
// the hub forwards it to merchant C, and A at once closes A-H on chain (with nothing of
// the hub's: the hub never paid A) hoping the lock dies with the channel. C then releases
// the secret and the hub pays C 250 off-chain. The hub's entitlement on A-H is the 40 A
// paid it directly plus the 250 lock: it must defend with A's latest proof (which carries
// the lock), register the secret in time, and be paid 290 on chain; A gets 710.
func TestAttack2PayerClosesOnChainRightAfterTheHubForwarded(t *testing.T) {
	tn := newTestNet(t)
	reader := chainReader(t, tn)
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	wallet, hub, merchant := a.signer.Address(), h.signer.Address(), c.signer.Address()
	mustPay(t, a, idAH, 40)
	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	expectInvoice(t, c, hash, big.NewInt(250))
	go routedPay(t, a, []common.Address{hub, merchant}, 250, hash) //nolint:errcheck // ends with A's close
	waitFor(t, "the merchant holds the forwarded lock", func() bool { return partnerSeesNonce(c, idHC) == 1 })
	lcH := h.channel(idAH)
	lcH.mu.Lock()
	lock, _ := lcH.st.PendingLock(lcH.us.Other(), hash)
	lcH.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := a.CloseChannel(ctx, idAH, true); err != nil {
		t.Fatalf("wallet's close: %v", err)
	}
	waitFor(t, "the hub sees the close", func() bool { return channelStatus(h, idAH) != channel.StatusOpen })

	learnSecret(t, c, secret, big.NewInt(250))
	hc := newModel(idHC, h, c, 1000)
	hc.pay(hub, merchant, 250)
	hc.eventually(t, "the hub paid the merchant", h, c)
	waitFor(t, "the hub registers the secret", func() bool { return hasClaim(h, idAH, ClaimSecretRegistered) })
	at, err := reader.SecretRegisteredAt(context.Background(), hash)
	if err != nil || !mediate.RegisteredInTime(at, lock.Expiration) {
		t.Fatalf("secret registered at %d (%v), lock expires at %d", at, err, lock.Expiration)
	}
	v, err := reader.Channel(context.Background(), idAH)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, v.SettleAfter+1)
	waitFor(t, "the hub claims the lock after settle", func() bool { return hasClaim(h, idAH, ClaimLockClaimed) })
	got := payouts(t, reader, idAH, wallet, hub)
	if got[hub].Int64() != 290 || got[wallet].Int64() != 710 {
		t.Fatalf("A-H payouts: hub %s (entitled to 40 paid + 250 locked), wallet %s (want 710)", got[hub], got[wallet])
	}
	if recv, held, err := reader.PendingUnlock(context.Background(), idAH, wallet); err != nil || recv != (common.Address{}) || held.Sign() != 0 {
		t.Fatalf("escrow still holds %v for %s (%v)", held, recv, err)
	}
}

// TestAttack2MerchantClaimsATightLockItsPayerNeverUnlocks: the payer locks 250 directly
// to the merchant with the tightest expiration the merchant accepts (chain time + one
// reveal margin), takes the secret and never sends its unlock. The merchant released the
// secret, so its entitlement is the 250: it must register in time, close, and be paid
// 250 on chain; the payer gets 750.
func TestAttack2MerchantClaimsATightLockItsPayerNeverUnlocks(t *testing.T) {
	tn := newTestNet(t)
	reader := chainReader(t, tn)
	keep := &lossyTransport{lose: p2p.TypeUnlock}
	keep.on.Store(true)
	a := tn.startNode(1, nodeOpts{wrap: func(tr Transport) Transport { keep.Transport = tr; return keep }})
	c := tn.startNode(3, nodeOpts{})
	id := openChannel(t, a, c, big.NewInt(1000), nil, time.Hour)
	payer, merchant := a.signer.Address(), c.signer.Address()
	inv := invoice(t, c, 250)
	now, err := a.chainNow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	lock := channel.Lock{Amount: big.NewInt(250), Expiration: now + mediate.DefaultRevealMargin, SecretHash: inv.SecretHash}
	msg := &p2p.LockedTransfer{Lock: lock, Target: merchant, Amount: big.NewInt(250)}
	if _, err := a.sendLockUpdate(a.channel(id), channel.AddLock(lock), now, msg, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the payer has the secret and unlocked (its unlock never leaves)", func() bool {
		lc := a.channel(id)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		_, pending := lc.st.PendingLock(lc.us, inv.SecretHash)
		return !pending
	})
	advanceTo(t, tn, reader, c.med.cfg.ClaimDeadline(lock))
	waitFor(t, "the merchant closes to claim the lock", func() bool { return channelStatus(c, id) == channel.StatusClosing })
	at, err := reader.SecretRegisteredAt(context.Background(), inv.SecretHash)
	if err != nil || !mediate.RegisteredInTime(at, lock.Expiration) {
		t.Fatalf("secret registered at %d (%v), lock expires at %d", at, err, lock.Expiration)
	}
	v, err := reader.Channel(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, v.SettleAfter+1)
	waitFor(t, "the merchant claims the lock after settle", func() bool { return hasClaim(c, id, ClaimLockClaimed) })
	got := payouts(t, reader, id, payer, merchant)
	if got[merchant].Int64() != 250 || got[payer].Int64() != 750 {
		t.Fatalf("payouts: merchant %s (entitled to the 250 it released the secret for), payer %s (want 750)", got[merchant], got[payer])
	}
}
