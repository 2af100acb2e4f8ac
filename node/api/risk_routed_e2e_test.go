package api

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
)

// Real nodes (libp2p on loopback, leveldb, the embedded chain): a client with a daily cap
// of 1,000 pays by address through the API. A routed payment over the cap is declined with
// nothing locked; one whose lock expires unpaid is given back to the cap.
func TestRoutedPaymentsOnRealNodesKeepTheClientsCap(t *testing.T) {
	chain, err := devchain.New(devchain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chain.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	payer := startE2ENode(t, chain, 1, nil)
	payee := startE2ENode(t, chain, 2, nil)
	info, err := payee.Info(ctx)
	if err != nil || len(info.ListenAddrs) == 0 {
		t.Fatalf("payee info: %v %v", info, err)
	}
	deposit := new(big.Int).Mul(big.NewInt(1), big.NewInt(params.Ether))
	cv, err := payer.OpenChannel(ctx, node.OpenRequest{Peer: info.ListenAddrs[0], Deposit: deposit, ChallengePeriod: time.Hour})
	if err != nil {
		t.Fatalf("open channel: %v", err)
	}
	eng, err := risk.NewEngine(risk.Options{Domain: cv.Domain, Config: risk.Config{Clients: map[string]risk.ClientConfig{
		"game": {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken), DailyCap: risk.AmountFromUint64(1000)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(payer, Config{Addr: "127.0.0.1:0", Token: testToken, Risk: eng, RequestTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	game := dialAs(t, srv.URL(), gameToken)
	to := info.Address
	pay := func(amount, asked int64) (Payment, error) {
		inv, err := payee.NewInvoice(ctx, big.NewInt(asked))
		if err != nil {
			t.Fatal(err)
		}
		hash := common.Hash(inv.SecretHash)
		return game.Pay(ctx, PayArgs{To: &to, Amount: NewAmount(big.NewInt(amount)), SecretHash: &hash})
	}
	sent := func() int64 {
		v, err := payer.Channel(ctx, cv.ID)
		if err != nil {
			t.Fatal(err)
		}
		return v.Sent[v.Us].Transferred.Int64()
	}

	if _, err := pay(600, 600); err != nil {
		t.Fatalf("routed payment within the cap: %v", err)
	}
	if _, err := pay(600, 600); apiKind(err) != "risk_declined" || !strings.Contains(err.Error(), "daily_cap") {
		t.Fatalf("routed payment over the cap: %v", err)
	}
	if got := sent(); got != 600 {
		t.Fatalf("payer sent %d, want 600: the declined payment moved money", got)
	}

	// The payee asks 350 for a lock of 300: it refuses the lock, which comes back
	// cancelled (ADR 0026), and the route's charge is released.
	if _, err := pay(300, 350); apiKind(err) != "route_failed" {
		t.Fatalf("underpaying routed payment: %v, want route_failed", err)
	}
	// 600 paid + 400 = the cap: admitted only if the expired 300 was given back.
	if _, err := pay(400, 400); err != nil {
		t.Fatalf("routed payment after an expired one: %v (the expired route stayed charged)", err)
	}
	if got := sent(); got != 1000 {
		t.Fatalf("payer sent %d, want 1000", got)
	}
}
