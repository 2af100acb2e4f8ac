package channel

import "errors"

// Rejection reasons. Every rule in this package fails with one of these (wrapped with
// context), and each has a stable wire code so errors.Is keeps working across the wire.
var (
	ErrBadSignature       = errors.New("bad signature")
	ErrWrongSigner        = errors.New("wrong signer")
	ErrStaleNonce         = errors.New("stale nonce")
	ErrNonceGap           = errors.New("nonce gap")
	ErrNotIncreasing      = errors.New("transferred amount not increasing")
	ErrOverdraft          = errors.New("insufficient balance")
	ErrWrongChannel       = errors.New("wrong channel")
	ErrWrongDomain        = errors.New("wrong domain (chain id or contract mismatch)")
	ErrChannelNotOpen     = errors.New("channel not open")
	ErrSettlementSigned   = errors.New("cooperative settlement already signed")
	ErrInvalidAmount      = errors.New("invalid amount")
	ErrAmountTooLarge     = errors.New("amount exceeds 2^128-1")
	ErrNonceExhausted     = errors.New("nonce exhausted")
	ErrUnknownChannel     = errors.New("unknown channel")
	ErrRateLimited        = errors.New("rate limited")
	ErrRiskDeclined       = errors.New("declined by risk policy")
	ErrInternal           = errors.New("internal error")
	ErrMalformed          = errors.New("malformed message")
	ErrNotParticipant     = errors.New("not a participant")
	ErrInvalidParams      = errors.New("invalid channel parameters")
	ErrWithdrawalExpired  = errors.New("withdrawal expired")
	ErrWithdrawalNotAbove = errors.New("withdrawal total not above amount already withdrawn")
	ErrBalanceMismatch    = errors.New("settlement balances differ from channel balances")
	ErrStatusRegression   = errors.New("channel status cannot go backwards")
	ErrChainRegression    = errors.New("on-chain total cannot decrease")
	// ErrChannelOutOfPolicy refuses payments on a channel whose terms (challenge period,
	// token, deposit) the payee's node does not accept; the channel can still be closed.
	ErrChannelOutOfPolicy = errors.New("channel outside the payee's channel policy")
	// Hashlock rejections (issue 17, locks.go).
	ErrTooManyLocks   = errors.New("too many pending locks")
	ErrDuplicateLock  = errors.New("a pending lock already has this secret hash")
	ErrUnknownLock    = errors.New("no pending lock has this secret hash")
	ErrLockExpired    = errors.New("lock expiration not in the future")
	ErrLockNotExpired = errors.New("lock not expired yet")
	ErrLocksMismatch  = errors.New("proof disagrees with the pending locks")
	ErrLocksPending   = errors.New("locks still pending")
	ErrBadLockUpdate  = errors.New("unknown lock update kind")
	// ErrRejected stands for a wire code this build does not know.
	ErrRejected = errors.New("rejected by peer")
)

// Wire codes. They are part of the protocol: never renumber, only append.
const (
	CodeNone               uint16 = 0
	CodeBadSignature       uint16 = 1
	CodeWrongSigner        uint16 = 2
	CodeStaleNonce         uint16 = 3
	CodeNonceGap           uint16 = 4
	CodeNotIncreasing      uint16 = 5
	CodeOverdraft          uint16 = 6
	CodeWrongChannel       uint16 = 7
	CodeWrongDomain        uint16 = 8
	CodeChannelNotOpen     uint16 = 9
	CodeSettlementSigned   uint16 = 10
	CodeInvalidAmount      uint16 = 11
	CodeAmountTooLarge     uint16 = 12
	CodeNonceExhausted     uint16 = 13
	CodeUnknownChannel     uint16 = 14
	CodeRateLimited        uint16 = 15
	CodeRiskDeclined       uint16 = 16
	CodeInternal           uint16 = 17
	CodeMalformed          uint16 = 18
	CodeNotParticipant     uint16 = 19
	CodeInvalidParams      uint16 = 20
	CodeWithdrawalExpired  uint16 = 21
	CodeWithdrawalNotAbove uint16 = 22
	CodeBalanceMismatch    uint16 = 23
	CodeStatusRegression   uint16 = 24
	CodeChainRegression    uint16 = 25
	CodeChannelOutOfPolicy uint16 = 26
	CodeTooManyLocks       uint16 = 27
	CodeDuplicateLock      uint16 = 28
	CodeUnknownLock        uint16 = 29
	CodeLockExpired        uint16 = 30
	CodeLockNotExpired     uint16 = 31
	CodeLocksMismatch      uint16 = 32
	CodeLocksPending       uint16 = 33
	CodeBadLockUpdate      uint16 = 34
	// CodeRejected is what Code returns for an error it cannot classify from a peer's
	// point of view; ErrorForCode returns ErrRejected for any unknown code.
	CodeRejected uint16 = 0xFFFF
)

