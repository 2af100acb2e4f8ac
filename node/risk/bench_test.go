package risk

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkDecide measures one approve decision of a service client with limits on every
// window, counterparty and channel limits, metrics and the audit trail: the whole cost the
// policy adds to a payment.
func BenchmarkDecide(b *testing.B) {
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	clock := newFakeClock()
	lim := Limits{PerSecond: WindowLimit{Count: 1 << 40}, PerMinute: WindowLimit{Count: 1 << 40},
		PerHour: WindowLimit{Amount: maxAmount}, PerDay: WindowLimit{Amount: maxAmount}}
	e, err := NewEngine(Options{
		Config: Config{Clients: map[string]ClientConfig{"game": {Profile: ProfileService, Limits: lim, DailyCap: maxAmount, SingleMax: amt(1e18)}},
			Counterparty: lim, Channel: lim},
		Domain: testDomain(), Now: clock.Now, Metrics: m,
	})
	if err != nil {
		b.Fatal(err)
	}
	req := payReq("game", 1, 1, 1000)
	req.Amount = big.NewInt(1000)
	b.ReportAllocs()
	for b.Loop() {
		clock.Advance(100 * time.Microsecond)
		if d := e.Decide(req); d.Outcome != Approve {
			b.Fatalf("%s %v", d.Outcome, d.Reasons.Strings())
		}
	}
}

// BenchmarkDecideParallel is the same with every core deciding for its own client.
func BenchmarkDecideParallel(b *testing.B) {
	clients := map[string]ClientConfig{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		clients[n] = ClientConfig{Profile: ProfileService, DailyCap: maxAmount}
	}
	e, err := NewEngine(Options{Config: Config{Clients: clients}, Domain: testDomain()})
	if err != nil {
		b.Fatal(err)
	}
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	var next int
	var mu = make(chan struct{}, 1)
	mu <- struct{}{}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		<-mu
		i := next
		next++
		mu <- struct{}{}
		req := payReq(names[i%len(names)], byte(i), byte(i), 1)
		for pb.Next() {
			e.Decide(req)
		}
	})
}

// BenchmarkDecideAndCompleteInteractive is an interactive client's whole path past
// warm-up: decide with the ramp and sustained-rate rules, then Complete, which trains the
// baseline (issue 22: baselines learn on the payee's acknowledgement).
func BenchmarkDecideAndCompleteInteractive(b *testing.B) {
	clock := newFakeClock()
	e, err := NewEngine(Options{
		Config: Config{Clients: map[string]ClientConfig{"w": {Profile: ProfileInteractive, DailyCap: maxAmount,
			Scope: Scope{Partners: []common.Address{party(1)}}}}},
		Domain: testDomain(), Now: clock.Now,
	})
	if err != nil {
		b.Fatal(err)
	}
	req := payReq("w", 1, 1, 1000)
	b.ReportAllocs()
	for b.Loop() {
		clock.Advance(2 * time.Second)
		d := e.Decide(req)
		if d.Outcome != Approve {
			b.Fatalf("%s %v", d.Outcome, d.Reasons.Strings())
		}
		e.Complete(&d)
	}
}
