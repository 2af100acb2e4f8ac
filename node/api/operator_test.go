package api

import (
	"encoding/json"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

// hubChannels makes n channels: channel i has our balance i, partner 0x..(i%7), and every
// tenth one is closing.
func hubChannels(n int) []node.ChannelView {
	out := make([]node.ChannelView, 0, n)
	for i := range n {
		var id channel.ID
		id[0], id[1], id[2] = byte(i>>16), byte(i>>8), byte(i)
		v := testChannelView(id)
		v.Participants[1] = common.BigToAddress(big.NewInt(int64(0xb0b0 + i%7)))
		v.Balance = [2]*big.Int{big.NewInt(int64(i)), big.NewInt(1)}
		if i%10 == 0 {
			v.Status = channel.StatusClosing
			v.SettleAfter = uint64(1_000_000 - i)
			v.Defense = node.DefenseOutstanding
		}
		out = append(out, v)
	}
	return out
}

func channelPage(t testing.TB, srv testServer, args string) ChannelPage {
	t.Helper()
	reply := call(t, srv, "sluice_channelPage", "["+args+"]")
	if reply.Error != nil {
		t.Fatalf("sluice_channelPage %s: %+v", args, reply.Error)
	}
	var page ChannelPage
	if err := json.Unmarshal(reply.Result, &page); err != nil {
		t.Fatal(err)
	}
	return page
}

func TestChannelPageSortsFiltersAndPagesOnTheServer(t *testing.T) {
	srv := startServer(t, nil)
	srv.backend.channels = hubChannels(1000)

	page := channelPage(t, srv, `{"sort":"ours","desc":true,"limit":3}`)
	if page.Total != 1000 || len(page.Channels) != 3 || page.Channels[0].Balance[0].String() != "999" || page.Channels[2].Balance[0].String() != "997" {
		t.Fatalf("sorted by our balance, descending: total %d, first %v", page.Total, page.Channels)
	}
	if page.Counts["open"] != 900 || page.Counts["closing"] != 100 {
		t.Fatalf("counts %v", page.Counts)
	}
	if len(page.Liquidity) != 1 || page.Liquidity[0].Channels != 1000 || page.Liquidity[0].Ours.String() != fmt.Sprint(999*1000/2) || page.Liquidity[0].Theirs.String() != "1000" {
		t.Fatalf("liquidity %+v", page.Liquidity)
	}

	closing := channelPage(t, srv, `{"status":"closing","sort":"settleAfter","limit":500}`)
	if closing.Total != 100 || closing.Channels[0].SettleAfter != 1_000_000-990 || closing.Channels[0].Defense != node.DefenseOutstanding {
		t.Fatalf("closing by deadline: total %d, first %+v", closing.Total, closing.Channels[0])
	}

	partner := common.BigToAddress(big.NewInt(0xb0b0 + 3)).Hex()
	byPartner := channelPage(t, srv, fmt.Sprintf(`{"query":%q,"limit":500}`, partner))
	for _, c := range byPartner.Channels {
		if c.Partner.Hex() != partner {
			t.Fatalf("query %s matched partner %s", partner, c.Partner.Hex())
		}
	}
	if byPartner.Total != 143 { // i%7 == 3 for i < 1000
		t.Fatalf("query by partner: %d channels, want 143", byPartner.Total)
	}

	// Pages are disjoint and cover everything.
	seen := map[ChannelID]bool{}
	for off := 0; off < 1000; off += 300 {
		for _, c := range channelPage(t, srv, fmt.Sprintf(`{"sort":"partner","offset":%d,"limit":300}`, off)).Channels {
			if seen[c.ID] {
				t.Fatalf("channel %s on two pages", c.ID)
			}
			seen[c.ID] = true
		}
	}
	if len(seen) != 1000 {
		t.Fatalf("pages covered %d channels, want 1000", len(seen))
	}
}

func TestChannelPageRefusesBadArguments(t *testing.T) {
	srv := startServer(t, nil)
	for _, args := range []string{`{"sort":"nope"}`, `{"limit":501}`, `{"limit":-1}`, `{"offset":-5}`, `{"status":"weird"}`} {
		reply := call(t, srv, "sluice_channelPage", "["+args+"]")
		if reply.Error == nil || reply.Error.Code != CodeInvalidParams {
			t.Fatalf("%s: %+v, want invalid params", args, reply.Error)
		}
	}
}

// A hub's 10,000 channels come back as one sorted, filtered page. How fast is measured by
// BenchmarkChannelPageOfTenThousandChannels, not here.
func TestChannelPageOfTenThousandChannels(t *testing.T) {
	srv := startServer(t, nil)
	srv.backend.channels = hubChannels(10_000)
	page := channelPage(t, srv, `{"sort":"ours","desc":true,"limit":50,"query":"0x"}`)
	if page.Total != 10_000 || len(page.Channels) != 50 {
		t.Fatalf("total %d, page %d", page.Total, len(page.Channels))
	}
}

// BenchmarkChannelPageOfTenThousandChannels is one sluice_channelPage call over HTTP on a
// hub of 10,000 channels (sort by our balance, filter, page of 50); the dashboard must
// render within a second of the data arriving.
func BenchmarkChannelPageOfTenThousandChannels(b *testing.B) {
	srv := startServer(b, nil)
	srv.backend.channels = hubChannels(10_000)
	for b.Loop() {
		channelPage(b, srv, `{"sort":"ours","desc":true,"limit":50,"query":"0x"}`)
	}
}

func TestPaymentStatsBucketsLatenciesAndRecent(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 30, 30, 0, time.UTC)
	s := newPaymentStats(now)
	for i := range 150 {
		p := testPaymentView(testChannel, uint64(i+1))
		p.Time = now.Add(-time.Duration(i) * 20 * time.Second) // 3 per minute, back 50 minutes
		p.Latency = time.Duration(i+1) * time.Millisecond
		if i%2 == 1 {
			p.Direction, p.Latency = node.Incoming, 0
		}
		s.add(p)
	}
	st := s.snapshot(now)
	if len(st.Minutes) != 60 || len(st.Hours) != 24 {
		t.Fatalf("%d minute and %d hour buckets", len(st.Minutes), len(st.Hours))
	}
	var sent, recvd uint64
	for _, b := range st.Minutes {
		sent, recvd = sent+b.Sent, recvd+b.Received
	}
	if sent != 75 || recvd != 75 {
		t.Fatalf("minutes hold %d sent and %d received, want 75 each", sent, recvd)
	}
	last := st.Minutes[59]
	if !last.Start.Equal(now.Truncate(time.Minute)) || last.Sent+last.Received != 2 {
		t.Fatalf("current minute %+v", last)
	}
	if st.Latency.Samples != 75 || st.Latency.P50 != 75_000 || st.Latency.Max != 149_000 {
		t.Fatalf("latency %+v", st.Latency)
	}
	if len(st.Recent) != 100 || st.Recent[0].Proof.Nonce != 150 || st.Recent[99].Proof.Nonce != 51 {
		t.Fatalf("recent: %d, first nonce %d, last nonce %d", len(st.Recent), st.Recent[0].Proof.Nonce, st.Recent[len(st.Recent)-1].Proof.Nonce)
	}
}

