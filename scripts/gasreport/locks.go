package main

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings"
)

// registerSecretsBatch is how many secrets the registerSecrets row registers at once.
const registerSecretsBatch = 4

// measureLocks measures the hashlock operations: registering secrets, and unlock of 1 and 6
// locks whose secrets are all registered, sent by the receiver (the steady-state claim).
func measureLocks(ctx context.Context, c *chain, channels common.Address, dom domain, a, b *ecdsa.PrivateKey, r *Report) error {
	addrA, addrB := crypto.PubkeyToAddress(a.PublicKey), crypto.PubkeyToAddress(b.PublicKey)
	secret := func(n int) [32]byte {
		return crypto.Keccak256Hash([]byte("gas report secret"), big.NewInt(int64(n)).Bytes())
	}
	call := func(step string, key *ecdsa.PrivateKey, value *big.Int, data []byte) (uint64, error) {
		rec, err := c.send(ctx, step, key, &channels, value, data)
		if err != nil {
			return 0, err
		}
		return rec.GasUsed, nil
	}
	var err error
	if r.RegisterSecret, err = call("register secret", b, nil, sluice.PackRegisterSecret(secret(0))); err != nil {
		return err
	}
	batch := make([][32]byte, registerSecretsBatch)
	for i := range batch {
		batch[i] = secret(100 + i)
	}
	if r.RegisterSecrets, err = call("register secrets", b, nil, sluice.PackRegisterSecrets(batch)); err != nil {
		return err
	}

	head, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("head: %w", err)
	}
	deposit := new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))
	for _, n := range []int{1, 6} {
		rec, err := c.send(ctx, fmt.Sprintf("open for unlock of %d", n), a, &channels, deposit, sluice.PackOpen(addrB, common.Address{}, deposit, 60))
		if err != nil {
			return err
		}
		var id [32]byte
		for _, l := range rec.Logs {
			if ev, err := sluice.UnpackChannelOpenedEvent(l); err == nil {
				id = ev.Id
			}
		}
		locks := make([]bindings.SluiceChannelsLock, n)
		clocks := make([]channel.Lock, n)
		secrets := make([][32]byte, n)
		locked := new(big.Int)
		for i := range locks {
			secrets[i] = secret(1000*n + i)
			amount := new(big.Int).Mul(big.NewInt(int64(10+i)), big.NewInt(1e15))
			clocks[i] = channel.Lock{Amount: amount, Expiration: head.Time + 3600, SecretHash: channel.SecretHash(secrets[i])}
			locks[i] = bindings.SluiceChannelsLock{Amount: amount, Expiration: clocks[i].Expiration, SecretHash: clocks[i].SecretHash}
			locked.Add(locked, amount)
		}
		root, err := channel.LocksRoot(clocks)
		if err != nil {
			return err
		}
		transferred := big.NewInt(1e18)
		sig, err := signDigest(a, dom.lockedProof(id, 9, transferred, locked, root))
		if err != nil {
			return err
		}
		if _, err := call("close with locks", b, nil, sluice.PackClose(id, 9, transferred, locked, root, sig)); err != nil {
			return err
		}
		if _, err := call("register the locks' secrets", b, nil, sluice.PackRegisterSecrets(secrets)); err != nil {
			return err
		}
		if err := c.advance(ctx, 61); err != nil {
			return err
		}
		if _, err := call("settle with locks", b, nil, sluice.PackSettle(id)); err != nil {
			return err
		}
		gas, err := call(fmt.Sprintf("unlock %d", n), b, nil, sluice.PackUnlock(id, addrA, locks))
		if err != nil {
			return err
		}
		if n == 1 {
			r.Unlock1 = gas
		} else {
			r.Unlock6 = gas
		}
	}
	return nil
}
