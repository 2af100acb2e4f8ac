package contracts

import (
	"context"
	"errors"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/sluicepay/sluice/contracts/devchain"
)

func TestConcurrentSendsFromOneKeyAreAllMined(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(1), 60)
	const n = 50
	c := w.clients[1]
	var wg sync.WaitGroup
	recs := make([]*types.Receipt, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			recs[i], errs[i] = c.Deposit(w.ctx, id, c.Address(), big.NewInt(params.GWei))
		})
	}
	wg.Wait()
	nonces := make(map[uint64]bool)
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("deposit %d: %v", i, errs[i])
		}
		tx, _, err := w.chain.Client().TransactionByHash(w.ctx, recs[i].TxHash)
		if err != nil {
			t.Fatal(err)
		}
		if nonces[tx.Nonce()] {
			t.Fatalf("nonce %d used twice", tx.Nonce())
		}
		nonces[tx.Nonce()] = true
	}
	want := new(big.Int).Add(ether(1), new(big.Int).Mul(big.NewInt(n), big.NewInt(params.GWei)))
	wantEqual(t, "deposit A after concurrent top-ups", w.view(id).DepositA, want)
}

func TestNonceManagerResyncsAfterForeignSend(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	c := w.clients[1]
	id := w.open(1, 2, ether(1), 60) // the client now caches its next nonce
	// Another program sends from the same key behind the client's back.
	other, err := New(w.ctx, w.chain.Client(), w.chain.Contract(), w.chain.Accounts()[1].Key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := other.Deposit(w.ctx, id, c.Address(), big.NewInt(1)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Deposit(w.ctx, id, c.Address(), big.NewInt(1)); err != nil {
		t.Fatalf("deposit after foreign sends: %v", err)
	}
	wantEqual(t, "deposit A", w.view(id).DepositA, new(big.Int).Add(ether(1), big.NewInt(4)))
}

type scriptedNonces struct {
	pending []uint64 // answers to PendingNonceAt, in order
	calls   int
}

func (s *scriptedNonces) PendingNonceAt(context.Context, common.Address) (uint64, error) {
	n := s.pending[min(s.calls, len(s.pending)-1)]
	s.calls++
	return n, nil
}

func TestNonceManagerSequence(t *testing.T) {
	errTooLow := errors.New("nonce too low: next nonce 9, tx nonce 5")
	tests := []struct {
		name       string
		pending    []uint64
		submitErrs []error // per attempt; nil = accepted
		wantNonce  uint64
		wantSyncs  int
		wantErr    bool
	}{
		{"first send syncs once", []uint64{5}, []error{nil}, 5, 1, false},
		{"nonce error resyncs and retries", []uint64{5, 9}, []error{errTooLow, nil}, 9, 2, false},
		{"other errors do not retry", []uint64{5}, []error{errors.New("insufficient funds")}, 0, 1, true},
		{"gives up after repeated nonce errors", []uint64{5, 6, 7, 8}, []error{errTooLow, errTooLow, errTooLow, errTooLow}, 0, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &scriptedNonces{pending: tt.pending}
			m := newNonceManager(common.Address{1}, src)
			attempt := 0
			got, err := m.send(context.Background(), func(uint64) error {
				e := tt.submitErrs[attempt]
				attempt++
				return e
			})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.wantNonce {
				t.Fatalf("nonce %d, want %d", got, tt.wantNonce)
			}
			if src.calls != tt.wantSyncs {
				t.Fatalf("%d syncs, want %d", src.calls, tt.wantSyncs)
			}
		})
	}
}

func TestNonceManagerCountsUpWithoutAskingAndResyncsAfterInvalidate(t *testing.T) {
	src := &scriptedNonces{pending: []uint64{3, 40}}
	m := newNonceManager(common.Address{1}, src)
	for want := uint64(3); want < 6; want++ {
		got, err := m.send(context.Background(), func(uint64) error { return nil })
		if err != nil || got != want {
			t.Fatalf("nonce %d, %v; want %d", got, err, want)
		}
	}
	if src.calls != 1 {
		t.Fatalf("%d syncs for three sends, want 1", src.calls)
	}
	m.invalidate()
	got, err := m.send(context.Background(), func(uint64) error { return nil })
	if err != nil || got != 40 {
		t.Fatalf("after invalidate: nonce %d, %v; want 40", got, err)
	}
}

func TestIsNonceError(t *testing.T) {
	tests := []struct {
		msg  string
		want bool
	}{
		{"nonce too low: next nonce 4, tx nonce 3", true},
		{"already known", true},
		{"replacement transaction underpriced", true},
		{"Nonce too high", true},
		{"insufficient funds for gas * price + value", false},
		{"execution reverted", false},
	}
	for _, tt := range tests {
		if got := isNonceError(errors.New(tt.msg)); got != tt.want {
			t.Errorf("isNonceError(%q) = %v, want %v", tt.msg, got, tt.want)
		}
	}
}
