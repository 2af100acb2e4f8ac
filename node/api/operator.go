package api

import (
	"context"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
)

// maxChannelPage bounds one page of sluice_channelPage.
const maxChannelPage = 500

// operatorService holds the read methods the operator dashboard needs beyond the wallet
// API: a server-side sorted and filtered page of channels (a hub has tens of thousands),
// payment statistics and the node's counters. All are read-only.
type operatorService struct {
	b       Backend
	timeout time.Duration
	stats   *paymentStats
	metrics prometheus.Gatherer // nil without Config.Metrics
	risk    *riskLayer          // nil without Config.Risk
}

// ChannelPageArgs select one page of channels; every field is optional.
type ChannelPageArgs struct {
	Status string `json:"status,omitempty"` // open, closing, settled; empty or "any" = all
	// Query keeps channels whose id, partner or token contains it (hex, case-insensitive).
	Query  string `json:"query,omitempty"`
	Sort   string `json:"sort,omitempty"` // id (default), status, partner, token, ours, theirs, nonce, payments, lastProof, settleAfter
	Desc   bool   `json:"desc,omitempty"`
	Offset int    `json:"offset,omitempty"`
	Limit  int    `json:"limit,omitempty"` // 0 = 50, at most 500
}

// TokenLiquidity sums the channels of one token (open and closing ones).
type TokenLiquidity struct {
	Token    common.Address `json:"token"` // 0x0 = ETH
	Channels int            `json:"channels"`
	Ours     Amount         `json:"ours"`     // our off-chain balance
	Theirs   Amount         `json:"theirs"`   // the partners' off-chain balances
	Reserved Amount         `json:"reserved"` // our side's pending signed withdrawals
}

// ChannelPage is the result of sluice_channelPage.
type ChannelPage struct {
	Total     int              `json:"total"` // channels matching the filter
	Offset    int              `json:"offset"`
	Channels  []Channel        `json:"channels"`
	Counts    map[string]int   `json:"counts"`    // every channel, by status
	Liquidity []TokenLiquidity `json:"liquidity"` // every open or closing channel, by token
}

// ChannelPage sorts and filters every channel on the server and returns one page, with
// counts by status and liquidity by token over all channels.
func (o *operatorService) ChannelPage(ctx context.Context, args *ChannelPageArgs) (ChannelPage, error) {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	var a ChannelPageArgs
	if args != nil {
		a = *args
	}
	st, err := ParseStatus(a.Status)
	if err != nil {
		return ChannelPage{}, invalidParams("%v", err)
	}
	if a.Limit == 0 {
		a.Limit = 50
	}
	if a.Limit < 0 || a.Limit > maxChannelPage || a.Offset < 0 {
		return ChannelPage{}, invalidParams("limit %d / offset %d out of range (limit 1..%d, offset >= 0)", a.Limit, a.Offset, maxChannelPage)
	}
	less, ok := channelOrder(strings.ToLower(a.Sort))
	if !ok {
		return ChannelPage{}, invalidParams("sort %q is not one of id, status, partner, token, ours, theirs, nonce, payments, lastProof, settleAfter", truncate(a.Sort))
	}
	views, err := o.b.Channels(ctx, node.ChannelFilter{})
	if err != nil {
		return ChannelPage{}, toRPCError(err)
	}
	out := ChannelPage{Offset: a.Offset, Counts: map[string]int{"open": 0, "closing": 0, "settled": 0}}
	liquidity := map[common.Address]*liquiditySum{}
	query := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(a.Query), "0x"))
	matched := views[:0:0]
	for _, v := range views {
		status := v.Status.String()
		out.Counts[status]++
		if status == "open" || status == "closing" {
			addLiquidity(liquidity, v)
		}
		if st != 0 && v.Status != st {
			continue
		}
		if query != "" && !matchesQuery(v, query) {
			continue
		}
		matched = append(matched, v)
	}
	sort.SliceStable(matched, func(i, j int) bool {
		if a.Desc {
			return less(matched[j], matched[i])
		}
		return less(matched[i], matched[j])
	})
	out.Total = len(matched)
	out.Channels = []Channel{}
	for i := a.Offset; i < len(matched) && i < a.Offset+a.Limit; i++ {
		out.Channels = append(out.Channels, channelJSON(matched[i]))
	}
	out.Liquidity = liquidityJSON(liquidity)
	return out, nil
}

