package channel

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// FuzzSignedProofUnmarshal: the decoder never panics, accepts only exactly-sized input
// with v in {27,28}, and what it accepts re-encodes to the same bytes (one encoding per
// proof, so stored and wire forms can be compared byte for byte).
func FuzzSignedProofUnmarshal(f *testing.F) {
	valid := make([]byte, SignedProofSize)
	valid[SignedProofSize-1] = 27
	f.Add(valid)
	f.Add(valid[:SignedProofSize-1])
	f.Add(bytes.Repeat([]byte{0xff}, SignedProofSize))
	f.Add([]byte{})
	locked := append(append([]byte{}, valid...), make([]byte, 48)...)
	locked[SignedProofSize+15], locked[SignedProofSize+16] = 7, 1
	f.Add(locked)
	f.Add(append(append([]byte{}, valid...), make([]byte, 48)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p SignedProof
		if err := p.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("decode error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if len(data) != SignedProofSize && len(data) != LockedSignedProofSize {
			t.Fatalf("accepted %d bytes", len(data))
		}
		if p.Locked != nil && (p.Locked.Sign() < 0 || p.Locked.Cmp(maxAmount) > 0) {
			t.Fatalf("decoded locked %s out of uint128", p.Locked)
		}
		if p.Transferred.Sign() < 0 || p.Transferred.Cmp(maxAmount) > 0 {
			t.Fatalf("decoded transferred %s out of uint128", p.Transferred)
		}
		out, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("re-encode a decoded proof: %v", err)
		}
		if !bytes.Equal(out, data) {
			t.Fatalf("re-encoding differs:\n%x\n%x", out, data)
		}
	})
}

// Fuzz modes for FuzzApplyIncoming, as bits of one byte so the fuzzer can combine them.
const (
	fuzzSignAsPayer  = 1 << iota // sign the proof with the payer's key (reaches the deep rules)
	fuzzSignAsPayee              // sign it with the other participant's key
	fuzzOtherChannel             // proof names another channel
	fuzzSync                     // go through ValidateSync (gaps allowed)
	fuzzClosing                  // channel is closing
	fuzzReserve                  // the payer has a pending withdrawal
)

