package main

import (
	"bytes"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/node/api"
)

type rpcReply struct {
	status int
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    struct {
			Kind string `json:"kind"`
		} `json:"data"`
	} `json:"error"`
}

// rawRPC posts body to the node's API exactly as given, so malformed requests reach the
// server unchanged (a typed client would refuse to build them).
func rawRPC(t *testing.T, url, auth, body string) rpcReply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var r rpcReply
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("reply to %s is not JSON-RPC (%v): %d %s", body, err, resp.StatusCode, data)
	}
	r.status = resp.StatusCode
	return r
}

func rpcBody(method string, params ...any) string {
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	return string(b)
}

// e2eSnapshot is everything bad input must leave unchanged: both nodes' views of the
// channel and their payment logs, and the chain.
type e2eSnapshot struct {
	channels [2]api.Channel
	payments [2][]api.Payment
	head     uint64
	balances [3]*big.Int
}

func takeSnapshot(t *testing.T, chain *e2eChain, id api.ChannelID, a, b *e2eNode) e2eSnapshot {
	t.Helper()
	return e2eSnapshot{
		channels: [2]api.Channel{a.channel(t, id), b.channel(t, id)},
		payments: [2][]api.Payment{a.payments(t, id), b.payments(t, id)},
		head:     chain.head(t),
		balances: [3]*big.Int{chain.balance(t, a.acc.addr), chain.balance(t, b.acc.addr), chain.balance(t, chain.contract)},
	}
}

