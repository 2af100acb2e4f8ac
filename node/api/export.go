package api

import (
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// ProofExportFormat names the version of the ProofExport layout.
const ProofExportFormat = "sluice-proofs/1"

// ProofExport is what `sluice payments export` writes for an auditor: everything needed to
// check this node's off-chain record against the chain without trusting the node. Every
// proof carries the payer's EIP-712 signature over the channel's domain, so the auditor
// verifies it with the chain id and contract alone.
type ProofExport struct {
	Format     string         `json:"format"` // ProofExportFormat
	ExportedAt time.Time      `json:"exportedAt"`
	Node       common.Address `json:"node"`
	ChainID    *big.Int       `json:"chainId"`
	Contract   common.Address `json:"contract"`
	// Channels hold each channel's domain, deposits and the latest proof signed by each
	// party: the proofs that decide a unilateral settlement.
	Channels []Channel `json:"channels"`
	// Payments are every payment this node recorded, oldest first, each with its proof.
	Payments []Payment `json:"payments"`
}
