package api

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
)

// logBackend keeps the payments it was asked to make, as a payment log, and publishes
// each one to the payment subscribers.
type logBackend struct {
	*countingBackend
	logMu sync.Mutex
	log   []node.PaymentView
}

func (l *logBackend) Pay(ctx context.Context, req node.PayRequest) (node.PaymentView, error) {
	v, err := l.countingBackend.Pay(ctx, req)
	if err != nil {
		return v, err
	}
	if v.Repeat {
		// As the node does: a repeat answers with the payment the first call made.
		l.logMu.Lock()
		defer l.logMu.Unlock()
		for _, p := range l.log {
			if p.PaymentID == req.PaymentID {
				p.Repeat = true
				return p, nil
			}
		}
		return v, nil
	}
	v.Client = req.Client
	l.record(v)
	return v, nil
}

func (l *logBackend) record(v node.PaymentView) {
	l.logMu.Lock()
	l.log = append(l.log, v)
	l.logMu.Unlock()
	l.emitPayment(v)
}

func (l *logBackend) Payments(ctx context.Context, q node.PaymentQuery) (node.PaymentPage, error) {
	l.logMu.Lock()
	defer l.logMu.Unlock()
	return node.PaymentPage{Payments: slices.Clone(l.log)}, nil
}

var (
	shopToken   = strings.Repeat("55", 32)
	otherChan   = channel.ID{0xee, 0x01}
	scopedChans = []string{ChannelID(testChannel).String()}
)

func startScopedServer(t *testing.T, clients map[string]risk.ClientConfig) (*Server, *logBackend) {
	t.Helper()
	eng, err := risk.NewEngine(risk.Options{Domain: testDomain, Config: risk.Config{Clients: clients}})
	if err != nil {
		t.Fatal(err)
	}
	b := &logBackend{countingBackend: &countingBackend{fakeBackend: newFakeBackend()}}
	srv, err := NewServer(b, Config{Addr: "127.0.0.1:0", Token: testToken, Risk: eng})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Stop(ctx)
	})
	return srv, b
}

func payOn(ch channel.ID, amount int64, memo string) PayArgs {
	id := ChannelID(ch)
	return PayArgs{Channel: &id, Amount: NewAmount(big.NewInt(amount)), Memo: memo}
}

// Issue 22, finding 7: client tokens paid on any channel. A client scoped to channels or
// partners is refused elsewhere before the node is asked to sign anything.
func TestOutOfScopePaymentIsRefusedBeforeSigning(t *testing.T) {
	srv, b := startScopedServer(t, map[string]risk.ClientConfig{
		"shop":   {Profile: risk.ProfileService, TokenHash: TokenHash(shopToken), Scope: risk.Scope{Channels: scopedChans}},
		"game":   {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken), Scope: risk.Scope{Partners: []common.Address{testAlice}}},
		"wallet": {Profile: risk.ProfileService, TokenHash: TokenHash(walletToken), Scope: risk.Scope{Partners: []common.Address{testBob}}},
	})
	ctx := context.Background()
	shop := dialAs(t, srv.URL(), shopToken)
	if _, err := shop.Pay(ctx, payOn(testChannel, 5, "")); err != nil {
		t.Fatalf("shop on its own channel: %v", err)
	}
	before := b.pays.Load()
	_, err := shop.Pay(ctx, payOn(otherChan, 5, ""))
	if apiKind(err) != "risk_declined" || !strings.Contains(err.Error(), "out_of_scope") {
		t.Fatalf("shop on a channel outside its scope: %v, want risk_declined out_of_scope", err)
	}
	// Every fake channel's partner is testBob: game (scoped to alice) may pay none.
	if _, err := dialAs(t, srv.URL(), gameToken).Pay(ctx, payOn(testChannel, 5, "")); apiKind(err) != "risk_declined" {
		t.Fatalf("game paying a partner outside its scope: %v", err)
	}
	if got := b.pays.Load(); got != before {
		t.Fatalf("%d out-of-scope payments reached the node (would have been signed)", got-before)
	}
	if _, err := dialAs(t, srv.URL(), walletToken).Pay(ctx, payOn(otherChan, 5, "")); err != nil {
		t.Fatalf("wallet paying bob, its scoped partner, on any channel: %v", err)
	}
	if _, err := dialAs(t, srv.URL(), testToken).Pay(ctx, payOn(otherChan, 5, "")); err != nil {
		t.Fatalf("admin is never scoped: %v", err)
	}
}

