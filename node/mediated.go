package node

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Mediated transfers (issue 18, ADR 0025): the node's side of package mediate. The
// target creates the secret (NewInvoice); the initiator locks the amount to its partner
// with a LockedTransfer naming the rest of the route; each mediator forwards a lock that
// expires a reveal margin earlier; the secret travels back by SecretReveal and every hop
// unlocks. All decisions about pending locks (unlock, expire, reveal) are re-derived
// from the channel state, the stored secrets and chain time by the mediation loop
// (mediated_loop.go), so a restarted node resumes from what is on disk.

// ErrRouteFailed: a routed payment's lock expired before the target released the secret;
// the locked amount is back with the payer.
var ErrRouteFailed = errors.New("routed payment expired unpaid")

// invoiceNamespace holds the amount each invoice asks, by secret hash (hex), so a target
// restarted before payment still checks the incoming lock against it.
const invoiceNamespace = "invoice"

// lockStorage is the part of the store the mediated transfers read; *store.Store has it.
type lockStorage interface {
	GetSecret(hash [32]byte) ([32]byte, bool, error)
	GetLocks(id channel.ID, payer channel.Party) (store.LockSetRecord, bool, error)
}

// mediation is the node's mediated-transfer state. Nothing here is needed for safety
// after a restart: it caches secrets and rate-limits resends.
type mediation struct {
	cfg  mediate.Config
	now  atomic.Uint64 // chain time of the latest head the watcher saw
	kick chan struct{}

	mu      sync.Mutex
	secrets map[[32]byte][32]byte // durable secrets, by hash
	sent    map[sentKey]time.Time // last reveal per lock, so a reveal is resent at most every resendAfter
	// resolved records how our outgoing locks ended (by channel and hash) for PayRouted.
	resolved map[sentKey]lockResolution
}

type sentKey struct {
	ch   channel.ID
	hash [32]byte
}

type lockResolution struct {
	unlocked bool
	nonce    uint64
	at       time.Time
}

// lockMsg is a lock proof of ours the peer has not acknowledged: resent before Sync on
// reconnect, because Sync carries direct payments only (a lock update needs its message).
type lockMsg struct {
	nonce uint64
	msg   p2p.Message
}

const resendAfter = 2 * time.Second

func newMediation(c Config) *mediation {
	return &mediation{
		cfg:      mediate.Config{RevealMargin: c.RevealMargin},
		kick:     make(chan struct{}, 1),
		secrets:  map[[32]byte][32]byte{},
		sent:     map[sentKey]time.Time{},
		resolved: map[sentKey]lockResolution{},
	}
}

func (m *mediation) wake() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// chainNow is the node's notion of chain time: the latest head's timestamp.
func (n *Node) chainNow(ctx context.Context) (uint64, error) {
	if t := n.med.now.Load(); t != 0 {
		return t, nil
	}
	_, t, err := n.chain.Head(ctx)
	if err != nil {
		return 0, fmt.Errorf("read chain time: %w", err)
	}
	n.med.now.CompareAndSwap(0, t)
	return t, nil
}

// secret returns a durable secret for hash, if the node knows one.
func (n *Node) secret(hash [32]byte) ([32]byte, bool) {
	n.med.mu.Lock()
	s, ok := n.med.secrets[hash]
	n.med.mu.Unlock()
	if ok {
		return s, true
	}
	ls, isLS := n.store.(lockStorage)
	if !isLS {
		return s, false
	}
	s, ok, err := ls.GetSecret(hash)
	if err != nil || !ok {
		return s, false
	}
	n.med.mu.Lock()
	n.med.secrets[hash] = s
	n.med.mu.Unlock()
	return s, true
}

// Invoice is what a payer needs to pay this node through a route.
type Invoice struct {
	SecretHash [32]byte
	Amount     *big.Int
}

