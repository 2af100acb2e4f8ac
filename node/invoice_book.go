package node

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// The payee's invoice lifecycle (ADR 0035). An invoice is OPEN from its creation until the
// payee accepts a lock for it, which TAKES it: from then on only that lock (its channel
// and expiration) is revealed for, also after the invoice's expiry, and a lock on another
// channel is refused (invoice_paid). An open invoice whose expiry passed refuses every new
// lock (invoice_expired) and is deleted with its secret by the sweep (invoice_gc.go).
// Open invoices are capped per requesting peer and in total, so what a partner can make
// us store is bounded inside the TTL too.

// Store namespaces of the lifecycle, keyed by hex(secret hash).
const (
	// invoiceOpenNamespace: expiry(8, unix seconds) | asker(20; zero for sluice_invoice).
	// Deleted when the invoice is taken or swept.
	invoiceOpenNamespace = "invoiceopen"
	// invoiceTakenNamespace: channel(32) | lock expiration(8): the one lock revealed for.
	// Kept, like the secret (a taken secret was or will be revealed).
	invoiceTakenNamespace = "invoicetaken"
)

// Defaults of InvoiceConfig.
const (
	DefaultInvoiceTTL             = time.Hour
	DefaultMaxOpenInvoices        = 100_000
	DefaultMaxOpenInvoicesPerPeer = 10_000
	DefaultInvoiceSweepInterval   = time.Minute
	// invoiceSweepBatch bounds the invoices one sweep pass deletes.
	invoiceSweepBatch = 512
)

var (
	// ErrTooManyInvoices: the cap of open unpaid invoices (per asking peer or in total)
	// is reached; nothing was stored. It is a rate limit: retry once invoices are paid or
	// expire.
	ErrTooManyInvoices = fmt.Errorf("too many open invoices: %w", channel.ErrRateLimited)
	// errInvoiceExpired: a new lock arrived after the invoice's expiry.
	errInvoiceExpired = errors.New("invoice expired")
	// errInvoicePaid: the invoice was taken by another lock.
	errInvoicePaid = errors.New("invoice already taken by another lock")
)

// InvoiceConfig bounds the invoices a payee keeps (ADR 0035); zero fields take defaults.
type InvoiceConfig struct {
	// TTL is how long an invoice takes new locks (sluice_invoice and over the wire).
	TTL time.Duration
	// MaxOpen bounds the open (unpaid, unexpired or not yet swept) invoices in total;
	// MaxOpenPerPeer those asked over the wire for one payer through one partner (a
	// partner: relayFactor times that, within its share of the book, ADR 0043).
	MaxOpen        int
	MaxOpenPerPeer int
	// SweepInterval is how often expired unpaid invoices are deleted (also at start).
	SweepInterval time.Duration
}

func (c InvoiceConfig) withDefaults() InvoiceConfig {
	if c.TTL <= 0 {
		c.TTL = DefaultInvoiceTTL
	}
	if c.MaxOpen <= 0 {
		c.MaxOpen = DefaultMaxOpenInvoices
	}
	if c.MaxOpenPerPeer <= 0 {
		c.MaxOpenPerPeer = DefaultMaxOpenInvoicesPerPeer
	}
	if c.SweepInterval <= 0 {
		c.SweepInterval = DefaultInvoiceSweepInterval
	}
	return c
}

type openInvoice struct {
	expiry uint64
	asker  common.Address // the peer that asked (a relaying hub, or the payer itself)
	// payer is the payer whose signature the request carried (verified, ADR 0035
	// amendment), or zero for an unsigned request: all of one asker's unsigned requests
	// share that one bucket. Invoices are capped per (asker, payer), and per asker at
	// relayFactor times that, so one wallet behind a hub can use up neither the hub's
	// share nor another wallet's.
	payer common.Address
	// unproven: the payer had paid us nothing when the invoice was reserved (ADR 0043);
	// decided once, so that releasing or removing it undoes exactly what reserve counted.
	unproven bool
}

// askKey is what the per-payer cap counts by.
type askKey struct{ asker, payer common.Address }

// relayFactor: how many payers' worth of open invoices one asking peer may hold.
const relayFactor = 10

type invoiceTaker struct {
	ch         channel.ID
	expiration uint64
}

// invoiceBook is the in-memory index of the open invoices (bounded by MaxOpen) and the
// count per asking peer; the store has the same entries (invoiceOpenNamespace).
type invoiceBook struct {
	cfg InvoiceConfig

	mu       sync.Mutex
	open     map[[32]byte]openInvoice
	perPeer  map[common.Address]int
	perPayer map[askKey]int
	// unproven counts, per asking peer, the open invoices of payers that had paid us
	// nothing (invoice_proven.go); paid is the set of payers one of whose invoices a lock
	// took.
	unproven map[common.Address]int
	paid     paidPayers
	// reserved counts invoices being created (counted against the caps already).
	reserved int
	// taking are invoices taken whose record is not durable yet.
	taking map[[32]byte]invoiceTaker
}

