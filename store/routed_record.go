package store

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store/kv"
)

// Routed payments (issue 18, ADR 0028): one record per routed payment this node took part
// in, beside the per-channel payment log (which keeps one signed proof per payment and is
// what the auditor reads). The record says what the channel log cannot: the route and
// fees, this node's role and how its lock ended. It is rewritten as the lock's state
// changes, always with its creation time, so its index entry never moves.
const (
	prefixRouted      byte = 'r' // 'r' record id(16) -> RoutedRecord
	prefixRoutedIndex byte = 'j' // 'j' created(8) record id(16) -> empty; the listing index
)

// RouteRole is this node's part in a routed payment.
type RouteRole uint8

const (
	RolePayer    RouteRole = 1
	RoleMediator RouteRole = 2
	RoleTarget   RouteRole = 3
)

func (r RouteRole) String() string {
	switch r {
	case RolePayer:
		return "payer"
	case RoleMediator:
		return "mediator"
	case RoleTarget:
		return "target"
	}
	return fmt.Sprintf("role(%d)", uint8(r))
}

// LockState is how this node's lock of a routed payment stands.
type LockState uint8

const (
	LockPending  LockState = 1 // locked, not resolved yet (a target: invoiced or locked)
	LockUnlocked LockState = 2 // the secret was released and the lock paid
	LockExpired  LockState = 3 // removed unpaid after its expiration
	LockRefused  LockState = 4 // refused or cancelled before it could complete
)

