package invoicing

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

func TestRequestDigestMatchesGoEthereumTypedData(t *testing.T) {
	req := Request{ID: [16]byte{1, 2, 3}, Payer: common.Address{0xaa}, Payee: common.Address{0xee},
		Amount: big.NewInt(123456), Memo: []byte("order 42")}
	memo := MemoHash(req.Memo)
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "version", Type: "string"}, {Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"}},
			"InvoiceRequest": {{Name: "requestId", Type: "bytes16"}, {Name: "payer", Type: "address"}, {Name: "payee", Type: "address"},
				{Name: "amount", Type: "uint256"}, {Name: "memoHash", Type: "bytes32"}},
		},
		PrimaryType: "InvoiceRequest",
		Domain: apitypes.TypedDataDomain{Name: "Sluice", Version: "1", ChainId: (*math.HexOrDecimal256)(testDomain.ChainID),
			VerifyingContract: testDomain.Contract.Hex()},
		Message: apitypes.TypedDataMessage{
			"requestId": hexutil.Encode(req.ID[:]), "payer": req.Payer.Hex(), "payee": req.Payee.Hex(),
			"amount": req.Amount.String(), "memoHash": hexutil.Encode(memo[:]),
		},
	}
	want, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	if td.TypeHash("InvoiceRequest").String() != requestTypeHash.Hex() {
		t.Fatal("type string differs from go-ethereum's encoding of the fields")
	}
	got, err := req.Digest(testDomain)
	if err != nil {
		t.Fatal(err)
	}
	if got.Hex() != hexutil.Encode(want) {
		t.Fatalf("digest %s, go-ethereum %x", got.Hex(), want)
	}
	inv := Invoice{RequestID: req.ID, Payer: req.Payer, Payee: req.Payee, Amount: req.Amount, MemoHash: memo}
	if d, _ := inv.Digest(testDomain); d == got {
		t.Fatal("a request signature must never pass for an invoice")
	}
}

// A payer's signature covers every field a hub or another wallet could alter or reuse.
func TestVerifyPayerRefusesWhatThePayerDidNotSign(t *testing.T) {
	p, other := signer(t, 1), signer(t, 2)
	req := Request{ID: [16]byte{7}, Payer: p.Address(), Payee: common.Address{0xee}, Amount: big.NewInt(10), Memo: []byte("m")}
	sig, err := req.Sign(testDomain, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := req.VerifyPayer(testDomain, sig); err != nil {
		t.Fatalf("the payer's own signature: %v", err)
	}
	if _, err := req.Sign(testDomain, other); err == nil {
		t.Fatal("signed a request naming another payer")
	}
	forged := req
	forged.Payer = other.Address()
	fsig, _ := forged.Sign(testDomain, other)
	spoof := req // another wallet's signature on a request naming p
	for name, c := range map[string]struct {
		r   Request
		sig [65]byte
	}{
		"other id":     {Request{ID: [16]byte{8}, Payer: req.Payer, Payee: req.Payee, Amount: req.Amount, Memo: req.Memo}, sig},
		"other payee":  {Request{ID: req.ID, Payer: req.Payer, Payee: common.Address{0xef}, Amount: req.Amount, Memo: req.Memo}, sig},
		"other amount": {Request{ID: req.ID, Payer: req.Payer, Payee: req.Payee, Amount: big.NewInt(11), Memo: req.Memo}, sig},
		"other memo":   {Request{ID: req.ID, Payer: req.Payer, Payee: req.Payee, Amount: req.Amount}, sig},
		"spoofed":      {spoof, fsig},
		"garbage":      {req, [65]byte{1, 2, 3}},
		"other domain": {req, sig},
	} {
		d := testDomain
		if name == "other domain" {
			d.ChainID = big.NewInt(1)
		}
		if err := c.r.VerifyPayer(d, c.sig); !errors.Is(err, ErrBadPayerSignature) {
			t.Errorf("%s: %v, want ErrBadPayerSignature", name, err)
		}
	}
}
