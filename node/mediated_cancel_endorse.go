package node

import (
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Endorsed cancels (ADR 0032). A cancel is an off-chain agreement: the receiver of a
// refused lock still holds our older proof that carries it, and on chain the receiver
// chooses which of our proofs counts. So with its Ack of a cancel proof the receiver
// returns its EIP-712 ProofEndorsement of that proof (CancelEndorsement, p2p code 19),
// which lets us put the proof on chain ourselves (updateProofFor) over any older one.
// A payer passes a refusal on (upstream, or to its PayRouted) only once it holds a
// verified endorsement of a proof of its own, at or after the cancel, that lacks the
// lock. Without one the cancelled lock stays our concern: our incoming lock is kept
// (never refused upstream) and resolves as an unrefused lock does, and the cancelled
// lock's secret is looked up on chain like an outgoing lock's (ADR 0027), so a receiver
// that claims it with our older proof pays our claim upstream.
//
// This file is the exchange: the receiver's endorsement, the payer's request and check.
// defense_endorsed.go keeps the endorsement durably and puts it on chain.

// askedLimit bounds the proofs per channel we wait for an endorsement of.
const askedLimit = 8

// endorsedProof is a proof of ours with the receiver's endorsement, and the lock list it
// commits to (nil when not known) for the unlock after settle.
type endorsedProof struct {
	proof  channel.SignedProof
	sig    channel.Signature // the receiver's, over EndorsementDigest(proof)
	locks  []channel.Lock
	locksN bool // locks is the proof's list (it may be empty)
}

// cancelledLock is an outgoing lock we cancelled whose refusal waits for an endorsement
// of a proof at or after nonce (0: not known, after a restart).
type cancelledLock struct {
	lock  channel.Lock
	nonce uint64
	since time.Time
	warn  bool          // the missing endorsement was logged
	done  chan struct{} // closed once the cancel is endorsed (wakes PayRouted)
}

// endorsements is the payer side's state; the durable truth is in the store's meta
// namespaces (defense_endorsed.go).
type endorsements struct {
	mu sync.Mutex
	// asked are proofs of ours we asked the partner to endorse, by channel and nonce.
	asked map[channel.ID]map[uint64]endorsedProof
	// best is the highest-nonce endorsed proof of ours per channel.
	best map[channel.ID]endorsedProof
	// waiting are the cancelled locks whose refusal waits for an endorsement.
	waiting map[sentKey]*cancelledLock
	// requested is when we last asked for an endorsement on a channel.
	requested map[channel.ID]time.Time
	// learning marks channels with a registry lookup running; defending, a defense.
	learning  map[channel.ID]bool
	defending map[channel.ID]bool
	// repeated is when we last endorsed a repeat on a channel (the receiver's side): a
	// payer asks at most every resendAfter, so more often is refused unsigned.
	repeated map[channel.ID]time.Time
	// stored is the highest nonce whose endorsement went into a batch, per channel, under
	// storedMu (taken inside the durable queue's fill, in disk order): an older
	// endorsement that passed its checks while a newer one was being stored must not
	// overwrite it, nor lower the prune floor (fifth attacker pass).
	storedMu sync.Mutex
	stored   map[channel.ID]uint64
}

func newEndorsements() *endorsements {
	return &endorsements{
		asked: map[channel.ID]map[uint64]endorsedProof{}, best: map[channel.ID]endorsedProof{},
		waiting: map[sentKey]*cancelledLock{}, requested: map[channel.ID]time.Time{},
		learning: map[channel.ID]bool{}, defending: map[channel.ID]bool{}, repeated: map[channel.ID]time.Time{},
		stored: map[channel.ID]uint64{},
	}
}

// endorsedNonce is the nonce of our best endorsed proof on id (0: none).
func (e *endorsements) endorsedNonce(id channel.ID) uint64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.best[id].proof.Nonce
}

// ask records proof (with its lock list, if known) as one we want endorsed.
func (e *endorsements) ask(id channel.ID, p endorsedProof) {
	e.mu.Lock()
	defer e.mu.Unlock()
	m := e.asked[id]
	if m == nil {
		m = map[uint64]endorsedProof{}
		e.asked[id] = m
	}
	m[p.proof.Nonce] = p
	for len(m) > askedLimit {
		low := p.proof.Nonce
		for k := range m {
			low = min(low, k)
		}
		delete(m, low)
	}
	e.requested[id] = time.Now()
}

