package risk

import "github.com/prometheus/client_golang/prometheus"

// Metrics counts decisions by outcome and reason. Counters are resolved once, so counting
// a decision is a few atomic adds with no label lookup.
type Metrics struct {
	byReason  [numOutcomes][numReasons + 1]prometheus.Counter // last column: no reason
	byOutcome [numOutcomes]prometheus.Counter
}

// NewMetrics registers the risk metrics with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	reasons := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sluice_risk_decision_reasons_total",
		Help: "Risk decisions on outgoing payments by outcome and reason (a decision with several reasons counts once per reason; \"none\" when it had none).",
	}, []string{"outcome", "reason"})
	outcomes := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sluice_risk_decisions_total",
		Help: "Risk decisions on outgoing payments by outcome.",
	}, []string{"outcome"})
	for _, c := range []prometheus.Collector{reasons, outcomes} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	m := &Metrics{}
	for o := Outcome(0); o < numOutcomes; o++ {
		m.byOutcome[o] = outcomes.WithLabelValues(o.String())
		for r := Reason(0); r < numReasons; r++ {
			m.byReason[o][r] = reasons.WithLabelValues(o.String(), r.String())
		}
		m.byReason[o][numReasons] = reasons.WithLabelValues(o.String(), "none")
	}
	return m, nil
}

func (m *Metrics) observe(d *Decision) {
	if m == nil {
		return
	}
	m.byOutcome[d.Outcome].Inc()
	if d.Reasons.Empty() {
		m.byReason[d.Outcome][numReasons].Inc()
		return
	}
	for r := Reason(0); r < numReasons; r++ {
		if d.Reasons.Has(r) {
			m.byReason[d.Outcome][r].Inc()
		}
	}
}
