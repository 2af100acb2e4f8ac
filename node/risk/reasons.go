package risk

import "math/bits"

// Outcome is what the policy decided.
type Outcome uint8

const (
	Approve Outcome = iota
	StepUp
	Decline
	numOutcomes
)

var outcomeNames = [numOutcomes]string{"approve", "step_up", "decline"}

func (o Outcome) String() string {
	if o >= numOutcomes {
		return "unknown"
	}
	return outcomeNames[o]
}

// Reason is one machine-readable cause of a decision.
type Reason uint8

// Reasons. Their strings are part of the API and the metrics: never rename, only append.
const (
	ReasonUnknownClient Reason = iota
	ReasonInvalidAmount
	ReasonSingleMax
	ReasonDailyCap
	ReasonVelocity1s
	ReasonVelocity1m
	ReasonVelocity1h
	ReasonVelocity24h
	ReasonCounterpartyVelocity1s
	ReasonCounterpartyVelocity1m
	ReasonCounterpartyVelocity1h
	ReasonCounterpartyVelocity24h
	ReasonChannelVelocity1s
	ReasonChannelVelocity1m
	ReasonChannelVelocity1h
	ReasonChannelVelocity24h
	ReasonBurst
	ReasonNewCounterparty
	ReasonAmountSpike
	ReasonRateSpike
	ReasonAnomalyScore
	ReasonLargePayment
	ReasonNoDevice
	ReasonStepUpVerified
	ReasonStepUpInvalid
	ReasonStepUpExpired
	ReasonStepUpBadSignature
	ReasonFrozen
	ReasonAmountRamp
	ReasonOutOfScope
	numReasons
)

var reasonNames = [numReasons]string{
	"unknown_client", "invalid_amount", "single_max", "daily_cap",
	"velocity_1s", "velocity_1m", "velocity_1h", "velocity_24h",
	"counterparty_velocity_1s", "counterparty_velocity_1m", "counterparty_velocity_1h", "counterparty_velocity_24h",
	"channel_velocity_1s", "channel_velocity_1m", "channel_velocity_1h", "channel_velocity_24h",
	"burst", "new_counterparty", "amount_spike", "rate_spike", "anomaly_score", "large_payment",
	"no_device", "step_up_verified", "step_up_invalid", "step_up_expired", "step_up_bad_signature",
	"frozen", "amount_ramp", "out_of_scope",
}

func (r Reason) String() string {
	if r >= numReasons {
		return "unknown"
	}
	return reasonNames[r]
}

// ReasonNames lists every reason string, in code order (for docs and metrics).
func ReasonNames() []string { return append([]string(nil), reasonNames[:]...) }

// ReasonSet is a set of reasons as a bitmask, so a decision carries its reasons without
// allocating.
type ReasonSet uint32

func (s *ReasonSet) add(r Reason)                 { *s |= 1 << r }
func (s ReasonSet) Has(r Reason) bool             { return s&(1<<r) != 0 }
func (s ReasonSet) Empty() bool                   { return s == 0 }
func velocityReason(base Reason, w Window) Reason { return base + Reason(w) }

// Strings returns the reasons' names in code order.
func (s ReasonSet) Strings() []string {
	out := make([]string, 0, bits.OnesCount32(uint32(s)))
	for r := Reason(0); r < numReasons; r++ {
		if s.Has(r) {
			out = append(out, reasonNames[r])
		}
	}
	return out
}

// ParseReasonSet is the inverse of Strings, for persisted audit events.
func ParseReasonSet(names []string) ReasonSet {
	var s ReasonSet
	for _, n := range names {
		for r := Reason(0); r < numReasons; r++ {
			if reasonNames[r] == n {
				s.add(r)
			}
		}
	}
	return s
}

// ParseOutcome is the inverse of Outcome.String.
func ParseOutcome(s string) (Outcome, bool) {
	for o := Outcome(0); o < numOutcomes; o++ {
		if outcomeNames[o] == s {
			return o, true
		}
	}
	return 0, false
}
