package demo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/sluicepay/sluice/routing"
)

// payments: every wallet pays the merchants in turn, the three wallets at once. Each
// payment's fee must be the hub's policy applied to the amount, computed here. Then a
// payment whose maxFee is one wei short of the quote is refused with nothing locked.
func (rr *routedRun) payments(ctx context.Context) error {
	rr.stage("routed payments: carol, dave and erin each pay shop and cafe %d times in turn, by address, through the hub", routedPerWallet)
	type done struct {
		row RoutedRow
		err error
	}
	results := make(chan done, len(routedWallets)*routedPerWallet)
	var wg sync.WaitGroup
	start := time.Now()
	for wi, w := range routedWallets {
		rng := rand.New(rand.NewPCG(rr.cfg.Seed, uint64(100+wi)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range routedPerWallet {
				m := routedMerchants[(wi+k)%len(routedMerchants)]
				row, err := rr.payOnce(ctx, w, m, routedAmount(rng))
				results <- done{row, err}
			}
		}()
	}
	wg.Wait()
	close(results)
	fee := routedFee()
	ok, feesOK := 0, 0
	var first error
	for d := range results {
		rr.out.Payments = append(rr.out.Payments, d.row)
		if d.err != nil {
			if first == nil {
				first = d.err
			}
			continue
		}
		ok++
		if d.row.Fee == fee.Fee(mustInt(d.row.Amount)).String() && d.row.Hops == 2 {
			feesOK++
		}
	}
	slices.SortStableFunc(rr.out.Payments, func(a, b RoutedRow) int { return cmp.Compare(a.From, b.From) })
	n := len(routedWallets) * routedPerWallet
	rr.stage("routed payments done: %d of %d unlocked in %s", ok, n, time.Since(start).Round(time.Millisecond))
	rr.check("every routed payment unlocked", ok == n, "%d of %d; first failure: %v", ok, n, first)
	rr.check("every routed payment's fee is the hub's policy", feesOK == n, "%d of %d over 2 hops paid %s", feesOK, n, fee)
	return rr.feeTooLow(ctx)
}

// payOnce makes one routed payment with the payee's invoice and books it when unlocked.
func (rr *routedRun) payOnce(ctx context.Context, payer, payee int, amount *big.Int) (RoutedRow, error) {
	row := RoutedRow{From: routedNames[payer], To: routedNames[payee], Amount: amount.String()}
	hash, err := rr.invoice(ctx, payee, amount)
	if err != nil {
		return row, err
	}
	res, err := rr.pay(ctx, payer, payee, amount, nil, hash)
	if res.Route.Fee != nil {
		row.Fee, row.Hops = res.Route.Fee.String(), len(res.Route.Hops)
	}
	if err == nil && !res.Payment.Unlocked {
		err = errors.New("finished without unlock")
	}
	if err != nil {
		row.Outcome = err.Error()
		return row, fmt.Errorf("%s pays %s: %w", row.From, row.To, err)
	}
	row.OK, row.Outcome = true, "unlocked"
	rr.book(payer, payee, amount, res.Route.Fee)
	return row, nil
}

// feeTooLow asks for a route with maxFee one wei below the quote: refused before
// anything is locked (sluice_pay answers fee_too_high, -32029).
func (rr *routedRun) feeTooLow(ctx context.Context) error {
	amount := ether(1)
	amount.Div(amount, big.NewInt(100))
	short := new(big.Int).Sub(routedFee().Fee(amount), big.NewInt(1))
	hash, err := rr.invoice(ctx, rShop, amount)
	if err != nil {
		return err
	}
	before, err := rr.view(ctx, rDave, rDave)
	if err != nil {
		return err
	}
	_, perr := rr.pay(ctx, rDave, rShop, amount, short, hash)
	after, err := rr.view(ctx, rDave, rDave)
	if err != nil {
		return err
	}
	same := after.Sent[0].Nonce == before.Sent[0].Nonce && len(after.Locks[0]) == 0
	rr.stage("dave pays shop 0.01 ETH with maxFee %s wei, one wei short of the fee: %v", short, perr)
	ok := errors.Is(perr, routing.ErrFeeTooHigh) && same
	rr.out.Cases = append(rr.out.Cases, CaseRow{Case: "maxFee one wei below the quote", Outcome: "refused before paying: fee_too_high (-32029 over the API); nothing signed, nothing locked", OK: ok})
	rr.check("maxFee too low: refused before anything is locked", ok, "error %v; dave's proof #%d -> #%d, %d locks", perr, before.Sent[0].Nonce, after.Sent[0].Nonce, len(after.Locks[0]))
	return nil
}

func mustInt(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return new(big.Int)
	}
	return v
}
