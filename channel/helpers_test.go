package channel

import (
	"crypto/ecdsa"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Deterministic test keys: fixtures must not change between runs.
func testKey(t testing.TB, seed byte) *ecdsa.PrivateKey {
	t.Helper()
	var d [32]byte
	d[0] = 0x01
	d[31] = seed
	k, err := crypto.ToECDSA(d[:])
	if err != nil {
		t.Fatalf("test key %d: %v", seed, err)
	}
	return k
}

func testSigner(t testing.TB, seed byte) *KeySigner {
	t.Helper()
	s, err := NewKeySigner(testKey(t, seed))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type fixture struct {
	params  Params
	signers [2]*KeySigner
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	f := fixture{signers: [2]*KeySigner{testSigner(t, 1), testSigner(t, 2)}}
	f.params = Params{
		ID:              ID{0xc4, 0xa7, 0x01},
		Domain:          Domain{ChainID: big.NewInt(31337), Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")},
		Participants:    [2]common.Address{f.signers[0].Address(), f.signers[1].Address()},
		Token:           common.Address{},
		ChallengePeriod: 60,
	}
	return f
}

// state returns an open channel with the given deposits.
func (f fixture) state(t testing.TB, depA, depB int64) *State {
	t.Helper()
	s, err := NewState(f.params)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyDeposit(PartyA, big.NewInt(depA)); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyDeposit(PartyB, big.NewInt(depB)); err != nil {
		t.Fatal(err)
	}
	return s
}

// pay prepares and commits a payment on s, returning the proof.
func (f fixture) pay(t testing.TB, s *State, payer Party, amount int64) SignedProof {
	t.Helper()
	p, err := s.PreparePayment(payer, big.NewInt(amount), f.signers[payer])
	if err != nil {
		t.Fatalf("prepare payment %s %d: %v", payer, amount, err)
	}
	if err := s.CommitProof(payer, p); err != nil {
		t.Fatalf("commit payment %s %d: %v", payer, amount, err)
	}
	return p
}

// signProof signs an arbitrary proof with signer over domain d.
func signProof(t testing.TB, d Domain, signer Signer, bp BalanceProof) SignedProof {
	t.Helper()
	digest, err := d.BalanceProofDigest(bp)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := signer.SignDigest(digest)
	if err != nil {
		t.Fatal(err)
	}
	return SignedProof{BalanceProof: bp, Sig: sig}
}

func bi(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 0)
	if !ok {
		panic("bad test integer " + s)
	}
	return v
}

// stateDiff describes how two States differ in anything a rule may change ("" if equal).
func stateDiff(a, b *State) string {
	sa, sb := a.Snapshot(), b.Snapshot()
	if sa.Status != sb.Status {
		return "status " + sa.Status.String() + " vs " + sb.Status.String()
	}
	for p := range sa.Sides {
		x, y := sa.Sides[p], sb.Sides[p]
		if x.Deposit.Cmp(y.Deposit) != 0 || x.Withdrawn.Cmp(y.Withdrawn) != 0 {
			return "deposit/withdrawn of " + Party(p).String()
		}
		if x.Sent.Nonce != y.Sent.Nonce || x.Sent.Transferred.Cmp(y.Sent.Transferred) != 0 || x.Sent.Sig != y.Sent.Sig || x.Sent.Channel != y.Sent.Channel {
			return "latest proof of " + Party(p).String()
		}
		if !sameAmount(x.Sent.Locked, y.Sent.Locked) || x.Sent.LocksRoot != y.Sent.LocksRoot || !sameLocks(x.Locks, y.Locks) {
			return "pending locks of " + Party(p).String()
		}
	}
	if len(sa.Pending) != len(sb.Pending) {
		return "pending withdrawals"
	}
	for i := range sa.Pending {
		if !sameWithdrawal(&sa.Pending[i], &sb.Pending[i]) {
			return "pending withdrawal"
		}
	}
	if (sa.Settlement == nil) != (sb.Settlement == nil) {
		return "settlement"
	}
	return ""
}
