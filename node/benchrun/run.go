package benchrun

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/store"
)

// Options configure a bench run. Zero values take the defaults below.
type Options struct {
	Payments    int           // payments to make in total (default 100,000)
	Concurrency int           // payers calling Pay at once (default 1024)
	Window      int           // per-channel pipelining window of unacknowledged proofs (node default)
	Amount      *big.Int      // wei per payment (default 1)
	Rate        float64       // offered payments/s; 0 = as fast as Concurrency allows
	Channels    int           // counterparties, one channel and one node each (default 1)
	CommitDelay time.Duration // node CommitMaxDelay (linger before fsync); 0 = none
	// Risk judges every payment by the risk engine first, as the API does for sluice_pay
	// (a `service` client whose caps the run never reaches), to measure the policy's cost.
	Risk      bool
	ECDSATime time.Duration // how long to measure the ECDSA limit (default 1 s)
	BaseDir   string        // parent of the temporary data directories ("" = os.TempDir)
	Logger    *slog.Logger
	// PeerCommand, when set, runs the payees in a child process started with this
	// command line, which must call ServePayees (`sluice bench-peer`).
	PeerCommand []string
	// Progress, when set, is called never concurrently during setup and about every
	// 100 ms while payments run.
	Progress func(Phase)
	// AfterPayments, when set, is called once the payments are done and measured, while
	// the nodes still run: a heap profile taken there shows what they hold.
	AfterPayments func() error
	// OpenStore, when set, opens each node's state (named "hub", "peer0", ...) instead of
	// a leveldb directory: `sluice bench --store etcd` hands every node a fenced etcd
	// store. Not with PeerCommand.
	OpenStore func(ctx context.Context, name string) (*store.Store, error)
	// CommitMaxBatch caps the writes of one node group (node default when 0); a store on
	// etcd needs a group to fit one transaction.
	CommitMaxBatch int
}

// Phase is a progress report.
type Phase struct {
	Name        string
	Done, Total int
	Elapsed     time.Duration
}

// Defaults.
const (
	DefaultPayments    = 100_000
	DefaultConcurrency = 1024
)

func (o *Options) withDefaults() (Options, error) {
	out := *o
	if out.Payments == 0 {
		out.Payments = DefaultPayments
	}
	if out.Concurrency == 0 {
		out.Concurrency = DefaultConcurrency
	}
	if out.Amount == nil {
		out.Amount = big.NewInt(1)
	}
	if out.Channels == 0 {
		out.Channels = 1
	}
	if out.ECDSATime == 0 {
		out.ECDSATime = time.Second
	}
	if out.Logger == nil {
		out.Logger = slog.New(slog.DiscardHandler)
	}
	var errs []error
	if out.OpenStore != nil && out.PeerCommand != nil {
		errs = append(errs, errors.New("a store other than leveldb needs the payees in this process"))
	}
	if out.Payments < 1 {
		errs = append(errs, fmt.Errorf("payments %d: at least 1", out.Payments))
	}
	if out.Concurrency < 1 {
		errs = append(errs, fmt.Errorf("concurrency %d: at least 1", out.Concurrency))
	}
	if out.Window < 0 {
		errs = append(errs, fmt.Errorf("window %d: negative", out.Window))
	}
	if out.Amount.Sign() <= 0 {
		errs = append(errs, fmt.Errorf("amount %s: must be positive", out.Amount))
	}
	if out.Rate < 0 {
		errs = append(errs, fmt.Errorf("rate %g: negative", out.Rate))
	}
	if out.Channels < 1 || out.Channels > out.Payments {
		errs = append(errs, fmt.Errorf("channels %d: between 1 and the number of payments", out.Channels))
	}
	return out, errors.Join(errs...)
}

// Run measures the ECDSA limit, starts the cluster, makes the payments and reports.
func Run(ctx context.Context, opts Options) (Result, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return Result{}, fmt.Errorf("bench: %w", err)
	}
	// The limit is the machine's, so it is measured before the chain and the nodes start:
	// a thousand idle nodes still poll and keep sessions, and that work is the bench's
	// to report, not a smaller machine. Key and domain do not change the cost.
	if o.Progress != nil {
		o.Progress(Phase{Name: "measuring ECDSA limit", Total: 1})
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		return Result{}, fmt.Errorf("bench: %w", err)
	}
	limit, err := ECDSALimit(ctx, key, channel.Domain{ChainID: big.NewInt(devchain.ChainID)}, o.ECDSATime)
	if err != nil {
		return Result{}, err
	}

	c, err := newCluster(ctx, o)
	if err != nil {
		return Result{}, err
	}
	defer func() { _ = c.close() }()
	domain := channel.Domain{ChainID: c.chain.ChainID(), Contract: c.chain.Contract()}

	var gate *riskGate
	if o.Risk {
		if gate, err = c.riskGate(ctx, domain); err != nil {
			return Result{}, err
		}
		defer func() { _ = gate.Close() }()
	}

	before := snapshot(c)
	lat, elapsed, err := runLoad(ctx, c, o, gate)
	if err != nil {
		return Result{}, err
	}
	after := snapshot(c)
	res := newResult(o, c, lat, elapsed, limit, before, after)
	if o.AfterPayments != nil {
		if err := o.AfterPayments(); err != nil {
			return Result{}, err
		}
	}
	return res, nil
}
