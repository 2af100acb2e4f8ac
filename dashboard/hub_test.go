package dashboard_test

import (
	"context"
	"errors"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/api"
)

var errReadOnly = errors.New("hub fixture: read-only")

// hubBackend is a node with many channels and nothing else: the API reads it exactly as it
// reads a real node, so the page cannot tell. Building 10,000 real channels on a chain would
// take minutes; the paging and rendering under test do not depend on how they were opened.
type hubBackend struct{ channels []node.ChannelView }

func newHub(n int) *hubBackend {
	h := &hubBackend{}
	domain := channel.Domain{ChainID: big.NewInt(31337), Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
	for i := range n {
		var id channel.ID
		id[0], id[1], id[2] = byte(i>>16), byte(i>>8), byte(i)
		partner := common.BigToAddress(big.NewInt(int64(0xb0b0000 + i)))
		v := node.ChannelView{
			ID: id, Domain: domain, Participants: [2]common.Address{common.HexToAddress("0xa11ce"), partner},
			Us: channel.PartyA, ChallengePeriod: 3600, Status: channel.StatusOpen,
			Deposit:   [2]*big.Int{big.NewInt(1e18), big.NewInt(0)},
			Withdrawn: [2]*big.Int{new(big.Int), new(big.Int)},
			Balance:   [2]*big.Int{new(big.Int).Mul(big.NewInt(int64(i)), big.NewInt(1e14)), big.NewInt(0)},
			Reserved:  [2]*big.Int{new(big.Int), new(big.Int)},
		}
		h.channels = append(h.channels, v)
	}
	return h
}

func (h *hubBackend) Info(context.Context) (node.NodeInfo, error) {
	return node.NodeInfo{Address: common.HexToAddress("0xa11ce"), ChainID: big.NewInt(31337), Version: "hub", ChainHead: 10, SyncedBlock: 10}, nil
}
func (h *hubBackend) OpenChannel(context.Context, node.OpenRequest) (node.ChannelView, error) {
	return node.ChannelView{}, errReadOnly
}
func (h *hubBackend) DepositWithKey(context.Context, channel.ID, *big.Int, string) (node.TxResult, error) {
	return node.TxResult{}, errReadOnly
}
func (h *hubBackend) Withdraw(context.Context, channel.ID, *big.Int) (node.TxResult, error) {
	return node.TxResult{}, errReadOnly
}
func (h *hubBackend) Pay(context.Context, node.PayRequest) (node.PaymentView, error) {
	return node.PaymentView{}, errReadOnly
}
func (h *hubBackend) Channels(context.Context, node.ChannelFilter) ([]node.ChannelView, error) {
	return h.channels, nil
}
func (h *hubBackend) Channel(_ context.Context, id channel.ID) (node.ChannelView, error) {
	for _, v := range h.channels {
		if v.ID == id {
			return v, nil
		}
	}
	return node.ChannelView{}, channel.ErrUnknownChannel
}
func (h *hubBackend) Payments(context.Context, node.PaymentQuery) (node.PaymentPage, error) {
	return node.PaymentPage{}, nil
}
func (h *hubBackend) CloseChannel(context.Context, channel.ID, bool) (node.CloseResult, error) {
	return node.CloseResult{}, errReadOnly
}
func (h *hubBackend) Settle(context.Context, channel.ID) (node.TxResult, error) {
	return node.TxResult{}, errReadOnly
}
func (h *hubBackend) SubscribePayments(chan<- node.PaymentView) func()       { return func() {} }
func (h *hubBackend) SubscribeChannelEvents(chan<- node.ChannelEvent) func() { return func() {} }

// TestDashboardRendersAHubOfTenThousandChannels checks the issue's "within 1 s of data
// arriving" for 10,000 channels, and that sorting and filtering happen on the server.
func TestDashboardRendersAHubOfTenThousandChannels(t *testing.T) {
	chromium := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	const token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	srv, err := api.NewServer(newHub(10_000), api.Config{Addr: "127.0.0.1:0", Token: token})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(context.Background())
	p, stop := newPage(t, ctx, chromium)
	defer stop()

	p.do(chromedp.Navigate(srv.URL() + "/ui/"))
	p.waitJS("sign-in form", `!document.querySelector("#login").hidden`)
	start := time.Now()
	p.do(chromedp.SendKeys("#token", token), chromedp.Click("#login-form button"))
	p.waitJS("first page of 10,000", `document.querySelector("#page-info").textContent === "1–50 of 10000"`)
	t.Logf("sign-in to 50 of 10,000 channels on screen: %v", time.Since(start))
	renderMs := func() float64 {
		v, err := strconv.ParseFloat(p.eval(`document.body.dataset.renderMs`), 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if ms := renderMs(); ms > 1000 {
		t.Fatalf("rendering the data took %.0f ms, want under 1 s", ms)
	}

	// Sort by our balance, descending: the richest channel (9999) comes first.
	p.do(chromedp.Click(`#channel-table th[data-sort="ours"]`))
	p.waitJS("sorted ascending", `document.querySelector("#channel-table th.sorted")?.dataset.sort === "ours"`)
	p.do(chromedp.Click(`#channel-table th[data-sort="ours"]`))
	p.waitJS("sorted descending", `document.querySelector("#channel-table tbody tr td:nth-child(5)").textContent === "0.9999 ETH"`)
	p.screenshot("hub-10000-sorted")

	// Filter by part of one partner's address: one channel left.
	partner := strings.ToLower(common.BigToAddress(big.NewInt(0xb0b0000 + 4242)).Hex())
	p.do(chromedp.SendKeys("#channel-query", partner[len(partner)-8:]))
	p.waitJS("filtered to one", `document.querySelector("#page-info").textContent === "1–1 of 1"`)
	if got := p.eval(`document.querySelector("#channel-table tbody tr td:nth-child(5)").textContent`); got != "0.4242 ETH" {
		t.Fatalf("filtered row shows %q, want channel 4242's 0.4242 ETH", got)
	}
	if ms := renderMs(); ms > 1000 {
		t.Fatalf("rendering took %.0f ms, want under 1 s", ms)
	}
	p.screenshot("hub-10000-filtered")
	t.Logf("hub of 10,000: last render %.1f ms", renderMs())

	// A node that reports its chain connection's health (sluice_nodeInfo.chain) is read
	// as such; one that does not is judged by its lag.
	for _, tc := range []struct{ info, want string }{
		{`{chainHead: 10, syncedBlock: 10, chain: {head: 10, processed: 10, rpcOK: false, lastError: "dial tcp: connection refused"}}`, "DOWN: dial tcp: connection refused"},
		{`{chainHead: 10, syncedBlock: 10, chain: {head: 10, processed: 10, rpcOK: true}}`, "healthy"},
		{`{chainHead: 30, syncedBlock: 10}`, "lagging 20 blocks"},
		{`{chainHead: 10, syncedBlock: 9}`, "following (lag 1)"},
	} {
		if got := p.eval(`import("/ui/panels.js").then(m => m.chainStatus(` + tc.info + `).text)`); got != tc.want {
			t.Fatalf("chain status of %s: %q, want %q", tc.info, got, tc.want)
		}
	}
}
