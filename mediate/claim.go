package mediate

import (
	"math/big"

	"github.com/sluicepay/sluice/channel"
)

// On-chain claims (ADR 0027). A lock that pays this node and whose secret it knows is
// normally turned into a payment by its payer's off-chain Unlock. A payer that stays
// silent must not be able to keep the money: from ClaimDeadline on, the node registers
// the secret in the contract's registry (a registration at a block timestamp <= the
// lock's expiration makes the lock the receiver's for good) and closes the channel with
// the payer's latest proof, so settle holds the lock back and unlock pays it out.

// ClaimAction is what the node does on chain about one lock that pays it.
type ClaimAction uint8

const (
	// ClaimWait: nothing on chain (yet): the payer may still unlock off-chain, the secret
	// is unknown, or the lock can no longer be claimed.
	ClaimWait ClaimAction = iota
	// ClaimRegister: register the secret now (the channel is no longer open, so no
	// off-chain unlock can come).
	ClaimRegister
	// ClaimRegisterAndClose: register the secret and close the channel with the payer's
	// latest proof.
	ClaimRegisterAndClose
	// ClaimClose: the secret is registered in time already; close the channel.
	ClaimClose
)

func (a ClaimAction) String() string {
	switch a {
	case ClaimWait:
		return "wait"
	case ClaimRegister:
		return "register"
	case ClaimRegisterAndClose:
		return "register+close"
	case ClaimClose:
		return "close"
	}
	return "claim?"
}

// ClaimInput is what the node knows about a lock that pays it.
type ClaimInput struct {
	// SecretKnown: the node holds the lock's secret (and may claim it: a target only
	// claims a lock that pays its invoice).
	SecretKnown bool
	// RegisteredAt is the block timestamp of the secret's registration on chain, 0 if none.
	RegisteredAt uint64
	// Open: the channel is open, so the payer can still unlock off-chain.
	Open bool
	// Now is chain time (the latest head's timestamp).
	Now uint64
}

// Margin is the reveal margin in effect (DefaultRevealMargin when unset).
func (c Config) Margin() uint64 { return c.margin() }

// ClaimDeadline is the chain time from which a lock that pays us, whose secret we know,
// is claimed on chain if the payer has not unlocked it: its expiration less half the
// reveal margin. The payer had the first half of the margin (at least; a mediator learns
// the secret no later than its outgoing lock's expiration, a full margin before this
// one's) to unlock off-chain; the second half is left to get registerSecret mined, fee
// bumps included, at a timestamp <= the expiration.
func (c Config) ClaimDeadline(l channel.Lock) uint64 {
	half := c.margin() / 2
	if l.Expiration < half {
		return 0
	}
	return l.Expiration - half
}

// RegisteredInTime reports whether a registration at registeredAt makes a lock expiring
// at expiration the receiver's (the contract's rule: registered, at a timestamp <= the
// expiration).
func RegisteredInTime(registeredAt, expiration uint64) bool {
	return registeredAt != 0 && registeredAt <= expiration
}

// Claim decides what to do on chain about a lock l that pays this node and is still
// pending in the channel (the payer has not unlocked it off-chain).
func (c Config) Claim(l channel.Lock, in ClaimInput) ClaimAction {
	if RegisteredInTime(in.RegisteredAt, l.Expiration) {
		if in.Open && in.Now >= c.ClaimDeadline(l) {
			return ClaimClose
		}
		return ClaimWait // closed already, or the payer may still unlock
	}
	if !in.SecretKnown || in.RegisteredAt != 0 || in.Now > l.Expiration {
		// Unknown secret; or registered too late (the first registration stands); or
		// too late to register: the lock goes back to its payer.
		return ClaimWait
	}
	switch {
	case !in.Open:
		return ClaimRegister
	case in.Now >= c.ClaimDeadline(l):
		return ClaimRegisterAndClose
	}
	return ClaimWait
}

// UnlockDue reports whether a settled direction's locks may be unlocked on chain now:
// every lock is decided, i.e. its secret is registered (the first registration's time
// stands, in time or not) or chain time now is past its expiration. The contract unlocks a direction once; unlocking earlier would send back to the
// sender a lock whose receiver could still register its secret. registeredAt[i] is the
// registration time of locks[i]'s secret (0: none).
func UnlockDue(locks []channel.Lock, registeredAt []uint64, now uint64) bool {
	for i, l := range locks {
		if registeredAt[i] == 0 && now <= l.Expiration {
			return false
		}
	}
	return true
}

// UnlockSplit is how the contract's unlock pays out held (what settle held back for the
// direction, at most the locks' sum): the locks registered in time go to the receiver,
// capped at held, the rest to the sender.
func UnlockSplit(locks []channel.Lock, registeredAt []uint64, held *big.Int) (toReceiver, toSender *big.Int) {
	revealed := new(big.Int)
	for i, l := range locks {
		if RegisteredInTime(registeredAt[i], l.Expiration) {
			revealed.Add(revealed, l.Amount)
		}
	}
	if held == nil {
		held = new(big.Int)
	}
	if revealed.Cmp(held) > 0 {
		revealed.Set(held)
	}
	return revealed, new(big.Int).Sub(held, revealed)
}
