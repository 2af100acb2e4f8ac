package store

import (
	"bytes"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// TestIncrementalLockSetsMatchAModel drives two directions of two channels through random
// lock updates (adds, and removals anywhere in the set: unlock, expire, cancel), one to
// four changes per batch with direct payments' nonces skipped in between, reopening the
// store now and then, and DeleteChannel once. After every commit each direction reads
// back exactly the model's list: a plain slice appended to and cut, in order.
func TestIncrementalLockSetsMatchAModel(t *testing.T) {
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 17))
		s, _ := openTemp(t, Options{})
		type dir struct {
			ch    channel.ID
			payer channel.Party
		}
		dirs := []dir{{testChannelID(1), channel.PartyA}, {testChannelID(1), channel.PartyB}, {testChannelID(2), channel.PartyA}}
		model := map[dir][]channel.Lock{}
		nonce := map[dir]uint64{}
		secrets := map[[32]byte][32]byte{}
		next := uint64(1)
		for round := range 150 {
			b := NewBatch()
			for range 1 + rng.IntN(4) {
				d := dirs[rng.IntN(len(dirs))]
				cur := model[d]
				nonce[d] += 1 + uint64(rng.IntN(3)) // direct payments take nonces too
				var u channel.LockUpdate
				if len(cur) == 0 || (len(cur) < channel.MaxLocks && rng.IntN(5) < 3) {
					sec := testSecret(next)
					l := channel.Lock{Amount: big.NewInt(int64(1 + rng.IntN(1<<20))), Expiration: uint64(rng.IntN(1 << 30)), SecretHash: channel.SecretHash(sec)}
					secrets[l.SecretHash] = sec
					next++
					u = channel.AddLock(l)
					cur = append(cur[:len(cur):len(cur)], l)
				} else {
					i := rng.IntN(len(cur))
					switch h := cur[i].SecretHash; rng.IntN(3) {
					case 0:
						u = channel.Unlock(secrets[h])
					case 1:
						u = channel.ExpireLock(h)
					default:
						u = channel.CancelLock(h)
					}
					cur = append(cur[:i:i], cur[i+1:]...)
				}
				model[d] = cur
				if err := b.PutLockChange(d.ch, d.payer, LockChange{Nonce: nonce[d], Root: mustLocksRoot(t, cur), Count: len(cur), Update: u}); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Commit(t.Context(), b); err != nil {
				t.Fatal(err)
			}
			if rng.IntN(25) == 0 {
				s = reopen(t, s, Options{})
			}
			if round == 100 {
				// A deleted channel reads empty, and its id's later sets start clean
				// only once its orphaned lock keys are gone: use a fresh id after.
				commit(t, s, func(b *Batch) error { b.DeleteChannel(testChannelID(2)); return nil })
				delete(model, dirs[2])
				dirs = dirs[:2]
			}
			for _, d := range dirs {
				got, found, err := s.GetLocks(d.ch, d.payer)
				want := model[d]
				if err != nil || found != (len(want) > 0) || !sameLockList(got.Locks, want) || (found && got.Nonce != nonce[d]) {
					t.Fatalf("seed %d round %d %s/%s: stored %d locks at nonce %d (found=%v err=%v), model %d at %d",
						seed, round, d.ch, d.payer, len(got.Locks), got.Nonce, found, err, len(want), nonce[d])
				}
			}
			if _, found, err := s.GetLocks(testChannelID(2), channel.PartyA); round >= 100 && (found || err != nil) {
				t.Fatalf("deleted channel's locks: found=%v err=%v", found, err)
			}
		}
		if rep, err := s.Check(); err != nil || rep.BadCount != 0 {
			t.Fatalf("seed %d: check %+v, %v", seed, rep, err)
		}
		s.Close()
	}
}