// Issue 22, finding 7: a client token read every client's payments and memos and could
// subscribe to the admin's. Payments record their client; a client lists and receives
// only its own unless its scope says otherwise; the admin sees all.
func TestClientsReadAndSubscribeOnlyToPaymentsTheirScopeShows(t *testing.T) {
	srv, b := startScopedServer(t, map[string]risk.ClientConfig{
		"wallet": {Profile: risk.ProfileService, TokenHash: TokenHash(walletToken)},
		"game":   {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken)},
		"shop":   {Profile: risk.ProfileService, TokenHash: TokenHash(shopToken), Scope: risk.Scope{Channels: scopedChans, Read: risk.ReadChannels}},
	})
	ctx := context.Background()
	url := "ws://" + srv.Addr().String()
	wallet, game, shop, admin := dialAs(t, url, walletToken), dialAs(t, url, gameToken), dialAs(t, url, shopToken), dialAs(t, url, testToken)

	subs := map[string]chan Payment{}
	for name, c := range map[string]*Client{"wallet": wallet, "game": game, "shop": shop, "admin": admin} {
		ch := make(chan Payment, 16)
		sub, err := c.SubscribePayments(ctx, ch, nil)
		if err != nil {
			t.Fatalf("%s subscribes: %v", name, err)
		}
		t.Cleanup(sub.Unsubscribe)
		subs[name] = ch
	}
	p, err := wallet.Pay(ctx, payOn(testChannel, 7, "wallet's secret memo"))
	if err != nil || p.Client != "wallet" {
		t.Fatalf("wallet pays: %+v, %v; want the payment to name its client", p, err)
	}
	if _, err := game.Pay(ctx, payOn(otherChan, 8, "game's secret memo")); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Pay(ctx, payOn(otherChan, 9, "admin's secret memo")); err != nil {
		t.Fatal(err)
	}
	in := testPaymentView(testChannel, 9) // an incoming payment on the shop's channel
	in.Direction, in.Memo = node.Incoming, "to the shop"
	b.record(in)

	memos := func(ps []Payment) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Memo)
		}
		slices.Sort(out)
		return out
	}
	want := map[string][]string{
		"wallet": {"wallet's secret memo"},
		"game":   {"game's secret memo"},
		"shop":   {"to the shop", "wallet's secret memo"},
		"admin":  {"admin's secret memo", "game's secret memo", "to the shop", "wallet's secret memo"},
	}
	for name, c := range map[string]*Client{"wallet": wallet, "game": game, "shop": shop, "admin": admin} {
		page, err := c.Payments(ctx, PaymentsArgs{})
		if err != nil {
			t.Fatalf("%s lists payments: %v", name, err)
		}
		if got := memos(page.Payments); !slices.Equal(got, want[name]) {
			t.Errorf("%s lists %q, want %q", name, got, want[name])
		}
		var streamed []Payment
		deadline := time.After(500 * time.Millisecond)
	collect:
		for {
			select {
			case p := <-subs[name]:
				streamed = append(streamed, p)
			case <-deadline:
				break collect
			}
		}
		if got := memos(streamed); !slices.Equal(got, want[name]) {
			t.Errorf("%s's subscription received %q, want %q", name, got, want[name])
		}
	}
}

