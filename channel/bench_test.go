package channel

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// Raw go-ethereum costs, the floor every payment pays: one Sign (payer), one Ecrecover (payee).

func BenchmarkGethCryptoSign(b *testing.B) {
	key := testKey(b, 1)
	digest := crypto.Keccak256Hash([]byte("x"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := crypto.Sign(digest[:], key); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGethCryptoEcrecover(b *testing.B) {
	key := testKey(b, 1)
	digest := crypto.Keccak256Hash([]byte("x"))
	sig, _ := crypto.Sign(digest[:], key)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := crypto.Ecrecover(digest[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGethTypedDataAndHash(b *testing.B) {
	td := apitypes.TypedData{
		Types:       typedDataTypes,
		PrimaryType: "BalanceProof",
		Domain:      apitypes.TypedDataDomain{Name: DomainName, Version: DomainVersion, ChainId: math.NewHexOrDecimal256(31337), VerifyingContract: common.Address{1}.Hex()},
		Message:     apitypes.TypedDataMessage{"channelId": make([]byte, 32), "nonce": big.NewInt(7), "transferred": big.NewInt(1000), "locked": new(big.Int), "locksRoot": make([]byte, 32)},
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := apitypes.TypedDataAndHash(td); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBalanceProofDigest(b *testing.B) {
	h, _ := NewHasher(newFixture(b).params.Domain)
	bp := BalanceProof{Channel: ID{1}, Nonce: 7, Transferred: big.NewInt(123456789)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.BalanceProofDigest(bp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSettlementDigest(b *testing.B) {
	h, _ := NewHasher(newFixture(b).params.Domain)
	st := Settlement{Channel: ID{1}, BalanceA: big.NewInt(5), BalanceB: big.NewInt(6)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.SettlementDigest(st); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWithdrawalDigest(b *testing.B) {
	h, _ := NewHasher(newFixture(b).params.Domain)
	w := Withdrawal{Channel: ID{1}, Participant: common.Address{2}, TotalWithdrawn: big.NewInt(5), Expiry: 9}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.WithdrawalDigest(w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDomainSeparator(b *testing.B) {
	d := newFixture(b).params.Domain
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Separator(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKeySignerSignDigest(b *testing.B) {
	s := testSigner(b, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SignDigest(common.Hash{1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecover(b *testing.B) {
	s := testSigner(b, 1)
	sig, _ := s.SignDigest(common.Hash{1})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Recover(common.Hash{1}, sig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHasherRecover(b *testing.B) {
	s := testSigner(b, 1)
	h, _ := NewHasher(newFixture(b).params.Domain)
	sig, _ := s.SignDigest(common.Hash{1})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Recover(common.Hash{1}, sig); err != nil {
			b.Fatal(err)
		}
	}
}

func bigState(b *testing.B) (fixture, *State) {
	f := newFixture(b)
	s := f.state(b, 0, 0)
	if err := s.ApplyDeposit(PartyA, MaxAmount()); err != nil {
		b.Fatal(err)
	}
	return f, s
}

// BenchmarkPreparePayment is the payer's path: validate, digest, sign, commit.
func BenchmarkPreparePayment(b *testing.B) {
	f, s := bigState(b)
	one := big.NewInt(1)
	b.ReportAllocs()
	for b.Loop() {
		p, err := s.PreparePayment(PartyA, one, f.signers[PartyA])
		if err != nil {
			b.Fatal(err)
		}
		if err := s.CommitProof(PartyA, p); err != nil {
			b.Fatal(err)
		}
	}
}

// incomingProofs pre-signs n consecutive proofs so the benchmark measures only the payee.
func incomingProofs(b *testing.B, f fixture, n int) []SignedProof {
	payer := f.state(b, 0, 0)
	if err := payer.ApplyDeposit(PartyA, MaxAmount()); err != nil {
		b.Fatal(err)
	}
	proofs := make([]SignedProof, n)
	one := big.NewInt(1)
	for i := range proofs {
		p, err := payer.PreparePayment(PartyA, one, f.signers[PartyA])
		if err != nil {
			b.Fatal(err)
		}
		if err := payer.CommitProof(PartyA, p); err != nil {
			b.Fatal(err)
		}
		proofs[i] = p
	}
	return proofs
}

// BenchmarkApplyIncoming is the payee's path: checks, digest, recover, commit.
func BenchmarkApplyIncoming(b *testing.B) {
	f, s := bigState(b)
	proofs := incomingProofs(b, f, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.ApplyIncoming(PartyA, proofs[i]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommitProof is everything on the payee's path except digest and recovery.
func BenchmarkCommitProof(b *testing.B) {
	f, s := bigState(b)
	p := incomingProofs(b, f, 1)[0]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p.Nonce++
		p.Transferred.Add(p.Transferred, common.Big1)
		if err := s.CommitProof(PartyA, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateRepeat is the re-ack of a proof already held: no cryptography.
func BenchmarkValidateRepeat(b *testing.B) {
	f, s := bigState(b)
	p := incomingProofs(b, f, 1)[0]
	if _, err := s.ApplyIncoming(PartyA, p); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if o, err := s.ValidateIncoming(PartyA, p); err != nil || o != OutcomeRepeat {
			b.Fatal(o, err)
		}
	}
}

func BenchmarkSignedProofAppendBinary(b *testing.B) {
	p := SignedProof{BalanceProof: BalanceProof{Transferred: big.NewInt(1 << 60)}, Sig: Signature{64: 27}}
	buf := make([]byte, 0, SignedProofSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.AppendBinary(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignedProofUnmarshalBinary(b *testing.B) {
	p := SignedProof{BalanceProof: BalanceProof{Transferred: big.NewInt(1 << 60)}, Sig: Signature{64: 27}}
	data, _ := p.MarshalBinary()
	var q SignedProof
	b.ReportAllocs()
	for b.Loop() {
		if err := q.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClone(b *testing.B) {
	f, s := bigState(b)
	f.pay(b, s, PartyA, 5)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Clone()
	}
}
