package node

import (
	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// The root settle held our locks under. Settle emits LocksHeld(id, sender, receiver,
// locksRoot, locked, held) for each direction with pending locks; the unlock must show
// the list with that root. The node picks its list from what it knows (the list rebuilt
// at the nonce it recorded from the close and update events, its current one, its
// endorsed one), and the contract refuses a wrong one at estimation, which costs
// nothing. The one decision that a wrong list would make costly is leaving the unlock
// to the receiver (onlyTheReceiverGains): if the list the node judged were not the
// chain's, and the chain's returned something to us while paying the receiver nothing,
// the receiver would never unlock and our refund would stay in the contract. So that
// decision is taken only for a list whose root is the one LocksHeld recorded. The
// recorded nonce can be wrong after a reorganisation that removed a proof update.

// heldRootNamespace: the root of our held locks per settled channel, 32 bytes.
const heldRootNamespace = "heldroot"

// heldRoot is a LocksHeld event's root of our locks, with the transaction that emitted
// it (a reorganisation that removes the event removes the root).
type heldRoot struct {
	root common.Hash
	tx   common.Hash
	// searched: the list with root was looked for (rebuiltByHeldRoot); locks is what
	// was found, nil if nothing.
	searched bool
	locks    []channel.Lock
}

// noteLocksHeld records, from a LocksHeld event of lc, the root of our held locks.
func (n *Node) noteLocksHeld(lc *liveChannel, ev *ChainEvent) {
	if ev.Participant != n.signer.Address() {
		return // the partner's locks: its list is the one it shows
	}
	t := n.claims.tombs
	t.mu.Lock()
	if old, ok := t.heldRoot[lc.id]; ok && old.root == ev.LocksRoot {
		t.mu.Unlock()
		return
	}
	t.heldRoot[lc.id] = heldRoot{root: ev.LocksRoot, tx: ev.TxHash}
	t.mu.Unlock()
	root := ev.LocksRoot
	if err := n.durable.enqueue(func(b *store.Batch) error {
		return b.PutMeta(heldRootNamespace, channelKey(lc.id), root[:])
	}, afterCommit{}); err != nil {
		n.log.Warn("root of our held locks not stored", "channel", lc.id, "err", err)
	}
}

// retractLocksHeld forgets a root whose LocksHeld event a reorganisation removed.
func (n *Node) retractLocksHeld(ev ChainEvent) {
	t := n.claims.tombs
	t.mu.Lock()
	old, ok := t.heldRoot[ev.Channel]
	if ok && old.tx == ev.TxHash {
		delete(t.heldRoot, ev.Channel)
	}
	t.mu.Unlock()
	if !ok || old.tx != ev.TxHash {
		return
	}
	if err := n.durable.enqueue(func(b *store.Batch) error {
		return b.DeleteMeta(heldRootNamespace, channelKey(ev.Channel))
	}, afterCommit{}); err != nil {
		n.log.Warn("reorganised root of our held locks not deleted", "channel", ev.Channel, "err", err)
	}
}

// heldRootIs reports whether locks has the root the chain recorded for our held locks
// on lc; false when no root is known.
func (n *Node) heldRootIs(lc *liveChannel, locks []channel.Lock) bool {
	t := n.claims.tombs
	t.mu.Lock()
	h, ok := t.heldRoot[lc.id]
	t.mu.Unlock()
	if !ok {
		return false
	}
	root, err := channel.LocksRoot(locks)
	return err == nil && common.Hash(root) == h.root
}

// loadHeldRoots restores the roots noteLocksHeld stored (loadChainProofs calls it).
func (n *Node) loadHeldRoots(ml metaLister) error {
	return n.channelMeta(ml, heldRootNamespace, len(common.Hash{}), func(id channel.ID, v []byte) {
		n.claims.tombs.heldRoot[id] = heldRoot{root: common.BytesToHash(v)}
	})
}

// rootStorage finds a past list of ours by its root (store.LocksWithRoot).
type rootStorage interface {
	LocksWithRoot(id channel.ID, payer channel.Party, root [32]byte) ([]channel.Lock, uint64, bool, error)
}

// rebuiltByHeldRoot is our list with the root settle held on lc, rebuilt from the
// pending locks and tombstones whatever nonce the node recorded: false when the root is
// unknown or no list of ours at or above the prune floor has it.
func (n *Node) rebuiltByHeldRoot(lc *liveChannel) ([]channel.Lock, bool) {
	t := n.claims.tombs
	t.mu.Lock()
	h, ok := t.heldRoot[lc.id]
	t.mu.Unlock()
	rs, canFind := n.store.(rootStorage)
	if !ok || !canFind {
		return nil, false
	}
	if h.searched {
		return h.locks, h.locks != nil
	}
	locks, at, found, err := rs.LocksWithRoot(lc.id, lc.us, h.root)
	if err == nil {
		t.mu.Lock()
		if cur, ok := t.heldRoot[lc.id]; ok && cur.root == h.root {
			cur.searched, cur.locks = true, locks
			if found && locks == nil {
				cur.locks = []channel.Lock{}
			}
			t.heldRoot[lc.id] = cur
		}
		t.mu.Unlock()
	}
	if err != nil {
		n.log.Error("cannot search our past lock lists for the root settle held", "channel", lc.id, "err", err)
		return nil, false
	}
	if !found {
		n.log.Warn("no past lock list of ours above the prune floor has the root settle held", "channel", lc.id, "root", h.root)
		return nil, false
	}
	n.log.Debug("our held lock list found by its root", "channel", lc.id, "nonce", at, "locks", len(locks))
	return locks, true
}
