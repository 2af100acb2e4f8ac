package tower

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/syndtr/goleveldb/leveldb"
	"github.com/syndtr/goleveldb/leveldb/filter"
	"github.com/syndtr/goleveldb/leveldb/opt"
	"github.com/syndtr/goleveldb/leveldb/util"

	"github.com/sluicepay/sluice/channel"
)

// Key layout. A channel has at most two records, one per direction (the proof of A's
// payments, which B registers, and the proof of B's payments, which A registers), each
// replaced in place: the store holds at most two records per guarded channel however many
// payments it carried.
var (
	prefixProof   = []byte("p/") // + channel id + payer side (0 = A, 1 = B) -> rlp(record)
	prefixClosing = []byte("c/") // + channel id -> settleAfter (8 bytes): closes to defend
	keyCursor     = []byte("cursor")
)

// record is one direction of a guarded channel: the participants (fixed at open, checked
// once against the chain) and the receiver-endorsed proof of the payer's payments with the
// highest nonce the tower was given.
type record struct {
	A, B        common.Address
	Nonce       uint64
	Transferred *big.Int
	Sig         channel.Signature
	Endorsement channel.Signature
	PayerIsA    bool
	// The proof's pending locks; optional so records stored before locks still decode.
	Locked    *big.Int `rlp:"optional"`
	LocksRoot [32]byte `rlp:"optional"`
}

func (r *record) proof(id channel.ID) channel.SignedProof {
	var locked *big.Int
	if r.Locked != nil && r.Locked.Sign() != 0 {
		locked = new(big.Int).Set(r.Locked)
	}
	return channel.SignedProof{
		BalanceProof: channel.BalanceProof{Channel: id, Nonce: r.Nonce, Transferred: new(big.Int).Set(r.Transferred), Locked: locked, LocksRoot: r.LocksRoot},
		Sig:          r.Sig,
	}
}

// proofStore is the tower's leveldb: every write is synced before it is acknowledged.
type proofStore struct {
	db *leveldb.DB
}

// storeCacheBytes bounds leveldb's block cache; with the write buffer it is most of the
// tower's memory whatever the number of channels (docs/tower.md states the figure).
const (
	storeCacheBytes = 4 << 20
	storeWriteBytes = 4 << 20
)

func openStore(path string) (*proofStore, error) {
	db, err := leveldb.OpenFile(path, &opt.Options{
		BlockCacheCapacity: storeCacheBytes,
		WriteBuffer:        storeWriteBytes,
		Filter:             filter.NewBloomFilter(10),
	})
	if err != nil {
		return nil, fmt.Errorf("open tower store %s: %w", path, err)
	}
	return &proofStore{db: db}, nil
}

func (s *proofStore) Close() error { return s.db.Close() }

var syncWrite = &opt.WriteOptions{Sync: true}

func key(prefix []byte, id channel.ID) []byte {
	return append(append(make([]byte, 0, len(prefix)+32), prefix...), id[:]...)
}

// proofKey names one direction of a channel: the proof of the payer's payments.
func proofKey(id channel.ID, payer channel.Party) []byte {
	return append(key(prefixProof, id), byte(payer))
}

func payerOf(r *record) channel.Party {
	if r.PayerIsA {
		return channel.PartyA
	}
	return channel.PartyB
}

// get returns the record of the payer's payments on id, or ok=false.
func (s *proofStore) get(id channel.ID, payer channel.Party) (record, bool, error) {
	raw, err := s.db.Get(proofKey(id, payer), nil)
	if errors.Is(err, leveldb.ErrNotFound) {
		return record{}, false, nil
	}
	if err != nil {
		return record{}, false, fmt.Errorf("read record of %s: %w", id, err)
	}
	var r record
	if err := rlp.DecodeBytes(raw, &r); err != nil {
		return record{}, false, fmt.Errorf("decode record of %s: %w", id, err)
	}
	return r, true, nil
}

