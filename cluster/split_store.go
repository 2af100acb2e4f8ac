package cluster

import (
	"context"

	"github.com/sluicepay/sluice/store"
)

// SplitCommits is a store whose Commit writes a batch over MaxOps writes as several
// transactions, in order. It is for state that needs no atomicity across its records,
// such as the risk engine's windows, baselines and audit events. The cluster refuses a
// transaction over its --max-txn-ops (etcdkv.ErrBatchTooLarge), and a flush of many
// clients' state would otherwise never be written. If a part fails, the earlier parts
// stay written and the error is returned. The risk engine then rewrites every record of
// the batch at its next flush.
type SplitCommits struct {
	*store.Store
	MaxOps int
}

// Commit writes b in parts of at most MaxOps writes.
func (s SplitCommits) Commit(ctx context.Context, b *store.Batch) error {
	parts, err := b.Split(s.MaxOps)
	if err != nil {
		return err
	}
	for _, p := range parts {
		if err := s.Store.Commit(ctx, p); err != nil {
			return err
		}
	}
	return nil
}
