package node

import (
	"context"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// copyDatadir copies a closed node's datadir (its leveldb files) to a new directory.
func copyDatadir(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

// TestAttack6PartnerRestoredFromAnOlderDatabaseGetsNothingFromThePast: the payee C runs
// from a copy of its datadir taken two payments ago each way ("lost its last writes", or
// restored on purpose), so it holds an older proof of the hub's than the one it
// acknowledged, and its own node re-signs a nonce it already used. The hub must keep the
// newer proof of C's it holds (refuse C's conflicting proof of the same nonce and its
// lower-nonce Syncs and Acks: its acknowledged nonce never goes down), and when C closes
// with the older proof of the hub's that its old database holds, the hub puts C's best
// proof on chain: payouts to the wei (the hub, whose own older proof stands, gets what
// that close gives it, C no more than its entitlement). Fails if a proof or an Ack from
// the past lowered what the hub holds.
func TestAttack6PartnerRestoredFromAnOlderDatabaseGetsNothingFromThePast(t *testing.T) {
	tn := newTestNet(t)
	cDir := t.TempDir()
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{dir: cDir})
	id := openChannel(t, h, c, big.NewInt(1000), big.NewInt(1000), time.Hour)
	hub, payee := h.signer.Address(), c.signer.Address()
	routed := func(amount int64) {
		t.Helper()
		inv := invoice(t, c, amount)
		if res, err := routedPay(t, h, []common.Address{payee}, amount, inv.SecretHash); err != nil || !res.Unlocked {
			t.Fatalf("hub's routed payment to C: %+v %v", res, err)
		}
	}
	mustPay(t, c, id, 30)
	routed(10)
	waitFor(t, "C acknowledged the hub's unlock", func() bool { return ackedBy(h, id) == latestOwnProof(t, h, id).Nonce })
	olderOfHub := latestOwnProof(t, h, id) // what C's old database will hold of the hub's
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	oldDir := copyDatadir(t, cDir)
	c = tn.startNode(3, nodeOpts{dir: cDir, staticPeers: []string{addrOf(t, h)}})
	waitFor(t, "C is back", func() bool { return h.transport.Connected(payee) })
	mustPay(t, c, id, 20)
	routed(10)
	bestOfC := partnerLatest(t, h, id)
	acked := latestOwnProof(t, h, id).Nonce
	waitFor(t, "C acknowledged everything", func() bool { return ackedBy(h, id) == acked })
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	// C returns from the old copy: it holds the hub's proof olderOfHub and its own proof
	// of 30, and pays 5 more on top of it: a proof with a nonce the hub holds another of.
	c = tn.startNode(3, nodeOpts{dir: oldDir, staticPeers: []string{addrOf(t, h)}})
	waitFor(t, "C (old database) is back", func() bool { return h.transport.Connected(payee) })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	_, perr := c.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(5)})
	cancel()
	if perr == nil {
		t.Fatal("the hub acknowledged C's proof re-signing a nonce it holds another proof of")
	}
	time.Sleep(time.Second)
	if got := partnerLatest(t, h, id); got.Nonce != bestOfC.Nonce || got.Transferred.Cmp(bestOfC.Transferred) != 0 {
		t.Fatalf("the hub's proof of C's: nonce %d transferred %s, want nonce %d transferred %s (C's newest)",
			got.Nonce, got.Transferred, bestOfC.Nonce, bestOfC.Transferred)
	}
	if got := ackedBy(h, id); got != acked {
		t.Fatalf("the hub's acknowledged nonce moved to %d, want %d", got, acked)
	}

	// C closes with the hub's older proof its old database holds and goes away.
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	bg := context.Background()
	reader := chainReader(t, tn)
	if _, err := keyClient(t, tn, 3).Close(bg, id, &olderOfHub); err != nil {
		t.Fatalf("C's close with the hub's older proof: %v", err)
	}
	waitFor(t, "the hub puts C's best proof on chain", func() bool {
		v, err := reader.Channel(bg, id)
		return err == nil && v.NonceB == bestOfC.Nonce
	})
	v, err := reader.Channel(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, v.SettleAfter+1)
	waitFor(t, "the hub settles", func() bool { return channelStatus(h, id) == channel.StatusSettled })
	// On chain: the hub's transfer is olderOfHub's 10 (C gave up the hub's second 10 by
	// closing with it), C's is its best, 50.
	wantHub := int64(1000 - 10 + 50)
	got := payouts(t, reader, id, hub, payee)
	if got[hub].Int64() != wantHub || got[payee].Int64() != 2000-wantHub {
		t.Fatalf("payouts: hub %s, C %s; want hub %d, C %d", got[hub], got[payee], wantHub, 2000-wantHub)
	}
}

// ackedBy is the highest nonce of n's own proofs on id its partner acknowledged.
func ackedBy(n *Node, id channel.ID) uint64 {
	lc := n.channel(id)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.acked
}

// partnerLatest is the partner's latest proof n holds on id.
func partnerLatest(t *testing.T, n *Node, id channel.ID) channel.SignedProof {
	t.Helper()
	lc := n.channel(id)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	p, ok := lc.st.Latest(lc.us.Other())
	if !ok {
		t.Fatal("no proof of the partner's")
	}
	return p
}
