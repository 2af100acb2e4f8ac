package risk

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// Store is what the engine needs from the node's store: its namespaced metadata with
// group commit. *store.Store satisfies it.
type Store interface {
	GetMeta(namespace, key string) ([]byte, bool, error)
	ListMeta(namespace string) ([]store.MetaEntry, error)
	Commit(ctx context.Context, b *store.Batch) error
}

// Metadata namespaces of the risk engine.
const (
	nsState   = "risk.state"   // windows and baselines: "client/<name>", "party/<addr>", "channel/<id>"
	nsKnown   = "risk.known"   // each client's known counterparties
	nsDevices = "risk.devices" // client -> device address
	nsClients = "risk.clients" // client configs set through the admin API; they override the file
	nsAudit   = "risk.audit"   // %016x sequence -> event JSON
	nsDeleted = "risk.deleted" // client name -> deletion time: a tombstone that keeps the file's entry out too
)

func partyKey(a common.Address) string { return "party/" + hex.EncodeToString(a[:]) }
func channelKey(id channel.ID) string  { return "channel/" + hex.EncodeToString(id[:]) }
func clientKey(name string) string     { return "client/" + name }
func auditKey(seq uint64) string       { return fmt.Sprintf("%016x", seq) }
func stateVersion() byte               { return 2 }

// stateVersion1 is the client state before baselines learnt only from completed payments
// (issue 22): it is read, and rewritten as version 2 on the next flush.
const stateVersion1 = 1

func errCorrupt(key string, why string) error {
	return fmt.Errorf("risk state %s: %s", key, why)
}

// encodeWindows writes only the non-empty buckets: most of a quiet entity's 226 are empty.
func encodeWindows(b []byte, w *windows) []byte {
	for i := range w {
		r := &w[i]
		b = binary.BigEndian.AppendUint64(b, uint64(r.head))
		var n uint16
		for _, bk := range r.buckets {
			if bk.count > 0 {
				n++
			}
		}
		b = binary.BigEndian.AppendUint16(b, n)
		for _, bk := range r.buckets {
			if bk.count > 0 {
				b = binary.BigEndian.AppendUint64(b, uint64(bk.epoch))
				b = binary.BigEndian.AppendUint64(b, bk.count)
				b = bk.amount.appendBinary(b)
			}
		}
	}
	return b
}

type reader struct {
	b   []byte
	err bool
}

func (r *reader) u64() uint64 {
	if len(r.b) < 8 {
		r.err = true
		return 0
	}
	v := binary.BigEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) u16() uint16 {
	if len(r.b) < 2 {
		r.err = true
		return 0
	}
	v := binary.BigEndian.Uint16(r.b)
	r.b = r.b[2:]
	return v
}

func (r *reader) amount() Amount { return Amount{r.u64(), r.u64()} }

func decodeWindows(r *reader, w *windows) {
	for i := range w {
		rg := &w[i]
		rg.head = int64(r.u64())
		n := int(r.u16())
		if n > len(rg.buckets) {
			r.err = true
			return
		}
		for range n {
			bk := bucket{epoch: int64(r.u64()), count: r.u64(), amount: r.amount()}
			if r.err {
				return
			}
			// A bucket outside the window (or from the future) is dropped, not trusted.
			if bk.epoch < 0 || bk.epoch > rg.head || bk.epoch <= rg.head-int64(len(rg.buckets)) {
				continue
			}
			slot := &rg.buckets[bk.epoch%int64(len(rg.buckets))]
			if slot.count > 0 { // the same bucket twice: the record is not ours
				r.err = true
				return
			}
			*slot = bk
			rg.count += bk.count
			rg.amount = rg.amount.Add(bk.amount)
		}
	}
}

func (cs *clientState) encode() []byte {
	b := []byte{stateVersion()}
	b = binary.BigEndian.AppendUint64(b, uint64(cs.day))
	b = cs.spent.appendBinary(b)
	bl := &cs.base
	b = binary.BigEndian.AppendUint64(b, bl.attempts)
	b = binary.BigEndian.AppendUint64(b, bl.approved)
	b = binary.BigEndian.AppendUint64(b, uint64(bl.last))
	b = binary.BigEndian.AppendUint64(b, uint64(bl.shortRun))
	b = binary.BigEndian.AppendUint64(b, floatBits(bl.gapEWMA))
	b = binary.BigEndian.AppendUint64(b, floatBits(bl.usual))
	b = binary.BigEndian.AppendUint64(b, uint64(bl.lastDone))
	b = binary.BigEndian.AppendUint64(b, floatBits(bl.excess))
	b = binary.BigEndian.AppendUint64(b, uint64(bl.excessAt))
	b = binary.BigEndian.AppendUint64(b, uint64(bl.rateRun))
	return encodeWindows(b, &cs.w)
}

