package tower

import (
	"context"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/tower/wire"
)

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// guardedChannel registers b's proof of a's payments (nonce 8) on a fresh channel.
func guardedChannel(t *testing.T, chain *fakeChain, tw *Tower, idByte byte) (channel.ID, party, party) {
	t.Helper()
	a, b := newParty(t), newParty(t)
	id := channel.ID{idByte}
	chain.set(id, openView(a, b))
	if rc := tw.register(context.Background(), b.addr, registration(t, chain.Domain(), id, 8, 800, a, b)); rc.Code != wire.CodeAccepted {
		t.Fatalf("register: %s %s", rc.Code, rc.Reason)
	}
	return id, a, b
}

func pollOnce(t *testing.T, tw *Tower) {
	t.Helper()
	if err := tw.poll(context.Background()); err != nil {
		t.Fatalf("poll: %v", err)
	}
}

func nonceA(chain *fakeChain, id channel.ID) uint64 {
	chain.mu.Lock()
	defer chain.mu.Unlock()
	return chain.views[id].NonceA
}

func TestFollowerDefendsAGuardedCloseThenForgetsIt(t *testing.T) {
	chain := newFakeChain()
	tw := newTestTower(t, chain, "")
	id, a, _ := guardedChannel(t, chain, tw, 1)
	pollOnce(t, tw)
	if chain.updateCount() != 0 {
		t.Fatal("defended an open channel")
	}
	chain.closeChannel(id, a.addr, 3600)
	pollOnce(t, tw)
	waitUntil(t, "the defense", func() bool { return chain.updateCount() == 1 })
	if got := nonceA(chain, id); got != 8 {
		t.Fatalf("on chain nonce %d, want 8", got)
	}
	waitUntil(t, "the defense to finish", func() bool { return !tw.inflight(id) })
	pollOnce(t, tw)
	if !guardsAny(t, tw, id) {
		t.Fatal("a defense was forgotten before it was final (a reorg could still remove it)")
	}
	chain.mine(tw.cfg.FinalityBlocks)
	pollOnce(t, tw)
	if guardsAny(t, tw, id) || tw.Guarded() != 0 {
		t.Fatal("a defended channel is still held after its defense is final")
	}
	if got := counterValue(t, tw.metrics.defenses.WithLabelValues(defenseSucceeded)); got != 1 {
		t.Fatalf("succeeded defenses %v, want 1", got)
	}
}

// The tower forgot a channel as soon as the chain showed it defended; a reorg that then
// dropped the defense's block left the receiver's proof nowhere, and the closer's stale
// proof settled. The proof is now kept until the defense is FinalityBlocks deep.
func TestFollowerDefendsAgainAfterAReorgRemovesItsDefense(t *testing.T) {
	chain := newFakeChain()
	tw := newTestTower(t, chain, "")
	id, a, _ := guardedChannel(t, chain, tw, 9)
	chain.closeChannel(id, a.addr, 3600)
	pollOnce(t, tw)
	waitUntil(t, "the defense", func() bool { return chain.updateCount() == 1 && !tw.inflight(id) })
	pollOnce(t, tw)
	chain.mine(tw.cfg.FinalityBlocks / 2)
	chain.reorgNonceA(id, 0) // the defense's block is reorganised away
	pollOnce(t, tw)
	waitUntil(t, "the defense submitted again", func() bool { return chain.updateCount() == 2 && !tw.inflight(id) })
	if got := nonceA(chain, id); got != 8 {
		t.Fatalf("on chain nonce %d after the second defense, want 8", got)
	}
	pollOnce(t, tw) // sees it defended
	chain.mine(tw.cfg.FinalityBlocks)
	pollOnce(t, tw)
	if guardsAny(t, tw, id) {
		t.Fatal("still held after the second defense became final")
	}
}

