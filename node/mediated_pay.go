package node

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
)

// invoiceNamespace holds the amount each invoice asks, by secret hash (hex), so a target
// restarted before payment still checks the incoming lock against it.
const invoiceNamespace = "invoice"

// Invoice is what a payer needs to pay this node through a route.
type Invoice struct {
	SecretHash [32]byte
	Amount     *big.Int
	// Expiry (unix seconds) is when the invoice stops taking new locks (ADR 0035).
	Expiry uint64
}

// NewInvoice creates a secret for a payment of amount to this node and stores it (and
// the amount asked) durably before returning its hash. The node releases the secret
// only to a payer whose lock pays at least amount with a reveal margin left, arrives
// before the invoice's expiry and is the first lock it accepts for it.
// ErrTooManyInvoices when the node's cap of open invoices is reached.
func (n *Node) NewInvoice(ctx context.Context, amount *big.Int) (Invoice, error) {
	if amount == nil || amount.Sign() <= 0 {
		return Invoice{}, fmt.Errorf("invoice for %v: %w", amount, channel.ErrInvalidAmount)
	}
	var secret [32]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return Invoice{}, fmt.Errorf("invoice: %w", err)
	}
	o := openInvoice{expiry: n.invoiceExpiry()}
	if err := n.storeInvoice(ctx, secret, amount, o, nil); err != nil {
		return Invoice{}, fmt.Errorf("invoice: %w", err)
	}
	return Invoice{SecretHash: channel.SecretHash(secret), Amount: new(big.Int).Set(amount), Expiry: o.expiry}, nil
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
// SecretHash is the target's invoice. PaymentID names the payment on every hop. Total is
// what the first lock carries, Amount plus every hub's fee (routing.Route's Total); nil
// is Amount (a route of free hubs).
type RoutedPayRequest struct {
	Hops       []common.Address
	Amount     *big.Int
	Total      *big.Int
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
// target released the secret), refused and cancelled (*RouteRefusedError, which names
// where the route broke) or expired (ErrRouteFailed; in both the amount is back). If ctx
// ends first the error matches ErrLockPending. Node.PayTo calls it once per route tried.
func (n *Node) PayRouted(ctx context.Context, req RoutedPayRequest) (RoutedPayment, error) {
	if err := n.usable(); err != nil {
		return RoutedPayment{}, err
	}
	if req.Amount == nil || req.Amount.Sign() <= 0 {
		return RoutedPayment{}, fmt.Errorf("routed pay %v: %w", req.Amount, channel.ErrInvalidAmount)
	}
	total := req.Amount
	if req.Total != nil {
		if req.Total.Cmp(req.Amount) < 0 || req.Total.Cmp(channel.MaxAmount()) > 0 {
			return RoutedPayment{}, fmt.Errorf("routed pay: total %v for amount %v: %w", req.Total, req.Amount, channel.ErrInvalidAmount)
		}
		total = req.Total
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
	lock := channel.Lock{Amount: new(big.Int).Set(total), Expiration: n.med.cfg.InitiatorExpiration(now, len(req.Hops)), SecretHash: req.SecretHash}
	target := req.Hops[len(req.Hops)-1]
	msg := &p2p.LockedTransfer{Lock: lock, PaymentID: req.PaymentID, Target: target, Amount: req.Amount, Hops: append([]common.Address(nil), req.Hops[1:]...)}
	n.forgetResolution(lc.id, lock.SecretHash) // an earlier attempt's lock on this hash
	if _, err := n.sendLockUpdate(lc, channel.AddLock(lock), now, msg, nil); err != nil {
		return RoutedPayment{}, fmt.Errorf("routed pay: %w", err)
	}
	n.log.Info("routed payment locked", "channel", lc.id, "amount", req.Amount, "total", total, "hops", len(req.Hops), "expiration", lock.Expiration)
	return n.awaitRouted(ctx, lc, lock)
}

// awaitRouted waits until our lock on the first hop is resolved and the peer acknowledged
// the proof that resolved it. It sleeps on the lock's resolution (setResolved) and then on
// the channel's Ack wake-up; the ticker only guards against a missed wake-up.
func (n *Node) awaitRouted(ctx context.Context, lc *liveChannel, lock channel.Lock) (RoutedPayment, error) {
	key := sentKey{lc.id, lock.SecretHash}
	t := time.NewTicker(mediationTick)
	defer t.Stop()
	defer n.med.dropWaiter(key)
	for {
		r, done, wake := n.med.resolution(key)
		if done {
			lc.mu.Lock()
			acked := lc.acked >= r.nonce
			if !acked {
				if lc.ackWake == nil {
					lc.ackWake = make(chan struct{})
				}
				wake = lc.ackWake
			}
			lc.mu.Unlock()
			if acked {
				out := RoutedPayment{Channel: lc.id, Lock: lock, Unlocked: r.unlocked, UnlockedAt: r.nonce}
				if r.unlocked {
					return out, nil
				}
				// A refusal is reported (and retried) only once the partner endorsed our
				// cancel and the loop passed it on (ADR 0032).
				unendorsed, passed := n.refusalUnendorsed(key)
				if !unendorsed {
					return out, n.routeFailure(lc, lock)
				}
				wake = passed
			}
		}
		{
			// Not resolved, or resolved by a proof the partner never acknowledged: once the
			// channel is closed no Ack will come.
			st := channel.StatusOpen
			lc.mu.Lock()
			if lc.st != nil {
				st = lc.st.Status()
			}
			lc.mu.Unlock()
			if st != channel.StatusOpen {
				// Nothing off chain resolves the lock any more: the receiver claims it if
				// it registers the secret in time, else unlock returns it (ADR 0027).
				return RoutedPayment{Channel: lc.id, Lock: lock}, fmt.Errorf("routed pay on channel %s: the channel is %s with lock %x pending; it resolves on chain: %w: %w",
					lc.id, st, lock.SecretHash, ErrLockPending, channel.ErrChannelNotOpen)
			}
		}
		select {
		case <-wake:
		case <-t.C:
		case <-ctx.Done():
			return RoutedPayment{}, fmt.Errorf("routed pay on channel %s: lock %x: %w: %w", lc.id, lock.SecretHash, ErrLockPending, ctx.Err())
		case <-n.ctx.Done():
			return RoutedPayment{}, ErrClosed
		}
	}
}

// resolution is how our lock on key ended, if it did; otherwise a channel closed when it
// does.
func (m *mediation) resolution(key sentKey) (lockResolution, bool, <-chan struct{}) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.resolved[key]; ok {
		return r, true, nil
	}
	w, ok := m.waiters[key]
	if !ok {
		w = make(chan struct{})
		m.waiters[key] = w
	}
	return lockResolution{}, false, w
}

// setResolved records how our lock on key ended and wakes its PayRouted.
func (m *mediation) setResolved(key sentKey, r lockResolution) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.resolved[key] = r
	delete(m.held, key.hash)
	if w, ok := m.waiters[key]; ok {
		close(w)
		delete(m.waiters, key)
	}
}