// sides returns the channel's records (none, one or both directions).
func (s *proofStore) sides(id channel.ID) ([]record, error) {
	var out []record
	for _, p := range []channel.Party{channel.PartyA, channel.PartyB} {
		r, ok, err := s.get(id, p)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// has reports whether the tower guards any direction of id.
func (s *proofStore) has(id channel.ID) (bool, error) {
	it := s.db.NewIterator(util.BytesPrefix(key(prefixProof, id)), nil)
	defer it.Release()
	return it.First(), it.Error()
}

// put stores r durably, replacing the previous record of the same direction.
func (s *proofStore) put(id channel.ID, r *record) error {
	raw, err := rlp.EncodeToBytes(r)
	if err != nil {
		return fmt.Errorf("encode record of %s: %w", id, err)
	}
	if err := s.db.Put(proofKey(id, payerOf(r)), raw, syncWrite); err != nil {
		return fmt.Errorf("write record of %s: %w", id, err)
	}
	return nil
}

// forget drops a channel once nothing is left to defend (its close is defended or over,
// or it settled) and returns how many records it had.
func (s *proofStore) forget(id channel.ID) (int, error) {
	recs, err := s.sides(id)
	if err != nil {
		return 0, err
	}
	b := new(leveldb.Batch)
	b.Delete(proofKey(id, channel.PartyA))
	b.Delete(proofKey(id, channel.PartyB))
	b.Delete(key(prefixClosing, id))
	if err := s.db.Write(b, syncWrite); err != nil {
		return 0, fmt.Errorf("forget %s: %w", id, err)
	}
	return len(recs), nil
}

// markClosing records a close to defend; it survives a restart.
func (s *proofStore) markClosing(id channel.ID, settleAfter uint64) error {
	if err := s.db.Put(key(prefixClosing, id), binary.BigEndian.AppendUint64(nil, settleAfter), syncWrite); err != nil {
		return fmt.Errorf("mark %s closing: %w", id, err)
	}
	return nil
}

func (s *proofStore) unmarkClosing(id channel.ID) error {
	if err := s.db.Delete(key(prefixClosing, id), syncWrite); err != nil {
		return fmt.Errorf("unmark %s closing: %w", id, err)
	}
	return nil
}

// closing lists the closes still to defend.
func (s *proofStore) closing() ([]channel.ID, error) {
	it := s.db.NewIterator(util.BytesPrefix(prefixClosing), nil)
	defer it.Release()
	var out []channel.ID
	for it.Next() {
		var id channel.ID
		if copy(id[:], it.Key()[len(prefixClosing):]) == len(id) {
			out = append(out, id)
		}
	}
	return out, it.Error()
}

// ids calls fn once with every guarded channel id, in key order, without holding them all.
func (s *proofStore) ids(fn func(channel.ID) error) error {
	it := s.db.NewIterator(util.BytesPrefix(prefixProof), nil)
	defer it.Release()
	var last channel.ID
	first := true
	for it.Next() {
		var id channel.ID
		if copy(id[:], it.Key()[len(prefixProof):]) != len(id) {
			continue
		}
		if !first && id == last {
			continue // the channel's other direction
		}
		first, last = false, id
		if err := fn(id); err != nil {
			return err
		}
	}
	return it.Error()
}

// count walks the records once (at start); afterwards the tower keeps the count itself.
func (s *proofStore) count() (int, error) {
	it := s.db.NewIterator(util.BytesPrefix(prefixProof), nil)
	defer it.Release()
	n := 0
	for it.Next() {
		n++
	}
	return n, it.Error()
}

func (s *proofStore) cursor() (block uint64, found bool, err error) {
	raw, err := s.db.Get(keyCursor, nil)
	if errors.Is(err, leveldb.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil || len(raw) != 8 {
		return 0, false, fmt.Errorf("read tower cursor: %v (%d bytes)", err, len(raw))
	}
	return binary.BigEndian.Uint64(raw), true, nil
}

func (s *proofStore) putCursor(block uint64) error {
	if err := s.db.Put(keyCursor, binary.BigEndian.AppendUint64(nil, block), syncWrite); err != nil {
		return fmt.Errorf("write tower cursor %d: %w", block, err)
	}
	return nil
}