func encodeOpenInvoice(o openInvoice) []byte {
	b := append(binary.BigEndian.AppendUint64(make([]byte, 0, 48), o.expiry), o.asker[:]...)
	return append(b, o.payer[:]...)
}

// decodeOpenInvoice reads a record; one written before payers were kept (28 bytes)
// counts its asker as the payer.
func decodeOpenInvoice(b []byte) (openInvoice, bool) {
	if len(b) != 28 && len(b) != 48 {
		return openInvoice{}, false
	}
	o := openInvoice{expiry: binary.BigEndian.Uint64(b), asker: common.BytesToAddress(b[8:28])}
	o.payer = o.asker
	if len(b) == 48 {
		o.payer = common.BytesToAddress(b[28:])
	}
	return o, true
}

func encodeTaker(t invoiceTaker) []byte {
	return binary.BigEndian.AppendUint64(append(make([]byte, 0, 40), t.ch[:]...), t.expiration)
}

func decodeTaker(b []byte) (invoiceTaker, bool) {
	if len(b) != 40 {
		return invoiceTaker{}, false
	}
	return invoiceTaker{ch: channel.ID(b[:32]), expiration: binary.BigEndian.Uint64(b[32:])}, true
}

func hashKey(h [32]byte) string { return common.Bytes2Hex(h[:]) }

// book returns the invoice book, loaded from the store on first use.
func (n *Node) book() *invoiceBook {
	x := n.invoices()
	x.bookOnce.Do(func() { x.book = n.loadInvoiceBook() })
	return x.book
}

// loadInvoiceBook reads the open invoices (at most MaxOpen entries, plus what a lowered
// cap left over: those are swept or taken, never added to).
func (n *Node) loadInvoiceBook() *invoiceBook {
	b := &invoiceBook{cfg: n.cfg.Invoices.withDefaults(), open: map[[32]byte]openInvoice{},
		perPeer: map[common.Address]int{}, perPayer: map[askKey]int{}, unproven: map[common.Address]int{},
		taking: map[[32]byte]invoiceTaker{}}
	ml, ok := n.store.(metaLister)
	if !ok {
		return b
	}
	entries, err := ml.ListMeta(invoiceOpenNamespace)
	if err != nil {
		n.log.Warn("open invoices not loaded", "err", err)
		return b
	}
	for _, e := range entries {
		raw := common.FromHex(e.Key)
		o, ok := decodeOpenInvoice(e.Value)
		if len(raw) != 32 || !ok {
			continue
		}
		o.unproven = o.asker != (common.Address{}) // nobody has paid since the start
		b.open[[32]byte(raw)] = o
		b.count(o)
	}
	return b
}

// reserve counts invoice o, asked by o.asker (zero: the node's own API) for o.payer,
// against the caps and sets o.unproven; the caller puts it in the store and then calls
// opened, or release on failure.
func (b *invoiceBook) reserve(o *openInvoice) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	asker, payer := o.asker, o.payer
	if len(b.open)+b.reserved >= b.cfg.MaxOpen {
		return fmt.Errorf("%d open invoices, the node's cap: %w", len(b.open)+b.reserved, ErrTooManyInvoices)
	}
	if asker != (common.Address{}) {
		k := askKey{asker, payer}
		if b.perPayer[k] >= b.cfg.MaxOpenPerPeer {
			return fmt.Errorf("%d open invoices asked by %s for payer %s, the cap per payer: %w", b.perPayer[k], asker, payer, ErrTooManyInvoices)
		}
		if b.perPeer[asker] >= relayFactor*b.cfg.MaxOpenPerPeer {
			return fmt.Errorf("%d open invoices asked by %s, the cap per peer: %w", b.perPeer[asker], asker, ErrTooManyInvoices)
		}
		share := askerShare(b.cfg.MaxOpen, len(b.open)+b.reserved-b.perPeer[asker])
		if b.perPeer[asker] >= share {
			return fmt.Errorf("%d open invoices asked by %s, its share of what other askers leave (%d): %w", b.perPeer[asker], asker, share, ErrTooManyInvoices)
		}
		o.unproven = !b.paid.has(payer)
		if half := unprovenHalf(min(share, relayFactor*b.cfg.MaxOpenPerPeer)); o.unproven && b.unproven[asker] >= half {
			return fmt.Errorf("%d open invoices asked by %s for payers that never paid us, half its share (%d): %w", b.unproven[asker], asker, half, ErrTooManyInvoices)
		}
		b.count(*o)
	}
	b.reserved++
	return nil
}

