package node

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math/big"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/store"
)

// The unlock after settle with an older proof of ours (ADR 0037). The contract holds the
// list of our last proof on chain; the node learns that proof's nonce from the close and
// proof-update events (noteChainProof, kept durably in chainProofNamespace before the
// event's channel record, so a restart keeps it) and rebuilds its list from the pending
// locks and the tombstones (store.LocksAt). The contract checks the list against the
// commitment settle recorded (root, sum) when the unlock is estimated, so a wrong list
// costs nothing and the next candidate is tried: the rebuilt list, our current one, our
// endorsed one.

// chainProofNamespace: the nonce of our latest proof on chain per closed channel.
const chainProofNamespace = "chainproof"

// noteChainProof records, from a close or proof-update event, the nonce of our proof the
// chain now holds. The watcher calls it before it persists the event's channel record,
// and both go through the durable queue in order: the nonce is on disk no later.
func (n *Node) noteChainProof(lc *liveChannel, ev *ChainEvent) {
	me := n.signer.Address()
	ours := ev.Kind == EventClosed && ev.Participant != me || ev.Kind == EventProofUpdated && ev.Participant == me
	if !ours || ev.Nonce == 0 {
		return
	}
	t := n.claims.tombs
	t.mu.Lock()
	if ev.Nonce <= t.chainNonce[lc.id] {
		t.mu.Unlock()
		return
	}
	t.chainNonce[lc.id] = ev.Nonce
	delete(t.rebuilt, lc.id)
	t.mu.Unlock()
	val := binary.BigEndian.AppendUint64(nil, ev.Nonce)
	if err := n.durable.enqueue(func(b *store.Batch) error {
		return b.PutMeta(chainProofNamespace, channelKey(lc.id), val)
	}, afterCommit{}); err != nil {
		n.log.Warn("nonce of our proof on chain not stored", "channel", lc.id, "err", err)
	}
}

// loadChainProofs restores the nonces noteChainProof stored and the held roots
// (loadEndorsements calls it).
func (n *Node) loadChainProofs(ml metaLister) error {
	t := n.claims.tombs
	err := n.channelMeta(ml, chainProofNamespace, 8, func(id channel.ID, v []byte) {
		t.chainNonce[id] = binary.BigEndian.Uint64(v)
	})
	if err != nil {
		return err
	}
	return n.loadHeldRoots(ml)
}

// channelMeta calls fn, under the tombstones' lock, for each of ns's records keyed by a
// tracked channel's id with a value of size bytes; others are inert (a channel no longer
// tracked) and skipped.
func (n *Node) channelMeta(ml metaLister, ns string, size int, fn func(id channel.ID, v []byte)) error {
	entries, err := ml.ListMeta(ns)
	if err != nil {
		return err
	}
	t := n.claims.tombs
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, en := range entries {
		raw, err := hex.DecodeString(en.Key)
		if err != nil || len(raw) != len(channel.ID{}) || len(en.Value) != size || n.channel(channel.ID(raw)) == nil {
			continue
		}
		fn(channel.ID(raw), en.Value)
	}
	return nil
}

// settledOurLocks is the list of ours the chain holds on the settled channel lc, as far
// as the node knows it: the rebuilt list of the nonce the chain recorded, else our
// current list, else (when that is empty) our endorsed proof's. cur is our current list.
func (n *Node) settledOurLocks(lc *liveChannel, cur []channel.Lock) []channel.Lock {
	n.claims.mu.Lock()
	done := n.claims.unlocked[unlockKey{lc.id, lc.us}]
	n.claims.mu.Unlock()
	if done {
		return cur
	}
	if locks, ok := n.rebuiltByHeldRoot(lc); ok {
		return locks
	}
	if locks, ok := n.rebuiltAtChainNonce(lc); ok {
		return locks
	}
	if len(cur) == 0 {
		cur, _ = n.endorsedLocks(lc.id)
	}
	return cur
}

// rebuiltAtChainNonce is our list of the proof the chain recorded for us on lc, rebuilt
// once (store.LocksAt) and cached; false when the nonce or the list is not known.
func (n *Node) rebuiltAtChainNonce(lc *liveChannel) ([]channel.Lock, bool) {
	t := n.claims.tombs
	t.mu.Lock()
	nonce := t.chainNonce[lc.id]
	locks, cached := t.rebuilt[lc.id]
	t.mu.Unlock()
	if nonce == 0 {
		return nil, false
	}
	if cached {
		return locks, locks != nil
	}
	ts, ok := n.store.(tombStorage)
	if !ok {
		return nil, false
	}
	locks, _, err := ts.LocksAt(lc.id, lc.us, nonce)
	switch {
	case errors.Is(err, store.ErrLocksPruned):
		// Older than our last checkpoint: our defense put the endorsed proof on chain
		// over it, unless the challenge period ended first (logged there).
		n.log.Warn("the chain holds a proof of ours older than our last checkpoint", "channel", lc.id, "nonce", nonce)
		locks = nil
	case err != nil:
		n.log.Error("cannot rebuild the lock list of our proof on chain", "channel", lc.id, "nonce", nonce, "err", err)
		return nil, false // read again on the next tick
	case locks == nil:
		locks = []channel.Lock{} // known empty
	}
	t.mu.Lock()
	t.rebuilt[lc.id] = locks
	t.mu.Unlock()
	return locks, locks != nil
}

// unlockAlternative is a list of ours not in tried the chain may hold on lc: the rebuilt
// list of the nonce it recorded, our current list, our endorsed proof's.
func (n *Node) unlockAlternative(lc *liveChannel, tried [][]channel.Lock) ([]channel.Lock, bool) {
	var cands [][]channel.Lock
	if l, ok := n.rebuiltByHeldRoot(lc); ok {
		cands = append(cands, l)
	}
	if l, ok := n.rebuiltAtChainNonce(lc); ok {
		cands = append(cands, l)
	}
	lc.mu.Lock()
	cands = append(cands, lc.st.Locks(lc.us))
	lc.mu.Unlock()
	if l, ok := n.endorsedLocks(lc.id); ok {
		cands = append(cands, l)
	}
	for _, c := range cands {
		if len(c) == 0 {
			continue
		}
		seen := false
		for _, t := range tried {
			seen = seen || sameLockList(c, t)
		}
		if !seen {
			return c, true
		}
	}
	return nil, false
}

// onlyTheReceiverGains reports whether locks, a list of ours rebuilt from tombstones (not
// our current one, nor our endorsed one), would all go to the partner: every one was
// registered in time, so nothing returns to us. The unlock is then the receiver's to make
// (it is paid and reports its claim), as before ADR 0037 when such a list could not be
// rebuilt; ours would only race it.
func (n *Node) onlyTheReceiverGains(lc *liveChannel, locks []channel.Lock, times []uint64, held *big.Int) bool {
	lc.mu.Lock()
	cur := lc.st.Locks(lc.us)
	lc.mu.Unlock()
	if sameLockList(locks, cur) {
		return false
	}
	if end, ok := n.endorsedLocks(lc.id); ok && sameLockList(locks, end) {
		return false
	}
	_, toSender := mediate.UnlockSplit(locks, times, held)
	if toSender.Sign() > 0 {
		return false
	}
	if !n.heldRootIs(lc, locks) {
		// Not the list settle held (or its root unknown): the chain's may return
		// something to us, so we unlock (checkpoint_held_root.go).
		return false
	}
	n.log.Debug("nothing of our held locks returns to us: the unlock is the receiver's", "channel", lc.id, "locks", len(locks))
	return true
}
