package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/p2p"
)

// Locks of channels that are closed with locks pending: registered after the close,
// expired unrevealed, settled before their expiration, held under an older list.

// A channel closed with pending locks both ways: some of their secrets become known to
// the receiver only after the close (registered on chain, no off-chain unlock can come),
// the others are never revealed and expire. After settle and unlock every wei is where an
// independent model says, and the escrow is empty.
func TestClosedChannelLocksSettleAndUnlockToTheWei(t *testing.T) {
	tn := newTestNet(t)
	x := tn.startNode(1, nodeOpts{})
	y := tn.startNode(2, nodeOpts{})
	id := openChannel(t, x, y, big.NewInt(1000), big.NewInt(1000), time.Hour)
	ax, ay := x.signer.Address(), y.signer.Address()
	reader := chainReader(t, tn)
	mustPay(t, x, id, 7)
	mustPay(t, y, id, 3)

	type testLock struct {
		payer, payee *Node
		amount       int64
		revealed     bool // the payee learns the secret after the close
		secret       [32]byte
	}
	locks := []*testLock{
		{payer: x, payee: y, amount: 11, revealed: true},
		{payer: x, payee: y, amount: 22},
		{payer: x, payee: y, amount: 33, revealed: true},
		{payer: y, payee: x, amount: 45, revealed: true},
		{payer: y, payee: x, amount: 55},
	}
	for _, l := range locks {
		rand.Read(l.secret[:])
		expectInvoice(t, l.payee, channel.SecretHash(l.secret), big.NewInt(l.amount))
		go routedPay(t, l.payer, []common.Address{l.payee.signer.Address()}, l.amount, channel.SecretHash(l.secret)) //nolint:errcheck // resolved on chain
		waitFor(t, "the lock pending on both ends", func() bool {
			for _, n := range []*Node{x, y} {
				lc := n.channel(id)
				lc.mu.Lock()
				k := len(lc.st.Locks(channel.PartyA)) + len(lc.st.Locks(channel.PartyB))
				lc.mu.Unlock()
				if k != countUpTo(locks, l) {
					return false
				}
			}
			return true
		})
	}
	xlc := x.channel(id)
	xlc.mu.Lock()
	xLatest, _ := xlc.st.Latest(channel.PartyA)
	xlc.mu.Unlock()

	// X closes; Y defends with X's proof and its three locks.
	if _, err := x.CloseChannel(context.Background(), id, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both see the close", func() bool {
		return channelStatus(x, id) == channel.StatusClosing && channelStatus(y, id) == channel.StatusClosing
	})
	for _, l := range locks {
		if l.revealed {
			learnSecret(t, l.payee, l.secret, big.NewInt(l.amount))
		}
	}
	waitFor(t, "the defense and the registrations on chain", func() bool {
		v, err := reader.Channel(context.Background(), id)
		if err != nil || v.NonceA < xLatest.Nonce {
			return false
		}
		for _, l := range locks {
			at, err := reader.SecretRegisteredAt(context.Background(), channel.SecretHash(l.secret))
			if err != nil || (at != 0) != l.revealed {
				return false
			}
		}
		return true
	})
	v, err := reader.Channel(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, v.SettleAfter+1)
	waitFor(t, "both directions unlocked", func() bool {
		for _, sender := range []common.Address{ax, ay} {
			recv, _, err := reader.PendingUnlock(context.Background(), id, sender)
			if err != nil || recv != (common.Address{}) || channelStatus(x, id) != channel.StatusSettled {
				return false
			}
		}
		return true
	})

	// The model: each side's balance by its proofs, less its own pending locks; each
	// lock then goes to its payee if revealed, else back to its payer.
	want := map[common.Address]int64{ax: 1000 - 7 + 3, ay: 1000 + 7 - 3}
	for _, l := range locks {
		want[l.payer.signer.Address()] -= l.amount
		if l.revealed {
			want[l.payee.signer.Address()] += l.amount
		} else {
			want[l.payer.signer.Address()] += l.amount
		}
	}
	got := payouts(t, reader, id, ax, ay)
	for addr, w := range want {
		if got[addr].Int64() != w {
			t.Errorf("%s paid %s on chain, model %d", addr, got[addr], w)
		}
	}
	if e := escrowOf(t, tn); e.Sign() != 0 {
		t.Errorf("escrow still holds %s wei", e)
	}
	if !hasClaim(x, id, ClaimSecretRegistered) || !hasClaim(y, id, ClaimSecretRegistered) {
		t.Errorf("registrations not reported: x %+v y %+v", x.LockClaims(), y.LockClaims())
	}
}

// countUpTo counts the locks of list up to and including l.
func countUpTo[T comparable](list []T, l T) int {
	for i, v := range list {
		if v == l {
			return i + 1
		}
	}
	return len(list)
}

