package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/sluicepay/sluice/channel"
)

// ProofFileVersion is the only ProofFile version this auditor reads.
const ProofFileVersion = 1

// maxProofFileBytes bounds what ReadProofFile accepts: a hub with a million channels
// exports about 600 MB, more than that is not a proof file.
const maxProofFileBytes = 1 << 30

// ProofFile is what `sluice payments export` writes: the best signed proofs one node
// holds, per channel, so an auditor can check that no settlement ignored them. The
// auditor trusts none of it: every signature is verified against the chain's domain.
//
//	{"version": 1, "chainId": 31337, "contract": "0x…", "node": "0x…",
//	 "channels": [{"id": "0x…", "participants": ["0xA…", "0xB…"], "token": "0x0…0",
//	   "received": {"nonce": 12, "transferred": "7000", "sig": "0x…65 bytes"},
//	   "sent":     {"nonce": 3,  "transferred": "500",  "sig": "0x…"}}]}
type ProofFile struct {
	Version  int                `json:"version"`
	ChainID  uint64             `json:"chainId"`
	Contract common.Address     `json:"contract"`
	Node     common.Address     `json:"node"` // the exporting node's on-chain address
	Channels []ProofFileChannel `json:"channels"`
}

// ProofFileChannel is one channel of the exporting node.
type ProofFileChannel struct {
	ID           common.Hash       `json:"id"`
	Participants [2]common.Address `json:"participants"` // [a, b] as opened on chain
	Token        common.Address    `json:"token"`        // address(0) = ETH
	// Received is the best proof the partner signed (it pays the node); nil if none.
	Received *ExportedProof `json:"received,omitempty"`
	// Sent is the best proof the node signed (it pays the partner); nil if none.
	Sent *ExportedProof `json:"sent,omitempty"`
}

// ExportedProof is a signed BalanceProof of the channel it is listed under.
type ExportedProof struct {
	Nonce       uint64 `json:"nonce"`
	Transferred Amount `json:"transferred"`
	// Locked and LocksRoot are the proof's pending hashlocks; absent for a lock-free proof.
	Locked    *Amount      `json:"locked,omitempty"`
	LocksRoot *common.Hash `json:"locksRoot,omitempty"`
	// Locks, when given, are the pending locks LocksRoot commits to, in creation order;
	// the auditor checks the commitment itself (checkLocks).
	Locks []ExportedLock `json:"locks,omitempty"`
	Sig   hexutil.Bytes  `json:"sig"` // 65 bytes r || s || v, v in {27, 28}
}

// ExportedLock is one pending hashlock: Lock(uint256 amount,uint64 expiration,bytes32 secretHash).
type ExportedLock struct {
	Amount     Amount      `json:"amount"`
	Expiration uint64      `json:"expiration"`
	SecretHash common.Hash `json:"secretHash"`
}

// Amount is a token amount in JSON: written as a decimal string (JavaScript loses
// precision above 2^53), read from a decimal or 0x-hex string or a JSON integer.
type Amount struct{ big.Int }

// NewAmount copies v.
func NewAmount(v *big.Int) Amount {
	var a Amount
	if v != nil {
		a.Set(v)
	}
	return a
}

// MarshalJSON writes the decimal string.
func (a Amount) MarshalJSON() ([]byte, error) { return json.Marshal(a.String()) }

// UnmarshalJSON reads "123", "0x7b" or 123, refusing negatives and values above 2^128-1.
func (a *Amount) UnmarshalJSON(data []byte) error {
	text := string(bytes.TrimSpace(data))
	if strings.HasPrefix(text, `"`) {
		if err := json.Unmarshal(data, &text); err != nil {
			return fmt.Errorf("amount %s: %w", data, err)
		}
	}
	base, digits := 10, text
	if strings.HasPrefix(text, "0x") || strings.HasPrefix(text, "0X") {
		base, digits = 16, text[2:]
	}
	if digits == "" || len(digits) > 80 || strings.ContainsAny(digits, "+-") {
		return fmt.Errorf("amount %q: want a non-negative integer", text)
	}
	if _, ok := a.SetString(digits, base); !ok {
		return fmt.Errorf("amount %q: want a non-negative integer", text)
	}
	if a.Cmp(channel.MaxAmount()) > 0 {
		return fmt.Errorf("amount %q exceeds 2^128-1", text)
	}
	return nil
}

