package node

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/invoicing"
	"github.com/sluicepay/sluice/routing"
	"github.com/sluicepay/sluice/store"
)

// The routed payment log (ADR 0028): one store.RoutedRecord per routed payment this node
// took part in, as payer (route, fee per hop), mediator (in and out channel, fee earned)
// or target (amount, memo), with its lock's state. A record is written when the node's
// part begins and rewritten when the lock ends; every write is published to routed
// subscriptions once durable. Records not final yet are kept in memory and listed in the
// meta namespace below, from which the first use after a restart loads them, so the lock
// hooks never read the store.

// routedLiveNamespace lists the records not final yet: hex(secret hash) + role digit ->
// record id; an entry is deleted in the write that makes its record final.
const routedLiveNamespace = "routedlive"

// staleInvoiceAge: a target's record still pending after this long (an invoice nobody
// paid; payers refuse invoices after their expiry, and the sweep deletes it then: ADR 0035) is closed as expired when loaded.
const staleInvoiceAge = 24 * time.Hour

// ErrUnknownPayment: no routed payment with this id.
var ErrUnknownPayment = errors.New("unknown payment")

type routedKey struct {
	hash [32]byte
	role store.RouteRole
}

type routedLog struct {
	once sync.Once
	mu   sync.Mutex
	live map[routedKey]*store.RoutedRecord
}

// routedStorage is the part of the store the log uses; *store.Store has it.
type routedStorage interface {
	GetRouted(id store.PaymentID) (store.RoutedRecord, bool, error)
	ListRouted(cursor string, limit int) (store.RoutedPage, error)
}

// routedLog returns the log with its live records loaded.
func (n *Node) routedLog() *routedLog {
	l := &n.invoices().log
	l.once.Do(func() { n.loadRoutedLive(l) })
	return l
}