// --- the receiver's side ---------------------------------------------------------

// lockRemovalFollowUp is what runs once a LockExpired from the partner is stored and
// acknowledged: for an expiry, the griefing check; for a cancel of a lock we refused, or
// an exact repeat of the partner's latest proof (the payer asking again), our
// endorsement of that proof. Endorsing a proof of the partner's costs an honest receiver
// nothing: the contract keeps the highest nonce, so its own best proof still wins.
func (n *Node) lockRemovalFollowUp(from common.Address, m *p2p.LockExpired, u channel.LockUpdate) func(*liveChannel) {
	var expired func(*liveChannel)
	if u.Change == channel.LockExpire {
		expired = n.afterLockExpired(m.SecretHash) // a cancel of a lock we refused is no griefing
	}
	if u.Change != channel.LockCancel && (!n.repeatOfLatest(from, m.Proof) || !n.med.ref.end.repeatDue(m.Proof.Channel)) {
		return expired
	}
	proof := m.Proof
	return func(lc *liveChannel) {
		if expired != nil {
			expired(lc)
		}
		n.sendCancelEndorsement(lc, proof)
	}
}

// repeatDue reports whether a repeat on id may be endorsed now (at most one a second),
// so a payer cannot make us sign at its message rate.
func (e *endorsements) repeatDue(id channel.ID) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if last, ok := e.repeated[id]; ok && time.Since(last) < time.Second {
		return false
	}
	e.repeated[id] = time.Now()
	return true
}

// repeatOfLatest reports whether p is exactly the partner's latest proof we hold.
func (n *Node) repeatOfLatest(from common.Address, p channel.SignedProof) bool {
	lc := n.peerChannel(from, p.Channel)
	if lc == nil {
		return false
	}
	lc.mu.Lock()
	last, ok := lc.st.Latest(lc.us.Other())
	lc.mu.Unlock()
	return ok && sameProof(last, p)
}

func sameProof(a, b channel.SignedProof) bool {
	return a.Channel == b.Channel && a.Nonce == b.Nonce && a.Sig == b.Sig && a.LocksRoot == b.LocksRoot &&
		sameBig(a.Transferred, b.Transferred) && sameBig(a.Locked, b.Locked)
}

// sameBig compares amounts, nil meaning zero.
func sameBig(a, b *big.Int) bool {
	if a == nil || b == nil {
		return (a == nil || a.Sign() == 0) && (b == nil || b.Sign() == 0)
	}
	return a.Cmp(b) == 0
}

// sendCancelEndorsement signs and sends our endorsement of the partner's proof p, which
// is stored (it runs after the proof's Ack).
func (n *Node) sendCancelEndorsement(lc *liveChannel, p channel.SignedProof) {
	digest, err := n.domain.EndorsementDigest(p.BalanceProof)
	if err != nil {
		n.log.Warn("cannot endorse a cancel proof", "channel", lc.id, "nonce", p.Nonce, "err", err)
		return
	}
	sig, err := n.signer.SignDigest(digest)
	if err != nil {
		n.log.Warn("cannot endorse a cancel proof", "channel", lc.id, "nonce", p.Nonce, "err", err)
		return
	}
	msg := &p2p.CancelEndorsement{Channel: lc.id, Nonce: p.Nonce, Sig: sig}
	if err := n.transport.Send(n.ctx, lc.peer, msg); err != nil {
		n.log.Debug("cancel endorsement not sent; the payer asks again", "channel", lc.id, "err", err)
	}
}

// --- the payer's side ------------------------------------------------------------

// sendCancel cancels our refused lock l on lc and records the cancel proof as one we
// want endorsed. The cancelled lock is noted durably first (queue order puts it on disk
// no later than the cancel proof), so after a restart we still watch for its secret.
func (n *Node) sendCancel(lc *liveChannel, l channel.Lock, now uint64) error {
	k := sentKey{lc.id, l.SecretHash}
	if err := n.durable.enqueue(func(b *store.Batch) error {
		return b.PutMeta(cancelWaitNamespace, refusalKey(k), encodeCancelWait(l, 0))
	}, afterCommit{}); err != nil {
		return err
	}
	msg := &p2p.LockExpired{SecretHash: l.SecretHash}
	e := n.med.ref.end
	if _, err := n.sendLockUpdate(lc, channel.CancelLock(l.SecretHash), now, msg, nil); err != nil {
		return err
	}
	e.mu.Lock()
	e.waiting[k] = &cancelledLock{lock: l, nonce: msg.Proof.Nonce, since: time.Now(), done: make(chan struct{})}
	e.mu.Unlock()
	e.ask(lc.id, endorsedProof{proof: msg.Proof})
	return nil
}

