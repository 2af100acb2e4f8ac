package channel

import (
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestPreparePaymentSignsNextCumulativeProof(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 100, 50)
	f.pay(t, s, PartyA, 10)
	before := s.Clone()

	p, err := s.PreparePayment(PartyA, big.NewInt(7), f.signers[PartyA])
	if err != nil {
		t.Fatal(err)
	}
	if d := stateDiff(before, s); d != "" {
		t.Fatalf("PreparePayment changed the state: %s", d)
	}
	if p.Channel != f.params.ID || p.Nonce != 2 || p.Transferred.Cmp(big.NewInt(17)) != 0 {
		t.Fatalf("proof = %s/%d/%s, want channel %s nonce 2 transferred 17", p.Channel, p.Nonce, p.Transferred, f.params.ID)
	}
	digest, _ := f.params.Domain.BalanceProofDigest(p.BalanceProof)
	if signer, err := Recover(digest, p.Sig); err != nil || signer != f.signers[PartyA].Address() {
		t.Fatalf("proof recovers to %s (%v), want payer %s", signer, err, f.signers[PartyA].Address())
	}
	// The payee, holding its own copy of the same channel, accepts it.
	payee := before.Clone()
	if o, err := payee.ApplyIncoming(PartyA, p); err != nil || o != OutcomeNew {
		t.Fatalf("payee ApplyIncoming = %v, %v; want new", o, err)
	}
}

func TestPreparePaymentRejects(t *testing.T) {
	f := newFixture(t)
	stranger := testSigner(t, 9)
	exhausted := func(t *testing.T) *State {
		sn := f.state(t, 100, 0).Snapshot()
		sn.Sides[PartyA].Sent = SignedProof{BalanceProof: BalanceProof{Channel: f.params.ID, Nonce: math.MaxUint64, Transferred: big.NewInt(1)}}
		s, err := Restore(sn)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	cases := []struct {
		name   string
		setup  func(t *testing.T) *State
		payer  Party
		amount *big.Int
		signer Signer
		want   error
	}{
		{"signer of the other party", nil, PartyA, big.NewInt(1), f.signers[PartyB], ErrWrongSigner},
		{"stranger signer", nil, PartyA, big.NewInt(1), stranger, ErrWrongSigner},
		{"nil signer", nil, PartyA, big.NewInt(1), nil, ErrWrongSigner},
		{"unknown party", nil, Party(2), big.NewInt(1), f.signers[PartyA], ErrNotParticipant},
		{"nil amount", nil, PartyA, nil, f.signers[PartyA], ErrInvalidAmount},
		{"zero amount", nil, PartyA, big.NewInt(0), f.signers[PartyA], ErrInvalidAmount},
		{"negative amount", nil, PartyA, big.NewInt(-1), f.signers[PartyA], ErrInvalidAmount},
		{"more than the balance", nil, PartyA, big.NewInt(101), f.signers[PartyA], ErrOverdraft},
		{"balance spent by earlier payments", func(t *testing.T) *State {
			s := f.state(t, 100, 50)
			f.pay(t, s, PartyA, 95)
			return s
		}, PartyA, big.NewInt(6), f.signers[PartyA], ErrOverdraft},
		{"balance reserved by a pending withdrawal", func(t *testing.T) *State {
			s := f.state(t, 100, 50)
			reserve(t, s, f.params.Participants[PartyA], 60, 1000)
			return s
		}, PartyA, big.NewInt(41), f.signers[PartyA], ErrOverdraft},
		{"cumulative above uint128", func(t *testing.T) *State {
			s := f.state(t, 0, 0)
			if err := s.ApplyDeposit(PartyA, MaxAmount()); err != nil {
				t.Fatal(err)
			}
			return s
		}, PartyA, new(big.Int).Add(MaxAmount(), big.NewInt(1)), f.signers[PartyA], ErrAmountTooLarge},
		// Issue 21, finding 2: the largest valid amount after an earlier payment is an
		// overdraft, as the payee classifies the proof, not an invalid (too large) amount.
		{"2^128-1 after an earlier payment", func(t *testing.T) *State {
			s := f.state(t, 100, 50)
			f.pay(t, s, PartyA, 10)
			return s
		}, PartyA, MaxAmount(), f.signers[PartyA], ErrOverdraft},
		{"channel closing", func(t *testing.T) *State {
			s := f.state(t, 100, 50)
			mustStatus(t, s, StatusClosing)
			return s
		}, PartyA, big.NewInt(1), f.signers[PartyA], ErrChannelNotOpen},
		{"settlement signed", func(t *testing.T) *State {
			s := f.state(t, 100, 50)
			commitSettlement(t, s)
			return s
		}, PartyA, big.NewInt(1), f.signers[PartyA], ErrSettlementSigned},
		{"nonce exhausted", exhausted, PartyA, big.NewInt(1), f.signers[PartyA], ErrNonceExhausted},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s *State
			if tc.setup != nil {
				s = tc.setup(t)
			} else {
				s = f.state(t, 100, 50)
			}
			before := s.Clone()
			_, err := s.PreparePayment(tc.payer, tc.amount, tc.signer)
			if !errors.Is(err, tc.want) {
				t.Fatalf("PreparePayment = %v, want %v", err, tc.want)
			}
			if d := stateDiff(before, s); d != "" {
				t.Fatalf("rejected payment changed %s", d)
			}
		})
	}
}

