package contracts_test

import (
	"math"
	"math/big"
	"time"

	"github.com/sluicepay/sluice/contracts/devchain"
)

// The moves from the close on: the attacker's closes and updates, the third party's, H's
// defense, settlement and claims.

// challengePeriod interleaves the attacker's and the third party's moves with H's defense,
// all before the deadline.
func (s *advSequence) challengePeriod() {
	steps := s.r.IntN(10)
	defendAt := s.r.IntN(steps + 1)
	for i := 0; i <= steps && s.status == 2; i++ {
		if i == defendAt {
			s.defend(i == steps && s.r.IntN(4) == 0)
		}
		if i < steps {
			s.closingStep()
		}
	}
}

// defend submits H's best received proof, itself or through a tower with its endorsement;
// lastSecond puts it in the block at the deadline itself.
func (s *advSequence) defend(lastSecond bool) {
	p := s.v.received
	if p.nonce == 0 || (s.defended && s.r.IntN(3) != 0) {
		return
	}
	if lastSecond && s.now() < s.deadline {
		s.c.setNextTimestamp(s.deadline)
	}
	if s.now()+1 > s.deadline {
		s.violate("harness: H's defense came after the deadline %d", s.deadline)
		return
	}
	e := s.c.e
	var ok bool
	if !s.hSigns() || s.r.IntN(2) == 0 {
		_, ok = s.do("defend(H updateProof)", s.H, nil, e.sc.PackUpdateProof(s.id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig))
	} else {
		end := s.c.endorsement(s.H.Key, s.id, p)
		s.endorsed = append(s.endorsed, advEndorsed{p: p, sig: end})
		_, ok = s.do("defend(T updateProofFor with H's endorsement)", s.T, nil,
			e.sc.PackUpdateProofFor(s.id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig, end))
	}
	if ok {
		s.defended = true
	}
}

// bogusClose tries closes that must fail: M with a proof of its own payments, M with nonce 0
// and a signature, T at all. One that succeeds is a violation and starts the period.
func (s *advSequence) bogusClose() {
	e := s.c.e
	var from devchain.Account
	var data []byte
	switch s.r.IntN(3) {
	case 0:
		p := s.junkProof()
		s.mSigned = append(s.mSigned, p)
		from, data = s.M, e.sc.PackClose(s.id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig)
	case 1:
		from, data = s.M, e.sc.PackClose(s.id, 0, new(big.Int), new(big.Int), [32]byte{}, s.c.proof(s.H.Key, s.id, 0, new(big.Int)).sig)
	default:
		p := s.v.received
		from, data = s.T, e.sc.PackClose(s.id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig)
	}
	rec, ok := s.do("bogus close", from, nil, data)
	if ok {
		s.violate("a close by %s with a proof its partner did not sign succeeded", s.name(from))
		s.status = 2
		s.deadline = findEvent(e.t, rec, e.sc.UnpackChannelClosedEvent).SettleAfter
	}
}

// eraser is a fresh proof M signs to erase what it paid: a higher nonce, a low amount.
func (s *advSequence) eraser() proof {
	nonces := []uint64{s.v.received.nonce + 1, s.v.received.nonce + 1 + uint64(s.r.IntN(1_000_000)), math.MaxUint64}
	amount := new(big.Int)
	if s.r.IntN(3) == 0 {
		amount = s.upTo(s.v.received.transferred)
		if amount == nil {
			amount = new(big.Int)
		}
		amount.Rsh(amount, 1)
	}
	p := s.c.proof(s.M.Key, s.id, nonces[s.r.IntN(len(nonces))], amount)
	s.mSigned = append(s.mSigned, p)
	return p
}

// mProof picks a proof of M's payments for an attack: a fresh eraser or any it signed.
func (s *advSequence) mProof() advProof {
	if len(s.mSigned) == 0 || s.r.IntN(2) == 0 {
		return advProof{proof: s.eraser()}
	}
	return advProof{proof: s.mSigned[s.r.IntN(len(s.mSigned))]}
}

// anyProof picks any proof M holds, of either side's payments.
func (s *advSequence) anyProof() advProof {
	if len(s.hSigned) > 0 && s.r.IntN(2) == 0 {
		return advProof{proof: s.hSigned[s.r.IntN(len(s.hSigned))], byH: true}
	}
	return s.mProof()
}

// forgedEndorsement is anything but H's endorsement of p: M's or T's signature over it, or
// an endorsement H gave for another proof.
func (s *advSequence) forgedEndorsement(p proof) []byte {
	switch s.r.IntN(3) {
	case 0:
		return s.c.endorsement(s.M.Key, s.id, p)
	case 1:
		return s.c.endorsement(s.T.Key, s.id, p)
	}
	if len(s.endorsed) > 0 {
		return s.endorsed[s.r.IntN(len(s.endorsed))].sig
	}
	return s.c.endorsement(s.H.Key, s.id, proof{nonce: p.nonce + 1, transferred: p.transferred})
}