// FuzzApplyIncoming feeds arbitrary proofs to a channel with history. Whatever arrives:
// no panic; a rejected proof leaves the State unchanged and names a sentinel with a wire
// code; an accepted one advances the payer's nonce and amount and conserves funds; an
// accepted proof applied again is a repeat.
func FuzzApplyIncoming(f *testing.F) {
	f.Add(uint8(0), uint64(3), []byte{20}, []byte(nil), uint8(fuzzSignAsPayer))
	f.Add(uint8(1), uint64(2), []byte{10}, []byte(nil), uint8(fuzzSignAsPayer))
	f.Add(uint8(0), uint64(2), []byte{12}, []byte(nil), uint8(fuzzSignAsPayer))
	f.Add(uint8(0), uint64(4), []byte{30}, []byte(nil), uint8(fuzzSignAsPayer|fuzzSync))
	f.Add(uint8(0), uint64(3), []byte{0x01, 0x00}, []byte(nil), uint8(fuzzSignAsPayer))
	f.Add(uint8(0), uint64(3), []byte{60}, []byte(nil), uint8(fuzzSignAsPayer|fuzzReserve))
	f.Add(uint8(1), uint64(2), []byte{5}, []byte(nil), uint8(fuzzSignAsPayee))
	f.Add(uint8(0), uint64(3), []byte{20}, bytes.Repeat([]byte{0x11}, 65), uint8(0))
	f.Add(uint8(0), uint64(3), []byte{20}, []byte(nil), uint8(fuzzSignAsPayer|fuzzOtherChannel))
	f.Add(uint8(0), uint64(3), []byte{20}, []byte(nil), uint8(fuzzSignAsPayer|fuzzClosing))
	f.Add(uint8(2), uint64(3), bytes.Repeat([]byte{0xff}, 17), []byte{27}, uint8(0))

	fx := newFixture(f)
	base := fx.state(f, 100, 40)
	fx.pay(f, base, PartyA, 10)
	fx.pay(f, base, PartyA, 5)
	fx.pay(f, base, PartyB, 8)

	f.Fuzz(func(t *testing.T, payerByte uint8, nonce uint64, amount, sig []byte, mode uint8) {
		payer := Party(payerByte % 3) // 2 is not a party: must be rejected, not crash
		s := base.Clone()
		if mode&fuzzReserve != 0 {
			reserve(t, s, fx.params.Participants[PartyA], 50, 10)
		}
		if mode&fuzzClosing != 0 {
			mustStatus(t, s, StatusClosing)
		}
		p := SignedProof{BalanceProof: BalanceProof{Channel: fx.params.ID, Nonce: nonce, Transferred: new(big.Int).SetBytes(amount)}}
		if mode&fuzzOtherChannel != 0 {
			p.Channel[0] ^= 0xff
		}
		copy(p.Sig[:], sig)
		if signer := mode & (fuzzSignAsPayer | fuzzSignAsPayee); signer != 0 && payer <= PartyB && p.Transferred.BitLen() <= 256 {
			key := fx.signers[payer]
			if signer == fuzzSignAsPayee {
				key = fx.signers[payer.Other()]
			}
			p = signProof(t, fx.params.Domain, key, p.BalanceProof)
		}
		before := s.Clone()
		var (
			o   Outcome
			err error
		)
		if mode&fuzzSync != 0 {
			o, err = s.ValidateSync(payer, p)
			if err == nil {
				err = s.CommitProof(payer, p)
			}
		} else {
			o, err = s.ApplyIncoming(payer, p)
		}
		if err != nil {
			if Code(err) == CodeInternal || Code(err) == CodeRejected {
				t.Fatalf("rejection %v has no specific wire code", err)
			}
			if d := stateDiff(before, s); d != "" {
				t.Fatalf("rejected proof (%v) changed %s", err, d)
			}
			return
		}
		if o == OutcomeRepeat {
			if d := stateDiff(before, s); d != "" {
				t.Fatalf("repeat changed %s", d)
			}
			return
		}
		if o != OutcomeNew {
			t.Fatalf("accepted with outcome %v", o)
		}
		if s.Nonce(payer) != nonce || s.Nonce(payer) <= before.Nonce(payer) {
			t.Fatalf("nonce %d after accepting %d (was %d)", s.Nonce(payer), nonce, before.Nonce(payer))
		}
		if mode&fuzzSync == 0 && nonce != before.Nonce(payer)+1 {
			t.Fatalf("strict path accepted nonce %d after %d", nonce, before.Nonce(payer))
		}
		for _, q := range []Party{PartyA, PartyB} {
			if s.Spendable(q).Sign() < 0 {
				t.Fatalf("party %s spendable %s after accepting", q, s.Spendable(q))
			}
		}
		sum := new(big.Int).Add(s.Balance(PartyA), s.Balance(PartyB))
		if sum.Cmp(s.Total()) != 0 {
			t.Fatalf("balances sum %s, total %s", sum, s.Total())
		}
		if o, err := s.ApplyIncoming(payer, p); err != nil || o != OutcomeRepeat {
			t.Fatalf("accepted proof applied again: %v, %v", o, err)
		}
	})
}

// FuzzRecover: arbitrary signature bytes never panic; every refusal wraps ErrBadSignature;
// whatever is accepted is canonical (v 27/28, low s) and both recovery paths agree.
func FuzzRecover(f *testing.F) {
	s := testSigner(f, 1)
	digest := common.Hash{0xd1}
	good, err := s.SignDigest(digest)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(digest[:], good[:])
	twin := highS(good)
	f.Add(digest[:], twin[:])
	f.Add(make([]byte, 32), make([]byte, 65))
	f.Add([]byte{1}, bytes.Repeat([]byte{0xff}, 65))
	h, err := NewHasher(newFixture(f).params.Domain)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, d, raw []byte) {
		var digest common.Hash
		var sig Signature
		copy(digest[:], d)
		copy(sig[:], raw)
		addr, err := Recover(digest, sig)
		addr2, err2 := h.Recover(digest, sig)
		if addr != addr2 || (err == nil) != (err2 == nil) {
			t.Fatalf("Recover %s/%v, Hasher.Recover %s/%v", addr, err, addr2, err2)
		}
		if err != nil {
			if !errors.Is(err, ErrBadSignature) {
				t.Fatalf("refusal %v does not wrap ErrBadSignature", err)
			}
			return
		}
		if v := sig[64]; v != 27 && v != 28 {
			t.Fatalf("accepted v=%d", v)
		}
		if bytes.Compare(sig[32:64], secp256k1HalfN[:]) > 0 {
			t.Fatal("accepted high s")
		}
		if addr == (common.Address{}) {
			t.Fatal("accepted address(0)")
		}
	})
}
