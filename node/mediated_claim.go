package node

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/mediate"
)

// On-chain resolution of pending locks (ADR 0027). The mediation loop calls claimLocks
// for every channel on every tick; it decides from memory (the channel's locks, known
// secrets, cached registrations, chain time) and hands any chain work to one goroutine
// per channel:
//   - open channel, a lock that pays us past its claim deadline (mediate.Config.Claim):
//     register its secret, then close with the payer's latest proof;
//   - closing or settled channel: register every known secret of a lock that pays us
//     while it can still count (chain time <= expiration);
//   - settled channel: once every held lock is decided (registered, or expired), call
//     unlock for each direction the contract still holds locks of, so registered locks
//     pay the receiver and the rest go back to the sender.
// Every transaction is a durable op (ops.go) with an id derived from the call, so a
// restarted node joins what it submitted before; the decisions are re-derived from the
// store and the chain, so nothing here needs to survive a restart.

// claimRetry spaces the attempts on one channel after a failure or a pending decision.
const claimRetry = 2 * time.Second

type lockClaims struct {
	mu sync.Mutex
	// busy: a claim goroutine runs for the channel; next: not before this time again.
	busy map[channel.ID]bool
	next map[channel.ID]time.Time
	// registered caches registration times seen on chain (never 0: unknown is absent).
	registered map[[32]byte]uint64
	// unregistered are hashes read as not registered after their lock's expiration
	// (expiryAllowed): a registration in time cannot appear later. Bounded.
	unregistered map[[32]byte]struct{}
	// unlocked marks directions (channel, sender) whose held locks are paid out, or of
	// which the contract holds nothing.
	unlocked map[unlockKey]bool
	// paidOut: directions whose unlock payout the claim log holds, by the unlock's tx
	// (mediated_claim_unlocked.go).
	paidOut map[unlockKey]common.Hash
	// collected: settled channels whose unlock records are deleted, or had none;
	// collectAt: the block at which the chain showed nothing held
	// (mediated_claim_collect.go).
	collected map[channel.ID]bool
	collectAt map[channel.ID]uint64

	reports claimReports

	// tombs is the bookkeeping of our removed locks and checkpoints (checkpoint.go, ADR 0037).
	tombs *tombstones
}

type unlockKey struct {
	ch     channel.ID
	sender channel.Party
}

func newLockClaims() *lockClaims {
	return &lockClaims{
		busy:         map[channel.ID]bool{},
		next:         map[channel.ID]time.Time{},
		registered:   map[[32]byte]uint64{},
		unregistered: map[[32]byte]struct{}{},
		unlocked:     map[unlockKey]bool{},
		paidOut:      map[unlockKey]common.Hash{},
		collected:    map[channel.ID]bool{},
		collectAt:    map[channel.ID]uint64{},
		tombs:        newTombstones(),
	}
}

func (c *lockClaims) registeredAt(h [32]byte) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.registered[h]
}

// maxUnregistered bounds the negative cache of registrations.
const maxUnregistered = 10_000

func (c *lockClaims) notRegistered(h [32]byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.unregistered[h]
	return ok
}

func (c *lockClaims) markNotRegistered(h [32]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.unregistered) >= maxUnregistered {
		clear(c.unregistered) // forgetting costs one more read per hash, nothing else
	}
	c.unregistered[h] = struct{}{}
}