func TestPaymentCanSpendWhatWasReceived(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 10, 0)
	f.pay(t, s, PartyA, 10)
	f.pay(t, s, PartyB, 4)
	f.pay(t, s, PartyB, 6)
	if _, err := s.PreparePayment(PartyB, big.NewInt(1), f.signers[PartyB]); !errors.Is(err, ErrOverdraft) {
		t.Fatalf("B paying beyond what it received: %v, want ErrOverdraft", err)
	}
	for _, tc := range []struct {
		p    Party
		want int64
	}{{PartyA, 10}, {PartyB, 0}} {
		if got := s.Balance(tc.p); got.Cmp(big.NewInt(tc.want)) != 0 {
			t.Errorf("balance %s = %s, want %d", tc.p, got, tc.want)
		}
	}
}

func TestApplyIncomingAcceptsOnlyTheNextValidProof(t *testing.T) {
	f := newFixture(t)
	d := f.params.Domain
	id := f.params.ID
	a, b := f.signers[PartyA], f.signers[PartyB]
	stranger := testSigner(t, 9)
	otherChain := Domain{ChainID: big.NewInt(1), Contract: d.Contract}
	otherContract := Domain{ChainID: d.ChainID, Contract: common.HexToAddress("0x1111111111111111111111111111111111111111")}
	proof := func(signer Signer, dom Domain, ch ID, nonce uint64, transferred *big.Int) SignedProof {
		return signProof(t, dom, signer, BalanceProof{Channel: ch, Nonce: nonce, Transferred: transferred})
	}
	good := proof(a, d, id, 2, big.NewInt(15))
	// base: A deposited 100, B 50; A already paid 10 with nonce 1.
	base := func(t *testing.T) (*State, SignedProof) {
		s := f.state(t, 100, 50)
		first := proof(a, d, id, 1, big.NewInt(10))
		if o, err := s.ApplyIncoming(PartyA, first); err != nil || o != OutcomeNew {
			t.Fatalf("first proof: %v, %v", o, err)
		}
		return s, first
	}
	mutate := func(p SignedProof, f func(*SignedProof)) SignedProof {
		p.Transferred = new(big.Int).Set(p.Transferred)
		f(&p)
		return p
	}
	cases := []struct {
		name  string
		setup func(*testing.T, *State, SignedProof)
		payer Party
		proof func(first SignedProof) SignedProof
		want  Outcome
		err   error
	}{
		{"next proof", nil, PartyA, func(SignedProof) SignedProof { return good }, OutcomeNew, nil},
		{"exact repeat of the latest proof", nil, PartyA, func(first SignedProof) SignedProof { return first }, OutcomeRepeat, nil},
		{"repeat after the channel started closing", func(t *testing.T, s *State, _ SignedProof) { mustStatus(t, s, StatusClosing) },
			PartyA, func(first SignedProof) SignedProof { return first }, OutcomeRepeat, nil},
		{"repeat after a settlement was signed", func(t *testing.T, s *State, _ SignedProof) { commitSettlement(t, s) },
			PartyA, func(first SignedProof) SignedProof { return first }, OutcomeRepeat, nil},
		{"same nonce, different amount", nil, PartyA, func(SignedProof) SignedProof { return proof(a, d, id, 1, big.NewInt(11)) }, 0, ErrStaleNonce},
		{"older nonce", nil, PartyA, func(SignedProof) SignedProof { return proof(a, d, id, 0, big.NewInt(20)) }, 0, ErrStaleNonce},
		{"skipped nonce", nil, PartyA, func(SignedProof) SignedProof { return proof(a, d, id, 3, big.NewInt(20)) }, 0, ErrNonceGap},
		{"transferred unchanged", nil, PartyA, func(SignedProof) SignedProof { return proof(a, d, id, 2, big.NewInt(10)) }, 0, ErrNotIncreasing},
		{"transferred lowered", nil, PartyA, func(SignedProof) SignedProof { return proof(a, d, id, 2, big.NewInt(5)) }, 0, ErrNotIncreasing},
		{"beyond the payer's deposit", nil, PartyA, func(SignedProof) SignedProof { return proof(a, d, id, 2, big.NewInt(101)) }, 0, ErrOverdraft},
		{"into a pending withdrawal", func(t *testing.T, s *State, _ SignedProof) { reserve(t, s, f.params.Participants[PartyA], 50, 1000) },
			PartyA, func(SignedProof) SignedProof { return proof(a, d, id, 2, big.NewInt(51)) }, 0, ErrOverdraft},
		{"above uint128", nil, PartyA, func(SignedProof) SignedProof {
			return proof(a, d, id, 2, new(big.Int).Lsh(big.NewInt(1), 128))
		}, 0, ErrAmountTooLarge},
		{"nil transferred", nil, PartyA, func(first SignedProof) SignedProof {
			return mutate(first, func(p *SignedProof) { p.Nonce, p.Transferred = 2, nil })
		}, 0, ErrInvalidAmount},
		{"negative transferred", nil, PartyA, func(first SignedProof) SignedProof {
			return mutate(first, func(p *SignedProof) { p.Nonce, p.Transferred = 2, big.NewInt(-1) })
		}, 0, ErrInvalidAmount},
		{"another channel", nil, PartyA, func(SignedProof) SignedProof { return proof(a, d, ID{0xee}, 2, big.NewInt(15)) }, 0, ErrWrongChannel},
		{"signed by the payee", nil, PartyA, func(SignedProof) SignedProof { return proof(b, d, id, 2, big.NewInt(15)) }, 0, ErrWrongSigner},
		{"signed by a stranger", nil, PartyA, func(SignedProof) SignedProof { return proof(stranger, d, id, 2, big.NewInt(15)) }, 0, ErrWrongSigner},
		{"signed for another chain", nil, PartyA, func(SignedProof) SignedProof { return proof(a, otherChain, id, 2, big.NewInt(15)) }, 0, ErrWrongSigner},
		{"signed for another contract", nil, PartyA, func(SignedProof) SignedProof { return proof(a, otherContract, id, 2, big.NewInt(15)) }, 0, ErrWrongSigner},
		{"signature for other values", nil, PartyA, func(SignedProof) SignedProof {
			return mutate(good, func(p *SignedProof) { p.Transferred.SetInt64(16) })
		}, 0, ErrWrongSigner},
		{"v not 27 or 28", nil, PartyA, func(SignedProof) SignedProof { return mutate(good, func(p *SignedProof) { p.Sig[64] -= 27 }) }, 0, ErrBadSignature},
		{"high s", nil, PartyA, func(SignedProof) SignedProof { return mutate(good, func(p *SignedProof) { p.Sig = highS(p.Sig) }) }, 0, ErrBadSignature},
		{"zero signature", nil, PartyA, func(SignedProof) SignedProof { return mutate(good, func(p *SignedProof) { p.Sig = Signature{64: 27} }) }, 0, ErrBadSignature},
		{"channel closing", func(t *testing.T, s *State, _ SignedProof) { mustStatus(t, s, StatusClosing) },
			PartyA, func(SignedProof) SignedProof { return good }, 0, ErrChannelNotOpen},
		{"channel settled", func(t *testing.T, s *State, _ SignedProof) { mustStatus(t, s, StatusSettled) },
			PartyA, func(SignedProof) SignedProof { return good }, 0, ErrChannelNotOpen},
		{"settlement signed", func(t *testing.T, s *State, _ SignedProof) { commitSettlement(t, s) },
			PartyA, func(SignedProof) SignedProof { return good }, 0, ErrSettlementSigned},
		{"unknown payer", nil, Party(7), func(SignedProof) SignedProof { return good }, 0, ErrNotParticipant},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, first := base(t)
			if tc.setup != nil {
				tc.setup(t, s, first)
			}
			p := tc.proof(first)
			before := s.Clone()
			vo, verr := s.ValidateIncoming(tc.payer, p)
			if d := stateDiff(before, s); d != "" {
				t.Fatalf("ValidateIncoming changed %s", d)
			}
			o, err := s.ApplyIncoming(tc.payer, p)
			if vo != o || !errors.Is(verr, tc.err) {
				t.Fatalf("ValidateIncoming = %v, %v; ApplyIncoming = %v, %v", vo, verr, o, err)
			}
			if !errors.Is(err, tc.err) || o != tc.want {
				t.Fatalf("ApplyIncoming = %v, %v; want %v, %v", o, err, tc.want, tc.err)
			}
			if tc.err != nil || tc.want == OutcomeRepeat {
				if d := stateDiff(before, s); d != "" {
					t.Fatalf("rejected or repeated proof changed %s", d)
				}
				return
			}
			if latest, _ := s.Latest(tc.payer); latest.Nonce != p.Nonce || latest.Transferred.Cmp(p.Transferred) != 0 {
				t.Fatalf("latest proof %d/%s, want %d/%s", latest.Nonce, latest.Transferred, p.Nonce, p.Transferred)
			}
		})
	}
}

