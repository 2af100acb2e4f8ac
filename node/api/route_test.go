package api

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/routing"
)

// quotingBackend answers quotes from a real routing.Graph: payer -> hub -> payee, the hub
// charging 1000 wei + 2500 ppm.
type quotingBackend struct {
	*fakeBackend
	g     *routing.Graph
	payer common.Address
	last  node.RouteRequest
}

func (q *quotingBackend) QuoteRoute(_ context.Context, req node.RouteRequest) (routing.Route, error) {
	q.last = req
	r, err := q.g.Route(routing.Request{From: q.payer, To: req.To, Token: req.Token, Amount: req.Amount, MaxFee: req.MaxFee})
	if err != nil {
		return routing.Route{}, fmt.Errorf("quote route to %s: %w", req.To, err)
	}
	return r, nil
}

var (
	quotePayer = common.HexToAddress("0x1000000000000000000000000000000000000001")
	quoteHub   = common.HexToAddress("0x2000000000000000000000000000000000000002")
	quotePayee = common.HexToAddress("0x3000000000000000000000000000000000000003")
)

func startQuoteServer(t *testing.T) (string, *quotingBackend) {
	t.Helper()
	g := routing.NewGraph(routing.Config{})
	big10 := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	for i, e := range []routing.Edge{
		{Channel: channel.ID{1}, From: quotePayer, To: quoteHub, Capacity: big10},
		{Channel: channel.ID{2}, From: quoteHub, To: quotePayee, Capacity: big10, Fee: routing.FeePolicy{Flat: big.NewInt(1000), PPM: 2500}},
	} {
		e.Sequence, e.Updated = uint64(i+1), time.Now()
		if err := g.Upsert(e); err != nil {
			t.Fatal(err)
		}
	}
	b := &quotingBackend{fakeBackend: newFakeBackend(), g: g, payer: quotePayer}
	srv, err := NewServer(b, Config{Addr: "127.0.0.1:0", Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop(context.Background()) })
	return srv.URL(), b
}

func TestQuoteRouteReturnsHopsFeeAndTotal(t *testing.T) {
	url, b := startQuoteServer(t)
	_, rep := rawCall(t, url, "Bearer "+testToken, "sluice_quoteRoute", `[{"to":"`+quotePayee.Hex()+`","amount":"1000001","maxFee":"3501"}]`)
	if rep.Error != nil {
		t.Fatalf("quote: %+v", rep.Error)
	}
	var q RouteQuote
	if err := json.Unmarshal(rep.Result, &q); err != nil {
		t.Fatal(err)
	}
	if len(q.Hops) != 2 || q.Fee.Big().Int64() != 3501 || q.Total.Big().Int64() != 1_003_502 || q.Amount.Big().Int64() != 1_000_001 {
		t.Fatalf("quote %s", rep.Result)
	}
	if q.Hops[0].Channel != (ChannelID{1}) || q.Hops[0].From != quotePayer || q.Hops[1].To != quotePayee || q.Hops[1].Fee.Big().Int64() != 3501 || q.Hops[0].Fee.Big().Sign() != 0 {
		t.Fatalf("hops %s", rep.Result)
	}
	if b.last.MaxFee == nil || b.last.MaxFee.Int64() != 3501 {
		t.Fatalf("maxFee reached the node as %v", b.last.MaxFee)
	}
}

func TestQuoteRouteErrorCodes(t *testing.T) {
	url, _ := startQuoteServer(t)
	for _, c := range []struct {
		name, params string
		code         int
		kind         string
	}{
		{"fee above maxFee", `[{"to":"` + quotePayee.Hex() + `","amount":"1000001","maxFee":"3500"}]`, CodeFeeTooHigh, "fee_too_high"},
		{"unknown payee", `[{"to":"0x00000000000000000000000000000000000b0b0b","amount":"1"}]`, CodeNoRoute, "no_route"},
		{"over capacity", `[{"to":"` + quotePayee.Hex() + `","amount":"1000000000000000000"}]`, CodeNoRoute, "no_route"},
		{"no payee", `[{"amount":"1"}]`, CodeInvalidParams, "invalid_params"},
		{"zero amount", `[{"to":"` + quotePayee.Hex() + `","amount":"0"}]`, CodeInvalidParams, "invalid_params"},
		{"negative maxFee", `[{"to":"` + quotePayee.Hex() + `","amount":"1","maxFee":"-1"}]`, CodeInvalidParams, "invalid_params"}, // refused by the JSON decoder, which now names the kind too
	} {
		_, rep := rawCall(t, url, "Bearer "+testToken, "sluice_quoteRoute", c.params)
		if rep.Error == nil || rep.Error.Code != c.code || rep.Error.Data["kind"] != c.kind {
			t.Errorf("%s: %+v; want %d %s", c.name, rep.Error, c.code, c.kind)
		}
	}
}
