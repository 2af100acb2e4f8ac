package channel

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestLocksRootOfNoLocksIsZero(t *testing.T) {
	for _, locks := range [][]Lock{nil, {}} {
		root, err := LocksRoot(locks)
		if err != nil || root != ([32]byte{}) {
			t.Fatalf("LocksRoot(%v) = %x, %v; want zero", locks, root, err)
		}
	}
}

// TestLocksRootMatchesHandEncoding builds the spec's preimage byte by byte (not with
// putUint256/putUint64) so a shared mistake in the encoders cannot hide.
func TestLocksRootMatchesHandEncoding(t *testing.T) {
	locks := []Lock{
		{Amount: big.NewInt(0x0102), Expiration: 0x0a0b0c0d, SecretHash: [32]byte{0xaa, 31: 0xbb}},
		{Amount: new(big.Int).Lsh(big.NewInt(1), 200), Expiration: ^uint64(0), SecretHash: [32]byte{1}},
		{Amount: big.NewInt(0), Expiration: 0, SecretHash: [32]byte{}},
	}
	var pre []byte
	// lock 1: amount 0x0102, expiration 0x0a0b0c0d
	w := make([]byte, 96)
	w[30], w[31] = 0x01, 0x02
	w[60], w[61], w[62], w[63] = 0x0a, 0x0b, 0x0c, 0x0d
	copy(w[64:], locks[0].SecretHash[:])
	pre = append(pre, w...)
	// lock 2: amount 2^200 (bit 200 is byte 31-25=6, value 1), expiration all ones
	w = make([]byte, 96)
	w[6] = 0x01
	for i := 56; i < 64; i++ {
		w[i] = 0xff
	}
	w[64] = 1
	pre = append(pre, w...)
	// lock 3: all zero
	pre = append(pre, make([]byte, 96)...)
	if len(pre) != 3*96 {
		t.Fatalf("preimage %d bytes", len(pre))
	}

	want := crypto.Keccak256Hash(pre)
	got, err := LocksRoot(locks)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("LocksRoot = %x, want %x", got, want)
	}
	one, _ := LocksRoot(locks[:1])
	if one != crypto.Keccak256Hash(pre[:96]) {
		t.Fatalf("one-lock root %x, want keccak of its 96 bytes", one)
	}
}

func TestLocksRootDependsOnOrder(t *testing.T) {
	a := Lock{Amount: big.NewInt(1), Expiration: 10, SecretHash: [32]byte{1}}
	b := Lock{Amount: big.NewInt(2), Expiration: 20, SecretHash: [32]byte{2}}
	r1, _ := LocksRoot([]Lock{a, b})
	r2, _ := LocksRoot([]Lock{b, a})
	if r1 == r2 {
		t.Fatal("root ignores lock order")
	}
}

func TestLocksRootRefusesBadAmounts(t *testing.T) {
	for _, amt := range []*big.Int{nil, big.NewInt(-1), new(big.Int).Lsh(big.NewInt(1), 256)} {
		_, err := LocksRoot([]Lock{{Amount: amt, Expiration: 1}})
		if !errors.Is(err, ErrInvalidAmount) && !errors.Is(err, ErrAmountTooLarge) {
			t.Fatalf("amount %v: err %v", amt, err)
		}
	}
}

func TestSecretHashIsKeccakOf32Bytes(t *testing.T) {
	secret := [32]byte{0xde, 0xad, 31: 0x01}
	want := crypto.Keccak256(secret[:])
	got := SecretHash(secret)
	if !bytes.Equal(got[:], want) {
		t.Fatalf("SecretHash = %x, want %x", got, want)
	}
	// The zero secret hashes to keccak256 of 32 zero bytes, a well-known constant.
	zero := SecretHash([32]byte{})
	if common.Hash(zero) != common.HexToHash("0x290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563") {
		t.Fatalf("SecretHash(0) = %x", zero)
	}
}
