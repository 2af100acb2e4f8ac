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
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
)

// Attacks on the payee's invoice lifecycle (ADR 0035): a partner of an honest payee uses
// the unsigned fields of a LockedTransfer (target, hops, amount) and repeats of its proof
// to spoil the payee's invoice for the honest payer. Real nodes (embedded chain, libp2p,
// leveldb).

// TestAttack3RefusedLockCannotTakeTheInvoice: the payee's partner M (a hub on the honest
// payer's first route, or anyone who saw the invoice) locks 200 on the invoice's hash
// naming another target: the payee refuses it (bad route) and does not take the invoice.
// M then re-sends the same proof and lock (an exact repeat) naming the payee as target.
// The repeat is acted on again, and the refused lock takes the invoice; the payee never
// reveals for it (it refused it), M cancels it, and the honest payer's payment on its own
// channel is refused as invoice_paid: the invoice can never be paid. The payee is entitled
// to the honest payer's 200.
func TestAttack3RefusedLockCannotTakeTheInvoice(t *testing.T) {
	tn := newTestNet(t)
	mute := &lossyTransport{lose: p2p.TypeLockRefused}
	mute.on.Store(true) // M does not cancel until the repeat is in
	m := tn.startNode(1, nodeOpts{})
	c := tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { mute.Transport = tr; return mute }})
	p := tn.startNode(4, nodeOpts{})
	idMC := openChannel(t, m, c, big.NewInt(1000), nil, time.Hour)
	idPC := openChannel(t, p, c, big.NewInt(1000), nil, time.Hour)
	payee, payer := c.signer.Address(), p.signer.Address()
	inv := invoice(t, c, 200)

	now, err := m.chainNow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	lock := channel.Lock{Amount: big.NewInt(200), Expiration: now + 3*mediate.DefaultRevealMargin, SecretHash: inv.SecretHash}
	msg := &p2p.LockedTransfer{Lock: lock, Target: m.signer.Address(), Amount: big.NewInt(200)}
	if _, err := m.sendLockUpdate(m.channel(idMC), channel.AddLock(lock), now, msg, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the payee refuses the lock naming another target", func() bool { return c.lockRefusedByUs(idMC, inv.SecretHash) })
	repeat := *msg
	repeat.Target = payee
	if err := m.transport.Send(context.Background(), payee, &repeat); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if tk, taken := c.invoiceTakerOf(inv.SecretHash); taken {
		t.Logf("the invoice was taken by the refused lock (channel %s, expiration %d)", tk.ch, tk.expiration)
	}
	mute.on.Store(false) // the refusal reaches M, which cancels
	mc := newModel(idMC, m, c, 1000)
	mc.eventually(t, "M-payee: the refused lock cancelled", m, c)

	// The honest payer pays the invoice on its own channel.
	if _, err := routedPay(t, p, []common.Address{payee}, 200, inv.SecretHash); err != nil {
		t.Fatalf("the honest payer's payment of the open invoice: %v (the payee is entitled to it; M's lock was refused and cancelled and never paid anything)", err)
	}
	pc := newModel(idPC, p, c, 1000)
	pc.pay(payer, payee, 200)
	pc.eventually(t, "payer-payee: paid", p, c)
}

// TestAttack3RepeatNamingAnotherTargetCannotRefuseTheTakingLock: M locks 200 to the
// payee for its invoice; the lock takes the invoice. Before the payee reveals (here the
// payee holds the secret back a moment: an invoice created without it, released later;
// for a live invoice the window is the take's write and the loop's wake-up), M re-sends
// the same proof and lock naming another target. The repeat is decided again: "bad
// route" refuses the very lock that took the invoice, M cancels it, and once the payee
// releases the secret nobody can pay: the taker is gone and every other lock is refused
// invoice_paid. The payee is entitled to the 200 of the lock it accepted (the taker is
// kept, revealed for and unlocked by M's honest node).
func TestAttack3RepeatNamingAnotherTargetCannotRefuseTheTakingLock(t *testing.T) {
	tn := newTestNet(t)
	m := tn.startNode(1, nodeOpts{})
	c := tn.startNode(3, nodeOpts{})
	idMC := openChannel(t, m, c, big.NewInt(1000), nil, time.Hour)
	payer, payee := m.signer.Address(), c.signer.Address()
	var secret [32]byte
	if _, err := rand.Read(secret[:]); err != nil {
		t.Fatal(err)
	}
	hash := channel.SecretHash(secret)
	expectInvoice(t, c, hash, big.NewInt(200))

	now, err := m.chainNow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	lock := channel.Lock{Amount: big.NewInt(200), Expiration: now + 3*mediate.DefaultRevealMargin, SecretHash: hash}
	msg := &p2p.LockedTransfer{Lock: lock, Target: payee, Amount: big.NewInt(200)}
	if _, err := m.sendLockUpdate(m.channel(idMC), channel.AddLock(lock), now, msg, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the lock takes the invoice", func() bool {
		tk, ok := c.durableTakerOf(hash)
		return ok && tk.ch == idMC && tk.expiration == lock.Expiration
	})
	repeat := *msg
	repeat.Target = payer
	if err := m.transport.Send(context.Background(), payee, &repeat); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if !incomingPending(c, idMC, hash) {
		t.Logf("the payee refused the lock that took its invoice on a repeat naming another target, and M cancelled it")
	}
	learnSecret(t, c, secret, big.NewInt(200))
	mc := newModel(idMC, m, c, 1000)
	mc.pay(payer, payee, 200)
	mc.eventually(t, "M-payee: the lock that took the invoice is paid", m, c)
}

