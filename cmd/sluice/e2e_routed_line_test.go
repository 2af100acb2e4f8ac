package main

// The three-node line of the routed end-to-end tests and the process controls they use
// (SIGSTOP/SIGCONT, pay calls left running in the background).

import (
	"fmt"
	"math/big"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/node/api"
)

// line is wallet -> hub -> shop, the hub charging fee, with the route learnt.
type line struct {
	*routedNet
	wallet, hub, shop *e2eNode
	wh, hs            *routedChan
	cl                *api.Client // the wallet's API
	path              []*e2eNode
}

func newLine(t *testing.T, margin, period time.Duration, fee feeModel) *line {
	t.Helper()
	start := time.Now()
	r := newRoutedNet(t, margin)
	r.period = period
	l := &line{routedNet: r}
	l.hub = r.hub(t, "hub", 1, fee)
	l.shop = r.wallet(t, "shop", 2)
	l.wallet = r.wallet(t, "wallet", 3)
	l.wh = r.open(t, l.wallet, l.hub, ether(1))
	l.hs = r.open(t, l.hub, l.shop, ether(1))
	l.cl = r.client(t, l.wallet)
	l.path = []*e2eNode{l.wallet, l.hub, l.shop}
	waitRoute(t, l.cl, l.path, big.NewInt(1))
	t.Logf("wallet -> hub -> shop up in %s", time.Since(start).Round(time.Millisecond))
	return l
}

// pay pays amount to the shop through the hub, requires success and moves the model.
func (l *line) pay(t *testing.T, amount *big.Int) {
	t.Helper()
	m := l.model(l.path, amount)
	p, err := payAPI(l.cl, l.shop, payeeInvoice(t, l.shop, amount), amount, m.sum, 30*time.Second)
	if err != nil {
		t.Fatalf("pay %s to the shop: %v", amount, err)
	}
	l.checkQuote(t, l.path, m, amount, p)
	l.apply(t, l.path, m)
}

// nonces is every node's view of every channel's latest proof nonces.
func (r *routedNet) nonces(t *testing.T) map[string][2]uint64 {
	t.Helper()
	out := map[string][2]uint64{}
	for _, c := range r.chans {
		for _, n := range []*e2eNode{c.a, c.b} {
			ch := r.channelOf(t, r.client(t, n), n, c.id)
			var v [2]uint64
			for p := range 2 {
				if ch.LatestProofs[p] != nil {
					v[p] = ch.LatestProofs[p].Nonce
				}
			}
			out[n.name+" "+c.id.String()] = v
		}
	}
	return out
}

// freeze stops n's process with SIGSTOP and waits until the kernel reports it stopped;
// the returned thaw (also run at cleanup) sends SIGCONT once.
func freeze(t *testing.T, n *e2eNode) (thaw func()) {
	t.Helper()
	n.mu.Lock()
	pid := n.proc.pid()
	n.mu.Unlock()
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatalf("SIGSTOP %s: %v", n.name, err)
	}
	thawed := false
	thaw = func() {
		if !thawed {
			thawed = true
			_ = syscall.Kill(pid, syscall.SIGCONT)
		}
	}
	t.Cleanup(thaw)
	waitUntil(t, 10*time.Second, n.name+"'s process to stop", func() bool {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		_, rest, ok := strings.Cut(string(stat), ") ")
		return err == nil && ok && strings.HasPrefix(rest, "T")
	})
	return thaw
}

// paid is a pay call running in the background.
type paid struct {
	p   api.Payment
	err error
}

func payInBackground(cl *api.Client, payee *e2eNode, hash *common.Hash, amount *big.Int, d time.Duration) <-chan paid {
	out := make(chan paid, 1)
	go func() {
		p, err := payAPI(cl, payee, hash, amount, nil, d)
		out <- paid{p, err}
	}()
	return out
}
