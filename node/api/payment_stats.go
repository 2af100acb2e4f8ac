package api

import (
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/sluicepay/sluice/node"
)

// Sizes of the payment statistics the dashboard charts (sluice_paymentStats).
const (
	statsMinutes   = 24 * 60 // per-minute buckets kept: one day
	statsLatencies = 1024    // outgoing latencies kept for the percentiles
	statsRecent    = 100     // latest payments kept
)

// paymentStats folds the node's payment stream into per-minute buckets, recent latencies
// and the latest payments, since the API server started. It is fed by one goroutine
// (Server.runPaymentStats) and read by sluice_paymentStats.
type paymentStats struct {
	mu        sync.Mutex
	buckets   [statsMinutes]statsBucket // indexed by unix minute mod statsMinutes
	latencies []time.Duration           // ring of the last statsLatencies outgoing ones
	latNext   int
	recent    []Payment // ring of the last statsRecent payments
	recNext   int
	since     time.Time
}

type statsBucket struct {
	minute            int64 // unix minute the bucket holds; another value = stale
	sent, received    uint64
	volSent, volRecvd big.Int
}

func newPaymentStats(now time.Time) *paymentStats { return &paymentStats{since: now.UTC()} }

func (s *paymentStats) add(p node.PaymentView) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := p.Time.Unix() / 60
	b := &s.buckets[m%statsMinutes]
	if b.minute != m {
		*b = statsBucket{minute: m}
	}
	amount := p.Amount
	if amount == nil {
		amount = new(big.Int)
	}
	if p.Direction == node.Outgoing {
		b.sent++
		b.volSent.Add(&b.volSent, amount)
		if p.Latency > 0 {
			if len(s.latencies) < statsLatencies {
				s.latencies = append(s.latencies, p.Latency)
			} else {
				s.latencies[s.latNext] = p.Latency
			}
			s.latNext = (s.latNext + 1) % statsLatencies
		}
	} else {
		b.received++
		b.volRecvd.Add(&b.volRecvd, amount)
	}
	pj := paymentJSON(p)
	if len(s.recent) < statsRecent {
		s.recent = append(s.recent, pj)
	} else {
		s.recent[s.recNext] = pj
	}
	s.recNext = (s.recNext + 1) % statsRecent
}

// PaymentBucket is one time slice of the payment chart.
type PaymentBucket struct {
	Start          time.Time `json:"start"`
	Sent           uint64    `json:"sent"`
	Received       uint64    `json:"received"`
	VolumeSent     Amount    `json:"volumeSent"`     // base units, every token summed
	VolumeReceived Amount    `json:"volumeReceived"` // base units, every token summed
}

// LatencySummary gives percentiles of the recent outgoing payment latencies (request to
// the peer's Ack), in microseconds.
type LatencySummary struct {
	Samples int   `json:"samples"`
	P50     int64 `json:"p50Micros"`
	P90     int64 `json:"p90Micros"`
	P99     int64 `json:"p99Micros"`
	Max     int64 `json:"maxMicros"`
}

// PaymentStats is the result of sluice_paymentStats.
type PaymentStats struct {
	Since   time.Time       `json:"since"`   // when counting started (the API server's start)
	Minutes []PaymentBucket `json:"minutes"` // the last 60 minutes, oldest first
	Hours   []PaymentBucket `json:"hours"`   // the last 24 hours, oldest first
	Latency LatencySummary  `json:"latency"`
	Recent  []Payment       `json:"recent"` // the last 100 payments, newest first
}

func (s *paymentStats) snapshot(now time.Time) PaymentStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	nowMin := now.Unix() / 60
	out := PaymentStats{Since: s.since}
	for m := nowMin - 59; m <= nowMin; m++ {
		out.Minutes = append(out.Minutes, s.sumLocked(m, m))
	}
	nowHour := nowMin / 60
	for h := nowHour - 23; h <= nowHour; h++ {
		out.Hours = append(out.Hours, s.sumLocked(h*60, h*60+59))
	}
	out.Latency = summarize(s.latencies)
	for i := range len(s.recent) {
		j := (s.recNext - 1 - i + statsRecent) % statsRecent
		out.Recent = append(out.Recent, s.recent[j])
	}
	if out.Recent == nil {
		out.Recent = []Payment{}
	}
	return out
}

// sumLocked adds up the buckets of unix minutes from..to. Callers hold mu.
func (s *paymentStats) sumLocked(from, to int64) PaymentBucket {
	var sent, recvd big.Int
	out := PaymentBucket{Start: time.Unix(from*60, 0).UTC()}
	for m := from; m <= to; m++ {
		if m < 0 {
			continue
		}
		b := &s.buckets[m%statsMinutes]
		if b.minute != m {
			continue
		}
		out.Sent += b.sent
		out.Received += b.received
		sent.Add(&sent, &b.volSent)
		recvd.Add(&recvd, &b.volRecvd)
	}
	out.VolumeSent, out.VolumeReceived = NewAmount(&sent), NewAmount(&recvd)
	return out
}

func summarize(lat []time.Duration) LatencySummary {
	if len(lat) == 0 {
		return LatencySummary{}
	}
	sorted := slices.Clone(lat)
	slices.Sort(sorted)
	at := func(q float64) int64 {
		i := int(q * float64(len(sorted)-1))
		return sorted[i].Microseconds()
	}
	return LatencySummary{Samples: len(sorted), P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: sorted[len(sorted)-1].Microseconds()}
}

// runPaymentStats feeds stats from the node's payment stream until the server stops.
func (s *Server) runPaymentStats() {
	ch := make(chan node.PaymentView, subscriptionBuffer)
	unsubscribe := s.backend.SubscribePayments(ch)
	s.subs.Add(1)
	go func() {
		defer s.subs.Done()
		defer unsubscribe()
		for {
			select {
			case p := <-ch:
				s.stats.add(p)
			case <-s.quit:
				return
			}
		}
	}()
}
