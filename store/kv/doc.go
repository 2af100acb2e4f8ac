// Package kv is the store's persistence seam: an ordered key-value backend with atomic,
// durable batch writes, point reads and ordered range scans. The store encodes its records
// into a Batch and hands groups of batches to a Backend; leveldbkv (the default, one
// directory on one disk) and etcdkv (a replicated etcd cluster, with fencing for
// active/standby nodes) implement it.
//
// kv knows nothing of the store's records and imports nothing of this module.
package kv