// codeTable is ordered by code; Code scans it with errors.Is, so wrapped errors map too.
var codeTable = [...]struct {
	code uint16
	err  error
}{
	{CodeBadSignature, ErrBadSignature},
	{CodeWrongSigner, ErrWrongSigner},
	{CodeStaleNonce, ErrStaleNonce},
	{CodeNonceGap, ErrNonceGap},
	{CodeNotIncreasing, ErrNotIncreasing},
	{CodeOverdraft, ErrOverdraft},
	{CodeWrongChannel, ErrWrongChannel},
	{CodeWrongDomain, ErrWrongDomain},
	{CodeChannelNotOpen, ErrChannelNotOpen},
	{CodeSettlementSigned, ErrSettlementSigned},
	{CodeInvalidAmount, ErrInvalidAmount},
	{CodeAmountTooLarge, ErrAmountTooLarge},
	{CodeNonceExhausted, ErrNonceExhausted},
	{CodeUnknownChannel, ErrUnknownChannel},
	{CodeRateLimited, ErrRateLimited},
	{CodeRiskDeclined, ErrRiskDeclined},
	{CodeInternal, ErrInternal},
	{CodeMalformed, ErrMalformed},
	{CodeNotParticipant, ErrNotParticipant},
	{CodeInvalidParams, ErrInvalidParams},
	{CodeWithdrawalExpired, ErrWithdrawalExpired},
	{CodeWithdrawalNotAbove, ErrWithdrawalNotAbove},
	{CodeBalanceMismatch, ErrBalanceMismatch},
	{CodeStatusRegression, ErrStatusRegression},
	{CodeChainRegression, ErrChainRegression},
	{CodeChannelOutOfPolicy, ErrChannelOutOfPolicy},
	{CodeTooManyLocks, ErrTooManyLocks},
	{CodeDuplicateLock, ErrDuplicateLock},
	{CodeUnknownLock, ErrUnknownLock},
	{CodeLockExpired, ErrLockExpired},
	{CodeLockNotExpired, ErrLockNotExpired},
	{CodeLocksMismatch, ErrLocksMismatch},
	{CodeLocksPending, ErrLocksPending},
	{CodeBadLockUpdate, ErrBadLockUpdate},
	{CodeRejected, ErrRejected},
}

// Code returns the wire code for err: CodeNone for nil, the sentinel's code when err
// wraps one of this package's sentinels, and CodeInternal otherwise (an unclassified
// local failure must not leak its text's meaning to a peer as something more specific).
func Code(err error) uint16 {
	if err == nil {
		return CodeNone
	}
	for _, e := range codeTable {
		if errors.Is(err, e.err) {
			return e.code
		}
	}
	return CodeInternal
}

// ErrorForCode returns the sentinel for a wire code: nil for CodeNone, ErrRejected for a
// code this build does not know (a newer peer may send codes we have never heard of).
func ErrorForCode(code uint16) error {
	if code == CodeNone {
		return nil
	}
	for _, e := range codeTable {
		if e.code == code {
			return e.err
		}
	}
	return ErrRejected
}
