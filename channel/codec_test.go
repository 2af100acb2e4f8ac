package channel

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
)

func TestSignedProofBinaryRoundTrip(t *testing.T) {
	f := newFixture(t)
	for _, amt := range []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(1 << 62), MaxAmount()} {
		p := signProof(t, f.params.Domain, f.signers[PartyA], BalanceProof{Channel: f.params.ID, Nonce: 1<<63 + 5, Transferred: amt})
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != SignedProofSize {
			t.Fatalf("encoded length %d, want %d", len(b), SignedProofSize)
		}
		var q SignedProof
		if err := q.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		if q.Channel != p.Channel || q.Nonce != p.Nonce || q.Transferred.Cmp(p.Transferred) != 0 || q.Sig != p.Sig {
			t.Fatalf("round trip of %s changed the proof", amt)
		}
	}
}

func TestSignedProofBinaryLayout(t *testing.T) {
	p := SignedProof{BalanceProof: BalanceProof{Channel: ID{0xaa, 31: 0xbb}, Nonce: 0x0102030405060708, Transferred: big.NewInt(0x0910)}}
	p.Sig[0], p.Sig[64] = 0xcc, 28
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want := make([]byte, 0, SignedProofSize)
	want = append(want, p.Channel[:]...)
	want = append(want, 1, 2, 3, 4, 5, 6, 7, 8)
	want = append(want, make([]byte, 14)...)
	want = append(want, 0x09, 0x10)
	want = append(want, p.Sig[:]...)
	if !bytes.Equal(b, want) {
		t.Fatalf("encoding\n%x\nwant\n%x", b, want)
	}
}

func TestSignedProofAppendBinaryReusesBuffer(t *testing.T) {
	p := SignedProof{BalanceProof: BalanceProof{Transferred: big.NewInt(1)}, Sig: Signature{64: 27}}
	buf := make([]byte, 3, 3+SignedProofSize)
	out, err := p.AppendBinary(buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 3+SignedProofSize || &out[0] != &buf[0] {
		t.Fatalf("AppendBinary did not append in place (len %d)", len(out))
	}
}

func TestSignedProofMarshalRejectsOutOfRangeAmounts(t *testing.T) {
	for _, tc := range []struct {
		name string
		amt  *big.Int
		want error
	}{
		{"nil", nil, ErrInvalidAmount},
		{"negative", big.NewInt(-1), ErrInvalidAmount},
		{"2^128", new(big.Int).Lsh(big.NewInt(1), 128), ErrAmountTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := SignedProof{BalanceProof: BalanceProof{Transferred: tc.amt}}
			if _, err := p.MarshalBinary(); !errors.Is(err, tc.want) {
				t.Fatalf("MarshalBinary = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSignedProofUnmarshalRejectsMalformed(t *testing.T) {
	valid := make([]byte, SignedProofSize)
	valid[SignedProofSize-1] = 27
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"one short", valid[:SignedProofSize-1]},
		{"one long", append(append([]byte{}, valid...), 0)},
		{"v 0", func() []byte { b := append([]byte{}, valid...); b[SignedProofSize-1] = 0; return b }()},
		{"v 29", func() []byte { b := append([]byte{}, valid...); b[SignedProofSize-1] = 29; return b }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := SignedProof{BalanceProof: BalanceProof{Nonce: 42}}
			if err := p.UnmarshalBinary(tc.data); !errors.Is(err, ErrMalformed) {
				t.Fatalf("UnmarshalBinary = %v, want ErrMalformed", err)
			}
			if p.Nonce != 42 || p.Transferred != nil {
				t.Fatal("rejected decode modified the proof")
			}
		})
	}
}

// A proof with pending locks keeps Locked and LocksRoot in the long form; decoding a
// lock-free proof into a SignedProof that held locks clears them.
func TestSignedProofBinaryCarriesLocks(t *testing.T) {
	p := SignedProof{BalanceProof: BalanceProof{Channel: ID{1}, Nonce: 9, Transferred: big.NewInt(500),
		Locked: big.NewInt(250), LocksRoot: [32]byte{0xde, 31: 0xad}}, Sig: Signature{64: 27}}
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != LockedSignedProofSize {
		t.Fatalf("encoded length %d, want %d", len(b), LockedSignedProofSize)
	}
	var q SignedProof
	if err := q.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if q.Locked == nil || q.Locked.Cmp(p.Locked) != 0 || q.LocksRoot != p.LocksRoot || q.Transferred.Cmp(p.Transferred) != 0 {
		t.Fatalf("round trip changed the locks: %+v", q.BalanceProof)
	}
	direct := SignedProof{BalanceProof: BalanceProof{Channel: ID{1}, Nonce: 10, Transferred: big.NewInt(750)}, Sig: Signature{64: 27}}
	short, err := direct.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if err := q.UnmarshalBinary(short); err != nil {
		t.Fatal(err)
	}
	if q.Locked.Sign() != 0 || q.LocksRoot != ([32]byte{}) {
		t.Fatalf("decoding a lock-free proof kept locks: %+v", q.BalanceProof)
	}
	// The long form with nothing locked is not canonical.
	if err := q.UnmarshalBinary(append(short, make([]byte, 48)...)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("long form without locks: %v, want ErrMalformed", err)
	}
}
