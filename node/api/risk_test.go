package api

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
)

var (
	walletToken = strings.Repeat("77", 32)
	gameToken   = strings.Repeat("99", 32)
)

// countingBackend counts the payments that reached the node, i.e. that it would sign.
type countingBackend struct {
	*fakeBackend
	pays atomic.Int64
}

func (c *countingBackend) Pay(ctx context.Context, req node.PayRequest) (node.PaymentView, error) {
	c.pays.Add(1)
	return c.fakeBackend.Pay(ctx, req)
}

type riskServer struct {
	srv     *Server
	backend *countingBackend
	engine  *risk.Engine
}

func startRiskServer(t *testing.T) riskServer {
	t.Helper()
	eng, err := risk.NewEngine(risk.Options{Domain: testDomain, Config: risk.Config{Clients: map[string]risk.ClientConfig{
		"wallet": {Profile: risk.ProfileInteractive, TokenHash: TokenHash(walletToken), StepUpAbove: risk.AmountFromUint64(500),
			Limits: risk.Limits{PerSecond: risk.WindowLimit{Count: 5}}},
		"game": {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken), DailyCap: risk.AmountFromUint64(100)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	b := &countingBackend{fakeBackend: newFakeBackend()}
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
	return riskServer{srv: srv, backend: b, engine: eng}
}

func dialAs(t *testing.T, url, token string) *Client {
	t.Helper()
	c, err := Dial(context.Background(), url, token)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func payArgs(amount int64) PayArgs {
	id := ChannelID(testChannel)
	return PayArgs{Channel: &id, Amount: NewAmount(big.NewInt(amount))}
}

func apiKind(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

func TestRiskBotPatternOverAPISignsNothing(t *testing.T) {
	rs := startRiskServer(t)
	c := dialAs(t, rs.srv.URL(), walletToken)
	ctx := context.Background()
	var refused int
	for range 50 {
		if _, err := c.Pay(ctx, payArgs(10)); err != nil {
			if k := apiKind(err); k != "risk_declined" && k != "step_up_required" {
				t.Fatalf("bot payment refused with kind %q: %v", k, err)
			}
			refused++
		}
	}
	if refused < 45 || rs.backend.pays.Load() != int64(50-refused) {
		t.Fatalf("bot pattern: %d refused, %d reached the node", refused, rs.backend.pays.Load())
	}
	evs, err := dialAs(t, rs.srv.URL(), testToken).RiskEvents(ctx, RiskEventsArgs{Client: "wallet", Outcome: "decline", Limit: 1})
	if err != nil || len(evs) != 1 || evs[0].Client != "wallet" {
		t.Fatalf("admin's view of the wallet's declines: %+v, %v", evs, err)
	}
}

func TestRiskStepUpOverAPI(t *testing.T) {
	rs := startRiskServer(t)
	ctx := context.Background()
	wallet := dialAs(t, rs.srv.URL(), walletToken)
	device, _ := crypto.GenerateKey()
	devSigner, _ := channel.NewKeySigner(device)
	thief, _ := crypto.GenerateKey()
	thiefSigner, _ := channel.NewKeySigner(thief)
	admin := dialAs(t, rs.srv.URL(), testToken)
	// Issue 22, finding 2: a stolen token alone used to enrol the thief's key as the
	// client's first device. Enrollment now takes the operator's one-time code.
	if err := wallet.RegisterDevice(ctx, "", thiefSigner.Address(), ""); apiKind(err) != "forbidden" {
		t.Fatalf("first device enrolled with the client token alone: %v", err)
	}
	code, err := admin.IssueEnrollmentCode(ctx, "wallet", "")
	if err != nil || len(code.Code) != 32 {
		t.Fatalf("enrollment code: %+v %v", code, err)
	}
	if err := wallet.RegisterDevice(ctx, "", thiefSigner.Address(), strings.Repeat("0", 32)); apiKind(err) != "forbidden" {
		t.Fatalf("enrolled with a guessed code: %v", err)
	}
	if err := wallet.RegisterDevice(ctx, "", devSigner.Address(), code.Code); apiKind(err) != "forbidden" {
		t.Fatalf("a code survived a wrong guess: %v", err)
	}
	if code, err = admin.IssueEnrollmentCode(ctx, "wallet", "1h"); err != nil {
		t.Fatal(err)
	}
	if err := wallet.RegisterDevice(ctx, "", devSigner.Address(), code.Code); err != nil {
		t.Fatalf("first device registration with the operator's code: %v", err)
	}
	if err := wallet.RegisterDevice(ctx, "", thiefSigner.Address(), code.Code); apiKind(err) != "forbidden" {
		t.Fatalf("a client token replaced its device: %v", err)
	}
	if evs, err := admin.RiskEvents(ctx, RiskEventsArgs{Client: "wallet", Outcome: "device_enrolled"}); err != nil || len(evs) != 1 || evs[0].Counterparty != devSigner.Address() {
		t.Fatalf("enrollment in the audit trail: %+v %v", evs, err)
	}

	// A stolen token alone: the thief signs with their own key and is declined.
	if _, err := wallet.PayWithStepUp(ctx, payArgs(1000), thiefSigner.SignDigest); apiKind(err) != "risk_declined" ||
		!strings.Contains(err.Error(), "step_up_bad_signature") {
		t.Fatalf("step-up signed by a key that is not the device: %v", err)
	}
	if n := rs.backend.pays.Load(); n != 0 {
		t.Fatalf("%d payments reached the node before any valid step-up", n)
	}
	p, err := wallet.PayWithStepUp(ctx, payArgs(1000), devSigner.SignDigest)
	if err != nil {
		t.Fatalf("step-up with the device key: %v", err)
	}
	if rs.backend.pays.Load() != 1 || p.Amount.Big().Int64() != 1000 {
		t.Fatalf("after step-up: %d payments at the node, amount %v", rs.backend.pays.Load(), p.Amount.Big())
	}
}

func TestRiskClientTokensAndAdminMethods(t *testing.T) {
	rs := startRiskServer(t)
	ctx := context.Background()
	game := dialAs(t, rs.srv.URL(), gameToken)
	admin := dialAs(t, rs.srv.URL(), testToken)

	if _, err := game.Pay(ctx, payArgs(60)); err != nil {
		t.Fatalf("game pays within its cap: %v", err)
	}
	if _, err := game.Pay(ctx, payArgs(60)); apiKind(err) != "risk_declined" || !strings.Contains(err.Error(), "daily_cap") {
		t.Fatalf("game past its daily cap: %v", err)
	}
	// A failed payment gives its reservation back.
	rs.backend.fail(channel.ErrOverdraft)
	if _, err := game.Pay(ctx, payArgs(40)); apiKind(err) != "overdraft" {
		t.Fatalf("overdraft: %v", err)
	}
	rs.backend.fail(nil)
	if _, err := game.Pay(ctx, payArgs(40)); err != nil {
		t.Fatalf("the released 40 is spendable again: %v", err)
	}

	if _, err := game.OpenChannel(ctx, OpenChannelArgs{Peer: testBob.Hex(), Deposit: NewAmount(big.NewInt(1))}); apiKind(err) != "forbidden" {
		t.Fatalf("client token opened a channel: %v", err)
	}
	if _, err := game.RiskConfig(ctx); apiKind(err) != "forbidden" {
		t.Fatalf("client token read the risk config: %v", err)
	}
	if _, err := game.SetRiskClient(ctx, "game", risk.ClientConfig{}); apiKind(err) != "forbidden" {
		t.Fatalf("client token changed its own limits: %v", err)
	}
	if evs, err := game.RiskEvents(ctx, RiskEventsArgs{Client: "wallet"}); err != nil || len(evs) != 4 || evs[0].Client != "game" {
		t.Fatalf("a client's events are its own: %d events, %v", len(evs), err)
	}

	if _, err := admin.SetRiskClient(ctx, "game", risk.ClientConfig{Profile: risk.ProfileService, TokenHash: TokenHash(gameToken), DailyCap: risk.AmountFromUint64(1000)}); err != nil {
		t.Fatal(err)
	}
	if _, err := game.Pay(ctx, payArgs(500)); err != nil {
		t.Fatalf("after the admin raised the cap: %v", err)
	}
	cfg, err := admin.RiskConfig(ctx)
	if err != nil || cfg.Clients["game"].DailyCap != risk.AmountFromUint64(1000) {
		t.Fatalf("riskConfig: %+v, %v", cfg.Clients["game"], err)
	}
	clients, err := admin.RiskClients(ctx)
	if err != nil || len(clients) != 2 || clients[0].Name != "game" || clients[0].SpentToday != risk.AmountFromUint64(600) {
		t.Fatalf("riskClients: %+v, %v", clients, err)
	}
	if _, err := dialAs(t, rs.srv.URL(), strings.Repeat("12", 32)).Pay(ctx, payArgs(1)); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("unknown token: %v", err)
	}
}

// TestRiskIdentifiesWebSocketClients checks that a client paying over WebSocket is
// judged as itself, not as the admin whose calls share the server.
func TestRiskIdentifiesWebSocketClients(t *testing.T) {
	rs := startRiskServer(t)
	ctx := context.Background()
	ws := dialAs(t, "ws://"+rs.srv.Addr().String(), gameToken)
	if _, err := ws.Pay(ctx, payArgs(100)); err != nil {
		t.Fatalf("game over ws within cap: %v", err)
	}
	if _, err := ws.Pay(ctx, payArgs(1)); apiKind(err) != "risk_declined" {
		t.Fatalf("game over ws past its cap was not declined: %v", err)
	}
	if _, err := ws.RiskConfig(ctx); apiKind(err) != "forbidden" {
		t.Fatalf("client over ws reached an admin method: %v", err)
	}
	adminWS := dialAs(t, "ws://"+rs.srv.Addr().String(), testToken)
	if _, err := adminWS.Pay(ctx, payArgs(1000)); err != nil {
		t.Fatalf("admin over ws: %v", err)
	}
	evs := rs.engine.Events(risk.EventFilter{})
	if len(evs) != 3 || evs[0].Client != risk.AdminClient || evs[1].Client != "game" {
		t.Fatalf("attribution: %+v", evs)
	}
}

// TestRiskDecoratorRacingPaysCannotOvershootCap sends 64 concurrent payments of one
// client through the decorator: exactly as many reach the node as the cap allows.
func TestRiskDecoratorRacingPaysCannotOvershootCap(t *testing.T) {
	eng, err := risk.NewEngine(risk.Options{Domain: testDomain, Config: risk.Config{Clients: map[string]risk.ClientConfig{
		"game": {Profile: risk.ProfileService, DailyCap: risk.AmountFromUint64(100)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	b := &countingBackend{fakeBackend: newFakeBackend()}
	rb := &riskBackend{Backend: b, layer: &riskLayer{engine: eng}}
	ctx := context.WithValue(context.Background(), clientKey{}, "game")
	var declined atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 64 {
		wg.Go(func() {
			<-start
			_, err := rb.Pay(ctx, node.PayRequest{Channel: testChannel, Amount: big.NewInt(3)})
			if err != nil {
				if !errors.Is(err, channel.ErrRiskDeclined) {
					t.Errorf("pay: %v", err)
				}
				declined.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	if b.pays.Load() != 100/3 || declined.Load() != 64-100/3 {
		t.Fatalf("64 racing payments of 3 under a cap of 100: %d reached the node, %d declined; want %d and %d",
			b.pays.Load(), declined.Load(), 100/3, 64-100/3)
	}
}

// Issue 22, findings 4 and 5: a typo in sluice_setRiskClient silently removed a cap, and
// there was no way to freeze or revoke a client.
func TestRiskAdminRefusesTyposFreezesAndDeletesClients(t *testing.T) {
	rs := startRiskServer(t)
	ctx := context.Background()
	game := dialAs(t, rs.srv.URL(), gameToken)
	admin := dialAs(t, rs.srv.URL(), testToken)

	var out risk.ClientConfig
	err := admin.call(ctx, &out, "setRiskClient", "game", json.RawMessage(`{"profile":"service","tokenHash":"`+TokenHash(gameToken)+`","dailyCapp":"0"}`))
	if apiKind(err) != "invalid_params" || !strings.Contains(err.Error(), "dailyCapp") {
		t.Fatalf("setRiskClient with a typo: %v, want invalid_params naming the field", err)
	}
	if _, err := game.Pay(ctx, payArgs(150)); apiKind(err) != "risk_declined" {
		t.Fatalf("the typo changed the cap of 100: %v", err)
	}

	frozen := risk.ClientConfig{Profile: risk.ProfileService, TokenHash: TokenHash(gameToken), Frozen: true}
	if _, err := admin.SetRiskClient(ctx, "game", frozen); err != nil {
		t.Fatal(err)
	}
	if _, err := game.Pay(ctx, payArgs(1)); apiKind(err) != "risk_declined" || !strings.Contains(err.Error(), "frozen") {
		t.Fatalf("frozen client paid: %v", err)
	}

	if err := game.DeleteRiskClient(ctx, "wallet"); apiKind(err) != "forbidden" {
		t.Fatalf("a client deleted another: %v", err)
	}
	if err := admin.DeleteRiskClient(ctx, "admin"); apiKind(err) != "invalid_params" {
		t.Fatalf("deleting the admin: %v", err)
	}
	if err := admin.DeleteRiskClient(ctx, "game"); err != nil {
		t.Fatal(err)
	}
	if _, err := game.Pay(ctx, payArgs(1)); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("a deleted client's token: %v, want unauthorized", err)
	}
	if rs.backend.pays.Load() != 0 {
		t.Fatalf("%d payments reached the node", rs.backend.pays.Load())
	}
}

// Issue 22, finding 7 (in part): a risk client's token read /metrics.
func TestMetricsNeedTheAdminTokenNotAClientToken(t *testing.T) {
	eng, err := risk.NewEngine(risk.Options{Domain: testDomain, Config: risk.Config{Clients: map[string]risk.ClientConfig{
		"game": {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(newFakeBackend(), Config{Addr: "127.0.0.1:0", Token: testToken, Risk: eng, Metrics: metricsRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	for _, tc := range []struct {
		token string
		want  int
	}{{gameToken, http.StatusUnauthorized}, {testToken, http.StatusOK}, {"", http.StatusUnauthorized}} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/metrics", nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("token %q…: /metrics answered %d, want %d", tc.token[:min(4, len(tc.token))], resp.StatusCode, tc.want)
		}
	}
}

// Issue 22, finding 1: a payee that answers every proof with an overdraft Reject made the
// risk layer give the reservation back, although the proof was signed and sent; a client
// with a 10,000 daily cap signed away 200,000.
func TestPeerRefusalOfASignedProofStaysChargedToTheClient(t *testing.T) {
	rs := startRiskServer(t)
	ctx := context.Background()
	game := dialAs(t, rs.srv.URL(), gameToken) // daily cap 100
	if _, err := game.Pay(ctx, payArgs(10)); err != nil {
		t.Fatal(err)
	}
	rs.backend.fail(node.NewRejectError(testChannel, 2, channel.CodeOverdraft, "balance exceeded"))
	if _, err := game.Pay(ctx, payArgs(60)); err == nil {
		t.Fatal("a refused proof reported as paid")
	}
	rs.backend.fail(nil)
	if _, err := game.Pay(ctx, payArgs(60)); apiKind(err) != "risk_declined" || !strings.Contains(err.Error(), "daily_cap") {
		t.Fatalf("after 10 paid and a refused 60 of a 100 cap, another 60: %v, want a daily_cap decline", err)
	}
	if _, err := game.Pay(ctx, payArgs(30)); err != nil {
		t.Fatalf("the remaining 30: %v", err)
	}
}

// Issue 22, finding 10: every retry of one payment id was charged again.
func TestRetriesOfOnePaymentAreChargedOnce(t *testing.T) {
	rs := startRiskServer(t)
	ctx := context.Background()
	game := dialAs(t, rs.srv.URL(), gameToken) // daily cap 100
	args := payArgs(60)
	id := PaymentID{7}
	args.PaymentID = &id
	if _, err := game.Pay(ctx, args); err != nil {
		t.Fatal(err)
	}
	rs.backend.mu.Lock()
	rs.backend.repeat = true
	rs.backend.mu.Unlock()
	for i := range 3 {
		if _, err := game.Pay(ctx, args); err != nil {
			t.Fatalf("retry %d of a paid id: %v", i+1, err)
		}
	}
	rs.backend.mu.Lock()
	rs.backend.repeat = false
	rs.backend.mu.Unlock()
	if _, err := game.Pay(ctx, payArgs(40)); err != nil {
		t.Fatalf("40 more after 60 paid once and retried three times, cap 100: %v", err)
	}
}
