package etcdkv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/sluicepay/sluice/store/kv"

	_ "github.com/sluicepay/sluice/internal/protoreg" // pubsub and etcd both register "rpc.proto"
)

// Defaults match an etcd server started with its own defaults (--max-txn-ops 128,
// --max-request-bytes 1.5 MiB), with room for the transaction's framing.
const (
	DefaultMaxTxnOps    = 128
	DefaultMaxTxnBytes  = 1 << 20
	DefaultTimeout      = 5 * time.Second
	scanPage            = 1000
	perOpOverheadBytes  = 16
	defaultDialTimeoutS = 5
)

var (
	// ErrFenced means this process is no longer the leader its writes were fenced on:
	// nothing it writes commits any more. Sticky: the store refuses every later commit.
	ErrFenced = errors.New("etcd: leadership lost; this node may no longer write (fenced)")
	// ErrUnavailable means no majority of the cluster answered in time. Not sticky: the
	// write was not acknowledged, and the next one succeeds once the majority is back.
	// It wraps kv.ErrUnavailable, which the API maps to store_unavailable.
	ErrUnavailable = fmt.Errorf("etcd cluster unavailable: no majority answered in time; nothing was acknowledged (%w)", kv.ErrUnavailable)
	// ErrBatchTooLarge means one batch needs more operations or bytes than a single etcd
	// transaction may carry, so it cannot be written atomically.
	ErrBatchTooLarge = errors.New("etcd: batch exceeds one transaction's limits")
)

// Config selects the cluster and the namespace.
type Config struct {
	// Client is an open etcd client; the backend does not close it.
	Client *clientv3.Client
	// Prefix namespaces every key (e.g. "sluice/<node address>/").
	Prefix string
	// MaxTxnOps and MaxTxnBytes bound one transaction (defaults above); set them to the
	// cluster's --max-txn-ops and somewhat below its --max-request-bytes.
	MaxTxnOps   int
	MaxTxnBytes int
	// Timeout bounds each request (default 5 s), so a node cut off from the cluster's
	// majority fails its commits instead of holding them forever.
	Timeout time.Duration
}

// Fence is the leader key and the creation revision this process won it at.
type Fence struct {
	Key      string
	Revision int64
}

// Backend is a kv.Backend on etcd.
type Backend struct {
	cli    *clientv3.Client
	prefix string
	cfg    Config
	fence  atomic.Pointer[Fence]
	fenced atomic.Bool
	ops    []clientv3.Op // reused by Write; only the committer writes
}

// New returns a backend on cfg.Client under cfg.Prefix.
func New(cfg Config) (*Backend, error) {
	if cfg.Client == nil {
		return nil, errors.New("etcdkv: no client")
	}
	if cfg.MaxTxnOps <= 0 {
		cfg.MaxTxnOps = DefaultMaxTxnOps
	}
	if cfg.MaxTxnBytes <= 0 {
		cfg.MaxTxnBytes = DefaultMaxTxnBytes
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Backend{cli: cfg.Client, prefix: cfg.Prefix, cfg: cfg}, nil
}

// SetFence makes every later write conditional on f: it commits only while f.Key still
// exists with creation revision f.Revision.
func (b *Backend) SetFence(f Fence) { b.fence.Store(&f) }

func (b *Backend) key(k []byte) string { return b.prefix + string(k) }

func (b *Backend) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), b.cfg.Timeout)
}

// Get is a linearizable read of one key.
func (b *Backend) Get(key []byte) ([]byte, bool, error) {
	ctx, cancel := b.ctx()
	defer cancel()
	resp, err := b.cli.Get(ctx, b.key(key))
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, fmt.Errorf("etcd get: %w (%s): %w", ErrUnavailable, b.cfg.Timeout, err)
		}
		return nil, false, fmt.Errorf("etcd get: %w", err)
	}
	if len(resp.Kvs) == 0 {
		return nil, false, nil
	}
	return resp.Kvs[0].Value, true, nil
}

// Scan pages through r, every page read at the revision of the first, so the scan sees
// one consistent state.
func (b *Backend) Scan(r kv.Range, fn func(key, value []byte) error) error {
	start := b.key(r.Start)
	end := string(kv.PrefixEnd([]byte(b.prefix)))
	if r.Limit != nil {
		end = b.key(r.Limit)
	}
	var rev int64
	for start < end {
		opts := []clientv3.OpOption{clientv3.WithRange(end), clientv3.WithLimit(scanPage)}
		if r.Reverse {
			opts = append(opts, clientv3.WithSort(clientv3.SortByKey, clientv3.SortDescend))
		} else {
			opts = append(opts, clientv3.WithSort(clientv3.SortByKey, clientv3.SortAscend))
		}
		if rev != 0 {
			opts = append(opts, clientv3.WithRev(rev))
		}
		ctx, cancel := b.ctx()
		resp, err := b.cli.Get(ctx, start, opts...)
		timedOut := ctx.Err() != nil
		cancel()
		if err != nil {
			if timedOut {
				return fmt.Errorf("etcd scan: %w (%s): %w", ErrUnavailable, b.cfg.Timeout, err)
			}
			return fmt.Errorf("etcd scan: %w", err)
		}
		if rev == 0 {
			rev = resp.Header.Revision
		}
		for _, item := range resp.Kvs {
			if !bytes.HasPrefix(item.Key, []byte(b.prefix)) {
				return fmt.Errorf("etcd scan: key %q outside namespace %q", item.Key, b.prefix)
			}
			if err := fn(item.Key[len(b.prefix):], item.Value); err != nil {
				if errors.Is(err, kv.ErrStop) {
					return nil
				}
				return err
			}
		}
		if !resp.More || len(resp.Kvs) == 0 {
			return nil
		}
		last := string(resp.Kvs[len(resp.Kvs)-1].Key)
		if r.Reverse {
			end = last
		} else {
			start = last + "\x00"
		}
	}
	return nil
}

// Sticky is true once the backend is fenced: a deposed leader never writes again.
func (b *Backend) Sticky(err error) bool { return errors.Is(err, ErrFenced) }

// Close does nothing: the client belongs to the caller.
func (b *Backend) Close() error { return nil }
