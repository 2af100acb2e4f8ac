package benchrun

import (
	"errors"
	"fmt"
	"math/big"
	"runtime"
	"syscall"
	"time"
)

// RouteResult is a routed bench's report (`sluice bench --route --json`).
type RouteResult struct {
	Payments          int       `json:"payments"`
	Wallets           int       `json:"wallets"`
	Merchants         int       `json:"merchants"`
	Concurrency       int       `json:"concurrency"`
	Amount            string    `json:"amount_wei"`
	HubFees           string    `json:"hub_fee_policy"`
	Seconds           float64   `json:"seconds"`
	PaymentsPerSecond float64   `json:"payments_per_second"`
	LatencyMillis     Latencies `json:"latency_ms"`
	// FeesEarned is what the hub's balances grew by; PayerSpent and PayeeReceived are
	// the wallets' and merchants' balance changes. The run fails unless FeesEarned ==
	// PayerSpent - PayeeReceived == Payments x the fee on Amount, to the wei.
	FeesEarned    string `json:"fees_earned_wei"`
	PayerSpent    string `json:"payer_spent_wei"`
	PayeeReceived string `json:"payee_received_wei"`
	// Signatures are the signing calls of every node during the payments (a counting
	// wrapper around each node's key), and per payment.
	Signatures           int64   `json:"signatures"`
	SignaturesPerPayment float64 `json:"signatures_per_payment"`
	// ECDSALimit is sign+recover pairs/s on all cores, measured in the same run; one
	// signature needs one pair (its signer signs, its receiver recovers), so the routed
	// limit is ECDSALimit / SignaturesPerPayment and Ratio is the rate over it.
	ECDSALimit          float64 `json:"ecdsa_limit_pairs_per_second"`
	RoutedLimit         float64 `json:"ecdsa_limit_routed_payments_per_second"`
	Ratio               float64 `json:"ratio"`
	CPUMicrosPerPayment float64 `json:"cpu_us_per_payment"`
	// FsyncsPerPayment counts the group-commit fsyncs of every node during the payments;
	// WalletFsyncs, HubFsyncs and MerchantFsyncs split them by role, and HubCommitMillis
	// is the hub's durable queue group write (write+fsync) latency.
	FsyncsPerPayment float64         `json:"fsyncs_per_payment"`
	WalletFsyncs     uint64          `json:"wallet_fsyncs"`
	HubFsyncs        uint64          `json:"hub_fsyncs"`
	MerchantFsyncs   uint64          `json:"merchant_fsyncs"`
	HubCommitMillis  CommitLatencies `json:"hub_commit_ms"`
	GOMAXPROCS       int             `json:"gomaxprocs"`
	HeapInuseBytes   uint64          `json:"heap_inuse_bytes"`
	RSSBytes         uint64          `json:"rss_bytes"`
}

// ErrFeesDoNotAddUp: the balances moved by the run do not match its payments and fees.
var ErrFeesDoNotAddUp = errors.New("bench: routed balances do not add up")

func newRouteResult(o RouteOptions, lat []time.Duration, elapsed time.Duration, limit float64, signs int64, cpu time.Duration, before, after routeBalances) (RouteResult, error) {
	n := float64(o.Payments)
	spent := new(big.Int).Sub(before.wallets, after.wallets)
	received := new(big.Int).Sub(after.merchants, before.merchants)
	earned := new(big.Int).Sub(after.hub, before.hub)
	r := RouteResult{
		Payments: o.Payments, Wallets: o.Wallets, Merchants: o.Merchants, Concurrency: o.Concurrency,
		Amount: o.Amount.String(), HubFees: o.Fees.String(),
		Seconds: elapsed.Seconds(), PaymentsPerSecond: n / elapsed.Seconds(), LatencyMillis: percentiles(lat),
		FeesEarned: earned.String(), PayerSpent: spent.String(), PayeeReceived: received.String(),
		Signatures: signs, SignaturesPerPayment: float64(signs) / n,
		ECDSALimit: limit, CPUMicrosPerPayment: float64(cpu) / float64(time.Microsecond) / n,
		GOMAXPROCS: runtime.GOMAXPROCS(0),
	}
	if r.SignaturesPerPayment > 0 {
		r.RoutedLimit = limit / r.SignaturesPerPayment
		r.Ratio = r.PaymentsPerSecond / r.RoutedLimit
	}
	count := big.NewInt(int64(o.Payments))
	wantFees := new(big.Int).Mul(o.Fees.Fee(o.Amount), count)
	wantReceived := new(big.Int).Mul(o.Amount, count)
	diff := new(big.Int).Sub(spent, received)
	if earned.Cmp(wantFees) != 0 || diff.Cmp(earned) != 0 || received.Cmp(wantReceived) != 0 {
		return r, fmt.Errorf("%w: hub earned %s, payers spent %s, merchants received %s; want fees %s and %s received",
			ErrFeesDoNotAddUp, earned, spent, received, wantFees, wantReceived)
	}
	return r, nil
}

// routeStats are the cluster's durability counters by role.
type routeStats struct {
	wallets, hub, merchants storeStats
}

func (c *routeCluster) stats() routeStats {
	var s routeStats
	s.hub = readStoreStats(c.hub.metrics)
	for _, w := range c.wallets {
		s.wallets.add(readStoreStats(w.metrics))
	}
	for _, m := range c.merchants {
		s.merchants.add(readStoreStats(m.metrics))
	}
	return s
}

// setFsyncs fills r's durability figures from the counters before and after the payments.
func (r *RouteResult) setFsyncs(before, after routeStats) {
	r.WalletFsyncs = after.wallets.Fsyncs - before.wallets.Fsyncs
	r.HubFsyncs = after.hub.Fsyncs - before.hub.Fsyncs
	r.MerchantFsyncs = after.merchants.Fsyncs - before.merchants.Fsyncs
	if r.Payments > 0 {
		r.FsyncsPerPayment = float64(r.WalletFsyncs+r.HubFsyncs+r.MerchantFsyncs) / float64(r.Payments)
	}
	r.HubCommitMillis = after.hub.Commit.since(before.hub.Commit).millis()
}

// cpuTime is this process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
