package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node/devcluster"
)

// dispute plays the unilateral close. The cheater is the hub: in this contract a closer
// submits its PARTNER's proof, so the profitable lie is about the closer's own payments.
// While alice's node is offline the hub closes with alice's latest proof (its right: the
// hub is the receiver of alice's proofs) and then tries to erase what it paid alice: a
// FORGED proof of its own at the highest nonce there is, paying 0, submitted itself and
// with its own endorsement, and its stale genuine proof. The contract takes a proof only
// with the consent of the party it pays, so each is refused. Alice's node comes back from
// its datadir, catches up with the chain, and its watcher submits the hub's latest proof
// before the challenge period ends. Then chain time moves past the period and the
// watchers settle.
func (r *run) dispute(ctx context.Context, stale channel.SignedProof) error {
	hv, err := r.node(hub).Channel(ctx, r.eth)
	if err != nil {
		return err
	}
	aliceLatest, hubLatest := hv.Sent[channel.PartyB], hv.Sent[channel.PartyA]
	if stale.Nonce == 0 || stale.Nonce >= hubLatest.Nonce {
		return fmt.Errorf("demo: no stale hub proof to cheat with (kept #%d, latest #%d)", stale.Nonce, hubLatest.Nonce)
	}

	r.stage("alice's node goes offline (stopped; its leveldb datadir stays)")
	if err := r.c.Stop(alice); err != nil {
		return err
	}
	cheat, err := r.c.Client(ctx, hub)
	if err != nil {
		return err
	}
	defer cheat.Disconnect()
	r.stage("the hub closes the ETH channel with alice's latest proof #%d (its right: it is the receiver of alice's proofs)", aliceLatest.Nonce)
	var closeProof *channel.SignedProof
	if aliceLatest.Nonce > 0 {
		closeProof = &aliceLatest
	}
	if _, err := cheat.Close(ctx, r.eth, closeProof); err != nil {
		return fmt.Errorf("demo: hub's close: %w", err)
	}
	r.stage("the hub cheats: it signs a FORGED proof #%d paying alice 0 ETH (its latest, #%d, pays %s ETH) and tries to put it, or its stale proof #%d (%s ETH), on chain",
		uint64(forgedNonce), hubLatest.Nonce, FormatAmount(hubLatest.Transferred.String()), stale.Nonce, FormatAmount(stale.Transferred.String()))
	if err := r.tryErase(ctx, cheat, stale); err != nil {
		return err
	}
	for _, a := range r.attack.attempts {
		if a.Refused == "" {
			r.stage("  %s: ACCEPTED", a.What)
		} else {
			r.stage("  %s: refused, %s", a.What, a.Refused)
		}
	}
	onChain, err := r.c.Funder().Channel(ctx, r.eth)
	if err != nil {
		return err
	}
	r.attack.hubNonce, r.attack.hubPaid = onChain.NonceA, onChain.TransferredA
	r.stage("while alice is away the chain records hub proof #%d, %s ETH of the hub's payments",
		onChain.NonceA, FormatAmount(onChain.TransferredA.String()))

	r.stage("alice's node restarts from its datadir and catches up with the chain")
	if err := r.c.Restart(ctx, alice); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := devcluster.WaitFor(wctx, "alice's watcher to put the hub's latest proof on chain", func() (bool, error) {
		v, err := r.c.Funder().Channel(ctx, r.eth)
		return err == nil && v.NonceA == hubLatest.Nonce, err
	}); err != nil {
		return err
	}
	r.stage("alice's watcher defeated the attack: hub proof #%d (%s ETH) is on chain", hubLatest.Nonce, FormatAmount(hubLatest.Transferred.String()))

	if err := r.c.AdvanceTime(challenge + 2*time.Second); err != nil {
		return err
	}
	r.stage("chain time advanced past the %s challenge period; the nodes' watchers settle", challenge)
	return devcluster.WaitFor(wctx, "the ETH channel to settle", func() (bool, error) {
		v, err := r.c.Funder().Channel(ctx, r.eth)
		return err == nil && v.Status == channel.StatusSettled, err
	})
}