// A lock set is only ever believed together with the proof that commits to it: a change
// stored without its proof (a bug, or a batch split in two) leaves a set whose root is
// not the stored proof's, and restoring the channel from the store refuses it.
func TestRestoreRefusesALockSetFromAnotherProof(t *testing.T) {
	s, _ := openTemp(t, Options{})
	f := newChannelFixture(t)
	ch := f.params.ID
	one := []channel.Lock{testLock(1)}
	two := []channel.Lock{testLock(1), testLock(2)}
	p := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: ch, Nonce: 1, Transferred: new(big.Int), Locked: big.NewInt(11), LocksRoot: mustLocksRoot(t, one)}, Sig: testSig(1)}
	commit(t, s, func(b *Batch) error {
		putAdds(t, b, ch, channel.PartyA, 1, nil, one...)
		return b.PutProof(channel.PartyA, &p)
	})
	restore := func() error {
		rec, _, err := s.GetLocks(ch, channel.PartyA)
		if err != nil {
			return err
		}
		proof, _, err := s.GetProof(ch, channel.PartyA)
		if err != nil {
			return err
		}
		sn := f.snapshot(t)
		sn.Sides[channel.PartyA].Sent, sn.Sides[channel.PartyA].Locks = proof, rec.Locks
		_, err = channel.Restore(sn)
		return err
	}
	if err := restore(); err != nil {
		t.Fatalf("consistent set refused: %v", err)
	}
	commit(t, s, func(b *Batch) error { putAdds(t, b, ch, channel.PartyA, 2, one, two[1]); return nil })
	if rec, _, _ := s.GetLocks(ch, channel.PartyA); rec.Nonce == p.Nonce {
		t.Fatal("fixture: the set's nonce did not move past the proof's")
	}
	if err := restore(); !errors.Is(err, channel.ErrLocksMismatch) {
		t.Fatalf("set of proof 2 with proof 1: %v, want ErrLocksMismatch", err)
	}
}

// FuzzDecodeLockRecords feeds the set reader a header and lock keys built from the input:
// whatever it accepts re-encodes to the same bytes and is a set its header describes
// (count, nonce bound, strictly ordered, hashing to the root).
func FuzzDecodeLockRecords(f *testing.F) {
	set := []channel.Lock{testLock(1), testLock(2)}
	root, _ := channel.LocksRoot(set)
	good := encodeLockHeader(9, 2, root)
	for i := range set {
		good = append(good, set[i].SecretHash[:]...)
		good = append(good, encodeLockEntry(uint64(3+i), &set[i])...)
	}
	f.Add(good)
	f.Add(good[:lockHeaderLen])
	f.Add(good[:lockHeaderLen+64])
	v1, _ := channel.AppendLocks(make([]byte, 8), set)
	f.Add(v1)
	sec := testSecret(1)
	f.Add(sec[:])
	f.Fuzz(func(t *testing.T, b []byte) {
		ch, payer := testChannelID(1), channel.PartyA
		var r lockSetReader
		if len(b) >= lockHeaderLen {
			r.add(locksKey(ch, payer), b[:lockHeaderLen])
			if h, err := decodeLockHeader(b[:lockHeaderLen]); err == nil && !bytes.Equal(encodeLockHeader(h.nonce, h.count, h.root), b[:lockHeaderLen]) {
				t.Fatalf("header re-encodes differently: %x", b[:lockHeaderLen])
			}
			for rest := b[lockHeaderLen:]; len(rest) >= 32+lockEntryLen; rest = rest[32+lockEntryLen:] {
				hash, val := [32]byte(rest[:32]), rest[32:32+lockEntryLen]
				if e, err := decodeLockEntry(hash, val); err == nil && !bytes.Equal(encodeLockEntry(e.seq, &e.lock), val) {
					t.Fatalf("lock re-encodes differently: %x", val)
				}
				r.add(lockEntryKey(ch, payer, hash), val)
			}
		}
		if rec, found, err := r.finish(ch, payer); err == nil && found {
			h, _ := decodeLockHeader(b[:lockHeaderLen])
			if len(rec.Locks) != h.count || rec.Nonce != h.nonce || rec.Root != h.root || mustLocksRoot(t, rec.Locks) != h.root {
				t.Fatalf("accepted a set its header does not describe: %+v vs %+v", rec, h)
			}
		}
		_, _ = decodeLockSetV1(b)
		var h [32]byte
		if len(b) == 32 {
			h = channel.SecretHash([32]byte(b))
		}
		if sec, err := decodeSecret(h, b); err == nil && channel.SecretHash(sec) != h {
			t.Fatal("decoded a secret that does not hash to its key")
		}
	})
}

// channelFixture is a channel whose State a test rebuilds from stored records.
type channelFixture struct{ params channel.Params }

func newChannelFixture(t *testing.T) channelFixture {
	t.Helper()
	return channelFixture{params: channel.Params{
		ID:              testChannelID(33),
		Domain:          channel.Domain{ChainID: big.NewInt(31337), Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")},
		Participants:    [2]common.Address{{0xa1}, {0xb2}},
		ChallengePeriod: 60,
	}}
}

// snapshot is the channel with A's deposit of 100 and no proofs, for Restore.
func (f channelFixture) snapshot(t *testing.T) channel.Snapshot {
	t.Helper()
	st, err := channel.NewState(f.params)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ApplyDeposit(channel.PartyA, big.NewInt(100)); err != nil {
		t.Fatal(err)
	}
	return st.Snapshot()
}