// closingStep is one random move during the challenge period.
func (s *advSequence) closingStep() {
	e := s.c.e
	actors := []devchain.Account{s.H, s.M, s.T}
	switch n := s.r.IntN(100); {
	case n < 30:
		s.update("updateProof(M, any proof)", s.M, s.anyProof(), nil)
	case n < 45:
		p := s.mProof()
		s.update("updateProofFor(M's proof, forged endorsement)", actors[1+s.r.IntN(2)], p, s.forgedEndorsement(p.proof))
	case n < 52:
		if len(s.hSigned) > 0 {
			p := advProof{proof: s.hSigned[s.r.IntN(len(s.hSigned))], byH: true}
			s.update("updateProofFor(H's proof, M's endorsement)", s.T, p, s.c.endorsement(s.M.Key, s.id, p.proof))
		}
	case n < 60:
		if len(s.endorsed) > 0 {
			x := s.endorsed[s.r.IntN(len(s.endorsed))]
			s.update("updateProofFor(replayed H endorsement)", actors[1+s.r.IntN(2)], advProof{proof: x.p}, x.sig)
		}
	case n < 67:
		s.update("updateProof(T, any proof)", s.T, s.anyProof(), nil)
	case n < 75:
		if _, ok := s.do("settle early", actors[s.r.IntN(3)], nil, e.sc.PackSettle(s.id)); ok {
			s.violate("settle before the deadline %d succeeded", s.deadline)
			s.status = 3
		}
	case n < 80:
		s.submitWithdrawal()
	case n < 85:
		s.deposit()
	case n < 90:
		s.do("close again", actors[s.r.IntN(2)], nil, e.sc.PackClose(s.id, 0, new(big.Int), new(big.Int), [32]byte{}, nil))
	default:
		// Time passes, leaving H room to defend.
		if left := int64(s.deadline) - int64(s.now()); left > 80 {
			e.advance(time.Duration(1+s.r.Int64N(left-60)) * time.Second)
			s.logf("time +")
		}
	}
}

// lateUpdate tries updates after the deadline: M's eraser, H's best proof again.
func (s *advSequence) lateUpdate() {
	if s.r.IntN(2) == 0 {
		s.update("late updateProof(M's eraser)", s.M, advProof{proof: s.eraser()}, nil)
		return
	}
	if p := s.v.received; p.nonce > 0 {
		s.update("late updateProof(H's best)", s.H, advProof{proof: p}, nil)
	}
}

// afterDeadline moves past the deadline and settles, early attempts included, then tries
// to settle again.
func (s *advSequence) afterDeadline() {
	e := s.c.e
	if s.status != 2 {
		return
	}
	if now := s.now(); now < s.deadline && s.r.IntN(4) == 0 {
		// The deadline's own second still belongs to the challenge period.
		s.c.setNextTimestamp(s.deadline)
		if _, ok := s.do("settle at the deadline", s.T, nil, e.sc.PackSettle(s.id)); ok {
			s.violate("settle in the block at the deadline %d succeeded", s.deadline)
			s.status = 3
			return
		}
	}
	if now := s.now(); now <= s.deadline {
		e.advance(time.Duration(s.deadline-now+1+uint64(s.r.IntN(60))) * time.Second)
	}
	actors := []devchain.Account{s.H, s.M, s.T}
	if s.r.IntN(3) == 0 {
		s.lateUpdate()
	}
	if _, ok := s.do("settle", actors[s.r.IntN(3)], nil, e.sc.PackSettle(s.id)); !ok {
		s.violate("settle after the challenge period reverted")
		return
	}
	s.status = 3
}

// lateMoves replays what should all fail on a settled channel: a second settle, updates,
// withdrawals, deposits, closes.
func (s *advSequence) lateMoves() {
	e := s.c.e
	actors := []devchain.Account{s.H, s.M, s.T}
	for range s.r.IntN(4) {
		switch s.r.IntN(5) {
		case 0:
			s.do("settle again", actors[s.r.IntN(3)], nil, e.sc.PackSettle(s.id))
		case 1:
			s.lateUpdate()
		case 2:
			s.submitWithdrawal()
		case 3:
			s.deposit()
		case 4:
			s.do("close after settlement", s.M, nil, e.sc.PackClose(s.id, 0, new(big.Int), new(big.Int), [32]byte{}, nil))
		}
	}
}

// claims lets every party claim what failed to reach it, and someone claim nothing.
func (s *advSequence) claims() {
	e := s.c.e
	for i, a := range []devchain.Account{s.H, s.M, s.T} {
		who := a.Address
		if i == 0 {
			who = s.addr(0)
		}
		if e.claimable(who, s.token).Sign() == 0 {
			continue
		}
		if who == s.hWallet {
			s.c.send(s.H, s.hWallet, nil, rejecting.PackSetAccepting(true))
			s.do("claim(H's refusing wallet)", a, nil, e.sc.PackClaim(s.token))
			s.c.send(s.H, s.hWallet, nil, rejecting.PackSetAccepting(false))
			continue
		}
		s.do("claim", a, nil, e.sc.PackClaim(s.token))
	}
	if s.r.IntN(4) == 0 {
		s.do("claim nothing", s.T, nil, e.sc.PackClaim(s.token))
	}
}