// claimLocks is the mediation loop's hook: cheap unless the channel has work on chain.
func (n *Node) claimLocks(lc *liveChannel, now uint64) {
	lc.mu.Lock()
	status := lc.st.Status()
	locks := [2][]channel.Lock{lc.st.Locks(channel.PartyA), lc.st.Locks(channel.PartyB)}
	us := lc.us
	lc.mu.Unlock()
	switch status {
	case channel.StatusOpen:
		n.maybeCheckpoint(lc) // ADR 0037
	case channel.StatusSettled:
		// The chain holds the list of our proof it recorded: an older one than our
		// latest if the partner closed with it, or our endorsed one (ADR 0032, 0037).
		locks[us] = n.settledOurLocks(lc, locks[us])
		n.maybeCollect(lc, locks) // ADR 0040
	}
	if len(locks[0])+len(locks[1]) == 0 {
		return
	}
	c := n.claims
	c.mu.Lock()
	idle := !c.busy[lc.id] && !time.Now().Before(c.next[lc.id])
	c.mu.Unlock()
	if !idle || !n.claimWork(lc, status, locks, now) {
		return
	}
	c.mu.Lock()
	c.busy[lc.id] = true
	c.mu.Unlock()
	done := func(retry bool) {
		c.mu.Lock()
		delete(c.busy, lc.id)
		if retry {
			c.next[lc.id] = time.Now().Add(claimRetry)
		} else {
			delete(c.next, lc.id)
		}
		c.mu.Unlock()
	}
	if !n.goTracked(func() { done(!n.runClaim(lc, status, locks, now)) }) {
		done(false)
	}
}

// claimWork reports, from memory alone, whether the channel may need a claim step.
func (n *Node) claimWork(lc *liveChannel, status channel.Status, locks [2][]channel.Lock, now uint64) bool {
	open := status == channel.StatusOpen
	for _, l := range locks[lc.us] {
		if n.learnWindow(l, open, now) {
			if _, known := n.secret(l.SecretHash); !known {
				return true // look its secret up in the registry
			}
		}
	}
	if status == channel.StatusSettled {
		c := n.claims
		c.mu.Lock()
		defer c.mu.Unlock()
		for p := range 2 {
			if len(locks[p]) > 0 && !c.unlocked[unlockKey{lc.id, channel.Party(p)}] {
				return true
			}
		}
		return false
	}
	for _, l := range locks[lc.us.Other()] {
		if (open && now < n.med.cfg.ClaimDeadline(l)) || now > l.Expiration && !open {
			continue // the payer may still unlock, or it is decided: no store read needed
		}
		if !open && n.claims.registeredAt(l.SecretHash) != 0 {
			continue // registered already
		}
		in := n.claimInput(lc.id, l, open, now)
		if n.med.cfg.Claim(l, in) != mediate.ClaimWait {
			return true
		}
	}
	return false
}

// claimInput is what the node knows of a lock that pays it in channel id. A target
// claims only a lock that pays its invoice in full and may take it (ADR 0035; it releases
// the secret for no other), a mediator only the lock it forwarded for
// (mediated_forwarded.go).
func (n *Node) claimInput(id channel.ID, l channel.Lock, open bool, now uint64) mediate.ClaimInput {
	_, known := n.secret(l.SecretHash)
	asked, mine := n.invoiceAmount(l.SecretHash)
	if known && mine && (l.Amount.Cmp(asked) < 0 || !n.targetMayClaim(id, l)) || known && !mine && !n.forwardedFor(id, l.SecretHash) {
		known = false
	}
	return mediate.ClaimInput{SecretKnown: known, RegisteredAt: n.claims.registeredAt(l.SecretHash), Open: open, Now: now}
}

