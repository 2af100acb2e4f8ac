package contracts

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// RegisteredSecret finds a secret by its registration time among many blocks and pages,
// also when several blocks share that time, and answers "none" for an unregistered hash.
func TestRegisteredSecretFindsTheLogByTime(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{LogPageBlocks: 3})
	c := w.clients[1]
	var secrets [4][32]byte
	for i := range secrets {
		rand.Read(secrets[i][:])
		// Blocks before, between and after the registrations; some share a timestamp.
		for range 5 {
			w.chain.Commit()
		}
		if i%2 == 0 {
			if err := w.chain.AdjustTime(10 * time.Second); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.RegisterSecret(w.ctx, secrets[i]); err != nil {
			t.Fatal(err)
		}
	}
	for range 7 {
		w.chain.Commit()
	}
	for i, s := range secrets {
		got, found, err := w.clients[2].RegisteredSecret(w.ctx, channel.SecretHash(s))
		if err != nil || !found || got != s {
			t.Fatalf("secret %d: %x found=%v err=%v", i, got, found, err)
		}
	}
	var unknown [32]byte
	rand.Read(unknown[:])
	if _, found, err := w.clients[2].RegisteredSecret(w.ctx, channel.SecretHash(unknown)); err != nil || found {
		t.Fatalf("unregistered hash: found=%v err=%v", found, err)
	}
}
