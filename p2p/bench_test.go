package p2p

import (
	"context"
	"math/big"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rlp"
)

func BenchmarkEncodePay(b *testing.B) {
	enc, pay := NewEncoder(), samplePay()
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = enc.AppendFrame(buf[:0], pay)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkDecodePay(b *testing.B) {
	payload := encodeOne(b, samplePay())
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if _, err := DecodeMessage(payload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeAck(b *testing.B) {
	payload := encodeOne(b, &Ack{Channel: testID(1), Nonce: 99})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeMessage(payload); err != nil {
			b.Fatal(err)
		}
	}
}

// unlimited lifts the abuse rate limit, which a benchmark flooding a peer with
// unsigned messages (faster than any real payment stream) would trip.
func unlimited(c *Config) {
	c.Limits.MessageRate = 1e9
	c.Limits.MessageBurst = 1e9
}

// benchPair connects two nodes where b answers every Pay with an Ack and a's
// handler passes each Ack's nonce to onAck.
func benchPair(b *testing.B, onAck func(uint64)) (*testNode, *testNode) {
	a, p := startNode(b, unlimited), startNode(b, unlimited)
	p.h.onMessage = func(from common.Address, m Message) {
		if pay, ok := m.(*Pay); ok {
			p.Send(context.Background(), from, &Ack{Channel: pay.Proof.Channel, Nonce: pay.Proof.Nonce})
		}
	}
	a.h.onMessage = func(_ common.Address, m Message) {
		if ack, ok := m.(*Ack); ok {
			onAck(ack.Nonce)
		}
	}
	connect(b, a, p)
	return a, p
}

// BenchmarkPayAckRoundTrip sends one Pay at a time and waits for its Ack: the
// transport's latency floor on loopback.
func BenchmarkPayAckRoundTrip(b *testing.B) {
	acks := make(chan uint64, 1)
	a, p := benchPair(b, func(n uint64) { acks <- n })
	lat := make([]time.Duration, 0, 1<<16)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := a.Send(ctx, p.Address(), payWithNonce(uint64(i+1))); err != nil {
			b.Fatal(err)
		}
		select {
		case <-acks:
		case <-time.After(10 * time.Second):
			b.Fatalf("no ack for 10s after %d round trips", i)
		}
		if len(lat) < cap(lat) {
			lat = append(lat, time.Since(t0))
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "roundtrips/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkPipelinedPayAck keeps up to 256 Pays in flight (DESIGN §5 pipelining)
// and counts completed round trips.
func BenchmarkPipelinedPayAck(b *testing.B) {
	const window = 256
	var acked atomic.Uint64
	slots := make(chan struct{}, window)
	done := make(chan struct{})
	target := uint64(b.N)
	a, p := benchPair(b, func(uint64) {
		select {
		case <-slots:
		default:
		}
		if acked.Add(1) == target {
			close(done)
		}
	})
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		select {
		case slots <- struct{}{}:
		case <-time.After(10 * time.Second):
			b.Fatalf("no ack for 10s after %d of %d", acked.Load(), b.N)
		}
		if err := a.Send(ctx, p.Address(), payWithNonce(uint64(i+1))); err != nil {
			b.Fatal(err)
		}
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		b.Fatalf("only %d of %d acked", acked.Load(), b.N)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "payments/s")
}

// BenchmarkOneWayPay floods Pays without waiting: raw one-way throughput.
func BenchmarkOneWayPay(b *testing.B) {
	a, p := startNode(b, unlimited), startNode(b, unlimited)
	var got atomic.Uint64
	done := make(chan struct{})
	target := uint64(b.N)
	p.h.onMessage = func(common.Address, Message) {
		if got.Add(1) == target {
			close(done)
		}
	}
	connect(b, a, p)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if err := a.Send(ctx, p.Address(), payWithNonce(uint64(i+1))); err != nil {
			b.Fatal(err)
		}
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		b.Fatalf("only %d of %d delivered", got.Load(), b.N)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// payMirror is Pay as go-ethereum's reflective rlp sees it, for comparison.
type payMirror struct {
	Type uint8
	Body struct {
		Channel     [32]byte
		Nonce       uint64
		Transferred *big.Int
		Sig         [65]byte
		PaymentID   [16]byte
		Memo        []byte
	}
}

// BenchmarkReflectiveRLPPay is the baseline the hand-rolled codec replaces:
// encoding and decoding the same Pay with rlp.EncodeToBytes / rlp.DecodeBytes.
func BenchmarkReflectiveRLPPay(b *testing.B) {
	p := samplePay()
	var m payMirror
	m.Type = uint8(TypePay)
	m.Body.Channel, m.Body.Nonce, m.Body.Transferred = p.Proof.Channel, p.Proof.Nonce, p.Proof.Transferred
	m.Body.Sig, m.Body.PaymentID, m.Body.Memo = p.Proof.Sig, p.PaymentID, p.Memo
	b.ReportAllocs()
	for b.Loop() {
		enc, err := rlp.EncodeToBytes(&m)
		if err != nil {
			b.Fatal(err)
		}
		var out payMirror
		if err := rlp.DecodeBytes(enc, &out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCodecPay is the hand-rolled equivalent of BenchmarkReflectiveRLPPay.
func BenchmarkCodecPay(b *testing.B) {
	enc, p := NewEncoder(), samplePay()
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = enc.AppendFrame(buf[:0], p)
		if _, err := DecodeMessage(buf[2:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPacedPayAck sends Pays at a fixed 5,000/s (the DESIGN §10 latency
// target's load) and reports the Pay→Ack latency distribution.
func BenchmarkPacedPayAck(b *testing.B) {
	const rate = 5000
	sent := make([]time.Time, b.N+1)
	lat := make([]int64, b.N+1) // ns, written once per nonce by a's reader
	var acked atomic.Int64
	done := make(chan struct{})
	a, p := benchPair(b, func(n uint64) {
		if n == 0 || n > uint64(b.N) {
			return
		}
		atomic.StoreInt64(&lat[n], int64(time.Since(sent[n])))
		if acked.Add(1) == int64(b.N) {
			close(done)
		}
	})
	ctx := context.Background()
	interval := time.Second / rate
	b.ResetTimer()
	start := time.Now()
	for i := 1; i <= b.N; i++ {
		// Sleep to the slot; a late slot is sent at once, so the average rate holds
		// even though timers are coarse next to 200µs.
		if wait := time.Until(start.Add(time.Duration(i-1) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		sent[i] = time.Now()
		if err := a.Send(ctx, p.Address(), payWithNonce(uint64(i))); err != nil {
			b.Fatal(err)
		}
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		b.Fatalf("only %d of %d acked", acked.Load(), b.N)
	}
	b.StopTimer()
	ls := make([]time.Duration, 0, b.N)
	for _, ns := range lat[1:] {
		ls = append(ls, time.Duration(atomic.LoadInt64(&ns)))
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i] < ls[j] })
	b.ReportMetric(float64(ls[len(ls)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(ls[len(ls)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(ls[len(ls)-1].Microseconds()), "max-µs")
}
