package mediate

import (
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// ErrForwardLimit: forwarding the lock would take one of the hub's partners over a
// forwarding limit the operator set (ForwardLimits) or the next hop is a peer that held
// too many locks to expiry (GriefPolicy). The lock is not forwarded.
var ErrForwardLimit = errors.New("forwarding limit reached")

// DefaultForwardWindow is the window of PartnerLimits.MaxForwarded when none is set.
const DefaultForwardWindow = time.Hour

// PartnerLimits bound what a hub forwards for one partner; a zero field is no limit.
// Values are in the smallest unit of the route's token.
type PartnerLimits struct {
	// MaxPending bounds the partner's pending locks, over all its open channels with us:
	// an incoming partner's locks to us, or our locks to an outgoing partner.
	MaxPending int `json:"maxPending,omitempty"`
	// MaxPendingValue bounds the value of those pending locks.
	MaxPendingValue *big.Int `json:"maxPendingValue,omitempty"`
	// MaxForwarded bounds the value forwarded for (or to) the partner within Window.
	MaxForwarded *big.Int `json:"maxForwarded,omitempty"`
}

// ForwardLimits are a hub's forwarding limits (docs/routing.md, ADR 0029): per incoming
// partner (the wallet paying through the hub) and per outgoing partner (the counterparty
// the hub forwards to).
type ForwardLimits struct {
	In  PartnerLimits `json:"in"`
	Out PartnerLimits `json:"out"`
	// Window is MaxForwarded's window (DefaultForwardWindow when 0).
	Window time.Duration `json:"window,omitempty"`
}

// Validate refuses negative limits.
func (l ForwardLimits) Validate() error {
	for _, side := range []struct {
		name string
		p    PartnerLimits
	}{{"in", l.In}, {"out", l.Out}} {
		if side.p.MaxPending < 0 {
			return fmt.Errorf("forwarding limits: %s max pending %d is negative", side.name, side.p.MaxPending)
		}
		for _, v := range []*big.Int{side.p.MaxPendingValue, side.p.MaxForwarded} {
			if v != nil && v.Sign() < 0 {
				return fmt.Errorf("forwarding limits: %s value limit %s is negative", side.name, v)
			}
		}
	}
	if l.Window < 0 {
		return fmt.Errorf("forwarding limits: window %s is negative", l.Window)
	}
	return nil
}

// Load is what a partner has pending with the hub now, read from the channels' lock
// sets (so it survives a restart and needs no bookkeeping of its own).
type Load struct {
	Pending      int
	PendingValue *big.Int
}

// LimitError names the partner and the limit a refused forward would have exceeded.
type LimitError struct {
	Side    string // "in" or "out"
	Limit   string // "pending", "pending_value", "forwarded" or "held_locks"
	Partner common.Address
	Detail  string
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s partner %s: %s: %v", e.Side, e.Partner, e.Detail, ErrForwardLimit)
}

func (e *LimitError) Unwrap() error { return ErrForwardLimit }

// Reason is a short label for metrics: side and limit, e.g. "out_pending_value".
func (e *LimitError) Reason() string { return e.Side + "_" + e.Limit }

// ForwardTicket is an admitted forward's charge to the per-window volumes; Undo gives it
// back when the forward is not sent after all.
type ForwardTicket struct {
	f       *Forwarder
	in, out common.Address
	at      time.Time
	amount  *big.Int
}

// Forwarder applies ForwardLimits. It keeps the value forwarded per partner and window
// in memory (lost on restart: a restart forgives at most one window).
type Forwarder struct {
	limits ForwardLimits
	mu     sync.Mutex
	in     volumes
	out    volumes
}

// NewForwarder checks l and returns its Forwarder.
func NewForwarder(l ForwardLimits) (*Forwarder, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if l.Window == 0 {
		l.Window = DefaultForwardWindow
	}
	return &Forwarder{limits: l, in: newVolumes(l.Window), out: newVolumes(l.Window)}, nil
}

// Limits returns the limits in force.
func (f *Forwarder) Limits() ForwardLimits { return f.limits }

// Admit decides whether a lock of amount may be forwarded from inPartner (whose pending
// locks to us, this one included, are inLoad) to outPartner (our pending locks to it,
// this one not yet included, are outLoad) at now. Admitted, it charges amount to both
// partners' windows and returns the ticket; refused, a *LimitError and no charge.
func (f *Forwarder) Admit(now time.Time, inPartner, outPartner common.Address, inLoad, outLoad Load, amount *big.Int) (*ForwardTicket, error) {
	l := &f.limits
	if err := checkPending("in", inPartner, &l.In, inLoad, nil); err != nil {
		return nil, err
	}
	if err := checkPending("out", outPartner, &l.Out, outLoad, amount); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := checkVolume("in", inPartner, l.In.MaxForwarded, f.in.sum(inPartner, now), amount, l.Window); err != nil {
		return nil, err
	}
	if err := checkVolume("out", outPartner, l.Out.MaxForwarded, f.out.sum(outPartner, now), amount, l.Window); err != nil {
		return nil, err
	}
	a := new(big.Int).Set(amount)
	if limited(l.In.MaxForwarded) {
		f.in.add(inPartner, now, a)
	}
	if limited(l.Out.MaxForwarded) {
		f.out.add(outPartner, now, a)
	}
	return &ForwardTicket{f: f, in: inPartner, out: outPartner, at: now, amount: a}, nil
}

// Undo gives back an admitted forward's charge; calling it twice does nothing.
func (t *ForwardTicket) Undo() {
	if t == nil || t.f == nil {
		return
	}
	f := t.f
	t.f = nil
	f.mu.Lock()
	defer f.mu.Unlock()
	if limited(f.limits.In.MaxForwarded) {
		f.in.remove(t.in, t.at, t.amount)
	}
	if limited(f.limits.Out.MaxForwarded) {
		f.out.remove(t.out, t.at, t.amount)
	}
}

func limited(v *big.Int) bool { return v != nil && v.Sign() > 0 }

// checkPending: extra is what the forward adds to the load (nil: the load includes it).
func checkPending(side string, partner common.Address, p *PartnerLimits, load Load, extra *big.Int) error {
	count := load.Pending
	value := new(big.Int)
	if load.PendingValue != nil {
		value.Set(load.PendingValue)
	}
	if extra != nil {
		count++
		value.Add(value, extra)
	}
	if p.MaxPending > 0 && count > p.MaxPending {
		return &LimitError{Side: side, Limit: "pending", Partner: partner, Detail: fmt.Sprintf("%d pending locks, at most %d", count, p.MaxPending)}
	}
	if limited(p.MaxPendingValue) && value.Cmp(p.MaxPendingValue) > 0 {
		return &LimitError{Side: side, Limit: "pending_value", Partner: partner, Detail: fmt.Sprintf("%s locked pending, at most %s", value, p.MaxPendingValue)}
	}
	return nil
}

func checkVolume(side string, partner common.Address, max, used, amount *big.Int, window time.Duration) error {
	if !limited(max) {
		return nil
	}
	if total := new(big.Int).Add(used, amount); total.Cmp(max) > 0 {
		return &LimitError{Side: side, Limit: "forwarded", Partner: partner, Detail: fmt.Sprintf("%s forwarded within %s, at most %s", total, window, max)}
	}
	return nil
}

// volumeBuckets is how many buckets one window is cut into: the window slides in steps
// of Window/volumeBuckets, and a partner costs at most volumeBuckets+1 counters however
// many forwards it makes.
const volumeBuckets = 60

// volumes are the values forwarded per partner, by bucket of the window.
type volumes struct {
	width int64 // nanoseconds per bucket
	by    map[common.Address]map[int64]*big.Int
}

func newVolumes(window time.Duration) volumes {
	return volumes{width: max(int64(window)/volumeBuckets, 1), by: map[common.Address]map[int64]*big.Int{}}
}

func (v volumes) bucket(at time.Time) int64 { return at.UnixNano() / v.width }

// sum drops the buckets that left the window ending at now and adds up the rest.
func (v volumes) sum(p common.Address, now time.Time) *big.Int {
	s := new(big.Int)
	first := v.bucket(now) - volumeBuckets
	for b, amount := range v.by[p] {
		if b <= first {
			delete(v.by[p], b)
			continue
		}
		s.Add(s, amount)
	}
	if len(v.by[p]) == 0 {
		delete(v.by, p)
	}
	return s
}

func (v volumes) add(p common.Address, at time.Time, amount *big.Int) {
	m := v.by[p]
	if m == nil {
		m = map[int64]*big.Int{}
		v.by[p] = m
	}
	b := v.bucket(at)
	if m[b] == nil {
		m[b] = new(big.Int)
	}
	m[b].Add(m[b], amount)
}

func (v volumes) remove(p common.Address, at time.Time, amount *big.Int) {
	if cur := v.by[p][v.bucket(at)]; cur != nil {
		cur.Sub(cur, amount)
		if cur.Sign() <= 0 {
			delete(v.by[p], v.bucket(at))
		}
	}
}
