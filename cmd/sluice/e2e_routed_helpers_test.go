package main

// Helpers of the routed end-to-end tests (e2e_routed_test.go): a network of real `sluice
// node` processes on one Anvil, each hub with its own fee policy, and an independent model
// of every channel's balances that each payment moves by what the fee formula of
// docs/routing.md gives (fee(x) = flat + ceil(x·ppm/10^6)), not by what a node reports.

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/node/api"
)

// feeModel is a hub's fee policy as the test sets it with --fee-base and --fee-ppm.
type feeModel struct{ flat, ppm int64 }

// fee is what a hub keeps to forward x: flat + ceil(x·ppm / 1,000,000).
func (f feeModel) fee(x *big.Int) *big.Int {
	prop := new(big.Int).Mul(x, big.NewInt(f.ppm))
	prop.Add(prop, big.NewInt(999_999))
	prop.Div(prop, big.NewInt(1_000_000))
	return prop.Add(prop, big.NewInt(f.flat))
}

// routedNet is one Anvil with several nodes and the model of their channels.
type routedNet struct {
	chain  *e2eChain
	margin time.Duration
	period time.Duration // challenge period of the channels the test opens
	fees   map[*e2eNode]feeModel
	chans  []*routedChan
	// clients are API connections by node and API URL (a restarted node has a new one):
	// the balance checks read through them, a CLI process per read would be too slow.
	clients map[string]*api.Client
}

// routedChan is one channel and the model of its balances, by party (A opened it).
type routedChan struct {
	id   api.ChannelID
	a, b *e2eNode
	bal  [2]*big.Int
}

func newRoutedNet(t *testing.T, margin time.Duration) *routedNet {
	t.Helper()
	return &routedNet{chain: startE2EChain(t), margin: margin, period: time.Hour, fees: map[*e2eNode]feeModel{}, clients: map[string]*api.Client{}}
}

// hub creates and starts a node that forwards for fee.
func (r *routedNet) hub(t *testing.T, name string, account int, fee feeModel) *e2eNode {
	t.Helper()
	n := newE2ENode(t, r.chain, name, account)
	n.env = append(n.env, fmt.Sprintf("SLUICE_FEE_BASE=%d", fee.flat), fmt.Sprintf("SLUICE_FEE_PPM=%d", fee.ppm),
		"SLUICE_REVEAL_MARGIN="+r.margin.String())
	r.fees[n] = fee
	n.start(t)
	return n
}

// wallet (a payer or a merchant) creates and starts a node that announces nothing.
func (r *routedNet) wallet(t *testing.T, name string, account int) *e2eNode {
	t.Helper()
	n := newE2ENode(t, r.chain, name, account)
	n.env = append(n.env, "SLUICE_NO_ANNOUNCE=true", "SLUICE_REVEAL_MARGIN="+r.margin.String())
	n.start(t)
	return n
}

// open opens a channel from a to b with a's deposit and adds it to the model.
func (r *routedNet) open(t *testing.T, a, b *e2eNode, deposit *big.Int) *routedChan {
	t.Helper()
	id := openChannelCLI(t, a, b, deposit, r.period)
	c := &routedChan{id: id, a: a, b: b, bal: [2]*big.Int{new(big.Int).Set(deposit), new(big.Int)}}
	r.chans = append(r.chans, c)
	return c
}

func (r *routedNet) between(t *testing.T, x, y *e2eNode) (c *routedChan, xParty int) {
	t.Helper()
	for _, c := range r.chans {
		switch {
		case c.a == x && c.b == y:
			return c, 0
		case c.a == y && c.b == x:
			return c, 1
		}
	}
	t.Fatalf("no channel between %s and %s in the test's model", x.name, y.name)
	return nil, 0
}

// routeModel is what the fee formula says a payment of amount along path costs: hop i
// (path[i] -> path[i+1]) carries carried[i]; fee[i] is what path[i] keeps (0 for the payer).
type routeModel struct {
	carried, fee []*big.Int
	total, sum   *big.Int
}

func (r *routedNet) model(path []*e2eNode, amount *big.Int) routeModel {
	hops := len(path) - 1
	m := routeModel{carried: make([]*big.Int, hops), fee: make([]*big.Int, hops), sum: new(big.Int)}
	m.carried[hops-1] = new(big.Int).Set(amount)
	m.fee[0] = new(big.Int)
	for i := hops - 1; i > 0; i-- {
		m.fee[i] = r.fees[path[i]].fee(m.carried[i])
		m.carried[i-1] = new(big.Int).Add(m.carried[i], m.fee[i])
		m.sum.Add(m.sum, m.fee[i])
	}
	m.total = m.carried[0]
	return m
}

