package node

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

func TestWithdrawIsCoSignedReservedAndExecutedOnChain(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(10_000), nil, time.Hour)
	mustPay(t, a, id, 4_000)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	tests := []struct {
		name    string
		amount  int64
		wantErr error
		wantA   int64 // A's withdrawn total on chain afterwards
	}{
		{"more than the balance", 6_001, channel.ErrOverdraft, 0},
		{"part of the balance", 2_500, nil, 2_500},
		{"the rest", 3_500, nil, 6_000},
		{"nothing left", 1, channel.ErrOverdraft, 6_000},
	}
	chk := clientFor(t, tn, 3)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.Withdraw(ctx, id, big.NewInt(tc.amount))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("withdraw %d: %v, want %v", tc.amount, err, tc.wantErr)
			}
			v, err := chk.Channel(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if v.WithdrawnA.Int64() != tc.wantA {
				t.Fatalf("withdrawn on chain %s, want %d", v.WithdrawnA, tc.wantA)
			}
			waitFor(t, "both views agree", func() bool {
				va, _ := a.Channel(ctx, id)
				vb, _ := b.Channel(ctx, id)
				return va.Withdrawn[0].Int64() == tc.wantA && vb.Withdrawn[0].Int64() == tc.wantA &&
					va.Reserved[0].Sign() == 0 && vb.Reserved[0].Sign() == 0
			})
		})
	}
	// The payee's money was never at risk: B still holds what A paid it.
	if v, _ := b.Channel(ctx, id); v.Balance[1].Int64() != 4_000 || v.Balance[0].Int64() != 0 {
		t.Fatalf("balances after withdrawals A=%s B=%s, want A=0 B=4000", v.Balance[0], v.Balance[1])
	}
}
