package node

import (
	"math/big"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/channel"
)

// UndefendedCloseMetric is the gauge of seconds left on closes not defended yet.
const UndefendedCloseMetric = "sluice_undefended_close_seconds"

// CommitLatencyMetric is the histogram of group-commit write times (one fsync each).
const CommitLatencyMetric = "sluice_store_commit_seconds"

// commitLatencyBuckets run from 50 us to 1 s in steps of ×1.5, fine enough to read a
// p99 off the buckets to within half a step.
var commitLatencyBuckets = prometheus.ExponentialBucketsRange(50e-6, 1, 25)

// metrics are registered on the Config's registry, never a global one, so several nodes
// can live in one process (demo, bench, tests).
type metrics struct {
	payments       *prometheus.CounterVec // by direction
	amounts        *prometheus.CounterVec // by direction, in base units (float: prometheus has no big ints)
	latency        prometheus.Histogram   // outgoing request to Ack
	channels       *prometheus.GaugeVec   // by status
	peers          prometheus.Gauge
	chainLag       prometheus.Gauge // head minus last processed block
	accountBalance prometheus.Gauge // the node account's native balance, wei
	// rpcUp is 1 while the chain RPC answers; rpcErrors counts polls it failed;
	// reorgs the reorganisations seen; depositRollbacks the deposits a reorg took back.
	rpcUp            prometheus.Gauge
	rpcErrors        prometheus.Counter
	reorgs           prometheus.Counter
	depositRollbacks prometheus.Counter
	rejects          *prometheus.CounterVec // by reason code, both directions
	// peerRejects counts proofs we signed and sent that the peer refused: each is spent
	// anyway, so a rising count is a desynchronised or hostile peer.
	peerRejects *prometheus.CounterVec
	// lockResends counts Syncs offered because lock proofs stayed unacknowledged.
	lockResends prometheus.Counter
	fsyncs      prometheus.CounterFunc
	committed   prometheus.CounterFunc
	// commitLatency times the durable queue's group writes (one fsync each): the disk's
	// share of every payment's latency, paid once by the payer and once by the payee.
	commitLatency prometheus.Histogram

	// undefended is, per closing channel whose partner's best proof is not on chain yet,
	// the seconds left in the challenge period: a defense is outstanding while it is set.
	undefended      *prometheus.GaugeVec
	defenseAttempts prometheus.Counter // transactions signed to defend a close
	txResigned      prometheus.Counter // transactions signed again after their nonce was taken
	txReplaced      prometheus.Counter // transactions replaced with a higher fee

	paySent, payRecv prometheus.Counter
	amtSent, amtRecv prometheus.Counter
}

func newMetrics(reg *prometheus.Registry, syncs, commits func() float64) (*metrics, error) {
	m := &metrics{
		payments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sluice_payments_total", Help: "Payments completed, by direction.",
		}, []string{"direction"}),
		amounts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sluice_payment_amount_total", Help: "Sum of payment amounts in base units, by direction.",
		}, []string{"direction"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "sluice_payment_latency_seconds", Help: "Outgoing payment latency, request to Ack.",
			Buckets: prometheus.ExponentialBuckets(100e-6, 2, 16),
		}),
		channels: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "sluice_channels", Help: "Channels known to the node, by status.",
		}, []string{"status"}),
		peers: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sluice_peers", Help: "Live peer sessions.",
		}),
		accountBalance: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sluice_account_balance_wei",
			Help: "The node account's native balance (what pays the gas of defenses, closes and settles), read every 15 s.",
		}),
		chainLag: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sluice_chain_lag_blocks", Help: "Chain head minus the last block the watcher processed.",
		}),
		rpcUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sluice_chain_rpc_up", Help: "1 while the chain RPC answers within the call deadline, 0 during an outage.",
		}),
		rpcErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sluice_chain_rpc_errors_total", Help: "Chain polls that failed because the RPC did not answer in time or returned an error.",
		}),
		reorgs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sluice_chain_reorgs_total", Help: "Chain reorganisations the node detected under blocks it had read.",
		}),
		depositRollbacks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sluice_chain_deposit_rollbacks_total", Help: "Counted deposits a reorganisation removed and the node took back.",
		}),
		rejects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sluice_rejects_total", Help: "Payments refused, by channel error code.",
		}, []string{"code"}),
		peerRejects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sluice_peer_refused_signed_proofs_total", Help: "Proofs this node signed and sent that the peer refused (they stay spent), by code.",
		}, []string{"code"}),
		lockResends: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sluice_lock_proof_resends_total", Help: "Syncs offered again because our lock proofs stayed unacknowledged (lock_resend.go).",
		}),
		fsyncs: prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "sluice_store_fsyncs_total", Help: "Group-commit fsyncs.",
		}, syncs),
		committed: prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "sluice_store_commits_total", Help: "Writes made durable (many per fsync).",
		}, commits),
		commitLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    CommitLatencyMetric,
			Help:    "Group writes of the durable queue (one fsync each), from write to durable.",
			Buckets: commitLatencyBuckets,
		}),
		undefended: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: UndefendedCloseMetric, Help: "Seconds left in the challenge period of a close whose partner's best proof is not on chain yet, by channel; absent once defended.",
		}, []string{"channel"}),
		defenseAttempts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sluice_defense_attempts_total", Help: "Transactions signed to put the partner's best proof on chain during a close (first tries, re-signings, fee replacements).",
		}),
		txResigned: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sluice_tx_resigned_total", Help: "Transactions signed again because another transaction of the node's account used their nonce.",
		}),
		txReplaced: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sluice_tx_replaced_total", Help: "Transactions replaced with a higher fee because they were not mined in time.",
		}),
	}
	for _, c := range []prometheus.Collector{m.payments, m.amounts, m.latency, m.channels, m.peers, m.chainLag, m.accountBalance, m.rpcUp, m.rpcErrors, m.reorgs, m.depositRollbacks, m.rejects, m.peerRejects, m.lockResends, m.fsyncs, m.committed, m.commitLatency, m.undefended, m.defenseAttempts, m.txResigned, m.txReplaced} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	m.paySent, m.payRecv = m.payments.WithLabelValues(Outgoing.String()), m.payments.WithLabelValues(Incoming.String())
	m.amtSent, m.amtRecv = m.amounts.WithLabelValues(Outgoing.String()), m.amounts.WithLabelValues(Incoming.String())
	return m, nil
}

func (m *metrics) observePayment(d Direction, amount *big.Int, latency time.Duration) {
	f, _ := new(big.Float).SetInt(amount).Float64()
	if d == Outgoing {
		m.paySent.Inc()
		m.amtSent.Add(f)
		m.latency.Observe(latency.Seconds())
		return
	}
	m.payRecv.Inc()
	m.amtRecv.Add(f)
}

// rejectLabel keeps the label set bounded: the code, never the free-text reason.
func rejectLabel(code uint16) string {
	if channel.ErrorForCode(code) == channel.ErrRejected {
		return "unknown"
	}
	return strconv.Itoa(int(code))
}
