package node

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

// Variants of the older-proof attack (ADR 0037) between real nodes (embedded chain,
// libp2p, leveldb): payer -> hub -> payee, the payee closes with an older proof of the
// hub's and goes offline; the hub must get on chain exactly what it is entitled to.

// olderProofNet is payer -> hub -> payee with the hub's LockedTransfers tapped.
type olderProofNet struct {
	tn                *testNet
	reader            *contracts.Client
	a, h, c           *Node
	hTap              *lockTap
	idAH, idHC        channel.ID
	payer, hub, payee common.Address
	hDir              string
}

func newOlderProofNet(t *testing.T, hub nodeOpts) *olderProofNet {
	tn := newTestNet(t)
	x := &olderProofNet{tn: tn, reader: chainReader(t, tn), hTap: &lockTap{}, hDir: t.TempDir()}
	x.a = tn.startNode(1, nodeOpts{})
	hub.dir = x.hDir
	hub.wrap = func(tr Transport) Transport { x.hTap.Transport = tr; return x.hTap }
	x.h = tn.startNode(2, hub)
	x.c = tn.startNode(3, nodeOpts{})
	x.idAH = openChannel(t, x.a, x.h, big.NewInt(1000), nil, time.Hour)
	x.idHC = openChannel(t, x.h, x.c, big.NewInt(1000), nil, time.Hour)
	x.payer, x.hub, x.payee = x.a.signer.Address(), x.h.signer.Address(), x.c.signer.Address()
	return x
}

// restartHub closes the hub and starts it again on its data directory (no tap).
func (x *olderProofNet) restartHub(t *testing.T, o nodeOpts) {
	t.Helper()
	if err := x.h.Close(); err != nil {
		t.Fatal(err)
	}
	o.dir, o.staticPeers = x.hDir, []string{addrOf(t, x.a), addrOf(t, x.c)}
	x.h = x.tn.startNode(2, o)
	waitFor(t, "the restarted hub reconnects", func() bool { return x.h.transport.Connected(x.payer) })
}

// silentLock has the payer route amount to the payee on a hash it never reveals and
// waits until the payee holds the hub's lock; it returns the hash.
func (x *olderProofNet) silentLock(t *testing.T, amount int64) [32]byte {
	t.Helper()
	hash := silentHash(t, x.c, amount)
	go routedPay(t, x.a, []common.Address{x.hub, x.payee}, amount, hash) //nolint:errcheck // the lock expires
	waitFor(t, "the payee holds the hub's lock", func() bool { return incomingPending(x.c, x.idHC, hash) })
	return hash
}

// cheatAndSettle: the payee goes offline and closes hub-payee with proof, the chain
// settles; it returns once the hub's node applied the settlement.
func (x *olderProofNet) cheatAndSettle(t *testing.T, proof channel.SignedProof, beforeSettle func(closeBlock uint64)) {
	t.Helper()
	if err := x.c.Close(); err != nil {
		t.Fatal(err)
	}
	bg := context.Background()
	rcpt, err := keyClient(t, x.tn, 3).Close(bg, x.idHC, &proof)
	if err != nil {
		t.Fatalf("payee's close with the older proof: %v", err)
	}
	if beforeSettle != nil {
		beforeSettle(rcpt.BlockNumber.Uint64())
	}
	v, err := x.reader.Channel(bg, x.idHC)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, x.tn, x.reader, v.SettleAfter+1)
	waitFor(t, "the hub settles", func() bool { return channelStatus(x.h, x.idHC) == channel.StatusSettled })
}

// hubGetsAll checks that nothing of the hub's stays held and the payouts are hub/payee.
func (x *olderProofNet) hubGetsAll(t *testing.T, hub, payee int64) {
	t.Helper()
	bg := context.Background()
	ok := waitForQuiet(func() bool {
		recv, held, err := x.reader.PendingUnlock(bg, x.idHC, x.hub)
		return err == nil && recv == (common.Address{}) && held.Sign() == 0
	})
	got := payouts(t, x.reader, x.idHC, x.hub, x.payee)
	_, held, _ := x.reader.PendingUnlock(bg, x.idHC, x.hub)
	if !ok || got[x.hub].Int64() != hub || got[x.payee].Int64() != payee {
		t.Fatalf("hub-payee: hub got %s, payee %s, %v of the hub's still held in the contract; want hub %d, payee %d",
			got[x.hub], got[x.payee], held, hub, payee)
	}
}

