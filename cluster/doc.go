// Package cluster is the clustered mode's active/standby protocol on etcd. Several sluice
// processes with the same key campaign for one leader key (etcd's election recipe, on a
// lease kept alive by this process); the winner gets a store whose every write is fenced
// on that key's creation revision (etcdkv.SetFence), the others wait in Campaign.
//
// Safety does not rest on timing: a write commits only if, at the moment etcd applies it,
// the leader key is still the one this process created. A deposed or partitioned leader
// can therefore never commit, so never acknowledge, anything; two processes can never
// both commit. Liveness rests on the lease: when the active dies or is cut off, its key
// disappears after the lease TTL and a standby's campaign completes. An active that sees
// its own lease lost (Leadership.Lost) must stop at once; its commits already fail.
//
// cluster imports store and its etcd backend; nothing of node or p2p.
package cluster