// runClaim performs a channel's claim steps; false means "try again later".
func (n *Node) runClaim(lc *liveChannel, status channel.Status, locks [2][]channel.Lock, now uint64) bool {
	ctx := n.ctx
	them := lc.us.Other()
	learnt := n.learnSecrets(ctx, lc, locks[lc.us], status == channel.StatusOpen, now)
	// Fresh registration times for the locks that pay us: the cache only knows ours.
	var toRegister, claimed [][32]byte
	owed := new(big.Int)
	closeDue := false
	for _, l := range locks[them] {
		if err := n.refreshRegistration(ctx, l.SecretHash); err != nil {
			n.log.Warn("cannot read a secret's registration", "channel", lc.id, "err", err)
			return false
		}
		switch n.med.cfg.Claim(l, n.claimInput(lc.id, l, status == channel.StatusOpen, now)) {
		case mediate.ClaimRegister:
			toRegister = append(toRegister, secretOf(n, l.SecretHash))
			owed.Add(owed, l.Amount)
		case mediate.ClaimRegisterAndClose:
			toRegister = append(toRegister, secretOf(n, l.SecretHash))
			claimed, closeDue = append(claimed, l.SecretHash), true
			owed.Add(owed, l.Amount)
		case mediate.ClaimClose:
			claimed, closeDue = append(claimed, l.SecretHash), true
		}
	}
	if len(toRegister) > 0 && !n.registerSecrets(ctx, lc, toRegister, owed) {
		return false
	}
	if closeDue {
		n.log.Warn("payer has not unlocked locks whose secrets we know; closing to claim them on chain", "channel", lc.id, "locks", len(claimed))
		res, err := n.closeUnilateral(ctx, lc)
		if err != nil {
			if ctx.Err() != nil {
				return false
			}
			n.log.Error("closing to claim locks failed; retrying", "channel", lc.id, "err", err)
			return false
		}
		amount := new(big.Int)
		for _, l := range locks[them] {
			if slices.Contains(claimed, l.SecretHash) {
				amount.Add(amount, l.Amount)
			}
		}
		n.reportClaim(lc, LockClaim{Kind: ClaimClosed, SecretHashes: claimed, Amount: amount, TxHash: res.TxHash, Block: res.Block})
	}
	if status != channel.StatusSettled {
		return learnt
	}
	return n.unlockSettled(ctx, lc, locks, now) && learnt
}

func secretOf(n *Node, h [32]byte) [32]byte {
	s, _ := n.secret(h)
	return s
}

// refreshRegistration reads h's registration time unless it is cached.
func (n *Node) refreshRegistration(ctx context.Context, h [32]byte) error {
	if n.claims.registeredAt(h) != 0 {
		return nil
	}
	at, err := n.chain.SecretRegisteredAt(ctx, h)
	if err != nil || at == 0 {
		return err
	}
	n.claims.mu.Lock()
	n.claims.registered[h] = at
	n.claims.mu.Unlock()
	return nil
}

