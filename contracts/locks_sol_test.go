package contracts_test

import (
	"math/big"
	"math/rand"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
)

// closeWithLocks opens an ETH channel a->b with 10 ETH, has b close with a's proof of 1 ETH
// transferred plus locks, settles it, and returns the channel id. Secrets are registered
// by the caller through register before settle.
func (e *evm) settleWithLocks(t *testing.T, locks []channel.Lock, register func()) [32]byte {
	t.Helper()
	a, b := e.accounts[1], e.accounts[2]
	id := e.openETH(a, b.Address, eth(10), 600)
	p := e.signLocked(a.Key, id, 3, eth(1), locks)
	e.mustSend(b, e.channels, nil, e.packCloseLocked(id, p))
	if register != nil {
		register()
	}
	e.advance(601 * time.Second)
	rec := e.mustSend(e.accounts[3], e.channels, nil, e.sc.PackSettle(id))
	ev := findEvent(t, rec, e.sc.UnpackChannelSettledEvent)
	var locked big.Int
	for _, l := range locks {
		locked.Add(&locked, l.Amount)
	}
	// a's locks are held back from a's balance: 10 - 1 transferred - locked.
	wantBig(t, "settled balance A", ev.BalanceA, new(big.Int).Sub(eth(9), &locked))
	wantBig(t, "settled balance B", ev.BalanceB, eth(1))
	held := findEvent(t, rec, e.sc.UnpackLocksHeldEvent)
	if held.Sender != a.Address || held.Receiver != b.Address || held.LocksRoot != p.root {
		t.Fatalf("LocksHeld = %+v", held)
	}
	wantBig(t, "held", held.Held, &locked)
	return id
}

// TestUnlockPaysRevealedLocksToReceiverAndTheRestToSender: a lock whose secret was
// registered by its expiration goes to the receiver; one never revealed and one revealed
// after expiration go back to the sender. Wrong lock lists change nothing; a second unlock
// is refused.
func TestUnlockPaysRevealedLocksToReceiverAndTheRestToSender(t *testing.T) {
	e := newEVM(t)
	a, b, anyone := e.accounts[1], e.accounts[2], e.accounts[3]
	exp := e.now() + 300
	locks := []channel.Lock{
		lockOf(milli(2000), exp, 1),     // revealed in time: to b
		lockOf(milli(1000), exp, 2),     // never revealed: back to a
		lockOf(milli(500), exp+2000, 3), // revealed in time (expiry after settle): to b
		lockOf(milli(250), exp, 4),      // revealed after expiration: back to a
	}
	id := e.settleWithLocks(t, locks, func() {
		e.mustSend(b, e.channels, nil, e.sc.PackRegisterSecret(secretOf(1)))
	})
	// Registered after settle but before its expiration still counts.
	e.mustSend(anyone, e.channels, nil, e.sc.PackRegisterSecret(secretOf(3)))
	e.advance(400 * time.Second)
	e.mustSend(anyone, e.channels, nil, e.sc.PackRegisterSecret(secretOf(4)))

	wrong := map[string][]channel.Lock{
		"wrong order":  {locks[1], locks[0], locks[2], locks[3]},
		"missing lock": locks[:3],
		"extra lock":   append(append([]channel.Lock{}, locks...), lockOf(milli(1), exp, 9)),
		"wrong amount": {lockOf(milli(2001), exp, 1), locks[1], locks[2], locks[3]},
		"wrong expiry": {lockOf(milli(2000), exp+1, 1), locks[1], locks[2], locks[3]},
		"empty":        nil,
	}
	for name, l := range wrong {
		t.Run(name, func(t *testing.T) {
			e.with(t).expectRevert(anyone, e.channels, nil, e.packUnlock(id, a.Address, l), errID(t, "InvalidLocks"))
		})
	}
	e.expectRevert(anyone, e.channels, nil, e.packUnlock(id, b.Address, nil), errID(t, "NothingToUnlock"))

	balA, balB := e.balance(a.Address), e.balance(b.Address)
	rec := e.mustSend(anyone, e.channels, nil, e.packUnlock(id, a.Address, locks))
	ev := findEvent(t, rec, e.sc.UnpackUnlockedEvent)
	if ev.Id != id || ev.Sender != a.Address {
		t.Fatalf("Unlocked = %+v", ev)
	}
	wantBig(t, "to receiver", ev.ToReceiver, milli(2500))
	wantBig(t, "to sender", ev.ToSender, milli(1250))
	wantBig(t, "b's gain", new(big.Int).Sub(e.balance(b.Address), balB), milli(2500))
	wantBig(t, "a's gain", new(big.Int).Sub(e.balance(a.Address), balA), milli(1250))
	wantBig(t, "escrow balance", e.balance(e.channels), new(big.Int))

	e.expectRevert(anyone, e.channels, nil, e.packUnlock(id, a.Address, locks), errID(t, "NothingToUnlock"))
}