func TestValidateSyncAcceptsSkippedNonces(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 100, 0)
	p := signProof(t, f.params.Domain, f.signers[PartyA], BalanceProof{Channel: f.params.ID, Nonce: 5, Transferred: big.NewInt(30)})
	if _, err := s.ValidateIncoming(PartyA, p); !errors.Is(err, ErrNonceGap) {
		t.Fatalf("ValidateIncoming of a jump: %v, want ErrNonceGap", err)
	}
	if o, err := s.ValidateSync(PartyA, p); err != nil || o != OutcomeNew {
		t.Fatalf("ValidateSync = %v, %v; want new", o, err)
	}
	if err := s.CommitProof(PartyA, p); err != nil {
		t.Fatal(err)
	}
	if got := s.Balance(PartyB); got.Cmp(big.NewInt(30)) != 0 {
		t.Fatalf("payee balance after sync = %s, want 30", got)
	}
	stale := signProof(t, f.params.Domain, f.signers[PartyA], BalanceProof{Channel: f.params.ID, Nonce: 4, Transferred: big.NewInt(40)})
	if _, err := s.ValidateSync(PartyA, stale); !errors.Is(err, ErrStaleNonce) {
		t.Fatalf("ValidateSync of an older nonce: %v, want ErrStaleNonce", err)
	}
}

