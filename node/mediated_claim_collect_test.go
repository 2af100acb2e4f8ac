package node

import (
	"context"
	"crypto/rand"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// unlockRecords counts what n keeps for the unlock of channel id: its tombstones and
// whether the nonce of its proof on chain is stored.
func unlockRecords(t *testing.T, n *Node, id channel.ID, us channel.Party) (tombs int, chainProof bool) {
	t.Helper()
	ts, _, err := n.store.(tombStorage).Tombstones(id, us)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := n.store.(metaLister).ListMeta(chainProofNamespace)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		chainProof = chainProof || e.Key == channelKey(id)
	}
	return len(ts), chainProof
}

// Payer X pays Y a lock that Y reveals (unlocked off-chain: X keeps its tombstone), then
// a lock Y never reveals; Y closes with X's latest proof (X stores its nonce). After
// settle the held lock waits for its expiration, and X's unlock records stay while the
// contract holds it. Once X's unlock paid it back, the tombstones and the chain-proof
// record are deleted from X's leveldb; the channel's record and payment log stay.
func TestSettledChannelUnlockRecordsAreCollected(t *testing.T) {
	tn := newTestNet(t)
	reader := chainReader(t, tn)
	xDir := t.TempDir()
	x := tn.startNode(1, nodeOpts{dir: xDir, checkpoints: CheckpointConfig{After: time.Hour}})
	y := tn.startNode(2, nodeOpts{})
	id := openChannel(t, x, y, big.NewInt(1000), nil, 10*time.Second)
	ax, ay := x.signer.Address(), y.signer.Address()

	var paid, held [32]byte
	rand.Read(paid[:])
	rand.Read(held[:])
	learnSecret(t, y, paid, big.NewInt(30))
	if _, err := routedPay(t, x, []common.Address{ay}, 30, channel.SecretHash(paid)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "X keeps the tombstone of the unlocked lock", func() bool { n, _ := unlockRecords(t, x, id, channel.PartyA); return n == 1 })
	expectInvoice(t, y, channel.SecretHash(held), big.NewInt(20))
	go routedPay(t, x, []common.Address{ay}, 20, channel.SecretHash(held)) //nolint:errcheck // resolved on chain
	lock := heldLock(t, y, id, "the payee holds the second lock")
	if _, err := y.CloseChannel(context.Background(), id, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "X stores the nonce of its proof on chain", func() bool { _, ok := unlockRecords(t, x, id, channel.PartyA); return ok })
	v, err := reader.Channel(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, v.SettleAfter+1)
	waitFor(t, "settled", func() bool { return channelStatus(x, id) == channel.StatusSettled })
	time.Sleep(claimRetry + time.Second) // claim rounds while the lock is held
	if recv, _, err := reader.PendingUnlock(context.Background(), id, ax); err != nil || recv != ay {
		t.Fatalf("the lock is not held for Y any more (%s, %v)", recv, err)
	}
	if n, ok := unlockRecords(t, x, id, channel.PartyA); n != 1 || !ok {
		t.Fatalf("X deleted its unlock records while the contract holds its lock: %d tombstones, chain proof %v", n, ok)
	}

	advanceTo(t, tn, reader, lock.Expiration+1)
	waitFor(t, "X's lock paid back", func() bool {
		recv, _, err := reader.PendingUnlock(context.Background(), id, ax)
		return err == nil && recv == (common.Address{})
	})
	waitFor(t, "X's unlock records collected", func() bool {
		n, ok := unlockRecords(t, x, id, channel.PartyA)
		return n == 0 && !ok
	})
	if got := payouts(t, reader, id, ax, ay); got[ax].Int64() != 970 || got[ay].Int64() != 30 {
		t.Fatalf("payouts %v, want X 970 and Y 30", got)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}

	// On the leveldb itself: no tombstone, no chain-proof record; the channel and its
	// payment log are still there.
	s, err := store.Open(xDir+"/db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.Check()
	if err != nil || rep.Tombstones != 0 || rep.BadCount != 0 {
		t.Fatalf("X's store after the collection: %+v, %v; want no tombstone", rep, err)
	}
	if ts, floor, err := s.Tombstones(id, channel.PartyA); err != nil || len(ts) != 0 || floor != 0 {
		t.Fatalf("tombstone keys left: %+v floor %d (%v)", ts, floor, err)
	}
	if _, found, err := s.GetMeta(chainProofNamespace, channelKey(id)); err != nil || found {
		t.Fatalf("chain-proof record left (%v)", err)
	}
	if rec, found, err := s.GetChannel(id); err != nil || !found || rec.Status != channel.StatusSettled {
		t.Fatalf("channel record: %+v found=%v (%v); it stays", rec, found, err)
	}
}
