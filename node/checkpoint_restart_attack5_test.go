package node

import (
	"math/big"
	"testing"
	"time"
)

// TestAttack5RestartedHubAsksForItsCheckpoint: the payee withholds its endorsements
// until the payer's channel is at the tombstone cap (MaxTombstones 2), then would endorse
// again; the payer restarts. Its tombstones come back from the store, and it must ask
// for a checkpoint without waiting for a lock change of its own on the channel: the
// first one would be refused at the cap. So after the restart, with no payment made,
// the tombstones are pruned and the next locked payment goes through. Fails if the
// bookkeeping of a channel is only loaded by a lock change (no request after a restart
// until a payment has been refused).
func TestAttack5RestartedHubAsksForItsCheckpoint(t *testing.T) {
	cfg := CheckpointConfig{Every: 1, MaxTombstones: 2}
	tn := newTestNet(t)
	x := &checkpointPair{tn: tn, filter: &endorseFilter{}}
	x.filter.drop.Store(true)
	dir := t.TempDir()
	x.h = tn.startNode(2, nodeOpts{dir: dir, checkpoints: cfg})
	x.c = tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { x.filter.Transport = tr; return x.filter }})
	x.id = openChannel(t, x.h, x.c, big.NewInt(1000), nil, time.Hour)
	x.payee = x.c.signer.Address()
	m := newModel(x.id, x.h, x.c, 1000)
	for range 2 {
		if err := x.pay(t, 10); err != nil {
			t.Fatalf("locked payment under the cap: %v", err)
		}
		m.pay(x.h.signer.Address(), x.payee, 10)
	}
	waitFor(t, "the payer keeps two tombstones", func() bool { return x.h.tombstoneCount(x.id) == 2 })
	m.eventually(t, "before the restart", x.h, x.c)
	if err := x.h.Close(); err != nil {
		t.Fatal(err)
	}
	x.filter.drop.Store(false)
	x.h = tn.startNode(2, nodeOpts{dir: dir, checkpoints: cfg, staticPeers: []string{addrOf(t, x.c)}})
	waitFor(t, "the restarted payer reconnects", func() bool { return x.h.transport.Connected(x.payee) })
	waitFor(t, "the restarted payer asks for a checkpoint and prunes", func() bool {
		n, floor := x.storedTombstones(t)
		return n == 0 && floor > 0
	})
	if err := x.pay(t, 10); err != nil {
		t.Fatalf("locked payment after the restart: %v", err)
	}
	m.pay(x.h.signer.Address(), x.payee, 10)
	m.eventually(t, "after the restart", x.h, x.c)
}
