package gossip

import "errors"

// Rejection reasons. Each has a stable metric label (Reason); the ones marked "ignore" are
// not the sender's fault (a race or our own limit) and are dropped without penalty.
var (
	ErrMalformed         = errors.New("malformed announcement")
	ErrTooLarge          = errors.New("announcement too large")
	ErrBadSignature      = errors.New("announcement signature does not recover the announcer")
	ErrPeerMismatch      = errors.New("announced peer id is not the announcer's key")
	ErrNotBucketed       = errors.New("announced capacity is not a capacity bucket")
	ErrStale             = errors.New("announcement too old")
	ErrFuture            = errors.New("announcement timestamp in the future")
	ErrUnknownChannel    = errors.New("channel unknown on chain")
	ErrNotParticipant    = errors.New("announcer is not a participant of the channel")
	ErrCapacityOverFunds = errors.New("announced capacity above the channel's funds")
	ErrChannelNotOpen    = errors.New("channel not open on chain")          // ignore
	ErrNotNewer          = errors.New("announcement sequence not newer")    // ignore
	ErrRateLimited       = errors.New("announcer over its rate limit")      // ignore
	ErrChainUnavailable  = errors.New("chain view unavailable")             // ignore
	ErrLookupRateLimited = errors.New("sender over its chain lookup limit") // ignore
	errGraph             = errors.New("graph refused the edge")             // ignore
)

// reasons maps every error above to its metric label, in a fixed order.
var reasons = []struct {
	err    error
	label  string
	ignore bool
}{
	{ErrMalformed, "malformed", false},
	{ErrTooLarge, "too_large", false},
	{ErrBadSignature, "bad_signature", false},
	{ErrPeerMismatch, "peer_mismatch", false},
	{ErrNotBucketed, "not_bucketed", false},
	{ErrStale, "stale", false},
	{ErrFuture, "future", false},
	{ErrUnknownChannel, "unknown_channel", false},
	{ErrNotParticipant, "not_participant", false},
	{ErrCapacityOverFunds, "capacity_over_funds", false},
	{ErrChannelNotOpen, "channel_not_open", true},
	{ErrNotNewer, "not_newer", true},
	{ErrRateLimited, "rate_limited", true},
	{ErrChainUnavailable, "chain_unavailable", true},
	{ErrLookupRateLimited, "lookup_rate_limited", true},
	{errGraph, "graph", true},
}

// Reason is the metric label of a validation error and whether it is ignored (dropped
// without penalty) rather than rejected.
func Reason(err error) (label string, ignore bool) {
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.label, r.ignore
		}
	}
	return "other", false
}

// Graph sync failures of a whole answer (sync.go); announcement-level ones are above.
var (
	ErrSyncMalformed   = errors.New("malformed graph sync answer")
	ErrSyncTooLarge    = errors.New("graph sync answer past its limits")
	ErrSyncInterrupted = errors.New("graph sync interrupted")
	ErrSyncRefused     = errors.New("graph sync answer refused")
)
