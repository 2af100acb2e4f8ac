package node

import (
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Claim kinds (LockClaim.Kind), also published as ChannelEvent.Kind.
const (
	// ClaimSecretRegistered: the node registered secrets of locks that pay it on chain.
	ClaimSecretRegistered = "secret_registered"
	// ClaimClosed: the node closed the channel to claim locks its payer did not unlock.
	ClaimClosed = "claim_closed"
	// ClaimLockClaimed: an unlock after settle paid locks to the node (Amount > 0).
	ClaimLockClaimed = "lock_claimed"
	// ClaimLocksUnlocked: an unlock after settle paid out a direction's held locks with
	// nothing to the node as receiver (they went back to their sender, or the node sent them).
	ClaimLocksUnlocked = "locks_unlocked"
)

// LockClaim is one step the node took on chain to resolve pending locks (ADR 0027):
// Node.LockClaims lists them, and each is published as a ChannelEvent of the same Kind.
type LockClaim struct {
	Channel channel.ID
	Kind    string
	// SecretHashes are the registered secrets' hashes (secret_registered) or the locks
	// claimed (claim_closed).
	SecretHashes [][32]byte
	// Sender is whose locks an unlock paid out; Receiver its partner.
	Sender, Receiver common.Address
	// Amount: the locks' total that pays the node (secret_registered, claim_closed), or
	// what an unlock paid the receiver; Returned is what it paid back to the sender.
	Amount, Returned *big.Int
	TxHash           common.Hash
	Block            uint64
	Time             time.Time
}

// maxClaimReports bounds the in-memory claim log (the chain and the logs are the record).
const maxClaimReports = 1000

type claimReports struct {
	mu   sync.Mutex
	list []LockClaim
}

func (r *claimReports) add(c LockClaim) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.list) >= maxClaimReports {
		r.list = append(r.list[:0], r.list[len(r.list)-maxClaimReports+1:]...)
	}
	r.list = append(r.list, c)
}

// remove drops the reports match selects.
func (r *claimReports) remove(match func(LockClaim) bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = slices.DeleteFunc(r.list, match)
}

// LockClaims lists the on-chain claim steps this node took since it started, oldest
// first (at most the last 1,000).
func (n *Node) LockClaims() []LockClaim {
	r := &n.claims.reports
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]LockClaim(nil), r.list...)
}

// reportClaim logs, lists and publishes a claim step.
func (n *Node) reportClaim(lc *liveChannel, c LockClaim) {
	c.Channel, c.Time = lc.id, time.Now()
	n.claims.reports.add(c)
	lc.mu.Lock()
	status := lc.st.Status()
	lc.mu.Unlock()
	n.log.Info("lock claim", "kind", c.Kind, "channel", lc.id, "amount", c.Amount, "returned", c.Returned, "locks", len(c.SecretHashes), "tx", c.TxHash)
	n.subs.publishEvent(ChannelEvent{Channel: lc.id, Kind: c.Kind, Status: status, Block: c.Block, TxHash: c.TxHash, Time: c.Time})
}
