package risk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Request is one outgoing payment to judge.
type Request struct {
	Client       string
	Channel      channel.ID
	Counterparty common.Address
	Amount       *big.Int
	PaymentID    [16]byte
	// StepUp answers a challenge issued for this same payment by an earlier decision.
	StepUp *StepUpProof
}

// Decision is the verdict on one Request. An approved decision holds a reservation of the
// amount in every window and in the daily cap; Release gives it back if the payment fails.
type Decision struct {
	Outcome   Outcome
	Reasons   ReasonSet
	Score     int
	Challenge *Challenge // with StepUp: what the client's device must sign
	Seq       uint64     // the audit event's sequence number

	res reservation
}

type reservation struct {
	client *clientState
	party  *entity
	ch     *entity
	at     int64
	day    int64
	amount Amount
	units  float64 // the ramp charge (baseline.excess) the approval added
	active bool
}

// entity is the velocity state of a counterparty or a channel, shared by all clients.
type entity struct {
	mu      sync.Mutex
	w       windows
	dirty   bool
	evicted bool   // forgotten by EvictIdle: a decision that still holds it looks again
	key     string // store key
}

// clientState is everything about one API client; its mutex serialises that client's
// decisions, which is what makes reserve-at-decision overshoot-free.
type clientState struct {
	mu        sync.Mutex
	name      string
	cfg       ClientConfig
	w         windows
	day       int64 // UTC day number of spent
	spent     Amount
	base      baseline
	known     map[common.Address]struct{}
	device    common.Address
	hasDevice bool
	dirty     bool
	knownNew  bool // known changed since the last flush
}

// maxKnownCounterparties bounds memory per client; past it every further party stays
// "new", which errs on the side of a step-up.
const maxKnownCounterparties = 4096

// Options configure an Engine.
type Options struct {
	Config Config
	// Domain is the Sluice EIP-712 domain that step-up signatures are made in.
	Domain channel.Domain
	// Store persists state; nil keeps everything in memory (tests, dev).
	Store Store
	// Metrics receives decision counters; nil counts nothing.
	Metrics *Metrics
	Now     func() time.Time
	Logger  *slog.Logger
}

// Engine is the risk policy with its state. It is safe for concurrent use.
type Engine struct {
	now     func() time.Time
	log     *slog.Logger
	store   Store
	metrics *Metrics
	sep     common.Hash

	mu       sync.RWMutex // guards cfg and the maps, not the states inside them
	cfg      Config
	clients  map[string]*clientState
	parties  map[common.Address]*entity
	channels map[channel.ID]*entity

	dirtyMu sync.Mutex
	dirty   []dirtyRef
	flushMu sync.Mutex

	challenges challengeBook
	audit      auditTrail
	enroll     sync.Map // client -> outstanding enrollment code: sha256 || expiry
}

type dirtyRef struct {
	client *clientState
	ent    *entity
}

