package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

var testChannelHex = ChannelID(testChannel).String()

func TestEveryMethodRejectsBadParamsWithInvalidParamsCode(t *testing.T) {
	srv := startServer(t, nil)
	id := `"` + testChannelHex + `"`
	tests := []struct {
		name, method, params, wantMsg string
	}{
		{"channel: short id", "sluice_channel", `["0x12"]`, "channel id"},
		{"channel: id without 0x", "sluice_channel", `["` + strings.Repeat("ab", 32) + `"]`, "must start with 0x"},
		{"channel: id not a string", "sluice_channel", `[12]`, "channel id must be"},
		{"channel: missing id", "sluice_channel", `[]`, "missing value"},
		{"deposit: negative", "sluice_deposit", `[` + id + `,"-5"]`, "negative"},
		{"deposit: zero", "sluice_deposit", `[` + id + `,"0"]`, "greater than zero"},
		{"deposit: hex zero", "sluice_deposit", `[` + id + `,"0x0"]`, "greater than zero"},
		{"deposit: fractional", "sluice_deposit", `[` + id + `,"1.5"]`, "fractional"},
		{"deposit: fractional number", "sluice_deposit", `[` + id + `,1.5]`, "fractional"},
		{"deposit: above 2^128-1", "sluice_deposit", `[` + id + `,"340282366920938463463374607431768211456"]`, "exceeds"},
		{"deposit: missing amount", "sluice_deposit", `[` + id + `]`, "missing value"},
		{"deposit: malformed id", "sluice_deposit", `["0xzz","1"]`, "channel id"},
		{"withdraw: zero", "sluice_withdraw", `[` + id + `,"0"]`, "greater than zero"},
		{"withdraw: not a number", "sluice_withdraw", `[` + id + `,"ten"]`, "not a decimal integer"},
		{"pay: missing channel", "sluice_pay", `[{"amount":"1"}]`, "channel is required"},
		{"pay: missing amount", "sluice_pay", `[{"channel":` + id + `}]`, "amount is required"},
		{"pay: zero amount", "sluice_pay", `[{"channel":` + id + `,"amount":"0"}]`, "greater than zero"},
		{"pay: negative amount", "sluice_pay", `[{"channel":` + id + `,"amount":"-1"}]`, "negative"},
		{"pay: huge amount", "sluice_pay", `[{"channel":` + id + `,"amount":"0x1` + strings.Repeat("0", 32) + `"}]`, "exceeds"},
		{"pay: short payment id", "sluice_pay", `[{"channel":` + id + `,"amount":"1","paymentId":"0x12"}]`, "payment id"},
		{"pay: all-zero payment id", "sluice_pay", `[{"channel":` + id + `,"amount":"1","paymentId":"0x` + strings.Repeat("0", 32) + `"}]`, "all zeros"},
		{"pay: memo too long", "sluice_pay", `[{"channel":` + id + `,"amount":"1","memo":"` + strings.Repeat("m", 257) + `"}]`, "memo"},
		{"pay: no params", "sluice_pay", `[]`, "missing value"},
		{"openChannel: missing peer", "sluice_openChannel", `[{"deposit":"1"}]`, "peer is required"},
		{"openChannel: missing deposit", "sluice_openChannel", `[{"peer":"/ip4/127.0.0.1/tcp/1/p2p/x"}]`, "deposit is required"},
		{"openChannel: zero deposit", "sluice_openChannel", `[{"peer":"p","deposit":"0"}]`, "greater than zero"},
		{"openChannel: challenge too long", "sluice_openChannel", `[{"peer":"p","deposit":"1","challengePeriod":2592001}]`, "challengePeriod"},
		{"openChannel: negative challenge", "sluice_openChannel", `[{"peer":"p","deposit":"1","challengePeriod":-1}]`, "invalid argument"},
		{"openChannel: malformed token", "sluice_openChannel", `[{"peer":"p","deposit":"1","token":"0x12"}]`, "invalid argument"},
		{"channels: unknown status", "sluice_channels", `[{"status":"weird"}]`, "status"},
		{"channels: malformed peer", "sluice_channels", `[{"peer":"bob"}]`, "invalid argument"},
		{"payments: limit too big", "sluice_payments", `[{"limit":5000}]`, "limit"},
		{"payments: negative limit", "sluice_payments", `[{"limit":-1}]`, "limit"},
		{"payments: malformed channel", "sluice_payments", `[{"channel":"0x1"}]`, "channel id"},
		{"closeChannel: malformed id", "sluice_closeChannel", `["bad"]`, "channel id"},
		{"closeChannel: force not bool", "sluice_closeChannel", `[` + id + `,"yes"]`, "invalid argument"},
		{"settle: missing id", "sluice_settle", `[]`, "missing value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := call(t, srv, tt.method, tt.params)
			if reply.Error == nil {
				t.Fatalf("%s %s succeeded with %s, want invalid params", tt.method, tt.params, reply.Result)
			}
			if reply.Error.Code != CodeInvalidParams {
				t.Fatalf("code %d (%s), want %d", reply.Error.Code, reply.Error.Message, CodeInvalidParams)
			}
			if !strings.Contains(reply.Error.Message, tt.wantMsg) {
				t.Fatalf("message %q does not mention %q", reply.Error.Message, tt.wantMsg)
			}
		})
	}
}

