// Package etcdkv is the replicated kv.Backend: the store's keys live in an etcd cluster
// under a per-node namespace, so another sluice process with the same key can take over
// the state when this one dies.
//
// Writes are etcd transactions. A group from the store's committer becomes as few
// transactions as etcd's request limits allow (MaxTxnOps, MaxTxnBytes), each holding whole
// batches, so Raft commits are shared between concurrent writers the way leveldb fsyncs
// are. When the backend is fenced (SetFence), every transaction is conditional on the
// leader key still having the creation revision this process won it with: once the
// leadership is lost (lease expired, key deleted or re-created by another candidate) no
// write of this process can ever commit, and Write fails with ErrFenced for good.
//
// etcdkv imports kv and the etcd client; nothing else of this module.
package etcdkv
