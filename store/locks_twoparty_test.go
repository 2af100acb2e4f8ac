package store

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
)

// A two-party hashlock test on the pure state machines, each end persisting to its own
// leveldb store on disk exactly as a node must (persist, then commit, then send or ack),
// checked after every step against a model of the balances written here independently
// of package channel.

// lockModel is the test's own bookkeeping of one channel with locks paid by A only.
type lockModel struct {
	deposit     [2]int64
	transferred [2]int64
	locks       []modelLock // A's pending locks, creation order
}

type modelLock struct {
	amount     int64
	expiration uint64
	secret     [32]byte
}

func (m *lockModel) locked() int64 {
	var sum int64
	for _, l := range m.locks {
		sum += l.amount
	}
	return sum
}

// balance is deposit - sent + received; spendable also leaves out what the party locked.
func (m *lockModel) balance(p channel.Party) int64 {
	return m.deposit[p] - m.transferred[p] + m.transferred[p.Other()]
}

func (m *lockModel) spendable(p channel.Party) int64 {
	if p == channel.PartyA {
		return m.balance(p) - m.locked()
	}
	return m.balance(p)
}

func (m *lockModel) remove(secret [32]byte) modelLock {
	for i, l := range m.locks {
		if l.secret == secret {
			m.locks = append(m.locks[:i:i], m.locks[i+1:]...)
			return l
		}
	}
	panic("model: no such lock")
}

// end is one participant: its State, its signer and its store.
type end struct {
	name  string
	st    *channel.State
	sig   *channel.KeySigner
	db    *Store
	party channel.Party
}

// persistProof writes payer's proof and, for a lock update u, the change to the lock set
// it commits to (leaving locks pending), in one batch; the state's commit comes after, as
// on a node.
func (e *end) persistProof(t *testing.T, payer channel.Party, p channel.SignedProof, locks []channel.Lock, u *channel.LockUpdate) {
	t.Helper()
	b := NewBatch()
	err := b.PutProof(payer, &p)
	if u != nil {
		err = errors.Join(err, b.PutLockChange(p.Channel, payer, LockChange{Nonce: p.Nonce, Root: p.LocksRoot, Count: len(locks), Update: *u}))
	}
	if err != nil {
		t.Fatalf("%s: fill batch: %v", e.name, err)
	}
	if err := e.db.Commit(context.Background(), b); err != nil {
		t.Fatalf("%s: commit: %v", e.name, err)
	}
}

func (e *end) persistSecret(t *testing.T, secret [32]byte) {
	t.Helper()
	b := NewBatch()
	b.PutSecret(secret)
	if err := e.db.Commit(context.Background(), b); err != nil {
		t.Fatalf("%s: commit secret: %v", e.name, err)
	}
}

// locksAfter is the lock set payer has once u is committed, computed on a clone.
func locksAfter(t *testing.T, st *channel.State, payer channel.Party, u channel.LockUpdate, p channel.SignedProof, now uint64) []channel.Lock {
	t.Helper()
	c := st.Clone()
	if err := c.CommitLockUpdate(payer, u, p, now); err != nil {
		t.Fatalf("locks after %s: %v", u.Change, err)
	}
	return c.Locks(payer)
}

type twoParty struct {
	t          *testing.T
	alice, bob *end
	model      lockModel
	now        uint64
	id         channel.ID
}

