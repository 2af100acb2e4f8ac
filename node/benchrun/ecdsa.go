package benchrun

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// ECDSALimit measures sign+recover pairs per second on all cores: GOMAXPROCS goroutines
// each hash a balance proof, sign it and recover the signer with the same code the
// payer and the payee run, for about d. One pair is the cryptographic cost of one
// payment, so the result is the payments/s this machine could reach if nothing else
// cost anything.
func ECDSALimit(ctx context.Context, key *ecdsa.PrivateKey, domain channel.Domain, d time.Duration) (float64, error) {
	signer, err := channel.NewKeySigner(key)
	if err != nil {
		return 0, fmt.Errorf("ecdsa limit: %w", err)
	}
	var (
		pairs   atomic.Int64
		stop    atomic.Bool
		wg      sync.WaitGroup
		errOnce sync.Once
		runErr  error
	)
	workers := runtime.GOMAXPROCS(0)
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h, err := channel.NewHasher(domain)
			if err != nil {
				errOnce.Do(func() { runErr = err })
				return
			}
			p := channel.BalanceProof{Transferred: new(big.Int)}
			p.Channel[0] = byte(w)
			for i := uint64(1); !stop.Load(); i++ {
				p.Nonce = i
				p.Transferred.SetUint64(i)
				digest, err := h.BalanceProofDigest(p)
				if err != nil {
					errOnce.Do(func() { runErr = err })
					return
				}
				sig, err := signer.SignDigest(digest)
				if err != nil {
					errOnce.Do(func() { runErr = err })
					return
				}
				addr, err := h.Recover(digest, sig)
				if err != nil || addr != signer.Address() {
					errOnce.Do(func() { runErr = fmt.Errorf("recovered %s, want %s (%v)", addr, signer.Address(), err) })
					return
				}
				pairs.Add(1)
			}
		}()
	}
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start)
	if runErr != nil {
		return 0, fmt.Errorf("ecdsa limit: %w", runErr)
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("ecdsa limit: %w", err)
	}
	return float64(pairs.Load()) / elapsed.Seconds(), nil
}
