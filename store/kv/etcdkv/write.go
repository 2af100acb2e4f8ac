package etcdkv

import (
	"fmt"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/sluicepay/sluice/store/kv"
)

// Write commits the group as few transactions as the limits allow, each holding whole
// batches in order, so every batch is atomic. It returns after the last transaction is
// committed by the cluster's majority (durable in its Raft log).
func (b *Backend) Write(group []*kv.Batch) (int, error) {
	if b.fenced.Load() {
		return 0, ErrFenced
	}
	commits := 0
	var chunk txnChunk
	chunk.reset()
	for _, batch := range group {
		var one txnChunk
		one.reset()
		if err := one.add(batch); err != nil {
			return commits, err
		}
		if one.ops() > b.cfg.MaxTxnOps || one.bytes > b.cfg.MaxTxnBytes {
			return commits, fmt.Errorf("%w: %d operations, %d bytes (limits %d, %d)",
				ErrBatchTooLarge, one.ops(), one.bytes, b.cfg.MaxTxnOps, b.cfg.MaxTxnBytes)
		}
		if chunk.ops() > 0 && (chunk.ops()+one.ops() > b.cfg.MaxTxnOps || chunk.bytes+one.bytes > b.cfg.MaxTxnBytes) {
			if err := b.commit(&chunk); err != nil {
				return commits, err
			}
			commits++
			chunk.reset()
		}
		if err := chunk.add(batch); err != nil {
			return commits, err
		}
	}
	if chunk.ops() > 0 {
		if err := b.commit(&chunk); err != nil {
			return commits, err
		}
		commits++
	}
	return commits, nil
}

// txnChunk collects the writes of one transaction. etcd refuses a transaction that puts
// one key twice, so a later write to a key replaces the earlier one in place: applying the
// chunk atomically gives the same result as applying its writes in order.
type txnChunk struct {
	keys  []string
	vals  [][]byte // nil value with del set: a delete
	del   []bool
	at    map[string]int
	bytes int
}

func (c *txnChunk) reset() {
	c.keys, c.vals, c.del = c.keys[:0], c.vals[:0], c.del[:0]
	if c.at == nil {
		c.at = make(map[string]int)
	}
	clear(c.at)
	c.bytes = 0
}

func (c *txnChunk) ops() int { return len(c.keys) }

func (c *txnChunk) add(batch *kv.Batch) error {
	return batch.Replay(func(k, v []byte) { c.set(string(k), v, false) }, func(k []byte) { c.set(string(k), nil, true) })
}

func (c *txnChunk) set(k string, v []byte, del bool) {
	v = append([]byte(nil), v...)
	if i, ok := c.at[k]; ok {
		c.bytes += len(v) - len(c.vals[i])
		c.vals[i], c.del[i] = v, del
		return
	}
	c.at[k] = len(c.keys)
	c.keys = append(c.keys, k)
	c.vals = append(c.vals, v)
	c.del = append(c.del, del)
	c.bytes += len(k) + len(v) + perOpOverheadBytes
}

func (b *Backend) commit(c *txnChunk) error {
	ops := b.ops[:0]
	for i, k := range c.keys {
		if c.del[i] {
			ops = append(ops, clientv3.OpDelete(b.prefix+k))
		} else {
			ops = append(ops, clientv3.OpPut(b.prefix+k, string(c.vals[i])))
		}
	}
	b.ops = ops
	ctx, cancel := b.ctx()
	defer cancel()
	txn := b.cli.Txn(ctx)
	f := b.fence.Load()
	if f != nil {
		txn = txn.If(clientv3.Compare(clientv3.CreateRevision(f.Key), "=", f.Revision))
	}
	resp, err := txn.Then(ops...).Commit()
	clear(b.ops)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w (%s): %w", ErrUnavailable, b.cfg.Timeout, err)
		}
		return fmt.Errorf("etcd txn of %d writes: %w", len(ops), err)
	}
	if !resp.Succeeded {
		b.fenced.Store(true)
		return fmt.Errorf("%w (leader key %s, revision %d)", ErrFenced, f.Key, f.Revision)
	}
	return nil
}
