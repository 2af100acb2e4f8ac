package store

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store/kv"
)

// Page sizes for the paginated listings.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

func pageSize(limit int) int {
	switch {
	case limit <= 0:
		return DefaultPageSize
	case limit > MaxPageSize:
		return MaxPageSize
	default:
		return limit
	}
}

// ChannelPage is one page of channels in id order. Next is the cursor of the following
// page, empty on the last page.
type ChannelPage struct {
	Channels []ChannelRecord
	Next     string
}

// ListChannels returns up to limit channels after cursor ("" starts at the beginning).
func (s *Store) ListChannels(cursor string, limit int) (ChannelPage, error) {
	rng := kv.PrefixRange([]byte{prefixChannel})
	if cursor != "" {
		last, err := parseChannelCursor(cursor)
		if err != nil {
			return ChannelPage{}, err
		}
		rng.Start = append(channelKey(last), 0)
	}
	var page ChannelPage
	n := pageSize(limit)
	var bad error
	err := s.kv.Scan(rng, func(_, val []byte) error {
		if len(page.Channels) == n {
			last := page.Channels[n-1].Params.ID
			page.Next = hex.EncodeToString(last[:])
			return kv.ErrStop
		}
		rec, err := decodeChannel(val)
		if err != nil {
			bad = err
			return kv.ErrStop
		}
		page.Channels = append(page.Channels, rec)
		return nil
	})
	if err != nil {
		return ChannelPage{}, fmt.Errorf("list channels: %w", s.translateReadError(err))
	}
	if bad != nil {
		return ChannelPage{}, s.corrupt(bad)
	}
	return page, nil
}

func parseChannelCursor(cursor string) (channel.ID, error) {
	var id channel.ID
	b, err := hex.DecodeString(cursor)
	if err != nil || len(b) != len(id) {
		return id, fmt.Errorf("list channels: malformed cursor %q", cursor)
	}
	copy(id[:], b)
	return id, nil
}

// PaymentQuery selects a page of one channel's payments.
type PaymentQuery struct {
	Since, Until time.Time // payments with Since <= Time < Until; zero means unbounded
	Cursor       string    // Next of the previous page, "" for the first page
	Limit        int       // default DefaultPageSize, at most MaxPageSize
	NewestFirst  bool
}

// PaymentPage is one page of payments. Next is empty on the last page.
type PaymentPage struct {
	Payments []PaymentRecord
	Next     string
}

