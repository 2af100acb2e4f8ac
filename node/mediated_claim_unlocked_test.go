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
)

// holdUnlocks refuses to sign the node's unlock transactions while hold is set: the
// other end's unlock gets to the chain first.
type holdUnlocks struct {
	Chain
	hold    atomic.Bool
	refused atomic.Int32
}

var errUnlockHeld = errors.New("test: unlock held")

func (h *holdUnlocks) Prepare(ctx context.Context, call ChainCall) (SignedTx, error) {
	if h.hold.Load() && call.Kind == CallUnlock {
		h.refused.Add(1)
		return SignedTx{}, errUnlockHeld
	}
	return h.Chain.Prepare(ctx, call)
}

// unlockOnChain is the contract's Unlocked event of sender's locks in channel id.
func unlockOnChain(t *testing.T, c *contracts.Client, id channel.ID, sender common.Address) (contracts.Unlocked, bool) {
	t.Helper()
	head, err := c.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	evs, err := c.EventsInRange(context.Background(), 0, head.Number)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if u, ok := e.(contracts.Unlocked); ok && u.ID == id && u.Sender == sender {
			return u, true
		}
	}
	return contracts.Unlocked{}, false
}

// claimsOf lists n's claim records of kind in channel id.
func claimsOf(n *Node, id channel.ID, kind string) []LockClaim {
	var out []LockClaim
	for _, c := range n.LockClaims() {
		if c.Channel == id && c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

// Payer X locks 30 and 20 to payee Y; Y closes, the channel settles, Y learns the first
// secret and registers it in time, the second expires. The held 50 then pays 30 to Y and
// 20 back to X, in one unlock of X's direction that either end (or anyone) may send. Each
// node's claim log must show what the chain paid it, to the wei, once, whoever unlocked:
// Y a lock_claimed of 30, X a locks_unlocked returning 20. "partner first": X's unlock
// wins (Y's is held back); "we first": Y's wins (X's held back); "partner while we are
// down": X unlocks while Y is stopped, and Y learns it from the chain after its restart.
func TestUnlockPayoutIsRecordedOnceWhoeverUnlocks(t *testing.T) {
	for _, first := range []string{"partner first", "we first", "partner while we are down"} {
		t.Run(first, func(t *testing.T) { unlockPayoutRecorded(t, first) })
	}
}

func unlockPayoutRecorded(t *testing.T, first string) {
	tn := newTestNet(t)
	reader := chainReader(t, tn)
	holdX, holdY := &holdUnlocks{}, &holdUnlocks{}
	holdX.hold.Store(first == "we first")
	holdY.hold.Store(first == "partner first")
	yDir := t.TempDir()
	x := tn.startNode(1, nodeOpts{wrapChain: func(c Chain) Chain { holdX.Chain = c; return holdX }})
	yOpts := nodeOpts{dir: yDir, wrapChain: func(c Chain) Chain { holdY.Chain = c; return holdY }}
	y := tn.startNode(2, yOpts)
	id := openChannel(t, x, y, big.NewInt(1000), nil, 10*time.Second)
	ax, ay := x.signer.Address(), y.signer.Address()

	secrets := make([][32]byte, 2)
	for i, amount := range []int64{30, 20} {
		rand.Read(secrets[i][:])
		expectInvoice(t, y, channel.SecretHash(secrets[i]), big.NewInt(amount))
		go routedPay(t, x, []common.Address{ay}, amount, channel.SecretHash(secrets[i])) //nolint:errcheck // resolved on chain
		waitFor(t, "the payee holds the lock", func() bool {
			lc := y.channel(id)
			lc.mu.Lock()
			defer lc.mu.Unlock()
			return len(lc.st.Locks(channel.PartyA)) == i+1
		})
	}
	lc := y.channel(id)
	lc.mu.Lock()
	locks := lc.st.Locks(channel.PartyA)
	lc.mu.Unlock()
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
	learnSecret(t, y, secrets[0], big.NewInt(30))
	waitFor(t, "the payee registers the first secret", func() bool { return hasClaim(y, id, ClaimSecretRegistered) })
	if first == "partner while we are down" {
		if err := y.Close(); err != nil {
			t.Fatal(err)
		}
	}
	advanceTo(t, tn, reader, max(locks[0].Expiration, locks[1].Expiration)+1)
	waitFor(t, "X's held locks unlocked", func() bool {
		recv, _, err := reader.PendingUnlock(context.Background(), id, ax)
		return err == nil && recv == (common.Address{})
	})
	u, ok := unlockOnChain(t, reader, id, ax)
	if !ok || u.ToReceiver.Int64() != 30 || u.ToSender.Int64() != 20 {
		t.Fatalf("unlock on chain %+v (found %v), want 30 to the payee and 20 back", u, ok)
	}
	if first == "partner while we are down" {
		y = tn.startNode(2, nodeOpts{dir: yDir, staticPeers: []string{addrOf(t, x)}})
	}

	// Each node records what the chain paid it, from the event, whoever sent it.
	waitFor(t, "the payee records the lock it was paid", func() bool { return hasClaim(y, id, ClaimLockClaimed) })
	waitFor(t, "the payer records what came back", func() bool { return hasClaim(x, id, ClaimLocksUnlocked) })
	// The held node's unlock now runs, finds nothing held and records nothing more.
	holdX.hold.Store(false)
	holdY.hold.Store(false)
	time.Sleep(claimRetry + time.Second)
	claimed := claimsOf(y, id, ClaimLockClaimed)
	if len(claimed) != 1 || claimed[0].Amount.Cmp(u.ToReceiver) != 0 || claimed[0].TxHash != u.TxHash ||
		claimed[0].Sender != ax || claimed[0].Receiver != ay || claimed[0].Returned.Cmp(u.ToSender) != 0 {
		t.Fatalf("payee's lock_claimed records %+v, want one of %s wei (what the chain paid it) in tx %s", claimed, u.ToReceiver, u.TxHash)
	}
	returned := claimsOf(x, id, ClaimLocksUnlocked)
	if len(returned) != 1 || returned[0].Returned.Cmp(u.ToSender) != 0 || returned[0].Amount.Cmp(u.ToReceiver) != 0 || returned[0].TxHash != u.TxHash {
		t.Fatalf("payer's locks_unlocked records %+v, want one returning %s wei in tx %s", returned, u.ToSender, u.TxHash)
	}
	if c := claimsOf(x, id, ClaimLockClaimed); len(c) != 0 {
		t.Fatalf("the payer records a lock claimed: %+v", c)
	}
	if e := escrowOf(t, tn); e.Sign() != 0 {
		t.Fatalf("escrow holds %s", e)
	}
}

// The claim log holds one record per direction's unlock: the same event from the
// receipt and from the follower records once; a reorganisation that removes it retracts
// the record, and the unlock mined again elsewhere is recorded from there; an event
// naming a sender that is not a participant records nothing.
func TestUnlockRecordFollowsTheCanonicalChain(t *testing.T) {
	tn := newTestNet(t)
	x := tn.startNode(1, nodeOpts{})
	y := tn.startNode(2, nodeOpts{})
	id := openChannel(t, x, y, big.NewInt(1000), nil, time.Hour)
	lc := y.channel(id)
	ev := ChainEvent{Kind: EventUnlocked, Channel: id, Block: 40, TxHash: common.Hash{1}, Participant: x.signer.Address(), Amount: big.NewInt(30), Returned: big.NewInt(20)}
	y.noteUnlocked(lc, ev)
	y.noteUnlocked(lc, ev)
	if c := claimsOf(y, id, ClaimLockClaimed); len(c) != 1 || c[0].Amount.Int64() != 30 || c[0].Returned.Int64() != 20 {
		t.Fatalf("records %+v, want one lock_claimed of 30", c)
	}
	if err := y.rollbackEvents(context.Background(), 39, []ChainEvent{ev}); err != nil {
		t.Fatal(err)
	}
	if c := claimsOf(y, id, ClaimLockClaimed); len(c) != 0 {
		t.Fatalf("a reorganised unlock still recorded: %+v", c)
	}
	again := ev
	again.Block, again.TxHash = 41, common.Hash{2}
	y.noteUnlocked(lc, again)
	if c := claimsOf(y, id, ClaimLockClaimed); len(c) != 1 || c[0].TxHash != again.TxHash {
		t.Fatalf("records %+v, want the unlock mined again", c)
	}
	stranger := ev
	stranger.Participant, stranger.TxHash = common.Address{9}, common.Hash{3}
	y.noteUnlocked(lc, stranger)
	if n := len(y.LockClaims()); n != 1 {
		t.Fatalf("%d records after an event of a stranger, want 1", n)
	}
}
