package audit

import (
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Report is the outcome of an audit. It failed when Discrepancies is not empty.
type Report struct {
	ChainID   uint64
	Contract  common.Address
	FromBlock uint64
	ToBlock   uint64
	// FullScan is true when the scan covered the contract's whole history, which the
	// solvency check needs.
	FullScan bool

	Channels []ChannelReport
	Holdings []Holding // nil when the scan was partial
	// ProofNode and Proofs are set when a node's proof file was checked.
	ProofNode *common.Address
	Proofs    []ProofCheck

	Totals        Totals
	Discrepancies []Finding
	Warnings      []Finding
	Elapsed       time.Duration
}

// OK reports a clean audit.
func (r *Report) OK() bool { return len(r.Discrepancies) == 0 }

// Totals summarise the audit.
type Totals struct {
	Channels      int `json:"channels"`
	Open          int `json:"open"`
	Closing       int `json:"closing"`
	Settled       int `json:"settled"`
	Cooperative   int `json:"cooperative"`
	Unilateral    int `json:"unilateral"`
	Events        int `json:"events"`
	Signatures    int `json:"signaturesVerified"`
	Discrepancies int `json:"discrepancies"`
	Warnings      int `json:"warnings"`
}

// ChannelReport is one channel as rebuilt from the events. Pairs are indexed by
// channel.Party (A, B).
type ChannelReport struct {
	ID          channel.ID
	A, B        common.Address
	Token       common.Address
	Status      channel.Status
	Deposit     [2]*big.Int
	Withdrawn   [2]*big.Int
	Nonce       [2]uint64   // best proof on chain, per signer
	Transferred [2]*big.Int // per signer
	// Paid is what ChannelSettled paid A and B; nil until settled.
	Paid        [2]*big.Int
	Cooperative bool
	Opened      uint64 // block; 0 when the channel was opened before the scan
	Closed      uint64
	Settled     uint64
	Events      int
	Signatures  int  // signatures verified from calldata
	Seeded      bool // opened before the scan; its starting state came from channel(id)
	Issues      int  // discrepancies on this channel
}

// OK reports that nothing about this channel contradicts the rest.
func (c ChannelReport) OK() bool { return c.Issues == 0 }

func (l *ledger) reports(found *findings) ([]ChannelReport, Totals) {
	out := make([]ChannelReport, len(l.order))
	var t Totals
	for i, r := range l.order {
		c := ChannelReport{
			ID: r.id, A: r.participants[0], B: r.participants[1], Token: r.token, Status: r.status,
			Deposit: r.deposit, Withdrawn: r.withdrawn, Nonce: r.nonce, Transferred: r.transferred,
			Paid: r.final, Cooperative: r.cooperative,
			Opened: r.opened.block, Closed: r.closed.block, Settled: r.settled.block,
			Events: r.events, Signatures: r.sigsVerified, Seeded: r.seeded, Issues: found.perChannel[r.id],
		}
		out[i] = c
		switch r.status {
		case channel.StatusOpen:
			t.Open++
		case channel.StatusClosing:
			t.Closing++
		case channel.StatusSettled:
			t.Settled++
			if r.final[0] != nil {
				if r.cooperative {
					t.Cooperative++
				} else {
					t.Unilateral++
				}
			}
		}
	}
	t.Channels = len(out)
	t.Events = l.events
	return out, t
}