func TestRegisterSecretFirstRegistrationWins(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	rec := e.mustSend(a, e.channels, nil, e.sc.PackRegisterSecret(secretOf(1)))
	ev := findEvent(t, rec, e.sc.UnpackSecretRegisteredEvent)
	if ev.SecretHash != channel.SecretHash(secretOf(1)) || ev.Secret != secretOf(1) {
		t.Fatalf("SecretRegistered = %+v", ev)
	}
	at, err := e.sc.UnpackSecretRegisteredAt(e.call(e.channels, e.sc.PackSecretRegisteredAt(ev.SecretHash)))
	if err != nil {
		t.Fatal(err)
	}
	first := at.Uint64()
	e.advance(100 * time.Second)
	rec = e.mustSend(b, e.channels, nil, e.sc.PackRegisterSecrets([][32]byte{secretOf(1), secretOf(2)}))
	if len(rec.Logs) != 1 {
		t.Fatalf("batch with one known secret emitted %d events, want 1", len(rec.Logs))
	}
	at, _ = e.sc.UnpackSecretRegisteredAt(e.call(e.channels, e.sc.PackSecretRegisteredAt(ev.SecretHash)))
	if at.Uint64() != first {
		t.Fatalf("re-registration moved the time from %d to %s", first, at)
	}
	got, err := e.sc.UnpackRegisterSecret(e.call(e.channels, e.sc.PackRegisterSecret(secretOf(2))))
	if err != nil || got {
		t.Fatalf("registerSecret of a known secret returned %v, %v; want false", got, err)
	}
}

// TestUnlockRefusesMoreThanMaxLocks and measures unlock's gas at 1, 6 and MAX_LOCKS locks.
func TestUnlockGasAndLockLimit(t *testing.T) {
	e := newEVM(t)
	a := e.accounts[1]
	for _, n := range []int{1, 6, channel.MaxLocks} {
		exp := e.now() + 5000
		var locks []channel.Lock
		var secrets [][32]byte
		for i := 0; i < n; i++ {
			locks = append(locks, lockOf(milli(10), exp, 1000*n+i))
			secrets = append(secrets, secretOf(1000*n+i))
		}
		id := e.settleWithLocks(t, locks, func() {
			e.mustSend(e.accounts[2], e.channels, nil, e.sc.PackRegisterSecrets(secrets))
		})
		rec := e.mustSend(e.accounts[2], e.channels, nil, e.packUnlock(id, a.Address, locks))
		t.Logf("unlock of %d locks (all revealed, receiver sends): %d gas", n, rec.GasUsed)
		if n == channel.MaxLocks {
			break
		}
	}
	exp := e.now() + 5000
	var locks []channel.Lock
	for i := 0; i <= channel.MaxLocks; i++ {
		locks = append(locks, lockOf(milli(1), exp, 5000+i))
	}
	id := e.settleWithLocks(t, locks, nil)
	e.expectRevert(a, e.channels, nil, e.packUnlock(id, a.Address, locks), errID(t, "TooManyLocks"))
}

// TestUnlockERC20 runs a revealed and an unrevealed lock in a token channel.
func TestUnlockERC20(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	token := e.deployToken(e.accounts[1:3], eth(100))
	id := e.openToken(a, b.Address, token, eth(10), 600)
	exp := e.now() + 1000
	locks := []channel.Lock{lockOf(eth(2), exp, 1), lockOf(eth(3), exp, 2)}
	p := e.signLocked(a.Key, id, 1, eth(1), locks)
	e.mustSend(b, e.channels, nil, e.packCloseLocked(id, p))
	e.mustSend(b, e.channels, nil, e.sc.PackRegisterSecret(secretOf(2)))
	e.advance(601 * time.Second)
	e.mustSend(b, e.channels, nil, e.sc.PackSettle(id))
	wantBig(t, "a after settle", e.tokenBalance(token, a.Address), eth(90+4))
	wantBig(t, "b after settle", e.tokenBalance(token, b.Address), eth(100+1))
	e.mustSend(b, e.channels, nil, e.packUnlock(id, a.Address, locks))
	wantBig(t, "a after unlock", e.tokenBalance(token, a.Address), eth(90+4+2))
	wantBig(t, "b after unlock", e.tokenBalance(token, b.Address), eth(100+1+3))
	wantBig(t, "escrow", e.tokenBalance(token, e.channels), new(big.Int))
}

