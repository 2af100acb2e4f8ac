package node

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

func TestPaymentsPagesThroughEveryChannelOldestFirst(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{})
	ab := openChannel(t, a, b, big.NewInt(10_000), nil, time.Hour)
	ac := openChannel(t, a, c, big.NewInt(10_000), nil, time.Hour)
	for i := 1; i <= 130; i++ {
		mustPay(t, a, ab, int64(i))
	}
	for i := 1; i <= 70; i++ {
		mustPay(t, a, ac, 1)
	}
	ctx := context.Background()

	tests := []struct {
		name    string
		channel channel.ID
		limit   int
		want    int
	}{
		{"one channel, default page", ab, 0, 130},
		{"one channel, small pages", ac, 30, 70},
		{"all channels", channel.ID{}, 45, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen := map[[16]byte]bool{}
			lastNonce := map[channel.ID]uint64{}
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 50 {
					t.Fatal("paging does not end")
				}
				page, err := a.Payments(ctx, PaymentQuery{Channel: tc.channel, Cursor: cursor, Limit: tc.limit})
				if err != nil {
					t.Fatal(err)
				}
				if tc.limit > 0 && len(page.Payments) > tc.limit {
					t.Fatalf("page of %d, limit %d", len(page.Payments), tc.limit)
				}
				for _, p := range page.Payments {
					if seen[p.PaymentID] {
						t.Fatalf("payment %x listed twice", p.PaymentID)
					}
					seen[p.PaymentID] = true
					if p.Proof.Nonce <= lastNonce[p.Channel] {
						t.Fatalf("channel %s: nonce %d after %d, want oldest first", p.Channel, p.Proof.Nonce, lastNonce[p.Channel])
					}
					lastNonce[p.Channel] = p.Proof.Nonce
					// Every listed payment carries the payer's signature of its own proof.
					digest, err := a.domain.BalanceProofDigest(p.Proof.BalanceProof)
					if err != nil {
						t.Fatal(err)
					}
					if signer, err := channel.Recover(digest, p.Proof.Sig); err != nil || signer != a.signer.Address() {
						t.Fatalf("payment nonce %d: proof signature recovers to %s, %v; want the payer %s", p.Proof.Nonce, signer, err, a.signer.Address())
					}
				}
				if page.Next == "" {
					break
				}
				cursor = page.Next
			}
			if len(seen) != tc.want {
				t.Fatalf("listed %d payments, want %d", len(seen), tc.want)
			}
		})
	}
	if _, err := a.Payments(ctx, PaymentQuery{Cursor: "garbage"}); err == nil {
		t.Fatal("a malformed cursor was accepted")
	}
}
