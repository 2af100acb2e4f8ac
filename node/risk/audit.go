package risk

import (
	"cmp"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// Event is one decision in the audit trail.
type Event struct {
	Seq          uint64         `json:"seq"`
	Time         time.Time      `json:"time"`
	Client       string         `json:"client"`
	Channel      string         `json:"channel"`
	Counterparty common.Address `json:"counterparty"`
	Amount       Amount         `json:"amount"`
	PaymentID    string         `json:"paymentId"`
	Outcome      string         `json:"outcome"`
	Reasons      []string       `json:"reasons"`
	Score        int            `json:"score"`
}

// auditRecord is an Event before formatting: fixed-size, so recording a decision does not
// allocate; strings are built only when someone reads the trail.
type auditRecord struct {
	seq          uint64
	at           int64
	client       string
	ch           channel.ID
	counterparty common.Address
	amount       Amount
	paymentID    [16]byte
	outcome      Outcome
	reasons      ReasonSet
	score        int
	action       string // a device enrollment or revocation instead of a decision
}

// auditTrail keeps, per client, that client's last capacity decisions. Rings are per
// client so that no client, however many requests it makes, can evict another client's
// events (issue 22, finding 3). The store gets every record still in a ring with a seq above
// the last flush, so what is persisted is exactly what the rings hold. Its one mutex is held
// for a struct copy per decision.
type auditTrail struct {
	mu       sync.Mutex
	capacity int
	rings    map[string]*auditRing
	next     uint64   // seq of the next record, over all clients
	flushed  uint64   // every seq up to this one has been handed to the store
	evicted  []uint64 // persisted seqs that fell out of their client's ring, to delete
}

// auditRing is one client's records, oldest first, as a circular buffer that grows to the
// trail's capacity as it fills.
type auditRing struct {
	recs  []auditRecord
	start int
}

func (r *auditRing) len() int { return len(r.recs) }

// at returns the i-th oldest record.
func (r *auditRing) at(i int) *auditRecord { return &r.recs[(r.start+i)%len(r.recs)] }

// push appends rec and returns the record it displaced, if the ring was full.
func (r *auditRing) push(rec auditRecord, capacity int) (auditRecord, bool) {
	if len(r.recs) < capacity {
		r.recs = append(r.recs, rec)
		return auditRecord{}, false
	}
	old := r.recs[r.start]
	r.recs[r.start] = rec
	r.start = (r.start + 1) % len(r.recs)
	return old, true
}

func (a *auditTrail) init(capacity int) {
	a.capacity = capacity
	a.rings = make(map[string]*auditRing)
	a.next = 1
}

// add puts r in its client's ring; the caller holds a.mu.
func (a *auditTrail) add(r auditRecord) {
	ring := a.rings[r.client]
	if ring == nil {
		ring = &auditRing{}
		a.rings[r.client] = ring
	}
	// A displaced record that never reached the store needs no delete. The bound keeps a
	// stalled store from growing this list; a delete it drops is redone at the next load,
	// which evicts the same record again.
	if old, displaced := ring.push(r, a.capacity); displaced && old.seq <= a.flushed && len(a.evicted) < 4*a.capacity {
		a.evicted = append(a.evicted, old.seq)
	}
}

// action records an operator- or enrollment-driven change to client's device in the
// client's trail; device is the key bound or unbound (shown as the counterparty).
func (a *auditTrail) action(client, what string, device common.Address, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.add(auditRecord{seq: a.next, at: now.UnixNano(), client: client, counterparty: device, action: what})
	a.next++
}

func (a *auditTrail) record(req Request, d *Decision, now time.Time) uint64 {
	r := auditRecord{
		at: now.UnixNano(), client: req.Client, ch: req.Channel, counterparty: req.Counterparty,
		paymentID: req.PaymentID, outcome: d.Outcome, reasons: d.Reasons, score: d.Score,
	}
	r.amount, _ = AmountFromBig(req.Amount)
	a.mu.Lock()
	defer a.mu.Unlock()
	r.seq = a.next
	a.next++
	a.add(r)
	return r.seq
}

// drain writes into b every ring record newer than the last drain, and deletes the
// persisted records that fell out of their rings. Records are copied under the mutex and
// formatted outside it, so decisions do not wait for JSON.
func (a *auditTrail) drain(b *store.Batch) {
	a.mu.Lock()
	var fresh []auditRecord
	for _, ring := range a.rings {
		for i := ring.len() - 1; i >= 0; i-- {
			r := ring.at(i)
			if r.seq <= a.flushed {
				break
			}
			fresh = append(fresh, *r)
		}
	}
	evicted := a.evicted
	a.evicted = nil
	a.flushed = a.next - 1
	a.mu.Unlock()
	for i := range fresh {
		v, _ := json.Marshal(fresh[i].event())
		_ = b.PutMeta(nsAudit, auditKey(fresh[i].seq), v)
	}
	for _, seq := range evicted {
		_ = b.DeleteMeta(nsAudit, auditKey(seq))
	}
}

func (r *auditRecord) event() Event {
	return Event{
		Seq: r.seq, Time: time.Unix(0, r.at).UTC(), Client: r.client,
		Channel: "0x" + hex.EncodeToString(r.ch[:]), Counterparty: r.counterparty, Amount: r.amount,
		PaymentID: "0x" + hex.EncodeToString(r.paymentID[:]),
		Outcome:   r.outcomeName(), Reasons: r.reasons.Strings(), Score: r.score,
	}
}

// outcomeName is what an event's outcome field says: the decision, or the device action.
func (r *auditRecord) outcomeName() string {
	if r.action != "" {
		return r.action
	}
	return r.outcome.String()
}

func (a *auditTrail) load(s Store) error {
	entries, err := s.ListMeta(nsAudit)
	if err != nil {
		return fmt.Errorf("risk: load audit trail: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	// Keys are the hex seq, so entries come oldest first and each ring keeps its newest.
	for _, m := range entries {
		var ev Event
		if err := json.Unmarshal(m.Value, &ev); err != nil {
			return fmt.Errorf("risk: audit event %s: %w", m.Key, err)
		}
		r := auditRecord{seq: ev.Seq, at: ev.Time.UnixNano(), client: ev.Client, counterparty: ev.Counterparty,
			amount: ev.Amount, reasons: ParseReasonSet(ev.Reasons), score: ev.Score}
		var known bool
		if r.outcome, known = ParseOutcome(ev.Outcome); !known {
			r.action = ev.Outcome
		}
		decodeHexInto(r.ch[:], ev.Channel)
		decodeHexInto(r.paymentID[:], ev.PaymentID)
		a.next = max(a.next, r.seq+1)
		a.flushed = a.next - 1 // loaded records are in the store already
		a.add(r)
	}
	return nil
}

func decodeHexInto(dst []byte, s string) {
	if len(s) == 2+2*len(dst) {
		_, _ = hex.Decode(dst, []byte(s[2:]))
	}
}

// EventFilter selects audit events; zero fields match everything.
type EventFilter struct {
	Client  string
	Outcome string
	After   uint64 // only events with a larger seq
	Limit   int    // newest first; 0 = 100
}

// Events returns audit events, newest first.
func (e *Engine) Events(f EventFilter) []Event {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	a := &e.audit
	a.mu.Lock()
	var picked []*auditRecord
	for client, ring := range a.rings {
		if f.Client != "" && client != f.Client {
			continue
		}
		n := 0
		for i := ring.len() - 1; i >= 0 && n < f.Limit; i-- {
			r := ring.at(i)
			if r.seq <= f.After {
				break
			}
			if f.Outcome != "" && r.outcomeName() != f.Outcome {
				continue
			}
			picked = append(picked, r)
			n++
		}
	}
	slices.SortFunc(picked, func(x, y *auditRecord) int { return cmp.Compare(y.seq, x.seq) })
	out := make([]Event, 0, min(f.Limit, len(picked)))
	for _, r := range picked[:min(f.Limit, len(picked))] {
		out = append(out, r.event())
	}
	a.mu.Unlock()
	return out
}