// TestE2EBadInputIsRefusedWithStableErrorsAndChangesNothing is acceptance 4: bad calls to a
// running node, through its JSON-RPC API and through the CLI, fail with the documented
// codes (JSON-RPC code and data.kind; CLI exit 2 for usage, 1 for runtime, one `sluice:`
// line on stderr, nothing on stdout), and afterwards both nodes' channel views and payment
// logs and the chain are exactly as before. A good payment at the end proves the node was
// able to act all along.
func TestE2EBadInputIsRefusedWithStableErrorsAndChangesNothing(t *testing.T) {
	t.Parallel()
	start := time.Now()
	chain := startE2EChain(t)
	alice, bob := newE2ENode(t, chain, "alice", 7), newE2ENode(t, chain, "bob", 8)
	bob.start(t)
	alice.start(t)
	deposit := big.NewInt(1_000_000_000_000_000)
	id := openChannelCLI(t, alice, bob, deposit, time.Hour)
	alice.mustCLI(t, "pay", id.String(), "1000")
	alice.mustCLI(t, "pay", id.String(), "2000")
	bob.mustCLI(t, "pay", id.String(), "500")
	before := takeSnapshot(t, chain, id, alice, bob)

	url, bearer := alice.api(), "Bearer "+alice.token(t)
	chanID, unknown := id.String(), "0x"+strings.Repeat("ab", 32)
	pay := func(fields map[string]any) string { return rpcBody("sluice_pay", fields) }
	apiCases := []struct {
		name, body string
		code       int
		kind, msg  string
	}{
		{"pay on unknown channel", pay(map[string]any{"channel": unknown, "amount": "1"}), api.CodeUnknownChannel, "unknown_channel", unknown[2:10]},
		{"show unknown channel", rpcBody("sluice_channel", unknown), api.CodeUnknownChannel, "unknown_channel", unknown[2:10]},
		{"deposit to unknown channel", rpcBody("sluice_deposit", unknown, "1"), api.CodeUnknownChannel, "unknown_channel", ""},
		{"close unknown channel", rpcBody("sluice_closeChannel", unknown), api.CodeUnknownChannel, "unknown_channel", ""},
		{"overdraft", pay(map[string]any{"channel": chanID, "amount": deposit.String()}), api.CodeOverdraft, "overdraft", "insufficient"},
		{"overdraft by one wei", pay(map[string]any{"channel": chanID, "amount": new(big.Int).Sub(deposit, big.NewInt(2499)).String()}), api.CodeOverdraft, "overdraft", ""},
		{"short channel id", pay(map[string]any{"channel": "0x12", "amount": "1"}), api.CodeInvalidParams, "invalid_params", "channel"},
		{"non-hex channel id", rpcBody("sluice_channel", "0x"+strings.Repeat("zz", 32)), api.CodeInvalidParams, "invalid_params", ""},
		{"negative amount", pay(map[string]any{"channel": chanID, "amount": "-5"}), api.CodeInvalidParams, "invalid_params", "amount"},
		{"negative JSON number", pay(map[string]any{"channel": chanID, "amount": -5}), api.CodeInvalidParams, "invalid_params", "amount"},
		{"zero amount", pay(map[string]any{"channel": chanID, "amount": "0"}), api.CodeInvalidParams, "invalid_params", "amount"},
		{"zero JSON number", pay(map[string]any{"channel": chanID, "amount": 0}), api.CodeInvalidParams, "invalid_params", "amount"},
		{"fractional amount", pay(map[string]any{"channel": chanID, "amount": "1.5"}), api.CodeInvalidParams, "invalid_params", "amount"},
		{"exponent amount", pay(map[string]any{"channel": chanID, "amount": "1e3"}), api.CodeInvalidParams, "invalid_params", "amount"},
		{"amount with separators", pay(map[string]any{"channel": chanID, "amount": "1,000"}), api.CodeInvalidParams, "invalid_params", "amount"},
		{"amount not a number", pay(map[string]any{"channel": chanID, "amount": "lots"}), api.CodeInvalidParams, "invalid_params", "amount"},
		{"amount of 2^128", pay(map[string]any{"channel": chanID, "amount": new(big.Int).Lsh(big.NewInt(1), 128).String()}), api.CodeInvalidParams, "invalid_params", "amount"},
		{"missing amount", pay(map[string]any{"channel": chanID}), api.CodeInvalidParams, "invalid_params", "amount"},
		{"missing channel", pay(map[string]any{"amount": "1"}), api.CodeInvalidParams, "invalid_params", "channel"},
		{"params not an object", rpcBody("sluice_pay", "pay me"), api.CodeInvalidParams, "invalid_params", ""},
		{"bad payment id", pay(map[string]any{"channel": chanID, "amount": "1", "paymentId": "0x01"}), api.CodeInvalidParams, "invalid_params", "payment id"},
		{"all-zero payment id", pay(map[string]any{"channel": chanID, "amount": "1", "paymentId": "0x" + strings.Repeat("0", 32)}), api.CodeInvalidParams, "invalid_params", "all zeros"},
		{"memo too long", pay(map[string]any{"channel": chanID, "amount": "1", "memo": strings.Repeat("m", 257)}), api.CodeInvalidParams, "invalid_params", "memo"},
		{"negative deposit", rpcBody("sluice_deposit", chanID, "-1"), api.CodeInvalidParams, "invalid_params", ""},
		{"zero withdrawal", rpcBody("sluice_withdraw", chanID, "0"), api.CodeInvalidParams, "invalid_params", ""},
		{"zero open deposit", rpcBody("sluice_openChannel", map[string]any{"peer": bob.acc.addr.Hex(), "deposit": "0"}), api.CodeInvalidParams, "invalid_params", ""},
		{"payments limit 1001", rpcBody("sluice_payments", map[string]any{"limit": 1001, "channel": chanID}), api.CodeInvalidParams, "invalid_params", "limit"},
		{"negative payments limit", rpcBody("sluice_payments", map[string]any{"limit": -1, "channel": chanID}), api.CodeInvalidParams, "invalid_params", "limit"},
		{"unknown status", rpcBody("sluice_channels", map[string]any{"status": "weird"}), api.CodeInvalidParams, "invalid_params", "status"},
		{"settle before the channel closes", rpcBody("sluice_settle", chanID), api.CodeChainFailure, "chain_rejected", "ChannelNotClosing"},
		{"unknown method", rpcBody("sluice_mint", "1"), -32601, "method_not_found", ""},
		{"not JSON", `{"jsonrpc":"2.0","id":1,"method":"sluice_pay","params":[{`, -32700, "parse_error", ""},
		{"empty body", "", api.CodeInvalidRequest, "invalid_request", "empty"},
	}
	for _, tc := range apiCases {
		r := rawRPC(t, url, bearer, tc.body)
		if r.Error == nil {
			t.Errorf("API %s: succeeded with %s, want error %d", tc.name, r.Result, tc.code)
			continue
		}
		// Parameters go-ethereum's rpc server fails to decode carry data.kind too (issue 21).
		kind := r.Error.Data.Kind
		if r.Error.Code != tc.code || (tc.kind != "" && kind != tc.kind) || r.Error.Message == "" ||
			!strings.Contains(strings.ToLower(r.Error.Message), strings.ToLower(tc.msg)) {
			t.Errorf("API %s: error %d %q (kind %q), want %d kind %q mentioning %q", tc.name, r.Error.Code, r.Error.Message, r.Error.Data.Kind, tc.code, tc.kind, tc.msg)
		}
	}
	validPay := pay(map[string]any{"channel": chanID, "amount": "1"})
	for name, auth := range map[string]string{
		"no token":             "",
		"wrong token":          "Bearer " + strings.Repeat("0", 64),
		"token without Bearer": alice.token(t),
		"other node's token":   "Bearer " + bob.token(t),
	} {
		r := rawRPC(t, url, auth, validPay)
		if r.status != http.StatusUnauthorized || r.Error == nil || r.Error.Code != api.CodeUnauthorized {
			t.Errorf("API with %s: HTTP %d, error %+v; want 401 and code %d", name, r.status, r.Error, api.CodeUnauthorized)
		}
	}

	// The same mistakes through the CLI.
	wrongToken := filepath.Join(t.TempDir(), "wrong.token")
	if err := os.WriteFile(wrongToken, []byte(strings.Repeat("1", 64)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cliCases := []struct {
		name string
		node *e2eNode
		args []string
		code int
		msg  string
	}{
		{"pay negative", alice, []string{"pay", chanID, "-5"}, exitUsage, "negative"},
		{"pay zero", alice, []string{"pay", chanID, "0"}, exitUsage, "greater than zero"},
		{"pay fractional", alice, []string{"pay", chanID, "1.5"}, exitUsage, "fractional"},
		{"pay words", alice, []string{"pay", chanID, "ten"}, exitUsage, "AMOUNT"},
		{"pay malformed channel", alice, []string{"pay", "0x12", "5"}, exitUsage, "channel id"},
		{"pay missing amount", alice, []string{"pay", chanID}, exitUsage, "takes 2 argument(s)"},
		{"pay bad payment id", alice, []string{"pay", "--payment-id", "0x01", chanID, "5"}, exitUsage, "payment id"},
		{"pay all-zero payment id", alice, []string{"pay", "--payment-id", "0x" + strings.Repeat("0", 32), chanID, "5"}, exitUsage, "all zeros"},
		{"pay unknown flag", alice, []string{"pay", "--amount", "5", chanID}, exitUsage, "flag provided but not defined"},
		{"deposit negative", alice, []string{"channel", "deposit", chanID, "-1"}, exitUsage, "negative"},
		{"withdraw zero", alice, []string{"channel", "withdraw", chanID, "0"}, exitUsage, "greater than zero"},
		{"show malformed channel", alice, []string{"channel", "show", "0xzz"}, exitUsage, "channel id"},
		{"payments limit 0", alice, []string{"payments", "--limit", "0"}, exitUsage, "out of range"},
		{"pay unknown channel", alice, []string{"pay", unknown, "5"}, exitFailure, "unknown channel"},
		{"show unknown channel", bob, []string{"channel", "show", unknown}, exitFailure, "unknown channel"},
		{"close unknown channel", alice, []string{"channel", "close", unknown}, exitFailure, "unknown channel"},
		{"pay overdraft", alice, []string{"pay", chanID, deposit.String()}, exitFailure, "insufficient"},
		{"payee overdraft", bob, []string{"pay", chanID, "2501"}, exitFailure, "insufficient"},
		{"settle an open channel", alice, []string{"channel", "settle", chanID}, exitFailure, "ChannelNotClosing"},
		{"wrong token", alice, []string{"--api-token-file", wrongToken, "pay", chanID, "5"}, exitFailure, "unauthorized"},
		{"missing token file", alice, []string{"--api-token-file", filepath.Join(t.TempDir(), "none"), "pay", chanID, "5"}, exitFailure, "sluice init"},
	}
	for _, tc := range cliCases {
		res, err := tc.node.cli(tc.args...)
		if err != nil {
			t.Errorf("CLI %s: %v", tc.name, err)
			continue
		}
		if res.code != tc.code || !strings.HasPrefix(res.stderr, "sluice: ") || !strings.Contains(res.stderr, tc.msg) || res.stdout != "" {
			t.Errorf("CLI %s: sluice %v: exit %d, stdout %q, stderr %q; want exit %d, nothing on stdout, stderr starting with \"sluice: \" mentioning %q",
				tc.name, tc.args, res.code, res.stdout, res.stderr, tc.code, tc.msg)
		}
		if tc.code == exitFailure && strings.Count(strings.TrimRight(res.stderr, "\n"), "\n") != 0 {
			t.Errorf("CLI %s: runtime error is not one line: %q", tc.name, res.stderr)
		}
	}
	// --json does not turn an error into output on stdout.
	if res, err := alice.cli("--json", "pay", unknown, "5"); err != nil || res.code != exitFailure || res.stdout != "" {
		t.Errorf("CLI --json pay on unknown channel: %v exit %d stdout %q", err, res.code, res.stdout)
	}

	after := takeSnapshot(t, chain, id, alice, bob)
	if after.head != before.head {
		t.Errorf("bad input sent %d transaction(s): head %d -> %d", after.head-before.head, before.head, after.head)
	}
	for i := range before.balances {
		if before.balances[i].Cmp(after.balances[i]) != 0 {
			t.Errorf("on-chain balance %d changed: %s -> %s", i, before.balances[i], after.balances[i])
		}
	}
	for i, n := range []*e2eNode{alice, bob} {
		if !reflect.DeepEqual(jsonOf(t, before.channels[i]), jsonOf(t, after.channels[i])) {
			t.Errorf("%s's channel changed:\nbefore %s\nafter  %s", n.name, jsonOf(t, before.channels[i]), jsonOf(t, after.channels[i]))
		}
		if !reflect.DeepEqual(jsonOf(t, before.payments[i]), jsonOf(t, after.payments[i])) {
			t.Errorf("%s's payment log changed: %d payments before, %d after", n.name, len(before.payments[i]), len(after.payments[i]))
		}
	}
	if t.Failed() {
		return
	}

	// The node was able to act all along: a good payment goes through and counts once.
	alice.mustCLI(t, "pay", chanID, "7")
	for i, n := range []*e2eNode{alice, bob} {
		ch := n.channel(t, id)
		if ch.Payments != before.channels[i].Payments+1 {
			t.Errorf("%s: %d payments after one good payment, want %d", n.name, ch.Payments, before.channels[i].Payments+1)
		}
	}
	if b := alice.channel(t, id).Balance; b[0].Big().Cmp(new(big.Int).Sub(before.channels[0].Balance[0].Big(), big.NewInt(7))) != 0 {
		t.Errorf("alice's balance after paying 7: %s, before %s", b[0], before.channels[0].Balance[0])
	}
	t.Logf("%d API and %d CLI bad calls refused in %s", len(apiCases)+4, len(cliCases)+1, time.Since(start).Round(time.Millisecond))
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
