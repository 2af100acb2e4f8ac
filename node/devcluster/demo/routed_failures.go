package demo

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/devcluster"
)

// payOutcome is what a payment started in the background returned.
type payOutcome struct {
	res node.PayToResult
	err error
}

// payAsync starts a routed payment and returns where its outcome will arrive.
func (rr *routedRun) payAsync(ctx context.Context, payer, payee int, amount *big.Int, hash [32]byte) <-chan payOutcome {
	out := make(chan payOutcome, 1)
	go func() {
		res, err := rr.pay(ctx, payer, payee, amount, nil, hash)
		out <- payOutcome{res, err}
	}()
	return out
}

// pending says whether a background payment has not returned yet.
func pending(ch <-chan payOutcome) (payOutcome, bool) {
	select {
	case o := <-ch:
		return o, false
	default:
		return payOutcome{}, true
	}
}

// await waits for a background payment's outcome.
func await(ctx context.Context, ch <-chan payOutcome) payOutcome {
	select {
	case o := <-ch:
		return o
	case <-ctx.Done():
		return payOutcome{err: ctx.Err()}
	}
}

// view is viewer's view of the channel between the hub and spoke.
func (rr *routedRun) view(ctx context.Context, viewer, spoke int) (node.ChannelView, error) {
	n := rr.node(viewer)
	if n == nil {
		return node.ChannelView{}, fmt.Errorf("demo: %s's node is stopped", routedNames[viewer])
	}
	return n.Channel(ctx, rr.chans[spoke])
}

// waitLocks waits until viewer sees exactly want pending locks from party A (the wallet
// on a wallet's channel, the hub on a merchant's).
func (rr *routedRun) waitLocks(ctx context.Context, viewer, spoke, want int, what string) error {
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return devcluster.WaitFor(wctx, what, func() (bool, error) {
		v, err := rr.view(ctx, viewer, spoke)
		return err == nil && len(v.Locks[0]) == want, nil
	})
}

// hubOffline: the hub goes offline while it holds a payment's locks. Carol pays cafe;
// cafe takes the hub's lock but is slow to reveal (the demo holds its reveal back), so the
// hub holds carol's lock and its own to cafe when it stops. The hub restarts from its
// datadir, cafe's reveal (re-sent every 2 s) reaches it, the hub unlocks to cafe and
// reveals to carol, and carol's payment completes: nothing was lost while it was down.
func (rr *routedRun) hubOffline(ctx context.Context) error {
	amount := new(big.Int).Div(ether(1), big.NewInt(50)) // 0.02 ETH
	hash, err := rr.invoice(ctx, rCafe, amount)
	if err != nil {
		return err
	}
	rr.stage("hub offline mid-payment: carol pays cafe 0.02 ETH; cafe is slow to reveal the secret (the demo holds its reveal back)")
	rr.withhold[rCafe].Store(true)
	res := rr.payAsync(ctx, rCarol, rCafe, amount, hash)
	if err := rr.waitLocks(ctx, rHub, rCarol, 1, "the hub holds carol's lock"); err != nil {
		return err
	}
	if err := rr.waitLocks(ctx, rCafe, rCafe, 1, "cafe holds the hub's lock"); err != nil {
		return err
	}
	rr.stage("the hub holds carol's lock, cafe holds the hub's; the hub goes OFFLINE (stopped, datadir kept)")
	if err := rr.c.Stop(rHub); err != nil {
		return err
	}
	_, waiting := pending(res)
	rr.withhold[rCafe].Store(false)
	rr.stage("the hub restarts from its datadir; cafe's reveal now gets through")
	if err := rr.c.Restart(ctx, rHub); err != nil {
		return err
	}
	o := await(ctx, res)
	ok := waiting && o.err == nil && o.res.Payment.Unlocked
	outcome := fmt.Sprintf("carol's payment completed after the hub's restart (fee %v)", o.res.Route.Fee)
	if ok {
		rr.book(rCarol, rCafe, amount, o.res.Route.Fee)
	} else {
		outcome = fmt.Sprintf("pending while the hub was down: %v; outcome %v", waiting, o.err)
	}
	rr.stage("  %s", outcome)
	rr.out.Cases = append(rr.out.Cases, CaseRow{Case: "hub offline holding the locks", Outcome: outcome, OK: ok})
	rr.check("hub offline mid-payment: the payment completes after its restart", ok, "%s", outcome)
	return nil
}

// neverReleased: a merchant that never releases the secret. Dave pays shop; shop's node
// takes the hub's lock but its reveals are held back for good, and it registers nothing on
// chain. Chain time then passes every expiration at once: the hub expires its lock to
// shop, dave his to the hub, dave's payment fails with ErrRouteFailed (route_expired over
// the API) and every balance is back to the wei.
func (rr *routedRun) neverReleased(ctx context.Context) error {
	amount := new(big.Int).Div(ether(3), big.NewInt(200)) // 0.015 ETH
	hash, err := rr.invoice(ctx, rShop, amount)
	if err != nil {
		return err
	}
	before, err := rr.balances(ctx, rDave, rShop)
	if err != nil {
		return err
	}
	rr.stage("merchant never releases: dave pays shop 0.015 ETH; shop keeps the secret (the demo holds back its reveals for good)")
	rr.withhold[rShop].Store(true)
	defer rr.withhold[rShop].Store(false)
	res := rr.payAsync(ctx, rDave, rShop, amount, hash)
	if err := rr.waitLocks(ctx, rShop, rShop, 1, "shop holds the hub's lock"); err != nil {
		return err
	}
	_, waiting := pending(res)
	jump := time.Duration(3*routedRevealMargin+2) * time.Second
	rr.stage("shop holds the hub's lock and keeps the secret; chain time jumps %s, past every lock's expiration", jump)
	if err := rr.c.AdvanceTime(jump); err != nil {
		return err
	}
	o := await(ctx, res)
	for _, s := range []int{rDave, rShop} {
		for _, v := range []int{rHub, s} {
			if err := rr.waitLocks(ctx, v, s, 0, "the expired locks removed"); err != nil {
				return err
			}
		}
	}
	after, err := rr.balances(ctx, rDave, rShop)
	if err != nil {
		return err
	}
	back := before == after
	ok := waiting && errors.Is(o.err, node.ErrRouteFailed) && back
	outcome := "locks expired on both hops; dave's payment failed, route expired (-32033 over the API); every balance back to the wei"
	if !ok {
		outcome = fmt.Sprintf("pending before expiry %v; outcome %v; balances back %v", waiting, o.err, back)
	}
	rr.stage("  %s", outcome)
	// The next payment follows at once: PayTo prices its lock from the chain's head, not
	// from a payer's view still behind the jump (node/pay_to_expiry.go).
	rr.out.Cases = append(rr.out.Cases, CaseRow{Case: "merchant never releases the secret", Outcome: outcome, OK: ok})
	rr.check("merchant never releases: every lock expires and every balance is back", ok,
		"pending before expiry %v; outcome %v; balances before %s, after %s", waiting, o.err, before, after)
	return nil
}

// balances renders both nodes' views of the off-chain balances of the spokes' channels
// with the hub, for an exact before/after comparison.
func (rr *routedRun) balances(ctx context.Context, spokes ...int) (string, error) {
	out := ""
	for _, s := range spokes {
		for _, v := range []int{rHub, s} {
			cv, err := rr.view(ctx, v, s)
			if err != nil {
				return "", err
			}
			out += fmt.Sprintf("%s@%s:%v/%v ", routedNames[s], routedNames[v], cv.Balance[0], cv.Balance[1])
		}
	}
	return out, nil
}
