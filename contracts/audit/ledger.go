package audit

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

// eventRef locates the event that last changed something.
type eventRef struct {
	block uint64
	tx    common.Hash
}

// rebuilt is one channel as the events alone describe it. Amounts are absolute totals,
// indexed by channel.Party.
type rebuilt struct {
	id              channel.ID
	participants    [2]common.Address
	token           common.Address
	challengePeriod uint64
	status          channel.Status

	deposit     [2]*big.Int
	withdrawn   [2]*big.Int
	nonce       [2]uint64   // best proof on chain, per signer
	transferred [2]*big.Int // paid by that signer to its partner
	// The pending locks of that signer's best proof, from verified calldata (nil: none seen).
	proofLocked [2]*big.Int
	proofRoot   [2][32]byte

	settleAfter uint64
	closer      channel.Party
	cooperative bool
	final       [2]*big.Int // ChannelSettled balances

	opened, closed, settled eventRef
	seeded                  bool // opened before the scan: state read from the contract
	events                  int
	sigsVerified            int
}

func newRebuilt(id channel.ID) *rebuilt {
	r := &rebuilt{id: id}
	for p := range 2 {
		r.deposit[p], r.withdrawn[p], r.transferred[p] = new(big.Int), new(big.Int), new(big.Int)
	}
	return r
}

// partyOf tells which side addr is on.
func (r *rebuilt) partyOf(addr common.Address) (channel.Party, bool) {
	switch addr {
	case r.participants[channel.PartyA]:
		return channel.PartyA, true
	case r.participants[channel.PartyB]:
		return channel.PartyB, true
	}
	return 0, false
}

// locked is what the channel holds in escrow: deposits minus withdrawals.
func (r *rebuilt) locked() *big.Int {
	t := new(big.Int).Add(r.deposit[0], r.deposit[1])
	t.Sub(t, r.withdrawn[0])
	return t.Sub(t, r.withdrawn[1])
}

// creditKey is one account's claimable balance of one token.
type creditKey struct {
	account common.Address
	token   common.Address
}

// payout is a transfer the contract attempted inside the current transaction; a
// Credited event must match one of them.
type payout struct {
	to     common.Address
	token  common.Address
	amount *big.Int
}

// seedFunc reads a channel the scan meets before its ChannelOpened (a scan that starts
// after it was opened): nil if the contract never opened it, an error if the node cannot
// serve that state.
type seedFunc func(id channel.ID) (*rebuilt, error)

// ledger replays the contract's events in chain order and records every contradiction.
// Signature checks it cannot do alone (they need calldata) go to sigs.
type ledger struct {
	channels map[channel.ID]*rebuilt
	order    []*rebuilt // by first appearance, the report's order
	// unreadable are channels opened before the scan whose state the node could not
	// serve; their events are skipped (one warning each), not counted as contradictions.
	unreadable map[channel.ID]bool
	credits    map[creditKey]*big.Int

	// fullScan is true when the scan started at or before the contract's first event,
	// so credits and the set of channels are complete.
	fullScan bool
	seed     seedFunc

	payoutTx common.Hash
	payouts  []payout

	sigs   *sigVerifier
	timing *timingChecker
	found  *findings
	events int

	locks   lockState   // secret registry and hold-backs (issue 17)
	unlocks []unlockJob // unlock payouts to verify against their calldata
}

func newLedger(fullScan bool, seed seedFunc, sigs *sigVerifier, timing *timingChecker, found *findings) *ledger {
	return &ledger{
		timing:     timing,
		channels:   make(map[channel.ID]*rebuilt),
		unreadable: make(map[channel.ID]bool),
		credits:    make(map[creditKey]*big.Int),
		fullScan:   fullScan,
		seed:       seed,
		sigs:       sigs,
		found:      found,
	}
}

// apply replays one event.
func (l *ledger) apply(ev contracts.Event) {
	l.events++
	m := ev.Meta()
	if m.TxHash != l.payoutTx {
		l.payoutTx, l.payouts = m.TxHash, l.payouts[:0]
	}
	switch e := ev.(type) {
	case contracts.ChannelOpened:
		l.opened(e)
	case contracts.Deposited:
		if r := l.channel(e.ID, m); r != nil {
			l.deposited(r, e)
		}
	case contracts.Withdrawn:
		if r := l.channel(e.ID, m); r != nil {
			l.withdrawn(r, e)
		}
	case contracts.ChannelClosed:
		if r := l.channel(e.ID, m); r != nil {
			l.closedEvent(r, e)
		}
	case contracts.ProofUpdated:
		if r := l.channel(e.ID, m); r != nil {
			l.proofUpdated(r, e)
		}
	case contracts.ChannelSettled:
		if r := l.channel(e.ID, m); r != nil {
			l.settledEvent(r, e)
		}
	case contracts.SecretRegistered:
		l.secretRegistered(e)
	case contracts.LocksHeld:
		if r := l.channel(e.ID, m); r != nil {
			l.locksHeld(r, e)
		}
	case contracts.Unlocked:
		if r := l.channel(e.ID, m); r != nil {
			l.unlocked(r, e)
		}
	case contracts.Credited:
		l.credited(e)
	case contracts.Claimed:
		l.claimed(e)
	}
}