// TestAttack3OneWalletBehindAHubCannotExhaustTheMerchantsInvoices: a merchant's only
// channel is with a hub; wallets ask it for invoices over the wire through the hub. The
// merchant counts open invoices per asking peer (ADR 0035: "the per-peer cap keeps one
// partner from filling it"), but the asking peer of a relayed request is the hub, so one
// wallet behind the hub that asks for invoices and never pays fills the hub's quota
// (cap 5 here, 10,000 by default, for the whole invoice TTL, renewable), and every other
// wallet behind that hub is refused "too many open invoices". The honest wallet asked for
// nothing before: it is entitled to an invoice.
func TestAttack3OneWalletBehindAHubCannotExhaustTheMerchantsInvoices(t *testing.T) {
	tn := newTestNet(t)
	x := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{invoices: InvoiceConfig{MaxOpenPerPeer: 5, MaxOpen: 50}})
	p := tn.startNode(4, nodeOpts{})
	openChannel(t, x, h, big.NewInt(1000), nil, time.Hour)
	openChannel(t, p, h, big.NewInt(1000), nil, time.Hour)
	openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	route := []common.Address{h.signer.Address(), c.signer.Address()}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	got := 0
	for i := 0; i < 8; i++ {
		if _, err := x.FetchInvoice(ctx, route, big.NewInt(10), nil); err == nil {
			got++
		}
	}
	if got == 0 {
		t.Fatal("setup: the flooding wallet got no invoice at all")
	}
	if _, err := p.FetchInvoice(ctx, route, big.NewInt(10), nil); err != nil {
		t.Fatalf("the honest wallet's first invoice request: %v (another wallet behind the same hub holds %d unpaid invoices: the merchant's per-peer cap counts the hub, not the wallet)", err, got)
	}
}

// TestAttack3LockAtTheExpirySecondRacesTheSweep: invoices with a 1 s TTL and a sweep
// every 20 ms; for each, the payer's lock is sent within a few ms of the expiry second,
// before and after. Each payment must end one of two ways: paid (the lock took the
// invoice before its expiry, and the secret survives the sweep), or refused as
// invoice_expired (unknown_invoice once swept, which only an answer after the expiry may
// say) and cancelled; never a lock the payee accepted and then cannot pay
// (secret swept under it), nor a payment left pending. Balances to the wei.
func TestAttack3LockAtTheExpirySecondRacesTheSweep(t *testing.T) {
	tn := newTestNet(t)
	p := tn.startNode(1, nodeOpts{})
	c := tn.startNode(3, nodeOpts{invoices: InvoiceConfig{TTL: time.Second, SweepInterval: 20 * time.Millisecond}})
	id := openChannel(t, p, c, big.NewInt(1000), nil, time.Hour)
	payer, payee := p.signer.Address(), c.signer.Address()
	pc := newModel(id, p, c, 1000)
	paid, expired := 0, 0
	for _, offset := range []time.Duration{-60, -25, -10, -3, 0, 2, 8, 30} {
		inv := invoice(t, c, 7)
		at := time.Unix(int64(inv.Expiry), 0).Add(offset * time.Millisecond)
		time.Sleep(time.Until(at))
		_, err := routedPay(t, p, []common.Address{payee}, 7, inv.SecretHash)
		// The sweep deletes only an expired invoice: unknown_invoice is an expiry if the
		// answer came after the expiry (a lock sent 3 ms before it can reach the payee
		// after it and after a sweep, on a loaded machine), a bug if before.
		answeredAfterExpiry := !time.Now().Before(time.Unix(int64(inv.Expiry), 0))
		var refused *RouteRefusedError
		switch {
		case err == nil:
			paid++
			pc.pay(payer, payee, 7)
			if _, known := c.secret(inv.SecretHash); !known {
				t.Fatalf("offset %dms: paid, but the payee's secret is gone", offset)
			}
		case errors.As(err, &refused) && (refused.Reason == mediate.ReasonInvoiceExpired || refused.Reason == mediate.ReasonUnknownInvoice && answeredAfterExpiry):
			expired++ // unknown once the sweep's deletion is durable
		default:
			t.Fatalf("lock sent %dms from the invoice's expiry: %v; want paid or refused as expired", offset, err)
		}
		pc.eventually(t, "payer-payee after a lock at the expiry second", p, c)
	}
	t.Logf("%d paid, %d refused as expired", paid, expired)
}
