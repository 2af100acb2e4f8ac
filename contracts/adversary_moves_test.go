package contracts_test

import (
	"bytes"
	"math"
	"math/big"

	"github.com/sluicepay/sluice/contracts/devchain"
)

// The moves of the open channel: payments, deposits, withdrawals, cooperative close.

// hPays has H pay M a random amount within H's balance.
func (s *advSequence) hPays() {
	if !s.hSigns() {
		return
	}
	x := s.upTo(s.v.spendable(0))
	if x == nil {
		return
	}
	next := new(big.Int).Add(s.v.paid.transferred, x)
	if !s.v.canPay(next) {
		return
	}
	p := s.c.proof(s.H.Key, s.id, s.v.paid.nonce+1, next)
	s.v.paid = p
	s.hSigned = append(s.hSigned, p)
	s.tally["off-chain H pays"]++
	s.logf("H pays: nonce %d transferred %s", p.nonce, p.transferred)
}

// mPaysHonestly has M send H the next proof within M's balance.
func (s *advSequence) mPaysHonestly() {
	x := s.upTo(s.v.spendable(1))
	if x == nil || s.v.received.nonce == math.MaxUint64 {
		return
	}
	p := s.c.proof(s.M.Key, s.id, s.v.received.nonce+1, new(big.Int).Add(s.v.received.transferred, x))
	s.mSigned = append(s.mSigned, p)
	s.offer(p)
}

// offer hands H a proof of M's payments; H keeps it only if the protocol says so.
func (s *advSequence) offer(p proof) {
	if s.v.accepts(p.nonce, p.transferred) {
		s.v.received = p
		s.tally["off-chain H accepts"]++
		s.logf("H accepts M's proof: nonce %d transferred %s", p.nonce, p.transferred)
		return
	}
	s.tally["off-chain H rejects"]++
	s.logf("H rejects M's proof: nonce %d transferred %s", p.nonce, p.transferred)
}

var (
	maxUint128 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
)

// junkProof is a proof M signs with any nonce and amount: repeats, gaps, huge nonces, zero,
// over-balance and over-uint128 amounts.
func (s *advSequence) junkProof() proof {
	last := s.v.received
	nonces := []uint64{last.nonce, last.nonce + 1, last.nonce + 2 + uint64(s.r.IntN(1000)), math.MaxUint64,
		math.MaxUint64 - 1, 1 << 63, s.r.Uint64(), 1}
	over := new(big.Int).Add(s.v.spendable(1), last.transferred)
	amounts := []*big.Int{new(big.Int), new(big.Int).Set(last.transferred), over.Add(over, milli(1+s.r.Int64N(1000))),
		maxUint128, new(big.Int).Add(maxUint128, big.NewInt(1)), maxUint256, milli(s.r.Int64N(100))}
	nonce := nonces[s.r.IntN(len(nonces))]
	if nonce == 0 {
		nonce = 1
	}
	return s.c.proof(s.M.Key, s.id, nonce, amounts[s.r.IntN(len(amounts))])
}

// mSignsJunk has M sign a junk proof and keep it, offering it to H if offer.
func (s *advSequence) mSignsJunk(offer bool) {
	p := s.junkProof()
	s.mSigned = append(s.mSigned, p)
	if offer {
		s.offer(p)
	} else {
		s.logf("M signs and keeps: nonce %d transferred %s", p.nonce, p.transferred)
	}
}

// deposit has H (for itself), M (for either side) or T (for either side) top up.
func (s *advSequence) deposit() {
	side := s.r.IntN(2)
	var from devchain.Account
	switch s.r.IntN(3) {
	case 0:
		if s.v.frozen() {
			return
		}
		from, side = s.H, 0
	case 1:
		from = s.M
	default:
		from = s.T
	}
	s.depositFrom(from, side)
}

// depositFrom has from top up side with a random amount.
func (s *advSequence) depositFrom(from devchain.Account, side int) {
	e := s.c.e
	amount := milli(1 + s.r.Int64N(5000))
	if _, ok := s.do("deposit("+s.name(from)+")", from, s.ethValue(amount), e.sc.PackDeposit(s.id, s.addr(side), amount)); ok {
		s.credit(from, side, amount)
		if from.Address != s.T.Address && s.settlement != nil {
			s.totalTouched = true
		}
	}
}

