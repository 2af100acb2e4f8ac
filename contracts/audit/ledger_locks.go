package audit

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

// lockKey names one direction's locks held at settlement.
type lockKey struct {
	id     channel.ID
	sender common.Address
}

// heldLocks is what a LocksHeld event says settle kept back, until its Unlocked.
type heldLocks struct {
	ch       *rebuilt
	sender   common.Address
	receiver common.Address
	balance  *big.Int // the sender's settle balance before the hold-back (set at ChannelSettled)
	checked  bool
	root     [32]byte
	locked   *big.Int
	held     *big.Int
	ref      eventRef
}

// lockState is the ledger's view of the hashlock events: the secrets in the registry (the
// block of their first registration) and the hold-backs not yet unlocked.
type lockState struct {
	secrets map[[32]byte]uint64
	held    map[lockKey]*heldLocks
}

func (s *lockState) init() {
	if s.secrets == nil {
		s.secrets, s.held = make(map[[32]byte]uint64), make(map[lockKey]*heldLocks)
	}
}

func (l *ledger) secretRegistered(e contracts.SecretRegistered) {
	l.locks.init()
	where := atEvent(nil, e.EventMeta)
	if channel.SecretHash(e.Secret) != e.SecretHash {
		l.found.fail(where.finding(CodeBadUnlock, "SecretRegistered hash %x is not keccak256 of its secret", e.SecretHash))
		return
	}
	if _, ok := l.locks.secrets[e.SecretHash]; ok {
		l.found.fail(where.finding(CodeBadUnlock, "secret %x registered twice: the first registration must stand", e.SecretHash))
		return
	}
	l.locks.secrets[e.SecretHash] = e.Block
}

func (l *ledger) locksHeld(r *rebuilt, e contracts.LocksHeld) {
	l.locks.init()
	where := atEvent(&r.id, e.EventMeta)
	sender, ok := r.partyOf(e.Sender)
	if !ok || r.participants[sender.Other()] != e.Receiver {
		l.found.fail(where.finding(CodeBadParticipant, "locks held from %s to %s, not the channel's two participants", e.Sender, e.Receiver))
		return
	}
	if r.status != channel.StatusClosing {
		l.found.fail(where.finding(CodeWrongStatus, "LocksHeld while the channel is %s", r.status))
	}
	if e.Held.Cmp(e.Locked) > 0 || e.LocksRoot == ([32]byte{}) {
		l.found.fail(where.finding(CodeBadUnlock, "held %s of %s locked under root %x", e.Held, e.Locked, e.LocksRoot))
	}
	l.locks.held[lockKey{r.id, e.Sender}] = &heldLocks{ch: r, sender: e.Sender, receiver: e.Receiver, root: e.LocksRoot,
		locked: new(big.Int).Set(e.Locked), held: new(big.Int).Set(e.Held), ref: eventRef{e.Block, e.TxHash}}
}

// heldIn returns what settle in tx held back from each side.
// It also records each side's balance before the hold-back for checkHold.
func (l *ledger) heldIn(r *rebuilt, tx common.Hash, balances [2]*big.Int) [2]*big.Int {
	out := [2]*big.Int{new(big.Int), new(big.Int)}
	for p := range 2 {
		if h := l.locks.held[lockKey{r.id, r.participants[p]}]; h != nil && h.ref.tx == tx {
			out[p].Set(h.held)
			h.balance = balances[p]
		}
	}
	return out
}

func (l *ledger) unlocked(r *rebuilt, e contracts.Unlocked) {
	where := atEvent(&r.id, e.EventMeta)
	k := lockKey{r.id, e.Sender}
	h := l.locks.held[k]
	if h == nil {
		l.found.fail(where.finding(CodeBadUnlock, "Unlocked for %s with no locks held back", e.Sender))
		return
	}
	delete(l.locks.held, k)
	if sum := new(big.Int).Add(e.ToReceiver, e.ToSender); sum.Cmp(h.held) != 0 {
		l.found.fail(where.finding(CodeBadUnlock, "unlock paid %s + %s, %s was held", e.ToReceiver, e.ToSender, h.held))
	}
	l.expectPayout(e.TxHash, h.receiver, r.token, e.ToReceiver)
	l.expectPayout(e.TxHash, e.Sender, r.token, e.ToSender)
	l.unlocks = append(l.unlocks, unlockJob{held: h, sender: e.Sender, toReceiver: new(big.Int).Set(e.ToReceiver), ref: eventRef{e.Block, e.TxHash}})
}

// heldByToken sums what settle holds back and no unlock has paid out yet, per token.
func (l *ledger) heldByToken() map[common.Address]*big.Int {
	out := make(map[common.Address]*big.Int)
	for _, h := range l.locks.held {
		if out[h.ch.token] == nil {
			out[h.ch.token] = new(big.Int)
		}
		out[h.ch.token].Add(out[h.ch.token], h.held)
	}
	return out
}