// registerSecrets registers secrets (locks that pay us, worth owed) in one transaction
// and waits until it is mined. The op's id is the sorted list: a repeat, or the decision
// taken again after a restart, joins the op already submitted.
func (n *Node) registerSecrets(ctx context.Context, lc *liveChannel, secrets [][32]byte, owed *big.Int) bool {
	slices.SortFunc(secrets, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	secrets = slices.Compact(secrets)
	call := ChainCall{Kind: CallRegisterSecrets, Channel: lc.id, Secrets: secrets}
	rcpt, err := n.ops.submit(ctx, call, opIdentity{})
	if err != nil {
		if ctx.Err() != nil {
			return false // shutting down: the op is resumed after the restart
		}
		n.log.Error("registering secrets on chain failed; retrying", "channel", lc.id, "secrets", len(secrets), "err", err)
		return false
	}
	hashes := make([][32]byte, len(secrets))
	for i, s := range secrets {
		hashes[i] = channel.SecretHash(s)
		if err := n.refreshRegistration(ctx, hashes[i]); err != nil {
			return false
		}
	}
	n.reportClaim(lc, LockClaim{Kind: ClaimSecretRegistered, SecretHashes: hashes, Amount: owed, TxHash: rcpt.TxHash, Block: rcpt.Block})
	return true
}

// unlockSettled pays out each direction's held locks once every one is decided.
func (n *Node) unlockSettled(ctx context.Context, lc *liveChannel, locks [2][]channel.Lock, now uint64) bool {
	p := lc.st.Params() // immutable
	allDone := true
	for i := range 2 {
		sender := channel.Party(i)
		key := unlockKey{lc.id, sender}
		n.claims.mu.Lock()
		done := n.claims.unlocked[key]
		n.claims.mu.Unlock()
		if done || len(locks[i]) == 0 {
			continue
		}
		if !n.unlockDirection(ctx, lc, p.Participants, sender, locks[i], now) {
			allDone = false
			continue
		}
		n.claims.mu.Lock()
		n.claims.unlocked[key] = true
		n.claims.mu.Unlock()
	}
	return allDone
}

// unlockDirection unlocks sender's held locks; true once nothing of them is held. tried
// are our lists the contract refused already.
func (n *Node) unlockDirection(ctx context.Context, lc *liveChannel, parties [2]common.Address, sender channel.Party, locks []channel.Lock, now uint64, tried ...[]channel.Lock) bool {
	from := parties[sender]
	recv, held, err := n.chain.PendingUnlock(ctx, lc.id, from)
	if err != nil {
		n.log.Warn("cannot read held locks", "channel", lc.id, "sender", from, "err", err)
		return false
	}
	if recv == (common.Address{}) {
		return true // nothing held back (no proof with locks on chain), or unlocked already
	}
	times := make([]uint64, len(locks))
	for j, l := range locks {
		if err := n.refreshRegistration(ctx, l.SecretHash); err != nil {
			return false
		}
		times[j] = n.claims.registeredAt(l.SecretHash)
	}
	if !mediate.UnlockDue(locks, times, now) {
		return false // a receiver can still register a secret
	}
	if sender == lc.us && n.onlyTheReceiverGains(lc, locks, times, held) {
		return true
	}
	rcpt, _, err := n.submitUnlock(ctx, lc, from, locks)
	if err != nil {
		tried = append(tried, locks)
		if errors.Is(err, errNoMatchingList) && sender == lc.us {
			// Another list of ours the chain may hold: the rebuilt list of the nonce it
			// recorded, our current one, our endorsed one (ADR 0032, 0037).
			if alt, ok := n.unlockAlternative(lc, tried); ok {
				return n.unlockDirection(ctx, lc, parties, sender, alt, now, tried...)
			}
		}
		if errors.Is(err, errNoMatchingList) {
			// The chain holds a list of this sender's we cannot rebuild (a proof older
			// than our last checkpoint, or the partner's list); the receiver, who holds
			// it, can still unlock it.
			n.log.Error("no lock list of ours matches the one held on chain; cannot unlock it", "channel", lc.id, "sender", from, "locks", len(locks), "lists_tried", len(tried))
			return true // not retried: every estimate would revert
		}
		if ctx.Err() != nil {
			return false
		}
		n.log.Error("unlock after settle failed; retrying", "channel", lc.id, "sender", from, "err", err)
		return false
	}
	// What the chain paid, from its Unlocked event; a receipt without one (another
	// unlock ran first) leaves the record to the follower (mediated_claim_unlocked.go).
	if ev, ok := unlockedEvent(rcpt, lc.id, from); ok {
		n.noteUnlocked(lc, ev)
	}
	return true
}

// errNoMatchingList: neither our lock list nor any of its prefixes is the one held.
var errNoMatchingList = errors.New("no lock list of ours matches the one held on chain")

// submitUnlock unlocks sender's held locks with our list, or else with the longest of its
// prefixes the contract accepts: when our last lock additions were not acknowledged at the
// close, the receiver's latest proof of ours, the one on chain, commits to a prefix of our
// list. A list the contract refuses fails at estimation (InvalidLocks) and leaves nothing
// stored. It returns how many locks the accepted list has.
func (n *Node) submitUnlock(ctx context.Context, lc *liveChannel, from common.Address, locks []channel.Lock) (Receipt, int, error) {
	for k := len(locks); k >= 1; k-- {
		call := ChainCall{Kind: CallUnlock, Channel: lc.id, Participant: from, Locks: locks[:k]}
		rcpt, err := n.ops.submit(ctx, call, opIdentity{})
		if re, ok := errors.AsType[*contracts.RevertError](err); ok && re.Name == "InvalidLocks" {
			continue
		}
		if err == nil && k < len(locks) {
			n.log.Warn("unlocked with an older lock list: our last lock updates never reached the chain", "channel", lc.id, "sender", from, "locks", k, "ours", len(locks))
		}
		return rcpt, k, err
	}
	return Receipt{}, 0, errNoMatchingList
}
