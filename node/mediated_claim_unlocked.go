package node

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Unlock payouts as the chain reports them (ADR 0040). Either party (or anyone) may call
// unlock for a direction's held locks after settle, and the contract pays each direction
// once. The claim log takes what an unlock paid from the contract's Unlocked event,
// whoever sent the transaction: from our own unlock's receipt, and from the chain
// follower for every unlock of our channels (the partner's, a third party's, ours seen
// again). The first of them records the payout; the other finds it recorded. A receipt
// without the event (our transaction reverted because another unlock ran first) records
// nothing: the follower brings that other unlock's event.

// noteUnlocked records the payout of an Unlocked event of lc, once per direction.
func (n *Node) noteUnlocked(lc *liveChannel, ev ChainEvent) {
	p := lc.st.Params() // immutable
	sender, err := lc.st.PartyOf(ev.Participant)
	if err != nil {
		n.log.Error("unlock event names a sender that is not a participant", "channel", lc.id, "sender", ev.Participant, "tx", ev.TxHash)
		return
	}
	key := unlockKey{lc.id, sender}
	c := n.claims
	c.mu.Lock()
	if _, dup := c.paidOut[key]; dup {
		c.mu.Unlock()
		return
	}
	c.paidOut[key] = ev.TxHash
	c.mu.Unlock()
	toRecv, toSender := orZero(ev.Amount), orZero(ev.Returned)
	recv := p.Participants[sender.Other()]
	kind := ClaimLocksUnlocked
	if recv == n.signer.Address() && toRecv.Sign() > 0 {
		kind = ClaimLockClaimed
	}
	n.reportClaim(lc, LockClaim{Kind: kind, Sender: ev.Participant, Receiver: recv, Amount: toRecv, Returned: toSender, TxHash: ev.TxHash, Block: ev.Block})
}

// retractUnlocked forgets the payout recorded from an Unlocked event a reorganisation
// removed: if the unlock is mined again, in this chain, it is recorded from there.
func (n *Node) retractUnlocked(ev ChainEvent) {
	lc := n.channel(ev.Channel)
	if lc == nil {
		return
	}
	sender, err := lc.st.PartyOf(ev.Participant)
	if err != nil {
		return
	}
	key := unlockKey{lc.id, sender}
	c := n.claims
	c.mu.Lock()
	tx, ok := c.paidOut[key]
	if ok && tx == ev.TxHash {
		delete(c.paidOut, key)
	}
	c.mu.Unlock()
	if ok && tx == ev.TxHash {
		c.reports.remove(func(r LockClaim) bool {
			return r.Channel == lc.id && r.TxHash == tx && r.Sender == ev.Participant && (r.Kind == ClaimLockClaimed || r.Kind == ClaimLocksUnlocked)
		})
		n.log.Warn("an unlock we recorded was reorganised away", "channel", lc.id, "sender", ev.Participant, "tx", tx)
	}
}

// unlockedEvent is the Unlocked event of sender's locks in channel id that rcpt carries.
func unlockedEvent(rcpt Receipt, id channel.ID, sender common.Address) (ChainEvent, bool) {
	for _, ev := range rcpt.Events {
		if ev.Kind == EventUnlocked && ev.Channel == id && ev.Participant == sender {
			return ev, true
		}
	}
	return ChainEvent{}, false
}

func orZero(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(x)
}