// TestUnlockHoldsOnlyWhatTheSenderHad: a proof promising more than the sender's balance
// holds back only that balance, and unlock never pays out more than was held.
func TestUnlockHoldsOnlyWhatTheSenderHad(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	id := e.openETH(a, b.Address, eth(5), 600)
	exp := e.now() + 1000
	locks := []channel.Lock{lockOf(eth(3), exp, 1)}
	p := e.signLocked(a.Key, id, 1, eth(4), locks) // 4 + 3 > 5
	e.mustSend(b, e.channels, nil, e.packCloseLocked(id, p))
	e.mustSend(b, e.channels, nil, e.sc.PackRegisterSecret(secretOf(1)))
	e.advance(601 * time.Second)
	rec := e.mustSend(b, e.channels, nil, e.sc.PackSettle(id))
	held := findEvent(t, rec, e.sc.UnpackLocksHeldEvent)
	wantBig(t, "held", held.Held, eth(1))
	rec = e.mustSend(b, e.channels, nil, e.packUnlock(id, a.Address, locks))
	ev := findEvent(t, rec, e.sc.UnpackUnlockedEvent)
	wantBig(t, "to receiver", ev.ToReceiver, eth(1))
	wantBig(t, "to sender", ev.ToSender, new(big.Int))
	wantBig(t, "escrow", e.balance(e.channels), new(big.Int))
}

// TestProofLockRules: a locked amount without a root, or above MAX_LOCKED, is refused; a
// newer lock-free proof replaces a locked one so settle holds nothing back.
func TestProofLockRules(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	id := e.openETH(a, b.Address, eth(10), 600)
	noRoot := e.signLockedRaw(a.Key, id, 1, eth(1), eth(1), [32]byte{}, nil)
	e.expectRevert(b, e.channels, nil, e.packCloseLocked(id, noRoot), errID(t, "InvalidLocks"))
	huge := new(big.Int).Lsh(big.NewInt(1), 96)
	tooMuch := e.signLockedRaw(a.Key, id, 1, eth(1), huge, [32]byte{1}, nil)
	e.expectRevert(b, e.channels, nil, e.packCloseLocked(id, tooMuch), errID(t, "AmountTooLarge"))
	// The contract checks the signature over locked and locksRoot too.
	good := e.signLocked(a.Key, id, 1, eth(1), []channel.Lock{lockOf(eth(2), e.now()+1000, 1)})
	forged := good
	forged.locked = eth(1)
	e.expectRevert(b, e.channels, nil, e.packCloseLocked(id, forged), errID(t, "WrongSigner"))

	e.mustSend(b, e.channels, nil, e.packCloseLocked(id, good))
	later := e.signProof(a.Key, id, 2, eth(3))
	e.mustSend(b, e.channels, nil, e.sc.PackUpdateProof(id, later.nonce, later.transferred, new(big.Int), [32]byte{}, later.sig))
	e.advance(601 * time.Second)
	rec := e.mustSend(b, e.channels, nil, e.sc.PackSettle(id))
	if ev := maybeEvent(rec, e.sc.UnpackLocksHeldEvent); ev != nil {
		t.Fatalf("settle held locks a newer lock-free proof replaced: %+v", ev)
	}
	ev := findEvent(t, rec, e.sc.UnpackChannelSettledEvent)
	wantBig(t, "balance A", ev.BalanceA, eth(7))
	wantBig(t, "balance B", ev.BalanceB, eth(3))
}

