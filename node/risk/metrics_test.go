package risk

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestEveryDecisionIsCountedByOutcomeAndReason(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock()
	e, err := NewEngine(Options{Config: Config{Clients: map[string]ClientConfig{"w": {Profile: ProfileService, SingleMax: amt(10)}}},
		Domain: testDomain(), Now: clock.Now, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	e.Decide(payReq("w", 1, 1, 5))
	e.Decide(payReq("w", 1, 1, 50))
	e.Decide(payReq("w", 1, 1, 50))
	e.Decide(payReq("nobody", 1, 1, 5))
	if _, err := NewMetrics(reg); err == nil {
		t.Fatal("registering the metrics twice in one registry succeeded")
	}
	expect := map[[2]string]float64{
		{"approve", "none"}:           1,
		{"decline", "single_max"}:     2,
		{"decline", "unknown_client"}: 1,
		{"approve", "single_max"}:     0,
	}
	for k, want := range expect {
		c, err := gathered(reg, "sluice_risk_decision_reasons_total", k[0], k[1])
		if err != nil {
			t.Fatal(err)
		}
		if c != want {
			t.Errorf("decisions{outcome=%s,reason=%s} = %v, want %v", k[0], k[1], c, want)
		}
	}
	if got, _ := gathered(reg, "sluice_risk_decisions_total", "decline", ""); got != 3 {
		t.Errorf("declines %v, want 3", got)
	}
}

// gathered reads one counter of family name by its labels, as /metrics would show it.
func gathered(reg *prometheus.Registry, name, outcome, reason string) (float64, error) {
	mfs, err := reg.Gather()
	if err != nil {
		return 0, err
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			var o, r string
			for _, l := range m.GetLabel() {
				switch l.GetName() {
				case "outcome":
					o = l.GetValue()
				case "reason":
					r = l.GetValue()
				}
			}
			if o == outcome && r == reason {
				return m.GetCounter().GetValue(), nil
			}
		}
	}
	return 0, nil
}