func TestFollowerLeavesACloseAlreadyCarryingTheProof(t *testing.T) {
	chain := newFakeChain()
	tw := newTestTower(t, chain, "")
	id, a, _ := guardedChannel(t, chain, tw, 2)
	chain.closeChannel(id, a.addr, 3600)
	chain.mu.Lock()
	v := chain.views[id]
	v.NonceA = 8 // the receiver defended itself
	chain.views[id] = v
	chain.mu.Unlock()
	pollOnce(t, tw)
	time.Sleep(50 * time.Millisecond)
	if chain.updateCount() != 0 {
		t.Fatal("submitted a proof the chain already holds")
	}
	if got := counterValue(t, tw.metrics.defenses.WithLabelValues(defenseUnneeded)); got != 1 {
		t.Fatalf("unneeded %v, want 1", got)
	}
}

func TestFollowerRetriesAFailedDefenseUntilItLands(t *testing.T) {
	chain := newFakeChain()
	chain.failUpdates = 2
	tw := newTestTower(t, chain, "")
	id, a, _ := guardedChannel(t, chain, tw, 3)
	chain.closeChannel(id, a.addr, 3600)
	waitUntil(t, "the defense after two failures", func() bool {
		if !tw.inflight(id) {
			pollOnce(t, tw)
		}
		return nonceA(chain, id) == 8
	})
	if got := counterValue(t, tw.metrics.defenses.WithLabelValues(defenseFailed)); got != 2 {
		t.Fatalf("failed attempts %v, want 2", got)
	}
}

func TestFollowerReportsAMissedDeadline(t *testing.T) {
	chain := newFakeChain()
	tw := newTestTower(t, chain, "")
	id, a, _ := guardedChannel(t, chain, tw, 4)
	chain.closeChannel(id, a.addr, 10)
	chain.mu.Lock()
	chain.head.Time += 11
	chain.mu.Unlock()
	pollOnce(t, tw)
	time.Sleep(50 * time.Millisecond)
	if chain.updateCount() != 0 {
		t.Fatal("submitted after the challenge period")
	}
	if got := counterValue(t, tw.metrics.defenses.WithLabelValues(defenseMissed)); got != 1 {
		t.Fatalf("missed %v, want 1", got)
	}
}

func TestRegisteringOnAClosingChannelDefendsAtOnce(t *testing.T) {
	chain := newFakeChain()
	tw := newTestTower(t, chain, "")
	a, b := newParty(t), newParty(t)
	id := channel.ID{5}
	chain.set(id, openView(a, b))
	chain.closeChannel(id, a.addr, 3600)
	pollOnce(t, tw) // the close is behind the cursor now
	if rc := tw.register(context.Background(), b.addr, registration(t, chain.Domain(), id, 3, 300, a, b)); rc.Code != wire.CodeAccepted {
		t.Fatalf("register: %s %s", rc.Code, rc.Reason)
	}
	pollOnce(t, tw)
	waitUntil(t, "the defense", func() bool { return nonceA(chain, id) == 3 })
}

