package store

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store/kv"
)

// Batch collects typed writes that commit atomically: all of them reach disk or none do.
// A Put that fails validation returns its error and poisons the batch, so a half-filled
// batch can never be committed by a caller that ignored the error. A Batch is not safe
// for concurrent use and must not be changed while a Commit of it is in flight.
//
// A batch writes only the last PutProof of each channel side: the proofs wait in the batch
// until it is sealed for its commit, so a group of payments on one channel costs one proof
// record instead of one per payment. The result on disk is the same as writing them all.
type Batch struct {
	lb      kv.Batch
	err     error
	scratch []byte
	proofs  []proofWrite     // unsealed, at most one per key
	proofAt map[[34]byte]int // key -> index in proofs
}

// proofWrite is a PutProof waiting for the batch to be sealed.
type proofWrite struct {
	key [34]byte
	val [lockedProofRecordLen]byte
	n   int // length of the record in val
}

// NewBatch returns an empty batch. The zero Batch is ready to use as well.
func NewBatch() *Batch { return new(Batch) }

// Len is the number of key writes (a payment counts two: record and index; proofs count
// once per channel side however often they were put).
func (b *Batch) Len() int { return b.lb.Len() + len(b.proofs) }

// Size is the encoded size in bytes, the measure the group committer bounds.
// A waiting proof counts as its write will: kind, two one-byte length prefixes, key and value.
func (b *Batch) Size() int {
	n := b.lb.Size()
	for i := range b.proofs {
		n += 3 + len(b.proofs[i].key) + b.proofs[i].n
	}
	return n
}

// Err reports the first failed Put, if any.
func (b *Batch) Err() error { return b.err }

// Reset empties the batch, including a failure, for reuse after its Commit returned.
func (b *Batch) Reset() {
	b.lb.Reset()
	b.err = nil
	b.proofs = b.proofs[:0]
	clear(b.proofAt)
}

// seal writes the waiting proofs into the kv batch. The committer calls it before
// reading the batch, and every write that could touch a proof key calls it first, so
// writes to one key stay in the order they were made.
func (b *Batch) seal() {
	for i := range b.proofs {
		b.lb.Put(b.proofs[i].key[:], b.proofs[i].val[:b.proofs[i].n])
	}
	b.proofs = b.proofs[:0]
	clear(b.proofAt)
}

func (b *Batch) putProofWrite(w *proofWrite) {
	if i, ok := b.findProof(&w.key); ok {
		b.proofs[i].val, b.proofs[i].n = w.val, w.n
		return
	}
	b.proofs = append(b.proofs, *w)
	switch {
	case len(b.proofAt) > 0:
		b.proofAt[w.key] = len(b.proofs) - 1
	case len(b.proofs) > proofScanMax:
		if b.proofAt == nil {
			b.proofAt = make(map[[34]byte]int, 2*len(b.proofs))
		}
		for i := range b.proofs {
			b.proofAt[b.proofs[i].key] = i
		}
	}
}

// proofScanMax is how many waiting proofs a linear search covers before the batch indexes
// them (a group on a hub spans many channels; a single payment's batch holds one proof).
// proofAt is either empty or indexes every waiting proof.
const proofScanMax = 16

func (b *Batch) findProof(key *[34]byte) (int, bool) {
	if len(b.proofAt) > 0 {
		i, ok := b.proofAt[*key]
		return i, ok
	}
	for i := range b.proofs {
		if b.proofs[i].key == *key {
			return i, true
		}
	}
	return 0, false
}

// Append copies o's writes to the end of b, so a writer can fill a private batch and add
// it to a shared one only if every Put succeeded. A poisoned o poisons nothing: it is
// refused and b is unchanged.
func (b *Batch) Append(o *Batch) error {
	if o.err != nil {
		return fmt.Errorf("append batch: %w", o.err)
	}
	// o's waiting proofs are later than anything o wrote to their keys, and b's are
	// earlier than all of o: seal b's, then o's proofs wait in b.
	b.seal()
	b.lb.Append(&o.lb)
	for i := range o.proofs {
		b.putProofWrite(&o.proofs[i])
	}
	return nil
}

func (b *Batch) fail(err error) error {
	if b.err == nil {
		b.err = err
	}
	return err
}

// PutChannel stores a channel's record. It never touches the channel's proofs.
func (b *Batch) PutChannel(r *ChannelRecord) error {
	if err := r.validate(); err != nil {
		return b.fail(fmt.Errorf("put channel: %w", err))
	}
	b.lb.Put(channelKey(r.Params.ID), encodeChannel(r))
	return nil
}