// endorseOverdue is how long a partner may take to endorse our cancel before the
// withheld endorsement counts as a lock it holds against us (the griefing tracker).
const endorseOverdue = 30 * time.Second

// cancelEndorsed reports whether our cancel of the lock k no longer needs an endorsement:
// it was not cancelled by us (unlocked, expired, or a record from before ADR 0032), or
// the partner endorsed a proof of ours at or after the cancel. ours is our latest nonce,
// the cancel's when not known (after a restart). Callers may hold ref.mu.
func (n *Node) cancelEndorsed(k sentKey, ours uint64) bool {
	e := n.med.ref.end
	e.mu.Lock()
	defer e.mu.Unlock()
	w, ok := e.waiting[k]
	if !ok {
		return true
	}
	if w.nonce == 0 {
		w.nonce = ours
	}
	if e.best[k.ch].proof.Nonce >= w.nonce {
		delete(e.waiting, k)
		close(w.done)
		return true
	}
	return false
}

// refusalUnendorsed reports whether our lock k was refused and cancelled, and the
// partner has not yet endorsed a proof of ours at or after the cancel; if so, the
// channel is closed once the refusal is passed on.
func (n *Node) refusalUnendorsed(k sentKey) (bool, <-chan struct{}) {
	e := n.med.ref.end
	e.mu.Lock()
	defer e.mu.Unlock()
	if w, ok := e.waiting[k]; ok {
		return true, w.done
	}
	return false, nil
}

// requestEndorsement asks the partner, at most every resendAfter, to endorse our latest
// proof on lc: it re-sends that proof as a LockExpired (an exact repeat, which the
// partner acknowledges and endorses again). hash is a lock the proof no longer carries.
func (n *Node) requestEndorsement(lc *liveChannel, hash [32]byte) {
	e := n.med.ref.end
	e.mu.Lock()
	last, asked := e.requested[lc.id]
	due := !asked || time.Since(last) >= resendAfter
	var overdue *channel.Lock
	if w, ok := e.waiting[sentKey{lc.id, hash}]; ok && !w.warn && time.Since(w.since) > endorseOverdue {
		w.warn = true
		overdue = &w.lock
	}
	e.mu.Unlock()
	if overdue != nil {
		n.log.Warn("partner has not endorsed our cancel: the refusal is not passed on, the incoming lock is kept", "channel", lc.id, "peer", lc.peer, "amount", overdue.Amount)
		n.lockHeldToExpiry(lc, *overdue, false)
	}
	if !due {
		return
	}
	lc.mu.Lock()
	latest, ok := lc.st.Latest(lc.us)
	locks := lc.st.Locks(lc.us)
	_, pending := lc.st.PendingLock(lc.us, hash)
	lc.mu.Unlock()
	if !ok || pending {
		return
	}
	ep := endorsedProof{proof: latest, locks: locks}
	if root, err := channel.LocksRoot(locks); err == nil && root == latest.LocksRoot {
		ep.locksN = true
	} else {
		ep.locks = nil
	}
	e.ask(lc.id, ep)
	if err := n.transport.Send(n.ctx, lc.peer, &p2p.LockExpired{Proof: latest, SecretHash: hash}); err != nil {
		n.log.Debug("endorsement request not sent", "channel", lc.id, "err", err)
	}
}

