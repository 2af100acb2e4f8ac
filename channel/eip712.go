package channel

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// EIP-712 type strings of record (docs/contract.md). The contract hashes exactly these.
const (
	DomainName    = "Sluice"
	DomainVersion = "1"

	domainType       = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
	balanceProofType = "BalanceProof(bytes32 channelId,uint64 nonce,uint256 transferred,uint256 locked,bytes32 locksRoot)"
	settlementType   = "Settlement(bytes32 channelId,uint256 balanceA,uint256 balanceB)"
	withdrawalType   = "Withdrawal(bytes32 channelId,address participant,uint256 totalWithdrawn,uint64 expiry)"
	// endorsementType is the receiver's consent to a third party submitting exactly this
	// proof on chain (updateProofFor). EIP-712 appends the nested struct's type.
	endorsementType = "ProofEndorsement(BalanceProof proof)" + balanceProofType
)

// Type hashes are constants of the protocol; computing them once keeps the per-payment
// digest at two keccak calls.
var (
	domainTypeHash       = crypto.Keccak256Hash([]byte(domainType))
	domainNameHash       = crypto.Keccak256Hash([]byte(DomainName))
	domainVersionHash    = crypto.Keccak256Hash([]byte(DomainVersion))
	balanceProofTypeHash = crypto.Keccak256Hash([]byte(balanceProofType))
	settlementTypeHash   = crypto.Keccak256Hash([]byte(settlementType))
	withdrawalTypeHash   = crypto.Keccak256Hash([]byte(withdrawalType))
	endorsementTypeHash  = crypto.Keccak256Hash([]byte(endorsementType))
)

// Equal reports whether two domains are the same chain and contract.
func (d Domain) Equal(o Domain) bool {
	if d.Contract != o.Contract {
		return false
	}
	if d.ChainID == nil || o.ChainID == nil {
		return d.ChainID == o.ChainID
	}
	return d.ChainID.Cmp(o.ChainID) == 0
}

// Separator computes the EIP-712 domain separator. It allocates; keep the result (a
// Hasher does) rather than calling it per payment.
func (d Domain) Separator() (common.Hash, error) {
	var buf [5 * 32]byte
	copy(buf[0:], domainTypeHash[:])
	copy(buf[32:], domainNameHash[:])
	copy(buf[64:], domainVersionHash[:])
	if d.ChainID == nil || d.ChainID.Sign() <= 0 {
		return common.Hash{}, fmt.Errorf("domain chain id %v: %w", d.ChainID, ErrWrongDomain)
	}
	if err := putUint256(buf[96:128], d.ChainID); err != nil {
		return common.Hash{}, fmt.Errorf("domain chain id: %w", err)
	}
	copy(buf[128+12:], d.Contract[:])
	return crypto.Keccak256Hash(buf[:]), nil
}

// Hasher computes EIP-712 digests for one domain with a reused keccak state and buffer,
// so a digest costs no allocation. It is not safe for concurrent use.
type Hasher struct {
	sep common.Hash
	k   crypto.KeccakState
	buf [6 * 32]byte
	out common.Hash
	rs  recoverScratch
}

// NewHasher precomputes the domain separator of d.
func NewHasher(d Domain) (*Hasher, error) {
	sep, err := d.Separator()
	if err != nil {
		return nil, err
	}
	return &Hasher{sep: sep, k: newKeccak()}, nil
}

// Separator returns the cached domain separator.
func (h *Hasher) Separator() common.Hash { return h.sep }

// BalanceProofDigest is the digest the payer signs for p.
func (h *Hasher) BalanceProofDigest(p BalanceProof) (common.Hash, error) {
	b, err := h.encodeBalanceProof(p)
	if err != nil {
		return common.Hash{}, fmt.Errorf("balance proof %w", err)
	}
	return h.finish(b), nil
}

// encodeBalanceProof writes the EIP-712 encoding of p into h.buf. A nil Locked encodes as 0
// without allocating, so the direct payment path costs what it did before locks.
func (h *Hasher) encodeBalanceProof(p BalanceProof) ([]byte, error) {
	b := h.buf[:6*32]
	copy(b[0:], balanceProofTypeHash[:])
	copy(b[32:], p.Channel[:])
	putUint64(b[64:96], p.Nonce)
	if err := putUint256(b[96:128], p.Transferred); err != nil {
		return nil, fmt.Errorf("transferred: %w", err)
	}
	if p.Locked == nil {
		clear(b[128:160])
	} else if err := putUint256(b[128:160], p.Locked); err != nil {
		return nil, fmt.Errorf("locked: %w", err)
	}
	copy(b[160:192], p.LocksRoot[:])
	return b, nil
}

