package main

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/store"
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

var stubRouted = store.RoutedRecord{ID: store.PaymentID{7}, PaymentID: store.PaymentID{7}, Role: store.RolePayer, State: store.LockPending,
	Peer: stubMerchant, Amount: big.NewInt(1000), Fee: big.NewInt(10), Out: stubChannel, Memo: "order 42",
	Hops: []store.RouteHop{
		{Channel: stubChannel, From: stubUs, To: stubPartner, Amount: big.NewInt(1010), Fee: big.NewInt(0)},
		{Channel: channel.ID{0x43}, From: stubPartner, To: stubMerchant, Amount: big.NewInt(1000), Fee: big.NewInt(10)},
	},
	Created: time.Unix(1_800_000_000, 0).UTC(), Updated: time.Unix(1_800_000_000, 0).UTC()}

func (s *stubBackend) RoutedPayments(context.Context, string, int) (store.RoutedPage, error) {
	return store.RoutedPage{Records: []store.RoutedRecord{stubRouted}}, nil
}

func (s *stubBackend) RoutedPayment(_ context.Context, id [16]byte) (store.RoutedRecord, error) {
	if id != stubRouted.ID {
		return store.RoutedRecord{}, node.ErrUnknownPayment
	}
	return stubRouted, nil
}

func (s *stubBackend) SubscribeRoutedPayments(chan<- store.RoutedRecord) func() { return func() {} }

// `sluice payments --routed` lists the routed log with each hop's fee and the lock state;
// `sluice payments show ID` prints one payment's route hop by hop.
func TestRoutedPaymentsCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv, _ := startStubAPI(t, dir)
	env := cliEnv(t, "SLUICE_DATADIR="+dir, "SLUICE_API="+srv.URL())
	res := runCLI(t, env, "payments", "--routed")
	if res.code != 0 || !strings.Contains(res.stdout, "payer") || !strings.Contains(res.stdout, "pending") || !strings.Contains(res.stdout, "(fee 10)") || !strings.Contains(res.stdout, "order 42") {
		t.Fatalf("payments --routed: %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = runCLI(t, env, "payments", "show", "0x07000000000000000000000000000000")
	if res.code != 0 || !strings.Contains(res.stdout, "hop 2: "+stubPartner.Hex()+" -> "+stubMerchant.Hex()) || !strings.Contains(res.stdout, "fee 10") {
		t.Fatalf("payments show: %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = runCLI(t, env, "payments", "show", "0x08000000000000000000000000000000")
	if res.code == 0 {
		t.Fatalf("payments show of an unknown id succeeded:\n%s", res.stdout)
	}
}
