package audit

import (
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// NodeExportFormat is the "format" of what `sluice payments export` writes
// (node/api.ProofExport). The auditor reads it with its own types, so it never depends
// on the node's code.
const NodeExportFormat = "sluice-proofs/1"

// nodeExport is the subset of node/api.ProofExport the auditor reads.
type nodeExport struct {
	Format   string            `json:"format"`
	Node     common.Address    `json:"node"`
	ChainID  *big.Int          `json:"chainId"`
	Contract common.Address    `json:"contract"`
	Channels []nodeExportChan  `json:"channels"`
	Payments []nodeExportPayed `json:"payments"`
}

type nodeExportChan struct {
	ID           common.Hash       `json:"id"`
	Participants [2]common.Address `json:"participants"`
	Us           string            `json:"us"` // "A" or "B"
	Token        common.Address    `json:"token"`
	// LatestProofs are the latest proof signed by A and by B.
	LatestProofs [2]*nodeExportProof `json:"latestProofs"`
}

type nodeExportProof struct {
	Channel     common.Hash    `json:"channel"`
	Nonce       uint64         `json:"nonce"`
	Transferred Amount         `json:"transferred"`
	Locked      *Amount        `json:"locked"`    // absent for a lock-free proof
	LocksRoot   common.Hash    `json:"locksRoot"` // zero for a lock-free proof
	Locks       []ExportedLock `json:"locks"`     // the pending locks LocksRoot commits to
	Signature   hexutil.Bytes  `json:"signature"`
}

type nodeExportPayed struct {
	Channel   common.Hash     `json:"channel"`
	Direction string          `json:"direction"` // sent or received
	Proof     nodeExportProof `json:"proof"`
}

// fromNodeExport converts a node export into a ProofFile. The best received proof is
// the highest nonce among the channel's latest proof and every received payment's
// proof, so a stale "latest" in the export cannot hide a newer proof the node holds.
func fromNodeExport(data []byte) (*ProofFile, error) {
	var e nodeExport
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("proof file (%s): %w", NodeExportFormat, err)
	}
	if e.ChainID == nil || !e.ChainID.IsUint64() {
		return nil, fmt.Errorf("proof file (%s): chainId %v", NodeExportFormat, e.ChainID)
	}
	f := &ProofFile{Version: ProofFileVersion, ChainID: e.ChainID.Uint64(), Contract: e.Contract, Node: e.Node}
	index := make(map[common.Hash]int, len(e.Channels))
	for _, c := range e.Channels {
		var us int
		switch c.Us {
		case "A":
			us = 0
		case "B":
			us = 1
		default:
			return nil, fmt.Errorf("proof file (%s): channel %s: us %q, want A or B", NodeExportFormat, c.ID, c.Us)
		}
		fc := ProofFileChannel{ID: c.ID, Participants: c.Participants, Token: c.Token,
			Received: c.LatestProofs[1-us].exported(), Sent: c.LatestProofs[us].exported()}
		index[c.ID] = len(f.Channels)
		f.Channels = append(f.Channels, fc)
	}
	for _, p := range e.Payments {
		i, ok := index[p.Channel]
		if !ok {
			continue
		}
		best := &f.Channels[i].Received
		if p.Direction == "sent" {
			best = &f.Channels[i].Sent
		}
		if *best == nil || p.Proof.Nonce > (*best).Nonce {
			*best = p.Proof.exported()
		}
	}
	return f, nil
}

func (p *nodeExportProof) exported() *ExportedProof {
	if p == nil {
		return nil
	}
	out := &ExportedProof{Nonce: p.Nonce, Transferred: NewAmount(&p.Transferred.Int), Sig: p.Signature}
	if p.Locked != nil && p.Locked.Sign() != 0 || p.LocksRoot != (common.Hash{}) {
		var locked Amount
		if p.Locked != nil {
			locked = NewAmount(&p.Locked.Int)
		}
		root := p.LocksRoot
		out.Locked, out.LocksRoot = &locked, &root
		out.Locks = p.Locks
	}
	return out
}