// TestAttack4OlderProofWithUnlockedExpiredAndPendingLocks: the payee closes with the hub's
// proof that carries three locks: one the hub later expired off chain (L1), one still
// pending at the close (L0), and one the payee was paid off chain (L2: revealed and
// unlocked after that proof). The list on chain is neither the hub's current one ([L0])
// nor any prefix of it; the hub rebuilds it from its tombstones (L1 expired, L2 unlocked)
// and its pending lock, and unlocks it: nothing registered, so all three return to the
// hub (the payee gave up the 30 it was paid off chain by closing with an older proof).
// Fails without tombstones: the list cannot be rebuilt and 180 stay frozen.
func TestAttack4OlderProofWithUnlockedExpiredAndPendingLocks(t *testing.T) {
	x := newOlderProofNet(t, nodeOpts{})
	l1 := x.silentLock(t, 100)
	first := x.hTap.lastOn(t, x.idHC)
	head, err := x.reader.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	target := head.Time + 200
	if err := x.tn.chain.AdjustTime(200 * time.Second); err != nil { // L0 expires 200 s after L1
		t.Fatal(err)
	}
	waitFor(t, "the payer sees the new chain time", func() bool { return x.a.med.now.Load() >= target && x.h.med.now.Load() >= target })
	l0 := x.silentLock(t, 50)
	inv := invoice(t, x.c, 30)
	if res, err := routedPay(t, x.a, []common.Address{x.hub, x.payee}, 30, inv.SecretHash); err != nil || !res.Unlocked {
		t.Fatalf("the real payment: %+v %v", res, err)
	}
	older := x.hTap.lastOn(t, x.idHC) // the lock of L2: carries L1, L0, L2
	if older.Lock.SecretHash != inv.SecretHash || older.Proof.Locked.Int64() != 180 {
		t.Fatalf("fixture: the hub's last lock proof locks %v on %x", older.Proof.Locked, older.Lock.SecretHash[:4])
	}
	t.Logf("L1 expires at %d, L0 at %d, L2 at %d", first.Lock.Expiration, x.hTap.lockOn(t, x.idHC, l0).Expiration, older.Lock.Expiration)
	advanceTo(t, x.tn, x.reader, first.Lock.Expiration+1)
	waitFor(t, "the hub expires L1 off chain", func() bool {
		return !incomingPending(x.c, x.idHC, l1) && incomingPending(x.c, x.idHC, l0)
	})
	x.cheatAndSettle(t, older.Proof, nil)
	x.hubGetsAll(t, 1000, 0)
}

// TestAttack4OlderProofAfterTheHubRestarts is the freeze attack with the hub restarted
// between the expiry and the close, and again between the close and the settlement: the
// tombstone, the bookkeeping of the nonce that added each lock, and the nonce of the
// hub's proof on chain all come back from the store.
func TestAttack4OlderProofAfterTheHubRestarts(t *testing.T) {
	x := newOlderProofNet(t, nodeOpts{})
	hash := x.silentLock(t, 100)
	older := x.hTap.lastOn(t, x.idHC)
	advanceTo(t, x.tn, x.reader, older.Lock.Expiration+1)
	waitFor(t, "the hub expires its lock to the payee off chain", func() bool {
		return !incomingPending(x.c, x.idHC, hash) && partnerSeesNonce(x.c, x.idHC) == older.Proof.Nonce+1
	})
	advanceTo(t, x.tn, x.reader, older.Lock.Expiration+2*x.a.med.cfg.Margin()+600) // the payer's lock expires a margin later
	waitFor(t, "the payer expires its lock to the hub", func() bool { return !incomingPending(x.h, x.idAH, hash) })
	x.restartHub(t, nodeOpts{})
	if ts, _, err := x.h.store.(tombStorage).Tombstones(x.idHC, channel.PartyA); err != nil || len(ts) != 1 || ts[0].Lock.SecretHash != hash {
		t.Fatalf("the expired lock's tombstone after the restart: %+v, %v", ts, err)
	}
	x.cheatAndSettle(t, older.Proof, func(closed uint64) {
		// Past the close in the stored cursor: the restarted hub does not see it again.
		waitFor(t, "the hub's cursor passes the close", func() bool { return x.h.synced.Load() >= closed })
		x.restartHub(t, nodeOpts{})
	})
	x.hubGetsAll(t, 1000, 0)
}

// TestAttack4OlderProofBeforeTheLastCheckpoint: the hub asks for a checkpoint after every
// removal (CheckpointConfig.Every 1); the payee endorses the hub's latest proof, which
// lacks the expired lock, and the hub prunes the tombstone. The payee then closes with the
// older proof that still carries the lock: the hub can no longer rebuild its list, so its
// watcher puts the endorsed proof on chain over it (updateProofFor), and the unlock has
// nothing to do. Fails if the checkpoint prunes nothing (tombstones kept) or if the
// endorsed proof is not defended (the pruned list is frozen).
func TestAttack4OlderProofBeforeTheLastCheckpoint(t *testing.T) {
	x := newOlderProofNet(t, nodeOpts{checkpoints: CheckpointConfig{Every: 1}})
	hash := x.silentLock(t, 100)
	older := x.hTap.lastOn(t, x.idHC)
	advanceTo(t, x.tn, x.reader, older.Lock.Expiration+1)
	waitFor(t, "the hub expires its lock to the payee off chain", func() bool {
		return !incomingPending(x.c, x.idHC, hash) && partnerSeesNonce(x.c, x.idHC) == older.Proof.Nonce+1
	})
	checkpoint := older.Proof.Nonce + 1
	waitFor(t, "the payee endorses the hub's checkpoint and the hub prunes", func() bool {
		return x.h.med.ref.end.endorsedNonce(x.idHC) >= checkpoint && x.h.tombstoneCount(x.idHC) == 0
	})
	ts, floor, err := x.h.store.(tombStorage).Tombstones(x.idHC, channel.PartyA)
	if err != nil || len(ts) != 0 || floor < checkpoint {
		t.Fatalf("stored tombstones after the checkpoint: %d, floor %d, %v", len(ts), floor, err)
	}
	endorsed := x.h.med.ref.end.endorsedNonce(x.idHC)
	x.cheatAndSettle(t, older.Proof, func(uint64) {
		waitFor(t, "the hub puts its endorsed proof on chain", func() bool {
			v, err := x.reader.Channel(context.Background(), x.idHC)
			return err == nil && v.NonceA == endorsed
		})
	})
	x.hubGetsAll(t, 1000, 0)
}

// lockOn is the lock on hash the tap saw sent on channel id.
func (l *lockTap) lockOn(t *testing.T, id channel.ID, hash [32]byte) channel.Lock {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.locked {
		if m.Proof.Channel == id && m.Lock.SecretHash == hash {
			return m.Lock
		}
	}
	t.Fatalf("no lock %x sent on %s", hash[:4], id)
	return channel.Lock{}
}
