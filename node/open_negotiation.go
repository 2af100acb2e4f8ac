package node

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
)

// Opening a channel is negotiated (DESIGN §5): the opener proposes, the partner's policy
// accepts or declines, and only an accepted proposal is submitted on chain. The contract
// itself needs nothing from the partner, so a channel opened without a proposal is still
// tracked; the negotiation is what lets the partner refuse one before money is locked and
// be ready for payments the moment the chain confirms.

const (
	// acceptedOpenLifetime is how long an accepted proposal waits for its ChannelOpened.
	acceptedOpenLifetime = time.Hour
	// maxPendingOpensPerPeer bounds the accepted proposals one peer can leave open, and
	// maxPendingOpens those of all peers together (free identities multiply the first).
	maxPendingOpensPerPeer = 64
	maxPendingOpens        = 4096
)

// openNegotiation holds both directions' proposals in flight. Nothing here is durable:
// after a restart an unanswered proposal fails its caller, and a channel whose acceptance
// was forgotten is tracked like any channel opened without a proposal.
type openNegotiation struct {
	mu       sync.Mutex
	proposed map[[16]byte]*openProposal
	accepted map[[16]byte]acceptedOpen
	byPeer   map[common.Address][][16]byte // accepted ids per opener, pruned lazily
	// known collects the channels a partner has shown it knows (its Sync), while one of
	// our opens with that partner waits for exactly that.
	known map[common.Address]*partnerChannels
}

type openProposal struct {
	peer   common.Address
	answer chan error // nil error: accepted
}

type acceptedOpen struct {
	opener          common.Address
	token           common.Address
	deposit         *big.Int
	challengePeriod uint64
	expires         time.Time
}

type partnerChannels struct {
	watchers int
	chans    map[channel.ID]bool
	changed  chan struct{} // closed and replaced whenever chans grows
}

func newOpenNegotiation() *openNegotiation {
	return &openNegotiation{
		proposed: map[[16]byte]*openProposal{},
		accepted: map[[16]byte]acceptedOpen{},
		byPeer:   map[common.Address][][16]byte{},
		known:    map[common.Address]*partnerChannels{},
	}
}

// handleOpenMessage takes the negotiation's messages (and notes every Sync) off the
// transport before the in-order payment dispatch; it reports whether msg was consumed.
func (n *Node) handleOpenMessage(from common.Address, msg p2p.Message) bool {
	switch m := msg.(type) {
	case *p2p.OpenPropose:
		n.onOpenPropose(from, m)
	case *p2p.OpenAccept:
		n.opens.answer(from, m.ProposalID, nil)
	case *p2p.OpenDecline:
		n.opens.answer(from, m.ProposalID, &OpenDeclinedError{Peer: from, Code: m.Code, Reason: m.Reason})
	case *p2p.Sync:
		n.opens.partnerKnows(from, m.Channel)
		return false
	default:
		return false
	}
	return true
}

// proposeOpen sends the proposal for call and waits for the partner's answer.
func (n *Node) proposeOpen(ctx context.Context, partner common.Address, call ChainCall) error {
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return fmt.Errorf("proposal id: %w", err)
	}
	p := &openProposal{peer: partner, answer: make(chan error, 1)}
	o := n.opens
	o.mu.Lock()
	o.proposed[id] = p
	o.mu.Unlock()
	defer func() {
		o.mu.Lock()
		delete(o.proposed, id)
		o.mu.Unlock()
	}()
	msg := &p2p.OpenPropose{ProposalID: id, Token: call.Token, Deposit: call.Amount, ChallengePeriod: call.ChallengePeriod}
	if err := n.transport.Send(ctx, partner, msg); err != nil {
		return fmt.Errorf("propose: %w: %w", ErrPeerUnreachable, err)
	}
	timer := time.NewTimer(n.cfg.Open.AnswerTimeout)
	defer timer.Stop()
	// A queued message dies with its session (e.g. when simultaneous dials replace one
	// stream by the other), so the proposal is repeated until answered; the partner
	// answers a repeat of a proposal it accepted with the same acceptance.
	resend := time.NewTicker(proposalResendInterval)
	defer resend.Stop()
	for {
		select {
		case err := <-p.answer:
			return err
		case <-resend.C:
			if err := n.transport.Send(ctx, partner, msg); err != nil {
				n.log.Debug("proposal not re-sent", "peer", partner, "err", err)
			}
		case <-timer.C:
			return fmt.Errorf("no answer to the proposal within %s: %w", n.cfg.Open.AnswerTimeout, ErrPeerUnreachable)
		case <-ctx.Done():
			return fmt.Errorf("waiting for the partner's answer: %w", ctx.Err())
		case <-n.ctx.Done():
			return ErrClosed
		}
	}
}