func (s LockState) String() string {
	switch s {
	case LockPending:
		return "pending"
	case LockUnlocked:
		return "unlocked"
	case LockExpired:
		return "expired"
	case LockRefused:
		return "refused"
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Final reports whether the state can no longer change.
func (s LockState) Final() bool { return s == LockUnlocked || s == LockExpired || s == LockRefused }

// RouteHop is one channel of a payer's route: who it pays, what it carries and the fee
// the hop that forwards over it keeps.
type RouteHop struct {
	Channel  channel.ID
	From, To common.Address
	Amount   *big.Int
	Fee      *big.Int
}

// MaxRouteHops bounds a stored route.
const MaxRouteHops = 8

// RoutedRecord is one routed payment as this node saw it.
type RoutedRecord struct {
	ID         PaymentID // the key: a payer's payment id; a derived id on other hops
	PaymentID  PaymentID // as carried on the wire (chosen by the payer)
	Role       RouteRole
	State      LockState
	SecretHash [32]byte
	// Peer is the target for a payer or mediator, and the payer (when it asked for the
	// invoice) for a target.
	Peer   common.Address
	Amount *big.Int // what the target receives
	// Fee is every hop's fee for a payer, the fee earned for a mediator, zero for a target.
	Fee     *big.Int
	Hops    []RouteHop // the payer's route
	In, Out channel.ID // the channel the lock came in on / went out on (zero: none)
	Memo    string
	Created time.Time // fixed: orders the listing
	Updated time.Time
	// Client is the API client that made a payer's payment (empty for other roles and
	// for payments made without the API): a retry of its payment id by another client
	// is refused, as for direct payments.
	Client string
}

const routedVersion = 1

func (r *RoutedRecord) validate() error {
	if r.Role < RolePayer || r.Role > RoleTarget || r.State < LockPending || r.State > LockRefused {
		return fmt.Errorf("routed payment %s: role %d state %d", r.ID, r.Role, r.State)
	}
	if len(r.Hops) > MaxRouteHops {
		return fmt.Errorf("routed payment %s: %d hops exceed %d", r.ID, len(r.Hops), MaxRouteHops)
	}
	if len(r.Memo) > MaxMemoLen {
		return fmt.Errorf("routed payment %s: memo of %d bytes exceeds %d", r.ID, len(r.Memo), MaxMemoLen)
	}
	if len(r.Client) > MaxClientLen {
		return fmt.Errorf("routed payment %s: client name of %d bytes exceeds %d", r.ID, len(r.Client), MaxClientLen)
	}
	for _, a := range []*big.Int{r.Amount, r.Fee} {
		if err := checkAmount("amount", a); err != nil {
			return fmt.Errorf("routed payment %s: %w", r.ID, err)
		}
	}
	for _, h := range r.Hops {
		if err := checkAmount("hop amount", h.Amount); err != nil {
			return fmt.Errorf("routed payment %s: %w", r.ID, err)
		}
		if err := checkAmount("hop fee", h.Fee); err != nil {
			return fmt.Errorf("routed payment %s: %w", r.ID, err)
		}
	}
	if err := checkTime("created", r.Created); err != nil || r.Created.IsZero() {
		return fmt.Errorf("routed payment %s: created %v: %v", r.ID, r.Created, err)
	}
	return checkTime("updated", r.Updated)
}

func encodeRouted(r *RoutedRecord) []byte {
	e := encoder{}
	e.u8(routedVersion)
	e.fixed(r.PaymentID[:])
	e.u8(uint8(r.Role))
	e.u8(uint8(r.State))
	e.fixed(r.SecretHash[:])
	e.fixed(r.Peer[:])
	e.amount(r.Amount)
	e.amount(r.Fee)
	e.u8(uint8(len(r.Hops)))
	for _, h := range r.Hops {
		e.fixed(h.Channel[:])
		e.fixed(h.From[:])
		e.fixed(h.To[:])
		e.amount(h.Amount)
		e.amount(h.Fee)
	}
	e.fixed(r.In[:])
	e.fixed(r.Out[:])
	e.str(r.Memo)
	e.timestamp(r.Created)
	e.timestamp(r.Updated)
	if r.Client != "" {
		e.str(r.Client)
	}
	return e.buf
}

func decodeRouted(id PaymentID, b []byte) (RoutedRecord, error) {
	r := RoutedRecord{ID: id}
	d := decoder{b: b}
	if v := d.u8(); v != routedVersion && d.err == nil {
		return r, fmt.Errorf("routed payment %s: version %d", id, v)
	}
	d.fixed(r.PaymentID[:])
	r.Role = RouteRole(d.u8())
	r.State = LockState(d.u8())
	d.fixed(r.SecretHash[:])
	d.fixed(r.Peer[:])
	r.Amount = d.amount()
	r.Fee = d.amount()
	n := int(d.u8())
	if n > MaxRouteHops && d.err == nil {
		return r, fmt.Errorf("routed payment %s: %d hops", id, n)
	}
	for range n {
		var h RouteHop
		d.fixed(h.Channel[:])
		d.fixed(h.From[:])
		d.fixed(h.To[:])
		h.Amount = d.amount()
		h.Fee = d.amount()
		r.Hops = append(r.Hops, h)
	}
	d.fixed(r.In[:])
	d.fixed(r.Out[:])
	r.Memo = d.str(MaxMemoLen)
	r.Created = d.timestamp()
	r.Updated = d.timestamp()
	if len(d.b) > 0 && d.err == nil {
		// Written only when set (records of older versions end before it).
		if r.Client = d.str(MaxClientLen); r.Client == "" && d.err == nil {
			return r, fmt.Errorf("routed payment %s: empty client field", id)
		}
	}
	if err := d.finish("routed payment " + id.String()); err != nil {
		return r, err
	}
	if err := r.validate(); err != nil {
		return r, err
	}
	return r, nil
}

func routedKey(id PaymentID) []byte { return append([]byte{prefixRouted}, id[:]...) }

const routedIndexKeyLen = 1 + 8 + 16

func routedIndexKey(created time.Time, id PaymentID) []byte {
	k := make([]byte, 0, routedIndexKeyLen)
	k = append(k, prefixRoutedIndex)
	k = binary.BigEndian.AppendUint64(k, timeKey(created))
	return append(k, id[:]...)
}

// PutRouted writes a routed payment record and its index entry. Rewriting a record must
// keep its Created time.
func (b *Batch) PutRouted(r *RoutedRecord) error {
	if err := r.validate(); err != nil {
		return b.fail(fmt.Errorf("put routed payment: %w", err))
	}
	b.lb.Put(routedKey(r.ID), encodeRouted(r))
	b.lb.Put(routedIndexKey(r.Created, r.ID), nil)
	return nil
}

// GetRouted reads one routed payment record.
func (s *Store) GetRouted(id PaymentID) (RoutedRecord, bool, error) {
	raw, found, err := s.get(routedKey(id))
	if err != nil {
		return RoutedRecord{}, false, wrapRead("routed payment "+id.String(), err)
	}
	if !found {
		return RoutedRecord{}, false, nil
	}
	r, err := decodeRouted(id, raw)
	if err != nil {
		return RoutedRecord{}, false, s.corrupt(err)
	}
	return r, true, nil
}

// RoutedPage is one page of routed payments, oldest first; Next is empty on the last.
type RoutedPage struct {
	Records []RoutedRecord
	Next    string
}

// ListRouted pages through the routed payments in creation order.
func (s *Store) ListRouted(cursor string, limit int) (RoutedPage, error) {
	rng := kv.PrefixRange([]byte{prefixRoutedIndex})
	if cursor != "" {
		suffix, err := hex.DecodeString(cursor)
		if err != nil || len(suffix) != routedIndexKeyLen-1 {
			return RoutedPage{}, fmt.Errorf("list routed payments: malformed cursor %q", cursor)
		}
		rng.Start = append(append([]byte{prefixRoutedIndex}, suffix...), 0)
	}
	var page RoutedPage
	n := pageSize(limit)
	var bad error
	err := s.kv.Scan(rng, func(key, _ []byte) error {
		if len(page.Records) == n {
			last := page.Records[n-1]
			page.Next = hex.EncodeToString(routedIndexKey(last.Created, last.ID)[1:])
			return kv.ErrStop
		}
		if len(key) != routedIndexKeyLen {
			bad = s.corrupt(fmt.Errorf("routed index key of %d bytes", len(key)))
			return kv.ErrStop
		}
		var id PaymentID
		copy(id[:], key[9:])
		raw, found, err := s.kv.Get(routedKey(id))
		if err == nil && !found {
			// The scan reads a snapshot, the record is read now: the invoice sweep may
			// have deleted both since (one batch, ADR 0035). An index entry still there
			// without its record is damage.
			if _, still, ierr := s.kv.Get(bytes.Clone(key)); ierr == nil && !still {
				return nil
			}
			err = errors.New("not found")
		}
		if err != nil {
			bad = fmt.Errorf("list routed payments: %s is indexed but unreadable: %w", id, s.translateReadError(err))
			return kv.ErrStop
		}
		r, err := decodeRouted(id, raw)
		if err != nil {
			bad = s.corrupt(err)
			return kv.ErrStop
		}
		if !bytes.Equal(routedIndexKey(r.Created, r.ID), key) {
			return nil // a stale entry of a record rewritten with another time
		}
		page.Records = append(page.Records, r)
		return nil
	})
	if err != nil {
		return RoutedPage{}, fmt.Errorf("list routed payments: %w", s.translateReadError(err))
	}
	if bad != nil {
		return RoutedPage{}, bad
	}
	return page, nil
}

// checkRoutedRecord is Check's decoding of the two routed-payment key kinds.
func checkRoutedRecord(key, val []byte) error {
	if key[0] == prefixRoutedIndex {
		if len(key) != routedIndexKeyLen {
			return fmt.Errorf("routed index key of %d bytes", len(key))
		}
		return nil
	}
	if len(key) != 17 {
		return fmt.Errorf("routed payment key of %d bytes", len(key))
	}
	_, err := decodeRouted(PaymentID(key[1:]), val)
	return err
}