func TestBackendErrorsMapToStableCodes(t *testing.T) {
	srv := startServer(t, nil)
	tests := []struct {
		err      error
		wantCode int
		wantKind string
	}{
		{fmt.Errorf("pay %s: %w", testChannelHex, channel.ErrOverdraft), CodeOverdraft, "overdraft"},
		{fmt.Errorf("channel %s: %w", testChannelHex, channel.ErrUnknownChannel), CodeUnknownChannel, "unknown_channel"},
		{channel.ErrChannelNotOpen, CodeChannelNotOpen, "channel_not_open"},
		{channel.ErrSettlementSigned, CodeChannelNotOpen, "channel_not_open"},
		{channel.ErrRateLimited, CodeRateLimited, "rate_limited"},
		{channel.ErrRiskDeclined, CodeRiskDeclined, "risk_declined"},
		{channel.ErrNotParticipant, CodeNotParticipant, "not_participant"},
		{fmt.Errorf("peer said: %w", channel.ErrStaleNonce), CodeRejectedByPeer, "rejected_by_peer"},
		{fmt.Errorf("pay: %w", node.ErrPeerUnreachable), CodePeerUnreachable, "peer_unreachable"},
		{node.ErrPaymentIDReused, CodePaymentIDReused, "payment_id_reused"},
		{node.ErrClosed, CodeNodeUnavailable, "node_unavailable"},
		{fmt.Errorf("peer rejected proof 1: %w", channel.ErrChannelOutOfPolicy), CodeOutOfPolicy, "channel_out_of_policy"},
		{errors.New("settle: execution reverted: ChallengePeriodNotOver()"), CodeChallengePending, "challenge_pending"},
		{errors.New("close: execution reverted: StaleNonce()"), CodeChainFailure, "chain_rejected"},
		{errors.New("disk on fire"), CodeInternal, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.wantKind+"/"+tt.err.Error(), func(t *testing.T) {
			srv.backend.fail(tt.err)
			reply := call(t, srv, "sluice_pay", `[{"channel":"`+testChannelHex+`","amount":"5"}]`)
			if reply.Error == nil {
				t.Fatal("call succeeded, want error")
			}
			if reply.Error.Code != tt.wantCode || reply.Error.Data["kind"] != tt.wantKind {
				t.Fatalf("got code %d kind %q, want %d %q", reply.Error.Code, reply.Error.Data["kind"], tt.wantCode, tt.wantKind)
			}
			if !strings.Contains(reply.Error.Message, tt.err.Error()) {
				t.Fatalf("message %q lost the backend's explanation %q", reply.Error.Message, tt.err)
			}
		})
	}
}

func TestPayRefusesAnAllZeroPaymentIDAndNeverReachesTheNode(t *testing.T) {
	srv := startServer(t, nil)
	reply := call(t, srv, "sluice_pay", `[{"channel":"`+testChannelHex+`","amount":"5","paymentId":"0x`+strings.Repeat("0", 32)+`"}]`)
	if reply.Error == nil {
		t.Fatalf("an all-zero payment id was accepted: %s", reply.Result)
	}
	if reply.Error.Code != CodeInvalidParams || reply.Error.Data["kind"] != "invalid_params" || !strings.Contains(reply.Error.Message, "paymentId") {
		t.Fatalf("got code %d kind %q message %q, want %d invalid_params naming paymentId", reply.Error.Code, reply.Error.Data["kind"], reply.Error.Message, CodeInvalidParams)
	}
	srv.backend.mu.Lock()
	got := srv.backend.lastPay
	srv.backend.mu.Unlock()
	if got.Amount != nil {
		t.Fatalf("the node was asked to pay %+v", got)
	}
	// Omitting the id is still fine: the node picks one.
	if reply := call(t, srv, "sluice_pay", `[{"channel":"`+testChannelHex+`","amount":"5"}]`); reply.Error != nil {
		t.Fatalf("pay without a payment id: %s", reply.Error.Message)
	}
}

