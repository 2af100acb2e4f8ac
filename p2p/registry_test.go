package p2p

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestDuplicateStreamTieBreakAgreesOnBothEnds(t *testing.T) {
	low := common.HexToAddress("0x1000000000000000000000000000000000000000")
	high := common.HexToAddress("0x2000000000000000000000000000000000000000")
	cases := []struct {
		name               string
		self, remote       common.Address
		newerOut, olderOut bool
		wantNewer          bool
	}{
		{"we are lower, our dial is newer", low, high, true, false, true},
		{"we are lower, their dial is newer", low, high, false, true, false},
		{"we are higher, their dial is newer", high, low, false, true, true},
		{"we are higher, our dial is newer", high, low, true, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			us := &Transport{self: c.self}
			got := us.prefer(&session{addr: c.remote, outbound: c.newerOut}, &session{addr: c.remote, outbound: c.olderOut})
			if got != c.wantNewer {
				t.Fatalf("prefer newer = %v, want %v", got, c.wantNewer)
			}
			// The remote may see the two streams complete in either order; it
			// must keep the same stream we keep.
			them := &Transport{self: c.remote}
			keptOurs := got == c.newerOut // we keep the stream we opened
			for _, theirNewerOut := range []bool{true, false} {
				newer := &session{addr: c.self, outbound: theirNewerOut}
				older := &session{addr: c.self, outbound: !theirNewerOut}
				keepNewer := them.prefer(newer, older)
				theyKeepTheirs := keepNewer == theirNewerOut
				if theyKeepTheirs == keptOurs {
					t.Fatalf("ends disagree: we keep our own stream %v, they keep theirs %v", keptOurs, theyKeepTheirs)
				}
			}
		})
	}
	t.Run("same opener keeps the newer stream", func(t *testing.T) {
		us := &Transport{self: low}
		for _, out := range []bool{true, false} {
			if !us.prefer(&session{addr: high, outbound: out}, &session{addr: high, outbound: out}) {
				t.Fatalf("outbound=%v: kept the older of two streams from one opener", out)
			}
		}
	})
}
