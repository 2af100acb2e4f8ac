package api

import (
	"bytes"
	"math/big"

	"github.com/sluicepay/sluice/node"
)

// channelOrder returns the sort key of sluice_channelPage named key (lower case); ties
// fall back to the channel id so pages never overlap.
func channelOrder(key string) (func(a, b node.ChannelView) bool, bool) {
	var cmp func(a, b node.ChannelView) int
	switch key {
	case "", "id":
		return byID, true
	case "status":
		cmp = func(a, b node.ChannelView) int { return int(a.Status) - int(b.Status) }
	case "partner":
		cmp = func(a, b node.ChannelView) int { return bytes.Compare(partner(a), partner(b)) }
	case "token":
		cmp = func(a, b node.ChannelView) int { return bytes.Compare(a.Token[:], b.Token[:]) }
	case "ours":
		cmp = func(a, b node.ChannelView) int { return cmpBig(a.Balance[a.Us], b.Balance[b.Us]) }
	case "theirs":
		cmp = func(a, b node.ChannelView) int { return cmpBig(a.Balance[a.Us.Other()], b.Balance[b.Us.Other()]) }
	case "nonce":
		cmp = func(a, b node.ChannelView) int { return cmpU64(maxNonce(a), maxNonce(b)) }
	case "payments":
		cmp = func(a, b node.ChannelView) int { return cmpU64(a.Payments, b.Payments) }
	case "lastproof":
		cmp = func(a, b node.ChannelView) int { return a.LastProofAt.Compare(b.LastProofAt) }
	case "settleafter":
		cmp = func(a, b node.ChannelView) int { return cmpU64(a.SettleAfter, b.SettleAfter) }
	default:
		return nil, false
	}
	return thenID(cmp), true
}

func byID(a, b node.ChannelView) bool { return bytes.Compare(a.ID[:], b.ID[:]) < 0 }

func thenID(cmp func(a, b node.ChannelView) int) func(a, b node.ChannelView) bool {
	return func(a, b node.ChannelView) bool {
		if c := cmp(a, b); c != 0 {
			return c < 0
		}
		return byID(a, b)
	}
}

func partner(v node.ChannelView) []byte { p := v.Participants[v.Us.Other()]; return p[:] }

func maxNonce(v node.ChannelView) uint64 { return max(v.Sent[0].Nonce, v.Sent[1].Nonce) }

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpBig(a, b *big.Int) int {
	if a == nil {
		a = new(big.Int)
	}
	if b == nil {
		b = new(big.Int)
	}
	return a.Cmp(b)
}
