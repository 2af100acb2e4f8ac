package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store/kv"
)

// putV1LockSet writes a lock set exactly as schema version 1 did: one record of
// nonce(8) then channel.AppendLocks (count(1), 56 bytes a lock).
func putV1LockSet(t *testing.T, b *Batch, ch channel.ID, payer channel.Party, nonce uint64, locks []channel.Lock) {
	t.Helper()
	val, err := channel.AppendLocks(binary.BigEndian.AppendUint64(nil, nonce), locks)
	if err != nil {
		t.Fatal(err)
	}
	b.lb.Put(locksKey(ch, payer), val)
}

// A datadir written at version 1 opens: every lock set comes back in its order with its
// nonce, later lock updates continue it, a damaged old record is still reported (not a
// refused Open), and the migration runs once.
func TestOpenMigratesVersion1LockSets(t *testing.T) {
	s, dir := openTemp(t, v1)
	ch1, ch2 := testChannelID(1), testChannelID(2)
	// Hashes out of key order, so only the stored order can give the set back.
	setA := []channel.Lock{testLock(3), testLock(1), testLock(2)}
	setB := []channel.Lock{testLock(9)}
	proof := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: ch1, Nonce: 7, Transferred: big.NewInt(5), LocksRoot: mustLocksRoot(t, setA)}, Sig: testSig(7)}
	commit(t, s, func(b *Batch) error {
		putV1LockSet(t, b, ch1, channel.PartyA, 7, setA)
		putV1LockSet(t, b, ch1, channel.PartyB, 2, setB)
		damaged := append(binary.BigEndian.AppendUint64(nil, 3), 1)
		b.lb.Put(locksKey(ch2, channel.PartyA), append(damaged, make([]byte, channel.LockSize)...)) // zero amount
		b.PutSecret(testSecret(4))
		return b.PutProof(channel.PartyA, &proof)
	})
	s.Close()
	if v := schemaVersionOnDisk(t, dir); v != 1 {
		t.Fatalf("fixture at version %d, want 1", v)
	}

	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if raw, _, err := s.kv.Get(schemaKey); err != nil || binary.BigEndian.Uint32(raw) != SchemaVersion {
		t.Fatalf("version %x after open (%v), want %d", raw, err, SchemaVersion)
	}
	for _, c := range []struct {
		payer channel.Party
		nonce uint64
		want  []channel.Lock
	}{{channel.PartyA, 7, setA}, {channel.PartyB, 2, setB}} {
		got, ok, err := s.GetLocks(ch1, c.payer)
		if err != nil || !ok || got.Nonce != c.nonce || !sameLockList(got.Locks, c.want) || got.Root != mustLocksRoot(t, c.want) {
			t.Fatalf("payer %s after migration: %+v, %v, %v", c.payer, got, ok, err)
		}
	}
	if got, _, _ := s.GetLocks(ch1, channel.PartyA); got.Root != proof.LocksRoot {
		t.Fatal("migrated set does not match its proof's root")
	}
	if _, _, err := s.GetLocks(ch2, channel.PartyA); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("damaged version 1 record: %v, want ErrCorrupt", err)
	}
	if rep, err := s.Check(); err != nil || rep.BadCount != 1 || rep.LockSets != 3 || rep.Secrets != 1 {
		t.Fatalf("check after migration: %+v, %v; want the one damaged set", rep, err)
	}
	// Run again (a migration cut short on a backend that splits big writes), it finds
	// nothing left to convert: converted headers and lock keys are not version 1 records.
	var again kv.Batch
	if err := migrateLockSetsV2(s.kv, &again); err != nil || again.Len() != 0 {
		t.Fatalf("second migration: %d writes, %v; want none", again.Len(), err)
	}

	// The migrated set continues: a new lock goes after the old ones, an old one unlocks.
	commit(t, s, func(b *Batch) error {
		have, _ := putAdds(t, b, ch1, channel.PartyA, 8, setA, testLock(4))
		rest := []channel.Lock{have[1], have[2], have[3]}
		return b.PutLockChange(ch1, channel.PartyA, LockChange{Nonce: 9, Root: mustLocksRoot(t, rest), Count: 3, Update: channel.Unlock(testSecret(3))})
	})
	want := []channel.Lock{testLock(1), testLock(2), testLock(4)}
	s = reopen(t, s, Options{})
	if got, ok, err := s.GetLocks(ch1, channel.PartyA); err != nil || !ok || got.Nonce != 9 || !sameLockList(got.Locks, want) {
		t.Fatalf("after updates on the migrated set: %+v, %v, %v", got, ok, err)
	}
	// A second open finds the current version and migrates nothing: a version 1 record written now
	// stays unreadable instead of being converted again.
	commit(t, s, func(b *Batch) error { putV1LockSet(t, b, ch2, channel.PartyB, 1, setB); return nil })
	s = reopen(t, s, Options{})
	if _, _, err := s.GetLocks(ch2, channel.PartyB); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("version 1 record in a version 2 store: %v, want ErrCorrupt", err)
	}
}

