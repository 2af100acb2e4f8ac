package node

import (
	"crypto/rand"
	"math/big"
	"testing"

	"github.com/sluicepay/sluice/channel"
)

// TestReceiverOnlyRuleNeedsTheRootSettleHeld: the payee closes with a proof carrying the
// hub's lock L (a hash only the payer knows) and the chain settles. The hub records the
// root settle held its locks under (LocksHeld), also across a restart. The rule that
// leaves an unlock to the receiver (every lock of the list registered in time, nothing
// back to us) is then taken only for a list with that root: for another list, which a
// wrong recorded nonce (a reorganised proof update) would rebuild, the chain's list may
// return money to us while paying the receiver nothing, and the receiver would never
// unlock. Fails on the old rule, which left such a list to the receiver, and if the
// root is not recorded or not restored.
func TestReceiverOnlyRuleNeedsTheRootSettleHeld(t *testing.T) {
	x := newOlderProofNet(t, nodeOpts{})
	hash := x.silentLock(t, 100)
	held := x.hTap.lastOn(t, x.idHC)
	if held.Lock.SecretHash != hash {
		t.Fatalf("the hub's last lock proof is on %x, want %x", held.Lock.SecretHash, hash)
	}
	x.cheatAndSettle(t, held.Proof, nil)
	want, err := channel.LocksRoot([]channel.Lock{held.Lock})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hub records the root settle held its locks under", func() bool {
		return x.h.heldRootIs(x.h.channel(x.idHC), []channel.Lock{held.Lock})
	})
	if root := x.h.claims.tombs.heldRoot[x.idHC].root; root != want {
		t.Fatalf("recorded root %x, want %x", root, want)
	}

	// A list the hub did not send on this channel (not its current one, nor an endorsed
	// one), every lock registered in time: the receiver would gain all of it.
	var other channel.Lock
	rand.Read(other.SecretHash[:])
	other.Amount, other.Expiration = big.NewInt(100), held.Lock.Expiration
	times := []uint64{held.Lock.Expiration - 1}
	receiverOnly := func() bool {
		return x.h.onlyTheReceiverGains(x.h.channel(x.idHC), []channel.Lock{other}, times, big.NewInt(100))
	}
	if receiverOnly() {
		t.Fatal("a list whose root settle did not hold was left to the receiver")
	}
	x.restartHub(t, nodeOpts{})
	if !x.h.heldRootIs(x.h.channel(x.idHC), []channel.Lock{held.Lock}) {
		t.Fatal("the held root is not restored after a restart")
	}
	setRoot := func(r *heldRoot) {
		x.h.claims.tombs.mu.Lock()
		defer x.h.claims.tombs.mu.Unlock()
		if r == nil {
			delete(x.h.claims.tombs.heldRoot, x.idHC)
			return
		}
		x.h.claims.tombs.heldRoot[x.idHC] = *r
	}
	otherRoot, err := channel.LocksRoot([]channel.Lock{other})
	if err != nil {
		t.Fatal(err)
	}
	setRoot(&heldRoot{root: otherRoot})
	if !receiverOnly() {
		t.Fatal("the list settle held, all the receiver's, was not left to the receiver")
	}
	setRoot(nil)
	if receiverOnly() {
		t.Fatal("with the held root unknown, a list was left to the receiver")
	}
	setRoot(&heldRoot{root: want})
	// The lock expires unregistered: the hub unlocks it and gets everything back.
	advanceTo(t, x.tn, x.reader, held.Lock.Expiration+1)
	x.hubGetsAll(t, 1000, 0)
}

// TestUnlockFindsTheHeldListByItsRootWhenTheRecordedNonceIsWrong: the payee closes with
// the hub's older proof carrying L, which the hub expired off chain since. The nonce the
// hub recorded for its proof on chain is wrong: as a reorganisation that removed a proof
// update leaves it, it names the later proof that removed L (empty list). The list at
// that nonce, the hub's current list and its endorsed one are all empty, so nothing of
// the hub's was unlocked and its 100 stayed in the contract for good (the payee gains
// nothing from unlocking an expired lock). The root settle held (LocksHeld) finds [L]
// among the hub's past lists: the hub unlocks it and has all 1000.
func TestUnlockFindsTheHeldListByItsRootWhenTheRecordedNonceIsWrong(t *testing.T) {
	x := newOlderProofNet(t, nodeOpts{})
	hash := x.silentLock(t, 100)
	older := x.hTap.lastOn(t, x.idHC)
	in := lastLockTo(t, x, hash)
	advanceTo(t, x.tn, x.reader, older.Lock.Expiration+1)
	waitFor(t, "the hub expires its lock to the payee off chain", func() bool {
		return !incomingPending(x.c, x.idHC, hash) && partnerSeesNonce(x.c, x.idHC) == older.Proof.Nonce+1
	})
	advanceTo(t, x.tn, x.reader, in+x.a.med.cfg.Margin()+600)
	waitFor(t, "the payer expires its lock to the hub", func() bool { return !incomingPending(x.h, x.idAH, hash) })
	x.cheatAndSettle(t, older.Proof, func(uint64) {
		tb := x.h.claims.tombs
		tb.mu.Lock()
		tb.chainNonce[x.idHC] = older.Proof.Nonce + 1 // wrong: the proof that removed L
		delete(tb.rebuilt, x.idHC)
		tb.mu.Unlock()
	})
	x.hubGetsAll(t, 1000, 0)
}

// lastLockTo is the expiration of the payer's lock to the hub on hash (the payer opened
// the channel: it is party A).
func lastLockTo(t *testing.T, x *olderProofNet, hash [32]byte) uint64 {
	t.Helper()
	for _, l := range locksOf(x.h, x.idAH, channel.PartyA) {
		if l.SecretHash == hash {
			return l.Expiration
		}
	}
	t.Fatal("the hub holds no lock from the payer on the hash")
	return 0
}