// apply moves the model's balances by a payment that completed along path.
func (r *routedNet) apply(t *testing.T, path []*e2eNode, m routeModel) {
	t.Helper()
	for i := 0; i+1 < len(path); i++ {
		c, p := r.between(t, path[i], path[i+1])
		c.bal[p].Sub(c.bal[p], m.carried[i])
		c.bal[1-p].Add(c.bal[1-p], m.carried[i])
	}
}

// checkQuote requires that a routed payment's result names path's channels with every
// hop carrying and keeping exactly what the model says.
func (r *routedNet) checkQuote(t *testing.T, path []*e2eNode, m routeModel, amount *big.Int, p api.Payment) {
	t.Helper()
	q := p.Route
	if q == nil || len(q.Hops) != len(path)-1 {
		t.Fatalf("payment %s: route %+v, want %d hops", p.PaymentID, q, len(path)-1)
	}
	for i, h := range q.Hops {
		c, _ := r.between(t, path[i], path[i+1])
		if h.Channel != c.id || h.From != path[i].acc.addr || h.To != path[i+1].acc.addr {
			t.Fatalf("hop %d is %s %s -> %s, want %s %s -> %s", i, h.Channel, h.From, h.To, c.id, path[i].name, path[i+1].name)
		}
		if h.Amount.Big().Cmp(m.carried[i]) != 0 || h.Fee.Big().Cmp(m.fee[i]) != 0 {
			t.Fatalf("hop %d (%s -> %s) carries %s keeping %s, the fee formula says %s keeping %s",
				i, path[i].name, path[i+1].name, h.Amount, h.Fee, m.carried[i], m.fee[i])
		}
	}
	if q.Total.Big().Cmp(m.total) != 0 || q.Fee.Big().Cmp(m.sum) != 0 || p.Fee == nil || p.Fee.Big().Cmp(m.sum) != 0 ||
		p.Amount.Big().Cmp(amount) != 0 || q.Amount.Big().Cmp(amount) != 0 {
		t.Fatalf("payment of %s: total %s fee %s (payment fee %v), want total %s fee %s", amount, q.Total, q.Fee, p.Fee, m.total, m.sum)
	}
}