// EndorsementDigest is the digest a proof's receiver signs to let anyone (a watchtower)
// submit p on chain on its behalf: ProofEndorsement{proof: p}, where EIP-712 encodes the
// nested proof as its struct hash.
func (h *Hasher) EndorsementDigest(p BalanceProof) (common.Hash, error) {
	b, err := h.encodeBalanceProof(p)
	if err != nil {
		return common.Hash{}, fmt.Errorf("endorsed proof %w", err)
	}
	h.k.Reset()
	h.k.Write(b)
	var proofHash common.Hash
	h.k.Read(proofHash[:])
	b = h.buf[:2*32]
	copy(b[0:], endorsementTypeHash[:])
	copy(b[32:], proofHash[:])
	return h.finish(b), nil
}

// SettlementDigest is the digest both parties sign to close cooperatively.
func (h *Hasher) SettlementDigest(s Settlement) (common.Hash, error) {
	b := h.buf[:4*32]
	copy(b[0:], settlementTypeHash[:])
	copy(b[32:], s.Channel[:])
	if err := putUint256(b[64:96], s.BalanceA); err != nil {
		return common.Hash{}, fmt.Errorf("settlement balance A: %w", err)
	}
	if err := putUint256(b[96:128], s.BalanceB); err != nil {
		return common.Hash{}, fmt.Errorf("settlement balance B: %w", err)
	}
	return h.finish(b), nil
}

// WithdrawalDigest is the digest both parties sign to let w execute on chain.
func (h *Hasher) WithdrawalDigest(w Withdrawal) (common.Hash, error) {
	b := h.buf[:5*32]
	copy(b[0:], withdrawalTypeHash[:])
	copy(b[32:], w.Channel[:])
	clear(b[64 : 64+12])
	copy(b[64+12:96], w.Participant[:])
	if err := putUint256(b[96:128], w.TotalWithdrawn); err != nil {
		return common.Hash{}, fmt.Errorf("withdrawal total: %w", err)
	}
	putUint64(b[128:160], w.Expiry)
	return h.finish(b), nil
}

// finish hashes the encoded struct, then "\x19\x01" || separator || structHash.
func (h *Hasher) finish(encoded []byte) common.Hash {
	h.k.Reset()
	h.k.Write(encoded)
	h.k.Read(h.out[:])
	b := h.buf[:2+32+32]
	b[0], b[1] = 0x19, 0x01
	copy(b[2:], h.sep[:])
	copy(b[34:], h.out[:])
	h.k.Reset()
	h.k.Write(b)
	h.k.Read(h.out[:])
	return h.out
}

// BalanceProofDigest is a one-off convenience; hold a Hasher on hot paths.
func (d Domain) BalanceProofDigest(p BalanceProof) (common.Hash, error) {
	h, err := NewHasher(d)
	if err != nil {
		return common.Hash{}, err
	}
	return h.BalanceProofDigest(p)
}

// EndorsementDigest is a one-off convenience; hold a Hasher on hot paths.
func (d Domain) EndorsementDigest(p BalanceProof) (common.Hash, error) {
	h, err := NewHasher(d)
	if err != nil {
		return common.Hash{}, err
	}
	return h.EndorsementDigest(p)
}

// SettlementDigest is a one-off convenience; hold a Hasher on hot paths.
func (d Domain) SettlementDigest(s Settlement) (common.Hash, error) {
	h, err := NewHasher(d)
	if err != nil {
		return common.Hash{}, err
	}
	return h.SettlementDigest(s)
}

// WithdrawalDigest is a one-off convenience; hold a Hasher on hot paths.
func (d Domain) WithdrawalDigest(w Withdrawal) (common.Hash, error) {
	h, err := NewHasher(d)
	if err != nil {
		return common.Hash{}, err
	}
	return h.WithdrawalDigest(w)
}

func newKeccak() crypto.KeccakState { return crypto.NewKeccakState() }

func putUint64(dst []byte, v uint64) {
	clear(dst[:24])
	for i := 0; i < 8; i++ {
		dst[31-i] = byte(v >> (8 * i))
	}
}

// putUint256 writes x big-endian into the 32-byte dst, refusing what ABI uint256 cannot hold
// (FillBytes would panic on it).
func putUint256(dst []byte, x *big.Int) error {
	if x == nil || x.Sign() < 0 {
		return fmt.Errorf("%v: %w", x, ErrInvalidAmount)
	}
	if x.BitLen() > 256 {
		return fmt.Errorf("%v exceeds uint256: %w", x, ErrAmountTooLarge)
	}
	x.FillBytes(dst[:32])
	return nil
}
