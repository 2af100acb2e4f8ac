package node

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/chain/follow"
	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/store"
)

// runWatcher follows the contract from the persisted cursor until ctx ends.
func (n *Node) runWatcher(ctx context.Context) {
	t := time.NewTicker(n.cfg.PollInterval)
	defer t.Stop()
	for {
		if err := n.pollChain(ctx); err != nil && ctx.Err() == nil && n.follower.Health().RPCOK {
			n.log.Warn("chain watcher", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pollChain lets the follower read the chain (reorgs, confirmations, events), then acts
// on timers (defend, expire withdrawals, settle once a challenge period is over, by
// chain time). While the RPC does not answer, nothing on chain is attempted: the
// outage is logged and shown instead (chain_health.go).
func (n *Node) pollChain(ctx context.Context) error {
	err := n.follower.Poll(ctx)
	h := n.follower.Health()
	n.head.Store(h.Head)
	n.observeChainHealth(h, err)
	if !h.RPCOK {
		return err
	}
	if n.med.advance(h.HeadTime) {
		n.med.wake() // chain time moved: locks may have expired
	}
	n.reconcileReorged(ctx)
	n.refreshBalance(ctx)
	// Every poll, even one that could not apply events: a defense outstanding is retried
	// until it is mined or the challenge period is over.
	n.defendDue(ctx, h.HeadTime)
	if err != nil {
		return err
	}
	n.metrics.chainLag.Set(float64(h.Head - min(h.Head, n.synced.Load())))
	n.expireWithdrawals(ctx, h.HeadTime)
	n.settleDue(ctx, h.HeadTime)
	return nil
}

// newFollower builds the chain follower from the stored cursor.
func (n *Node) newFollower(start follow.Start) {
	n.follower = follow.New[ChainEvent](chainSource{n}, chainSink{n}, start, follow.Config{
		Confirmations: n.confirmations.Load,
		CallTimeout:   n.cfg.CallTimeout,
		Logger:        n.log,
	})
}

// chainSource is what the follower reads: only the node's own channels' events.
type chainSource struct{ n *Node }

func (s chainSource) Latest(ctx context.Context) (follow.Header, error) { return s.n.chain.Latest(ctx) }
func (s chainSource) Header(ctx context.Context, number uint64) (follow.Header, error) {
	return s.n.chain.Header(ctx, number)
}

func (s chainSource) Events(ctx context.Context, from, to uint64, extra []common.Hash) ([]ChainEvent, error) {
	return s.n.chain.Events(ctx, from, to, EventQuery{Participant: s.n.signer.Address(), Channels: s.n.watchedChannels(extra)})
}

// watchedChannels is every channel whose events the node reads: those it tracks, the
// dormant ones a deposit may promote, and those the follower holds unconfirmed events of.
func (n *Node) watchedChannels(extra []common.Hash) []channel.ID {
	var ids []channel.ID
	seen := map[channel.ID]bool{}
	add := func(id channel.ID) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	n.chans.Range(func(k, _ any) bool { add(k.(channel.ID)); return true })
	n.dormant.mu.Lock()
	for id := range n.dormant.byID {
		add(id)
	}
	n.dormant.mu.Unlock()
	for _, h := range extra {
		add(channel.ID(h))
	}
	return ids
}

// chainSink is how the follower changes the node.
type chainSink struct{ n *Node }

func (s chainSink) Apply(ctx context.Context, ev ChainEvent) error {
	if err := s.n.applyEvent(ctx, &ev); err != nil {
		return fmt.Errorf("apply %s of channel %s in block %d: %w", ev.Kind, ev.Channel, ev.Block, err)
	}
	return nil
}

func (s chainSink) Rollback(ctx context.Context, fork uint64, removed []ChainEvent) error {
	return s.n.rollbackEvents(ctx, fork, removed)
}

func (s chainSink) Confirmed(ctx context.Context, block uint64, hash common.Hash) error {
	if err := s.n.storeCursor(ctx, block, hash); err != nil {
		return err
	}
	s.n.synced.Store(block)
	return nil
}

func (n *Node) storeCursor(ctx context.Context, block uint64, hash common.Hash) error {
	done := make(chan error, 1)
	fill := func(b *store.Batch) error { b.PutCursor(store.ChainCursor{Block: block, BlockHash: hash}); return nil }
	if err := n.durable.enqueue(fill, afterCommit{kind: afterSignal, done: done}); err != nil {
		return fmt.Errorf("store chain cursor %d: %w", block, err)
	}
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("store chain cursor %d: %w", block, err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// expireWithdrawals releases reservations the chain can no longer execute (the contract
// accepts a withdrawal while block time <= expiry).
func (n *Node) expireWithdrawals(ctx context.Context, chainTime uint64) {
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		lc.mu.Lock()
		dropped := 0
		if len(lc.withdrawals) > 0 {
			dropped = lc.st.ExpireWithdrawals(chainTime)
			kept := lc.withdrawals[:0]
			for _, w := range lc.withdrawals {
				if chainTime <= w.Expiry {
					kept = append(kept, w)
				}
			}
			lc.withdrawals = kept
		}
		lc.mu.Unlock()
		if dropped > 0 {
			if err := n.persist(ctx, lc); err != nil {
				n.log.Warn("expired withdrawals not stored", "channel", lc.id, "err", err)
			}
		}
		return true
	})
}

// applyEvent folds one event into the channel it concerns. Events carry absolute totals,
// so replaying one after a crash (the cursor lags the channel records) changes nothing.
func (n *Node) applyEvent(ctx context.Context, ev *ChainEvent) error {
	if ev.Kind == EventOpened {
		if err := n.learnChannel(ev); err != nil {
			return err
		}
	}
	if err := n.promoteDormant(ev); err != nil {
		return err
	}
	lc := n.channel(ev.Channel)
	if lc == nil {
		return nil // not ours
	}
	if ev.Kind == EventUnlocked {
		n.noteUnlocked(lc, *ev) // the claim log's; the channel's state has nothing to change
		return nil
	}
	if ev.Kind == EventLocksHeld {
		n.noteLocksHeld(lc, ev) // which list of ours the unlock must show (checkpoint_held_root.go)
		return nil
	}
	lc.mu.Lock()
	before := lc.st.Status()
	var err error
	switch ev.Kind {
	case EventOpened:
		err = lc.st.ApplyDeposit(channel.PartyA, ev.Amount)
	case EventDeposited:
		err = n.applyTotal(lc, ev, lc.st.ApplyDeposit)
	case EventWithdrawn:
		err = n.applyTotal(lc, ev, lc.st.ApplyWithdrawn)
		if err == nil {
			kept := lc.withdrawals[:0]
			for _, w := range lc.withdrawals {
				if w.Participant != ev.Participant || w.TotalWithdrawn.Cmp(ev.Total) > 0 {
					kept = append(kept, w)
				}
			}
			lc.withdrawals = kept
		}
	case EventClosed:
		err = lc.st.ApplyStatus(channel.StatusClosing)
		lc.settleAfter = ev.SettleAfter
	case EventSettled:
		err = lc.st.ApplyStatus(channel.StatusSettled)
	}
	after := lc.st.Status()
	lc.mu.Unlock()
	n.noteChainProof(lc, ev) // before persist: the list the unlock rebuilds (ADR 0037)
	if err != nil {
		// The chain is the truth; a rule refusing it means our view is off. Log it loudly
		// but keep following the chain.
		n.log.Error("chain event disagrees with the channel state", "channel", lc.id, "event", ev.Kind, "err", err)
	}
	n.applyChannelPolicy(lc, ev.Kind)
	if before != after {
		n.metrics.channels.WithLabelValues(before.String()).Dec()
		n.metrics.channels.WithLabelValues(after.String()).Inc()
	}
	if err := n.persist(ctx, lc); err != nil {
		return err
	}
	if before == channel.StatusOpen && after != channel.StatusOpen {
		n.failPending(lc, 0, fmt.Errorf("channel %s is %s: %w", lc.id, after, channel.ErrChannelNotOpen))
	}
	n.subs.publishEvent(ChannelEvent{Channel: lc.id, Kind: ev.Kind.String(), Status: after, Block: ev.Block, TxHash: ev.TxHash, Time: time.Now()})
	n.routingChannelEvent(lc.id, after)
	switch ev.Kind {
	case EventOpened:
		// Sent once the opener's deposit is applied and stored: the opener's OpenChannel
		// waits for it, and a partner that paid before we knew the channel retries.
		n.sendSync(lc)
	case EventDeposited, EventWithdrawn:
		// A proof the partner sent before we saw this may have been refused; our Sync
		// shows the partner we are behind, and it answers with its latest proof.
		n.sendSync(lc)
	}
	return nil
}

func (n *Node) applyTotal(lc *liveChannel, ev *ChainEvent, apply func(channel.Party, *big.Int) error) error {
	p, err := lc.st.PartyOf(ev.Participant)
	if err != nil {
		return err
	}
	return apply(p, ev.Total)
}

// learnChannel creates the local state of a channel we are part of.
func (n *Node) learnChannel(ev *ChainEvent) error {
	me := n.signer.Address()
	var us channel.Party
	switch me {
	case ev.A:
		us = channel.PartyA
	case ev.B:
		us = channel.PartyB
	default:
		return nil
	}
	if n.channel(ev.Channel) != nil || !n.admitChannel(ev, us) {
		return nil
	}
	st, err := channel.NewState(channel.Params{
		ID: ev.Channel, Domain: n.domain, Participants: [2]common.Address{ev.A, ev.B},
		Token: ev.Token, ChallengePeriod: ev.ChallengePeriod,
	})
	if err != nil {
		return err
	}
	lc := newLiveChannel(st, us, n.cfg.PipelineWindow)
	n.chans.Store(lc.id, lc)
	n.keepPartner(lc.peer)
	n.metrics.channels.WithLabelValues(channel.StatusOpen.String()).Inc()
	switch {
	case us == channel.PartyA:
		n.log.Info("channel opened", "channel", lc.id, "peer", lc.peer, "us", us)
	case n.opens.consumeAccepted(ev):
		n.log.Info("channel opened as proposed", "channel", lc.id, "peer", lc.peer, "us", us)
	default:
		// The contract lets anyone open a channel with us; we track it all the same.
		n.log.Info("channel opened on chain without a proposal we accepted; tracking it", "channel", lc.id, "peer", lc.peer, "us", us)
	}
	return nil
}

// settleDue settles every closing channel whose challenge period is over by chain time.
func (n *Node) settleDue(ctx context.Context, chainTime uint64) {
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		lc.mu.Lock()
		due := lc.st.Status() == channel.StatusClosing && lc.settleAfter > 0 && chainTime > lc.settleAfter && !lc.settling
		if due {
			lc.settling = true
		}
		lc.mu.Unlock()
		if due {
			n.goTracked(func() {
				_, err := n.ops.submit(n.ctx, ChainCall{Kind: CallSettle, Channel: lc.id}, opIdentity{})
				switch {
				case err == nil || n.ctx.Err() != nil:
				case n.settledByPartner(n.ctx, lc.id, err):
					n.log.Debug("channel already settled by the partner", "channel", lc.id)
				default:
					n.log.Warn("settle failed; retrying later", "channel", lc.id, "retry_in", settleRetryDelay, "err", err)
					select {
					case <-time.After(settleRetryDelay):
					case <-n.ctx.Done():
					}
					lc.mu.Lock()
					lc.settling = false // the next poll tries again
					lc.mu.Unlock()
				}
			})
		}
		return true
	})
}

// settleRetryDelay spaces the attempts of a settle that failed for a real reason.
const settleRetryDelay = 30 * time.Second

// settledByPartner tells a settle that lost the race (both ends settle once the period
// is over; the second fails at estimation, or on chain if both were in flight) from a
// real failure. Only the chain's view of the channel decides: a revert without a name
// (a node that returns no revert data) and ChannelNotClosing after a reorg look alike.
func (n *Node) settledByPartner(ctx context.Context, id channel.ID, err error) bool {
	if _, reverted := errors.AsType[*contracts.RevertError](err); !reverted && !errors.Is(err, contracts.ErrTxFailed) {
		return false
	}
	v, cerr := n.chain.Channel(ctx, id)
	return cerr == nil && v.Status == channel.StatusSettled
}
