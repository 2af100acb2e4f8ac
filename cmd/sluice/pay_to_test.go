package main

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/sluicepay/sluice/node"
)

// PayTo makes the stub a routed payer over its QuoteRoute; each payment is appended to the
// log with the memo it carried (what the node would send with the invoice request).
func (s *stubBackend) PayTo(ctx context.Context, req node.PayToRequest) (node.PayToResult, error) {
	r, err := s.QuoteRoute(ctx, node.RouteRequest{To: req.To, Amount: req.Amount, MaxFee: req.MaxFee})
	if err != nil {
		return node.PayToResult{}, err
	}
	s.mu.Lock()
	s.payments = append(s.payments, node.PaymentView{PaymentID: req.PaymentID, Channel: stubChannel, Direction: node.Outgoing,
		Amount: req.Amount, Memo: req.Memo})
	s.mu.Unlock()
	return node.PayToResult{PaymentID: [16]byte{7}, Route: r, Payment: node.RoutedPayment{Channel: stubChannel, Unlocked: true}}, nil
}

func (s *stubBackend) NewInvoice(_ context.Context, amount *big.Int) (node.Invoice, error) {
	return node.Invoice{SecretHash: [32]byte{0xaa}, Amount: amount}, nil
}

// `sluice pay --to ADDRESS AMOUNT` pays by address alone: no --secret-hash (the node asks
// the payee), the memo goes along, the route and fee are printed.
func TestPayToAddressWithoutSecretHash(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv, b := startStubAPI(t, dir)
	env := cliEnv(t, "SLUICE_DATADIR="+dir, "SLUICE_API="+srv.URL())
	res := runCLI(t, env, "pay", "--to", stubMerchant.Hex(), "--memo", "order 42", "--max-fee", "10", "1000")
	if res.code != 0 || !strings.Contains(res.stdout, "paid 1000 to "+stubMerchant.Hex()+" over 2 hop(s), fee 10") {
		t.Fatalf("pay --to: %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	b.mu.Lock()
	got := b.payments
	b.mu.Unlock()
	if len(got) != 1 || got[0].Memo != "order 42" || got[0].Amount.Int64() != 1000 {
		t.Fatalf("reached the node as %+v", got)
	}
	res = runCLI(t, env, "pay", "--to", stubMerchant.Hex(), "--max-fee", "9", "1000")
	if res.code != exitFailure || !strings.Contains(res.stderr, "above maxFee") {
		t.Fatalf("pay --to above --max-fee: %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}
