package p2p

import "sync/atomic"

// BanReason names why a peer was banned; it is a metric label, so the set is closed.
type BanReason string

const (
	BanRate      BanReason = "rate"      // over Limits.MessageRate
	BanMalformed BanReason = "malformed" // over Limits.MaxMalformed
	BanRefused   BanReason = "refused"   // over Limits.MaxRefused (Penalize)
)

// RefusalReason names why an inbound stream was not given a session.
type RefusalReason string

const (
	RefusedBanned    RefusalReason = "banned"
	RefusedHandshake RefusalReason = "handshake"
	RefusedIP        RefusalReason = "per_ip"
	RefusedSubnet    RefusalReason = "per_subnet"
	// RefusedConnRate counts inbound connections refused before their handshake because
	// their IP opened new connections faster than Limits.NewConnRate.
	RefusedConnRate RefusalReason = "conn_rate"
)

// Stats is a snapshot of the transport's abuse counters, for metrics. Counters only
// grow; Handshaking and Active are the sessions now in each state.
type Stats struct {
	Bans            map[BanReason]uint64
	Refused         map[RefusalReason]uint64 // streams refused a session
	MalformedFrames uint64                   // frames that did not decode or frame
	Penalties       uint64                   // messages the handler refused (Penalize)
	RepliesDropped  uint64                   // TrySend calls that found the queue full
	IdleTimeouts    uint64                   // sessions ended for sending nothing
	FrameTimeouts   uint64                   // sessions ended in the middle of a frame
	Handshaking     int64
	Active          int64
}

type counters struct {
	bans                          [3]atomic.Uint64 // BanRate, BanMalformed, BanRefused
	refused                       [5]atomic.Uint64 // RefusedBanned .. RefusedConnRate
	malformed, penalties, dropped atomic.Uint64
	idleTimeouts, frameTimeouts   atomic.Uint64
	handshaking, active           atomic.Int64
}

var (
	banReasons     = [...]BanReason{BanRate, BanMalformed, BanRefused}
	refusalReasons = [...]RefusalReason{RefusedBanned, RefusedHandshake, RefusedIP, RefusedSubnet, RefusedConnRate}
)

func (c *counters) ban(r BanReason) {
	for i, known := range banReasons {
		if known == r {
			c.bans[i].Add(1)
		}
	}
}

func (c *counters) refuse(r RefusalReason) {
	for i, known := range refusalReasons {
		if known == r {
			c.refused[i].Add(1)
		}
	}
}

// Stats returns the transport's counters now.
func (t *Transport) Stats() Stats {
	c := &t.stats
	s := Stats{
		Bans:            map[BanReason]uint64{},
		Refused:         map[RefusalReason]uint64{},
		MalformedFrames: c.malformed.Load(),
		Penalties:       c.penalties.Load(),
		RepliesDropped:  c.dropped.Load(),
		IdleTimeouts:    c.idleTimeouts.Load(),
		FrameTimeouts:   c.frameTimeouts.Load(),
		Handshaking:     c.handshaking.Load(),
		Active:          c.active.Load(),
	}
	for i, r := range banReasons {
		s.Bans[r] = c.bans[i].Load()
	}
	for i, r := range refusalReasons {
		s.Refused[r] = c.refused[i].Load()
	}
	return s
}
