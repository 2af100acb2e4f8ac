package demo

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/devcluster"
)

// onChainClaim says whether the scene below is played: the nodes resolve a closed
// channel's pending locks on chain (register the secret before the lock expires, settle,
// unlock; node/mediated_claim*.go, ADR 0027). It stays a switch so a build without the
// claim loop reports the case as not played instead of failing it.
const onChainClaim = true

// claimOutcome is what the on-chain claim scene left on chain, for the verification.
type claimOutcome struct {
	channel    channel.ID
	lock       channel.Lock
	registered uint64 // block timestamp of SecretRegistered (0: never)
	held       *big.Int
	toReceiver *big.Int // Unlocked: to the hub
	toSender   *big.Int // Unlocked: back to erin
}

// closedWithLocks: a channel closed with a pending lock whose secret is known. Erin pays
// cafe; while cafe is slow to reveal, the hub holds erin's lock and erin's node goes
// offline for good. Cafe reveals, and the hub pays cafe off chain, so
// the hub now holds erin's lock with its secret and nobody to unlock it. The hub closes
// the channel with erin's latest proof, which carries the lock; the hub's node registers
// the secret on chain before the lock expires; after the challenge period the channel
// settles with the lock's amount held in the escrow, and unlock pays it to the hub.
func (rr *routedRun) closedWithLocks(ctx context.Context) error {
	if !onChainClaim {
		rr.stage("channel closed with a pending lock: NOT PLAYED, it needs the nodes' on-chain claim (register secret, settle, unlock)")
		rr.out.Cases = append(rr.out.Cases, CaseRow{Case: "channel closed with a pending lock (on-chain claim)", Outcome: "not played: needs the nodes' on-chain claim", NotPlayed: true})
		return nil
	}
	amount := new(big.Int).Div(ether(3), big.NewInt(100)) // 0.03 ETH
	hash, err := rr.invoice(ctx, rCafe, amount)
	if err != nil {
		return err
	}
	rr.stage("channel closed with a pending lock: erin pays cafe 0.03 ETH; cafe is slow to reveal")
	rr.withhold[rCafe].Store(true)
	res := rr.payAsync(ctx, rErin, rCafe, amount, hash)
	if err := rr.waitLocks(ctx, rHub, rErin, 1, "the hub holds erin's lock"); err != nil {
		return err
	}
	if err := rr.waitLocks(ctx, rCafe, rCafe, 1, "cafe holds the hub's lock"); err != nil {
		return err
	}
	hv, err := rr.view(ctx, rHub, rErin)
	if err != nil {
		return err
	}
	lock := hv.Locks[0][0]
	paidCafe := rr.paidBy(rr.chans[rCafe], rHub)
	rr.stage("erin's node goes offline for good; cafe reveals; the hub pays cafe")
	if err := rr.c.Stop(rErin); err != nil {
		return err
	}
	<-res // erin's node closed: the payment call returns
	rr.withhold[rCafe].Store(false)
	want := new(big.Int).Add(paidCafe, amount)
	if err := rr.c.WaitChannel(ctx, rHub, rr.chans[rCafe], "the hub unlocks cafe's lock", func(v node.ChannelView) bool {
		return len(v.Locks[0]) == 0 && v.Sent[0].Transferred != nil && v.Sent[0].Transferred.Cmp(want) == 0
	}); err != nil {
		return err
	}
	rr.add(rr.chans[rCafe], rr.address(rHub), amount)
	rr.spent[rCafe].Add(rr.spent[rCafe], amount)

	rr.stage("the hub holds erin's lock of %s ETH with the secret; it closes the channel with erin's proof carrying the lock", FormatAmount(lock.Amount.String()))
	if _, err := rr.node(rHub).CloseChannel(ctx, rr.chans[rErin], true); err != nil {
		return fmt.Errorf("demo: the hub's close with erin's lock: %w", err)
	}
	out := &claimOutcome{channel: rr.chans[rErin], lock: lock}
	rr.claim = out
	if err := rr.awaitRegistered(ctx, out); err != nil {
		return err
	}
	rr.stage("the secret is registered on chain at %d (the lock expires at %d); chain time passes the challenge period", out.registered, lock.Expiration)
	if err := rr.c.AdvanceTime(challenge + 2*time.Second); err != nil {
		return err
	}
	if err := rr.awaitUnlocked(ctx, out); err != nil {
		return err
	}
	ok := out.registered != 0 && out.registered <= lock.Expiration && out.toReceiver.Cmp(lock.Amount) == 0 && out.toSender.Sign() == 0
	if ok {
		fee := new(big.Int).Sub(lock.Amount, amount)
		rr.spent[rErin].Add(rr.spent[rErin], lock.Amount)
		rr.spent[rHub].Add(rr.spent[rHub], fee)
	}
	outcome := fmt.Sprintf("secret registered at %d <= expiration %d; settled with %s held; unlock paid the hub %s, erin %s",
		out.registered, lock.Expiration, out.held, out.toReceiver, out.toSender)
	rr.stage("  %s", outcome)
	rr.out.Cases = append(rr.out.Cases, CaseRow{Case: "channel closed with a pending lock (on-chain claim)", Outcome: outcome, OK: ok})
	rr.check("closed with a pending lock: secret registered in time, unlocked to the hub to the wei", ok, "%s", outcome)
	rr.stage("erin's node comes back and catches up with the chain")
	return rr.c.Restart(ctx, rErin)
}

// awaitRegistered waits for the lock's SecretRegistered event. A node may register only
// once the lock nears its expiration, so if nothing is registered within a few seconds,
// chain time moves into the last reveal margin before the expiration (never past it).
func (rr *routedRun) awaitRegistered(ctx context.Context, out *claimOutcome) error {
	registered := func() (bool, error) {
		at, err := rr.c.Funder().SecretRegisteredAt(ctx, out.lock.SecretHash)
		out.registered = at
		return err == nil && at != 0, nil
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	err := devcluster.WaitFor(wctx, "the hub registers the secret", registered)
	cancel()
	if err == nil {
		return nil
	}
	head, herr := rr.c.Funder().Head(ctx)
	if herr != nil {
		return herr
	}
	if window := out.lock.Expiration - routedRevealMargin/2; head.Time < window {
		if err := rr.c.AdvanceTime(time.Duration(window-head.Time) * time.Second); err != nil {
			return err
		}
	}
	wctx, cancel = context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return devcluster.WaitFor(wctx, "the hub registers the secret (in the last reveal margin)", registered)
}

// awaitUnlocked waits until the channel is settled and its held locks paid out, and reads
// the split from the LocksHeld and Unlocked events.
func (rr *routedRun) awaitUnlocked(ctx context.Context, out *claimOutcome) error {
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return devcluster.WaitFor(wctx, "the channel settled and its lock unlocked on chain", func() (bool, error) {
		evs, err := rr.c.Events(ctx)
		if err != nil {
			return false, err
		}
		for _, e := range evs {
			switch ev := e.(type) {
			case contracts.LocksHeld:
				if ev.ID == out.channel {
					out.held = ev.Held
				}
			case contracts.Unlocked:
				if ev.ID == out.channel {
					out.toReceiver, out.toSender = ev.ToReceiver, ev.ToSender
				}
			}
		}
		return out.held != nil && out.toReceiver != nil, nil
	})
}

// paidBy is the demo's tally of what role paid over channel id so far.
func (rr *routedRun) paidBy(id channel.ID, role int) *big.Int {
	if v := rr.paid[id][rr.address(role)]; v != nil {
		return new(big.Int).Set(v)
	}
	return new(big.Int)
}