// NewInvoice creates a secret for a payment of amount to this node and stores it (and
// the amount asked) durably before returning its hash. The node releases the secret
// only to a payer whose lock pays at least amount with a reveal margin left.
func (n *Node) NewInvoice(ctx context.Context, amount *big.Int) (Invoice, error) {
	if amount == nil || amount.Sign() <= 0 {
		return Invoice{}, fmt.Errorf("invoice for %v: %w", amount, channel.ErrInvalidAmount)
	}
	var secret [32]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return Invoice{}, fmt.Errorf("invoice: %w", err)
	}
	h := channel.SecretHash(secret)
	done := make(chan error, 1)
	fill := func(b *store.Batch) error {
		b.PutSecret(secret)
		return b.PutMeta(invoiceNamespace, common.Bytes2Hex(h[:]), amount.Bytes())
	}
	if err := n.durable.enqueue(fill, afterCommit{kind: afterSignal, done: done}); err != nil {
		return Invoice{}, fmt.Errorf("invoice: %w", err)
	}
	select {
	case err := <-done:
		if err != nil {
			return Invoice{}, fmt.Errorf("invoice: store secret: %w", err)
		}
	case <-ctx.Done():
		return Invoice{}, ctx.Err()
	}
	n.med.mu.Lock()
	n.med.secrets[h] = secret
	n.med.mu.Unlock()
	return Invoice{SecretHash: h, Amount: new(big.Int).Set(amount)}, nil
}

// invoiceAmount is what this node's invoice on hash asks; ok is false for a hash this
// node did not invoice (it is then at most a mediator for it).
func (n *Node) invoiceAmount(hash [32]byte) (*big.Int, bool) {
	raw, ok, err := n.store.GetMeta(invoiceNamespace, common.Bytes2Hex(hash[:]))
	if err != nil || !ok {
		return nil, false
	}
	return new(big.Int).SetBytes(raw), true
}

// RoutedPayRequest pays Amount to the last of Hops (the target) through the others.
// SecretHash is the target's invoice. PaymentID names the payment on every hop.
type RoutedPayRequest struct {
	Hops       []common.Address
	Amount     *big.Int
	SecretHash [32]byte
	PaymentID  [16]byte
}

// RoutedPayment is a finished routed payment as the initiator saw it.
type RoutedPayment struct {
	Channel    channel.ID // the first hop's channel
	Lock       channel.Lock
	Unlocked   bool   // the target released the secret and the first hop was paid
	UnlockedAt uint64 // nonce of the unlock (or expiry) proof
}

// PayRouted locks req.Amount to the first hop and waits until the lock is unlocked (the
// target released the secret) or expired (ErrRouteFailed; the amount is back). The
// sluice_pay `to: address` API will call it with a route from package routing.
func (n *Node) PayRouted(ctx context.Context, req RoutedPayRequest) (RoutedPayment, error) {
	if err := n.usable(); err != nil {
		return RoutedPayment{}, err
	}
	if req.Amount == nil || req.Amount.Sign() <= 0 {
		return RoutedPayment{}, fmt.Errorf("routed pay %v: %w", req.Amount, channel.ErrInvalidAmount)
	}
	if err := mediate.CheckRoute(n.signer.Address(), req.Hops); err != nil {
		return RoutedPayment{}, err
	}
	lc := n.openChannelWith(req.Hops[0])
	if lc == nil {
		return RoutedPayment{}, fmt.Errorf("routed pay: no open channel with %s: %w", req.Hops[0], channel.ErrUnknownChannel)
	}
	if err := n.waitPeer(ctx, lc.peer); err != nil {
		return RoutedPayment{}, fmt.Errorf("routed pay via %s: %w; nothing was signed", lc.peer, err)
	}
	now, err := n.chainNow(ctx)
	if err != nil {
		return RoutedPayment{}, err
	}
	lock := channel.Lock{Amount: new(big.Int).Set(req.Amount), Expiration: n.med.cfg.InitiatorExpiration(now, len(req.Hops)), SecretHash: req.SecretHash}
	target := req.Hops[len(req.Hops)-1]
	msg := &p2p.LockedTransfer{Lock: lock, PaymentID: req.PaymentID, Target: target, Amount: req.Amount, Hops: append([]common.Address(nil), req.Hops[1:]...)}
	if _, err := n.sendLockUpdate(lc, channel.AddLock(lock), now, msg, nil); err != nil {
		return RoutedPayment{}, fmt.Errorf("routed pay: %w", err)
	}
	n.log.Info("routed payment locked", "channel", lc.id, "amount", req.Amount, "hops", len(req.Hops), "expiration", lock.Expiration)
	return n.awaitRouted(ctx, lc, lock)
}