// proposalResendInterval is how often an unanswered channel proposal is repeated.
const proposalResendInterval = time.Second

func (o *openNegotiation) answer(from common.Address, id [16]byte, err error) {
	o.mu.Lock()
	p := o.proposed[id]
	o.mu.Unlock()
	if p == nil || p.peer != from {
		return // not ours, or not from the peer we asked
	}
	select {
	case p.answer <- err:
	default:
	}
}

// onOpenPropose applies our policy and answers, on the peer's reader goroutine: the
// policy is cheap and the answer is queued without waiting (a peer that floods
// proposals and never reads loses its answers, counted as dropped replies), so a
// proposal costs a bounded amount of work and no goroutine. Declines count toward the
// peer's ban and are logged at DEBUG: a decline is an answer, not news for the operator.
func (n *Node) onOpenPropose(from common.Address, m *p2p.OpenPropose) {
	if n.opens.acceptedAlready(from, m.ProposalID) {
		// A repeat of a proposal we accepted (its answer was lost): same answer, and the
		// policy is not asked again, so a repeat never counts against the peer's limits.
		n.answerProposal(from, &p2p.OpenAccept{ProposalID: m.ProposalID})
		return
	}
	err := n.openPolicyAllows(from, m)
	if err == nil {
		err = n.opens.accept(from, m, time.Now())
	}
	if err != nil {
		code := channel.Code(err)
		n.metrics.rejects.WithLabelValues(rejectLabel(code)).Inc()
		n.log.Debug("declined a channel proposal", "peer", from, "token", m.Token, "deposit", m.Deposit, "challengePeriod", m.ChallengePeriod, "err", err)
		n.transport.Penalize(from, "declined channel proposal: "+err.Error())
		n.answerProposal(from, &p2p.OpenDecline{ProposalID: m.ProposalID, Code: code, Reason: truncate(err.Error(), p2p.MaxReasonSize)})
		return
	}
	n.log.Info("accepted a channel proposal", "peer", from, "token", m.Token, "deposit", m.Deposit, "challengePeriod", m.ChallengePeriod)
	n.answerProposal(from, &p2p.OpenAccept{ProposalID: m.ProposalID})
}

func (n *Node) answerProposal(to common.Address, reply p2p.Message) {
	if err := n.transport.TrySend(to, reply); err != nil {
		n.log.Debug("open answer not sent", "peer", to, "err", err)
	}
}

func (n *Node) openPolicyAllows(from common.Address, m *p2p.OpenPropose) error {
	pol := n.cfg.Open
	deposit := m.Deposit
	if deposit == nil {
		deposit = new(big.Int)
	}
	if r := pol.violation(m.Token, m.ChallengePeriod, deposit); r != "" {
		return fmt.Errorf("%s: %w", r, channel.ErrInvalidParams)
	}
	if pol.MaxChannelsPerPeer > 0 {
		if have := n.openChannelsWith(from) + n.opens.pendingFrom(from, time.Now()); have >= pol.MaxChannelsPerPeer {
			return fmt.Errorf("already %d channels with you, at most %d: %w", have, pol.MaxChannelsPerPeer, channel.ErrRateLimited)
		}
	}
	return nil
}

const maxDurationSeconds = int64(^uint64(0)>>1) / int64(time.Second)

func (n *Node) openChannelsWith(peer common.Address) int {
	count := 0
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		if lc.peer == peer {
			lc.mu.Lock()
			if lc.st.Status() == channel.StatusOpen {
				count++
			}
			lc.mu.Unlock()
		}
		return true
	})
	return count
}

