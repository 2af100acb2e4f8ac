package audit

import (
	"context"
	"math/big"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Holding is the solvency verdict for one token (address(0) = ETH): what the contract
// holds against what it owes.
type Holding struct {
	Token common.Address
	// Locked is deposits minus withdrawals over every open and closing channel.
	Locked *big.Int
	// Credits is what failed payouts credited and nobody claimed yet.
	Credits *big.Int
	// Held is the contract's balance of the token at the audited block.
	Held     *big.Int
	Solvent  bool
	Channels int // open and closing channels in this token
}

// Owed is Locked + Credits.
func (h Holding) Owed() *big.Int { return new(big.Int).Add(h.Locked, h.Credits) }

// checkSolvency sums what the contract owes per token and compares it with what it holds
// at block, and checks every tracked credit against claimable().
func checkSolvency(ctx context.Context, chain *chainReader, l *ledger, block uint64, found *findings) ([]Holding, error) {
	byToken := map[common.Address]*Holding{{}: newHolding(common.Address{})}
	get := func(t common.Address) *Holding {
		h, ok := byToken[t]
		if !ok {
			h = newHolding(t)
			byToken[t] = h
		}
		return h
	}
	for _, r := range l.order {
		h := get(r.token)
		if r.status == channel.StatusOpen || r.status == channel.StatusClosing {
			h.Locked.Add(h.Locked, r.locked())
			h.Channels++
		}
	}
	for t, held := range l.heldByToken() {
		get(t).Locked.Add(get(t).Locked, held)
	}
	keys := make([]creditKey, 0, len(l.credits))
	for k, v := range l.credits {
		get(k.token).Credits.Add(get(k.token).Credits, v)
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b creditKey) int {
		if c := a.account.Cmp(b.account); c != 0 {
			return c
		}
		return a.token.Cmp(b.token)
	})
	if len(keys) > 0 {
		onChain, err := chain.claimables(ctx, keys, block)
		if err != nil {
			return nil, err
		}
		for i, k := range keys {
			if onChain[i].Cmp(l.credits[k]) != 0 {
				found.fail(at{block: block}.finding(CodeViewMismatch, "claimable(%s, %s) is %s, the Credited and Claimed events leave %s",
					k.account, tokenName(k.token), onChain[i], l.credits[k]))
			}
		}
	}
	tokens := make([]common.Address, 0, len(byToken))
	for t := range byToken {
		tokens = append(tokens, t)
	}
	slices.SortFunc(tokens, func(a, b common.Address) int { return strings.Compare(a.Hex(), b.Hex()) })
	held, err := chain.holdings(ctx, tokens, block)
	if err != nil {
		return nil, err
	}
	out := make([]Holding, len(tokens))
	for i, t := range tokens {
		h := byToken[t]
		h.Held = held[i]
		owed := h.Owed()
		h.Solvent = h.Held.Cmp(owed) >= 0
		where := at{block: block}
		switch {
		case !h.Solvent:
			found.fail(where.finding(CodeInsolvent, "the contract holds %s %s but owes %s (%s locked in %d channels + %s credits): short by %s",
				h.Held, tokenName(t), owed, h.Locked, h.Channels, h.Credits, new(big.Int).Sub(owed, h.Held)))
		case h.Held.Cmp(owed) > 0:
			found.warn(where.finding(CodeSurplus, "the contract holds %s %s, owes %s: %s more, sent to it outside any channel",
				h.Held, tokenName(t), owed, new(big.Int).Sub(h.Held, owed)))
		}
		out[i] = *h
	}
	return out, nil
}

func newHolding(t common.Address) *Holding {
	return &Holding{Token: t, Locked: new(big.Int), Credits: new(big.Int)}
}
