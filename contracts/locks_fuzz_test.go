package contracts

import (
	"encoding/binary"
	"math/big"
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// FuzzHashViewsMatchGo: for any lock list and any proof carrying locks, the contract's
// hashLocksRoot, hashBalanceProof and hashEndorsement views equal package channel's
// LocksRoot, BalanceProofDigest and EndorsementDigest byte for byte (embedded dev chain).
func FuzzHashViewsMatchGo(f *testing.F) {
	w := newWorld(f, devchain.Options{}, Options{})
	c := w.clients[0]
	h, err := channel.NewHasher(c.Domain())
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte{}, uint64(1), []byte{1}, []byte{})
	f.Add(make([]byte, 72), uint64(7), []byte{0xff, 0xff}, []byte{3, 0xe8})
	f.Add(make([]byte, 6*72), ^uint64(0), make([]byte, 32), []byte{0xff})
	f.Fuzz(func(t *testing.T, raw []byte, nonce uint64, transferred, locked []byte) {
		// Each 72 bytes are one lock: amount 32 | expiration 8 | secretHash 32.
		var locks []channel.Lock
		for len(raw) >= 72 && len(locks) < channel.MaxLocks {
			l := channel.Lock{Amount: new(big.Int).SetBytes(raw[:32]), Expiration: binary.BigEndian.Uint64(raw[32:40])}
			copy(l.SecretHash[:], raw[40:72])
			locks = append(locks, l)
			raw = raw[72:]
		}
		want, err := channel.LocksRoot(locks)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.HashLocksRoot(w.ctx, locks)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("%d locks: contract root %x, Go %x", len(locks), got, want)
		}
		if len(transferred) > 32 || len(locked) > 32 {
			return
		}
		bp := channel.BalanceProof{Channel: channel.ID(want), Nonce: nonce, Transferred: new(big.Int).SetBytes(transferred),
			Locked: new(big.Int).SetBytes(locked), LocksRoot: want}
		for _, v := range []struct {
			name string
			view func() ([32]byte, error)
			gold func() ([32]byte, error)
		}{
			{"balance proof", func() ([32]byte, error) { return c.HashBalanceProof(w.ctx, bp) }, func() ([32]byte, error) { return h.BalanceProofDigest(bp) }},
			{"endorsement", func() ([32]byte, error) { return c.HashEndorsement(w.ctx, bp) }, func() ([32]byte, error) { return h.EndorsementDigest(bp) }},
		} {
			cv, err := v.view()
			if err != nil {
				t.Fatal(err)
			}
			gv, err := v.gold()
			if err != nil {
				t.Fatal(err)
			}
			if cv != gv {
				t.Fatalf("%s: contract %x, Go %x", v.name, cv, gv)
			}
		}
	})
}
