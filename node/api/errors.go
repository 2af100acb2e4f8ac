package api

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/routing"
	"github.com/sluicepay/sluice/store/kv"
)

// Stable JSON-RPC error codes. They are part of the API: never renumber, only append.
// docs/api.md carries the same table for wallet authors.
const (
	CodeInvalidParams    = -32602 // the JSON-RPC 2.0 standard code; also used for our own validation
	CodeInternal         = -32603 // the JSON-RPC 2.0 standard code
	CodeUnauthorized     = -32001 // missing or wrong bearer token (HTTP 401)
	CodeUnknownChannel   = -32010
	CodeChannelNotOpen   = -32011 // closing, settled, or a cooperative settlement is already signed
	CodeOverdraft        = -32012 // the amount exceeds the spendable balance
	CodePeerUnreachable  = -32013
	CodeRateLimited      = -32014
	CodeRiskDeclined     = -32015
	CodeNotParticipant   = -32016
	CodeRejectedByPeer   = -32017 // the peer refused (bad signature, stale nonce, wrong domain...)
	CodeChainFailure     = -32018 // the contract reverted the transaction (see the message for the reason)
	CodeTimeout          = -32019 // the operation did not finish before its deadline
	CodeChallengePending = -32020 // settle before the challenge period is over
	CodePaymentIDReused  = -32021 // the payment id belongs to a different payment
	CodeNodeUnavailable  = -32022 // the node is shutting down
	// CodeTxPending: the transaction WAS submitted and is not mined yet; the node keeps
	// driving it (across restarts). Retry with the same idempotency key to join it.
	CodeTxPending = -32023
	// CodeIdempotencyKeyReused: the idempotency key belongs to an operation with other parameters.
	CodeIdempotencyKeyReused = -32024
	CodeOutOfPolicy          = -32025 // the peer refuses payments on this channel: outside its channel policy
	// CodeInsufficientFunds: the node's account cannot pay the transaction's value and
	// gas; the message says how much it holds and needs. Nothing was submitted.
	CodeInsufficientFunds = -32026
	// CodeChainUnavailable: the chain's RPC endpoint did not answer; nothing was
	// submitted, the request can be repeated once it is back.
	CodeChainUnavailable = -32027
	CodeNoRoute          = -32028 // no route in the channel graph can carry the amount to the payee
	CodeFeeTooHigh       = -32029 // the cheapest route costs more than the payer's maxFee
	// CodeStoreUnavailable: the clustered store's majority did not commit in time;
	// nothing was acknowledged, repeat with the same paymentId once it is back.
	// (-32030 and -32031 are in risk.go.)
	CodeStoreUnavailable = -32032
	// CodeRouteExpired: a routed payment's lock expired before the payee released the
	// secret; it was removed and the amount is back.
	CodeRouteExpired = -32033
	// CodeRouteFailed: every route tried for a routed payment was refused by a hop or the
	// payee (ADR 0026); each refused lock was cancelled and the amount is back.
	CodeRouteFailed = -32034
	// CodeInvoiceFailed: sluice_pay with `to` and no secretHash could not get the payee's
	// invoice over the route (refused, no reply, or a reply the payee did not sign);
	// nothing was locked.
	CodeInvoiceFailed = -32035
)

// Error is a JSON-RPC error with a stable code, a human message and a stable machine
// "kind" in its data, so clients can branch without parsing messages.
type Error struct {
	Code    int
	Kind    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// ErrorCode implements rpc.Error.
func (e *Error) ErrorCode() int { return e.Code }

// ErrorData implements rpc.DataError.
func (e *Error) ErrorData() any { return map[string]string{"kind": e.Kind} }

func invalidParams(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidParams, Kind: "invalid_params", Message: "invalid params: " + fmt.Sprintf(format, args...)}
}

// ErrUnauthorized is what the server answers, and the client reports, for a request
// without the right bearer token.
var ErrUnauthorized = &Error{
	Code:    CodeUnauthorized,
	Kind:    "unauthorized",
	Message: "unauthorized: missing or wrong bearer token (see <datadir>/api.token)",
}

// errorClass maps a sentinel to its stable code and kind. The first match wins, so more
// specific sentinels come first.
type errorClass struct {
	sentinel error
	code     int
	kind     string
}