// accept records m as accepted. Its cost does not grow with other peers' proposals: a
// peer's own accepted ids are pruned, and the whole set only when it reaches its cap.
func (o *openNegotiation) accept(from common.Address, m *p2p.OpenPropose, now time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if pending := o.pruneLocked(from, now); pending >= maxPendingOpensPerPeer {
		return fmt.Errorf("%d accepted proposals of yours are not opened yet: %w", pending, channel.ErrRateLimited)
	}
	if len(o.accepted) >= maxPendingOpens {
		for id, a := range o.accepted {
			if now.After(a.expires) {
				delete(o.accepted, id)
			}
		}
		if len(o.accepted) >= maxPendingOpens {
			return fmt.Errorf("%d accepted proposals are waiting to be opened: %w", len(o.accepted), channel.ErrRateLimited)
		}
	}
	deposit := new(big.Int)
	if m.Deposit != nil {
		deposit.Set(m.Deposit)
	}
	o.accepted[m.ProposalID] = acceptedOpen{opener: from, token: m.Token, deposit: deposit, challengePeriod: m.ChallengePeriod, expires: now.Add(acceptedOpenLifetime)}
	o.byPeer[from] = append(o.byPeer[from], m.ProposalID)
	return nil
}

// pruneLocked drops peer's expired or consumed acceptances and returns how many remain.
func (o *openNegotiation) pruneLocked(peer common.Address, now time.Time) int {
	ids := o.byPeer[peer]
	kept := ids[:0]
	for _, id := range ids {
		a, ok := o.accepted[id]
		switch {
		case !ok || a.opener != peer:
		case now.After(a.expires):
			delete(o.accepted, id)
		default:
			kept = append(kept, id)
		}
	}
	if len(kept) == 0 {
		delete(o.byPeer, peer)
	} else {
		o.byPeer[peer] = kept
	}
	return len(kept)
}

func (o *openNegotiation) acceptedAlready(peer common.Address, id [16]byte) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	a, ok := o.accepted[id]
	return ok && a.opener == peer
}

func (o *openNegotiation) pendingFrom(peer common.Address, now time.Time) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.pruneLocked(peer, now)
}

// consumeAccepted matches a ChannelOpened against the proposals we accepted.
func (o *openNegotiation) consumeAccepted(ev *ChainEvent) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	for id, a := range o.accepted {
		if a.opener == ev.A && a.token == ev.Token && a.challengePeriod == ev.ChallengePeriod && ev.Amount != nil && a.deposit.Cmp(ev.Amount) == 0 {
			delete(o.accepted, id)
			return true
		}
	}
	return false
}

// watchPartner starts collecting the channels peer confirms; release stops it.
func (o *openNegotiation) watchPartner(peer common.Address) (release func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	pc := o.known[peer]
	if pc == nil {
		pc = &partnerChannels{chans: map[channel.ID]bool{}, changed: make(chan struct{})}
		o.known[peer] = pc
	}
	pc.watchers++
	return func() {
		o.mu.Lock()
		defer o.mu.Unlock()
		if pc.watchers--; pc.watchers == 0 {
			delete(o.known, peer)
		}
	}
}

func (o *openNegotiation) partnerKnows(peer common.Address, id channel.ID) {
	o.mu.Lock()
	defer o.mu.Unlock()
	pc := o.known[peer]
	if pc == nil || pc.chans[id] {
		return
	}
	pc.chans[id] = true
	close(pc.changed)
	pc.changed = make(chan struct{})
}

// waitPartnerKnows returns once peer has shown (by its Sync, sent after it stored the
// channel with our deposit) that it knows channel id. watchPartner must be in effect.
func (n *Node) waitPartnerKnows(ctx context.Context, peer common.Address, id channel.ID) error {
	timer := time.NewTimer(n.cfg.Open.AnswerTimeout)
	defer timer.Stop()
	for {
		o := n.opens
		o.mu.Lock()
		pc := o.known[peer]
		if pc == nil {
			o.mu.Unlock()
			return errors.New("not watching the partner's confirmations")
		}
		done, changed := pc.chans[id], pc.changed
		o.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-changed:
		case <-timer.C:
			return fmt.Errorf("partner did not confirm the channel within %s: %w", n.cfg.Open.AnswerTimeout, ErrPeerUnreachable)
		case <-ctx.Done():
			return fmt.Errorf("waiting for the partner to confirm the channel: %w", ctx.Err())
		case <-n.ctx.Done():
			return ErrClosed
		}
	}
}