// requestWithdrawal negotiates a Withdrawal: H for itself (M may refuse), or M for any
// amount (H co-signs only within M's balance). Some are submitted at once, the rest kept.
func (s *advSequence) requestWithdrawal() {
	if s.v.frozen() || s.status != 1 || !s.hSigns() {
		return
	}
	side := s.r.IntN(2)
	var x *big.Int
	if side == 0 || s.r.IntN(3) != 0 {
		x = s.upTo(s.v.spendable(side))
	} else {
		x = new(big.Int).Add(s.v.spendable(side), milli(1+s.r.Int64N(1000)))
	}
	if x == nil {
		return
	}
	total := new(big.Int).Add(s.v.reserved[side], x)
	if !s.v.canCoSignWithdrawal(side, total) {
		s.tally["off-chain H refuses withdrawal"]++
		s.logf("H refuses to co-sign a withdrawal of %s for M", total)
		return
	}
	expiry := s.now() + 30 + uint64(s.r.IntN(600))
	hSig := s.c.withdrawalSig(s.H.Key, s.id, s.addr(side), total, expiry)
	s.v.reserved[side] = total // H signed: M can always add its own signature
	if side == 0 && s.r.IntN(4) == 0 {
		s.logf("M refuses to co-sign H's withdrawal of %s", total)
		return
	}
	mSig := s.c.withdrawalSig(s.M.Key, s.id, s.addr(side), total, expiry)
	sigA, sigB := s.ab(hSig, mSig)
	s.withdrawals = append(s.withdrawals, advWithdrawal{side: side, total: total, expiry: expiry, sigA: sigA, sigB: sigB})
	s.tally["off-chain withdrawal co-signed"]++
	s.logf("withdrawal co-signed: side %d total %s expiry %d", side, total, expiry)
	if s.r.IntN(2) == 0 {
		s.submitWithdrawalAt(len(s.withdrawals) - 1)
	}
}

// submitWithdrawal submits a co-signed withdrawal from the pocket, early, late or again.
func (s *advSequence) submitWithdrawal() {
	if len(s.withdrawals) > 0 {
		s.submitWithdrawalAt(s.r.IntN(len(s.withdrawals)))
	}
}

func (s *advSequence) submitWithdrawalAt(i int) {
	w := s.withdrawals[i]
	from := []devchain.Account{s.H, s.M, s.T}[s.r.IntN(3)]
	data := s.c.e.sc.PackWithdraw(s.id, s.addr(w.side), w.total, w.expiry, w.sigA, w.sigB)
	if _, ok := s.do("withdraw", from, nil, data); !ok {
		return
	}
	if w.total.Cmp(s.v.withdrawn[w.side]) <= 0 {
		s.violate("a withdrawal of total %s executed after total %s", w.total, s.v.withdrawn[w.side])
		return
	}
	s.withdrawnTo[w.side].Add(s.withdrawnTo[w.side], new(big.Int).Sub(w.total, s.v.withdrawn[w.side]))
	s.v.withdrawn[w.side] = new(big.Int).Set(w.total)
	if s.settlement != nil {
		s.totalTouched = true
	}
}