// DeleteChannel forgets a channel's record, proofs and pending locks; its payment log stays for audit.
func (b *Batch) DeleteChannel(id channel.ID) {
	b.seal() // a proof put earlier in this batch must land before its delete
	b.lb.Delete(channelKey(id))
	b.lb.Delete(proofKey(id, channel.PartyA))
	b.lb.Delete(proofKey(id, channel.PartyB))
	b.deleteLocks(id)
}

// PutProof stores p as the latest proof signed by signer, replacing the previous one.
// This is the per-payment write: a fixed 105-byte record, of which a batch writes only
// the last per channel side. The store does not compare nonces; the channel's owner
// orders its own writes.
func (b *Batch) PutProof(signer channel.Party, p *channel.SignedProof) error {
	if err := checkProof(p, signer); err != nil {
		return b.fail(fmt.Errorf("put proof: %w", err))
	}
	var w proofWrite
	w.key[0] = prefixProof
	copy(w.key[1:33], p.Channel[:])
	w.key[33] = byte(signer)
	w.n = encodeProof(&w.val, p)
	b.putProofWrite(&w)
	return nil
}

// PutPayment appends r to the payment log and its channel's time index. Writing the same
// id again overwrites the record; check GetPayment first to keep payments idempotent.
func (b *Batch) PutPayment(r *PaymentRecord) error {
	if err := r.validate(); err != nil {
		return b.fail(fmt.Errorf("put payment: %w", err))
	}
	var key [17]byte
	key[0] = prefixPayment
	copy(key[1:], r.ID[:])
	b.scratch = appendPayment(b.scratch[:0], r)
	b.lb.Put(key[:], b.scratch)
	b.lb.Put(paymentIndexKey(r.Channel, uint64(r.Time.UnixNano()), r.ID), nil)
	return nil
}

// PutPeer stores an address-book entry.
func (b *Batch) PutPeer(r *PeerRecord) error {
	if err := r.validate(); err != nil {
		return b.fail(fmt.Errorf("put peer: %w", err))
	}
	b.lb.Put(peerKey(r.Address), encodePeer(r))
	return nil
}

// DeletePeer removes an address-book entry.
func (b *Batch) DeletePeer(addr common.Address) { b.lb.Delete(peerKey(addr)) }

// PutCursor records how far the chain has been processed.
func (b *Batch) PutCursor(c ChainCursor) { b.lb.Put(cursorKey, encodeCursor(&c)) }

// PutOp stores an on-chain operation in its current state.
func (b *Batch) PutOp(r *OpRecord) error {
	if err := r.validate(); err != nil {
		return b.fail(fmt.Errorf("put op: %w", err))
	}
	b.lb.Put(opKey(r.ID), encodeOp(r))
	return nil
}

// DeleteOp forgets a finished operation.
func (b *Batch) DeleteOp(id OpID) { b.lb.Delete(opKey(id)) }

// maxMetaValueLen keeps metadata small; bulk data belongs in a typed record.
const maxMetaValueLen = 1 << 20

// PutMeta stores an opaque value for another subsystem under its own namespace.
func (b *Batch) PutMeta(namespace, key string, value []byte) error {
	k, err := metaKey(namespace, key)
	if err != nil {
		return b.fail(fmt.Errorf("put meta: %w", err))
	}
	if len(value) > maxMetaValueLen {
		return b.fail(fmt.Errorf("put meta %s/%s: value of %d bytes exceeds %d", namespace, key, len(value), maxMetaValueLen))
	}
	b.lb.Put(k, value)
	return nil
}

// DeleteMeta removes a metadata value.
func (b *Batch) DeleteMeta(namespace, key string) error {
	k, err := metaKey(namespace, key)
	if err != nil {
		return b.fail(fmt.Errorf("delete meta: %w", err))
	}
	b.lb.Delete(k)
	return nil
}

// Split returns b's writes, in order, as batches of at most maxOps writes each (b itself
// when it fits): for a backend whose transactions are bounded (etcd refuses a batch over
// its --max-txn-ops, ErrBatchTooLarge) and a writer that needs no atomicity across them,
// such as the risk engine's state. Each part stays atomic on its own.
func (b *Batch) Split(maxOps int) ([]*Batch, error) {
	if b.err != nil {
		return nil, b.err
	}
	b.seal()
	if maxOps <= 0 || b.lb.Len() <= maxOps {
		return []*Batch{b}, nil
	}
	var out []*Batch
	cur := NewBatch()
	next := func() {
		if cur.lb.Len() >= maxOps {
			out = append(out, cur)
			cur = NewBatch()
		}
	}
	err := b.lb.Replay(func(k, v []byte) {
		next()
		cur.lb.Put(k, v)
	}, func(k []byte) {
		next()
		cur.lb.Delete(k)
	})
	if err != nil {
		return nil, fmt.Errorf("store: split batch: %w", err)
	}
	if cur.lb.Len() > 0 {
		out = append(out, cur)
	}
	return out, nil
}
