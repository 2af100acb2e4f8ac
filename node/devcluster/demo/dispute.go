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
// While alice's node is offline the hub closes (with alice's latest proof, which is in
// its favour) and then puts its own stale proof on chain, claiming it paid alice only
// what it had paid before phase 2. Alice's node comes back from its datadir, catches up
// with the chain, and its watcher submits the hub's latest proof before the challenge
// period ends. Then chain time moves past the period and the watchers settle.
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
	r.stage("the hub cheats: calls close on the ETH channel, then updateProof with its own STALE proof #%d (paid %s ETH) instead of #%d (paid %s ETH)",
		stale.Nonce, FormatAmount(stale.Transferred.String()), hubLatest.Nonce, FormatAmount(hubLatest.Transferred.String()))
	var closeProof *channel.SignedProof
	if aliceLatest.Nonce > 0 {
		closeProof = &aliceLatest
	}
	if _, err := cheat.Close(ctx, r.eth, closeProof); err != nil {
		return fmt.Errorf("demo: cheating close: %w", err)
	}
	rs, err := cheat.UpdateProof(ctx, stale)
	if err != nil {
		return fmt.Errorf("demo: cheating stale proof: %w", err)
	}
	r.rep.Dispute.StaleTx = rs.TxHash.Hex()
	onChain, err := r.c.Funder().Channel(ctx, r.eth)
	if err != nil {
		return err
	}
	if onChain.NonceA != stale.Nonce {
		return fmt.Errorf("demo: after the cheat the chain records hub nonce %d, want the stale %d", onChain.NonceA, stale.Nonce)
	}

	r.stage("alice's node restarts from its datadir and catches up with the chain")
	if err := r.c.Restart(ctx, alice); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := devcluster.WaitFor(wctx, "alice's watcher to put the hub's latest proof on chain", func() (bool, error) {
		v, err := r.c.Funder().Channel(ctx, r.eth)
		return err == nil && v.NonceA >= hubLatest.Nonce, err
	}); err != nil {
		return err
	}
	r.stage("alice's watcher defeated the stale proof: hub proof #%d is on chain", hubLatest.Nonce)

	if err := r.c.AdvanceTime(challenge + 2*time.Second); err != nil {
		return err
	}
	r.stage("chain time advanced past the %s challenge period; the nodes' watchers settle", challenge)
	return devcluster.WaitFor(wctx, "the ETH channel to settle", func() (bool, error) {
		v, err := r.c.Funder().Channel(ctx, r.eth)
		return err == nil && v.Status == channel.StatusSettled, err
	})
}
