package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/sluicepay/sluice/routing"
)

// TestPayToAsksTheAdmissionBeforeLockingAndSettlesIt: a refused route locks nothing; an
// admitted one is settled once with its outcome (nil when paid, ErrRouteFailed when the
// lock expired unpaid).
func TestPayToAsksTheAdmissionBeforeLockingAndSettlesIt(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	m := newModel(id, a, b, 1000)
	var judged []routing.Route
	var settled []error
	refuse := errors.New("declined by the test")
	pay := func(amount int64, hash [32]byte, admit bool) (PayToResult, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		req := PayToRequest{To: b.signer.Address(), Amount: big.NewInt(amount), SecretHash: hash}
		rand.Read(req.PaymentID[:])
		req.Admit = func(_ context.Context, r routing.Route) (func(error), error) {
			judged = append(judged, r)
			if !admit {
				return nil, refuse
			}
			return func(err error) { settled = append(settled, err) }, nil
		}
		return a.PayTo(ctx, req)
	}

	if _, err := pay(100, invoice(t, b, 100).SecretHash, false); !errors.Is(err, refuse) {
		t.Fatalf("refused route: %v", err)
	}
	m.check(t, "after a refused route", a, b) // nothing locked, nothing paid
	if len(settled) != 0 || len(judged) != 1 || judged[0].Total.Int64() != 100 || judged[0].Hops[0].Channel != id {
		t.Fatalf("judged %+v settled %v", judged, settled)
	}

	if _, err := pay(100, invoice(t, b, 100).SecretHash, true); err != nil {
		t.Fatalf("admitted route: %v", err)
	}
	m.pay(a.signer.Address(), b.signer.Address(), 100)
	m.eventually(t, "after the admitted payment", a, b)
	if len(settled) != 1 || settled[0] != nil {
		t.Fatalf("settled %v, want [nil]", settled)
	}

	// The payee asks more than the lock pays: it refuses the lock, which is cancelled
	// (ADR 0026); the admission is settled with the failure, so the reservation is freed.
	asksMore := invoice(t, b, 60)
	if _, err := pay(50, asksMore.SecretHash, true); !errors.Is(err, ErrRouteFailed) {
		t.Fatalf("underpaying route: %v", err)
	}
	if len(settled) != 2 || !errors.Is(settled[1], ErrRouteFailed) {
		t.Fatalf("settled %v, want the expiry", settled)
	}
}
