package channel

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

var typedDataTypes = apitypes.Types{
	"EIP712Domain": {
		{Name: "name", Type: "string"},
		{Name: "version", Type: "string"},
		{Name: "chainId", Type: "uint256"},
		{Name: "verifyingContract", Type: "address"},
	},
	"BalanceProof": {
		{Name: "channelId", Type: "bytes32"},
		{Name: "nonce", Type: "uint64"},
		{Name: "transferred", Type: "uint256"},
		{Name: "locked", Type: "uint256"},
		{Name: "locksRoot", Type: "bytes32"},
	},
	"Settlement": {
		{Name: "channelId", Type: "bytes32"},
		{Name: "balanceA", Type: "uint256"},
		{Name: "balanceB", Type: "uint256"},
	},
	"Withdrawal": {
		{Name: "channelId", Type: "bytes32"},
		{Name: "participant", Type: "address"},
		{Name: "totalWithdrawn", Type: "uint256"},
		{Name: "expiry", Type: "uint64"},
	},
}

// gethDigest computes the reference digest with go-ethereum's generic EIP-712 encoder.
func gethDigest(t *testing.T, d Domain, primary string, msg apitypes.TypedDataMessage) common.Hash {
	t.Helper()
	td := apitypes.TypedData{
		Types:       typedDataTypes,
		PrimaryType: primary,
		Domain: apitypes.TypedDataDomain{
			Name:              DomainName,
			Version:           DomainVersion,
			ChainId:           (*math.HexOrDecimal256)(d.ChainID),
			VerifyingContract: d.Contract.Hex(),
		},
		Message: msg,
	}
	h, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatalf("geth typed data %s: %v", primary, err)
	}
	return common.BytesToHash(h)
}

func TestDigestsEqualGoEthereumTypedData(t *testing.T) {
	domains := []Domain{
		{ChainID: big.NewInt(1), Contract: common.HexToAddress("0x00000000000000000000000000000000000000aa")},
		{ChainID: big.NewInt(31337), Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")},
		{ChainID: bi("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"), Contract: common.HexToAddress("0xffffffffffffffffffffffffffffffffffffffff")},
	}
	ids := []ID{{}, {0x01}, {0xff, 0xee, 31: 0x01}}
	amounts := []*big.Int{big.NewInt(0), big.NewInt(1), bi("0xffffffffffffffffffffffffffffffff"), bi("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")}
	nonces := []uint64{0, 1, 1 << 40, ^uint64(0)}
	for _, d := range domains {
		h, err := NewHasher(d)
		if err != nil {
			t.Fatal(err)
		}
		wantSep := gethSeparator(t, d)
		if h.Separator() != wantSep {
			t.Errorf("domain %v: separator %x, geth %x", d.ChainID, h.Separator(), wantSep)
		}
		for _, id := range ids {
			for i, amt := range amounts {
				nonce := nonces[i]
				bp := BalanceProof{Channel: id, Nonce: nonce, Transferred: amt}
				got, err := h.BalanceProofDigest(bp)
				if err != nil {
					t.Fatal(err)
				}
				want := gethDigest(t, d, "BalanceProof", apitypes.TypedDataMessage{
					"channelId": id[:], "nonce": new(big.Int).SetUint64(nonce), "transferred": amt,
					"locked": new(big.Int), "locksRoot": make([]byte, 32),
				})
				if got != want {
					t.Errorf("BalanceProof %x/%d/%s: got %x, geth %x", id[:2], nonce, amt, got, want)
				}
				// The same proof with pending locks: locked and locksRoot are signed.
				locked := amounts[(i+2)%len(amounts)]
				root := crypto.Keccak256Hash(id[:], []byte{byte(i)})
				lbp := BalanceProof{Channel: id, Nonce: nonce, Transferred: amt, Locked: locked, LocksRoot: root}
				got, err = h.BalanceProofDigest(lbp)
				if err != nil {
					t.Fatal(err)
				}
				want = gethDigest(t, d, "BalanceProof", apitypes.TypedDataMessage{
					"channelId": id[:], "nonce": new(big.Int).SetUint64(nonce), "transferred": amt,
					"locked": locked, "locksRoot": root[:],
				})
				if got != want {
					t.Errorf("locked BalanceProof %x/%d/%s/%s: got %x, geth %x", id[:2], nonce, amt, locked, got, want)
				}
				other := amounts[(i+1)%len(amounts)]
				st := Settlement{Channel: id, BalanceA: amt, BalanceB: other}
				got, err = h.SettlementDigest(st)
				if err != nil {
					t.Fatal(err)
				}
				want = gethDigest(t, d, "Settlement", apitypes.TypedDataMessage{
					"channelId": id[:], "balanceA": amt, "balanceB": other,
				})
				if got != want {
					t.Errorf("Settlement %x/%s/%s: got %x, geth %x", id[:2], amt, other, got, want)
				}
				participant := common.BytesToAddress(append([]byte{byte(i + 1)}, id[:3]...))
				w := Withdrawal{Channel: id, Participant: participant, TotalWithdrawn: amt, Expiry: nonce}
				got, err = h.WithdrawalDigest(w)
				if err != nil {
					t.Fatal(err)
				}
				want = gethDigest(t, d, "Withdrawal", apitypes.TypedDataMessage{
					"channelId": id[:], "participant": participant.Hex(), "totalWithdrawn": amt,
					"expiry": new(big.Int).SetUint64(nonce),
				})
				if got != want {
					t.Errorf("Withdrawal %x/%s/%s: got %x, geth %x", id[:2], participant, amt, got, want)
				}
			}
		}
	}
}

func gethSeparator(t *testing.T, d Domain) common.Hash {
	t.Helper()
	td := apitypes.TypedData{
		Types: typedDataTypes,
		Domain: apitypes.TypedDataDomain{
			Name: DomainName, Version: DomainVersion,
			ChainId: (*math.HexOrDecimal256)(d.ChainID), VerifyingContract: d.Contract.Hex(),
		},
	}
	sep, err := td.HashStruct("EIP712Domain", td.Domain.Map())
	if err != nil {
		t.Fatal(err)
	}
	return common.BytesToHash(sep)
}

func TestTypeHashesAreKeccakOfTypeStrings(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  string
		got  common.Hash
	}{
		{"domain", "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)", domainTypeHash},
		{"balance proof", "BalanceProof(bytes32 channelId,uint64 nonce,uint256 transferred,uint256 locked,bytes32 locksRoot)", balanceProofTypeHash},
		{"settlement", "Settlement(bytes32 channelId,uint256 balanceA,uint256 balanceB)", settlementTypeHash},
		{"withdrawal", "Withdrawal(bytes32 channelId,address participant,uint256 totalWithdrawn,uint64 expiry)", withdrawalTypeHash},
	} {
		if want := crypto.Keccak256Hash([]byte(tc.typ)); tc.got != want {
			t.Errorf("%s type hash %x, want %x", tc.name, tc.got, want)
		}
	}
}