// A channel settled before its lock expires: neither end unlocks while the receiver can
// still register the secret (unlock runs once per direction, and an early one would send
// the lock back to its payer); the receiver learns the secret after settle, registers it
// in time, and the unlock pays it.
func TestSettledLockWaitsForItsSecretUntilExpiration(t *testing.T) {
	tn := newTestNet(t)
	x := tn.startNode(1, nodeOpts{})
	y := tn.startNode(2, nodeOpts{})
	id := openChannel(t, x, y, big.NewInt(1000), nil, 10*time.Second)
	ax, ay := x.signer.Address(), y.signer.Address()
	reader := chainReader(t, tn)
	var secret [32]byte
	rand.Read(secret[:])
	expectInvoice(t, y, channel.SecretHash(secret), big.NewInt(30))
	go routedPay(t, x, []common.Address{ay}, 30, channel.SecretHash(secret)) //nolint:errcheck // resolved on chain
	lock := heldLock(t, y, id, "the payee holds the lock")
	if _, err := y.CloseChannel(context.Background(), id, true); err != nil {
		t.Fatal(err)
	}
	v, err := reader.Channel(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, v.SettleAfter+1)
	waitFor(t, "settled", func() bool {
		return channelStatus(x, id) == channel.StatusSettled && channelStatus(y, id) == channel.StatusSettled
	})
	time.Sleep(time.Second) // several mediation ticks on both nodes
	if recv, held, err := reader.PendingUnlock(context.Background(), id, ax); err != nil || recv != ay || held.Int64() != 30 {
		t.Fatalf("held lock before its expiration: receiver %s held %v (%v), want the payee and 30", recv, held, err)
	}
	head, _ := reader.Head(context.Background())
	if head.Time >= lock.Expiration {
		t.Fatalf("chain time %d already past the lock's expiration %d", head.Time, lock.Expiration)
	}
	// An unlock with another list than the one held fails before anything is submitted,
	// naming the contract's error; nothing of it is stored.
	forged := lock
	forged.Amount = big.NewInt(29)
	bad := ChainCall{Kind: CallUnlock, Channel: id, Participant: ax, Locks: []channel.Lock{forged}}
	_, err = x.ops.submit(context.Background(), bad, opIdentity{})
	if re, ok := errors.AsType[*contracts.RevertError](err); !ok || re.Name != "InvalidLocks" {
		t.Fatalf("unlock with a forged list: %v, want the contract's InvalidLocks", err)
	}
	badID, _, err := x.ops.identify(bad, opIdentity{})
	if err != nil {
		t.Fatal(err)
	}
	if _, found, _ := x.store.GetOp(badID); found {
		t.Fatal("a refused unlock left an op record")
	}
	learnSecret(t, y, secret, big.NewInt(30))
	waitFor(t, "the payee claims the lock", func() bool { return hasClaim(y, id, ClaimLockClaimed) })
	got := payouts(t, reader, id, ax, ay)
	if got[ax].Int64() != 970 || got[ay].Int64() != 30 {
		t.Fatalf("payouts %v, want payer 970 and payee 30", got)
	}
	if e := escrowOf(t, tn); e.Sign() != 0 {
		t.Fatalf("escrow holds %s", e)
	}
}

// dropLockedTransfers loses our LockedTransfer messages while drop is set.
type dropLockedTransfers struct {
	Transport
	drop atomic.Bool
}

func (d *dropLockedTransfers) Send(ctx context.Context, to common.Address, msg p2p.Message) error {
	if _, ok := msg.(*p2p.LockedTransfer); ok && d.drop.Load() {
		return nil
	}
	return d.Transport.Send(ctx, to, msg)
}

// The partner closes with our proof from before our last lock (never delivered), then goes
// offline for good. The held list on chain is a prefix of ours; we still get every held
// wei back through unlock, alone.
func TestUnlockWithTheListThePartnerPutOnChain(t *testing.T) {
	tn := newTestNet(t)
	lossy := &dropLockedTransfers{}
	x := tn.startNode(1, nodeOpts{wrap: func(tr Transport) Transport { lossy.Transport = tr; return lossy }})
	y := tn.startNode(2, nodeOpts{})
	id := openChannel(t, x, y, big.NewInt(1000), nil, time.Hour)
	ax, ay := x.signer.Address(), y.signer.Address()
	reader := chainReader(t, tn)
	for i, amount := range []int64{40, 60} {
		lossy.drop.Store(i == 1)
		var h [32]byte
		rand.Read(h[:])
		expectInvoice(t, y, h, big.NewInt(amount))
		go routedPay(t, x, []common.Address{ay}, amount, h) //nolint:errcheck // resolved on chain
		waitFor(t, "the payer holds its lock", func() bool {
			lc := x.channel(id)
			lc.mu.Lock()
			defer lc.mu.Unlock()
			return len(lc.st.Locks(channel.PartyA)) == i+1
		})
		if i == 0 {
			// The payer's state holds the lock before its LockedTransfer leaves (after the
			// group commit): let it arrive before the next one's are dropped.
			heldLock(t, y, id, "the partner holds the first lock")
		}
	}
	heldLock(t, y, id, "the partner holds the first lock only")
	if _, err := y.CloseChannel(context.Background(), id, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the payer sees the close", func() bool { return channelStatus(x, id) == channel.StatusClosing })
	if err := y.Close(); err != nil {
		t.Fatal(err)
	}
	v, err := reader.Channel(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, v.SettleAfter+1)
	waitFor(t, "the held lock unlocked", func() bool {
		recv, _, err := reader.PendingUnlock(context.Background(), id, ax)
		return err == nil && recv == (common.Address{}) && channelStatus(x, id) == channel.StatusSettled
	})
	got := payouts(t, reader, id, ax, ay)
	if got[ax].Int64() != 1000 || got[ay].Sign() != 0 {
		t.Fatalf("payouts %v, want all 1000 back to the payer", got)
	}
	if e := escrowOf(t, tn); e.Sign() != 0 {
		t.Fatalf("escrow holds %s", e)
	}
}

// locksOf is a copy of n's view of the pending locks party sent on id.
func locksOf(n *Node, id channel.ID, party channel.Party) []channel.Lock {
	lc := n.channel(id)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.st.Locks(party)
}

// heldLock waits until n holds exactly one lock from party A on id and returns it.
func heldLock(t *testing.T, n *Node, id channel.ID, what string) channel.Lock {
	t.Helper()
	waitFor(t, what, func() bool { return len(locksOf(n, id, channel.PartyA)) == 1 })
	return locksOf(n, id, channel.PartyA)[0]
}