// count adds o to the counts per asker; callers hold mu.
func (b *invoiceBook) count(o openInvoice) {
	if o.asker == (common.Address{}) {
		return
	}
	b.perPeer[o.asker]++
	b.perPayer[askKey{o.asker, o.payer}]++
	if o.unproven {
		b.unproven[o.asker]++
	}
}

// askerShare is how many open invoices one asking peer may hold when everyone else (the
// other askers and the node's own API) holds others, of a book of maxOpen (ADR 0043):
// half of what they leave. One peer (a partner signing with fresh payer keys, or a hub
// relaying a wallet that does) alone stops at half the book, and a peer that arrives
// later always finds room, at least half of what is left; each further flooding peer
// (a channel with us, on chain) halves the room left, never takes it all.
func askerShare(maxOpen, others int) int {
	return (maxOpen - others + 1) / 2 // rounded up: a book of one still takes one
}

// release undoes a reserve whose invoice was not stored.
func (b *invoiceBook) release(o openInvoice) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reserved--
	b.dropPeer(o)
}

// opened turns a reservation into an open invoice (its record is durable).
func (b *invoiceBook) opened(hash [32]byte, o openInvoice) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reserved--
	b.open[hash] = o
}

func (b *invoiceBook) dropPeer(o openInvoice) {
	asker, payer := o.asker, o.payer
	if asker == (common.Address{}) {
		return
	}
	if o.unproven {
		if b.unproven[asker]--; b.unproven[asker] <= 0 {
			delete(b.unproven, asker)
		}
	}
	if b.perPeer[asker]--; b.perPeer[asker] <= 0 {
		delete(b.perPeer, asker)
	}
	k := askKey{asker, payer}
	if b.perPayer[k]--; b.perPayer[k] <= 0 {
		delete(b.perPayer, k)
	}
}

// remove drops an open invoice (taken or swept); callers hold mu.
func (b *invoiceBook) remove(hash [32]byte) {
	if o, ok := b.open[hash]; ok {
		delete(b.open, hash)
		b.dropPeer(o)
	}
}

// Open is the number of open invoices, and how many asker asked for.
func (b *invoiceBook) counts(asker common.Address) (total, peer int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.open) + b.reserved, b.perPeer[asker]
}

// openInvoiceFill stores an open invoice's lifecycle record (with its secret's batch).
func openInvoiceFill(b *store.Batch, hash [32]byte, o openInvoice) error {
	return b.PutMeta(invoiceOpenNamespace, hashKey(hash), encodeOpenInvoice(o))
}

// storeInvoice writes a new invoice in one durable write: its secret, the amount asked
// (what acceptAsTarget and the loop check), its open record and extra (the wire request's
// record), counted against the caps for asker (zero: sluice_invoice). It returns once the
// write is durable; ErrTooManyInvoices stores nothing.
func (n *Node) storeInvoice(ctx context.Context, secret [32]byte, amount *big.Int, o openInvoice, extra func(*store.Batch) error) error {
	b := n.book()
	if err := b.reserve(&o); err != nil {
		return err
	}
	h := channel.SecretHash(secret)
	done := make(chan error, 1)
	fill := func(bt *store.Batch) error {
		bt.PutSecret(secret)
		if err := bt.PutMeta(invoiceNamespace, hashKey(h), amount.Bytes()); err != nil {
			return err
		}
		if err := openInvoiceFill(bt, h, o); err != nil {
			return err
		}
		if extra != nil {
			return extra(bt)
		}
		return nil
	}
	if err := n.durable.enqueue(fill, afterCommit{kind: afterSignal, done: done}); err != nil {
		b.release(o)
		return err
	}
	settle := func(err error) {
		if err != nil {
			b.release(o)
			return
		}
		b.opened(h, o)
		n.med.mu.Lock()
		n.med.secrets[h] = secret
		n.med.mu.Unlock()
	}
	select {
	case err := <-done:
		settle(err)
		return err
	case <-ctx.Done():
		// The write may still land: count it when it does.
		n.goTracked(func() {
			select {
			case err := <-done:
				settle(err)
			case <-n.ctx.Done():
			}
		})
		return ctx.Err()
	}
}

// invoiceExpiry is the expiry of an invoice made now.
func (n *Node) invoiceExpiry() uint64 {
	return uint64(time.Now().Add(n.book().cfg.TTL).Unix())
}