// awaitRouted waits until our lock on the first hop is resolved and the peer acknowledged
// the proof that resolved it.
func (n *Node) awaitRouted(ctx context.Context, lc *liveChannel, lock channel.Lock) (RoutedPayment, error) {
	key := sentKey{lc.id, lock.SecretHash}
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		n.med.mu.Lock()
		r, done := n.med.resolved[key]
		n.med.mu.Unlock()
		if done {
			lc.mu.Lock()
			acked := lc.acked >= r.nonce
			lc.mu.Unlock()
			if acked {
				out := RoutedPayment{Channel: lc.id, Lock: lock, Unlocked: r.unlocked, UnlockedAt: r.nonce}
				if !r.unlocked {
					return out, fmt.Errorf("routed pay on channel %s: lock %x: %w", lc.id, lock.SecretHash, ErrRouteFailed)
				}
				return out, nil
			}
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return RoutedPayment{}, fmt.Errorf("routed pay on channel %s: lock %x pending: %w", lc.id, lock.SecretHash, ctx.Err())
		case <-n.ctx.Done():
			return RoutedPayment{}, ErrClosed
		}
	}
}

// openChannelWith returns an open channel with peer, if there is one.
func (n *Node) openChannelWith(peer common.Address) *liveChannel {
	var found *liveChannel
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		if lc.peer != peer {
			return true
		}
		lc.mu.Lock()
		open := lc.st.Status() == channel.StatusOpen
		lc.mu.Unlock()
		if open {
			found = lc
			return false
		}
		return true
	})
	return found
}

