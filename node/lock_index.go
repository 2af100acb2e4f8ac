package node

import (
	"sync"

	"github.com/sluicepay/sluice/channel"
)

// lockIndex maps a secret hash to the channels holding a pending lock on it, by
// direction, so the routed path finds a hash's locks without locking and scanning every
// channel of the node (a hub with 1,000 channels did that several times per payment:
// forwardedLock, onSecretReveal, holdSecret and each wake of the mediation loop).
//
// A lock set changes only in channel.State's lock updates, which the node makes in two
// places (sendLockUpdateAfter, applyLockUpdate), and is restored with the channel at start;
// each of them updates the index while it holds the channel's lock, right after the
// state changed. So under lc.mu the index and lc's lock sets agree, and a reader that
// takes the index's answer and then lc.mu sees the lock or its later removal. The index
// lock is taken inside lc.mu, never the other way round.
type lockIndex struct {
	mu sync.Mutex
	m  map[[32]byte][]lockHolder
}

// lockHolder is one pending lock: the channel, and whether we pay it (outgoing).
type lockHolder struct {
	lc       *liveChannel
	outgoing bool
}

func newLockIndex() *lockIndex { return &lockIndex{m: map[[32]byte][]lockHolder{}} }

// add records a pending lock on hash in lc. Callers hold lc.mu.
func (x *lockIndex) add(hash [32]byte, lc *liveChannel, outgoing bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, h := range x.m[hash] {
		if h.lc == lc && h.outgoing == outgoing {
			return
		}
	}
	x.m[hash] = append(x.m[hash], lockHolder{lc: lc, outgoing: outgoing})
}

// remove drops the lock on hash in lc. Callers hold lc.mu.
func (x *lockIndex) remove(hash [32]byte, lc *liveChannel, outgoing bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	hs := x.m[hash]
	for i, h := range hs {
		if h.lc == lc && h.outgoing == outgoing {
			hs[i] = hs[len(hs)-1]
			hs[len(hs)-1] = lockHolder{}
			hs = hs[:len(hs)-1]
			break
		}
	}
	if len(hs) == 0 {
		delete(x.m, hash)
		return
	}
	x.m[hash] = hs
}

// apply mirrors a committed lock update u of payer on lc. Callers hold lc.mu.
func (x *lockIndex) apply(lc *liveChannel, payer channel.Party, u channel.LockUpdate) {
	outgoing := payer == lc.us
	switch u.Change {
	case channel.LockAdd:
		x.add(u.Lock.SecretHash, lc, outgoing)
	case channel.LockUnlock:
		x.remove(channel.SecretHash(u.Secret), lc, outgoing)
	default:
		x.remove(u.SecretHash, lc, outgoing)
	}
}

// addAll records every pending lock of lc (a channel restored at start). Callers hold
// lc.mu or own lc alone.
func (x *lockIndex) addAll(lc *liveChannel) {
	for _, p := range []channel.Party{lc.us, lc.us.Other()} {
		for _, l := range lc.st.Locks(p) {
			x.add(l.SecretHash, lc, p == lc.us)
		}
	}
}

// holders appends to dst the channels with a pending lock on hash in the given
// direction. The answer is a snapshot: callers check the lock under lc.mu.
func (x *lockIndex) holders(dst []*liveChannel, hash [32]byte, outgoing bool) []*liveChannel {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, h := range x.m[hash] {
		if h.outgoing == outgoing {
			dst = append(dst, h.lc)
		}
	}
	return dst
}

// channels appends to dst every channel with a pending lock on hash, either direction,
// each once.
func (x *lockIndex) channels(dst []*liveChannel, hash [32]byte) []*liveChannel {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, h := range x.m[hash] {
		if !containsChannel(dst, h.lc) {
			dst = append(dst, h.lc)
		}
	}
	return dst
}

func containsChannel(list []*liveChannel, lc *liveChannel) bool {
	for _, c := range list {
		if c == lc {
			return true
		}
	}
	return false
}

// size is the number of hashes with a pending lock somewhere (tests).
func (x *lockIndex) size() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.m)
}

// pendingLockOn returns a channel with a pending lock on hash in the given direction
// (outgoing: we pay it) for which match (nil: any) is true, or nil. match runs under
// lc.mu with the lock as the channel holds it.
func (n *Node) pendingLockOn(hash [32]byte, outgoing bool, match func(*liveChannel, channel.Lock) bool) *liveChannel {
	var buf [4]*liveChannel
	for _, lc := range n.med.locks.holders(buf[:0], hash, outgoing) {
		lc.mu.Lock()
		payer := lc.us
		if !outgoing {
			payer = lc.us.Other()
		}
		l, ok := lc.st.PendingLock(payer, hash)
		if ok && match != nil {
			ok = match(lc, l)
		}
		lc.mu.Unlock()
		if ok {
			return lc
		}
	}
	return nil
}