// holdSecret keeps a revealed secret in memory only when nothing pays us on its hash (we
// initiated the payment): the secret then serves only our unlock, whose batch stores it
// before the unlock leaves the node, so storing it first would add a group write to every
// routed payment's path. A crash before the unlock loses nothing: the partner, who is owed
// the unlock, reveals again. A node that is paid on the hash stores the secret first
// (onSecretReveal): it needs the secret to claim on chain. It reports whether it held it.
func (n *Node) holdSecret(hash, secret [32]byte) bool {
	if n.pendingLockOn(hash, false, nil) != nil {
		return false
	}
	if _, invoiced := n.invoiceAmount(hash); invoiced {
		return false
	}
	n.med.mu.Lock()
	n.med.held[hash] = secret
	n.med.mu.Unlock()
	n.med.wakeFor(hash)
	return true
}

// unlockSecret is the secret for unlocking our lock on hash: a stored one, or one held
// for our own unlock.
func (n *Node) unlockSecret(hash [32]byte) ([32]byte, bool) {
	if s, ok := n.secret(hash); ok {
		return s, true
	}
	n.med.mu.Lock()
	defer n.med.mu.Unlock()
	s, ok := n.med.held[hash]
	return s, ok
}

func (m *mediation) dropWaiter(key sentKey) {
	m.mu.Lock()
	delete(m.waiters, key)
	m.mu.Unlock()
}

// openChannelWith returns an open channel with peer, if there is one. The channel found
// last is cached per peer and used while it stays open.
func (n *Node) openChannelWith(peer common.Address) *liveChannel {
	if v, ok := n.med.open.Load(peer); ok {
		lc := v.(*liveChannel)
		lc.mu.Lock()
		open := lc.st.Status() == channel.StatusOpen
		lc.mu.Unlock()
		if open {
			return lc
		}
		n.med.open.CompareAndDelete(peer, lc)
	}
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
	if found != nil {
		n.med.open.Store(peer, found)
	}
	return found
}