// loadRoutedLive reads the records not final yet (written before a restart).
func (n *Node) loadRoutedLive(l *routedLog) {
	l.live = map[routedKey]*store.RoutedRecord{}
	ml, ok := n.store.(metaLister)
	rs, isRS := n.store.(routedStorage)
	if !ok || !isRS {
		return
	}
	entries, err := ml.ListMeta(routedLiveNamespace)
	if err != nil {
		n.log.Warn("routed payment log: live records not loaded", "err", err)
		return
	}
	var stale []*store.RoutedRecord
	for _, e := range entries {
		if len(e.Value) != 16 {
			continue
		}
		rec, found, err := rs.GetRouted(store.PaymentID(e.Value))
		if err != nil || !found || rec.State.Final() {
			continue
		}
		l.live[routedKey{rec.SecretHash, rec.Role}] = &rec
		if rec.Role == store.RoleTarget && time.Since(rec.Created) > staleInvoiceAge {
			stale = append(stale, &rec)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, rec := range stale {
		rec.State = store.LockExpired
		n.saveRouted(l, rec)
	}
}

func routedHashKey(k routedKey) string {
	return common.Bytes2Hex(k.hash[:]) + string(rune('0'+k.role))
}

// findRouted returns the live (not final) record of (hash, role). Callers hold l.mu.
func (n *Node) findRouted(l *routedLog, k routedKey) *store.RoutedRecord { return l.live[k] }

// saveRouted writes rec (new or changed) through the durable queue and publishes it once
// it is on disk. Callers hold l.mu.
func (n *Node) saveRouted(l *routedLog, rec *store.RoutedRecord) {
	k := routedKey{rec.SecretHash, rec.Role}
	if rec.State.Final() {
		delete(l.live, k)
	} else {
		l.live[k] = rec
	}
	rec.Updated = time.Now()
	snapshot := *rec
	snapshot.Hops = append([]store.RouteHop(nil), rec.Hops...)
	fill := func(b *store.Batch) error {
		var err error
		if snapshot.State.Final() {
			err = b.DeleteMeta(routedLiveNamespace, routedHashKey(k))
		} else {
			err = b.PutMeta(routedLiveNamespace, routedHashKey(k), snapshot.ID[:])
		}
		if err != nil {
			return err
		}
		return b.PutRouted(&snapshot)
	}
	a := afterCommit{kind: afterRun}
	if n.subs.routedListeners.Load() > 0 {
		// A subscription made while the write is queued starts with the next record.
		a.then = func() { n.subs.publishRouted(snapshot) }
	}
	err := n.durable.enqueue(fill, a)
	if err != nil {
		n.log.Warn("routed payment record not stored", "payment", snapshot.ID, "err", err)
	}
}

// setRoutedState moves the record of (hash, role) to state (once final it stays), with
// the channel its lock resolved on.
func (n *Node) setRoutedState(k routedKey, state store.LockState, edit func(*store.RoutedRecord)) bool {
	l := n.routedLog()
	l.mu.Lock()
	defer l.mu.Unlock()
	rec := n.findRouted(l, k)
	if rec == nil || rec.State.Final() {
		return rec != nil
	}
	rec.State = state
	if edit != nil {
		edit(rec)
	}
	n.saveRouted(l, rec)
	return true
}

// routedSendStarted records a payer's attempt on route r before its lock is placed.
func (n *Node) routedSendStarted(req PayToRequest, r routing.Route) {
	l := n.routedLog()
	l.mu.Lock()
	defer l.mu.Unlock()
	k := routedKey{req.SecretHash, store.RolePayer}
	rec := n.findRouted(l, k)
	if rec == nil {
		rec = &store.RoutedRecord{ID: req.PaymentID, Role: store.RolePayer, SecretHash: req.SecretHash, Created: time.Now()}
	}
	rec.PaymentID, rec.State, rec.Peer, rec.Memo, rec.Client = req.PaymentID, store.LockPending, req.To, req.Memo, req.Client
	rec.Amount, rec.Fee = new(big.Int).Set(req.Amount), new(big.Int).Set(r.Fee)
	rec.Hops = rec.Hops[:0]
	for _, h := range r.Hops {
		rec.Hops = append(rec.Hops, store.RouteHop{Channel: h.Channel, From: h.From, To: h.To, Amount: h.Amount, Fee: h.Fee})
	}
	if len(r.Hops) > 0 {
		rec.Out = r.Hops[0].Channel
	}
	n.saveRouted(l, rec)
}

// routedSendEnded records how a payer's attempt ended when PayRouted returned: an error
// with the lock still pending (the caller's deadline) leaves it to the lock hooks.
func (n *Node) routedSendEnded(req PayToRequest, p RoutedPayment, err error) {
	k := routedKey{req.SecretHash, store.RolePayer}
	switch {
	case err == nil && p.Unlocked:
		n.setRoutedState(k, store.LockUnlocked, nil)
	case errors.Is(err, ErrRouteRefused):
		// Before ErrRouteFailed, which a refusal also matches: the lock came back
		// cancelled, it did not expire.
		n.setRoutedState(k, store.LockRefused, nil)
	case errors.Is(err, ErrRouteFailed):
		n.setRoutedState(k, store.LockExpired, nil)
	case err != nil:
		if lc := n.openChannelWith(firstHop(n, k)); lc != nil {
			lc.mu.Lock()
			_, pending := lc.st.PendingLock(lc.us, req.SecretHash)
			lc.mu.Unlock()
			if pending {
				return
			}
		}
		n.setRoutedState(k, store.LockRefused, nil)
	}
}

// firstHop is the partner of a payer record's first channel.
func firstHop(n *Node, k routedKey) common.Address {
	l := n.routedLog()
	l.mu.Lock()
	defer l.mu.Unlock()
	if rec := n.findRouted(l, k); rec != nil && len(rec.Hops) > 0 {
		return rec.Hops[0].To
	}
	return common.Address{}
}

// routedInvoiced records, on the target, an invoice asked for over the wire.
func (n *Node) routedInvoiced(inv invoicing.Invoice, memo []byte) {
	l := n.routedLog()
	l.mu.Lock()
	defer l.mu.Unlock()
	rec := &store.RoutedRecord{ID: derivedRoutedID("target", inv.SecretHash, channel.ID{}), Role: store.RoleTarget, State: store.LockPending,
		SecretHash: inv.SecretHash, Peer: inv.Payer, Amount: new(big.Int).Set(inv.Amount), Fee: new(big.Int), Memo: string(memo), Created: time.Now()}
	n.saveRouted(l, rec)
}

// routedForwarded records, on a mediator, a lock it forwarded from in to out.
func (n *Node) routedForwarded(in, out channel.ID, paymentID [16]byte, target common.Address, amount, inLock, outLock *big.Int, hash [32]byte) {
	l := n.routedLog()
	l.mu.Lock()
	defer l.mu.Unlock()
	k := routedKey{hash, store.RoleMediator}
	if n.findRouted(l, k) != nil {
		return // a repeat
	}
	rec := &store.RoutedRecord{ID: derivedRoutedID("mediator", hash, in), PaymentID: paymentID, Role: store.RoleMediator, State: store.LockPending,
		SecretHash: hash, Peer: target, Amount: new(big.Int).Set(amount), Fee: new(big.Int).Sub(inLock, outLock), In: in, Out: out, Created: time.Now()}
	n.saveRouted(l, rec)
}

// routedOutgoingResolved follows our lock on hash over channel ch being unlocked or
// expired: a payer's record ends with it; a mediator's ends with its incoming lock,
// except that an expired outgoing lock means the incoming one expires too.
func (n *Node) routedOutgoingResolved(ch channel.ID, hash [32]byte, unlocked bool) {
	state := store.LockExpired
	if unlocked {
		state = store.LockUnlocked
	}
	n.setRoutedState(routedKey{hash, store.RolePayer}, state, func(r *store.RoutedRecord) { r.Out = ch })
	if !unlocked {
		n.setRoutedState(routedKey{hash, store.RoleMediator}, store.LockExpired, nil)
	}
}

// routedIncomingResolved follows a lock paying us on hash over channel ch being unlocked
// or expired. A target without a record (its invoice came from sluice_invoice, not the
// wire) gets one here.
func (n *Node) routedIncomingResolved(ch channel.ID, hash [32]byte, unlocked bool) {
	state := store.LockExpired
	if unlocked {
		state = store.LockUnlocked
	}
	n.setRoutedState(routedKey{hash, store.RoleMediator}, state, nil)
	setIn := func(r *store.RoutedRecord) { r.In = ch }
	if n.setRoutedState(routedKey{hash, store.RoleTarget}, state, setIn) {
		return
	}
	asked, mine := n.invoiceAmount(hash)
	if !mine {
		return
	}
	l := n.routedLog()
	l.mu.Lock()
	defer l.mu.Unlock()
	rec := &store.RoutedRecord{ID: derivedRoutedID("target", hash, channel.ID{}), Role: store.RoleTarget, State: state,
		SecretHash: hash, Amount: asked, Fee: new(big.Int), In: ch, Created: time.Now()}
	n.saveRouted(l, rec)
}

// routedLockChange is the lock hooks' entry: u changed the locks paid by us (outgoing) or
// by the partner over channel ch.
func (n *Node) routedLockChange(ch channel.ID, u channel.LockUpdate, outgoing bool) {
	var hash [32]byte
	switch u.Change {
	case channel.LockUnlock:
		hash = channel.SecretHash(u.Secret)
	case channel.LockExpire:
		hash = u.SecretHash
	case channel.LockCancel:
		if !outgoing {
			// The partner cancelled a lock we refused: a mediator's (or target's) record of
			// it ends refused, so a retry on the same hash starts a record of its own.
			n.setRoutedState(routedKey{u.SecretHash, store.RoleMediator}, store.LockRefused, nil)
			n.setRoutedState(routedKey{u.SecretHash, store.RoleTarget}, store.LockRefused, nil)
		}
		return
	default:
		return
	}
	if outgoing {
		n.routedOutgoingResolved(ch, hash, u.Change == channel.LockUnlock)
	} else {
		n.routedIncomingResolved(ch, hash, u.Change == channel.LockUnlock)
	}
}

// derivedRoutedID names a mediator's or target's record: the payer's payment id is the
// payer's choice, and must not be able to overwrite a record of ours.
func derivedRoutedID(role string, hash [32]byte, ch channel.ID) store.PaymentID {
	var id store.PaymentID
	copy(id[:], crypto.Keccak256([]byte("sluice-routed-"+role), hash[:], ch[:]))
	return id
}

// RoutedPayments pages through the routed payment log, oldest first.
func (n *Node) RoutedPayments(ctx context.Context, cursor string, limit int) (store.RoutedPage, error) {
	rs, ok := n.store.(routedStorage)
	if !ok {
		return store.RoutedPage{}, nil
	}
	if limit <= 0 {
		limit = 100
	}
	return rs.ListRouted(cursor, min(limit, 1000))
}

// RoutedPayment returns one routed payment by its record id (a payer's payment id).
func (n *Node) RoutedPayment(ctx context.Context, id [16]byte) (store.RoutedRecord, error) {
	rs, ok := n.store.(routedStorage)
	if !ok {
		return store.RoutedRecord{}, fmt.Errorf("payment %x: %w", id, ErrUnknownPayment)
	}
	rec, found, err := rs.GetRouted(id)
	if err != nil {
		return rec, err
	}
	if !found {
		return rec, fmt.Errorf("payment %x: %w", id, ErrUnknownPayment)
	}
	return rec, nil
}