func TestPayReportsARepeatedPayment(t *testing.T) {
	srv := startServer(t, nil)
	srv.backend.mu.Lock()
	srv.backend.repeat = true
	srv.backend.mu.Unlock()
	reply := call(t, srv, "sluice_pay", `[{"channel":"`+testChannelHex+`","amount":"5","paymentId":"0x01000000000000000000000000000000"}]`)
	if reply.Error != nil {
		t.Fatal(reply.Error.Message)
	}
	if !strings.Contains(string(reply.Result), `"repeat":true`) {
		t.Fatalf("a repeated payment is not marked: %s", reply.Result)
	}
}

func TestPayPassesParsedRequestAndReturnsSignedProof(t *testing.T) {
	srv := startServer(t, nil)
	pid := "0x000102030405060708090a0b0c0d0e0f"
	reply := call(t, srv, "sluice_pay", `[{"channel":"`+testChannelHex+`","amount":"0x7b","paymentId":"`+pid+`","memo":"tea"}]`)
	if reply.Error != nil {
		t.Fatal(reply.Error.Message)
	}
	srv.backend.mu.Lock()
	got := srv.backend.lastPay
	srv.backend.mu.Unlock()
	if got.Channel != testChannel || got.Amount.Cmp(big.NewInt(123)) != 0 || got.Memo != "tea" || got.PaymentID[15] != 0x0f {
		t.Fatalf("backend got %+v", got)
	}
	var p Payment
	if err := json.Unmarshal(reply.Result, &p); err != nil {
		t.Fatal(err)
	}
	if p.Amount.String() != "123" || p.PaymentID.String() != pid || p.Direction != "sent" || p.LatencyMicros != 1500 {
		t.Fatalf("payment %+v", p)
	}
	if p.Proof.Nonce != 4 || p.Proof.Transferred.String() != "40" || p.Proof.Signature[64] != 27 {
		t.Fatalf("proof %+v", p.Proof)
	}
	if !strings.Contains(string(reply.Result), `"amount":"123"`) {
		t.Fatalf("amount is not a decimal string: %s", reply.Result)
	}
}

func TestChannelIncludesEIP712DomainAndLatestProofs(t *testing.T) {
	srv := startServer(t, nil)
	reply := call(t, srv, "sluice_channel", `["`+testChannelHex+`"]`)
	if reply.Error != nil {
		t.Fatal(reply.Error.Message)
	}
	var c Channel
	if err := json.Unmarshal(reply.Result, &c); err != nil {
		t.Fatal(err)
	}
	wantSep, err := testDomain.Separator()
	if err != nil {
		t.Fatal(err)
	}
	d := c.Domain
	if d.Name != "Sluice" || d.Version != "1" || d.ChainID.Cmp(testChainID) != 0 || d.VerifyingContract != testDomain.Contract {
		t.Fatalf("domain %+v", d)
	}
	if d.Separator == nil || *d.Separator != wantSep {
		t.Fatalf("separator %v, want %s", d.Separator, wantSep)
	}
	if c.Us != "A" || c.Partner != testBob || c.Status != "open" || c.Balance[0].String() != "900" {
		t.Fatalf("channel %+v", c)
	}
	if c.LatestProofs[0] == nil || c.LatestProofs[0].Nonce != 3 || c.LatestProofs[1] != nil {
		t.Fatalf("latest proofs %+v", c.LatestProofs)
	}
}

func TestOpenChannelDefaultsToETHAndConvertsChallengePeriod(t *testing.T) {
	srv := startServer(t, nil)
	tests := []struct {
		params     string
		wantToken  common.Address
		wantPeriod time.Duration
	}{
		{`[{"peer":"/ip4/127.0.0.1/tcp/9/p2p/x","deposit":"1000"}]`, common.Address{}, 0},
		{`[{"peer":"0x0000000000000000000000000000000000000b0b","deposit":"1000","token":"0x0000000000000000000000000000000000000007","challengePeriod":60}]`,
			common.HexToAddress("0x07"), time.Minute},
	}
	for _, tt := range tests {
		reply := call(t, srv, "sluice_openChannel", tt.params)
		if reply.Error != nil {
			t.Fatal(reply.Error.Message)
		}
		srv.backend.mu.Lock()
		got := srv.backend.lastOpen
		srv.backend.mu.Unlock()
		if got.Token != tt.wantToken || got.ChallengePeriod != tt.wantPeriod || got.Deposit.Cmp(big.NewInt(1000)) != 0 {
			t.Fatalf("%s: backend got %+v", tt.params, got)
		}
	}
}