// NewEngine builds an engine and, with a store, loads the persisted state.
func NewEngine(o Options) (*Engine, error) {
	cfg, err := o.Config.normalized()
	if err != nil {
		return nil, err
	}
	sep, err := o.Domain.Separator()
	if err != nil {
		return nil, fmt.Errorf("risk: step-up domain: %w", err)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	e := &Engine{
		now: o.Now, log: o.Logger, store: o.Store, metrics: o.Metrics, sep: sep,
		cfg:      cfg,
		clients:  make(map[string]*clientState),
		parties:  make(map[common.Address]*entity),
		channels: make(map[channel.ID]*entity),
	}
	e.challenges.init()
	e.audit.init(cfg.AuditCapacity)
	for name, cc := range cfg.Clients {
		e.clients[name] = newClientState(name, cc)
	}
	if e.store != nil {
		if err := e.load(); err != nil {
			return nil, err
		}
		// Records that went idle while the node was down are not kept in memory.
		if _, err := e.EvictIdle(context.Background()); err != nil {
			e.log.Warn("risk: evicting idle records at start failed", "err", err)
		}
	}
	return e, nil
}

func newClientState(name string, cc ClientConfig) *clientState {
	return &clientState{name: name, cfg: cc, w: newWindows(), known: make(map[common.Address]struct{})}
}

// client returns the state of a configured client, or of the admin client, which is
// unlimited unless configured.
func (e *Engine) client(name string) *clientState {
	e.mu.RLock()
	cs := e.clients[name]
	e.mu.RUnlock()
	if cs != nil || name != AdminClient {
		return cs
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if cs = e.clients[name]; cs == nil {
		cs = newClientState(name, ClientConfig{Profile: ProfileService, StepUpScore: 1 << 30, DeclineScore: 1 << 30})
		e.clients[name] = cs
	}
	return cs
}

func (e *Engine) entityFor(party *common.Address, ch *channel.ID) *entity {
	e.mu.RLock()
	var ent *entity
	if party != nil {
		ent = e.parties[*party]
	} else {
		ent = e.channels[*ch]
	}
	e.mu.RUnlock()
	if ent != nil {
		return ent
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if party != nil {
		if ent = e.parties[*party]; ent == nil {
			ent = &entity{w: newWindows(), key: partyKey(*party)}
			e.parties[*party] = ent
		}
		return ent
	}
	if ent = e.channels[*ch]; ent == nil {
		ent = &entity{w: newWindows(), key: channelKey(*ch)}
		e.channels[*ch] = ent
	}
	return ent
}

// afterEntityLookup, set only by tests, runs between a decision's record lookup and
// its lock: the moment EvictIdle may forget the record.
var afterEntityLookup func()

// lockEntities returns req's counterparty and channel records locked, in that order.
// A record EvictIdle forgot between the lookup and the lock is looked up again, so a
// reservation never lands in a record the engine no longer holds.
func (e *Engine) lockEntities(req Request) (party, ch *entity) {
	for {
		party = e.entityFor(&req.Counterparty, nil)
		ch = e.entityFor(nil, &req.Channel)
		if afterEntityLookup != nil {
			afterEntityLookup()
		}
		party.mu.Lock()
		ch.mu.Lock()
		if !party.evicted && !ch.evicted {
			return party, ch
		}
		ch.mu.Unlock()
		party.mu.Unlock()
	}
}

// Decide judges req. Approve reserves the amount before returning, so the caller must
// Release the decision if the payment then fails. Step-up and decline reserve nothing.
func (e *Engine) Decide(req Request) Decision {
	now := e.now()
	t := now.UnixNano()
	d := e.decide(req, now, t)
	d.Seq = e.audit.record(req, &d, now)
	e.metrics.observe(&d)
	return d
}

func (e *Engine) decide(req Request, now time.Time, t int64) Decision {
	var d Decision
	amount, ok := AmountFromBig(req.Amount)
	if !ok || amount.IsZero() {
		d.Outcome = Decline
		d.Reasons.add(ReasonInvalidAmount)
		return d
	}
	cs := e.client(req.Client)
	if cs == nil {
		d.Outcome = Decline
		d.Reasons.add(ReasonUnknownClient)
		return d
	}
	e.mu.RLock()
	partyLimits, channelLimits, ttl := e.cfg.Counterparty, e.cfg.Channel, time.Duration(e.cfg.ChallengeTTL)
	e.mu.RUnlock()
	// Lock order is always client, counterparty, channel.
	cs.mu.Lock()
	defer cs.mu.Unlock()
	party, ch := e.lockEntities(req)
	defer party.mu.Unlock()
	defer ch.mu.Unlock()

	cfg := &cs.cfg
	if cfg.Frozen {
		d.Outcome = Decline
		d.Reasons.add(ReasonFrozen)
		return d
	}
	if !cfg.Scope.allowsPay(req.Channel, req.Counterparty) {
		d.Outcome = Decline
		d.Reasons.add(ReasonOutOfScope)
		return d
	}
	var hard, soft ReasonSet
	if !cfg.SingleMax.IsZero() && amount.Cmp(cfg.SingleMax) > 0 {
		hard.add(ReasonSingleMax)
	}
	day := t / int64(dayNanos)
	if cs.day != day {
		cs.day, cs.spent = day, Amount{}
	}
	if !cfg.DailyCap.IsZero() && cs.spent.Add(amount).Cmp(cfg.DailyCap) > 0 {
		hard.add(ReasonDailyCap)
	}
	if w, over := cs.w.exceeded(t, amount, &cfg.Limits); over {
		hard.add(velocityReason(ReasonVelocity1s, w))
	}
	if w, over := party.w.exceeded(t, amount, &partyLimits); over {
		hard.add(velocityReason(ReasonCounterpartyVelocity1s, w))
	}
	if w, over := ch.w.exceeded(t, amount, &channelLimits); over {
		hard.add(velocityReason(ReasonChannelVelocity1s, w))
	}
	_, known := cs.known[req.Counterparty]
	v := cs.base.score(t, amount, cfg, !known)
	cs.markDirty(e)
	score := v.score
	d.Score = score
	soft |= v.reasons
	if score >= cfg.StepUpScore {
		soft.add(ReasonAnomalyScore)
	}
	if score >= cfg.DeclineScore {
		hard.add(ReasonAnomalyScore)
	}
	needStepUp := score >= cfg.StepUpScore
	if !cfg.StepUpAbove.IsZero() && amount.Cmp(cfg.StepUpAbove) > 0 {
		soft.add(ReasonLargePayment)
		needStepUp = true
	}

	verified := false
	if req.StepUp != nil {
		if r, ok := e.verifyStepUp(cs, req, amount, now); !ok {
			hard.add(r)
		} else {
			soft.add(ReasonStepUpVerified)
			needStepUp, verified = false, true
		}
	}
	d.Reasons = hard | soft
	switch {
	case !hard.Empty():
		d.Outcome = Decline
		return d
	case needStepUp && !cs.hasDevice:
		// Nobody can answer a challenge without a registered device.
		d.Reasons.add(ReasonNoDevice)
		d.Outcome = Decline
		return d
	case needStepUp:
		d.Outcome = StepUp
		d.Challenge = e.challenges.issue(cs.name, req, amount, now, now.Add(ttl))
		return d
	}

	d.Outcome = Approve
	cs.w.add(t, amount)
	party.w.add(t, amount)
	ch.w.add(t, amount)
	cs.spent = cs.spent.Add(amount)
	units := v.units
	if verified {
		// The device's owner confirmed this payment: the ramp so far was theirs.
		cs.base.clearExcess(t)
		units = 0
	}
	cs.base.reserve(t, units)
	if !known && len(cs.known) < maxKnownCounterparties {
		cs.known[req.Counterparty] = struct{}{}
		cs.knownNew = true
	}
	party.markDirty(e)
	ch.markDirty(e)
	d.res = reservation{client: cs, party: party, ch: ch, at: t, day: day, amount: amount, units: units, active: true}
	return d
}

// Release returns an approved decision's reservation, for a payment that failed; calling
// it again, or on a decision that reserved nothing, does nothing.
func (e *Engine) Release(d *Decision) {
	r := &d.res
	if !r.active {
		return
	}
	r.active = false
	cs := r.client
	cs.mu.Lock()
	defer cs.mu.Unlock()
	r.party.mu.Lock()
	defer r.party.mu.Unlock()
	r.ch.mu.Lock()
	defer r.ch.mu.Unlock()
	cs.w.remove(r.at, r.amount)
	r.party.w.remove(r.at, r.amount)
	r.ch.w.remove(r.at, r.amount)
	if cs.day == r.day {
		cs.spent = cs.spent.Sub(r.amount)
	}
	cs.base.release(e.now().UnixNano(), r.at, r.units)
	cs.markDirty(e)
	r.party.markDirty(e)
	r.ch.markDirty(e)
}

// Complete records that an approved payment was acknowledged by the payee: its amount
// stays charged and, only now, trains the client's baseline. A reservation given back
// (Release), a payment never acknowledged or a retry that signed nothing new never trains
// it, so a thief cannot raise the usual amount with payments that do not happen (issue 22,
// finding 9). After Complete, Release does nothing; calling it twice does nothing.
func (e *Engine) Complete(d *Decision) {
	r := &d.res
	if !r.active {
		return
	}
	r.active = false
	cs := r.client
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.base.complete(max(e.now().UnixNano(), r.at), r.amount)
	cs.markDirty(e)
}

// markDirty queues the state for the next flush; the caller holds its lock.
func (cs *clientState) markDirty(e *Engine) {
	if cs.dirty || e.store == nil { // nothing to flush to: queue nothing
		return
	}
	cs.dirty = true
	e.dirtyMu.Lock()
	e.dirty = append(e.dirty, dirtyRef{client: cs})
	e.dirtyMu.Unlock()
}

func (ent *entity) markDirty(e *Engine) {
	if ent.dirty || e.store == nil { // nothing to flush to: queue nothing
		return
	}
	ent.dirty = true
	e.dirtyMu.Lock()
	e.dirty = append(e.dirty, dirtyRef{ent: ent})
	e.dirtyMu.Unlock()
}

// ErrUnknownClient is returned by admin operations naming a client that is not configured.
var ErrUnknownClient = errors.New("unknown risk client")

// dayNanos is the daily cap's period: a UTC day, so the cap resets at midnight UTC and
// never because the node restarted.
const dayNanos = 24 * time.Hour
