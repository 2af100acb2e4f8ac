package node

import (
	"context"
	"math/big"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
)

// honestLoad pays 1 unit at a time from n over id with workers callers until stop, and
// reports payments per second and the p99 latency.
func honestLoad(t testing.TB, n *Node, id channel.ID, workers int, stop <-chan struct{}) (perSec float64, p99 time.Duration) {
	var (
		mu   sync.Mutex
		lats []time.Duration
		wg   sync.WaitGroup
		errs atomic.Int64
	)
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				t0 := time.Now()
				_, err := n.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(1)})
				cancel()
				if err != nil {
					errs.Add(1)
					continue
				}
				d := time.Since(t0)
				mu.Lock()
				lats = append(lats, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if e := errs.Load(); e > 0 {
		t.Errorf("%d honest payments failed", e)
	}
	slices.Sort(lats)
	if len(lats) == 0 {
		return 0, 0
	}
	return float64(len(lats)) / time.Since(start).Seconds(), lats[len(lats)*99/100]
}

func rssKiB() int {
	raw, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			v, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return v
		}
	}
	return 0
}

// TestFloodsLeaveTheHonestPairServed measures issue 15's acceptance: while one peer (or
// SLUICE_FLOOD_IDENTITIES of them) floods the victim at its maximum rate, an honest
// pair keeps paying; its payments/s and p99 are compared with a baseline, the time to
// ban is measured, and RSS and goroutines are compared after the attack. It takes
// about a minute, so it runs only with SLUICE_FLOOD=1:
//
//	SLUICE_FLOOD=1 go test ./node -run TestFloodsLeaveTheHonestPairServed -v -count=1
func TestFloodsLeaveTheHonestPairServed(t *testing.T) {
	if os.Getenv("SLUICE_FLOOD") == "" {
		t.Skip("flood measurement; run with SLUICE_FLOOD=1 (docs/abuse.md)")
	}
	identities := 300
	if v, err := strconv.Atoi(os.Getenv("SLUICE_FLOOD_IDENTITIES")); err == nil && v > 0 {
		identities = v
	}
	const (
		workers = 4
		period  = 3 * time.Second
	)
	tn := newTestNet(t)
	victim := tn.startNode(1, nodeOpts{})
	honest := tn.startNode(2, nodeOpts{})
	id := openChannel(t, honest, victim, eth(1), nil, time.Hour)
	mustPay(t, honest, id, 1)

	measure := func() (float64, time.Duration) {
		stop := make(chan struct{})
		time.AfterFunc(period, func() { close(stop) })
		return honestLoad(t, honest, id, workers, stop)
	}
	settle := func() (int, int) {
		runtime.GC()
		time.Sleep(500 * time.Millisecond)
		return runtime.NumGoroutine(), rssKiB()
	}
	measure() // warm up
	baseRate, baseP99 := measure()
	baseG, baseRSS := settle()
	t.Logf("baseline: %.0f payments/s, p99 %s, %d goroutines, RSS %d KiB", baseRate, baseP99, baseG, baseRSS)

	type flood struct {
		name   string
		attack func(stop <-chan struct{}) time.Duration // returns time to the first ban or 0
	}
	floodOne := func(next func() p2p.Message) func(stop <-chan struct{}) time.Duration {
		return func(stop <-chan struct{}) time.Duration {
			a := newAttacker(t, victim)
			defer a.h.Close()
			return a.flood(t, victim, period, next)
		}
	}
	// floodMany: identities attackers, each flooding until banned, 32 at a time.
	floodMany := func(next func() p2p.Message) func(stop <-chan struct{}) time.Duration {
		return func(stop <-chan struct{}) time.Duration {
			var worst atomic.Int64
			sem := make(chan struct{}, 32)
			var wg sync.WaitGroup
			for range identities {
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					a := newAttacker(t, victim)
					defer a.h.Close()
					start := time.Now()
					for time.Since(start) < period {
						batch := []p2p.Message{next(), next(), next(), next(), next(), next(), next(), next()}
						if err := a.write(t, batch...); err != nil {
							break
						}
					}
					if d := int64(time.Since(start)); d > worst.Load() {
						worst.Store(d)
					}
				}()
			}
			wg.Wait()
			return time.Duration(worst.Load())
		}
	}
	halfOpenMany := func(stop <-chan struct{}) time.Duration {
		var wg sync.WaitGroup
		sem := make(chan struct{}, 32)
		frame, _ := p2p.NewEncoder().AppendFrame(nil, unknownChannelPay())
		for range identities {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				a := newAttacker(t, victim)
				a.st.Write(frame[:len(frame)/2])
			}()
		}
		wg.Wait()
		start := time.Now()
		before := victim.transport.Stats().FrameTimeouts
		for victim.transport.Stats().FrameTimeouts-before < uint64(identities) && time.Since(start) < 30*time.Second {
			time.Sleep(50 * time.Millisecond)
		}
		return time.Since(start) // until every half-open session was reaped
	}
	floods := []flood{
		{"1 OpenPropose, one peer that never reads", floodOne(randomProposal)},
		{"2 Pay into unknown channels, one peer", floodOne(unknownChannelPay)},
		{"1 OpenPropose, " + strconv.Itoa(identities) + " identities", floodMany(randomProposal)},
		{"2 Pay into unknown channels, " + strconv.Itoa(identities) + " identities", floodMany(unknownChannelPay)},
		{"3 half-open sessions, " + strconv.Itoa(identities) + " identities", halfOpenMany},
	}
	for _, f := range floods {
		stop := make(chan struct{})
		var (
			rate float64
			p99  time.Duration
			done = make(chan struct{})
		)
		go func() { defer close(done); rate, p99 = honestLoad(t, honest, id, workers, stop) }()
		peakRSS := rssKiB()
		banned := f.attack(stop)
		peakRSS = max(peakRSS, rssKiB())
		close(stop)
		<-done
		g, rss := settle()
		deadline := time.Now().Add(15 * time.Second)
		for (g > baseG+10 || rss > baseRSS*6/5) && time.Now().Before(deadline) {
			time.Sleep(time.Second)
			g, rss = settle()
		}
		s := victim.transport.Stats()
		t.Logf("flood %s: honest %.0f payments/s (%.0f%% of baseline), p99 %s (%.2fx); ban/reap after %s; RSS peak %d KiB, after %d KiB (%+.0f%%); goroutines after %d (baseline %d); bans %v, refused sessions %v",
			f.name, rate, 100*rate/baseRate, p99, float64(p99)/float64(baseP99), banned, peakRSS, rss, 100*float64(rss-baseRSS)/float64(baseRSS), g, baseG, s.Bans, s.Refused)
		if rate < 0.8*baseRate {
			t.Errorf("flood %s: honest rate %.0f/s below 80%% of %.0f/s", f.name, rate, baseRate)
		}
		if p99 > 2*baseP99 {
			t.Errorf("flood %s: honest p99 %s above twice %s", f.name, p99, baseP99)
		}
		if g > baseG+10 {
			t.Errorf("flood %s: goroutines %d after, baseline %d", f.name, g, baseG)
		}
		if rss > baseRSS*6/5 {
			t.Errorf("flood %s: RSS %d KiB after, baseline %d KiB", f.name, rss, baseRSS)
		}
	}
}
