package demo

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
)

// books is the demo's own record: what each side paid on each channel (counted from
// acknowledged payments) and every account's balances before the first channel operation.
type books struct {
	paid      map[channel.ID]*[2]*big.Int
	ethBefore [3]*big.Int
	tokBefore [3]*big.Int
}

func (r *run) address(role int) common.Address { return r.c.Member(role).Address }

func (r *run) snapshotBalances(ctx context.Context) error {
	eth, tok, err := r.balancesAt(ctx, r.baseline)
	r.books.ethBefore, r.books.tokBefore = eth, tok
	return err
}

// balancesAt reads every role's ETH and TST balance at block, from the chain.
func (r *run) balancesAt(ctx context.Context, block uint64) (eth, tok [3]*big.Int, err error) {
	cl := r.c.Chain().Client()
	num := new(big.Int).SetUint64(block)
	for i := range roleNames {
		addr := r.address(i)
		if eth[i], err = cl.BalanceAt(ctx, addr, num); err != nil {
			return eth, tok, fmt.Errorf("demo: ETH balance of %s: %w", roleNames[i], err)
		}
		// Token balances are read at the head; verify calls this only once nothing moves.
		if tok[i], err = r.c.Funder().TokenBalance(ctx, r.token, addr); err != nil {
			return eth, tok, fmt.Errorf("demo: TST balance of %s: %w", roleNames[i], err)
		}
	}
	return eth, tok, nil
}

// checkLedgers records what each side paid and checks that both nodes of each channel
// hold exactly that as the latest signed cumulative amounts.
func (r *run) checkLedgers(ctx context.Context, l loadResult) error {
	r.books.paid = map[channel.ID]*[2]*big.Int{
		r.eth: {l.paid[0], l.paid[1]},
		r.tok: {l.paid[2], l.paid[3]},
	}
	for _, pair := range []struct {
		id      channel.ID
		name    string
		parties [2]int
	}{{r.eth, "hub<->alice", [2]int{hub, alice}}, {r.tok, "hub<->bob", [2]int{hub, bob}}} {
		want := r.books.paid[pair.id]
		for _, role := range pair.parties {
			v, err := r.node(role).Channel(ctx, pair.id)
			if err != nil {
				return err
			}
			for p := range 2 {
				got := v.Sent[p].Transferred
				r.rep.check(fmt.Sprintf("%s: %s's node agrees on what %s paid", pair.name, roleNames[role], roleNames[pair.parties[p]]),
					got != nil && got.Cmp(want[p]) == 0, "node %v, acknowledged payments %s", got, want[p])
			}
		}
	}
	return nil
}

// fees sums, per role, what its transactions in blocks (from, to] cost in gas, reverted
// ones included: the only ETH an account loses besides its deposits.
func (r *run) fees(ctx context.Context, from, to uint64) ([3]*big.Int, error) {
	cl := r.c.Chain().Client()
	var out [3]*big.Int
	for i := range out {
		out[i] = new(big.Int)
	}
	signer := types.LatestSignerForChainID(r.c.Chain().ChainID())
	for b := from + 1; b <= to; b++ {
		blk, err := cl.BlockByNumber(ctx, new(big.Int).SetUint64(b))
		if err != nil {
			return out, fmt.Errorf("demo: block %d: %w", b, err)
		}
		for _, tx := range blk.Transactions() {
			sender, err := types.Sender(signer, tx)
			if err != nil {
				return out, fmt.Errorf("demo: sender of %s: %w", tx.Hash(), err)
			}
			role := r.roleOf(sender)
			if role < 0 {
				continue
			}
			rc, err := cl.TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				return out, fmt.Errorf("demo: receipt of %s: %w", tx.Hash(), err)
			}
			fee := new(big.Int).Mul(new(big.Int).SetUint64(rc.GasUsed), rc.EffectiveGasPrice)
			out[role].Add(out[role], fee)
		}
	}
	return out, nil
}

func (r *run) roleOf(addr common.Address) int {
	for i := range roleNames {
		if r.address(i) == addr {
			return i
		}
	}
	return -1
}
