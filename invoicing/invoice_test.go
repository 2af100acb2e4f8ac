package invoicing

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/sluicepay/sluice/channel"
)

var testDomain = channel.Domain{ChainID: big.NewInt(31337), Contract: common.Address{0xc0}}

func signer(t *testing.T, seed byte) *channel.KeySigner {
	t.Helper()
	k, err := crypto.ToECDSA(common.LeftPadBytes([]byte{seed}, 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := channel.NewKeySigner(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDigestMatchesGoEthereumTypedData(t *testing.T) {
	inv := Invoice{RequestID: [16]byte{1, 2, 3}, Payer: common.Address{0xaa}, Payee: common.Address{0xee},
		SecretHash: [32]byte{9}, Amount: big.NewInt(123456), Expiry: 1_800_000_000, MemoHash: MemoHash([]byte("order 42"))}
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "version", Type: "string"}, {Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"}},
			"Invoice": {{Name: "requestId", Type: "bytes16"}, {Name: "payer", Type: "address"}, {Name: "payee", Type: "address"},
				{Name: "secretHash", Type: "bytes32"}, {Name: "amount", Type: "uint256"}, {Name: "expiry", Type: "uint64"}, {Name: "memoHash", Type: "bytes32"}},
		},
		PrimaryType: "Invoice",
		Domain: apitypes.TypedDataDomain{Name: "Sluice", Version: "1", ChainId: (*math.HexOrDecimal256)(testDomain.ChainID),
			VerifyingContract: testDomain.Contract.Hex()},
		Message: apitypes.TypedDataMessage{
			"requestId": hexutil.Encode(inv.RequestID[:]), "payer": inv.Payer.Hex(), "payee": inv.Payee.Hex(),
			"secretHash": hexutil.Encode(inv.SecretHash[:]), "amount": inv.Amount.String(),
			"expiry": new(big.Int).SetUint64(inv.Expiry).String(), "memoHash": hexutil.Encode(inv.MemoHash[:]),
		},
	}
	want, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	if td.TypeHash("Invoice").String() != typeHash.Hex() {
		t.Fatal("type string differs from go-ethereum's encoding of the fields")
	}
	got, err := inv.Digest(testDomain)
	if err != nil {
		t.Fatal(err)
	}
	if got.Hex() != hexutil.Encode(want) {
		t.Fatalf("digest %s, go-ethereum %x", got.Hex(), want)
	}
}

// The payer's check catches every way a relaying hub could tamper with a reply.
func TestCheckRefusesWhatThePayeeDidNotSign(t *testing.T) {
	payee, hub := signer(t, 1), signer(t, 2)
	req := Request{ID: [16]byte{7}, Payer: common.Address{0xaa}, Payee: payee.Address(), Amount: big.NewInt(500), Memo: []byte("m")}
	inv := Invoice{RequestID: req.ID, Payer: req.Payer, SecretHash: [32]byte{1}, Amount: big.NewInt(500), Expiry: 2000, MemoHash: MemoHash(req.Memo)}
	sig, err := inv.Sign(testDomain, payee)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := req.Check(testDomain, inv.SecretHash, inv.Amount, inv.Expiry, sig, 1000); err != nil {
		t.Fatalf("honest invoice refused: %v", err)
	}
	// The hub's own hash, signed by the hub.
	forged := inv
	forged.SecretHash = [32]byte{2}
	hubSig, _ := forged.Sign(testDomain, hub)
	otherDomain := channel.Domain{ChainID: big.NewInt(1), Contract: testDomain.Contract}
	otherSig, _ := (&Invoice{RequestID: req.ID, Payer: req.Payer, SecretHash: inv.SecretHash, Amount: inv.Amount, Expiry: inv.Expiry, MemoHash: inv.MemoHash}).Sign(otherDomain, payee)
	cases := []struct {
		name   string
		hash   [32]byte
		amount *big.Int
		expiry uint64
		sig    channel.Signature
		req    Request
		want   error
	}{
		{"hub substitutes its hash", forged.SecretHash, inv.Amount, inv.Expiry, hubSig, req, ErrBadSignature},
		{"hub swaps the hash under the payee's signature", forged.SecretHash, inv.Amount, inv.Expiry, sig, req, ErrBadSignature},
		{"other payer's invoice", inv.SecretHash, inv.Amount, inv.Expiry, sig, Request{ID: req.ID, Payer: common.Address{0xbb}, Payee: req.Payee, Amount: req.Amount, Memo: req.Memo}, ErrBadSignature},
		{"other request id", inv.SecretHash, inv.Amount, inv.Expiry, sig, Request{ID: [16]byte{8}, Payer: req.Payer, Payee: req.Payee, Amount: req.Amount, Memo: req.Memo}, ErrBadSignature},
		{"memo changed", inv.SecretHash, inv.Amount, inv.Expiry, sig, Request{ID: req.ID, Payer: req.Payer, Payee: req.Payee, Amount: req.Amount, Memo: []byte("x")}, ErrBadSignature},
		{"amount lowered", inv.SecretHash, big.NewInt(400), inv.Expiry, sig, req, ErrMismatch},
		{"expiry extended", inv.SecretHash, inv.Amount, inv.Expiry + 1, sig, req, ErrBadSignature},
		{"expired", inv.SecretHash, inv.Amount, inv.Expiry, sig, req, ErrExpired},
		{"no hash", [32]byte{}, inv.Amount, inv.Expiry, sig, req, ErrMismatch},
		{"other chain", inv.SecretHash, inv.Amount, inv.Expiry, otherSig, req, ErrBadSignature},
		{"garbage signature", inv.SecretHash, inv.Amount, inv.Expiry, channel.Signature{1, 2, 3}, req, ErrBadSignature},
	}
	for _, c := range cases {
		now := uint64(1000)
		if c.name == "expired" {
			now = inv.Expiry
		}
		if _, err := c.req.Check(testDomain, c.hash, c.amount, c.expiry, c.sig, now); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestRelaysRelayOnlyWhatTheyRelayed(t *testing.T) {
	var tb Relays
	now := time.Unix(1000, 0)
	from, next, stranger := common.Address{1}, common.Address{2}, common.Address{3}
	id := [16]byte{1}
	if err := tb.Add(id, from, next, now); err != nil {
		t.Fatal(err)
	}
	if err := tb.Add(id, stranger, next, now); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate id: %v", err)
	}
	if _, ok := tb.Take([16]byte{9}, next, now); ok {
		t.Fatal("relayed a reply for an unknown request")
	}
	if _, ok := tb.Take(id, stranger, now); ok {
		t.Fatal("relayed a reply from a peer that was not asked")
	}
	if to, ok := tb.Take(id, next, now); !ok || to != from {
		t.Fatalf("reply relayed to %s (%v), want %s", to, ok, from)
	}
	if _, ok := tb.Take(id, next, now); ok {
		t.Fatal("relayed a second reply for one request")
	}
	_ = tb.Add(id, from, next, now)
	if _, ok := tb.Take(id, next, now.Add(RelayTTL+time.Second)); ok {
		t.Fatal("relayed a reply after the entry's TTL")
	}
}

func TestRelaysAreBounded(t *testing.T) {
	tb := Relays{Max: 3, TTL: time.Second}
	now := time.Unix(1000, 0)
	for i := range 3 { // three peers: one alone may hold only its share (TestRelaysShareTheTable)
		if err := tb.Add([16]byte{byte(i)}, common.Address{byte(i + 1)}, common.Address{9}, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := tb.Add([16]byte{9}, common.Address{4}, common.Address{9}, now); !errors.Is(err, ErrTableFull) {
		t.Fatalf("fourth entry: %v", err)
	}
	if err := tb.Add([16]byte{9}, common.Address{1}, common.Address{2}, now.Add(2*time.Second)); err != nil {
		t.Fatalf("after the others expired: %v", err)
	}
	if tb.Len() != 1 {
		t.Fatalf("%d entries after the sweep", tb.Len())
	}
}

// One peer whose requests nobody answers holds at most half of what the other peers leave
// of the table, so another peer always finds room (ADR 0043); its entries count until they
// are answered or expire, and an expired id may be used again without being counted twice.
func TestRelaysShareTheTable(t *testing.T) {
	tb := Relays{Max: 100, TTL: 30 * time.Second}
	now := time.Unix(1000, 0)
	flooder, other, third, next := common.Address{1}, common.Address{2}, common.Address{3}, common.Address{9}
	held := 0
	for i := range 200 {
		if tb.Add([16]byte{1, byte(i)}, flooder, next, now) == nil {
			held++
		}
	}
	if held != 50 || tb.Held(flooder) != 50 {
		t.Fatalf("the flooder holds %d (counted %d), want half the table", held, tb.Held(flooder))
	}
	if err := tb.Add([16]byte{1, 250}, flooder, next, now); !errors.Is(err, ErrPeerShare) {
		t.Fatalf("past its share: %v", err)
	}
	for i := range 25 {
		if err := tb.Add([16]byte{2, byte(i)}, other, next, now); err != nil {
			t.Fatalf("another peer's request %d: %v", i, err)
		}
	}
	if err := tb.Add([16]byte{2, 99}, other, next, now); !errors.Is(err, ErrPeerShare) {
		t.Fatalf("the second peer past half of what is left: %v", err)
	}
	if err := tb.Add([16]byte{3}, third, next, now); err != nil {
		t.Fatalf("a third peer: %v", err)
	}
	if _, ok := tb.Take([16]byte{1, 0}, next, now); !ok || tb.Held(flooder) != 49 {
		t.Fatalf("an answered entry still counted: %d", tb.Held(flooder))
	}
	later := now.Add(31 * time.Second)
	if err := tb.Add([16]byte{1, 1}, flooder, next, later); err != nil { // expired id reused
		t.Fatalf("after the flooder's entries expired: %v", err)
	}
	if tb.Held(flooder) != 1 || tb.Len() != 1 {
		t.Fatalf("after the sweep: flooder %d, table %d; want 1, 1", tb.Held(flooder), tb.Len())
	}
}

func TestLimiterPerPeer(t *testing.T) {
	l := Limiter{Rate: 1, Burst: 2, MaxPeers: 2}
	now := time.Unix(1000, 0)
	a, b, c := common.Address{1}, common.Address{2}, common.Address{3}
	if !l.Allow(a, now) || !l.Allow(a, now) || l.Allow(a, now) {
		t.Fatal("burst of 2 not enforced")
	}
	if !l.Allow(b, now) {
		t.Fatal("one peer's flood limited another")
	}
	if l.Allow(c, now) {
		t.Fatal("a third peer got a bucket past MaxPeers while the others are busy")
	}
	if !l.Allow(a, now.Add(time.Second)) {
		t.Fatal("no refill after a second")
	}
	if !l.Allow(c, now.Add(10*time.Second)) {
		t.Fatal("idle buckets not dropped for a new peer")
	}
}