func TestFollowerAsksOnlyForTheChannelsItGuards(t *testing.T) {
	chain := newFakeChain()
	key := newParty(t).key
	tw, err := New(Config{Key: key, DataDir: t.TempDir(), Chain: chain, TopicFilterMax: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer tw.Close()
	chain.mu.Lock()
	chain.head.Number += 100 // past the rescan window of an empty tower
	chain.mu.Unlock()
	pollOnce(t, tw)
	if len(chain.queries) != 0 {
		t.Fatalf("a tower guarding nothing read the chain's closes: %v", chain.queries)
	}
	id1, _, _ := guardedChannel(t, chain, tw, 6)
	id2, _, _ := guardedChannel(t, chain, tw, 7)
	pollOnce(t, tw)
	last := chain.queries[len(chain.queries)-1]
	if len(last) != 2 || last[0] != id1 || last[1] != id2 {
		t.Fatalf("asked for %v, want exactly the guarded %v and %v", last, id1, id2)
	}
	guardedChannel(t, chain, tw, 8)
	pollOnce(t, tw)
	if last := chain.queries[len(chain.queries)-1]; last != nil {
		t.Fatalf("above TopicFilterMax the tower should ask for every close, asked for %d ids", len(last))
	}
}

// A foreign close (a channel the tower does not guard) never becomes a defense.
func TestFollowerIgnoresForeignCloses(t *testing.T) {
	chain := newFakeChain()
	tw, err := New(Config{Key: newParty(t).key, DataDir: t.TempDir(), Chain: chain, TopicFilterMax: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tw.Close()
	guardedChannel(t, chain, tw, 9)
	guardedChannel(t, chain, tw, 11) // above TopicFilterMax: every close of the contract is read
	stranger, other := newParty(t), newParty(t)
	foreign := channel.ID{10}
	chain.set(foreign, openView(stranger, other))
	chain.closeChannel(foreign, stranger.addr, 3600)
	pollOnce(t, tw)
	if last := chain.queries[len(chain.queries)-1]; last != nil {
		t.Fatalf("asked for %d ids, want every close", len(last))
	}
	ids, err := tw.store.closing()
	if err != nil || len(ids) != 0 {
		t.Fatalf("closing marks %v %v, want none", ids, err)
	}
}

// A close the tower saw but had not defended when it stopped is defended after a restart,
// even though the cursor is past the close's block (the mark is durable).
func TestRestartedTowerResumesAMarkedDefense(t *testing.T) {
	chain := newFakeChain()
	dir := t.TempDir()
	key := newParty(t).key
	tw, err := New(Config{Key: key, DataDir: dir, Chain: chain, RescanBlocks: 1})
	if err != nil {
		t.Fatal(err)
	}
	id, a, _ := guardedChannel(t, chain, tw, 12)
	chain.closeChannel(id, a.addr, 3600)
	chain.mu.Lock()
	chain.failUpdates = 1 << 30
	chain.mu.Unlock()
	pollOnce(t, tw)
	waitUntil(t, "the failed attempt", func() bool { return !tw.inflight(id) })
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	chain.mu.Lock()
	chain.failUpdates = 0
	chain.head.Number += 50 // far past the rescan window
	chain.mu.Unlock()

	tw2, err := New(Config{Key: key, DataDir: dir, Chain: chain, RescanBlocks: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tw2.Close()
	pollOnce(t, tw2)
	waitUntil(t, "the defense after the restart", func() bool { return nonceA(chain, id) == 8 })
}

// A channel that settles (here cooperatively, with no close to defend) is forgotten, so
// the store holds live channels only.
func TestFollowerForgetsASettledChannel(t *testing.T) {
	chain := newFakeChain()
	tw := newTestTower(t, chain, "")
	id, _, _ := guardedChannel(t, chain, tw, 13)
	other, _, _ := guardedChannel(t, chain, tw, 14)
	chain.settleChannel(id)
	pollOnce(t, tw)
	if guardsAny(t, tw, id) {
		t.Fatal("a settled channel is still held")
	}
	if !guardsAny(t, tw, other) || tw.Guarded() != 1 {
		t.Fatalf("the open channel was dropped too (guarded %d)", tw.Guarded())
	}
}

// When both participants use the tower, a close is defended in both directions.
func TestFollowerDefendsBothDirections(t *testing.T) {
	chain := newFakeChain()
	tw := newTestTower(t, chain, "")
	id, a, b := guardedChannel(t, chain, tw, 15) // b holds a's proof, nonce 8
	if rc := tw.register(context.Background(), a.addr, registration(t, chain.Domain(), id, 5, 50, b, a)); rc.Code != wire.CodeAccepted {
		t.Fatalf("a's registration: %s %s", rc.Code, rc.Reason)
	}
	chain.closeChannel(id, b.addr, 3600)
	pollOnce(t, tw)
	waitUntil(t, "both defenses", func() bool {
		chain.mu.Lock()
		defer chain.mu.Unlock()
		v := chain.views[id]
		return v.NonceA == 8 && v.NonceB == 5
	})
}
