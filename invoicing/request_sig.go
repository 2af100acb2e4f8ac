package invoicing

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
)

// RequestType is the EIP-712 type of record of a payer's signed invoice request: the
// payer vouches that it asked for exactly this invoice, so a target can count open
// invoices per verified payer (ADR 0035 amendment) whatever hubs relayed the request.
// TestRequestDigestMatchesGoEthereumTypedData checks it against go-ethereum.
const RequestType = "InvoiceRequest(bytes16 requestId,address payer,address payee,uint256 amount,bytes32 memoHash)"

var requestTypeHash = crypto.Keccak256Hash([]byte(RequestType))

// ErrBadPayerSignature: the request's signature does not recover to the payer it names.
var ErrBadPayerSignature = errors.New("invoice request not signed by its payer")

// Digest is the EIP-712 digest of the request under domain d.
func (req Request) Digest(d channel.Domain) (common.Hash, error) {
	sep, err := d.Separator()
	if err != nil {
		return common.Hash{}, fmt.Errorf("invoice request digest: %w", err)
	}
	if req.Amount == nil || req.Amount.Sign() < 0 || req.Amount.BitLen() > 256 {
		return common.Hash{}, fmt.Errorf("invoice request digest: amount %v: %w", req.Amount, channel.ErrInvalidAmount)
	}
	memo := MemoHash(req.Memo)
	buf := make([]byte, 0, 6*32)
	buf = append(buf, requestTypeHash[:]...)
	buf = append(buf, common.RightPadBytes(req.ID[:], 32)...)
	buf = append(buf, common.LeftPadBytes(req.Payer[:], 32)...)
	buf = append(buf, common.LeftPadBytes(req.Payee[:], 32)...)
	buf = append(buf, common.LeftPadBytes(new(big.Int).Set(req.Amount).Bytes(), 32)...)
	buf = append(buf, memo[:]...)
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], crypto.Keccak256(buf)), nil
}

// Sign signs the request as its payer; s must be the payer's key.
func (req Request) Sign(d channel.Domain, s channel.Signer) (channel.Signature, error) {
	if s.Address() != req.Payer {
		return channel.Signature{}, fmt.Errorf("sign invoice request of payer %s with key %s: %w", req.Payer, s.Address(), channel.ErrInvalidParams)
	}
	digest, err := req.Digest(d)
	if err != nil {
		return channel.Signature{}, err
	}
	sig, err := s.SignDigest(digest)
	if err != nil {
		return channel.Signature{}, fmt.Errorf("sign invoice request: %w", err)
	}
	return sig, nil
}

// VerifyPayer checks that sig is the payer's signature of exactly this request.
func (req Request) VerifyPayer(d channel.Domain, sig channel.Signature) error {
	digest, err := req.Digest(d)
	if err != nil {
		return err
	}
	signer, err := channel.Recover(digest, sig)
	if err != nil {
		return fmt.Errorf("invoice request of %s: %v: %w", req.Payer, err, ErrBadPayerSignature)
	}
	if signer != req.Payer {
		return fmt.Errorf("invoice request of %s signed by %s: %w", req.Payer, signer, ErrBadPayerSignature)
	}
	return nil
}
