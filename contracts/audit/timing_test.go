package audit

import (
	"slices"
	"testing"
)

func TestTimingRulesOfTheChallengePeriod(t *testing.T) {
	ch := newRebuilt(chanID)
	tests := []struct {
		name  string
		check timingCheck
		now   uint64
		want  []Code
	}{
		{"close sets settleAfter to its time plus the period", timingCheck{rule: closeSetsDeadline, settleAfter: 160, period: 60}, 100, nil},
		{"close with a shortened challenge period", timingCheck{rule: closeSetsDeadline, settleAfter: 110, period: 60}, 100, []Code{CodeBadTiming}},
		{"proof recorded on the last second", timingCheck{rule: updateBeforeDeadline, settleAfter: 160}, 160, nil},
		{"proof recorded after the period", timingCheck{rule: updateBeforeDeadline, settleAfter: 160}, 161, []Code{CodeBadTiming}},
		{"withdrawal on its expiry", timingCheck{rule: withdrawBeforeExpiry, settleAfter: 500}, 500, nil},
		{"withdrawal after its expiry", timingCheck{rule: withdrawBeforeExpiry, settleAfter: 500}, 501, []Code{CodeBadTiming}},
		{"settle after the period", timingCheck{rule: settleAfterDeadline, settleAfter: 160}, 161, nil},
		{"settle on the last second of the period", timingCheck{rule: settleAfterDeadline, settleAfter: 160}, 160, []Code{CodeBadTiming}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			found := newFindings()
			c := tc.check
			c.ch = ch
			(&timingChecker{found: found}).check(c, tc.now)
			if got := codes(found.discrepancies); !slices.Equal(got, tc.want) {
				t.Errorf("discrepancies %v, want %v", found.discrepancies, tc.want)
			}
		})
	}
}
