package node

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/p2p"
)

// transportCollector exports the transport's abuse counters (p2p.Stats) at scrape time,
// so the p2p package needs no metrics library and costs nothing between scrapes.
type transportCollector struct {
	t interface{ Stats() p2p.Stats }
}

var (
	descBans = prometheus.NewDesc("sluice_peer_bans_total",
		"Peers banned, by reason: rate (over the message rate), malformed (too many bad frames), refused (too many refused messages).", []string{"reason"}, nil)
	descMalformed = prometheus.NewDesc("sluice_malformed_frames_total",
		"Inbound frames that did not frame or decode, or stopped half-sent past the frame timeout.", nil, nil)
	descPenalties = prometheus.NewDesc("sluice_refused_penalties_total",
		"Refused messages counted toward a ban (unknown channel, bad signature, declined proposal...).", nil, nil)
	descDropped = prometheus.NewDesc("sluice_replies_dropped_total",
		"Replies dropped because the peer's send queue was full (a peer that does not read).", nil, nil)
	descSessionsRefused = prometheus.NewDesc("sluice_sessions_refused_total",
		"Inbound streams refused a session, by reason: banned, handshake, per_ip, per_subnet.", []string{"reason"}, nil)
	descTimeouts = prometheus.NewDesc("sluice_session_timeouts_total",
		"Sessions ended by a read deadline: idle (nothing for the idle timeout) or frame (a half-sent frame).", []string{"kind"}, nil)
	descSessions = prometheus.NewDesc("sluice_sessions",
		"Peer sessions by state: handshaking (before Hello) or active.", []string{"state"}, nil)
)

func (transportCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descBans, descMalformed, descPenalties, descDropped, descSessionsRefused, descTimeouts, descSessions} {
		ch <- d
	}
}

func (c transportCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.t.Stats()
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	for reason, v := range s.Bans {
		counter(descBans, v, string(reason))
	}
	for reason, v := range s.Refused {
		counter(descSessionsRefused, v, string(reason))
	}
	counter(descMalformed, s.MalformedFrames)
	counter(descPenalties, s.Penalties)
	counter(descDropped, s.RepliesDropped)
	counter(descTimeouts, s.IdleTimeouts, "idle")
	counter(descTimeouts, s.FrameTimeouts, "frame")
	ch <- prometheus.MustNewConstMetric(descSessions, prometheus.GaugeValue, float64(s.Handshaking), "handshaking")
	ch <- prometheus.MustNewConstMetric(descSessions, prometheus.GaugeValue, float64(s.Active), "active")
}
