package store

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/sluicepay/sluice/channel"
)

func testSecret(n uint64) [32]byte {
	var s [32]byte
	s[0] = 0x5e
	big.NewInt(int64(n)).FillBytes(s[24:])
	return s
}

func testLock(n uint64) channel.Lock {
	return channel.Lock{Amount: new(big.Int).SetUint64(n*10 + 1), Expiration: 1_000 + n, SecretHash: channel.SecretHash(testSecret(n))}
}

func sameLockList(a, b []channel.Lock) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Amount.Cmp(b[i].Amount) != 0 || a[i].Expiration != b[i].Expiration || a[i].SecretHash != b[i].SecretHash {
			return false
		}
	}
	return true
}

func TestLocksAndSecretsRoundTripAcrossReopen(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	locks := []channel.Lock{testLock(1), testLock(2), {Amount: channel.MaxAmount(), Expiration: ^uint64(0), SecretHash: [32]byte{0xff}}}
	commit(t, s, func(b *Batch) error {
		b.PutSecret(testSecret(7))
		return b.PutLocks(ch, channel.PartyB, 3, locks)
	})
	s = reopen(t, s, Options{})
	got, ok, err := s.GetLocks(ch, channel.PartyB)
	if err != nil || !ok || got.Nonce != 3 || !sameLockList(got.Locks, locks) {
		t.Fatalf("GetLocks = %+v, %v, %v", got, ok, err)
	}
	if _, ok, err := s.GetLocks(ch, channel.PartyA); ok || err != nil {
		t.Fatalf("the other direction has locks: %v %v", ok, err)
	}
	sec, ok, err := s.GetSecret(channel.SecretHash(testSecret(7)))
	if err != nil || !ok || sec != testSecret(7) {
		t.Fatalf("GetSecret = %x, %v, %v", sec, ok, err)
	}
	if _, ok, _ := s.GetSecret(channel.SecretHash(testSecret(8))); ok {
		t.Fatal("unknown secret found")
	}
	rep, err := s.Check()
	if err != nil || rep.BadCount != 0 || rep.LockSets != 1 || rep.Secrets != 1 {
		t.Fatalf("check: %+v, %v", rep, err)
	}

	// An empty set removes the record; DeleteChannel removes every lock record.
	commit(t, s, func(b *Batch) error { return b.PutLocks(ch, channel.PartyB, 4, nil) })
	if _, ok, _ := s.GetLocks(ch, channel.PartyB); ok {
		t.Fatal("empty set still stored")
	}
	commit(t, s, func(b *Batch) error { return b.PutLocks(ch, channel.PartyA, 5, locks[:1]) })
	commit(t, s, func(b *Batch) error { b.DeleteChannel(ch); return nil })
	if _, ok, _ := s.GetLocks(ch, channel.PartyA); ok {
		t.Fatal("DeleteChannel left the channel's locks")
	}
}

func TestPutLocksRefusesWhatNoStateHolds(t *testing.T) {
	ch := testChannelID(1)
	tooMany := make([]channel.Lock, channel.MaxLocks+1)
	for i := range tooMany {
		tooMany[i] = testLock(uint64(i))
	}
	for name, put := range map[string]func(b *Batch) error{
		"payer 2":     func(b *Batch) error { return b.PutLocks(ch, 2, 1, []channel.Lock{testLock(1)}) },
		"zero amount": func(b *Batch) error { return b.PutLocks(ch, 0, 1, []channel.Lock{{Amount: new(big.Int)}}) },
		"nil amount":  func(b *Batch) error { return b.PutLocks(ch, 0, 1, []channel.Lock{{}}) },
		"above uint128": func(b *Batch) error {
			return b.PutLocks(ch, 0, 1, []channel.Lock{{Amount: new(big.Int).Lsh(big.NewInt(1), 128)}})
		},
		"duplicate hash": func(b *Batch) error { return b.PutLocks(ch, 0, 1, []channel.Lock{testLock(1), testLock(1)}) },
		"MaxLocks+1":     func(b *Batch) error { return b.PutLocks(ch, 0, 1, tooMany) },
	} {
		b := NewBatch()
		if err := put(b); err == nil || b.Err() == nil {
			t.Errorf("%s: accepted (err %v, batch err %v)", name, err, b.Err())
		}
	}
}

func TestCorruptLockRecordsAreReported(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(2)
	h := channel.SecretHash(testSecret(1))
	// Raw writes, as disk damage would leave them: a secret that does not hash to its
	// key, and a lock set with a zero amount.
	bad := NewBatch()
	wrong := testSecret(2)
	bad.lb.Put(secretKey(h), wrong[:])
	bad.lb.Put(locksKey(ch, channel.PartyA), append(make([]byte, 8), append([]byte{1}, make([]byte, channel.LockSize)...)...))
	if err := s.Commit(t.Context(), bad); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.GetSecret(h); err == nil {
		t.Fatal("a secret that does not match its hash was returned")
	}
	if _, _, err := s.GetLocks(ch, channel.PartyA); err == nil {
		t.Fatal("a damaged lock set decoded")
	}
	rep, err := s.Check()
	if err != nil || rep.BadCount != 2 {
		t.Fatalf("check: %+v, %v; want 2 bad records", rep, err)
	}
}

func FuzzDecodeLockRecords(f *testing.F) {
	good, _ := encodeLockSet(&LockSetRecord{Nonce: 9, Locks: []channel.Lock{testLock(1), testLock(2)}})
	f.Add(good)
	f.Add(good[:8])
	f.Add(good[:9])
	sec := testSecret(1)
	f.Add(sec[:])
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := decodeLockSet(channel.ID{}, channel.PartyA, b); err == nil {
			out, err := encodeLockSet(&r)
			if err != nil || !bytes.Equal(out, b) {
				t.Fatalf("re-encoding differs (%v):\n%x\n%x", err, out, b)
			}
		}
		var h [32]byte
		if len(b) == 32 {
			h = channel.SecretHash([32]byte(b))
		}
		if sec, err := decodeSecret(h, b); err == nil && channel.SecretHash(sec) != h {
			t.Fatal("decoded a secret that does not hash to its key")
		}
	})
}