// classes holds every sentinel the node's methods are known to wrap. Anything else is
// reported as internal, with its message, because this API is for the node's own operator.
var classes = []errorClass{
	{channel.ErrUnknownChannel, CodeUnknownChannel, "unknown_channel"},
	{channel.ErrChannelNotOpen, CodeChannelNotOpen, "channel_not_open"},
	{channel.ErrSettlementSigned, CodeChannelNotOpen, "channel_not_open"},
	{channel.ErrOverdraft, CodeOverdraft, "overdraft"},
	{channel.ErrRateLimited, CodeRateLimited, "rate_limited"},
	{channel.ErrRiskDeclined, CodeRiskDeclined, "risk_declined"},
	{channel.ErrChannelOutOfPolicy, CodeOutOfPolicy, "channel_out_of_policy"},
	{channel.ErrNotParticipant, CodeNotParticipant, "not_participant"},
	{channel.ErrInvalidAmount, CodeInvalidParams, "invalid_params"},
	{channel.ErrAmountTooLarge, CodeInvalidParams, "invalid_params"},
	{channel.ErrInvalidParams, CodeInvalidParams, "invalid_params"},
	{channel.ErrBadSignature, CodeRejectedByPeer, "rejected_by_peer"},
	{channel.ErrWrongSigner, CodeRejectedByPeer, "rejected_by_peer"},
	{channel.ErrStaleNonce, CodeRejectedByPeer, "rejected_by_peer"},
	{channel.ErrNonceGap, CodeRejectedByPeer, "rejected_by_peer"},
	{channel.ErrNotIncreasing, CodeRejectedByPeer, "rejected_by_peer"},
	{channel.ErrWrongDomain, CodeRejectedByPeer, "rejected_by_peer"},
	{channel.ErrWrongChannel, CodeRejectedByPeer, "rejected_by_peer"},
	{channel.ErrMalformed, CodeRejectedByPeer, "rejected_by_peer"},
	{channel.ErrRejected, CodeRejectedByPeer, "rejected_by_peer"},
	{routing.ErrNoRoute, CodeNoRoute, "no_route"},
	{routing.ErrFeeTooHigh, CodeFeeTooHigh, "fee_too_high"},
	{node.ErrRouteRefused, CodeRouteFailed, "route_failed"},
	{node.ErrRouteFailed, CodeRouteExpired, "route_expired"},
	{node.ErrInvoiceRefused, CodeInvoiceFailed, "invoice_failed"},
	{node.ErrInvoiceForged, CodeInvoiceFailed, "invoice_failed"},
	{node.ErrUnknownPayment, CodeInvalidParams, "invalid_params"},
	{routing.ErrInvalidRequest, CodeInvalidParams, "invalid_params"},
	{node.ErrTxPending, CodeTxPending, "tx_pending"},
	{node.ErrInsufficientFunds, CodeInsufficientFunds, "insufficient_funds"},
	{node.ErrChainUnavailable, CodeChainUnavailable, "chain_unavailable"},
	{node.ErrPeerUnreachable, CodePeerUnreachable, "peer_unreachable"},
	{node.ErrPaymentIDReused, CodePaymentIDReused, "payment_id_reused"},
	{node.ErrClosed, CodeNodeUnavailable, "node_unavailable"},
	// Before DeadlineExceeded, which the etcd write's error also wraps.
	{kv.ErrUnavailable, CodeStoreUnavailable, "store_unavailable"},
	{node.ErrMemoTooLong, CodeInvalidParams, "invalid_params"},
	{node.ErrIdempotencyKeyReused, CodeIdempotencyKeyReused, "idempotency_key_reused"},
	{node.ErrInvalidIdempotencyKey, CodeInvalidParams, "invalid_params"},
	{context.DeadlineExceeded, CodeTimeout, "timeout"},
	{node.ErrLockPending, CodeTimeout, "timeout"}, // a routed payment still pending (its repeat, or its deadline)
}

// contractErrors are the SluiceChannels custom errors (docs/contract.md), which the chain
// client reports by name. A revert is the chain's verdict, not a node fault.
var contractErrors = []string{
	"NotParticipant()", "InvalidPartner()", "InvalidChallengePeriod()", "InvalidAmount()",
	"AmountTooLarge()", "ChannelNotOpen()", "ChannelNotClosing()", "UnknownChannel()",
	"InvalidSignature()", "WrongSigner()", "StaleNonce()", "ChallengePeriodOver()",
	"WrongBalanceSum()", "WithdrawalExpired()", "WithdrawalNotIncreasing()",
	"EthValueMismatch()", "TokenTransferFailed()", "Reentrancy()", "NothingToClaim()",
	"EthTransferFailed()",
}

// toRPCError turns a backend error into a stable rpc.Error. It keeps the backend's message,
// which names the failing thing ("pay 0xab..: insufficient balance"), and adds the code.
func toRPCError(err error) error {
	if err == nil {
		return nil
	}
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr
	}
	if riskErr, ok := errors.AsType[*RiskError](err); ok {
		return riskErr // keeps the reasons and the step-up challenge in the error's data
	}
	for _, c := range classes {
		if errors.Is(err, c.sentinel) {
			return &Error{Code: c.code, Kind: c.kind, Message: err.Error()}
		}
	}
	msg := err.Error()
	// Checked first: it is the one revert a caller is expected to retry later.
	if strings.Contains(msg, "ChallengePeriodNotOver") {
		return &Error{Code: CodeChallengePending, Kind: "challenge_pending", Message: msg}
	}
	for _, name := range contractErrors {
		if strings.Contains(msg, name) {
			return &Error{Code: CodeChainFailure, Kind: "chain_rejected", Message: msg}
		}
	}
	return &Error{Code: CodeInternal, Kind: "internal", Message: "internal error: " + err.Error()}
}