func (cs *clientState) decode(key string, v []byte) error {
	if len(v) == 0 || (v[0] != stateVersion() && v[0] != stateVersion1) {
		return errCorrupt(key, "unknown version")
	}
	r := &reader{b: v[1:]}
	cs.day = int64(r.u64())
	cs.spent = r.amount()
	bl := &cs.base
	bl.attempts, bl.approved, bl.last = r.u64(), r.u64(), int64(r.u64())
	bl.shortRun = int(r.u64())
	bl.gapEWMA, bl.usual = floatFrom(r.u64()), floatFrom(r.u64())
	if v[0] == stateVersion1 {
		// Version 1 learnt from attempts; its last attempt stands in for the last payment.
		bl.lastDone = bl.last
	} else {
		bl.lastDone = int64(r.u64())
		bl.excess, bl.excessAt = floatFrom(r.u64()), int64(r.u64())
		bl.rateRun = int(min(r.u64(), sustainedRateRun+1))
		if math.IsNaN(bl.excess) || bl.excess < 0 {
			bl.excess = 0
		}
	}
	decodeWindows(r, &cs.w)
	if r.err {
		return errCorrupt(key, "truncated")
	}
	return nil
}

// load reads every persisted piece of state. Configured clients come from the file,
// overridden by admin-set configs; state for clients no longer configured is ignored.
func (e *Engine) load() error {
	overrides, err := e.store.ListMeta(nsClients)
	if err != nil {
		return fmt.Errorf("risk: load client configs: %w", err)
	}
	deleted, err := e.store.ListMeta(nsDeleted)
	if err != nil {
		return fmt.Errorf("risk: load deleted clients: %w", err)
	}
	for _, m := range deleted {
		delete(e.cfg.Clients, m.Key)
		delete(e.clients, m.Key)
	}
	for _, m := range overrides {
		c, err := parseClientConfig(m.Value)
		if err == nil {
			c, err = c.normalized(m.Key)
		}
		if err != nil {
			return fmt.Errorf("risk: stored config of client %s: %w", m.Key, err)
		}
		e.cfg.Clients[m.Key] = c
		if cs := e.clients[m.Key]; cs != nil {
			cs.cfg = c
		} else {
			e.clients[m.Key] = newClientState(m.Key, c)
		}
	}
	// The file and the overrides were each checked alone; together they must still map
	// every token to one client, or a payment would be charged to either at random.
	if err := e.cfg.checkTokenHashes(); err != nil {
		return fmt.Errorf("risk: the config file and the clients set through the API: %w", err)
	}
	states, err := e.store.ListMeta(nsState)
	if err != nil {
		return fmt.Errorf("risk: load state: %w", err)
	}
	for _, m := range states {
		kind, id, _ := strings.Cut(m.Key, "/")
		switch kind {
		case "client":
			if cs := e.client(id); cs != nil {
				if err := cs.decode(m.Key, m.Value); err != nil {
					return err
				}
			}
		case "party", "channel":
			raw, err := hex.DecodeString(id)
			if err != nil {
				return errCorrupt(m.Key, "bad key")
			}
			var ent *entity
			if kind == "party" && len(raw) == common.AddressLength {
				a := common.BytesToAddress(raw)
				ent = e.entityFor(&a, nil)
			} else if kind == "channel" && len(raw) == len(channel.ID{}) {
				var cid channel.ID
				copy(cid[:], raw)
				ent = e.entityFor(nil, &cid)
			} else {
				return errCorrupt(m.Key, "bad key")
			}
			r := &reader{b: m.Value}
			decodeWindows(r, &ent.w)
			if r.err {
				return errCorrupt(m.Key, "truncated")
			}
		}
	}
	known, err := e.store.ListMeta(nsKnown)
	if err != nil {
		return fmt.Errorf("risk: load known counterparties: %w", err)
	}
	for _, m := range known {
		cs := e.client(m.Key)
		if cs == nil {
			continue
		}
		for v := m.Value; len(v) >= common.AddressLength && len(cs.known) < maxKnownCounterparties; v = v[common.AddressLength:] {
			cs.known[common.BytesToAddress(v[:common.AddressLength])] = struct{}{}
		}
	}
	devices, err := e.store.ListMeta(nsDevices)
	if err != nil {
		return fmt.Errorf("risk: load devices: %w", err)
	}
	for _, m := range devices {
		if cs := e.client(m.Key); cs != nil && len(m.Value) == common.AddressLength {
			cs.device, cs.hasDevice = common.BytesToAddress(m.Value), true
		}
	}
	if err := e.loadEnrollments(); err != nil {
		return err
	}
	return e.audit.load(e.store)
}

