package contracts_test

import (
	"math/big"
	"math/rand"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// lockEntitlement is what the honest party H is owed in a channel with hashlocks, from the
// spec alone (docs/contract.md, ADR 0019): its deposit, minus what it transferred and the
// locks it sent whose secret reached the registry by their expiration, plus the same from
// the other direction. It never reads the contract's storage.
func lockEntitlement(deposit, sent, received *big.Int, sentLocks, receivedLocks []channel.Lock, registeredAt map[[32]byte]uint64) *big.Int {
	out := new(big.Int).Sub(deposit, sent)
	out.Add(out, received)
	claimed := func(l channel.Lock) bool {
		at, ok := registeredAt[l.SecretHash]
		return ok && at <= l.Expiration
	}
	for _, l := range sentLocks {
		if claimed(l) {
			out.Sub(out, l.Amount)
		}
	}
	for _, l := range receivedLocks {
		if claimed(l) {
			out.Add(out, l.Amount)
		}
	}
	return out
}

// TestAdversaryWithLocksNeverTakesTheHonestPartysMoney: in random channels with locks both
// ways, the adversary M (receiver of H's locks, payer of its own) registers some of H's
// secrets late, submits wrong lock lists (dropping, reordering, inflating, adding locks),
// unlocks twice and tries to unlock H's direction with a list that leaves out H's revealed
// locks. H only registers the secrets it holds in time, answers the close with M's best
// proof, and unlocks with its own lists. H must end with exactly its entitlement.
func TestAdversaryWithLocksNeverTakesTheHonestPartysMoney(t *testing.T) {
	e := newEVM(t)
	h, m := e.accounts[1], e.accounts[2]
	rng := rand.New(rand.NewSource(1917))
	for round := 0; round < 6; round++ {
		id := e.openETH(h, m.Address, eth(10), 600)
		e.mustSend(m, e.channels, eth(10), e.sc.PackDeposit(id, m.Address, eth(10)))
		now := e.now()
		randLocks := func(base int) []channel.Lock {
			n := rng.Intn(5)
			locks := make([]channel.Lock, n)
			for i := range locks {
				locks[i] = lockOf(milli(int64(100+rng.Intn(900))), now+uint64(200+rng.Intn(1500)), 10_000*round+base+i)
			}
			return locks
		}
		hLocks, mLocks := randLocks(0), randLocks(100)
		hSent, mSent := milli(int64(rng.Intn(3000))), milli(int64(rng.Intn(3000)))
		hProof := e.signLocked(h.Key, id, 5, hSent, hLocks) // H pays M
		mProof := e.signLocked(m.Key, id, 7, mSent, mLocks) // M pays H
		registered := map[[32]byte]uint64{}
		register := func(who int, n int) {
			rec := e.mustSend(e.accounts[who], e.channels, nil, e.sc.PackRegisterSecret(secretOf(n)))
			block, err := e.client.HeaderByNumber(e.ctx, rec.BlockNumber)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := registered[channel.SecretHash(secretOf(n))]; !ok {
				registered[channel.SecretHash(secretOf(n))] = block.Time
			}
		}

		// M closes with H's proof; H answers with M's best proof during the challenge.
		e.mustSend(m, e.channels, nil, e.packCloseLocked(id, hProof))
		e.mustSend(h, e.channels, nil, e.packUpdateLocked(id, mProof))
		// H registers, in time, the secrets of M's locks it holds (M revealed them).
		for i := range mLocks {
			if rng.Intn(2) == 0 {
				register(1, 10_000*round+100+i)
			}
		}
		// M registers some of H's secrets in time.
		for i := range hLocks {
			if rng.Intn(3) == 0 {
				register(2, 10_000*round+i)
			}
		}
		e.advance(time.Duration(1700+rng.Intn(200)) * time.Second) // every lock has expired
		settled := findEvent(t, e.mustSend(m, e.channels, nil, e.sc.PackSettle(id)), e.sc.UnpackChannelSettledEvent)
		// M registers the rest of H's secrets too late: they must not count.
		for i := range hLocks {
			if _, ok := registered[hLocks[i].SecretHash]; !ok {
				register(2, 10_000*round+i)
			}
		}

		// M's wrong lists for H's direction, then for its own.
		for _, dir := range []struct {
			sender [20]byte
			locks  []channel.Lock
		}{{h.Address, hLocks}, {m.Address, mLocks}} {
			sender, locks := dir.sender, dir.locks
			if len(locks) == 0 {
				continue
			}
			wrong := [][]channel.Lock{locks[1:], append(append([]channel.Lock{}, locks...), lockOf(milli(1), now+5000, 999_999))}
			inflated := append([]channel.Lock{}, locks...)
			inflated[0] = channel.Lock{Amount: new(big.Int).Add(locks[0].Amount, milli(1)), Expiration: locks[0].Expiration, SecretHash: locks[0].SecretHash}
			wrong = append(wrong, inflated)
			if len(locks) > 1 {
				wrong = append(wrong, append([]channel.Lock{locks[1], locks[0]}, locks[2:]...))
			}
			for _, w := range wrong {
				e.expectRevert(m, e.channels, nil, e.packUnlock(id, sender, w), errID(t, "InvalidLocks"))
			}
		}

		before := e.balance(h.Address)
		var hGas big.Int
		if len(hLocks) > 0 {
			rec := e.mustSend(h, e.channels, nil, e.packUnlock(id, h.Address, hLocks))
			hGas.Add(&hGas, gasCost(rec))
			e.expectRevert(m, e.channels, nil, e.packUnlock(id, h.Address, hLocks), errID(t, "NothingToUnlock"))
		}
		if len(mLocks) > 0 {
			e.mustSend(m, e.channels, nil, e.packUnlock(id, m.Address, mLocks))
		}
		// settle's payout to H arrived earlier; compare the total H got back with its
		// entitlement through the settle event and the unlock deltas.
		got := new(big.Int).Sub(e.balance(h.Address), before)
		got.Add(got, &hGas)
		got.Add(got, settled.BalanceA) // H opened the channel: side A
		want := lockEntitlement(eth(10), hSent, mSent, hLocks, mLocks, registered)
		wantBig(t, "round payout to H", got, want)
		wantBig(t, "escrow after the round", e.balance(e.channels), new(big.Int))
	}
}