// cooperativeClose has H sign a Settlement on its balance by the protocol; M co-signs,
// signs something else, or refuses; the result is submitted now or kept.
func (s *advSequence) cooperativeClose() {
	if s.v.frozen() || s.status != 1 || !s.hSigns() {
		return
	}
	balH, total := s.v.ownBalance(), s.v.total()
	if balH.Sign() < 0 || balH.Cmp(total) > 0 {
		s.violate("harness: H's balance %s outside [0, %s]", balH, total)
		return
	}
	balM := new(big.Int).Sub(total, balH)
	balA, balB := s.abBig(balH, balM)
	hSig := s.c.settlementSig(s.H.Key, s.id, balA, balB)
	s.v.signedBalance = new(big.Int).Set(balH)
	s.tally["off-chain H signs Settlement"]++
	s.logf("H signs Settlement: H %s, M %s", balH, balM)
	switch s.r.IntN(6) {
	case 0:
		s.logf("M refuses to co-sign")
		return
	case 1:
		// M signs other balances; nobody can use the pair.
		wrong := s.c.settlementSig(s.M.Key, s.id, new(big.Int).Add(balA, big.NewInt(1)), balB)
		sigA, sigB := s.ab(hSig, wrong)
		if _, ok := s.do("closeCooperative with M's signature on other balances", s.M, nil,
			s.c.e.sc.PackCloseCooperative(s.id, balA, balB, sigA, sigB)); ok {
			s.violate("a Settlement M did not sign closed the channel")
			s.status, s.coop = 3, true
		}
		return
	}
	mSig := s.c.settlementSig(s.M.Key, s.id, balA, balB)
	sigA, sigB := s.ab(hSig, mSig)
	s.settlement = &[2][]byte{sigA, sigB}
	s.settleBal = [2]*big.Int{balA, balB}
	s.totalTouched = false
	if s.r.IntN(3) != 0 {
		if s.r.IntN(4) == 0 {
			// Someone who sees the closeCooperative in the mempool deposits first.
			s.depositFrom([]devchain.Account{s.M, s.T}[s.r.IntN(2)], s.r.IntN(2))
		}
		s.submitSettlement()
	}
}

// submitSettlement submits the co-signed Settlement, if any. A failure while the channel is
// open and no participant changed its total means someone else blocked a cooperative close.
func (s *advSequence) submitSettlement() {
	if s.settlement == nil {
		return
	}
	from := []devchain.Account{s.H, s.M, s.T}[s.r.IntN(3)]
	data := s.c.e.sc.PackCloseCooperative(s.id, s.settleBal[0], s.settleBal[1], s.settlement[0], s.settlement[1])
	if _, ok := s.do("closeCooperative", from, nil, data); ok {
		s.status = 3
		s.coop = true
		return
	}
	if s.status == 1 && !s.totalTouched {
		s.violate("a Settlement both parties signed on the channel's total was blocked though no participant changed it")
	}
}

// attackWhileOpen tries the challenge-period moves on an open channel.
func (s *advSequence) attackWhileOpen() {
	e := s.c.e
	switch s.r.IntN(3) {
	case 0:
		s.do("settle while open", []devchain.Account{s.H, s.M, s.T}[s.r.IntN(3)], nil, e.sc.PackSettle(s.id))
	case 1:
		p := s.junkProof()
		s.mSigned = append(s.mSigned, p)
		s.update("updateProof while open", s.M, advProof{proof: p}, nil)
	default:
		if len(s.hSigned) > 0 {
			p := s.hSigned[s.r.IntN(len(s.hSigned))]
			s.update("updateProof while open", s.M, advProof{proof: p, byH: true}, nil)
		}
	}
}

// update submits p with updateProof (endorsement nil) or updateProofFor and checks the
// protocol's consent rule: a proof of M's payments reaches the chain only from H or with
// H's endorsement of exactly that proof.
func (s *advSequence) update(action string, from devchain.Account, p advProof, endorsement []byte) bool {
	e := s.c.e
	var data []byte
	if endorsement == nil {
		data = e.sc.PackUpdateProof(s.id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig)
	} else {
		data = e.sc.PackUpdateProofFor(s.id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig, endorsement)
	}
	_, ok := s.do(action, from, nil, data)
	if ok && !p.byH && from.Address != s.H.Address && !s.endorsedByH(p.proof, endorsement) {
		s.violate("%s by %s recorded M's proof (nonce %d, transferred %s) without H's consent",
			action, s.name(from), p.nonce, p.transferred)
	}
	return ok
}

func (s *advSequence) endorsedByH(p proof, endorsement []byte) bool {
	return endorsement != nil && s.hSigns() && bytes.Equal(endorsement, s.c.endorsement(s.H.Key, s.id, p))
}
