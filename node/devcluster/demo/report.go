package demo

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/params"
)

// Report is everything a demo run measured and checked. Amounts are decimal strings in
// the asset's smallest unit (wei, or token base units), so JSON keeps every digit.
type Report struct {
	Passed   bool   `json:"passed"`
	Seed     uint64 `json:"seed"`
	Duration string `json:"duration"`

	Payments          int     `json:"payments"`
	PaymentFailures   int     `json:"paymentFailures"`
	PaymentSeconds    float64 `json:"paymentSeconds"`
	PaymentsPerSecond float64 `json:"paymentsPerSecond"`
	LatencyP50Millis  float64 `json:"latencyP50Ms"`
	LatencyP99Millis  float64 `json:"latencyP99Ms"`

	Channels []ChannelReport `json:"channels"`
	Accounts []AccountCheck  `json:"accounts"`
	Dispute  DisputeReport   `json:"dispute"`
	Gas      []GasRow        `json:"gas"`
	Audit    string          `json:"audit"` // what the independent auditor found
	Checks   []Check         `json:"checks"`
	Routed   *RoutedReport   `json:"routed,omitempty"` // the routed scene (routed.go)
}

// ChannelReport compares one channel's on-chain outcome with the nodes' ledgers.
type ChannelReport struct {
	Name    string     `json:"name"`
	ID      string     `json:"id"`
	Asset   string     `json:"asset"`
	Closing string     `json:"closing"` // cooperative or unilateral
	Parties []PartyRow `json:"parties"`
}

// PartyRow is one participant's side of a channel. Expected is what the ledgers say the
// participant is owed (deposit - withdrawn - paid + received); OnChain is the payout
// the ChannelSettled event records.
type PartyRow struct {
	Party     string `json:"party"`
	Deposit   string `json:"deposit"`
	Withdrawn string `json:"withdrawn"`
	Paid      string `json:"paid"`
	Received  string `json:"received"`
	Expected  string `json:"expectedPayout"`
	OnChain   string `json:"onChainPayout"`
	OK        bool   `json:"ok"`
}

// AccountCheck compares an account's balance change over the whole run, read from the
// chain, with what its channels and its transaction fees explain.
type AccountCheck struct {
	Party    string `json:"party"`
	Asset    string `json:"asset"`
	Expected string `json:"expectedChange"`
	OnChain  string `json:"onChainChange"`
	OK       bool   `json:"ok"`
}

// DisputeReport is the unilateral close by the cheating hub: its refused attempts to
// erase its payments, and the victim's defense.
type DisputeReport struct {
	Channel     string `json:"channel"`
	Cheater     string `json:"cheater"`
	Victim      string `json:"victim"`
	ClosedNonce uint64 `json:"closedNonce"` // ChannelClosed: the victim's proof the cheater submitted
	// The proof the cheater forged for itself: the highest nonce, nothing paid.
	ForgedNonce       uint64    `json:"forgedNonce"`
	ForgedTransferred string    `json:"forgedTransferred"`
	Attempts          []Attempt `json:"attempts"`
	// The chain's record of the cheater's payments after its attempts, before the victim
	// came back.
	CheaterNonceBeforeDefense uint64 `json:"cheaterNonceBeforeDefense"`
	CheaterPaidBeforeDefense  string `json:"cheaterPaidBeforeDefense"`
	DefendedNonce             uint64 `json:"defendedNonce"` // the victim's watcher's updateProof
	DefendedTransferred       string `json:"defendedTransferred"`
	DefendedBy                string `json:"defendedBy"` // sender of the defending transaction
	ChallengeLeft             uint64 `json:"challengeSecondsLeft"`
	DefenseTx                 string `json:"defenseTx"`
}

// Attempt is one call by which the cheater tried to lower its payments on chain, and how
// the contract answered it.
type Attempt struct {
	What        string `json:"what"`
	Nonce       uint64 `json:"nonce"`
	Transferred string `json:"transferred"`
	Expected    string `json:"expectedRefusal"` // the contract's custom error that must refuse it
	Refused     string `json:"refused"`         // the revert it got ("" = accepted)
	Tx          string `json:"tx,omitempty"`    // a transaction that was mined (there must be none)
}

// GasRow is the gas of one kind of contract operation, as mined.
type GasRow struct {
	Operation string `json:"operation"`
	Count     int    `json:"count"`
	GasEach   uint64 `json:"gasEach"` // mean over Count
}

// Check is one pass/fail assertion with what it compared.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

func (r *Report) check(name string, ok bool, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Name: name, OK: ok, Detail: fmt.Sprintf(format, args...)})
}

// Failed lists the checks that did not pass.
func (r *Report) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// FormatAmount renders base units with 18 decimals as a short decimal ("2.5").
func FormatAmount(s string) string {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return s
	}
	neg := v.Sign() < 0
	v.Abs(v)
	unit := big.NewInt(params.Ether)
	whole, frac := new(big.Int).QuoRem(v, unit, new(big.Int))
	out := whole.String()
	if frac.Sign() != 0 {
		f := fmt.Sprintf("%018s", frac.String())
		out += "." + strings.TrimRight(f, "0")
	}
	if neg {
		out = "-" + out
	}
	return out
}