// TestUnlockPayoutCannotReenter: the receiver is a contract that re-enters unlock when paid.
func TestUnlockPayoutCannotReenter(t *testing.T) {
	e := newEVM(t)
	owner, a := e.accounts[0], e.accounts[1]
	recv := e.deploy(owner, &testbindings.ReentrantReceiverMetaData, reentrant.PackConstructor(e.channels))
	id := e.openETH(a, recv, eth(5), 60)
	locks := []channel.Lock{lockOf(eth(1), e.now()+1000, 1)}
	p := e.signLocked(a.Key, id, 1, eth(1), locks)
	e.mustSend(owner, recv, nil, reentrant.PackForward(e.packCloseLocked(id, p)))
	e.mustSend(owner, e.channels, nil, e.sc.PackRegisterSecret(secretOf(1)))
	e.advance(61 * time.Second)
	e.mustSend(owner, e.channels, nil, e.sc.PackSettle(id))
	e.mustSend(owner, recv, nil, reentrant.PackArm(e.packUnlock(id, a.Address, locks)))
	before := e.balance(recv)
	rec := e.mustSend(owner, e.channels, nil, e.packUnlock(id, a.Address, locks))
	re := findEvent(t, rec, reentrant.UnpackReentryAttemptedEvent)
	if want := errID(t, "Reentrancy"); re.Succeeded || [4]byte(want[:4]) != re.ErrorSelector {
		t.Fatalf("re-entry = %+v, want a Reentrancy revert", re)
	}
	wantBig(t, "receiver paid once", new(big.Int).Sub(e.balance(recv), before), eth(1))
	wantBig(t, "escrow", e.balance(e.channels), new(big.Int))
}

// TestLocksRootViewMatchesGo pins channel.LocksRoot and the locked BalanceProof digest to the
// contract's views for random lock lists.
func TestLocksRootViewMatchesGo(t *testing.T) {
	e := newEVM(t)
	rng := rand.New(rand.NewSource(17))
	h, err := channel.NewHasher(channel.Domain{ChainID: e.chainID, Contract: e.channels})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		n := rng.Intn(8)
		if i == 0 {
			n = channel.MaxLocks
		}
		locks := make([]channel.Lock, n)
		for j := range locks {
			amt := new(big.Int).Rand(rng, new(big.Int).Lsh(big.NewInt(1), uint(1+rng.Intn(255))))
			locks[j] = channel.Lock{Amount: amt, Expiration: rng.Uint64()}
			rng.Read(locks[j].SecretHash[:])
		}
		want, err := channel.LocksRoot(locks)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.sc.UnpackHashLocksRoot(e.call(e.channels, e.sc.PackHashLocksRoot(abiLocks(locks))))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("%d locks: contract root %x, Go %x", n, got, want)
		}
		var id [32]byte
		rng.Read(id[:])
		bp := channel.BalanceProof{Channel: id, Nonce: rng.Uint64(), Transferred: new(big.Int).Rand(rng, channel.MaxAmount()),
			Locked: new(big.Int).Rand(rng, channel.MaxAmount()), LocksRoot: want}
		d, err := h.BalanceProofDigest(bp)
		if err != nil {
			t.Fatal(err)
		}
		cd, err := e.sc.UnpackHashBalanceProof(e.call(e.channels, e.sc.PackHashBalanceProof(id, bp.Nonce, bp.Transferred, bp.Locked, bp.LocksRoot)))
		if err != nil || cd != d {
			t.Fatalf("proof digest: contract %x (%v), Go %x", cd, err, d)
		}
	}
}

// TestLockBoundsMatchChannel: the state machine refuses exactly what the contract refuses.
func TestLockBoundsMatchChannel(t *testing.T) {
	e := newEVM(t)
	maxLocks, err := e.sc.UnpackMAXLOCKS(e.call(e.channels, e.sc.PackMAXLOCKS()))
	if err != nil || maxLocks.Cmp(big.NewInt(channel.MaxLocks)) != 0 {
		t.Fatalf("MAX_LOCKS = %v (%v), channel.MaxLocks = %d", maxLocks, err, channel.MaxLocks)
	}
	maxLocked, err := e.sc.UnpackMAXLOCKED(e.call(e.channels, e.sc.PackMAXLOCKED()))
	if err != nil || maxLocked.Cmp(channel.MaxLocked()) != 0 {
		t.Fatalf("MAX_LOCKED = %v (%v), channel.MaxLocked = %s", maxLocked, err, channel.MaxLocked())
	}
}
