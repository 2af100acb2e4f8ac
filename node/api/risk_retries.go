package api

import (
	"math/big"
	"sync"

	"github.com/sluicepay/sluice/channel"
)

// approvedIDs remembers the payment ids the policy approved, per client, so that a retry of
// the same payment (same client, channel, amount and id) goes to the node without a second
// decision: the node pays an id at most once, so the retry can move nothing the first
// approval did not cover, and it must neither be charged again nor be refused by a cap the
// first payment filled (issue 22, finding 10). Bounded: the oldest ids are forgotten first,
// and a forgotten id is simply judged again.
type approvedIDs struct {
	mu    sync.Mutex
	byID  map[[16]byte]approvedPay
	order [][16]byte
	next  int
}

type approvedPay struct {
	client  string
	channel channel.ID
	amount  string
}

const maxApprovedIDs = 1 << 16

func (a *approvedIDs) remember(id [16]byte, p approvedPay) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.byID == nil {
		a.byID = make(map[[16]byte]approvedPay)
		a.order = make([][16]byte, 0, 1024)
	}
	if _, ok := a.byID[id]; ok {
		return
	}
	if len(a.order) < maxApprovedIDs {
		a.order = append(a.order, id)
	} else {
		delete(a.byID, a.order[a.next])
		a.order[a.next] = id
		a.next = (a.next + 1) % maxApprovedIDs
	}
	a.byID[id] = p
}

func (a *approvedIDs) forget(id [16]byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.byID, id)
}

// retry reports whether id was approved for exactly this payment.
func (a *approvedIDs) retry(id [16]byte, p approvedPay) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	got, ok := a.byID[id]
	return ok && got == p
}

func payKey(client string, ch channel.ID, amount *big.Int) approvedPay {
	return approvedPay{client: client, channel: ch, amount: amount.String()}
}
