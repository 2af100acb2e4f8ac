package mediate

import "github.com/sluicepay/sluice/channel"

// Action is what a node does next about one of its pending locks. The node derives it
// from the lock, the secrets it knows and chain time alone, so after a restart the same
// decisions follow from what is on disk.
type Action uint8

const (
	// Wait: nothing to do yet.
	Wait Action = iota
	// SendUnlock: we pay this lock and know its secret; send the Unlock proof.
	SendUnlock
	// SendExpire: we pay this lock, it expired unpaid; send the LockExpired proof.
	SendExpire
	// SendReveal: this lock pays us and we know its secret; send SecretReveal to its
	// payer so it unlocks.
	SendReveal
)

func (a Action) String() string {
	switch a {
	case Wait:
		return "wait"
	case SendUnlock:
		return "unlock"
	case SendExpire:
		return "expire"
	case SendReveal:
		return "reveal"
	}
	return "action?"
}

// Outgoing decides for a lock this node pays. A known secret is always honoured, even
// after expiration: the receiver may have registered it on chain in time, and a mediator
// that knows it can still claim its own incoming lock, which outlives this one by a
// margin. Only an expired lock whose secret is unknown is removed.
func Outgoing(l channel.Lock, secretKnown bool, now uint64) Action {
	switch {
	case secretKnown:
		return SendUnlock
	case now > l.Expiration:
		return SendExpire
	}
	return Wait
}

// Outgoing decides for a lock this node pays, as the package's Outgoing does, except that
// a secret learnt more than a reveal margin after the lock expired is not honoured: a
// mediator's incoming lock on the same hash expires exactly one margin after its outgoing
// one, so past that nothing pays it back and unlocking would pay downstream out of its own
// pocket (a payee that reveals once everything upstream expired). A receiver that
// registered the secret on chain in time claims with the proof it already holds anyway.
func (c Config) Outgoing(l channel.Lock, secretKnown bool, now uint64) Action {
	if secretKnown && now > l.Expiration+c.margin() {
		return SendExpire
	}
	return Outgoing(l, secretKnown, now)
}

// Incoming decides for a lock that pays this node. With the secret known and the lock
// still claimable (expiration inclusive) the payer is asked to unlock. The target's
// first release of its own secret is TargetReveals' decision, not this one.
func Incoming(l channel.Lock, secretKnown bool, now uint64) Action {
	if secretKnown && now <= l.Expiration {
		return SendReveal
	}
	return Wait
}