// Issue 22, finding 9: 14 reuses of a paid id with new amounts were each approved, given
// back when the node refused the reused id, and still raised the client's usual amount;
// afterwards a 2,000,000 payment passed. Only acknowledged payments train the baseline.
func TestReusedIDsRefusedByTheNodeDoNotTrainTheBaseline(t *testing.T) {
	srv, b := startScopedServer(t, map[string]risk.ClientConfig{
		"game": {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken)},
	})
	ctx := context.Background()
	game := dialAs(t, srv.URL(), gameToken)
	for i := range 12 {
		if _, err := game.Pay(ctx, payOn(testChannel, 1000, "")); err != nil {
			t.Fatalf("usual payment %d: %v", i, err)
		}
	}
	paid := PaymentID{0x42}
	avg := 1000.0
	b.fail(node.ErrPaymentIDReused)
	for i := range 14 {
		args := payOn(testChannel, int64(9*avg), "")
		args.PaymentID = &paid
		if _, err := game.Pay(ctx, args); err == nil {
			t.Fatalf("reuse %d of a paid id with a new amount succeeded", i)
		}
		avg += 0.1 * (9*avg - avg)
	}
	b.fail(nil)
	before := b.pays.Load()
	_, err := game.Pay(ctx, payOn(testChannel, 2_000_000, ""))
	if err == nil || b.pays.Load() != before {
		t.Fatalf("2,000,000 against a usual of 1,000 after 14 refused reuses: reached the node (%v)", err)
	}
	if k := apiKind(err); k != "risk_declined" && k != "step_up_required" {
		t.Fatalf("2,000,000: %v, want a step-up or a decline", err)
	}
}

// A payment id another client used answers with that client's payment, memo included:
// the retry is refused instead.
func TestRetryOfAnotherClientsPaymentIDRevealsNothing(t *testing.T) {
	srv, b := startScopedServer(t, map[string]risk.ClientConfig{
		"wallet": {Profile: risk.ProfileService, TokenHash: TokenHash(walletToken)},
		"game":   {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken)},
	})
	ctx := context.Background()
	args := payOn(testChannel, 5, "wallet's memo")
	id := PaymentID{0x43}
	args.PaymentID = &id
	if _, err := dialAs(t, srv.URL(), walletToken).Pay(ctx, args); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	b.repeat = true
	b.mu.Unlock()
	p, err := dialAs(t, srv.URL(), gameToken).Pay(ctx, args)
	if err == nil && p.Memo != "" {
		t.Fatalf("game retrying wallet's id read its payment: %+v", p)
	}
}

// A payment refused while the channel waits for the peer to resync signed nothing: it is
// given back, unlike the peer's refusal of a signed proof that it wraps.
func TestPaymentRefusedWhileAwaitingResyncIsGivenBack(t *testing.T) {
	srv, b := startScopedServer(t, map[string]risk.ClientConfig{
		"game": {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken), DailyCap: risk.AmountFromUint64(100)},
	})
	ctx := context.Background()
	game := dialAs(t, srv.URL(), gameToken)
	if _, err := game.Pay(ctx, payOn(testChannel, 10, "")); err != nil {
		t.Fatal(err)
	}
	rej := node.NewRejectError(testChannel, 2, channel.CodeOverdraft, "balance exceeded")
	b.fail(rej) // the signed proof the peer refused: charged
	if _, err := game.Pay(ctx, payOn(testChannel, 30, "")); err == nil {
		t.Fatal("a refused proof reported as paid")
	}
	b.fail(fmt.Errorf("pay on channel %s: %w after: %w", testChannel, node.ErrAwaitingResync, rej))
	for range 5 { // nothing signed: each is given back
		if _, err := game.Pay(ctx, payOn(testChannel, 40, "")); err == nil {
			t.Fatal("a payment refused during resync reported as paid")
		}
	}
	b.fail(nil)
	if _, err := game.Pay(ctx, payOn(testChannel, 60, "")); err != nil {
		t.Fatalf("60 more after 40 charged of a 100 cap: %v (the refusals during resync were charged)", err)
	}
	if _, err := game.Pay(ctx, payOn(testChannel, 1, "")); apiKind(err) != "risk_declined" {
		t.Fatalf("past the cap: %v", err)
	}
}