// The migration writes exactly the layout PutLockChange builds, so a migrated store and
// one whose sets were written by lock updates hold the same header bytes.
func TestMigratedHeaderEqualsWrittenHeader(t *testing.T) {
	set := []channel.Lock{testLock(5), testLock(6)}
	s1, _ := openTemp(t, v1)
	commit(t, s1, func(b *Batch) error { putV1LockSet(t, b, testChannelID(1), channel.PartyA, 2, set); return nil })
	s1 = reopen(t, s1, Options{})
	s2, _ := openTemp(t, Options{})
	commit(t, s2, func(b *Batch) error { putAdds(t, b, testChannelID(1), channel.PartyA, 1, nil, set...); return nil })
	h1, _, _ := s1.get(locksKey(testChannelID(1), channel.PartyA))
	h2, _, _ := s2.get(locksKey(testChannelID(1), channel.PartyA))
	if !bytes.Equal(h1, h2) {
		t.Fatalf("migrated header %x, written header %x", h1, h2)
	}
}

// testdata/v1-lock-sets is a datadir written by the version 1 store itself (commit
// 3f40245: Batch.PutLocks of [lock 3, lock 1, lock 2] at nonce 7 for payer A and [lock 9]
// at nonce 2 for payer B of channel c401…, the proof at nonce 7 and secret 4). This binary
// opens it, migrates it and reads the same sets.
func TestOpenMigratesADatadirWrittenByVersion1(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	if err := os.CopyFS(dir, os.DirFS("testdata/v1-lock-sets")); err != nil {
		t.Fatal(err)
	}
	if v := schemaVersionOnDisk(t, dir); v != 1 {
		t.Fatalf("fixture at version %d, want 1", v)
	}
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ch := channel.ID{0xc4, 0x01}
	setA := []channel.Lock{testLock(3), testLock(1), testLock(2)}
	proof, ok, err := s.GetProof(ch, channel.PartyA)
	if err != nil || !ok || proof.Nonce != 7 || proof.LocksRoot != mustLocksRoot(t, setA) {
		t.Fatalf("proof %+v, %v, %v", proof, ok, err)
	}
	for _, c := range []struct {
		payer channel.Party
		nonce uint64
		want  []channel.Lock
	}{{channel.PartyA, 7, setA}, {channel.PartyB, 2, []channel.Lock{testLock(9)}}} {
		got, ok, err := s.GetLocks(ch, c.payer)
		if err != nil || !ok || got.Nonce != c.nonce || !sameLockList(got.Locks, c.want) {
			t.Fatalf("payer %s: %+v, %v, %v", c.payer, got, ok, err)
		}
	}
	if sec, ok, err := s.GetSecret(channel.SecretHash(testSecret(4))); err != nil || !ok || sec != testSecret(4) {
		t.Fatalf("secret: %v %v", ok, err)
	}
	if rep, err := s.Check(); err != nil || rep.BadCount != 0 || rep.LockSets != 2 {
		t.Fatalf("check: %+v, %v", rep, err)
	}
}