func TestCommitProofRepeatIsNoOpAndRechecksRules(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 100, 0)
	p := f.pay(t, s, PartyA, 60)
	before := s.Clone()
	if err := s.CommitProof(PartyA, p); err != nil {
		t.Fatalf("committing the same proof twice: %v", err)
	}
	if d := stateDiff(before, s); d != "" {
		t.Fatalf("repeated commit changed %s", d)
	}
	// Validated against an older state, now overdrawn: the commit must still refuse it.
	old := before.Clone()
	next, err := old.PreparePayment(PartyA, big.NewInt(30), f.signers[PartyA])
	if err != nil {
		t.Fatal(err)
	}
	reserve(t, s, f.params.Participants[PartyA], 20, 100)
	if err := s.CommitProof(PartyA, next); !errors.Is(err, ErrOverdraft) {
		t.Fatalf("CommitProof after a reservation: %v, want ErrOverdraft", err)
	}
}

func TestCommittedProofDoesNotAliasCallerInt(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 100, 0)
	p, err := s.PreparePayment(PartyA, big.NewInt(5), f.signers[PartyA])
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CommitProof(PartyA, p); err != nil {
		t.Fatal(err)
	}
	p.Transferred.SetInt64(99)
	if got := s.Balance(PartyA); got.Cmp(big.NewInt(95)) != 0 {
		t.Fatalf("balance after caller reused its big.Int = %s, want 95", got)
	}
}

// highS turns a valid signature into its malleated twin (n - s, flipped v), which
// secp256k1 accepts but the contract must not.
func highS(sig Signature) Signature {
	n := bi("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
	s := new(big.Int).SetBytes(sig[32:64])
	s.Sub(n, s)
	s.FillBytes(sig[32:64])
	sig[64] = 27 + 28 - sig[64]
	return sig
}

func mustStatus(t *testing.T, s *State, st Status) {
	t.Helper()
	if err := s.ApplyStatus(st); err != nil {
		t.Fatal(err)
	}
}

func commitSettlement(t *testing.T, s *State) {
	t.Helper()
	st, err := s.ProposeSettlement()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CommitSettlement(st); err != nil {
		t.Fatal(err)
	}
}

func reserve(t *testing.T, s *State, who common.Address, total int64, expiry uint64) {
	t.Helper()
	w := Withdrawal{Channel: s.ID(), Participant: who, TotalWithdrawn: big.NewInt(total), Expiry: expiry}
	if err := s.ReserveWithdrawal(w, 0); err != nil {
		t.Fatalf("reserve withdrawal of %d: %v", total, err)
	}
}
