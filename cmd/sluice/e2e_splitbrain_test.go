package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluicepay/sluice/node/api"
	"github.com/sluicepay/sluice/store/kv/etcdkv/etcdlocal"
)

// etcdProxy forwards TCP to one etcd member; cut drops every connection and refuses new
// ones: a partition between one hub process and that member.
type etcdProxy struct {
	l      net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	isCut  bool
}

func newEtcdProxy(t *testing.T, target string) *etcdProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &etcdProxy{l: l, target: strings.TrimPrefix(target, "http://")}
	t.Cleanup(func() { l.Close(); p.cut() })
	go p.serve()
	return p
}

func (p *etcdProxy) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		up, derr := net.Dial("tcp", p.target)
		if p.isCut || derr != nil {
			p.mu.Unlock()
			c.Close()
			if up != nil {
				up.Close()
			}
			continue
		}
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go func() { io.Copy(up, c); up.Close() }()
		go func() { io.Copy(c, up); c.Close() }()
	}
}

func (p *etcdProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.isCut = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// hubAcks records, from one hub process's own payment stream, when it committed (and so
// acknowledged) each payment it received.
type hubAcks struct {
	mu sync.Mutex
	at map[api.PaymentID]time.Time
}

func watchHubAcks(t *testing.T, n *e2eNode, id api.ChannelID) *hubAcks {
	t.Helper()
	h := &hubAcks{at: map[api.PaymentID]time.Time{}}
	cl, err := api.Dial(context.Background(), strings.Replace(n.api(), "http://", "ws://", 1), n.token(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	ch := make(chan api.Payment, 1024)
	sub, err := cl.SubscribePayments(context.Background(), ch, &id)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sub.Unsubscribe)
	go func() {
		for {
			select {
			case p := <-ch:
				if p.Direction == "received" {
					h.mu.Lock()
					h.at[p.PaymentID] = time.Now()
					h.mu.Unlock()
				}
			case <-sub.Err():
				return
			}
		}
	}()
	return h
}

func (h *hubAcks) span() (n int, first, last time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, at := range h.at {
		if first.IsZero() || at.Before(first) {
			first = at
		}
		if at.After(last) {
			last = at
		}
	}
	return len(h.at), first, last
}

// TestE2EClusteredSplitBrainSeenFromTheWallet is issue 20's split-brain acceptance from a
// real peer: the wallet bob pays the hub over libp2p while the active hub process is cut
// off from every etcd member (TCP proxies). Bob's acknowledged payments, and each hub
// process's own stream of committed receipts, must show that the two processes never
// acknowledged at the same time, and every payment bob saw acknowledged is in the new
// active's ledger exactly once. Bob only ever dialled hubA: hubB is reached through the
// announced addresses.
func TestE2EClusteredSplitBrainSeenFromTheWallet(t *testing.T) {
	t.Parallel()
	etcd, err := etcdlocal.Start(t.TempDir(), 3, etcdlocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(etcd.Close)
	var viaProxy []string
	var proxies []*etcdProxy
	for _, e := range etcd.Endpoints() {
		p := newEtcdProxy(t, e)
		proxies = append(proxies, p)
		viaProxy = append(viaProxy, p.l.Addr().String())
	}
	storeA := "etcd://" + strings.Join(viaProxy, ",")
	storeB := "etcd://" + strings.Join(trimScheme(etcd.Endpoints()), ",")

	chain := startE2EChain(t)
	bob := newE2ENode(t, chain, "bob", 6)
	bob.start(t)
	hubA, hubB := newE2ENode(t, chain, "hubA", 5), newE2ENode(t, chain, "hubB", 5) // same key
	apiA, apiB := freeTCPPort(t), freeTCPPort(t)
	announce := []string{fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", hubA.p2pPort), fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", hubB.p2pPort)}
	pA := hubA.startClustered(t, storeA, apiA, announce)
	hubA.awaitAPI(t, pA, 60*time.Second)
	if err := os.WriteFile(api.TokenPath(hubB.dir), []byte(hubA.token(t)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pB := hubB.startClustered(t, storeB, apiB, announce)

	id := openChannelCLI(t, bob, hubA, ether(1), time.Hour)
	ackA := watchHubAcks(t, hubA, id)

	type ack struct {
		nonce  uint64
		amount *big.Int
		at     time.Time
	}
	var mu sync.Mutex
	acked := map[api.PaymentID]ack{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		cl := bob.client(t)
		for n := int64(1); ; n++ {
			var pid api.PaymentID
			_, _ = rand.Read(pid[:])
			amount := big.NewInt(1_000_000_000 + n)
			for {
				select {
				case <-stop:
					return
				default:
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				p, err := cl.Pay(ctx, api.PayArgs{Channel: &id, Amount: api.NewAmount(amount), PaymentID: &pid})
				cancel()
				if err == nil {
					mu.Lock()
					acked[pid] = ack{nonce: p.Proof.Nonce, amount: amount, at: time.Now()}
					mu.Unlock()
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
	})
	t.Cleanup(func() {
		select {
		case <-stop:
		default:
			close(stop)
		}
		wg.Wait()
	})
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(acked) }
	waitUntil(t, 60*time.Second, "100 payments acknowledged by hubA", func() bool { return count() >= 100 })

	for _, p := range proxies {
		p.cut()
	}
	cutAt := time.Now()
	hubB.awaitAPI(t, pB, 15*time.Second)
	t.Logf("hubB active %s after hubA was cut off from etcd", time.Since(cutAt).Round(time.Millisecond))
	ackB := watchHubAcks(t, hubB, id)
	n0 := count()
	waitUntil(t, 60*time.Second, "100 more payments acknowledged after the takeover", func() bool { return count() >= n0+100 })
	close(stop)
	wg.Wait()

	nA, _, lastA := ackA.span()
	nB, firstB, _ := ackB.span()
	t.Logf("hubA committed %d receipts, the last %s after the cut; hubB's first %s after it", nA, lastA.Sub(cutAt).Round(time.Millisecond), firstB.Sub(cutAt).Round(time.Millisecond))
	if nA == 0 || nB == 0 || !lastA.Before(firstB) {
		t.Fatalf("hubA's receipts (%d, last %s) and hubB's (%d, first %s) overlap: two processes acknowledged at once", nA, lastA, nB, firstB)
	}

	ledger := hubB.payments(t, id)
	_, received := checkLedger(t, "hubB", ledger)
	byID := map[api.PaymentID]int{}
	byNonce := map[uint64]api.Payment{}
	for _, p := range ledger {
		byID[p.PaymentID]++
		if p.Direction == "received" {
			byNonce[p.Proof.Nonce] = p
		}
	}
	mu.Lock()
	defer mu.Unlock()
	total := new(big.Int)
	nonces := map[uint64]bool{}
	ackA.mu.Lock()
	ackB.mu.Lock()
	defer ackA.mu.Unlock()
	defer ackB.mu.Unlock()
	for pid, a := range acked {
		// A proof bob sent to hubA as it was cut off, and sent again in the Sync with
		// hubB, reaches hubB's ledger under a derived payment id (a Sync carries proofs,
		// not payment ids): it is found by its nonce and amount, and it is hubB's.
		viaSync := false
		if byID[pid] == 0 {
			if p, ok := byNonce[a.nonce]; ok && p.Amount.Big().Cmp(a.amount) == 0 {
				viaSync = true
			}
		}
		if byID[pid] != 1 && !viaSync {
			t.Fatalf("payment %s acknowledged to bob (nonce %d) is %d times in the new active's ledger", pid, a.nonce, byID[pid])
		}
		if nonces[a.nonce] {
			t.Fatalf("nonce %d acknowledged twice", a.nonce)
		}
		nonces[a.nonce] = true
		_, byA := ackA.at[pid]
		_, byB := ackB.at[pid]
		byB = byB || viaSync
		if byA == byB && a.at.After(firstB) {
			t.Fatalf("payment %s (nonce %d) acknowledged after the takeover: by hubA %v, by hubB %v", pid, a.nonce, byA, byB)
		}
		if byA && a.at.After(firstB) {
			t.Fatalf("bob's payment %s was acknowledged by hubA after hubB took over", pid)
		}
		total.Add(total, a.amount)
	}
	if received.Cmp(total) != 0 {
		t.Fatalf("new active's ledger received %s; bob was acknowledged %s", received, total)
	}
	t.Logf("bob: %d payments acknowledged, %d by hubA's stream, %d by hubB's", len(acked), nA, nB)
}