func atEvent(id *channel.ID, m contracts.EventMeta) at {
	return at{channel: id, block: m.Block, tx: m.TxHash}
}

// channel finds the channel an event is about, seeding it from the contract when the
// scan began after it was opened.
func (l *ledger) channel(id channel.ID, m contracts.EventMeta) *rebuilt {
	if r, ok := l.channels[id]; ok {
		r.events++
		return r
	}
	if l.unreadable[id] {
		return nil
	}
	idc := id
	if !l.fullScan && l.seed != nil {
		r, err := l.seed(id)
		if err != nil {
			l.unreadable[id] = true
			l.found.warn(atEvent(&idc, m).finding(CodeSkipped, "opened before the scan and its earlier state cannot be read: %v", err))
			return nil
		}
		if r != nil {
			r.seeded = true
			r.events = 1
			l.channels[id] = r
			l.order = append(l.order, r)
			return r
		}
	}
	l.found.fail(atEvent(&idc, m).finding(CodeUnknownChannel, "event for a channel that was never opened in the scanned blocks"))
	return nil
}

func (l *ledger) opened(e contracts.ChannelOpened) {
	id := e.ID
	where := atEvent(&id, e.EventMeta)
	if _, dup := l.channels[id]; dup {
		l.found.fail(where.finding(CodeDuplicateOpen, "ChannelOpened again for an existing channel"))
		return
	}
	r := newRebuilt(id)
	r.participants = [2]common.Address{e.A, e.B}
	r.token, r.challengePeriod, r.status = e.Token, e.ChallengePeriod, channel.StatusOpen
	r.opened = eventRef{e.Block, e.TxHash}
	r.events = 1
	if e.Deposit != nil {
		r.deposit[channel.PartyA].Set(e.Deposit)
	}
	if e.A == e.B || e.A == (common.Address{}) || e.B == (common.Address{}) {
		l.found.fail(where.finding(CodeBadParticipant, "opened between %s and %s", e.A, e.B))
	}
	l.channels[id] = r
	l.order = append(l.order, r)
}

func (l *ledger) deposited(r *rebuilt, e contracts.Deposited) {
	where := atEvent(&r.id, e.EventMeta)
	if r.status != channel.StatusOpen {
		l.found.fail(where.finding(CodeWrongStatus, "deposit of %s while the channel is %s", e.Amount, r.status))
	}
	p, ok := r.partyOf(e.Participant)
	if !ok {
		l.found.fail(where.finding(CodeBadParticipant, "deposit for %s, not a participant", e.Participant))
		return
	}
	want := new(big.Int).Add(r.deposit[p], e.Amount)
	if want.Cmp(e.TotalDeposit) != 0 {
		l.found.fail(where.finding(CodeBadTotal, "party %s deposit %s + %s = %s, event says total %s", p, r.deposit[p], e.Amount, want, e.TotalDeposit))
	}
	if e.TotalDeposit.Cmp(channel.MaxAmount()) > 0 {
		l.found.fail(where.finding(CodeBadTotal, "party %s total deposit %s exceeds 2^128-1", p, e.TotalDeposit))
	}
	r.deposit[p].Set(e.TotalDeposit)
}

func (l *ledger) withdrawn(r *rebuilt, e contracts.Withdrawn) {
	where := atEvent(&r.id, e.EventMeta)
	if r.status != channel.StatusOpen {
		l.found.fail(where.finding(CodeWrongStatus, "withdrawal of %s while the channel is %s", e.Amount, r.status))
	}
	p, ok := r.partyOf(e.Participant)
	if !ok {
		l.found.fail(where.finding(CodeBadParticipant, "withdrawal for %s, not a participant", e.Participant))
		return
	}
	want := new(big.Int).Add(r.withdrawn[p], e.Amount)
	if e.Amount.Sign() <= 0 || want.Cmp(e.TotalWithdrawn) != 0 {
		l.found.fail(where.finding(CodeBadTotal, "party %s withdrawn %s + %s = %s, event says total %s", p, r.withdrawn[p], e.Amount, want, e.TotalWithdrawn))
	}
	r.withdrawn[p].Set(e.TotalWithdrawn)
	deposits := new(big.Int).Add(r.deposit[0], r.deposit[1])
	if out := new(big.Int).Add(r.withdrawn[0], r.withdrawn[1]); out.Cmp(deposits) > 0 {
		l.found.fail(where.finding(CodeOverWithdrawn, "withdrawals %s exceed deposits %s", out, deposits))
	}
	l.expectPayout(e.TxHash, e.Participant, r.token, e.Amount)
	l.sigs.add(sigJob{kind: callWithdraw, ch: r, ref: eventRef{e.Block, e.TxHash},
		participant: e.Participant, amount: new(big.Int).Set(e.TotalWithdrawn)})
}
