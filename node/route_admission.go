package node

import (
	"context"

	"github.com/sluicepay/sluice/routing"
)

// RouteAdmission judges a quoted route before anything is locked on it: the API's risk
// layer charges the route's Total (amount plus fees, what leaves the wallet) to the
// calling client against its caps, velocity and scope (the first hop's channel and
// partner). An error refuses the route and nothing is locked. Admitted, settle is called
// exactly once with the attempt's outcome: nil (paid), or the error PayRouted returned.
type RouteAdmission func(ctx context.Context, r routing.Route) (settle func(err error), err error)

// admitRoute runs req's admission on r; without one every route is admitted.
func admitRoute(ctx context.Context, admit RouteAdmission, r routing.Route) (func(error), error) {
	if admit == nil {
		return func(error) {}, nil
	}
	settle, err := admit(ctx, r)
	if err != nil {
		return nil, err
	}
	if settle == nil {
		settle = func(error) {}
	}
	return settle, nil
}