// CountPayments counts the payments recorded on channel ch by walking its index keys (no
// values are read): about a second per million payments on this project's machines, paid
// once per channel when a node starts.
func (s *Store) CountPayments(ch channel.ID) (uint64, error) {
	var n uint64
	err := s.kv.Scan(kv.PrefixRange(paymentIndexPrefix(ch)), func(_, _ []byte) error {
		n++
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count payments of channel %s: %w", ch, s.translateReadError(err))
	}
	return n, nil
}

// ListPayments pages through a channel's payment log in time order.
func (s *Store) ListPayments(ch channel.ID, q PaymentQuery) (PaymentPage, error) {
	prefix := paymentIndexPrefix(ch)
	rng := kv.PrefixRange(prefix)
	if !q.Since.IsZero() {
		rng.Start = binary.BigEndian.AppendUint64(bytes.Clone(prefix), timeKey(q.Since))
	}
	if !q.Until.IsZero() {
		rng.Limit = binary.BigEndian.AppendUint64(bytes.Clone(prefix), timeKey(q.Until))
	}
	if q.Cursor != "" {
		suffix, err := hex.DecodeString(q.Cursor)
		if err != nil || len(suffix) != paymentIndexKeyLen-len(prefix) {
			return PaymentPage{}, fmt.Errorf("list payments of channel %s: malformed cursor %q", ch, q.Cursor)
		}
		at := append(bytes.Clone(prefix), suffix...)
		if q.NewestFirst {
			if bytes.Compare(at, rng.Limit) < 0 {
				rng.Limit = at
			}
		} else if next := append(at, 0); bytes.Compare(next, rng.Start) > 0 {
			rng.Start = next
		}
	}
	rng.Reverse = q.NewestFirst
	// Payments are never deleted and a record is written with its index entry in one
	// batch, so an index entry always finds its record without a snapshot.
	var page PaymentPage
	n := pageSize(q.Limit)
	var bad error
	err := s.kv.Scan(rng, func(key, _ []byte) error {
		if len(page.Payments) == n {
			page.Next = hex.EncodeToString(lastIndexSuffix(page.Payments[n-1]))
			return kv.ErrStop
		}
		if len(key) != paymentIndexKeyLen {
			bad = s.corrupt(fmt.Errorf("payment index key of %d bytes", len(key)))
			return kv.ErrStop
		}
		var id PaymentID
		copy(id[:], key[1+32+8:])
		raw, found, err := s.kv.Get(paymentKey(id))
		if err == nil && !found {
			err = errors.New("not found")
		}
		if err != nil {
			bad = fmt.Errorf("list payments of channel %s: payment %s is indexed but unreadable: %w", ch, id, s.translateReadError(err))
			return kv.ErrStop
		}
		rec, err := decodePayment(id, raw)
		if err != nil {
			bad = s.corrupt(err)
			return kv.ErrStop
		}
		// A payment id written again with another time leaves its old index entry behind.
		if rec.Channel != ch || timeKey(rec.Time) != binary.BigEndian.Uint64(key[33:41]) {
			return nil
		}
		page.Payments = append(page.Payments, rec)
		return nil
	})
	if err != nil {
		return PaymentPage{}, fmt.Errorf("list payments of channel %s: %w", ch, s.translateReadError(err))
	}
	if bad != nil {
		return PaymentPage{}, bad
	}
	return page, nil
}

// timeKey maps a time onto the index's unsigned nanoseconds; times before 1970 clamp to 0.
func timeKey(t time.Time) uint64 {
	if n := t.UnixNano(); n > 0 {
		return uint64(n)
	}
	return 0
}

func lastIndexSuffix(r PaymentRecord) []byte {
	b := binary.BigEndian.AppendUint64(nil, timeKey(r.Time))
	return append(b, r.ID[:]...)
}

// ListPeers returns the whole address book in address order.
func (s *Store) ListPeers() ([]PeerRecord, error) {
	var out []PeerRecord
	err := s.scan([]byte{prefixPeer}, func(key, val []byte) error {
		addr := common.BytesToAddress(key[1:])
		rec, err := decodePeer(addr, val)
		if err == nil {
			out = append(out, rec)
		}
		return err
	})
	return out, wrapRead("peers", err)
}

// ListOps returns every recorded on-chain operation, finished ones included.
func (s *Store) ListOps() ([]OpRecord, error) {
	var out []OpRecord
	err := s.scan([]byte{prefixOp}, func(key, val []byte) error {
		var id OpID
		copy(id[:], key[1:])
		rec, err := decodeOp(id, val)
		if err == nil {
			out = append(out, rec)
		}
		return err
	})
	return out, wrapRead("ops", err)
}

// PendingOps returns the operations not yet mined: what the node resumes after a restart.
func (s *Store) PendingOps() ([]OpRecord, error) {
	all, err := s.ListOps()
	if err != nil {
		return nil, err
	}
	pending := all[:0]
	for _, op := range all {
		if op.State != OpMined {
			pending = append(pending, op)
		}
	}
	return pending, nil
}

// MetaEntry is one key of a metadata namespace.
type MetaEntry struct {
	Key   string
	Value []byte
}

// ListMeta returns every key of a namespace in key order.
func (s *Store) ListMeta(namespace string) ([]MetaEntry, error) {
	prefix, err := metaPrefix(namespace)
	if err != nil {
		return nil, fmt.Errorf("list meta: %w", err)
	}
	var out []MetaEntry
	err = s.scan(prefix, func(key, val []byte) error {
		out = append(out, MetaEntry{Key: string(key[len(prefix):]), Value: bytes.Clone(val)})
		return nil
	})
	return out, wrapRead("meta namespace "+namespace, err)
}

// scan calls fn for every key under prefix; decode failures become CorruptErrors.
func (s *Store) scan(prefix []byte, fn func(key, val []byte) error) error {
	var bad error
	err := s.kv.Scan(kv.PrefixRange(prefix), func(key, val []byte) error {
		if err := fn(key, val); err != nil {
			bad = err
			return kv.ErrStop
		}
		return nil
	})
	if err != nil {
		return s.translateReadError(err)
	}
	if bad != nil {
		return s.corrupt(bad)
	}
	return nil
}