func TestDigestRejectsAmountsOutsideUint256(t *testing.T) {
	h, err := NewHasher(Domain{ChainID: big.NewInt(1)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		amt  *big.Int
		want error
	}{
		{"nil", nil, ErrInvalidAmount},
		{"negative", big.NewInt(-1), ErrInvalidAmount},
		{"2^256", new(big.Int).Lsh(big.NewInt(1), 256), ErrAmountTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := h.BalanceProofDigest(BalanceProof{Transferred: tc.amt}); !errors.Is(err, tc.want) {
				t.Errorf("balance proof: %v, want %v", err, tc.want)
			}
			if _, err := h.SettlementDigest(Settlement{BalanceA: big.NewInt(1), BalanceB: tc.amt}); !errors.Is(err, tc.want) {
				t.Errorf("settlement: %v, want %v", err, tc.want)
			}
			if _, err := h.WithdrawalDigest(Withdrawal{TotalWithdrawn: tc.amt}); !errors.Is(err, tc.want) {
				t.Errorf("withdrawal: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSeparatorRejectsMissingOrNonPositiveChainID(t *testing.T) {
	for _, tc := range []struct {
		name string
		id   *big.Int
	}{{"nil", nil}, {"zero", big.NewInt(0)}, {"negative", big.NewInt(-5)}, {"2^256", new(big.Int).Lsh(big.NewInt(1), 256)}} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := (Domain{ChainID: tc.id}).Separator(); err == nil {
				t.Fatalf("separator with chain id %v: no error", tc.id)
			}
		})
	}
}

func TestDigestDiffersAcrossDomains(t *testing.T) {
	bp := BalanceProof{Channel: ID{1}, Nonce: 1, Transferred: big.NewInt(10)}
	base := Domain{ChainID: big.NewInt(1), Contract: common.Address{1}}
	variants := []Domain{
		{ChainID: big.NewInt(2), Contract: common.Address{1}},
		{ChainID: big.NewInt(1), Contract: common.Address{2}},
	}
	want, _ := base.BalanceProofDigest(bp)
	for _, d := range variants {
		got, err := d.BalanceProofDigest(bp)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(got[:], want[:]) {
			t.Errorf("domain %v/%s digest equals base domain digest", d.ChainID, d.Contract)
		}
	}
}

func TestStateHasherUsesTheChannelDomain(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 0, 0)
	want, err := f.params.Domain.Separator()
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Hasher().Separator(); got != want {
		t.Fatalf("state separator %x, domain %x", got, want)
	}
	if got := s.Clone().Hasher().Separator(); got != want {
		t.Fatalf("clone separator %x, domain %x", got, want)
	}
}

func TestDomainEqual(t *testing.T) {
	a := Domain{ChainID: big.NewInt(1), Contract: common.Address{1}}
	for _, tc := range []struct {
		name string
		b    Domain
		want bool
	}{
		{"same values, different pointers", Domain{ChainID: big.NewInt(1), Contract: common.Address{1}}, true},
		{"other chain", Domain{ChainID: big.NewInt(2), Contract: common.Address{1}}, false},
		{"other contract", Domain{ChainID: big.NewInt(1), Contract: common.Address{2}}, false},
		{"missing chain id", Domain{Contract: common.Address{1}}, false},
	} {
		if got := a.Equal(tc.b); got != tc.want {
			t.Errorf("%s: Equal = %v, want %v", tc.name, got, tc.want)
		}
	}
}
