package audit

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

// crossCheckViews compares every rebuilt channel with the contract's channel(id) view
// at block. The events are the record; a view that disagrees means the contract's
// storage and its events have drifted apart.
func crossCheckViews(ctx context.Context, chain *chainReader, l *ledger, block uint64, found *findings) error {
	const chunk = 1000
	for start := 0; start < len(l.order); start += chunk {
		part := l.order[start:min(start+chunk, len(l.order))]
		ids := make([]channel.ID, len(part))
		for i, r := range part {
			ids[i] = r.id
		}
		views, err := chain.views(ctx, ids, block)
		if err != nil {
			return err
		}
		for i, r := range part {
			if diffs := viewDiffs(r, views[i]); len(diffs) > 0 {
				found.fail(at{channel: &r.id, block: block}.finding(CodeViewMismatch,
					"channel(id) at block %d disagrees with the events: %s", block, strings.Join(diffs, "; ")))
			}
		}
	}
	return nil
}

// viewDiffs lists "field view X, events Y" for every field that differs. A settled
// channel's storage is cleared by the contract (only the status stays), so that is
// what the view must show.
func viewDiffs(r *rebuilt, v contracts.ChannelView) []string {
	var d []string
	addr := func(name string, got, want common.Address) {
		if got != want {
			d = append(d, fmt.Sprintf("%s view %s, events %s", name, got, want))
		}
	}
	amount := func(name string, got, want *big.Int) {
		if got.Cmp(want) != 0 {
			d = append(d, fmt.Sprintf("%s view %s, events %s", name, got, want))
		}
	}
	number := func(name string, got, want uint64) {
		if got != want {
			d = append(d, fmt.Sprintf("%s view %d, events %d", name, got, want))
		}
	}
	if v.Status != r.status {
		d = append(d, fmt.Sprintf("status view %s, events %s", v.Status, r.status))
	}
	zero := new(big.Int)
	if r.status == channel.StatusSettled {
		for name, x := range map[string]*big.Int{"depositA": v.DepositA, "depositB": v.DepositB, "withdrawnA": v.WithdrawnA,
			"withdrawnB": v.WithdrawnB, "transferredA": v.TransferredA, "transferredB": v.TransferredB} {
			amount(name+" (settled, cleared)", x, zero)
		}
		addr("a (settled, cleared)", v.A, common.Address{})
		addr("b (settled, cleared)", v.B, common.Address{})
		return d
	}
	addr("a", v.A, r.participants[0])
	addr("b", v.B, r.participants[1])
	addr("token", v.Token, r.token)
	number("challengePeriod", v.ChallengePeriod, r.challengePeriod)
	number("settleAfter", v.SettleAfter, r.settleAfter)
	amount("depositA", v.DepositA, r.deposit[0])
	amount("depositB", v.DepositB, r.deposit[1])
	amount("withdrawnA", v.WithdrawnA, r.withdrawn[0])
	amount("withdrawnB", v.WithdrawnB, r.withdrawn[1])
	number("nonceA", v.NonceA, r.nonce[0])
	number("nonceB", v.NonceB, r.nonce[1])
	amount("transferredA", v.TransferredA, r.transferred[0])
	amount("transferredB", v.TransferredB, r.transferred[1])
	return d
}
