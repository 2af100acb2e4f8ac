package routing

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"
)

// diamond: payer 0, hubs 1 and 2, payee 3; via 1 is cheaper.
func diamond(t *testing.T) *Graph {
	g := NewGraph(Config{})
	for _, e := range []Edge{
		{Channel: chanID(1), From: addr(0), To: addr(1)},
		{Channel: chanID(2), From: addr(1), To: addr(3), Fee: FeePolicy{Flat: big.NewInt(1)}},
		{Channel: chanID(3), From: addr(0), To: addr(2)},
		{Channel: chanID(4), From: addr(2), To: addr(3), Fee: FeePolicy{Flat: big.NewInt(2)}},
	} {
		e.Capacity, e.Sequence, e.Updated = big.NewInt(1e6), 1, epoch
		if err := g.Upsert(e); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

func TestRetryUsesAnotherPathAfterAChannelFails(t *testing.T) {
	g := diamond(t)
	var tried [][]any
	r, err := g.Retry(context.Background(), Request{From: addr(0), To: addr(3), Amount: big.NewInt(10)}, 0,
		func(_ context.Context, r Route) error {
			tried = append(tried, []any{r.Hops[1].Channel})
			if r.Hops[1].Channel == chanID(2) {
				return &ChannelFailedError{Channel: chanID(2), Err: errors.New("insufficient capacity")}
			}
			return nil
		})
	if err != nil || len(tried) != 2 || r.Hops[1].Channel != chanID(4) || r.Fee.Int64() != 2 {
		t.Fatalf("want the second path after one failure: %v, tried %v, route %v", err, tried, r.Channels())
	}
}

func TestRetryStopsOnFinalErrorNoRouteAndDeadline(t *testing.T) {
	g := diamond(t)
	req := Request{From: addr(0), To: addr(3), Amount: big.NewInt(10)}
	calls := 0
	_, err := g.Retry(context.Background(), req, 0, func(context.Context, Route) error {
		calls++
		return errors.Join(errors.New("payee refused"), ErrFinal)
	})
	if !errors.Is(err, ErrFinal) || calls != 1 {
		t.Fatalf("final: %v after %d calls", err, calls)
	}
	calls = 0
	_, err = g.Retry(context.Background(), req, 0, func(context.Context, Route) error {
		calls++
		return errors.New("unattributed failure")
	})
	if !errors.Is(err, ErrNoRoute) || calls != 2 {
		t.Fatalf("every path failing: %v after %d calls", err, calls)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	calls = 0
	_, err = g.Retry(ctx, req, 0, func(ctx context.Context, r Route) error {
		calls++
		<-ctx.Done()
		return &ChannelFailedError{Channel: r.Hops[1].Channel, Err: ctx.Err()}
	})
	if !errors.Is(err, context.DeadlineExceeded) || calls != 1 {
		t.Fatalf("deadline: %v after %d calls", err, calls)
	}
	if req.Exclude != nil {
		t.Fatal("Retry changed the caller's request")
	}
}