// onCancelEndorsement takes the partner's endorsement of a proof of ours we asked it to
// endorse. It is checked against exactly that proof (the receiver's EIP-712
// ProofEndorsement, signed by the channel's partner) and stored before anything relies
// on it; anything else is refused and changes nothing. A bad signature counts toward
// the peer's ban.
func (n *Node) onCancelEndorsement(from common.Address, m *p2p.CancelEndorsement) {
	lc := n.peerChannel(from, m.Channel)
	if lc == nil {
		n.log.Debug("cancel endorsement for no channel with this peer: ignored", "peer", from, "channel", m.Channel)
		return
	}
	e := n.med.ref.end
	e.mu.Lock()
	ep, asked := e.asked[lc.id][m.Nonce]
	have := e.best[lc.id].proof.Nonce
	e.mu.Unlock()
	if !asked || m.Nonce <= have {
		n.log.Debug("cancel endorsement of no proof we wait on: ignored", "channel", lc.id, "nonce", m.Nonce)
		return
	}
	if err := n.verifyEndorsement(lc, ep.proof, m.Sig); err != nil {
		n.log.Warn("bad cancel endorsement refused; the refusal is not passed on", "channel", lc.id, "nonce", m.Nonce, "err", err)
		n.metrics.rejects.WithLabelValues(rejectLabel(channel.Code(err))).Inc()
		n.penalize(from, err)
		return
	}
	ep.sig = m.Sig
	if !ep.locksN {
		ep.locks, ep.locksN = n.lockListOf(lc, ep.proof)
	}
	rec := encodeEndorsed(ep)
	prune, pruned := n.pruneWithEndorsement(lc, n.prunableThrough(lc.id, ep.proof.Nonce)) // a checkpoint (ADR 0037)
	err := n.durable.enqueue(func(b *store.Batch) error {
		// Runs in disk order: a newer endorsement queued first wins (the partner may
		// answer two requests back to back, newest first).
		e.storedMu.Lock()
		newer := ep.proof.Nonce > e.stored[lc.id]
		if newer {
			e.stored[lc.id] = ep.proof.Nonce
		}
		e.storedMu.Unlock()
		if !newer {
			return nil
		}
		if err := b.PutMeta(endorsedNamespace, channelKey(lc.id), rec); err != nil {
			return err
		}
		return prune(b)
	}, afterCommit{kind: afterRun, then: func() {
		pruned()
		e.mu.Lock()
		if ep.proof.Nonce > e.best[lc.id].proof.Nonce {
			e.best[lc.id] = ep
		}
		for nonce := range e.asked[lc.id] {
			if nonce <= ep.proof.Nonce {
				delete(e.asked[lc.id], nonce)
			}
		}
		e.mu.Unlock()
		n.log.Info("cancel endorsed by the partner", "channel", lc.id, "nonce", ep.proof.Nonce)
		n.towerProofReceived(lc) // the tower defends it too while we are offline
		n.med.wake()
	}})
	if err != nil {
		n.log.Warn("cancel endorsement not stored", "channel", lc.id, "err", err)
	}
}

// verifyEndorsement checks that sig is lc's partner's endorsement of exactly p.
func (n *Node) verifyEndorsement(lc *liveChannel, p channel.SignedProof, sig channel.Signature) error {
	digest, err := n.domain.EndorsementDigest(p.BalanceProof)
	if err != nil {
		return fmt.Errorf("endorsed proof: %w", channel.ErrMalformed)
	}
	signer, err := channel.Recover(digest, sig)
	if err != nil {
		return fmt.Errorf("endorsement of nonce %d: %w", p.Nonce, channel.ErrBadSignature)
	}
	if signer != lc.peer {
		return fmt.Errorf("endorsement of nonce %d signed by %s, not the partner: %w", p.Nonce, signer, channel.ErrWrongSigner)
	}
	return nil
}

// lockListOf is our lock list that p commits to, if it is our current one.
func (n *Node) lockListOf(lc *liveChannel, p channel.SignedProof) ([]channel.Lock, bool) {
	lc.mu.Lock()
	locks := lc.st.Locks(lc.us)
	lc.mu.Unlock()
	if root, err := channel.LocksRoot(locks); err == nil && root == p.LocksRoot {
		return locks, true
	}
	if p.LocksRoot == ([32]byte{}) {
		return nil, true
	}
	return nil, false
}

// cancelAwaitingEndorsement reports whether a lock of ours on hash was cancelled and its
// endorsement has not come: until it does, the lock may still be claimed with the older
// proof that carried it.
func (n *Node) cancelAwaitingEndorsement(hash [32]byte) bool {
	e := n.med.ref.end
	e.mu.Lock()
	defer e.mu.Unlock()
	for k := range e.waiting {
		if k.hash == hash {
			return true
		}
	}
	return false
}
