package contracts_test

import "math/big"

// honestView is what the honest party H of one channel knows and is entitled to, written from
// the protocol's definition (DESIGN.md §4-§5), never from the contract's code and never from
// the proof slots the contract stores. The adversary test checks the contract against it.
//
// H follows the off-chain rules: it pays only within its balance, accepts a partner's proof
// only if its nonce is the last one plus 1, its amount is larger and the partner's balance
// stays >= 0, co-signs a withdrawal only within the withdrawer's balance and counts every
// withdrawal it has co-signed as spent (executed or not, expired or not: conservative), and
// after signing a Settlement it pays, accepts and deposits nothing more.
type honestView struct {
	deposit   [2]*big.Int // credited on chain on each side ([0] = H, [1] = M), whoever paid
	withdrawn [2]*big.Int // executed on chain
	reserved  [2]*big.Int // largest total H co-signed for each side (>= withdrawn)
	paid      proof       // the largest proof H ever signed (highest nonce and amount)
	received  proof       // the best proof of M's payments H accepted
	// signedBalance is H's side of the Settlement H co-signed, nil if none.
	signedBalance *big.Int
}

func newHonestView() *honestView {
	z := func() *big.Int { return new(big.Int) }
	return &honestView{
		deposit:   [2]*big.Int{z(), z()},
		withdrawn: [2]*big.Int{z(), z()},
		reserved:  [2]*big.Int{z(), z()},
		paid:      proof{transferred: z()},
		received:  proof{transferred: z()},
	}
}

// frozen reports whether H has signed a Settlement and so takes part in nothing more.
func (v *honestView) frozen() bool { return v.signedBalance != nil }

// spendable is side s's balance by H's conservative off-chain rules: every co-signed
// withdrawal counts as spent.
func (v *honestView) spendable(s int) *big.Int {
	out := new(big.Int).Sub(v.deposit[s], v.reserved[s])
	if s == 0 {
		return out.Sub(out, v.paid.transferred).Add(out, v.received.transferred)
	}
	return out.Sub(out, v.received.transferred).Add(out, v.paid.transferred)
}

// canPay reports whether H may raise what it has paid to transferred.
func (v *honestView) canPay(transferred *big.Int) bool {
	if v.frozen() || transferred.Cmp(v.paid.transferred) <= 0 {
		return false
	}
	extra := new(big.Int).Sub(transferred, v.paid.transferred)
	return extra.Cmp(v.spendable(0)) <= 0
}

// accepts is the payee's validation of a Pay (DESIGN.md §5).
func (v *honestView) accepts(nonce uint64, transferred *big.Int) bool {
	if v.frozen() || v.received.nonce == ^uint64(0) || nonce != v.received.nonce+1 {
		return false
	}
	if transferred.Cmp(v.received.transferred) <= 0 {
		return false
	}
	extra := new(big.Int).Sub(transferred, v.received.transferred)
	return extra.Cmp(v.spendable(1)) <= 0
}

// canCoSignWithdrawal reports whether H co-signs side s's cumulative withdrawal total.
func (v *honestView) canCoSignWithdrawal(s int, total *big.Int) bool {
	if v.frozen() || total.Cmp(v.reserved[s]) <= 0 {
		return false
	}
	extra := new(big.Int).Sub(total, v.reserved[s])
	return extra.Cmp(v.spendable(s)) <= 0
}

// total is what the channel holds by the deposits and withdrawals that reached the chain.
func (v *honestView) total() *big.Int {
	t := new(big.Int).Add(v.deposit[0], v.deposit[1])
	return t.Sub(t.Sub(t, v.withdrawn[0]), v.withdrawn[1])
}

// ownBalance is H's balance by the protocol: its deposits, less what it withdrew and the most
// it ever signed away, plus the best payment it accepted.
func (v *honestView) ownBalance() *big.Int {
	b := new(big.Int).Sub(v.deposit[0], v.withdrawn[0])
	return b.Sub(b, v.paid.transferred).Add(b, v.received.transferred)
}

// entitlement is the least H must be paid when the channel settles: what it signed in a
// cooperative close, otherwise its balance by the protocol (H defends in time with its best
// proof, and nothing M signs or submits can make H pay more than H signed), clamped into
// [0, total].
func (v *honestView) entitlement(cooperative bool) *big.Int {
	if cooperative {
		return new(big.Int).Set(v.signedBalance)
	}
	b := v.ownBalance()
	if b.Sign() < 0 {
		return new(big.Int)
	}
	if t := v.total(); b.Cmp(t) > 0 {
		return t
	}
	return b
}
