package store

import (
	"errors"
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

func mustLocksRoot(t testing.TB, locks []channel.Lock) [32]byte {
	t.Helper()
	r, err := channel.LocksRoot(locks)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// putAdds adds locks one by one after the pending set have (nonces from nonce on, one per
// lock, as a node's lock updates would), returning the new set and the last nonce.
func putAdds(t testing.TB, b *Batch, ch channel.ID, payer channel.Party, nonce uint64, have []channel.Lock, locks ...channel.Lock) ([]channel.Lock, uint64) {
	t.Helper()
	for _, l := range locks {
		have = append(have, l)
		if err := b.PutLockChange(ch, payer, LockChange{Nonce: nonce, Root: mustLocksRoot(t, have), Count: len(have), Update: channel.AddLock(l)}); err != nil {
			t.Fatal(err)
		}
		nonce++
	}
	return have, nonce - 1
}

func TestLocksAndSecretsRoundTripAcrossReopen(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	big := channel.Lock{Amount: channel.MaxAmount(), Expiration: ^uint64(0), SecretHash: [32]byte{0xff}}
	var locks []channel.Lock
	commit(t, s, func(b *Batch) error {
		b.PutSecret(testSecret(7))
		locks, _ = putAdds(t, b, ch, channel.PartyB, 1, nil, testLock(1), testLock(2), big)
		return nil
	})
	s = reopen(t, s, Options{})
	got, ok, err := s.GetLocks(ch, channel.PartyB)
	if err != nil || !ok || got.Nonce != 3 || !sameLockList(got.Locks, locks) || got.Root != mustLocksRoot(t, locks) {
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
	if err != nil || rep.BadCount != 0 || rep.LockSets != 1 || rep.Secrets != 1 || rep.OrphanLocks != 0 {
		t.Fatalf("check: %+v, %v", rep, err)
	}

	// Removing the middle lock keeps the others' order; removing the last removes the set.
	commit(t, s, func(b *Batch) error {
		rest := []channel.Lock{locks[0], locks[2]}
		return b.PutLockChange(ch, channel.PartyB, LockChange{Nonce: 4, Root: mustLocksRoot(t, rest), Count: 2, Update: channel.Unlock(testSecret(2))})
	})
	if got, ok, err := s.GetLocks(ch, channel.PartyB); err != nil || !ok || got.Nonce != 4 || !sameLockList(got.Locks, []channel.Lock{locks[0], locks[2]}) {
		t.Fatalf("after unlocking the middle lock: %+v, %v, %v", got, ok, err)
	}
	commit(t, s, func(b *Batch) error {
		return errors.Join(
			b.PutLockChange(ch, channel.PartyB, LockChange{Nonce: 5, Root: mustLocksRoot(t, locks[2:]), Count: 1, Update: channel.ExpireLock(locks[0].SecretHash)}),
			b.PutLockChange(ch, channel.PartyB, LockChange{Nonce: 6, Count: 0, Update: channel.CancelLock(big.SecretHash)}))
	})
	if _, ok, err := s.GetLocks(ch, channel.PartyB); ok || err != nil {
		t.Fatalf("empty set still stored: %v %v", ok, err)
	}
	if rep, err := s.Check(); err != nil || rep.BadCount != 0 || rep.LockSets != 0 || rep.OrphanLocks != 0 {
		t.Fatalf("check after emptying: %+v, %v", rep, err)
	}

	// DeleteChannel removes the set; the lock keys it cannot see read as nothing.
	commit(t, s, func(b *Batch) error { putAdds(t, b, ch, channel.PartyA, 1, nil, testLock(1)); return nil })
	commit(t, s, func(b *Batch) error { b.DeleteChannel(ch); return nil })
	if _, ok, err := s.GetLocks(ch, channel.PartyA); ok || err != nil {
		t.Fatalf("DeleteChannel left the channel's locks: %v %v", ok, err)
	}
	if rep, err := s.Check(); err != nil || rep.BadCount != 0 || rep.OrphanLocks != 1 {
		t.Fatalf("check after DeleteChannel: %+v, %v; want one harmless orphan", rep, err)
	}
}

func TestPutLockChangeRefusesWhatNoStateProduces(t *testing.T) {
	ch := testChannelID(1)
	root := mustLocksRoot(t, []channel.Lock{testLock(1)})
	add := func(l channel.Lock) LockChange {
		return LockChange{Nonce: 1, Root: root, Count: 1, Update: channel.AddLock(l)}
	}
	for name, c := range map[string]LockChange{
		"zero amount":    add(channel.Lock{Amount: new(big.Int)}),
		"nil amount":     add(channel.Lock{}),
		"above uint128":  add(channel.Lock{Amount: new(big.Int).Lsh(big.NewInt(1), 128)}),
		"nonce 0":        {Root: root, Count: 1, Update: channel.AddLock(testLock(1))},
		"MaxLocks+1":     {Nonce: 1, Root: root, Count: channel.MaxLocks + 1, Update: channel.AddLock(testLock(1))},
		"negative count": {Nonce: 1, Root: root, Count: -1, Update: channel.ExpireLock(testLock(1).SecretHash)},
		"add to nothing": {Nonce: 1, Update: channel.AddLock(testLock(1))},
		"count no root":  {Nonce: 1, Count: 1, Update: channel.ExpireLock(testLock(1).SecretHash)},
		"root no count":  {Nonce: 1, Root: root, Update: channel.ExpireLock(testLock(1).SecretHash)},
		"unknown change": {Nonce: 1, Root: root, Count: 1, Update: channel.LockUpdate{Change: 9}},
	} {
		b := NewBatch()
		if err := b.PutLockChange(ch, channel.PartyA, c); err == nil || b.Err() == nil {
			t.Errorf("%s: accepted (err %v, batch err %v)", name, err, b.Err())
		}
		if b.Len() != 0 {
			t.Errorf("%s: refused change left %d writes", name, b.Len())
		}
	}
	b := NewBatch()
	if err := b.PutLockChange(ch, 2, add(testLock(1))); err == nil || b.Err() == nil {
		t.Error("payer 2 accepted")
	}
}

// A lock update costs its change, not the set: with 48 locks pending, adding one writes
// the lock and the header, not 48 locks (version 1 wrote 8+1+49*56 = 2,753 bytes).
func TestLockChangeWritesOnlyTheChange(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(3)
	var have []channel.Lock
	var nonce uint64
	commit(t, s, func(b *Batch) error {
		for i := range 48 {
			have, nonce = putAdds(t, b, ch, channel.PartyA, uint64(i+1), have, testLock(uint64(i)))
		}
		return nil
	})
	b := NewBatch()
	have, nonce = putAdds(t, b, ch, channel.PartyA, nonce+1, have, testLock(100))
	if b.Len() != 2 || b.Size() > 200 {
		t.Fatalf("one add with 48 pending: %d writes, %d bytes; want 2 writes under 200 bytes", b.Len(), b.Size())
	}
	b2 := NewBatch()
	rest := have[1:]
	if err := b2.PutLockChange(ch, channel.PartyA, LockChange{Nonce: nonce + 1, Root: mustLocksRoot(t, rest), Count: len(rest), Update: channel.Unlock(testSecret(0))}); err != nil {
		t.Fatal(err)
	}
	if b2.Len() != 2 || b2.Size() > 200 {
		t.Fatalf("one unlock with 49 pending: %d writes, %d bytes; want 2 writes under 200 bytes", b2.Len(), b2.Size())
	}
	if err := b.Append(b2); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := s.GetLocks(ch, channel.PartyA); err != nil || !ok || got.Nonce != nonce+1 || !sameLockList(got.Locks, rest) {
		t.Fatalf("GetLocks = %d locks at %d, %v, %v; want %d at %d", len(got.Locks), got.Nonce, ok, err, len(rest), nonce+1)
	}
}

func TestCorruptLockRecordsAreReported(t *testing.T) {
	ch := testChannelID(2)
	one := []channel.Lock{testLock(1)}
	two := []channel.Lock{testLock(1), testLock(2)}
	entry := func(b *Batch, seq uint64, l channel.Lock) {
		b.lb.Put(lockEntryKey(ch, channel.PartyA, l.SecretHash), encodeLockEntry(seq, &l))
	}
	// Raw writes, as disk damage (or a bug) would leave them.
	for name, fill := range map[string]func(b *Batch){
		"lock missing": func(b *Batch) {
			b.lb.Put(locksKey(ch, channel.PartyA), encodeLockHeader(2, 2, mustLocksRoot(t, two)))
			entry(b, 1, two[0])
		},
		"extra lock": func(b *Batch) {
			b.lb.Put(locksKey(ch, channel.PartyA), encodeLockHeader(2, 1, mustLocksRoot(t, one)))
			entry(b, 1, two[0])
			entry(b, 2, two[1])
		},
		"root mismatch (order swapped)": func(b *Batch) {
			b.lb.Put(locksKey(ch, channel.PartyA), encodeLockHeader(2, 2, mustLocksRoot(t, two)))
			entry(b, 2, two[0])
			entry(b, 1, two[1])
		},
		"lock newer than header": func(b *Batch) {
			b.lb.Put(locksKey(ch, channel.PartyA), encodeLockHeader(1, 1, mustLocksRoot(t, one)))
			entry(b, 2, one[0])
		},
		"same sequence twice": func(b *Batch) {
			b.lb.Put(locksKey(ch, channel.PartyA), encodeLockHeader(2, 2, mustLocksRoot(t, two)))
			entry(b, 1, two[0])
			entry(b, 1, two[1])
		},
		"zero amount": func(b *Batch) {
			b.lb.Put(locksKey(ch, channel.PartyA), encodeLockHeader(1, 1, mustLocksRoot(t, one)))
			b.lb.Put(lockEntryKey(ch, channel.PartyA, one[0].SecretHash), make([]byte, lockEntryLen))
		},
		"version 1 record": func(b *Batch) {
			v1, _ := channel.AppendLocks(make([]byte, 8), one)
			b.lb.Put(locksKey(ch, channel.PartyA), v1)
		},
	} {
		s, _ := openTemp(t, Options{})
		bad := NewBatch()
		fill(bad)
		if err := s.Commit(t.Context(), bad); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.GetLocks(ch, channel.PartyA); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: GetLocks err %v, want ErrCorrupt", name, err)
		}
		if rep, err := s.Check(); err != nil || rep.BadCount == 0 {
			t.Errorf("%s: check %+v, %v; want it reported", name, rep, err)
		}
		s.Close()
	}

	s, _ := openTemp(t, Options{})
	h := channel.SecretHash(testSecret(1))
	bad := NewBatch()
	wrong := testSecret(2)
	bad.lb.Put(secretKey(h), wrong[:])
	if err := s.Commit(t.Context(), bad); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.GetSecret(h); err == nil {
		t.Fatal("a secret that does not match its hash was returned")
	}
	if rep, err := s.Check(); err != nil || rep.BadCount != 1 {
		t.Fatalf("check: %+v, %v; want 1 bad record", rep, err)
	}
}
