package node

import (
	"context"
	"crypto/rand"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// A hub upgraded in the middle of a payment (its datadir has no forward records, ADR
// 0036) still reveals upstream and is paid for the lock it forwarded: the records are
// derived once at start. Without the derivation the hub would never reveal to its payer
// (it reveals only for a lock it has a record of) and would lose what it paid the payee.
func TestForwardRecordsAreDerivedForADatadirWithoutThem(t *testing.T) {
	tn := newTestNet(t)
	hDir := t.TempDir()
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{dir: hDir})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	ah, hc := newModel(idAH, a, h, 1000), newModel(idHC, h, c, 1000)
	payer, hub, payee := a.signer.Address(), h.signer.Address(), c.signer.Address()

	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	expectInvoice(t, c, hash, big.NewInt(70))                  // the payee does not know the secret yet
	go routedPay(t, a, []common.Address{hub, payee}, 70, hash) //nolint:errcheck // checked by the models
	waitFor(t, "the payee holds the forwarded lock", func() bool {
		lc := c.channel(idHC)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return len(lc.st.Locks(lc.us.Other())) == 1
	})
	if !h.forwardedFor(idAH, hash) {
		t.Fatal("the hub keeps no forward record of the lock it forwarded")
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	// The datadir of a node from before forward records: none of them, no marker.
	st, err := store.Open(hDir+"/db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := st.ListMeta(forwardNamespace)
	if err != nil || len(entries) != 2 {
		t.Fatalf("stored forward records: %d (%v), want the record and the marker", len(entries), err)
	}
	b := store.NewBatch()
	for _, e := range entries {
		if err := b.DeleteMeta(forwardNamespace, e.Key); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Commit(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	h2 := tn.startNode(2, nodeOpts{dir: hDir, staticPeers: []string{addrOf(t, a), addrOf(t, c)}})
	if !h2.forwardedFor(idAH, hash) {
		t.Fatal("the restarted hub did not derive the forward record")
	}
	learnSecret(t, c, secret, big.NewInt(70)) // now the payee reveals
	hc.pay(hub, payee, 70)
	ah.pay(payer, hub, 70)
	hc.eventually(t, "hub-payee channel", h2, c)
	ah.eventually(t, "payer-hub channel: the hub revealed upstream and was paid", a, h2)
}

// countRegistry counts the secret registry reads a node makes.
type countRegistry struct {
	Chain
	reads atomic.Int64
}

func (c *countRegistry) SecretRegisteredAt(ctx context.Context, h [32]byte) (uint64, error) {
	c.reads.Add(1)
	return c.Chain.SecretRegisteredAt(ctx, h)
}

// A partner's expiry of a lock we forwarded for costs at most one registry read per hash:
// none before the expiration (the state rule refuses it; the caller asks again with a
// fresher chain time), one after it, and a "not registered" read after the expiration is
// kept (a registration in time cannot appear later), so repeated expiry frames (forged or
// refused ones included) read nothing more.
func TestExpiryOfAForwardedLockReadsTheRegistryOncePerHash(t *testing.T) {
	tn := newTestNet(t)
	reg := &countRegistry{}
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{wrapChain: func(c Chain) Chain { reg.Chain = c; return reg }})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	expectInvoice(t, c, hash, big.NewInt(70))
	go routedPay(t, a, []common.Address{h.signer.Address(), c.signer.Address()}, 70, hash) //nolint:errcheck // never resolves here
	waitFor(t, "the payee holds the forwarded lock", func() bool {
		lc := c.channel(idHC)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return len(lc.st.Locks(lc.us.Other())) == 1
	})
	lc := h.channel(idAH)
	lc.mu.Lock()
	l, _ := lc.st.PendingLock(lc.us.Other(), hash)
	lc.mu.Unlock()
	before := reg.reads.Load()
	if err := h.expiryAllowed(lc, lc.us.Other(), hash, l.Expiration); err != nil || reg.reads.Load() != before {
		t.Fatalf("at the expiration: %v, %d registry reads; want none", err, reg.reads.Load()-before)
	}
	for i := range 3 {
		if err := h.expiryAllowed(lc, lc.us.Other(), hash, l.Expiration+1+uint64(i)); err != nil {
			t.Fatalf("expiry %d of an unregistered lock: %v", i, err)
		}
	}
	if got := reg.reads.Load() - before; got != 1 {
		t.Fatalf("%d registry reads for three expiries of one lock, want 1", got)
	}
}
