package channel

import (
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// One node key signs for every channel at once; under -race this proves KeySigner shares
// nothing mutable between calls.
func TestKeySignerIsSafeForConcurrentUse(t *testing.T) {
	s := testSigner(t, 7)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Go(func() {
			for i := range 10 {
				d := common.Hash{byte(g), byte(i)}
				sig, err := s.SignDigest(d)
				if err == nil {
					var addr common.Address
					if addr, err = Recover(d, sig); err == nil && addr != s.Address() {
						err = ErrWrongSigner
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// A snapshot taken with Clone may be read by another goroutine (the API, metrics) while
// the owner keeps paying: under -race this proves Clone shares no memory, the hasher included.
func TestCloneCanBeReadWhileTheOwnerPays(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 1000, 0)
	snap := s.Clone()
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 20 {
			_ = snap.Balance(PartyA)
			_ = snap.Spendable(PartyB)
			_, _ = snap.Hasher().BalanceProofDigest(BalanceProof{Transferred: big.NewInt(1)})
		}
	})
	for range 20 {
		f.pay(t, s, PartyA, 1)
	}
	wg.Wait()
	if snap.Balance(PartyA).Int64() != 1000 || s.Balance(PartyA).Int64() != 980 {
		t.Fatalf("snapshot %s, owner %s; want 1000 and 980", snap.Balance(PartyA), s.Balance(PartyA))
	}
}