func newTwoParty(t *testing.T) *twoParty {
	var signers [2]*channel.KeySigner
	for i := range signers {
		key, err := crypto.ToECDSA(common.LeftPadBytes([]byte{byte(i + 1), 0x17}, 32))
		if err != nil {
			t.Fatal(err)
		}
		if signers[i], err = channel.NewKeySigner(key); err != nil {
			t.Fatal(err)
		}
	}
	params := channel.Params{
		ID:              testChannelID(17),
		Domain:          channel.Domain{ChainID: big.NewInt(31337), Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")},
		Participants:    [2]common.Address{signers[0].Address(), signers[1].Address()},
		ChallengePeriod: 60,
	}
	tp := &twoParty{t: t, model: lockModel{deposit: [2]int64{100, 50}}, now: 10_000, id: params.ID}
	for i, name := range []string{"alice", "bob"} {
		st, err := channel.NewState(params)
		if err != nil {
			t.Fatal(err)
		}
		for p, dep := range tp.model.deposit {
			if err := st.ApplyDeposit(channel.Party(p), big.NewInt(dep)); err != nil {
				t.Fatal(err)
			}
		}
		db, err := Open(filepath.Join(t.TempDir(), name), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		e := &end{name: name, st: st, sig: signers[i], db: db, party: channel.Party(i)}
		if i == 0 {
			tp.alice = e
		} else {
			tp.bob = e
		}
	}
	return tp
}

// lockUpdate runs u from alice (payer A) to bob: alice prepares and persists, bob
// validates, persists and commits (the ack), alice commits. Then everything is checked.
func (tp *twoParty) lockUpdate(u channel.LockUpdate) {
	t := tp.t
	t.Helper()
	a, b := tp.alice, tp.bob
	p, err := a.st.PrepareLockUpdate(channel.PartyA, u, tp.now, a.sig)
	if err != nil {
		t.Fatalf("alice prepares %s: %v", u.Change, err)
	}
	a.persistProof(t, channel.PartyA, p, locksAfter(t, a.st, channel.PartyA, u, p, tp.now), &u)
	if o, err := b.st.ValidateLockUpdate(channel.PartyA, u, p, tp.now); err != nil || o != channel.OutcomeNew {
		t.Fatalf("bob validates %s: %v, %v", u.Change, o, err)
	}
	b.persistProof(t, channel.PartyA, p, locksAfter(t, b.st, channel.PartyA, u, p, tp.now), &u)
	if err := b.st.CommitLockUpdate(channel.PartyA, u, p, tp.now); err != nil {
		t.Fatalf("bob commits %s: %v", u.Change, err)
	}
	if err := a.st.CommitLockUpdate(channel.PartyA, u, p, tp.now); err != nil {
		t.Fatalf("alice commits %s: %v", u.Change, err)
	}
	tp.check(fmt.Sprintf("after %s", u.Change))
}

// pay is a direct payment from payer to the other end; locks are not rewritten.
func (tp *twoParty) pay(payer *end, payee *end, amount int64) {
	t := tp.t
	t.Helper()
	p, err := payer.st.PreparePayment(payer.party, big.NewInt(amount), payer.sig)
	if err != nil {
		t.Fatalf("%s pays %d: %v", payer.name, amount, err)
	}
	payer.persistProof(t, payer.party, p, nil, nil)
	if _, err := payee.st.ValidateIncoming(payer.party, p); err != nil {
		t.Fatalf("%s accepts %d: %v", payee.name, amount, err)
	}
	payee.persistProof(t, payer.party, p, nil, nil)
	for _, e := range []*end{payee, payer} {
		if err := e.st.CommitProof(payer.party, p); err != nil {
			t.Fatalf("%s commits payment: %v", e.name, err)
		}
	}
	tp.model.transferred[payer.party] += amount
	tp.check(fmt.Sprintf("after %s pays %d", payer.name, amount))
}

// check compares both States with each other, with the model, and with each end's store
// reopened from disk.
func (tp *twoParty) check(when string) {
	t := tp.t
	t.Helper()
	m := &tp.model
	want := make([]channel.Lock, len(m.locks))
	for i, l := range m.locks {
		want[i] = channel.Lock{Amount: big.NewInt(l.amount), Expiration: l.expiration, SecretHash: channel.SecretHash(l.secret)}
	}
	wantRoot, err := channel.LocksRoot(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []*end{tp.alice, tp.bob} {
		for _, p := range []channel.Party{channel.PartyA, channel.PartyB} {
			side := e.st.Side(p)
			if side.Sent.Transferred.Int64() != m.transferred[p] || e.st.Balance(p).Int64() != m.balance(p) || e.st.Spendable(p).Int64() != m.spendable(p) {
				t.Fatalf("%s: %s sees %s transferred %s balance %s spendable %s; model %d %d %d", when, e.name, p,
					side.Sent.Transferred, e.st.Balance(p), e.st.Spendable(p), m.transferred[p], m.balance(p), m.spendable(p))
			}
		}
		if got := e.st.Locks(channel.PartyA); !sameLockList(got, want) || e.st.Locked(channel.PartyA).Int64() != m.locked() {
			t.Fatalf("%s: %s holds locks %v (locked %s), model %v", when, e.name, got, e.st.Locked(channel.PartyA), want)
		}
		latest, _ := e.st.Latest(channel.PartyA)
		if latest.LocksRoot != wantRoot {
			t.Fatalf("%s: %s latest root %x, model %x", when, e.name, latest.LocksRoot, wantRoot)
		}
		tp.checkStore(when, e, want, wantRoot)
	}
	sa, sb := tp.alice.st.Snapshot(), tp.bob.st.Snapshot()
	for p := range sa.Sides {
		x, y := sa.Sides[p], sb.Sides[p]
		if x.Sent.Nonce != y.Sent.Nonce || x.Sent.Sig != y.Sent.Sig || x.Sent.LocksRoot != y.Sent.LocksRoot || !sameLockList(x.Locks, y.Locks) {
			t.Fatalf("%s: alice and bob disagree on %s's direction", when, channel.Party(p))
		}
	}
}

// checkStore reopens e's store and rebuilds its State from what is on disk: the lock
// record must hold exactly the pending set the latest proof commits to.
func (tp *twoParty) checkStore(when string, e *end, want []channel.Lock, wantRoot [32]byte) {
	t := tp.t
	t.Helper()
	path := e.db.Path()
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("%s: reopen %s's store: %v", when, e.name, err)
	}
	e.db = db
	rec, found, err := db.GetLocks(tp.id, channel.PartyA)
	if err != nil || found != (len(want) > 0) || !sameLockList(rec.Locks, want) {
		t.Fatalf("%s: %s's stored locks %+v (found=%v err=%v), model %v", when, e.name, rec, found, err, want)
	}
	sn := e.st.Snapshot()
	for _, p := range []channel.Party{channel.PartyA, channel.PartyB} {
		stored, ok, err := db.GetProof(tp.id, p)
		latest, signed := e.st.Latest(p)
		if err != nil || ok != signed || (ok && (stored.Nonce != latest.Nonce || stored.Transferred.Cmp(latest.Transferred) != 0 || stored.Sig != latest.Sig)) {
			t.Fatalf("%s: %s's stored proof of %s %+v (found=%v err=%v), state %+v", when, e.name, p, stored, ok, err, latest)
		}
		if !ok {
			continue
		}
		if p == channel.PartyA && stored.Nonce < rec.Nonce {
			t.Fatalf("%s: %s's lock set is from proof %d, newer than the stored proof %d", when, e.name, rec.Nonce, stored.Nonce)
		}
		var locks []channel.Lock
		if p == channel.PartyA {
			locks = rec.Locks
		}
		// The proof record's Locked/LocksRoot come with the proof codec (lockc's side of
		// issue 17); the lock record alone must rebuild them and agree with the State.
		stored.Locked, stored.LocksRoot = sumLocks(locks), mustRoot(t, locks)
		if p == channel.PartyA && stored.LocksRoot != wantRoot {
			t.Fatalf("%s: %s's stored locks hash to %x, proof commits to %x", when, e.name, stored.LocksRoot, wantRoot)
		}
		sn.Sides[p].Sent = stored
		sn.Sides[p].Locks = locks
	}
	back, err := channel.Restore(sn)
	if err != nil {
		t.Fatalf("%s: restore %s from its store: %v", when, e.name, err)
	}
	for _, p := range []channel.Party{channel.PartyA, channel.PartyB} {
		if back.Spendable(p).Cmp(e.st.Spendable(p)) != 0 || back.Balance(p).Cmp(e.st.Balance(p)) != 0 {
			t.Fatalf("%s: %s restored from disk has %s spendable %s, live %s", when, e.name, p, back.Spendable(p), e.st.Spendable(p))
		}
	}
	for _, l := range tp.model.locks {
		if sec, ok, err := db.GetSecret(channel.SecretHash(l.secret)); err != nil || (ok && sec != l.secret) {
			t.Fatalf("%s: %s's secret store: %v", when, e.name, err)
		}
	}
}

func sumLocks(locks []channel.Lock) *big.Int {
	if len(locks) == 0 {
		return nil
	}
	sum := new(big.Int)
	for _, l := range locks {
		sum.Add(sum, l.Amount)
	}
	return sum
}

func mustRoot(t *testing.T, locks []channel.Lock) [32]byte {
	t.Helper()
	r, err := channel.LocksRoot(locks)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTwoPartiesLockRevealUnlockAndExpireAgreeOnEveryState(t *testing.T) {
	tp := newTwoParty(t)
	a, b := tp.alice, tp.bob
	// Bob invoices: he makes two secrets and keeps them before giving out their hashes.
	secret1, secret2 := [32]byte{0x17, 1}, [32]byte{0x17, 2}
	b.persistSecret(t, secret1)
	b.persistSecret(t, secret2)

	lock1 := modelLock{amount: 30, expiration: tp.now + 600, secret: secret1}
	tp.model.locks = append(tp.model.locks, lock1)
	tp.lockUpdate(channel.AddLock(channel.Lock{Amount: big.NewInt(30), Expiration: lock1.expiration, SecretHash: channel.SecretHash(secret1)}))

	lock2 := modelLock{amount: 20, expiration: tp.now + 300, secret: secret2}
	tp.model.locks = append(tp.model.locks, lock2)
	tp.lockUpdate(channel.AddLock(channel.Lock{Amount: big.NewInt(20), Expiration: lock2.expiration, SecretHash: channel.SecretHash(secret2)}))

	tp.pay(a, b, 5)  // a direct payment with locks pending keeps them
	tp.pay(b, a, 12) // and the other direction is unaffected

	// Alice cannot lock or pay more than she has outside the locks: 100-5+12-50 = 57.
	if _, err := a.st.PrepareLockUpdate(channel.PartyA, channel.AddLock(channel.Lock{Amount: big.NewInt(58), Expiration: tp.now + 60, SecretHash: [32]byte{9}}), tp.now, a.sig); !errors.Is(err, channel.ErrOverdraft) {
		t.Fatalf("lock beyond the spendable balance: %v", err)
	}
	if _, err := a.st.PreparePayment(channel.PartyA, big.NewInt(58), a.sig); !errors.Is(err, channel.ErrOverdraft) {
		t.Fatalf("payment beyond the spendable balance: %v", err)
	}

	// Bob reveals secret1; alice checks it opens one of her locks, keeps it, unlocks.
	if _, ok := a.st.PendingLock(channel.PartyA, channel.SecretHash(secret1)); !ok {
		t.Fatal("revealed secret matches no pending lock")
	}
	a.persistSecret(t, secret1)
	tp.model.remove(secret1)
	tp.model.transferred[channel.PartyA] += lock1.amount
	tp.lockUpdate(channel.Unlock(secret1))
	if sec, ok, err := a.db.GetSecret(channel.SecretHash(secret1)); err != nil || !ok || sec != secret1 {
		t.Fatalf("alice lost the revealed secret: %v %v", ok, err)
	}

	// Lock 2 is never revealed. At its expiration (inclusive) bob still refuses to drop it.
	tp.now = lock2.expiration
	early, err := a.st.Clone().PrepareLockUpdate(channel.PartyA, channel.ExpireLock(channel.SecretHash(secret2)), tp.now+1, a.sig)
	if err != nil {
		t.Fatal(err)
	}
	before := b.st.Snapshot()
	if _, err := b.st.ValidateLockUpdate(channel.PartyA, channel.ExpireLock(channel.SecretHash(secret2)), early, tp.now); !errors.Is(err, channel.ErrLockNotExpired) {
		t.Fatalf("bob accepts an expiry at the expiration time: %v", err)
	}
	if after := b.st.Snapshot(); after.Sides[channel.PartyA].Sent.Nonce != before.Sides[channel.PartyA].Sent.Nonce {
		t.Fatal("refused expiry changed bob's state")
	}
	tp.check("after a refused early expiry")

	tp.now = lock2.expiration + 1
	tp.model.remove(secret2)
	tp.lockUpdate(channel.ExpireLock(channel.SecretHash(secret2)))

	// Final: A paid 5 + 30 (unlocked), B paid 12, lock 2's 20 went back to A.
	if got := tp.alice.st.Balance(channel.PartyA).Int64(); got != 100-35+12 {
		t.Fatalf("alice ends with %d", got)
	}
	if got := tp.bob.st.Balance(channel.PartyB).Int64(); got != 50+35-12 {
		t.Fatalf("bob ends with %d", got)
	}
	if _, err := tp.bob.st.ProposeSettlement(); err != nil {
		t.Fatalf("no lock left, cooperative settlement should work: %v", err)
	}
}
