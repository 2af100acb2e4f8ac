package node

import (
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/channel"
)

// Admission of unsolicited channels (issue 15). Anyone can open a channel with us on chain,
// at the cost of gas alone when the deposit is zero, and every tracked channel costs memory,
// a store record, a walk in every watcher poll and a Sync on every reconnect. So a channel
// the partner opened without a proposal we accepted is tracked only if its opener deposited
// at least the policy's minimum (at least 1) and the opener has fewer than the per-peer cap
// of channels with us. The others are remembered in a small bounded set, so a top-up that
// lifts one over the minimum still brings it in; the oldest are forgotten first.
//
// Leaving such a channel untracked endangers nothing of ours: only we can deposit on our
// side (the contract takes deposits from participants only), we never pay on a channel we
// do not track, and we accept no payment on it (unknown channel), so it holds none of our
// funds and no proof we would need to defend. Its opener can always close it and get its
// deposit back.

const (
	// defaultUnsolicitedPerPeer caps the unsolicited channels tracked per opener when
	// the policy sets no MaxChannelsPerPeer.
	defaultUnsolicitedPerPeer = 16
	// dormantCapacity bounds the untracked channels remembered for a later top-up
	// (about 150 bytes each).
	dormantCapacity = 4096
)

// dormantChannel is what a later Deposited event lacks to build the channel.
type dormantChannel struct {
	opener, partner common.Address
	token           common.Address
	challengePeriod uint64
	reason          string // why it is not tracked, for the Reject of a payment on it
}

// dormantSet is a FIFO-bounded map of untracked unsolicited channels.
type dormantSet struct {
	mu      sync.Mutex
	byID    map[channel.ID]dormantChannel
	order   []channel.ID // insertion order, a ring of dormantCapacity
	next    int
	ignored prometheus.Counter
}

func newDormantSet(reg prometheus.Registerer) *dormantSet {
	d := &dormantSet{
		byID:  make(map[channel.ID]dormantChannel),
		order: make([]channel.ID, 0, dormantCapacity),
		ignored: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sluice_unsolicited_channels_untracked_total",
			Help: "Channels opened with this node on chain without a proposal that it did not track (deposit below the minimum or too many from one opener).",
		}),
	}
	if reg != nil {
		// A second node on the same registry (tests) shares the first one's counter.
		if err := reg.Register(d.ignored); err != nil {
			if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
				d.ignored = are.ExistingCollector.(prometheus.Counter)
			}
		}
	}
	return d
}

func (d *dormantSet) add(id channel.ID, c dormantChannel) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ignored.Inc()
	if _, ok := d.byID[id]; ok {
		return
	}
	if len(d.order) < dormantCapacity {
		d.order = append(d.order, id)
	} else {
		delete(d.byID, d.order[d.next])
		d.order[d.next] = id
		d.next = (d.next + 1) % dormantCapacity
	}
	d.byID[id] = c
}

// take removes and returns a remembered channel.
func (d *dormantSet) take(id channel.ID) (dormantChannel, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.byID[id]
	if ok {
		delete(d.byID, id) // its slot in order stays until overwritten; deleting twice is harmless
	}
	return c, ok
}

func (d *dormantSet) len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.byID)
}

// admitChannel decides whether the watcher tracks a channel we are party to (us) that
// ChannelOpened ev announces. Channels we opened and channels we accepted a proposal for
// are always tracked.
func (n *Node) admitChannel(ev *ChainEvent, us channel.Party) bool {
	if us == channel.PartyA || n.opens.hasAccepted(ev) {
		return true
	}
	reason := n.unsolicitedRefusal(ev.A, ev.Amount)
	if reason == "" {
		return true
	}
	n.dormant.add(ev.Channel, dormantChannel{opener: ev.A, partner: ev.B, token: ev.Token, challengePeriod: ev.ChallengePeriod, reason: reason})
	// Debug only: one line per spam channel would be a second way to fill the disk.
	n.log.Debug("unsolicited channel not tracked", "channel", ev.Channel, "peer", ev.A, "reason", reason)
	return false
}

// unsolicitedRefusal applies the deposit floor and the per-opener cap; "" admits.
func (n *Node) unsolicitedRefusal(opener common.Address, deposit *big.Int) string {
	floor := big.NewInt(1)
	if m := n.cfg.Open.MinDeposit; m != nil && m.Cmp(floor) > 0 {
		floor = m
	}
	if deposit == nil || deposit.Cmp(floor) < 0 {
		return fmt.Sprintf("opened without a proposal with deposit %v, below the minimum %s; not tracked", deposit, floor)
	}
	limit := defaultUnsolicitedPerPeer
	if n.cfg.Open.MaxChannelsPerPeer > 0 {
		limit = n.cfg.Open.MaxChannelsPerPeer
	}
	if have := n.openChannelsWith(opener); have >= limit {
		return fmt.Sprintf("opened without a proposal while %d channels with you are open, at most %d; not tracked", have, limit)
	}
	return ""
}

// untrackedRefusal is the error for a payment on a channel of from's we do not track
// because of admission, or nil when id is no such channel.
func (n *Node) untrackedRefusal(from common.Address, id channel.ID) error {
	n.dormant.mu.Lock()
	c, ok := n.dormant.byID[id]
	n.dormant.mu.Unlock()
	if !ok || c.opener != from {
		return nil
	}
	return fmt.Errorf("channel %s: %s: %w", id, c.reason, channel.ErrChannelOutOfPolicy)
}

// promoteDormant tracks a remembered channel once a deposit of its opener lifts it over
// the floor: it builds the channel as its ChannelOpened would have, and the watcher then
// applies the deposit's total like any other.
func (n *Node) promoteDormant(ev *ChainEvent) error {
	if ev.Kind != EventDeposited || n.channel(ev.Channel) != nil {
		return nil
	}
	n.dormant.mu.Lock()
	c, ok := n.dormant.byID[ev.Channel]
	n.dormant.mu.Unlock()
	if !ok || ev.Participant != c.opener || n.unsolicitedRefusal(c.opener, ev.Total) != "" {
		return nil
	}
	n.dormant.take(ev.Channel)
	opened := ChainEvent{
		Kind: EventOpened, Channel: ev.Channel, A: c.opener, B: c.partner, Token: c.token,
		ChallengePeriod: c.challengePeriod, Amount: new(big.Int).Set(ev.Total), Block: ev.Block, TxHash: ev.TxHash,
	}
	return n.learnChannel(&opened)
}

// hasAccepted reports whether ev matches a proposal we accepted, without consuming it
// (learnChannel does that once the channel is tracked).
func (o *openNegotiation) hasAccepted(ev *ChainEvent) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, a := range o.accepted {
		if a.opener == ev.A && a.token == ev.Token && a.challengePeriod == ev.ChallengePeriod && ev.Amount != nil && a.deposit.Cmp(ev.Amount) == 0 {
			return true
		}
	}
	return false
}