// checkBalances waits until both ends of every channel hold exactly the model's balances
// with no lock pending, then requires each node's payment log of the channel to be a
// consistent ledger that adds up to them.
func (r *routedNet) checkBalances(t *testing.T, what string) {
	t.Helper()
	for _, c := range r.chans {
		for _, n := range []*e2eNode{c.a, c.b} {
			cl := r.client(t, n)
			var last api.Channel
			settled := func() bool {
				last = r.channelOf(t, cl, n, c.id)
				return last.Balance[0].Big().Cmp(c.bal[0]) == 0 && last.Balance[1].Big().Cmp(c.bal[1]) == 0 &&
					lockedIn(last, 0).Sign() == 0 && lockedIn(last, 1).Sign() == 0
			}
			deadline := time.Now().Add(30 * time.Second)
			for !settled() {
				if time.Now().After(deadline) {
					t.Fatalf("%s: %s's view of channel %s-%s: balances %s/%s locked %s/%s, the model says %s/%s with nothing locked",
						what, n.name, c.a.name, c.b.name, last.Balance[0], last.Balance[1], lockedIn(last, 0), lockedIn(last, 1), c.bal[0], c.bal[1])
				}
				time.Sleep(100 * time.Millisecond)
			}
			us := 0
			if n == c.b {
				us = 1
			}
			// The balance is the channel state's; the log is the store's, written by the
			// same update's group commit a moment later: wait for it as well.
			for {
				sent, received := checkLedger(t, n.name, paymentsOf(t, cl, n, c.id))
				deposit := last.Deposit[us].Big()
				got := new(big.Int).Sub(bigSum(deposit, received), sent)
				if got.Cmp(c.bal[us]) == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: %s's payment log of %s-%s adds up to %s (deposit %s + received %s - sent %s), its balance is %s",
						what, n.name, c.a.name, c.b.name, got, deposit, received, sent, c.bal[us])
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
}

// client is an API connection to n's current process.
func (r *routedNet) client(t *testing.T, n *e2eNode) *api.Client {
	t.Helper()
	key := n.name + " " + n.api()
	if cl, ok := r.clients[key]; ok {
		return cl
	}
	cl := n.client(t)
	r.clients[key] = cl
	return cl
}

func (r *routedNet) channelOf(t *testing.T, cl *api.Client, n *e2eNode, id api.ChannelID) api.Channel {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ch, err := cl.Channel(ctx, id)
	if err != nil {
		t.Fatalf("%s: channel %s: %v", n.name, id, err)
	}
	return ch
}

// paymentsOf reads n's whole payment log of a channel through the API.
func paymentsOf(t *testing.T, cl *api.Client, n *e2eNode, id api.ChannelID) []api.Payment {
	t.Helper()
	var all []api.Payment
	args := api.PaymentsArgs{Channel: &id, Limit: 1000}
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		page, err := cl.Payments(ctx, args)
		cancel()
		if err != nil {
			t.Fatalf("%s: payments of %s: %v", n.name, id, err)
		}
		all = append(all, page.Payments...)
		if page.Next == "" || len(page.Payments) == 0 {
			return all
		}
		args.Cursor = page.Next
	}
}

// lockedIn is what party p has locked in its latest proof of ch.
func lockedIn(ch api.Channel, p int) *big.Int {
	if pr := ch.LatestProofs[p]; pr != nil && pr.Locked != nil {
		return pr.Locked.Big()
	}
	return new(big.Int)
}

// pendingLocks is how many locks party p has pending in n's view of c.
func (r *routedNet) pendingLocks(t *testing.T, n *e2eNode, c *routedChan, p int) int {
	t.Helper()
	if pr := r.channelOf(t, r.client(t, n), n, c.id).LatestProofs[p]; pr != nil {
		return len(pr.Locks)
	}
	return 0
}

// payeeInvoice is the payee's `sluice invoice AMOUNT`: the secret hash the payer passes.
// It is the one place a test fetches an invoice: once sluice_pay gets it over the wire
// (issue 18, helper "invoice"), this returns nil and the payer asks for it itself.
func payeeInvoice(t *testing.T, payee *e2eNode, amount *big.Int) *common.Hash {
	t.Helper()
	var inv api.InvoiceResult
	payee.cliJSON(t, &inv, "invoice", amount.String())
	if inv.SecretHash == (common.Hash{}) || inv.Amount.Big().Cmp(amount) != 0 {
		t.Fatalf("%s: invoice %+v for %s", payee.name, inv, amount)
	}
	return &inv.SecretHash
}

// payCLI is `sluice pay --to PAYEE [--secret-hash H] [--max-fee F] AMOUNT --json` on payer.
func payCLI(payer, payee *e2eNode, hash *common.Hash, amount, maxFee *big.Int) (api.Payment, cliResult, error) {
	args := []string{"--json", "pay", "--to", payee.acc.addr.Hex()}
	if hash != nil {
		args = append(args, "--secret-hash", hash.Hex())
	}
	if maxFee != nil {
		args = append(args, "--max-fee", maxFee.String())
	}
	res, err := payer.cli(append(args, amount.String())...)
	if err != nil {
		return api.Payment{}, res, err
	}
	if res.code != 0 {
		return api.Payment{}, res, fmt.Errorf("%s: sluice pay --to %s: exit %d: %s", payer.name, payee.name, res.code, strings.TrimSpace(res.stderr))
	}
	var p api.Payment
	return p, res, decodeJSON(res.stdout, &p)
}

// payAPI is sluice_pay({to, amount, secretHash?, maxFee?}) on payer within d.
func payAPI(cl *api.Client, payee *e2eNode, hash *common.Hash, amount, maxFee *big.Int, d time.Duration) (api.Payment, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	to := payee.acc.addr
	args := api.PayArgs{To: &to, Amount: api.NewAmount(amount), SecretHash: hash}
	if maxFee != nil {
		f := api.NewAmount(maxFee)
		args.MaxFee = &f
	}
	return cl.Pay(ctx, args)
}

// quote is sluice_quoteRoute on payer.
func quote(cl *api.Client, payee *e2eNode, amount *big.Int) (api.RouteQuote, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	to := payee.acc.addr
	var q api.RouteQuote
	err := cl.RPC().CallContext(ctx, &q, "sluice_quoteRoute", api.QuoteRouteArgs{To: &to, Amount: api.NewAmount(amount)})
	return q, err
}

// waitRoute waits until payer's graph (learnt by gossip) quotes path for amount.
func waitRoute(t *testing.T, cl *api.Client, path []*e2eNode, amount *big.Int) {
	t.Helper()
	last := "no quote yet"
	deadline := time.Now().Add(45 * time.Second)
	for {
		q, err := quote(cl, path[len(path)-1], amount)
		if err == nil && len(q.Hops) == len(path)-1 {
			match := true
			for i, h := range q.Hops {
				match = match && h.To == path[i+1].acc.addr
			}
			if match {
				return
			}
		}
		if err != nil {
			last = err.Error()
		} else {
			last = fmt.Sprintf("a route of %d hops", len(q.Hops))
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not learn a route through %s within 45s (last: %s)", path[0].name, names(path), last)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func names(path []*e2eNode) string {
	s := make([]string, len(path))
	for i, n := range path {
		s[i] = n.name
	}
	return strings.Join(s, " -> ")
}

// apiCode is the JSON-RPC error code of err, 0 when it carries none.
func apiCode(err error) int {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}
