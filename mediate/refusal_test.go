package mediate

import (
	"fmt"
	"testing"

	"github.com/sluicepay/sluice/channel"
)

func TestRefusalReasonNamesEachForwardingFailure(t *testing.T) {
	for _, c := range []struct {
		err  error
		want Reason
	}{
		{fmt.Errorf("x: %w", ErrFeeUnpaid), ReasonFeeUnpaid},
		{fmt.Errorf("x: %w", ErrUnsafeExpiration), ReasonExpiry},
		{fmt.Errorf("x: %w", ErrBadRoute), ReasonBadRoute},
		{fmt.Errorf("x: %w", ErrUnderpaid), ReasonUnderpaid},
		{fmt.Errorf("x: %w", channel.ErrOverdraft), ReasonCapacity},
		{fmt.Errorf("x: %w", channel.ErrTooManyLocks), ReasonCapacity},
		{fmt.Errorf("x: %w", channel.ErrChannelNotOpen), ReasonNoChannel},
		{fmt.Errorf("something else"), ReasonOther},
	} {
		if got := RefusalReason(c.err); got != c.want {
			t.Errorf("%v: %s, want %s", c.err, got, c.want)
		}
	}
	if ReasonCapacity.String() != "capacity" || Reason(999).String() != "reason-999" {
		t.Fatal("reason names")
	}
	for r := ReasonOther; r <= ReasonTooLate; r++ {
		if r.AtTarget() && r.OutgoingLink() {
			t.Fatalf("%s is both a target's and a link's refusal", r)
		}
	}
}