// Flush group-commits every piece of state changed since the last flush and the audit
// events recorded since. Without a store it does nothing.
func (e *Engine) Flush(ctx context.Context) error {
	if e.store == nil {
		return nil
	}
	// One flush at a time: the audit trail reuses the slice of the previous drain.
	e.flushMu.Lock()
	defer e.flushMu.Unlock()
	e.dirtyMu.Lock()
	refs := e.dirty
	e.dirty = nil
	e.dirtyMu.Unlock()
	b := store.NewBatch()
	for _, ref := range refs {
		if cs := ref.client; cs != nil {
			cs.mu.Lock()
			cs.dirty = false
			v := cs.encode()
			var known []byte
			if cs.knownNew {
				cs.knownNew = false
				known = make([]byte, 0, len(cs.known)*common.AddressLength)
				for a := range cs.known {
					known = append(known, a[:]...)
				}
			}
			cs.mu.Unlock()
			_ = b.PutMeta(nsState, clientKey(cs.name), v)
			if known != nil {
				_ = b.PutMeta(nsKnown, cs.name, known)
			}
			continue
		}
		ent := ref.ent
		ent.mu.Lock()
		ent.dirty = false
		v := encodeWindows(nil, &ent.w)
		ent.mu.Unlock()
		_ = b.PutMeta(nsState, ent.key, v)
	}
	e.audit.drain(b)
	if b.Len() == 0 {
		return b.Err()
	}
	if err := b.Err(); err != nil {
		return fmt.Errorf("risk: flush: %w", err)
	}
	if err := e.store.Commit(ctx, b); err != nil {
		// Put the states back so the next flush retries them.
		e.requeue(refs)
		return fmt.Errorf("risk: flush %d records: %w", b.Len(), err)
	}
	return nil
}

// Persist makes an approval durable before the payment is signed, when the policy asks
// for DurableReservations; otherwise the next periodic flush takes it. Concurrent callers
// share flushes: a caller whose state an earlier flush already wrote finds nothing to do.
func (e *Engine) Persist(ctx context.Context, d *Decision) error {
	e.mu.RLock()
	durable := e.cfg.DurableReservations
	e.mu.RUnlock()
	if !durable || e.store == nil || !d.res.active {
		return nil
	}
	return e.Flush(ctx)
}

func (e *Engine) requeue(refs []dirtyRef) {
	for _, ref := range refs {
		if ref.client != nil {
			ref.client.mu.Lock()
			ref.client.markDirty(e)
			ref.client.mu.Unlock()
		} else {
			ref.ent.mu.Lock()
			ref.ent.markDirty(e)
			ref.ent.mu.Unlock()
		}
	}
}

// Run flushes every FlushInterval until ctx ends, then flushes once more so a clean
// shutdown loses nothing.
func (e *Engine) Run(ctx context.Context) error {
	e.mu.RLock()
	every := time.Duration(e.cfg.FlushInterval)
	e.mu.RUnlock()
	t := time.NewTicker(every)
	defer t.Stop()
	lastEvict := e.now()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return e.Flush(final)
		case <-t.C:
			if err := e.Flush(ctx); err != nil && !errors.Is(err, context.Canceled) {
				e.log.Error("risk: flush failed; state stays queued", "err", err)
			}
			if e.now().Sub(lastEvict) >= evictEvery {
				lastEvict = e.now()
				if _, err := e.EvictIdle(ctx); err != nil && !errors.Is(err, context.Canceled) {
					e.log.Warn("risk: evicting idle records failed", "err", err)
				}
			}
		}
	}
}

func (e *Engine) persistDevice(client string, device common.Address) error {
	if e.store == nil {
		return nil
	}
	b := store.NewBatch()
	if err := b.PutMeta(nsDevices, client, device[:]); err != nil {
		return err
	}
	return e.store.Commit(context.Background(), b)
}

func floatBits(f float64) uint64 { return math.Float64bits(f) }
func floatFrom(u uint64) float64 { return math.Float64frombits(u) }
