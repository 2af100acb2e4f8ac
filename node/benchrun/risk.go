package benchrun

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node/risk"
	"github.com/sluicepay/sluice/store"
)

// benchRiskClient is the API client the bench pays as when the policy is on: a `service`
// profile, the kind that pays per event at thousands per second within its caps.
const benchRiskClient = "bench"

// riskGate puts the risk engine in front of every hub payment, the way the API's risk
// decorator does for sluice_pay: decide (reserving the amount in every window and the
// daily cap), persist, pay, release only if the payment failed before signing. Its state
// lives in its own leveldb with group commit, as on a real node, so `bench --risk`
// measures what the policy costs the payment path.
type riskGate struct {
	engine  *risk.Engine
	st      *store.Store
	stop    context.CancelFunc
	done    chan error
	partner map[channel.ID]common.Address
}

func newRiskGate(dir string, domain channel.Domain, partners map[channel.ID]common.Address) (*riskGate, error) {
	// Caps far above what a run spends, so every decision walks all windows and limits
	// and approves: the figure is the policy's cost, not its refusals.
	huge := risk.AmountFromUint64(1 << 62)
	limits := risk.Limits{
		PerSecond: risk.WindowLimit{Count: 1 << 40, Amount: huge},
		PerMinute: risk.WindowLimit{Count: 1 << 40, Amount: huge},
		PerHour:   risk.WindowLimit{Count: 1 << 40, Amount: huge},
		PerDay:    risk.WindowLimit{Count: 1 << 40, Amount: huge},
	}
	cfg := risk.Config{
		Clients: map[string]risk.ClientConfig{
			benchRiskClient: {Profile: risk.ProfileService, Limits: limits, SingleMax: huge, DailyCap: huge},
		},
		Counterparty: limits,
		Channel:      limits,
	}
	st, err := store.Open(filepath.Join(dir, "risk"), store.Options{})
	if err != nil {
		return nil, fmt.Errorf("bench risk state: %w", err)
	}
	m, err := risk.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		st.Close()
		return nil, err
	}
	eng, err := risk.NewEngine(risk.Options{Config: cfg, Domain: domain, Store: st, Metrics: m})
	if err != nil {
		st.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	g := &riskGate{engine: eng, st: st, stop: cancel, done: make(chan error, 1), partner: partners}
	go func() { g.done <- eng.Run(ctx) }()
	return g, nil
}

// approve judges one payment; the returned settle completes it (paid: the payee
// acknowledged, the baseline learns it) or gives the reservation back, as the API does.
func (g *riskGate) approve(ctx context.Context, ch channel.ID, amount *big.Int, id [16]byte) (settle func(paid bool), err error) {
	d := g.engine.Decide(risk.Request{
		Client: benchRiskClient, Channel: ch, Counterparty: g.partner[ch], Amount: amount, PaymentID: id,
	})
	if d.Outcome != risk.Approve {
		return nil, fmt.Errorf("risk policy: %s %v", d.Outcome, d.Reasons)
	}
	if err := g.engine.Persist(ctx, &d); err != nil {
		g.engine.Release(&d)
		return nil, err
	}
	return func(paid bool) {
		if paid {
			g.engine.Complete(&d)
		} else {
			g.engine.Release(&d)
		}
	}, nil
}

func (g *riskGate) Close() error {
	g.stop()
	return errors.Join(<-g.done, g.st.Close())
}

// riskGate opens the gate for the cluster's channels, each paid to its receiving node.
func (c *cluster) riskGate(ctx context.Context, domain channel.Domain) (*riskGate, error) {
	partners := make(map[channel.ID]common.Address, len(c.channels))
	for _, id := range c.channels {
		v, err := c.hub.node.Channel(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("bench risk: channel %s: %w", id, err)
		}
		partners[id] = v.Participants[v.Us.Other()]
	}
	return newRiskGate(c.dir, domain, partners)
}
