package tower

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/tower/wire"
)

type metrics struct {
	proofs        prometheus.Gauge       // records: one per channel and direction
	closing       prometheus.Gauge       // closes being defended
	registrations *prometheus.CounterVec // by result code
	streams       *prometheus.CounterVec // refused streams and frames, by reason
	defenses      *prometheus.CounterVec // submitted, succeeded, failed, missed, unneeded
	synced        prometheus.Gauge       // last block the follower processed
	chainErrors   prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		proofs: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sluice_tower_proofs", Help: "Proofs the tower holds: one per guarded channel and direction.",
		}),
		closing: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sluice_tower_closing_channels", Help: "Guarded channels in their challenge period, not yet defended.",
		}),
		registrations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sluice_tower_registrations_total", Help: "Registrations answered, by result (accepted or the refusal reason).",
		}, []string{"result"}),
		streams: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sluice_tower_refused_total", Help: "Client streams or frames refused before any registration, by reason.",
		}, []string{"reason"}),
		defenses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sluice_tower_defenses_total", Help: "Defenses (updateProofFor), by outcome: submitted, succeeded, failed, missed (deadline passed undefended), unneeded (chain already held the proof or a newer one).",
		}, []string{"outcome"}),
		synced: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sluice_tower_synced_block", Help: "Last block the tower's chain follower processed.",
		}),
		chainErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sluice_tower_chain_errors_total", Help: "Failed chain reads of the follower.",
		}),
	}
	for _, c := range wire.Codes() {
		m.registrations.WithLabelValues(c.String())
	}
	for _, r := range []string{reasonMalformed, reasonWrongDomain, reasonBanned, reasonNotSecp256k1} {
		m.streams.WithLabelValues(r)
	}
	for _, o := range []string{defenseSubmitted, defenseSucceeded, defenseFailed, defenseMissed, defenseUnneeded} {
		m.defenses.WithLabelValues(o)
	}
	for _, c := range []prometheus.Collector{m.proofs, m.closing, m.registrations, m.streams, m.defenses, m.synced, m.chainErrors} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

const (
	reasonMalformed    = "malformed"
	reasonWrongDomain  = "wrong_domain"
	reasonBanned       = "banned"
	reasonNotSecp256k1 = "not_secp256k1"

	defenseSubmitted = "submitted"
	defenseSucceeded = "succeeded"
	defenseFailed    = "failed"
	defenseMissed    = "missed"
	defenseUnneeded  = "unneeded"
)
