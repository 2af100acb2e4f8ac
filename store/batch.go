package store

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/syndtr/goleveldb/leveldb"

	"github.com/sluicepay/sluice/channel"
)

// Batch collects typed writes that commit atomically: all of them reach disk or none do.
// A Put that fails validation returns its error and poisons the batch, so a half-filled
// batch can never be committed by a caller that ignored the error. A Batch is not safe
// for concurrent use and must not be changed while a Commit of it is in flight.
type Batch struct {
	lb      leveldb.Batch
	err     error
	scratch []byte
}

// NewBatch returns an empty batch. The zero Batch is ready to use as well.
func NewBatch() *Batch { return new(Batch) }

// Len is the number of key writes (a payment counts two: record and index).
func (b *Batch) Len() int { return b.lb.Len() }

// Size is the encoded size in bytes, the measure the group committer bounds.
func (b *Batch) Size() int { return len(b.lb.Dump()) }

// Err reports the first failed Put, if any.
func (b *Batch) Err() error { return b.err }

// Reset empties the batch, including a failure, for reuse after its Commit returned.
func (b *Batch) Reset() {
	b.lb.Reset()
	b.err = nil
}

// Append copies o's writes to the end of b, so a writer can fill a private batch and add
// it to a shared one only if every Put succeeded. A poisoned o poisons nothing: it is
// refused and b is unchanged.
func (b *Batch) Append(o *Batch) error {
	if o.err != nil {
		return fmt.Errorf("append batch: %w", o.err)
	}
	return o.lb.Replay(&b.lb)
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

// DeleteChannel forgets a channel's record and proofs; its payment log stays for audit.
func (b *Batch) DeleteChannel(id channel.ID) {
	b.lb.Delete(channelKey(id))
	b.lb.Delete(proofKey(id, channel.PartyA))
	b.lb.Delete(proofKey(id, channel.PartyB))
}

// PutProof stores p as the latest proof signed by signer, replacing the previous one.
// This is the per-payment write: a fixed 105-byte record. The store does not compare
// nonces; the channel's owner orders its own writes.
func (b *Batch) PutProof(signer channel.Party, p *channel.SignedProof) error {
	if err := checkProof(p, signer); err != nil {
		return b.fail(fmt.Errorf("put proof: %w", err))
	}
	var key [34]byte
	key[0] = prefixProof
	copy(key[1:33], p.Channel[:])
	key[33] = byte(signer)
	var val [proofRecordLen]byte
	encodeProof(&val, p)
	b.lb.Put(key[:], val[:])
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
