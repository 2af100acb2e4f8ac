package benchrun

import (
	"bufio"
	"cmp"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sluicepay/sluice/node"
)

// Result is what `sluice bench` prints; the JSON names are a stable interface for scripts.
type Result struct {
	Payments          int       `json:"payments"`
	Channels          int       `json:"channels"`
	Concurrency       int       `json:"concurrency"`
	Window            int       `json:"window"`
	OfferedRate       float64   `json:"offered_rate,omitempty"`
	Amount            string    `json:"amount"`
	Risk              bool      `json:"risk"` // every payment judged by the risk engine first
	Seconds           float64   `json:"seconds"`
	PaymentsPerSecond float64   `json:"payments_per_second"`
	LatencyMillis     Latencies `json:"latency_ms"`
	// FsyncsPerPayment counts the group-commit fsyncs of every node (payer and payees).
	FsyncsPerPayment float64 `json:"fsyncs_per_payment"`
	PayerFsyncs      uint64  `json:"payer_fsyncs"`
	PayeeFsyncs      uint64  `json:"payee_fsyncs"`
	// CPUMicrosPerPayment is user+system CPU of this process: the hub, the chain and,
	// unless PayeeProcess, the payees.
	CPUMicrosPerPayment float64 `json:"cpu_us_per_payment"`
	// PayerCommitMillis and PayeeCommitMillis are the durable queues' group writes (one
	// fsync each) during the run, read off the nodes' sluice_store_commit_seconds buckets
	// (interpolated inside a ×1.5 bucket). A payment waits for one on each side, so they
	// are the disk's floor under its latency.
	PayerCommitMillis CommitLatencies `json:"payer_commit_ms"`
	PayeeCommitMillis CommitLatencies `json:"payee_commit_ms"`
	ECDSALimit        float64         `json:"ecdsa_limit_payments_per_second"`
	Ratio             float64         `json:"ratio"`
	GOMAXPROCS        int             `json:"gomaxprocs"`
	PayeeProcess      bool            `json:"payee_process"`
	// Memory of this process after the run: the hub, the chain and, unless
	// PayeeProcess, every payee node.
	HeapInuseBytes uint64 `json:"heap_inuse_bytes"`
	RSSBytes       uint64 `json:"rss_bytes"`
}

// Latencies are in milliseconds.
type Latencies struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// CommitLatencies are in milliseconds.
type CommitLatencies struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
}

type sample struct {
	cpu          time.Duration
	payer, payee storeStats
}

func snapshot(c *cluster) sample {
	var s sample
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	s.payer = readStoreStats(c.hub.metrics)
	s.payee = c.payees.stats()
	return s
}

func newResult(o Options, c *cluster, lat []time.Duration, elapsed time.Duration, limit float64, before, after sample) Result {
	n := float64(o.Payments)
	r := Result{
		Payments:            o.Payments,
		Channels:            len(c.channels),
		Concurrency:         o.Concurrency,
		Window:              cmp.Or(o.Window, node.DefaultPipelineWindow),
		OfferedRate:         o.Rate,
		Amount:              o.Amount.String(),
		Risk:                o.Risk,
		Seconds:             elapsed.Seconds(),
		PaymentsPerSecond:   n / elapsed.Seconds(),
		LatencyMillis:       percentiles(lat),
		PayerFsyncs:         after.payer.Fsyncs - before.payer.Fsyncs,
		PayeeFsyncs:         after.payee.Fsyncs - before.payee.Fsyncs,
		PayerCommitMillis:   after.payer.Commit.since(before.payer.Commit).millis(),
		PayeeCommitMillis:   after.payee.Commit.since(before.payee.Commit).millis(),
		CPUMicrosPerPayment: float64(after.cpu-before.cpu) / float64(time.Microsecond) / n,
		ECDSALimit:          limit,
		GOMAXPROCS:          runtime.GOMAXPROCS(0),
		PayeeProcess:        len(o.PeerCommand) > 0,
	}
	r.FsyncsPerPayment = float64(r.PayerFsyncs+r.PayeeFsyncs) / n
	if limit > 0 {
		r.Ratio = r.PaymentsPerSecond / limit
	}
	// After a collection, heap in use is what the nodes hold, not the run's garbage.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r.HeapInuseBytes = ms.HeapInuse
	r.RSSBytes = rss()
	return r
}

func percentiles(lat []time.Duration) Latencies {
	if len(lat) == 0 {
		return Latencies{}
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	at := func(q float64) float64 {
		i := int(q*float64(len(s))+0.5) - 1
		i = max(0, min(i, len(s)-1))
		return float64(s[i]) / float64(time.Millisecond)
	}
	return Latencies{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: at(1)}
}

// rss reads the resident set size from /proc (Linux); 0 elsewhere.
func rss() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
