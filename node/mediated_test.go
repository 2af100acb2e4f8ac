package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
)

// Mediated transfers between real nodes (embedded chain, libp2p, leveldb). Balances are
// checked on both ends of every channel against a model the test keeps itself: what each
// party deposited, minus what it paid, plus what it received.

// model is the expected off-chain balance of each party of one channel.
type model struct {
	id  channel.ID
	bal map[common.Address]int64
}

func (m *model) pay(from, to common.Address, amount int64) {
	m.bal[from] -= amount
	m.bal[to] += amount
}

// check compares both ends' views with the model and requires no pending lock.
func (m *model) check(t *testing.T, what string, nodes ...*Node) {
	t.Helper()
	for _, n := range nodes {
		v, err := n.Channel(context.Background(), m.id)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for p, addr := range v.Participants {
			if got := v.Balance[p]; got.Int64() != m.bal[addr] {
				t.Errorf("%s: node %s sees %s with %s, model says %d", what, n.signer.Address(), addr, got, m.bal[addr])
			}
		}
		lc := n.channel(m.id)
		lc.mu.Lock()
		pending := len(lc.st.Locks(channel.PartyA)) + len(lc.st.Locks(channel.PartyB))
		lc.mu.Unlock()
		if pending != 0 {
			t.Errorf("%s: node %s still has %d pending locks", what, n.signer.Address(), pending)
		}
	}
}

func newModel(id channel.ID, a, b *Node, depA int64) *model {
	return &model{id: id, bal: map[common.Address]int64{a.signer.Address(): depA, b.signer.Address(): 0}}
}

// eventually waits for the model to hold on every node (Acks travel asynchronously).
func (m *model) eventually(t *testing.T, what string, nodes ...*Node) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ok := true
		for _, n := range nodes {
			v, _ := n.Channel(context.Background(), m.id)
			lc := n.channel(m.id)
			lc.mu.Lock()
			pending := len(lc.st.Locks(channel.PartyA)) + len(lc.st.Locks(channel.PartyB))
			lc.mu.Unlock()
			for p, addr := range v.Participants {
				ok = ok && v.Balance[p].Int64() == m.bal[addr]
			}
			ok = ok && pending == 0
		}
		if ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	m.check(t, what, nodes...)
}

func routedPay(t *testing.T, n *Node, hops []common.Address, amount int64, hash [32]byte) (RoutedPayment, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var id [16]byte
	rand.Read(id[:])
	return n.PayRouted(ctx, RoutedPayRequest{Hops: hops, Amount: big.NewInt(amount), SecretHash: hash, PaymentID: id})
}

func invoice(t *testing.T, n *Node, amount int64) Invoice {
	t.Helper()
	inv, err := n.NewInvoice(context.Background(), big.NewInt(amount))
	if err != nil {
		t.Fatalf("invoice: %v", err)
	}
	return inv
}

func TestLockedPaymentOneHop(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	m := newModel(id, a, b, 1000)

	inv := invoice(t, b, 300)
	res, err := routedPay(t, a, []common.Address{b.signer.Address()}, 300, inv.SecretHash)
	if err != nil || !res.Unlocked {
		t.Fatalf("locked payment: %+v %v", res, err)
	}
	m.pay(a.signer.Address(), b.signer.Address(), 300)
	m.eventually(t, "after the locked payment", a, b)

	// A direct payment after a lock update still works, and so does a second lock.
	mustPay(t, a, id, 7)
	m.pay(a.signer.Address(), b.signer.Address(), 7)
	inv = invoice(t, b, 5)
	if _, err := routedPay(t, a, []common.Address{b.signer.Address()}, 5, inv.SecretHash); err != nil {
		t.Fatalf("second locked payment: %v", err)
	}
	m.pay(a.signer.Address(), b.signer.Address(), 5)
	m.eventually(t, "after a direct and a second locked payment", a, b)

	// An invoice asks for more than the lock pays: the payee keeps its secret and refuses
	// the lock (ADR 0026); the payer cancels it at once and gets its money back.
	inv = invoice(t, b, 100)
	start := time.Now()
	_, err = routedPay(t, a, []common.Address{b.signer.Address()}, 99, inv.SecretHash)
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || !errors.Is(err, ErrRouteFailed) || refused.Reason != mediate.ReasonUnderpaid || refused.FailedNode != b.signer.Address() {
		t.Fatalf("underpaying lock: %v, want a refusal for underpaid by the payee", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("refusal took %s", took)
	}
	m.eventually(t, "after the underpaying lock was cancelled", a, b)
}