func matchesQuery(v node.ChannelView, q string) bool {
	hexOf := func(b []byte) string { return strings.ToLower(common.Bytes2Hex(b)) }
	return strings.Contains(hexOf(v.ID[:]), q) ||
		strings.Contains(hexOf(v.Participants[v.Us.Other()][:]), q) ||
		strings.Contains(hexOf(v.Token[:]), q)
}

type liquiditySum struct {
	channels               int
	ours, theirs, reserved big.Int
}

func addLiquidity(m map[common.Address]*liquiditySum, v node.ChannelView) {
	s := m[v.Token]
	if s == nil {
		s = &liquiditySum{}
		m[v.Token] = s
	}
	s.channels++
	us, them := v.Us, v.Us.Other()
	if v.Balance[us] != nil {
		s.ours.Add(&s.ours, v.Balance[us])
	}
	if v.Balance[them] != nil {
		s.theirs.Add(&s.theirs, v.Balance[them])
	}
	if v.Reserved[us] != nil {
		s.reserved.Add(&s.reserved, v.Reserved[us])
	}
}

func liquidityJSON(m map[common.Address]*liquiditySum) []TokenLiquidity {
	out := make([]TokenLiquidity, 0, len(m))
	for tok, s := range m {
		out = append(out, TokenLiquidity{Token: tok, Channels: s.channels, Ours: NewAmount(&s.ours), Theirs: NewAmount(&s.theirs), Reserved: NewAmount(&s.reserved)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Token.Cmp(out[j].Token) < 0 })
	return out
}

// PaymentStats returns the payment chart, latency percentiles and the last 100 payments
// since the API server started (admin only: it covers every client's payments).
func (o *operatorService) PaymentStats(ctx context.Context) (PaymentStats, error) {
	if err := o.admin(ctx, "paymentStats"); err != nil {
		return PaymentStats{}, err
	}
	return o.stats.snapshot(time.Now()), nil
}

// Metric is one sample of the node's counters and gauges.
type Metric struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
	Value  float64           `json:"value"`
}

// Metrics returns the counters and gauges of /metrics (sluice_* only; histograms as their
// _count and _sum) as JSON, to the admin token only, like /metrics itself.
func (o *operatorService) Metrics(ctx context.Context) ([]Metric, error) {
	if err := o.admin(ctx, "metrics"); err != nil {
		return nil, err
	}
	out := []Metric{}
	if o.metrics == nil {
		return out, nil
	}
	families, err := o.metrics.Gather()
	if err != nil && len(families) == 0 {
		return nil, toRPCError(err)
	}
	for _, f := range families {
		if !strings.HasPrefix(f.GetName(), "sluice_") {
			continue
		}
		for _, m := range f.GetMetric() {
			var labels map[string]string
			for _, l := range m.GetLabel() {
				if labels == nil {
					labels = map[string]string{}
				}
				labels[l.GetName()] = l.GetValue()
			}
			switch {
			case m.Counter != nil:
				out = append(out, Metric{Name: f.GetName(), Labels: labels, Value: m.GetCounter().GetValue()})
			case m.Gauge != nil:
				out = append(out, Metric{Name: f.GetName(), Labels: labels, Value: m.GetGauge().GetValue()})
			case m.Histogram != nil:
				out = append(out,
					Metric{Name: f.GetName() + "_count", Labels: labels, Value: float64(m.GetHistogram().GetSampleCount())},
					Metric{Name: f.GetName() + "_sum", Labels: labels, Value: m.GetHistogram().GetSampleSum()})
			}
		}
	}
	return out, nil
}

// admin refuses risk clients' tokens: what these methods show covers every client.
func (o *operatorService) admin(ctx context.Context, method string) error {
	if o.risk == nil {
		return nil // without a risk engine only the admin token is admitted at all
	}
	if c, ok := o.risk.clientOf(ctx); ok && c == risk.AdminClient {
		return nil
	}
	return forbidden(method)
}
