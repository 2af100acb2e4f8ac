package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// proofTap records every proof its node sends (locks, unlocks, expiries and cancels,
// direct payments), by channel and nonce: the partner holds each and may close with any.
type proofTap struct {
	lockTap
	pmu    sync.Mutex
	proofs map[channel.ID]map[uint64]channel.SignedProof
}

func (p *proofTap) Send(ctx context.Context, to common.Address, msg p2p.Message) error {
	var sp *channel.SignedProof
	switch m := msg.(type) {
	case *p2p.LockedTransfer:
		sp = &m.Proof
	case *p2p.Unlock:
		sp = &m.Proof
	case *p2p.LockExpired:
		sp = &m.Proof
	case *p2p.Pay:
		sp = &m.Proof
	}
	if sp != nil {
		p.pmu.Lock()
		if p.proofs == nil {
			p.proofs = map[channel.ID]map[uint64]channel.SignedProof{}
		}
		if p.proofs[sp.Channel] == nil {
			p.proofs[sp.Channel] = map[uint64]channel.SignedProof{}
		}
		p.proofs[sp.Channel][sp.Nonce] = *sp
		p.pmu.Unlock()
	}
	return p.lockTap.Send(ctx, to, msg)
}

// on returns the proofs sent on id by nonce, ascending.
func (p *proofTap) on(id channel.ID) []channel.SignedProof {
	p.pmu.Lock()
	defer p.pmu.Unlock()
	var out []channel.SignedProof
	for _, sp := range p.proofs[id] {
		out = append(out, sp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Nonce < out[j].Nonce })
	return out
}

// TestAttack5EveryPastProofRebuildsAcrossCheckpoints: a history on hub -> payee mixing
// routed payments (unlocks), a lock the payee never reveals (expired), a lock it refuses
// (cancelled, endorsed), direct payments, with checkpoints every 2 removals (at least two
// endorsed). For EVERY proof the hub sent, the payee may close with it: at or above the
// prune floor the hub's store must rebuild exactly its list (root and sum); below it the
// hub must hold an endorsed proof at or above the floor (its defense overrides it). The
// payee then closes with the proof exactly at the floor (the checkpoint: no defense; its
// list, with the silent lock that expired after it, must be rebuilt) and the hub must get
// deposit - transferred of that proof, to the wei (the payee is offline: nothing
// registered, every lock returns).
// Fails if the floor were off by one (ErrLocksPruned at the checkpoint itself), if a
// tombstone were dropped or pruned too early, or if a removal kind kept none.
func TestAttack5EveryPastProofRebuildsAcrossCheckpoints(t *testing.T) {
	tn := newTestNet(t)
	tap := &proofTap{}
	x := &olderProofNet{tn: tn, reader: chainReader(t, tn), hTap: &tap.lockTap, hDir: t.TempDir()}
	x.a = tn.startNode(1, nodeOpts{})
	x.h = tn.startNode(2, nodeOpts{dir: x.hDir, checkpoints: CheckpointConfig{Every: 2},
		wrap: func(tr Transport) Transport { tap.Transport = tr; return tap }})
	x.c = tn.startNode(3, nodeOpts{})
	x.idAH = openChannel(t, x.a, x.h, big.NewInt(1000), nil, time.Hour)
	x.idHC = openChannel(t, x.h, x.c, big.NewInt(1000), nil, time.Hour)
	x.payer, x.hub, x.payee = x.a.signer.Address(), x.h.signer.Address(), x.c.signer.Address()
	hops := []common.Address{x.hub, x.payee}
	bg := context.Background()
	pay := func(amount int64) {
		t.Helper()
		inv := invoice(t, x.c, amount)
		if res, err := routedPay(t, x.a, hops, amount, inv.SecretHash); err != nil || !res.Unlocked {
			t.Fatalf("routed payment of %d: %+v %v", amount, res, err)
		}
	}
	direct := func(amount int64) {
		t.Helper()
		if _, err := x.h.Pay(bg, PayRequest{Channel: x.idHC, Amount: big.NewInt(amount)}); err != nil {
			t.Fatalf("direct payment: %v", err)
		}
	}
	endorsedPast := func(what string, past uint64) uint64 {
		t.Helper()
		var got uint64
		waitFor(t, what, func() bool { got = x.h.med.ref.end.endorsedNonce(x.idHC); return got > past })
		return got
	}

	pay(30)
	silent := x.silentLock(t, 100)
	direct(10)
	pay(40)
	first := endorsedPast("a first checkpoint", 0)
	// A lock the payee refuses (no invoice): cancelled and endorsed (ADR 0032).
	var secret [32]byte
	rand.Read(secret[:])
	ctx, cancel := context.WithTimeout(bg, 30*time.Second)
	if _, err := x.a.PayRouted(ctx, RoutedPayRequest{Hops: hops, Amount: big.NewInt(70), SecretHash: channel.SecretHash(secret)}); err == nil {
		t.Fatal("a payment the payee has no invoice for went through")
	}
	cancel()
	direct(5)
	pay(20)
	second := endorsedPast("a second checkpoint", first)
	// The silent lock, pending through both checkpoints, expires after them: the list at
	// the floor carries it.
	expiring := x.hTap.lockOn(t, x.idHC, silent)
	advanceTo(t, x.tn, x.reader, expiring.Expiration+1)
	waitFor(t, "the hub expires the silent lock", func() bool { return !incomingPending(x.c, x.idHC, silent) })
	time.Sleep(300 * time.Millisecond)

	ts := x.h.store.(tombStorage)
	_, floor, err := ts.Tombstones(x.idHC, channel.PartyA)
	if err != nil || floor == 0 {
		t.Fatalf("prune floor %d, %v; want the checkpoints to have pruned", floor, err)
	}
	endorsed := x.h.med.ref.end.endorsedNonce(x.idHC)
	proofs := tap.on(x.idHC)
	var atFloor *channel.SignedProof
	withLocks := 0
	for i, p := range proofs {
		locks, root, err := ts.LocksAt(x.idHC, channel.PartyA, p.Nonce)
		if p.Nonce < floor {
			if !errors.Is(err, store.ErrLocksPruned) || endorsed < floor {
				t.Errorf("nonce %d below the floor %d: %v, endorsed %d; want ErrLocksPruned and an endorsement at or above the floor", p.Nonce, floor, err, endorsed)
			}
			continue
		}
		sum := new(big.Int)
		for _, l := range locks {
			sum.Add(sum, l.Amount)
		}
		if err != nil || root != p.LocksRoot || !sameBig(sum, p.Locked) {
			t.Errorf("nonce %d (floor %d): rebuilt %d locks summing %v, root %x, %v; the proof locks %v, root %x", p.Nonce, floor, len(locks), sum, root[:4], err, p.Locked, p.LocksRoot[:4])
		}
		if len(locks) > 0 {
			withLocks++
		}
		if p.Nonce == floor {
			atFloor = &proofs[i]
		}
	}
	t.Logf("%d proofs, floor %d, checkpoints %d and %d, endorsed %d, %d rebuilt lists with locks", len(proofs), floor, first, second, endorsed, withLocks)
	if atFloor == nil || atFloor.Locked == nil || atFloor.Locked.Int64() < 100 {
		t.Fatalf("fixture: the proof at the floor %d: %+v; want one carrying the silent lock", floor, atFloor)
	}
	hub := 1000 - atFloor.Transferred.Int64()
	x.cheatAndSettle(t, *atFloor, nil)
	x.hubGetsAll(t, hub, 1000-hub)
}
