package invoicing

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
)

// Type is the EIP-712 type of record of a signed invoice. Wallet tooling
// (eth_signTypedData_v4) produces the same digest; TestDigestMatchesGoEthereumTypedData
// checks it. Its type hash differs from every struct the contract accepts, so an invoice
// signature can never pass for a proof.
const Type = "Invoice(bytes16 requestId,address payer,address payee,bytes32 secretHash,uint256 amount,uint64 expiry,bytes32 memoHash)"

var typeHash = crypto.Keccak256Hash([]byte(Type))

var (
	// ErrBadSignature: the invoice is not signed by the payee the payer asked.
	ErrBadSignature = errors.New("invoice not signed by the payee")
	// ErrMismatch: a signed field differs from what the payer asked for.
	ErrMismatch = errors.New("invoice does not answer the request")
	// ErrExpired: the invoice's expiry has passed.
	ErrExpired = errors.New("invoice expired")
)

// Invoice is what the target signs: a fresh secret hash for exactly this request (its id,
// payer, amount and memo), so a relaying hub can neither substitute a hash of its own nor
// hand one payer's invoice to another.
type Invoice struct {
	RequestID  [16]byte
	Payer      common.Address
	Payee      common.Address
	SecretHash [32]byte
	Amount     *big.Int
	Expiry     uint64 // unix seconds
	MemoHash   [32]byte
}

// MemoHash is keccak256 of the memo, the zero hash for none.
func MemoHash(memo []byte) [32]byte {
	if len(memo) == 0 {
		return [32]byte{}
	}
	return crypto.Keccak256Hash(memo)
}

// Digest is the EIP-712 digest of inv under domain d.
func (inv *Invoice) Digest(d channel.Domain) (common.Hash, error) {
	sep, err := d.Separator()
	if err != nil {
		return common.Hash{}, fmt.Errorf("invoice digest: %w", err)
	}
	if inv.Amount == nil || inv.Amount.Sign() < 0 || inv.Amount.BitLen() > 256 {
		return common.Hash{}, fmt.Errorf("invoice digest: amount %v: %w", inv.Amount, channel.ErrInvalidAmount)
	}
	buf := make([]byte, 0, 8*32)
	buf = append(buf, typeHash[:]...)
	buf = append(buf, common.RightPadBytes(inv.RequestID[:], 32)...)
	buf = append(buf, common.LeftPadBytes(inv.Payer[:], 32)...)
	buf = append(buf, common.LeftPadBytes(inv.Payee[:], 32)...)
	buf = append(buf, inv.SecretHash[:]...)
	buf = append(buf, common.LeftPadBytes(inv.Amount.Bytes(), 32)...)
	buf = append(buf, common.LeftPadBytes(new(big.Int).SetUint64(inv.Expiry).Bytes(), 32)...)
	buf = append(buf, inv.MemoHash[:]...)
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], crypto.Keccak256(buf)), nil
}

// Sign sets inv.Payee to the signer and returns its signature.
func (inv *Invoice) Sign(d channel.Domain, s channel.Signer) (channel.Signature, error) {
	inv.Payee = s.Address()
	digest, err := inv.Digest(d)
	if err != nil {
		return channel.Signature{}, err
	}
	sig, err := s.SignDigest(digest)
	if err != nil {
		return channel.Signature{}, fmt.Errorf("sign invoice: %w", err)
	}
	return sig, nil
}

// Request is what the payer asked for; Check compares a reply's invoice with it.
type Request struct {
	ID     [16]byte
	Payer  common.Address
	Payee  common.Address
	Amount *big.Int
	Memo   []byte
}

// Check is the payer's verification before it locks anything: the invoice answers
// exactly this request, is unexpired at now (unix seconds) and recovers to the payee.
func (req Request) Check(d channel.Domain, hash [32]byte, amount *big.Int, expiry uint64, sig channel.Signature, now uint64) (Invoice, error) {
	inv := Invoice{RequestID: req.ID, Payer: req.Payer, Payee: req.Payee, SecretHash: hash, Amount: amount, Expiry: expiry, MemoHash: MemoHash(req.Memo)}
	if amount == nil || req.Amount == nil || amount.Cmp(req.Amount) != 0 {
		return inv, fmt.Errorf("invoice amount %v, asked %v: %w", amount, req.Amount, ErrMismatch)
	}
	if hash == ([32]byte{}) {
		return inv, fmt.Errorf("invoice without a secret hash: %w", ErrMismatch)
	}
	if expiry <= now {
		return inv, fmt.Errorf("invoice expired at %d (now %d): %w", expiry, now, ErrExpired)
	}
	digest, err := inv.Digest(d)
	if err != nil {
		return inv, err
	}
	signer, err := channel.Recover(digest, sig)
	if err != nil {
		return inv, fmt.Errorf("invoice from %s: %v: %w", req.Payee, err, ErrBadSignature)
	}
	if signer != req.Payee {
		return inv, fmt.Errorf("invoice from %s signed by %s: %w", req.Payee, signer, ErrBadSignature)
	}
	return inv, nil
}
