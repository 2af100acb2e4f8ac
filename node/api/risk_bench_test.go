package api

import (
	"context"
	"math/big"
	"testing"

	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
)

// instantBackend pays without work, so the benchmark measures only the decorator.
type instantBackend struct{ *fakeBackend }

func (instantBackend) Pay(_ context.Context, req node.PayRequest) (node.PaymentView, error) {
	return node.PaymentView{Channel: req.Channel, Amount: req.Amount}, nil
}

// BenchmarkRiskDecoratorPay is what the risk layer adds to one API payment: identify the
// client, look up the counterparty, decide, reserve.
func BenchmarkRiskDecoratorPay(b *testing.B) {
	eng, err := risk.NewEngine(risk.Options{Domain: testDomain, Config: risk.Config{Clients: map[string]risk.ClientConfig{
		"game": {Profile: risk.ProfileService, DailyCap: risk.AmountFromUint64(1 << 62), Limits: risk.Limits{PerSecond: risk.WindowLimit{Count: 1 << 40}}},
	}}})
	if err != nil {
		b.Fatal(err)
	}
	rb := &riskBackend{Backend: instantBackend{newFakeBackend()}, layer: &riskLayer{engine: eng}}
	ctx := context.WithValue(context.Background(), clientKey{}, "game")
	req := node.PayRequest{Channel: testChannel, Amount: big.NewInt(1), PaymentID: [16]byte{1}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rb.Pay(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
