package store_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// A payee's per-payment write: check idempotency, then persist the payer's proof and the
// log entry in one durable commit before acknowledging.
func Example_paymentWrite() {
	dir, err := os.MkdirTemp("", "sluice-store-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	s, err := store.Open(filepath.Join(dir, "db"), store.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	ch := channel.ID{1}
	id := store.PaymentID{7}
	if _, seen, err := s.GetPayment(id); err != nil || seen {
		fmt.Println("already paid or unreadable:", seen, err)
		return
	}
	proof := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: ch, Nonce: 1, Transferred: big.NewInt(250)}}
	b := store.NewBatch()
	_ = b.PutProof(channel.PartyA, &proof)
	_ = b.PutPayment(&store.PaymentRecord{
		ID: id, Channel: ch, Direction: store.Incoming, Nonce: 1,
		Amount: big.NewInt(250), Transferred: big.NewInt(250),
		Time: time.Unix(1_800_000_000, 0), Memo: "invoice 42",
	})
	if err := s.Commit(context.Background(), b); err != nil {
		fmt.Println(err)
		return
	}
	got, _, _ := s.GetPayment(id)
	fmt.Println(got.Direction, got.Amount, got.Memo, s.Stats().Syncs, "fsync")
	// Output: incoming 250 invoice 42 1 fsync
}
