package benchrun

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// The bench's gate judges every payment through the engine and keeps its reservations
// unless released, like the API's decorator.
func TestRiskGateReservesEveryApprovedPaymentAndReleasesFailures(t *testing.T) {
	ch := channel.ID{1}
	domain := channel.Domain{ChainID: big.NewInt(31337), Contract: common.Address{2}}
	g, err := newRiskGate(t.TempDir(), domain, map[channel.ID]common.Address{ch: {3}})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	ctx := context.Background()
	for i := range 10 {
		settle, err := g.approve(ctx, ch, big.NewInt(7), [16]byte{byte(i + 1)})
		if err != nil {
			t.Fatalf("payment %d: %v", i, err)
		}
		settle(i < 8) // the last two "fail" after approval
	}
	for _, c := range g.engine.Clients() {
		if c.Name != benchRiskClient {
			continue
		}
		if c.Approved != 8 || c.Attempts != 10 || c.SpentToday.String() != "56" {
			t.Fatalf("client %s: %d attempts, %d completed, spent %s; want 10, 8 and 8×7 = 56 kept", c.Name, c.Attempts, c.Approved, c.SpentToday)
		}
		return
	}
	t.Fatalf("no %q client in the engine", benchRiskClient)
}

func TestRunWithRiskPolicyPaysEverything(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := Run(ctx, Options{Payments: 200, Concurrency: 16, Risk: true, ECDSATime: 50 * time.Millisecond, BaseDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Risk || r.Payments != 200 || r.PaymentsPerSecond <= 0 {
		t.Fatalf("result %+v", r)
	}
}