// sendLockUpdate signs our next lock proof (u at chain time now), makes it and the new
// lock set durable (with the secret of an unlock, and a payment record for rec), and
// sends msg with the proof filled in once it is on disk. It returns the proof's nonce.
func (n *Node) sendLockUpdate(lc *liveChannel, u channel.LockUpdate, now uint64, msg p2p.Message, rec *store.PaymentRecord) (uint64, error) {
	if err := lc.policyRefusal(); err != nil {
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
	setLockProof(msg, proof)
	locks := lc.st.Locks(lc.us)
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
	var dropped []uint64
	lc.lockMsgs = unackedLockMsgs(lc, &dropped)
	fill := func(b *store.Batch) error {
		if err := b.PutProof(lc.us, &proof); err != nil {
			return err
		}
		if err := b.PutLocks(lc.id, lc.us, proof.Nonce, locks); err != nil {
			return err
		}
		// The message itself, so a restarted node can still deliver it (loadLockMsgs).
		if err := b.PutMeta(lockMsgNamespace, lockMsgKey(lc.id, proof.Nonce), frame[k:]); err != nil {
			return err
		}
		for _, nonce := range dropped {
			if err := b.DeleteMeta(lockMsgNamespace, lockMsgKey(lc.id, nonce)); err != nil {
				return err
			}
		}
		if u.Change == channel.LockUnlock {
			b.PutSecret(u.Secret)
		}
		if rec != nil {
			return b.PutPayment(rec)
		}
		return nil
	}
	if err := n.durable.enqueue(fill, afterCommit{kind: afterSendLock, ch: lc, nonce: proof.Nonce, msg: msg}); err != nil {
		return 0, fmt.Errorf("channel %s: %w", lc.id, err)
	}
	lc.lockMsgs = append(lc.lockMsgs, lockMsg{nonce: proof.Nonce, msg: msg})
	if u.Change != channel.LockAdd {
		h := u.SecretHash
		if u.Change == channel.LockUnlock {
			h = channel.SecretHash(u.Secret)
		}
		n.med.mu.Lock()
		n.med.resolved[sentKey{lc.id, h}] = lockResolution{unlocked: u.Change == channel.LockUnlock, nonce: proof.Nonce, at: time.Now()}
		n.med.mu.Unlock()
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
	for _, m := range msgs {
		if err := n.transport.Send(n.ctx, lc.peer, m.msg); err != nil {
			n.log.Debug("lock proof not resent", "channel", lc.id, "nonce", m.nonce, "err", err)
			return
		}
	}
}

// loadLocks reads both directions' pending lock sets for restoreChannel.
func (n *Node) loadLocks(id channel.ID) ([2][]channel.Lock, error) {
	var out [2][]channel.Lock
	ls, ok := n.store.(lockStorage)
	if !ok {
		return out, nil
	}
	for i := range 2 {
		rec, found, err := ls.GetLocks(id, channel.Party(i))
		if err != nil {
			return out, err
		}
		if found {
			out[i] = rec.Locks
		}
	}
	return out, nil
}

// freshChainNow reads the chain head's time now, not the watcher's last view of it.
func (n *Node) freshChainNow() (uint64, error) {
	ctx, cancel := context.WithTimeout(n.ctx, 5*time.Second)
	defer cancel()
	_, t, err := n.chain.Head(ctx)
	if err != nil {
		return 0, err
	}
	n.med.advance(t)
	return t, nil
}

// advance raises the node's chain time to t (never lowers it); it reports a change.
func (m *mediation) advance(t uint64) bool {
	for {
		cur := m.now.Load()
		if cur >= t {
			return false
		}
		if m.now.CompareAndSwap(cur, t) {
			return true
		}
	}
}

// unackedLockMsgs drops the lock messages the peer acknowledged, appending their nonces
// to *dropped when it is not nil (the caller deletes their stored copies). Callers hold
// lc.mu.
func unackedLockMsgs(lc *liveChannel, dropped *[]uint64) []lockMsg {
	keep := lc.lockMsgs[:0]
	for _, m := range lc.lockMsgs {
		if m.nonce > lc.acked {
			keep = append(keep, m)
		} else if dropped != nil {
			*dropped = append(*dropped, m.nonce)
		}
	}
	clear(lc.lockMsgs[len(keep):])
	return keep
}

// forget drops rate-limit and resolution entries older than keepFor: by then the lock
// they describe is long resolved or expired.
func (m *mediation) forget(keepFor time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, at := range m.sent {
		if time.Since(at) > keepFor {
			delete(m.sent, k)
		}
	}
	for k, r := range m.resolved {
		if time.Since(r.at) > keepFor {
			delete(m.resolved, k)
		}
	}
}

// lockMsgNamespace keeps our lock messages until a later lock message finds them
// acknowledged; key: channel id (hex) + nonce (20 digits).
const lockMsgNamespace = "lockmsg"

func lockMsgKey(id channel.ID, nonce uint64) string {
	return fmt.Sprintf("%x%020d", id[:], nonce)
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
	for _, e := range entries {
		var id channel.ID
		var nonce uint64
		if len(e.Key) != 84 {
			continue
		}
		if _, err := hex.Decode(id[:], []byte(e.Key[:64])); err != nil {
			continue
		}
		if _, err := fmt.Sscanf(e.Key[64:], "%d", &nonce); err != nil {
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
		lc.lockMsgs = append(lc.lockMsgs, lockMsg{nonce: nonce, msg: msg})
		lc.mu.Unlock()
	}
	return nil
}
