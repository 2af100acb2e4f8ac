package channel

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorCodesRoundTrip(t *testing.T) {
	seen := map[uint16]error{}
	for _, e := range codeTable {
		if prev, dup := seen[e.code]; dup {
			t.Fatalf("code %d used by %v and %v", e.code, prev, e.err)
		}
		seen[e.code] = e.err
		wrapped := fmt.Errorf("channel 0x01: proof 3: %w", e.err)
		if got := Code(wrapped); got != e.code {
			t.Errorf("Code(wrapped %v) = %d, want %d", e.err, got, e.code)
		}
		if back := ErrorForCode(Code(e.err)); !errors.Is(back, e.err) {
			t.Errorf("ErrorForCode(Code(%v)) = %v", e.err, back)
		}
	}
}

// Wire codes are protocol: this pins them so a renumbering fails loudly.
func TestErrorCodesAreStable(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code uint16
	}{
		{ErrBadSignature, 1}, {ErrWrongSigner, 2}, {ErrStaleNonce, 3}, {ErrNonceGap, 4},
		{ErrNotIncreasing, 5}, {ErrOverdraft, 6}, {ErrWrongChannel, 7}, {ErrWrongDomain, 8},
		{ErrChannelNotOpen, 9}, {ErrSettlementSigned, 10}, {ErrInvalidAmount, 11},
		{ErrAmountTooLarge, 12}, {ErrNonceExhausted, 13}, {ErrUnknownChannel, 14},
		{ErrRateLimited, 15}, {ErrRiskDeclined, 16}, {ErrInternal, 17}, {ErrMalformed, 18},
		{ErrNotParticipant, 19}, {ErrInvalidParams, 20}, {ErrWithdrawalExpired, 21},
		{ErrWithdrawalNotAbove, 22}, {ErrBalanceMismatch, 23}, {ErrStatusRegression, 24},
		{ErrChainRegression, 25}, {ErrChannelOutOfPolicy, 26}, {ErrTooManyLocks, 27},
		{ErrDuplicateLock, 28}, {ErrUnknownLock, 29}, {ErrLockExpired, 30}, {ErrLockNotExpired, 31},
		{ErrLocksMismatch, 32}, {ErrLocksPending, 33}, {ErrBadLockUpdate, 34}, {ErrRejected, 0xFFFF},
	} {
		if got := Code(tc.err); got != tc.code {
			t.Errorf("Code(%v) = %d, want %d", tc.err, got, tc.code)
		}
	}
}

func TestCodeOfNilAndForeignErrors(t *testing.T) {
	if c := Code(nil); c != CodeNone {
		t.Errorf("Code(nil) = %d, want %d", c, CodeNone)
	}
	if err := ErrorForCode(CodeNone); err != nil {
		t.Errorf("ErrorForCode(0) = %v, want nil", err)
	}
	if c := Code(errors.New("disk on fire")); c != CodeInternal {
		t.Errorf("Code(foreign) = %d, want CodeInternal", c)
	}
	for _, code := range []uint16{35, 1000, 0xFFFE} {
		if err := ErrorForCode(code); !errors.Is(err, ErrRejected) {
			t.Errorf("ErrorForCode(%d) = %v, want ErrRejected", code, err)
		}
	}
}