// ReadProofFile decodes and sanity-checks a proof file: either a ProofFile (version 1)
// or the node's own export (format "sluice-proofs/1", see NodeExportFormat). Signatures
// are checked later, against the audited chain.
func ReadProofFile(r io.Reader) (*ProofFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxProofFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("proof file: %w", err)
	}
	if len(data) > maxProofFileBytes {
		return nil, fmt.Errorf("proof file: larger than %d bytes", maxProofFileBytes)
	}
	var probe struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("proof file: %w", err)
	}
	var f *ProofFile
	switch probe.Format {
	case NodeExportFormat:
		if f, err = fromNodeExport(data); err != nil {
			return nil, err
		}
	case "":
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		f = new(ProofFile)
		if err := dec.Decode(f); err != nil {
			return nil, fmt.Errorf("proof file: %w", err)
		}
	default:
		return nil, fmt.Errorf("proof file: format %q, this auditor reads %q and version %d", probe.Format, NodeExportFormat, ProofFileVersion)
	}
	return f, f.validate()
}

// validate checks what can be checked without the chain.
func (f *ProofFile) validate() error {
	if f.Version != ProofFileVersion {
		return fmt.Errorf("proof file: version %d, this auditor reads version %d", f.Version, ProofFileVersion)
	}
	if f.ChainID == 0 || f.Contract == (common.Address{}) || f.Node == (common.Address{}) {
		return fmt.Errorf("proof file: chainId, contract and node are required")
	}
	seen := make(map[common.Hash]bool, len(f.Channels))
	for i, c := range f.Channels {
		if seen[c.ID] {
			return fmt.Errorf("proof file: channel %s listed twice", c.ID)
		}
		seen[c.ID] = true
		if c.Participants[0] != f.Node && c.Participants[1] != f.Node {
			return fmt.Errorf("proof file: channel %d (%s): node %s is not a participant", i, c.ID, f.Node)
		}
		for _, p := range []*ExportedProof{c.Received, c.Sent} {
			if p != nil && len(p.Sig) != len(channel.Signature{}) {
				return fmt.Errorf("proof file: channel %s: signature of %d bytes, want 65", c.ID, len(p.Sig))
			}
			if err := p.checkLocks(); err != nil {
				return fmt.Errorf("proof file: channel %s: nonce %d: %w", c.ID, p.Nonce, err)
			}
		}
	}
	return nil
}

// signed turns an exported proof into the channel type.
func (p *ExportedProof) signed(id channel.ID) channel.SignedProof {
	sp := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: id, Nonce: p.Nonce, Transferred: new(big.Int).Set(&p.Transferred.Int)}}
	if p.Locked != nil {
		sp.Locked = new(big.Int).Set(&p.Locked.Int)
	}
	if p.LocksRoot != nil {
		sp.LocksRoot = *p.LocksRoot
	}
	copy(sp.Sig[:], p.Sig)
	return sp
}

// checkLocks verifies that a proof's lock list is the one its locksRoot and locked commit
// to: the root recomputed from the list, and the amounts summed. A proof without a list
// is not checked (older exports carry none).
func (p *ExportedProof) checkLocks() error {
	if p == nil || len(p.Locks) == 0 {
		return nil
	}
	locks := make([]channel.Lock, len(p.Locks))
	sum := new(big.Int)
	for i, l := range p.Locks {
		locks[i] = channel.Lock{Amount: new(big.Int).Set(&l.Amount.Int), Expiration: l.Expiration, SecretHash: l.SecretHash}
		sum.Add(sum, &l.Amount.Int)
	}
	root, err := channel.LocksRoot(locks)
	if err != nil {
		return fmt.Errorf("locks: %w", err)
	}
	if p.LocksRoot == nil || common.Hash(root) != *p.LocksRoot {
		return fmt.Errorf("%d locks hash to %s, not the proof's locksRoot", len(locks), common.Hash(root))
	}
	if p.Locked == nil || sum.Cmp(&p.Locked.Int) != 0 {
		return fmt.Errorf("locks sum to %s, not the proof's locked amount", sum)
	}
	return nil
}
