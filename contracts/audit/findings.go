package audit

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Code names a kind of finding. Codes are stable: scripts match on them.
type Code string

// Discrepancies: the chain's record contradicts itself, a signature, the settlement
// formula, the contract's own views or its balances. Any of them fails the audit.
const (
	CodeUnknownChannel     Code = "unknown-channel"      // an event for a channel never opened in the scanned range
	CodeDuplicateOpen      Code = "duplicate-open"       // ChannelOpened twice for one id
	CodeBadParticipant     Code = "bad-participant"      // an event names someone who is not a participant
	CodeWrongStatus        Code = "wrong-status"         // an event the channel's status does not allow
	CodeBadTotal           Code = "bad-total"            // amount and running total of a deposit/withdrawal disagree
	CodeOverWithdrawn      Code = "over-withdrawn"       // withdrawals exceed deposits
	CodeStaleProof         Code = "stale-proof"          // a proof recorded without a higher nonce
	CodeBadSignature       Code = "bad-signature"        // calldata signature does not recover to the credited participant
	CodeCalldataMismatch   Code = "calldata-mismatch"    // the call that emitted an event carries other values than the event
	CodeSettlementMismatch Code = "settlement-mismatch"  // ChannelSettled differs from the recomputed settlement
	CodeBadCredit          Code = "bad-credit"           // Credited/Claimed that no payout or credit explains
	CodeBadTiming          Code = "bad-timing"           // a challenge period not respected (close, updateProof or settle)
	CodeViewMismatch       Code = "view-mismatch"        // channel(id) or claimable() differs from the rebuilt state
	CodeInsolvent          Code = "insolvent"            // the contract holds less than it owes
	CodeMissedProof        Code = "missed-newer-proof"   // settled on an older proof than the node's exported one
	CodeUnderpaid          Code = "underpaid"            // the node got less than its proofs entitle it to
	CodeBadProofFileEntry  Code = "bad-proof-file-entry" // a proof in the node's file fails verification
	CodeNoConsent          Code = "no-receiver-consent"  // a proof recorded without its receiver sending it or endorsing it
	CodeBadUnlock          Code = "bad-unlock"           // a hold-back or unlock payout the locks, secrets and balances do not explain
)

// Warnings: something could not be checked, or needs attention but is not (yet) wrong.
const (
	CodeUnverifiable   Code = "unverifiable"     // a signature could not be fetched (e.g. a call through another contract and no tracer)
	CodeSkipped        Code = "skipped"          // a check that the scan range or the node's state did not allow
	CodeNewerProofHeld Code = "newer-proof-held" // a closing channel where the node holds a newer proof: updateProof before settleAfter
	CodeUnknownToChain Code = "not-on-chain"     // the proof file names a channel the scan did not see
	CodeNodeSignedMore Code = "node-signed-more" // the chain holds a proof signed by the node newer than its export
	CodeSurplus        Code = "surplus"          // the contract holds more than it owes (tokens sent to it directly)
)

// Finding is one discrepancy or warning, located on chain where it has a location.
type Finding struct {
	Code    Code
	Channel *channel.ID // nil for a finding about the whole contract
	Block   uint64      // 0 when no block caused it
	Tx      common.Hash // zero when no transaction caused it
	Message string
}

// ChannelString is the channel id in hex, or "" for a finding about the whole contract.
func (f Finding) ChannelString() string {
	if f.Channel == nil {
		return ""
	}
	return f.Channel.String()
}

// TxString is the transaction hash in hex, or "" when no transaction caused it.
func (f Finding) TxString() string {
	if f.Tx == (common.Hash{}) {
		return ""
	}
	return f.Tx.Hex()
}

func (f Finding) String() string {
	s := string(f.Code)
	if f.Channel != nil {
		s += " channel " + f.Channel.String()
	}
	if f.Block != 0 {
		s += fmt.Sprintf(" block %d", f.Block)
	}
	if f.Tx != (common.Hash{}) {
		s += " tx " + f.Tx.Hex()
	}
	return s + ": " + f.Message
}

// at locates a finding at an event.
type at struct {
	channel *channel.ID
	block   uint64
	tx      common.Hash
}

func (a at) finding(code Code, format string, args ...any) Finding {
	return Finding{Code: code, Channel: a.channel, Block: a.block, Tx: a.tx, Message: fmt.Sprintf(format, args...)}
}

// findings collects what an audit found, split by severity.
type findings struct {
	discrepancies []Finding
	warnings      []Finding
	perChannel    map[channel.ID]int // discrepancies per channel, for the per-channel verdict
}

func newFindings() *findings { return &findings{perChannel: make(map[channel.ID]int)} }

func (fs *findings) fail(f Finding) {
	fs.discrepancies = append(fs.discrepancies, f)
	if f.Channel != nil {
		fs.perChannel[*f.Channel]++
	}
}

func (fs *findings) warn(f Finding) { fs.warnings = append(fs.warnings, f) }
