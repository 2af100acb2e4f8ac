package node

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// lockMsg is a lock proof of ours the peer has not acknowledged: resent before Sync on
// reconnect, because Sync carries direct payments only (a lock update needs its message).
type lockMsg struct {
	nonce uint64
	msg   p2p.Message
	// legacy: stored under the hex key of a node before ADR 0038 (legacyLockMsgKey).
	legacy bool
}

// storedKey is the key of the message's stored copy.
func (m *lockMsg) storedKey(id channel.ID) string {
	if m.legacy {
		return legacyLockMsgKey(id, m.nonce)
	}
	return lockMsgKey(id, m.nonce)
}

// sendLockUpdate signs our next lock proof (u at chain time now), makes it and the new
// lock set durable (with the secret of an unlock, and a payment record for rec), and
// sends msg with the proof filled in once it is on disk. It returns the proof's nonce.
func (n *Node) sendLockUpdate(lc *liveChannel, u channel.LockUpdate, now uint64, msg p2p.Message, rec *store.PaymentRecord, also ...func(*store.Batch) error) (uint64, error) {
	return n.sendLockUpdateAfter(lc, u, now, msg, rec, 0, also...)
}

// sendLockUpdateAfter is sendLockUpdate for a lock proof that must not leave the node
// before the durable queue's group dep is written (0: no such group): a mediator's
// forward of an incoming lock whose own write is still in flight (ADR 0034).
func (n *Node) sendLockUpdateAfter(lc *liveChannel, u channel.LockUpdate, now uint64, msg p2p.Message, rec *store.PaymentRecord, dep uint64, also ...func(*store.Batch) error) (uint64, error) {
	if err := lc.policyRefusal(); err != nil {
		return 0, err
	}
	if err := n.admitLock(lc, u); err != nil { // the tombstone cap (checkpoint.go, ADR 0037)
		return 0, err
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.desync != nil {
		n.goTracked(func() { n.sendSync(lc) })
		return 0, fmt.Errorf("channel %s: waiting for the peer to resync after: %w", lc.id, lc.desync)
	}
	proof, err := lc.st.PrepareLockUpdate(lc.us, u, now, n.signer)
	if err != nil {
		return 0, err
	}
	if err := lc.st.CommitLockUpdate(lc.us, u, proof, now); err != nil {
		return 0, fmt.Errorf("channel %s: commit lock proof %d: %w", lc.id, proof.Nonce, err)
	}
	n.med.locks.apply(lc, lc.us, u)
	setLockProof(msg, proof)
	locks := store.LockChange{Nonce: proof.Nonce, Root: proof.LocksRoot, Count: lc.st.LockCount(lc.us), Update: u}
	n.noteLockChange(lc, &locks) // a removal keeps its tombstone (ADR 0037)
	if rec != nil {
		rec.Channel, rec.Direction, rec.Nonce, rec.Transferred, rec.Sig = lc.id, store.Outgoing, proof.Nonce, proof.Transferred, proof.Sig
		if rec.ID == (store.PaymentID{}) {
			rec.ID = derivedPaymentID(lc.id, proof.Nonce)
		}
		lc.payments++
	}
	frame, err := p2p.NewEncoder().AppendFrame(nil, msg)
	if err != nil {
		return 0, fmt.Errorf("channel %s: encode lock proof %d: %w", lc.id, proof.Nonce, err)
	}
	_, k := binary.Uvarint(frame)
	var dropped []lockMsg
	lc.lockMsgs = unackedLockMsgs(lc, &dropped)
	fill := func(b *store.Batch) error {
		if err := b.PutProof(lc.us, &proof); err != nil {
			return err
		}
		if err := b.PutLockChange(lc.id, lc.us, locks); err != nil {
			return err
		}
		// The message itself, so a restarted node can still deliver it (loadLockMsgs).
		if err := b.PutMeta(lockMsgNamespace, lockMsgKey(lc.id, proof.Nonce), frame[k:]); err != nil {
			return err
		}
		for i := range dropped {
			if err := b.DeleteMeta(lockMsgNamespace, dropped[i].storedKey(lc.id)); err != nil {
				return err
			}
		}
		if u.Change == channel.LockUnlock {
			b.PutSecret(u.Secret)
		}
		for _, f := range also {
			if err := f(b); err != nil {
				return err
			}
		}
		if rec != nil {
			return b.PutPayment(rec)
		}
		return nil
	}
	if err := n.durable.enqueue(fill, afterCommit{kind: afterSendLock, ch: lc, nonce: proof.Nonce, msg: msg, dep: dep}); err != nil {
		return 0, fmt.Errorf("channel %s: %w", lc.id, err)
	}
	lc.lockMsgs = append(lc.lockMsgs, lockMsg{nonce: proof.Nonce, msg: msg})
	n.routedLockChange(lc.id, u, true)
	if u.Change != channel.LockAdd {
		h := u.SecretHash
		if u.Change == channel.LockUnlock {
			h = channel.SecretHash(u.Secret)
		}
		n.med.setResolved(sentKey{lc.id, h}, lockResolution{unlocked: u.Change == channel.LockUnlock, nonce: proof.Nonce, at: time.Now()})
	}
	return proof.Nonce, nil
}

func setLockProof(msg p2p.Message, p channel.SignedProof) {
	switch m := msg.(type) {
	case *p2p.LockedTransfer:
		m.Proof = p
	case *p2p.Unlock:
		m.Proof = p
	case *p2p.LockExpired:
		m.Proof = p
	}
}

// sendLockMsg runs on the durable queue's goroutine once a lock proof is on disk.
func (n *Node) sendLockMsg(a *afterCommit, err error) {
	if err == nil && a.depFailed {
		err = errDependencyFailed
	}
	if err != nil {
		n.log.Error("lock proof not stored", "channel", a.ch.id, "nonce", a.nonce, "err", err)
		return
	}
	if serr := n.transport.Send(n.ctx, a.ch.peer, a.msg); serr != nil {
		n.log.Debug("lock proof queued for resend", "channel", a.ch.id, "nonce", a.nonce, "err", serr)
	}
}

// resendLockMsgs re-sends our unacknowledged lock proofs, oldest first; PeerConnected
// calls it before Sync so the peer sees every lock update before any later proof.
func (n *Node) resendLockMsgs(lc *liveChannel) {
	lc.mu.Lock()
	var msgs []lockMsg
	for _, m := range lc.lockMsgs {
		if m.nonce > lc.acked {
			msgs = append(msgs, m)
		}
	}
	lc.mu.Unlock()
	if len(msgs) > 0 {
		// A message joins lockMsgs as its write is queued: send it again only once that
		// write is durable, as the first send is (sendLockMsg).
		ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
		ok := n.durable.waitWritten(ctx, n.durable.queuedUpTo())
		cancel()
		if !ok {
			n.log.Debug("lock proofs not resent: their write is not durable yet", "channel", lc.id)
			return
		}
	}
	for _, m := range msgs {
		if err := n.transport.Send(n.ctx, lc.peer, m.msg); err != nil {
			n.log.Debug("lock proof not resent", "channel", lc.id, "nonce", m.nonce, "err", err)
			return
		}
	}
}

// unackedLockMsgs drops the lock messages the peer acknowledged, appending them to
// *dropped when it is not nil (the caller deletes their stored copies). Callers hold
// lc.mu.
func unackedLockMsgs(lc *liveChannel, dropped *[]lockMsg) []lockMsg {
	keep := lc.lockMsgs[:0]
	for _, m := range lc.lockMsgs {
		if m.nonce > lc.acked {
			keep = append(keep, m)
		} else if dropped != nil {
			*dropped = append(*dropped, lockMsg{nonce: m.nonce, legacy: m.legacy})
		}
	}
	clear(lc.lockMsgs[len(keep):])
	return keep
}

// lockMsgNamespace keeps our lock messages until a later lock message finds them
// acknowledged; key: channel id (32 bytes) + nonce (8 bytes, big-endian), so one
// channel's messages list in nonce order. Two keys are written per lock message (its
// put and, later, its delete) on every routed payment's path: the binary key is 40
// bytes where the hex one of older nodes was 84 (ADR 0038), and needs no formatting.
const lockMsgNamespace = "lockmsg"

const lockMsgKeyLen = len(channel.ID{}) + 8

func lockMsgKey(id channel.ID, nonce uint64) string {
	var k [lockMsgKeyLen]byte
	copy(k[:], id[:])
	binary.BigEndian.PutUint64(k[len(id):], nonce)
	return string(k[:])
}

// legacyLockMsgKey is the key a node before ADR 0038 stored its lock messages under:
// channel id (hex) + nonce (20 decimal digits). Loaded and deleted, never written.
func legacyLockMsgKey(id channel.ID, nonce uint64) string {
	return fmt.Sprintf("%x%020d", id[:], nonce)
}

const legacyLockMsgKeyLen = 84

// parseLockMsgKey reads either key format.
func parseLockMsgKey(key string) (id channel.ID, nonce uint64, legacy, ok bool) {
	switch len(key) {
	case lockMsgKeyLen:
		copy(id[:], key)
		return id, binary.BigEndian.Uint64([]byte(key[len(id):])), false, true
	case legacyLockMsgKeyLen:
		if _, err := hex.Decode(id[:], []byte(key[:64])); err != nil {
			return id, 0, false, false
		}
		if _, err := fmt.Sscanf(key[64:], "%d", &nonce); err != nil {
			return id, 0, false, false
		}
		return id, nonce, true, true
	}
	return id, 0, false, false
}

// metaLister is the store's ListMeta; *store.Store has it.
type metaLister interface {
	ListMeta(namespace string) ([]store.MetaEntry, error)
}

// loadLockMsgs gives each loaded channel the lock messages it stored and the peer may not
// have acknowledged; PeerConnected re-sends them before Sync. A message the peer has
// already is answered with an Ack (a repeat).
func (n *Node) loadLockMsgs() error {
	ml, ok := n.store.(metaLister)
	if !ok {
		return nil
	}
	entries, err := ml.ListMeta(lockMsgNamespace)
	if err != nil {
		return fmt.Errorf("load lock messages: %w", err)
	}
	var loaded []*liveChannel
	for _, e := range entries {
		id, nonce, legacy, ok := parseLockMsgKey(e.Key)
		if !ok {
			continue
		}
		lc := n.channel(id)
		if lc == nil {
			continue
		}
		msg, err := p2p.DecodeMessage(e.Value)
		if err != nil {
			n.log.Warn("ignoring a stored lock message that does not decode", "channel", id, "nonce", nonce, "err", err)
			continue
		}
		// Acknowledged ones too: the next lock message deletes their stored copies.
		lc.mu.Lock()
		lc.lockMsgs = append(lc.lockMsgs, lockMsg{nonce: nonce, msg: msg, legacy: legacy})
		lc.mu.Unlock()
		if !containsChannel(loaded, lc) {
			loaded = append(loaded, lc)
		}
	}
	// A datadir written by an older node and then by this one holds both key formats,
	// which do not list in one order: resends go oldest first (resendLockMsgs).
	for _, lc := range loaded {
		lc.mu.Lock()
		slices.SortFunc(lc.lockMsgs, func(a, b lockMsg) int { return cmp.Compare(a.nonce, b.nonce) })
		lc.mu.Unlock()
	}
	return nil
}