func TestChannelsAndPaymentsPassFilters(t *testing.T) {
	srv := startServer(t, nil)
	reply := call(t, srv, "sluice_channels", `[{"status":"closing","peer":"`+testBob.Hex()+`"}]`)
	if reply.Error != nil {
		t.Fatal(reply.Error.Message)
	}
	srv.backend.mu.Lock()
	filter := srv.backend.lastFilter
	srv.backend.mu.Unlock()
	if filter.Status != channel.StatusClosing || filter.Peer != testBob {
		t.Fatalf("filter %+v", filter)
	}
	if reply := call(t, srv, "sluice_channels", `[]`); reply.Error != nil {
		t.Fatalf("channels without filter: %s", reply.Error.Message)
	}

	reply = call(t, srv, "sluice_payments", `[{"channel":"`+testChannelHex+`","cursor":"c1","limit":10}]`)
	if reply.Error != nil {
		t.Fatal(reply.Error.Message)
	}
	srv.backend.mu.Lock()
	q := srv.backend.lastQuery
	srv.backend.mu.Unlock()
	if q != (node.PaymentQuery{Channel: testChannel, Cursor: "c1", Limit: 10}) {
		t.Fatalf("query %+v", q)
	}
	var page PaymentPage
	if err := json.Unmarshal(reply.Result, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Payments) != 2 || page.Next != "cursor-2" || page.Payments[1].Proof.Nonce != 2 {
		t.Fatalf("page %+v", page)
	}
}

func TestCloseChannelForceDefaultsToCooperative(t *testing.T) {
	srv := startServer(t, nil)
	tests := []struct {
		params    string
		wantForce bool
	}{
		{`["` + testChannelHex + `"]`, false},
		{`["` + testChannelHex + `", false]`, false},
		{`["` + testChannelHex + `", true]`, true},
	}
	for _, tt := range tests {
		reply := call(t, srv, "sluice_closeChannel", tt.params)
		if reply.Error != nil {
			t.Fatal(reply.Error.Message)
		}
		srv.backend.mu.Lock()
		force := srv.backend.lastForce
		srv.backend.mu.Unlock()
		if force != tt.wantForce {
			t.Fatalf("%s: force %v, want %v", tt.params, force, tt.wantForce)
		}
		var res CloseResult
		if err := json.Unmarshal(reply.Result, &res); err != nil {
			t.Fatal(err)
		}
		if res.Cooperative == tt.wantForce {
			t.Fatalf("%s: cooperative %v", tt.params, res.Cooperative)
		}
	}
}

func TestTxMethodsReturnMinedTransaction(t *testing.T) {
	srv := startServer(t, nil)
	for _, tt := range []struct{ method, params string }{
		{"sluice_deposit", `["` + testChannelHex + `","500"]`},
		{"sluice_withdraw", `["` + testChannelHex + `","0x10"]`},
		{"sluice_settle", `["` + testChannelHex + `"]`},
	} {
		reply := call(t, srv, tt.method, tt.params)
		if reply.Error != nil {
			t.Fatalf("%s: %s", tt.method, reply.Error.Message)
		}
		var tx TxResult
		if err := json.Unmarshal(reply.Result, &tx); err != nil {
			t.Fatal(err)
		}
		if tx.Block != 7 || tx.GasUsed != 50000 || tx.TxHash != (common.Hash{1}) {
			t.Fatalf("%s: %+v", tt.method, tx)
		}
	}
}

func TestSettleDuringChallengePeriodReportsChallengePending(t *testing.T) {
	tests := []struct {
		name        string
		status      channel.Status
		settleAfter time.Time
		revert      string
		wantCode    int
	}{
		{"closing, period running", channel.StatusClosing, time.Now().Add(time.Hour), "", CodeChallengePending},
		{"closing, period over", channel.StatusClosing, time.Now().Add(-time.Hour), "", CodeInternal},
		{"open", channel.StatusOpen, time.Time{}, "", CodeInternal},
		// Chain time may lag wall time: the contract's own verdict wins and still says when.
		{"contract says not over", channel.StatusClosing, time.Now().Add(-time.Minute), ": ChallengePeriodNotOver()", CodeChallengePending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, nil)
			srv.backend.closing(tt.status, tt.settleAfter)
			srv.backend.fail(errors.New("settle: estimate gas: execution reverted" + tt.revert))
			reply := call(t, srv, "sluice_settle", `["`+testChannelHex+`"]`)
			if reply.Error == nil || reply.Error.Code != tt.wantCode {
				t.Fatalf("reply %+v, want code %d", reply.Error, tt.wantCode)
			}
			if tt.wantCode == CodeChallengePending && !strings.Contains(reply.Error.Message, tt.settleAfter.UTC().Format(time.RFC3339)) {
				t.Fatalf("message %q does not say when settling becomes possible", reply.Error.Message)
			}
		})
	}
}

func TestWebSocketCallsAreBoundedByTheRequestTimeout(t *testing.T) {
	srv := startServer(t, func(c *Config) { c.RequestTimeout = 200 * time.Millisecond })
	srv.backend.block()
	c := dialWS(t, srv)
	start := time.Now()
	_, err := c.NodeInfo(context.Background())
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Code != CodeTimeout {
		t.Fatalf("err = %v, want a timeout error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("call took %s despite a 200ms timeout", d)
	}
}
