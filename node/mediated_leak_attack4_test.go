package node

import (
	"crypto/rand"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// leakNamespaces (and metaCounts' in-memory maps) are the per-lock meta records of the routed protocol: each must be gone
// once its lock is (forward records, refusals, cancels waiting for their endorsement,
// invoice records, the routed log's live entries, unacknowledged lock messages).
var leakNamespaces = []string{forwardNamespace, refusalNamespace, refusedNamespace, cancelWaitNamespace,
	invoiceNamespace, invoiceOpenNamespace, invoiceTakenNamespace, invoiceReqNamespace, routedLiveNamespace}

func metaCounts(t *testing.T, n *Node) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, ns := range leakNamespaces {
		m[ns] = countMeta(t, n, ns)
	}
	n.med.mu.Lock()
	// Not med.resolved nor ref.passed: how our own locks ended, kept an hour for PayRouted
	// (mediation.forget), bounded by time.
	m["mem:med.sent"], m["mem:med.forwarded"], m["mem:med.waiters"], m["mem:med.held"] =
		len(n.med.sent), len(n.med.forwarded), len(n.med.waiters), len(n.med.held)
	n.med.mu.Unlock()
	r := n.med.ref
	r.mu.Lock()
	m["mem:ref.in"], m["mem:ref.out"], m["mem:ref.sent"] = len(r.in), len(r.out), len(r.sent)
	r.mu.Unlock()
	r.end.mu.Lock()
	m["mem:end.waiting"] = len(r.end.waiting)
	for _, a := range r.end.asked {
		m["mem:end.asked"] += len(a)
	}
	r.end.mu.Unlock()
	l := n.routedLog()
	l.mu.Lock()
	m["mem:routed.live"] = len(l.live)
	l.mu.Unlock()
	return m
}

// TestAttack4RefusedLockFloodLeaksNothing: a payer fills its channel to the hub with
// MaxLocks tiny locks (1 wei each) on distinct hashes, all routed to a payee that has no
// invoice for any of them: the payee refuses each, the hub cancels its outgoing lock
// (the payee endorses), refuses the payer's lock, and the payer cancels. Then it does
// it again. Nothing may be left behind on any of the three nodes: every per-lock meta
// record is back to its count before the flood, no lock is pending, and the balances are
// untouched to the wei. A real payment then still goes through, and the stored lock
// messages (kept until a later lock message finds them acknowledged) are then back to a
// handful.
func TestAttack4RefusedLockFloodLeaksNothing(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, payee := h.signer.Address(), c.signer.Address()
	nodes := []*Node{a, h, c}
	before := make([]map[string]int, len(nodes))
	for i, n := range nodes {
		before[i] = metaCounts(t, n)
	}
	for round := 0; round < 2; round++ {
		var done []chan error
		for i := 0; i < channel.MaxLocks; i++ {
			var hash [32]byte
			rand.Read(hash[:])
			done = append(done, payAsync(t, a, []common.Address{hub, payee}, 1, hash))
		}
		for i, d := range done {
			select {
			case err := <-d:
				if err == nil {
					t.Fatalf("round %d payment %d on a hash without invoice was paid", round, i)
				}
			case <-time.After(60 * time.Second):
				t.Fatalf("round %d payment %d did not end", round, i)
			}
		}
	}
	ah, hc := newModel(idAH, a, h, 1000), newModel(idHC, h, c, 1000)
	ah.eventually(t, "payer-hub: every lock cancelled", a, h)
	hc.eventually(t, "hub-payee: every lock cancelled", h, c)
	for i, n := range nodes {
		var left string
		waitForQuiet(func() bool {
			left = ""
			after := metaCounts(t, n)
			for _, ns := range slices.Sorted(maps.Keys(after)) {
				if after[ns] != before[i][ns] {
					left += fmt.Sprintf(" %s: %d -> %d;", ns, before[i][ns], after[ns])
				}
			}
			return left == ""
		})
		if left != "" {
			t.Errorf("node %d (%s) kept per-lock records after %d refused and cancelled locks:%s", i+1, n.signer.Address(), 2*channel.MaxLocks, left)
		}
	}
	inv := invoice(t, c, 100)
	if _, err := routedPay(t, a, []common.Address{hub, payee}, 100, inv.SecretHash); err != nil {
		t.Fatalf("a real payment after the flood: %v", err)
	}
	ah.pay(a.signer.Address(), hub, 100)
	hc.pay(hub, payee, 100)
	ah.eventually(t, "payer-hub after the real payment", a, h)
	hc.eventually(t, "hub-payee after the real payment", h, c)
}

// waitForQuiet polls cond for up to 5 s and returns whether it held.
func waitForQuiet(cond func() bool) bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return cond()
}
