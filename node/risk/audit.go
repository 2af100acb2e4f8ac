package risk

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
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
}

// auditTrail keeps the last capacity decisions in a ring, and the ones not yet persisted.
// Its one mutex is held for a struct copy per decision.
type auditTrail struct {
	mu      sync.Mutex
	ring    []auditRecord
	next    uint64 // seq of the next record; the ring holds seqs [next-len, next)
	filled  int
	pending []auditRecord
	spare   []auditRecord // the previous pending slice, reused to avoid growth
}

func (a *auditTrail) init(capacity int) {
	a.ring = make([]auditRecord, capacity)
	a.next = 1
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
	a.ring[r.seq%uint64(len(a.ring))] = r
	a.filled = min(a.filled+1, len(a.ring))
	// Unflushed events are bounded too: if the store stalls for a whole ring's worth of
	// decisions, later ones stay in memory only.
	if len(a.pending) < len(a.ring) {
		a.pending = append(a.pending, r)
	}
	return r.seq
}

// drain moves the pending events into b and deletes those that fell out of the ring.
func (a *auditTrail) drain(b *store.Batch) {
	a.mu.Lock()
	pending := a.pending
	a.pending = a.spare[:0]
	capacity := uint64(len(a.ring))
	a.mu.Unlock()
	for _, r := range pending {
		v, _ := json.Marshal(r.event())
		_ = b.PutMeta(nsAudit, auditKey(r.seq), v)
		if r.seq > capacity {
			_ = b.DeleteMeta(nsAudit, auditKey(r.seq-capacity))
		}
	}
	a.mu.Lock()
	a.spare = pending[:0]
	a.mu.Unlock()
}

func (r *auditRecord) event() Event {
	return Event{
		Seq: r.seq, Time: time.Unix(0, r.at).UTC(), Client: r.client,
		Channel: "0x" + hex.EncodeToString(r.ch[:]), Counterparty: r.counterparty, Amount: r.amount,
		PaymentID: "0x" + hex.EncodeToString(r.paymentID[:]),
		Outcome:   r.outcome.String(), Reasons: r.reasons.Strings(), Score: r.score,
	}
}

func (a *auditTrail) load(s Store) error {
	entries, err := s.ListMeta(nsAudit)
	if err != nil {
		return fmt.Errorf("risk: load audit trail: %w", err)
	}
	for _, m := range entries {
		var ev Event
		if err := json.Unmarshal(m.Value, &ev); err != nil {
			return fmt.Errorf("risk: audit event %s: %w", m.Key, err)
		}
		r := auditRecord{seq: ev.Seq, at: ev.Time.UnixNano(), client: ev.Client, counterparty: ev.Counterparty,
			amount: ev.Amount, reasons: ParseReasonSet(ev.Reasons), score: ev.Score}
		r.outcome, _ = ParseOutcome(ev.Outcome)
		decodeHexInto(r.ch[:], ev.Channel)
		decodeHexInto(r.paymentID[:], ev.PaymentID)
		a.ring[r.seq%uint64(len(a.ring))] = r
		a.filled = min(a.filled+1, len(a.ring))
		a.next = max(a.next, r.seq+1)
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
	defer a.mu.Unlock()
	out := make([]Event, 0, min(f.Limit, a.filled))
	for i := 0; i < a.filled && len(out) < f.Limit; i++ {
		seq := a.next - 1 - uint64(i)
		if seq == 0 || seq <= f.After {
			break
		}
		r := &a.ring[seq%uint64(len(a.ring))]
		if r.seq != seq {
			continue
		}
		if (f.Client != "" && r.client != f.Client) || (f.Outcome != "" && r.outcome.String() != f.Outcome) {
			continue
		}
		out = append(out, r.event())
	}
	return out
}