func TestPaymentStatsFollowTheLivePaymentStream(t *testing.T) {
	srv := startServer(t, nil)
	p := testPaymentView(testChannel, 7)
	p.Time = time.Now()
	srv.backend.emitPayment(p)
	var st PaymentStats
	waitFor(t, "payment counted", func() bool {
		reply := call(t, srv, "sluice_paymentStats", "[]")
		if reply.Error != nil || json.Unmarshal(reply.Result, &st) != nil {
			return false
		}
		return len(st.Recent) == 1
	})
	if st.Recent[0].Proof.Nonce != 7 || st.Minutes[59].Sent != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestMetricsMethodMirrorsTheRegistry(t *testing.T) {
	srv := startServer(t, func(c *Config) { c.Metrics = metricsRegistry() })
	reply := call(t, srv, "sluice_metrics", "[]")
	var ms []Metric
	if reply.Error != nil || json.Unmarshal(reply.Result, &ms) != nil {
		t.Fatalf("sluice_metrics: %+v", reply.Error)
	}
	if len(ms) != 1 || ms[0].Name != "sluice_test_total" || ms[0].Value != 3 {
		t.Fatalf("metrics %+v", ms)
	}
}

// The operator reads cover every client, so a risk client's token is refused them, over
// HTTP and over a browser WebSocket alike; the admin token gets them.
func TestOperatorReadsAreAdminOnlyUnderARiskEngine(t *testing.T) {
	rs := startRiskServer(t)
	srv := testServer{Server: rs.srv, backend: rs.backend.fakeBackend}
	for _, method := range []string{"sluice_paymentStats", "sluice_metrics"} {
		if _, reply := rawCall(t, srv.URL(), "Bearer "+walletToken, method, "[]"); reply.Error == nil || reply.Error.Code != CodeForbidden {
			t.Fatalf("%s with a client token: %+v, want forbidden", method, reply.Error)
		}
		if _, reply := rawCall(t, srv.URL(), "Bearer "+testToken, method, "[]"); reply.Error != nil {
			t.Fatalf("%s with the admin token: %+v", method, reply.Error)
		}
	}
	conn, _, err := dialBrowser(t, srv, []string{BrowserSubprotocol, BearerSubprotocolPrefix + walletToken}, srv.URL())
	if err != nil {
		t.Fatalf("a client's token over the browser socket: %v", err)
	}
	defer conn.Close()
	if err := conn.WriteJSON(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "sluice_paymentStats", "params": []any{}}); err != nil {
		t.Fatal(err)
	}
	var reply rpcReply
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := conn.ReadJSON(&reply); err != nil || reply.Error == nil || reply.Error.Code != CodeForbidden {
		t.Fatalf("paymentStats over a client's browser socket: %+v (%v), want forbidden", reply.Error, err)
	}
}
