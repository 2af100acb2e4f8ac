package node

import (
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// The channel policy (Config.Open) is what this node accepts as a payee: the challenge
// period bounds, the tokens and the opener's minimum deposit. It is asked twice: when a
// peer proposes a channel (openPolicyAllows declines the proposal), and for every channel
// the node learns of on chain or from its store, proposed or not, because the contract
// lets anyone open a channel with us without asking. A channel outside the policy stays
// tracked, visible and defended (funds in it stay safe), but payments on it are refused
// with channel.ErrChannelOutOfPolicy. docs/adr/0015 records why.

const (
	// DefaultMinChallengePeriod is the shortest challenge period the node accepts on a
	// real chain when the policy leaves it zero: long enough for a watcher to notice a
	// close and get a transaction mined through a congested or briefly unreachable chain.
	DefaultMinChallengePeriod = time.Hour
	// DevMinChallengePeriod is that default on a dev chain (see isDevChain), where blocks
	// are mined on demand and tests and the demo use periods of seconds.
	DevMinChallengePeriod = time.Second
	// ContractMinChallengePeriod and ContractMaxChallengePeriod are SluiceChannels'
	// MIN_CHALLENGE_PERIOD and MAX_CHALLENGE_PERIOD; a zero maximum in the policy means
	// the contract's.
	ContractMinChallengePeriod = time.Second
	ContractMaxChallengePeriod = 30 * 24 * time.Hour
)

// devChainIDs are the chain ids local development chains use: 31337 (Anvil, Hardhat and
// the embedded devchain) and 1337 (geth --dev, Ganache). No public network uses them.
var devChainIDs = [...]int64{31337, 1337}

// isDevChain reports whether chainID is a local development chain's.
func isDevChain(chainID *big.Int) bool {
	if chainID == nil {
		return false
	}
	for _, id := range devChainIDs {
		if chainID.Cmp(big.NewInt(id)) == 0 {
			return true
		}
	}
	return false
}

// resolve fills the policy's defaults for the chain the node runs on and checks the
// result: a zero minimum is DefaultMinChallengePeriod (DevMinChallengePeriod on a dev
// chain), a zero maximum the contract's. ownPeriod, the challenge period of the node's own
// opens, must fall within the bounds, or the node would refuse its own channels.
func (p OpenPolicy) resolve(chainID *big.Int, ownPeriod time.Duration) (OpenPolicy, error) {
	if p.MinChallengePeriod <= 0 {
		p.MinChallengePeriod = DefaultMinChallengePeriod
		if isDevChain(chainID) {
			p.MinChallengePeriod = DevMinChallengePeriod
		}
	}
	if p.MaxChallengePeriod <= 0 {
		p.MaxChallengePeriod = ContractMaxChallengePeriod
	}
	if p.MinChallengePeriod > p.MaxChallengePeriod {
		return p, fmt.Errorf("config: Open.MinChallengePeriod %s exceeds Open.MaxChallengePeriod %s on chain %v", p.MinChallengePeriod, p.MaxChallengePeriod, chainID)
	}
	if ownPeriod < p.MinChallengePeriod || ownPeriod > p.MaxChallengePeriod {
		return p, fmt.Errorf("config: DefaultChallengePeriod %s is outside the channel policy's %s..%s on chain %v", ownPeriod, p.MinChallengePeriod, p.MaxChallengePeriod, chainID)
	}
	if p.MinDeposit != nil && p.MinDeposit.Sign() < 0 {
		return p, fmt.Errorf("config: Open.MinDeposit %s is negative", p.MinDeposit)
	}
	return p, nil
}

// violation names the first term of a channel the policy does not accept, or returns ""
// when it accepts them all. deposit is the opener's deposit; nil skips that check (a
// channel we opened ourselves holds our deposit, not a partner's).
func (p OpenPolicy) violation(token common.Address, challengePeriod uint64, deposit *big.Int) string {
	if len(p.AcceptTokens) > 0 && !slices.Contains(p.AcceptTokens, token) {
		return fmt.Sprintf("token %s is not accepted", token)
	}
	if challengePeriod > uint64(maxDurationSeconds) || (p.MaxChallengePeriod > 0 && time.Duration(challengePeriod)*time.Second > p.MaxChallengePeriod) {
		return fmt.Sprintf("challenge period %ds above the maximum %s", challengePeriod, p.MaxChallengePeriod)
	}
	if time.Duration(challengePeriod)*time.Second < p.MinChallengePeriod {
		return fmt.Sprintf("challenge period %ds below the minimum %s", challengePeriod, p.MinChallengePeriod)
	}
	if deposit != nil && p.MinDeposit != nil && deposit.Cmp(p.MinDeposit) < 0 {
		return fmt.Sprintf("opener's deposit %s below the minimum %s", deposit, p.MinDeposit)
	}
	return ""
}

// channelViolation evaluates a tracked channel against the policy. Callers hold lc.mu.
// Only terms the partner chose count: the token and period of any channel (a channel we
// opened ourselves passed the same check in OpenChannel), and the deposit of a channel
// the partner opened. Deposits only grow, so a deposit violation can only clear.
func (n *Node) channelViolation(lc *liveChannel) string {
	p := lc.st.Params()
	var deposit *big.Int
	if lc.us == channel.PartyB {
		deposit = lc.st.Side(channel.PartyA).Deposit
	}
	return n.cfg.Open.violation(p.Token, p.ChallengePeriod, deposit)
}

// applyChannelPolicy re-evaluates lc after a chain event that may change its standing
// (its opening, a deposit). A channel found outside the policy is logged once, when the
// node learns it; one that a deposit brings within the policy is logged once too.
func (n *Node) applyChannelPolicy(lc *liveChannel, kind EventKind) {
	if kind != EventOpened && kind != EventDeposited {
		return
	}
	lc.mu.Lock()
	reason := n.channelViolation(lc)
	lc.mu.Unlock()
	before := lc.outOfPolicy.Load()
	switch {
	case reason != "" && before == nil:
		// At the opening, or at the deposit that brought an untracked channel in
		// (channel_admission.go): deposits only grow, so never twice.
		lc.outOfPolicy.Store(&reason)
		n.log.Warn("channel outside the channel policy: payments on it will be refused; it can still be closed", "channel", lc.id, "peer", lc.peer, "reason", reason)
	case reason == "" && before != nil:
		lc.outOfPolicy.Store(nil)
		n.log.Info("channel now within the channel policy", "channel", lc.id, "peer", lc.peer, "was", *before)
	}
}

// reviewChannelPolicy evaluates the channels loaded from the store against the policy
// of this run, which may differ from the one they were accepted under, and logs one
// line for all of them.
func (n *Node) reviewChannelPolicy() {
	outside := 0
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		lc.mu.Lock()
		reason := n.channelViolation(lc)
		open := lc.st.Status() == channel.StatusOpen
		lc.mu.Unlock()
		if reason != "" {
			lc.outOfPolicy.Store(&reason)
			if open {
				outside++
			}
		}
		return true
	})
	if outside > 0 {
		n.log.Warn("open channels outside the channel policy: payments on them will be refused (see 'sluice channel list')", "count", outside)
	}
}

// policyRefusal returns the error a payment on lc is refused with, or nil. It reads one
// atomic, so the payee's check costs nothing before signature recovery.
func (lc *liveChannel) policyRefusal() error {
	if r := lc.outOfPolicy.Load(); r != nil {
		return fmt.Errorf("channel %s: %s: %w", lc.id, *r, channel.ErrChannelOutOfPolicy)
	}
	return nil
}

// ownOpenAllowed checks a channel we are about to open against our own policy: a channel
// outside it would have its incoming payments refused by this very node.
func (n *Node) ownOpenAllowed(call ChainCall) error {
	if r := n.cfg.Open.violation(call.Token, call.ChallengePeriod, nil); r != "" {
		return fmt.Errorf("%s by this node's own channel policy: %w", r, channel.ErrInvalidParams)
	}
	return nil
}
