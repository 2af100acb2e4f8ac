package node

import (
	"bytes"
	"context"
	"crypto/rand"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/bindings"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/store"
)

// On-chain claims between real nodes (embedded chain, libp2p, leveldb): every payout is
// read back from the contract's events and checked against a model the test keeps.

// holdRegistrations stands in for a chain that takes our registerSecrets transactions and
// does not mine them (a congested pool): while hold is set, their broadcasts are dropped.
type holdRegistrations struct {
	Chain
	hold atomic.Bool
	held atomic.Int32
}

var registerSecretsSelector = bindings.NewSluiceChannels().PackRegisterSecrets([][32]byte{{1}})[:4]

func (h *holdRegistrations) Broadcast(ctx context.Context, stx SignedTx) error {
	if h.hold.Load() {
		if tx, err := decodeTx(stx); err == nil && bytes.HasPrefix(tx.Data(), registerSecretsSelector) {
			h.held.Add(1)
			return nil
		}
	}
	return h.Chain.Broadcast(ctx, stx)
}

// chainReader is a contracts client outside every node, for the test's own reads.
func chainReader(t *testing.T, tn *testNet) *contracts.Client {
	t.Helper()
	c, err := contracts.New(context.Background(), tn.chain.Client(), tn.chain.Contract(), tn.chain.Accounts()[9].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// payouts sums what the contract paid each address for channel id: its settle balance
// and every unlock share.
func payouts(t *testing.T, c *contracts.Client, id channel.ID, a, b common.Address) map[common.Address]*big.Int {
	t.Helper()
	ctx := context.Background()
	head, err := c.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := c.EventsInRange(ctx, 0, head.Number)
	if err != nil {
		t.Fatal(err)
	}
	out := map[common.Address]*big.Int{a: new(big.Int), b: new(big.Int)}
	receiver := map[common.Address]common.Address{a: b, b: a}
	for _, e := range evs {
		switch ev := e.(type) {
		case contracts.ChannelSettled:
			if ev.ID == id {
				out[a].Add(out[a], ev.BalanceA)
				out[b].Add(out[b], ev.BalanceB)
			}
		case contracts.Unlocked:
			if ev.ID == id {
				out[receiver[ev.Sender]].Add(out[receiver[ev.Sender]], ev.ToReceiver)
				out[ev.Sender].Add(out[ev.Sender], ev.ToSender)
			}
		}
	}
	return out
}

// advanceTo moves chain time to at least t.
func advanceTo(t *testing.T, tn *testNet, c *contracts.Client, at uint64) {
	t.Helper()
	head, err := c.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if head.Time < at {
		if err := tn.chain.AdjustTime(time.Duration(at-head.Time+1) * time.Second); err != nil {
			t.Fatal(err)
		}
	}
}

func hasClaim(n *Node, id channel.ID, kind string) bool {
	for _, c := range n.LockClaims() {
		if c.Channel == id && c.Kind == kind {
			return true
		}
	}
	return false
}

func channelStatus(n *Node, id channel.ID) channel.Status {
	lc := n.channel(id)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.st.Status()
}

// escrowOf is the contract's ETH balance.
func escrowOf(t *testing.T, tn *testNet) *big.Int {
	t.Helper()
	b, err := tn.chain.Client().BalanceAt(context.Background(), tn.chain.Contract(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Wallet A -> hub H -> merchant B. B releases the secret, H unlocks to B, and A goes
// silent with its lock to H pending. H must get the lock on chain: register the secret
// by the claim deadline, close, settle, unlock. In the "restart" case H's registration is
// taken by the chain but not mined, and H restarts before it is.
func TestHubClaimsOnChainTheLockItsPayerNeverUnlocks(t *testing.T) {
	for _, restart := range []bool{false, true} {
		name := "plain"
		if restart {
			name = "restart between registration submitted and mined"
		}
		t.Run(name, func(t *testing.T) { hubClaimsOnChain(t, newDevClaimNet(t), restart) })
	}
}

func hubClaimsOnChain(t *testing.T, cn claimNet, restart bool) {
	hDir := t.TempDir()
	held := &holdRegistrations{}
	held.hold.Store(restart)
	a := cn.start(1, nodeOpts{})
	hOpts := nodeOpts{dir: hDir}
	if restart {
		hOpts.wrapChain = func(c Chain) Chain { held.Chain = c; return held }
	}
	h := cn.start(2, hOpts)
	b := cn.start(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHB := openChannel(t, h, b, big.NewInt(1000), nil, time.Hour)
	hub, merchant := h.signer.Address(), b.signer.Address()
	reader := cn.reader()

	mustPay(t, a, idAH, 100) // a direct payment next to the lock
	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	expectInvoice(t, b, hash, big.NewInt(250))
	go routedPay(t, a, []common.Address{hub, merchant}, 250, hash) //nolint:errcheck // A goes silent
	waitFor(t, "the merchant holds the forwarded lock", func() bool {
		lc := b.channel(idHB)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return len(lc.st.Locks(lc.us.Other())) == 1
	})
	lc := h.channel(idAH)
	lc.mu.Lock()
	lock := lc.st.Locks(channel.PartyA)[0]
	lc.mu.Unlock()

	// A stops for good: it never unlocks. Then B learns its secret and releases it.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	learnSecret(t, b, secret, big.NewInt(250))
	hb := newModel(idHB, h, b, 1000)
	hb.pay(hub, merchant, 250)
	hb.eventually(t, "the hub unlocked to the merchant", h, b)
	hv, err := h.Channel(context.Background(), idAH)
	if err != nil {
		t.Fatal(err)
	}
	offChain := new(big.Int).Set(hv.Balance[channel.PartyB]) // H's, without the pending lock
	if offChain.Int64() != 100 {
		t.Fatalf("hub's off-chain balance %s, want 100", offChain)
	}

	// Before the claim deadline nothing happens on chain: A could still unlock.
	deadline := h.med.cfg.ClaimDeadline(lock)
	cn.advanceTo(deadline - 60)
	time.Sleep(500 * time.Millisecond)
	if len(h.LockClaims()) != 0 || channelStatus(h, idAH) != channel.StatusOpen {
		t.Fatalf("hub claimed before the deadline: %+v", h.LockClaims())
	}
	cn.advanceTo(deadline)

	if restart {
		waitFor(t, "the registration submitted", func() bool { return held.held.Load() > 0 })
		if err := h.Close(); err != nil {
			t.Fatal(err)
		}
		ops, err := openStoreOps(t, hDir)
		if err != nil || ops != 1 {
			t.Fatalf("registerSecrets ops left submitted at the restart: %d (%v), want 1", ops, err)
		}
		if at, _ := reader.SecretRegisteredAt(context.Background(), hash); at != 0 {
			t.Fatal("the held registration was mined")
		}
		h = cn.start(2, nodeOpts{dir: hDir, staticPeers: []string{addrOf(t, b)}})
	}
	waitFor(t, "the hub closes to claim the lock", func() bool { return channelStatus(h, idAH) == channel.StatusClosing })
	at, err := reader.SecretRegisteredAt(context.Background(), hash)
	if err != nil || !mediate.RegisteredInTime(at, lock.Expiration) {
		t.Fatalf("secret registered at %d (%v), lock expires at %d", at, err, lock.Expiration)
	}

	// The challenge period passes; H settles and unlocks A's locks.
	v, err := reader.Channel(context.Background(), idAH)
	if err != nil {
		t.Fatal(err)
	}
	cn.advanceTo(v.SettleAfter + 1)
	waitFor(t, "the hub claims the lock after settle", func() bool { return hasClaim(h, idAH, ClaimLockClaimed) })

	got := payouts(t, reader, idAH, a.signer.Address(), hub)
	want := new(big.Int).Add(offChain, lock.Amount)
	if got[hub].Cmp(want) != 0 || got[a.signer.Address()].Int64() != 650 {
		t.Fatalf("payouts: hub %s (want %s = off-chain %s + lock %s), wallet %s (want 650)", got[hub], want, offChain, lock.Amount, got[a.signer.Address()])
	}
	if recv, held, err := reader.PendingUnlock(context.Background(), idAH, a.signer.Address()); err != nil || recv != (common.Address{}) || held.Sign() != 0 {
		t.Fatalf("escrow still holds %v for %s (%v)", held, recv, err)
	}
	// Only the open hub-merchant channel's deposit is left in the escrow.
	if e := cn.escrow(); e.Int64() != 1000 {
		t.Fatalf("escrow holds %s wei, want 1000 (the open channel's deposit)", e)
	}
	if restart {
		// The registration mined is the one stored before the restart: one op, one id.
		id, _, err := h.ops.identify(ChainCall{Kind: CallRegisterSecrets, Channel: idAH, Secrets: [][32]byte{secret}}, opIdentity{})
		if err != nil {
			t.Fatal(err)
		}
		rec, found, err := h.store.GetOp(id)
		if err != nil || !found || rec.State != store.OpMined {
			t.Fatalf("registration op after the restart: %+v found=%v err=%v", rec, found, err)
		}
	}
	if !hasClaim(h, idAH, ClaimClosed) {
		t.Fatalf("claims reported: %+v", h.LockClaims())
	}
}

// openStoreOps counts registerSecrets ops stored as submitted in a stopped node's store.
func openStoreOps(t *testing.T, dir string) (int, error) {
	t.Helper()
	st, err := store.Open(dir+"/db", store.Options{})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	ops, err := st.PendingOps()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, op := range ops {
		if op.Kind == string(CallRegisterSecrets) && op.State == store.OpSubmitted {
			n++
		}
	}
	return n, nil
}

// The merchant does not reveal the secret to the hub but registers it on chain (to claim
// its lock there). The hub must learn it from the registry in time to claim its own
// incoming lock: here the wallet is online, so the hub unlocks to the merchant and the
// wallet unlocks to the hub off-chain, and the routed payment completes.
func TestHubLearnsASecretRegisteredOnChainInsteadOfRevealed(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{})
	b := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHB := openChannel(t, h, b, big.NewInt(1000), nil, time.Hour)
	hub, merchant := h.signer.Address(), b.signer.Address()
	reader := chainReader(t, tn)
	var secret [32]byte
	rand.Read(secret[:])
	expectInvoice(t, b, channel.SecretHash(secret), big.NewInt(250))
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, a, []common.Address{hub, merchant}, 250, channel.SecretHash(secret))
		done <- err
	}()
	waitFor(t, "the merchant holds the forwarded lock", func() bool {
		lc := b.channel(idHB)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return len(lc.st.Locks(lc.us.Other())) == 1
	})
	lc := h.channel(idHB)
	lc.mu.Lock()
	out := lc.st.Locks(lc.us)[0]
	lc.mu.Unlock()
	if _, err := reader.RegisterSecret(context.Background(), secret); err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, h.med.cfg.ClaimDeadline(out))
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("routed payment with the secret only on chain: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the hub did not learn the secret from the chain")
	}
	ah, hb := newModel(idAH, a, h, 1000), newModel(idHB, h, b, 1000)
	ah.pay(a.signer.Address(), hub, 250)
	hb.pay(hub, merchant, 250)
	ah.eventually(t, "wallet-hub channel", a, h)
	hb.eventually(t, "hub-merchant channel", h, b)
}

// claimNet is the chain and nodes the hub-claim scenario runs on: the embedded chain, or
// a real Anvil over JSON-RPC.
type claimNet interface {
	start(i int, o nodeOpts) *Node
	reader() *contracts.Client
	advanceTo(at uint64) // chain time to at least at
	escrow() *big.Int    // the contract's ETH balance
}

type devClaimNet struct {
	t  *testing.T
	tn *testNet
	r  *contracts.Client
}

func newDevClaimNet(t *testing.T) *devClaimNet {
	tn := newTestNet(t)
	return &devClaimNet{t: t, tn: tn, r: chainReader(t, tn)}
}

func (d *devClaimNet) start(i int, o nodeOpts) *Node { return d.tn.startNode(i, o) }
func (d *devClaimNet) reader() *contracts.Client     { return d.r }
func (d *devClaimNet) advanceTo(at uint64)           { advanceTo(d.t, d.tn, d.r, at) }
func (d *devClaimNet) escrow() *big.Int              { return escrowOf(d.t, d.tn) }

type anvilClaimNet struct {
	an *anvilNet
	r  *contracts.Client
}

func (a *anvilClaimNet) start(i int, o nodeOpts) *Node {
	if o.dir == "" {
		o.dir = a.an.t.TempDir()
	}
	cfg := a.an.config(i, o.dir, "")
	cfg.StaticPeers = o.staticPeers
	return a.an.startWith(cfg)
}
func (a *anvilClaimNet) reader() *contracts.Client { return a.r }
func (a *anvilClaimNet) advanceTo(at uint64) {
	head, err := a.r.Head(context.Background())
	if err != nil {
		a.an.t.Fatal(err)
	}
	if head.Time < at {
		a.an.call("evm_increaseTime", at-head.Time+1)
		a.an.call("evm_mine")
	}
}
func (a *anvilClaimNet) escrow() *big.Int {
	b, err := a.an.eth.BalanceAt(context.Background(), a.an.contract, nil)
	if err != nil {
		a.an.t.Fatal(err)
	}
	return b
}

// The same scenario on the pinned Anvil (a real JSON-RPC chain, wall-clock block times).
func TestHubClaimsOnChainOnAnvil(t *testing.T) {
	an := newAnvilNet(t)
	hubClaimsOnChain(t, &anvilClaimNet{an: an, r: an.client(9)}, false)
}
