package node

import (
	"crypto/rand"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/sluicepay/sluice/channel"
)

// indexedLocks lists the node's lock index as "channel/direction/hash" strings, sorted.
func indexedLocks(n *Node) []string {
	x := n.med.locks
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []string
	for h, hs := range x.m {
		for _, e := range hs {
			out = append(out, fmt.Sprintf("%x/%v/%x", e.lc.id[:4], e.outgoing, h[:4]))
		}
	}
	sort.Strings(out)
	return out
}

// pendingLocks lists every pending lock of every channel of n, as indexedLocks does.
func pendingLocks(n *Node) []string {
	var out []string
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		for _, p := range []channel.Party{lc.us, lc.us.Other()} {
			for _, l := range lc.st.Locks(p) {
				out = append(out, fmt.Sprintf("%x/%v/%x", lc.id[:4], p == lc.us, l.SecretHash[:4]))
			}
		}
		return true
	})
	sort.Strings(out)
	return out
}

func indexMatches(n *Node) (bool, string) {
	idx, st := indexedLocks(n), pendingLocks(n)
	return fmt.Sprint(idx) == fmt.Sprint(st), fmt.Sprintf("index %v, lock sets %v", idx, st)
}

// The lock index answers "which channels hold a lock on this hash" for the routed path
// (forwardedLock, holdSecret, onSecretReveal, the loop's wakes). It must say exactly
// what the channels' lock sets say: while a routed lock is held on every hop, after a
// restart of the hub (restored from the store), and once payments resolved.
func TestLockIndexMatchesLockSetsAcrossRestart(t *testing.T) {
	x := newThreeNodes(t)
	_, done := x.holdLock(t, 70)
	waitFor(t, "the hub holds the incoming and the outgoing lock", func() bool { return len(pendingLocks(x.h)) == 2 })
	for _, n := range []*Node{x.a, x.h, x.c} {
		if ok, what := indexMatches(n); !ok {
			t.Fatalf("while the lock is held: %s", what)
		}
	}
	if x.h.med.locks.size() != 1 {
		t.Fatalf("hub indexes %d hashes, want 1", x.h.med.locks.size())
	}
	if err := x.h.Close(); err != nil {
		t.Fatal(err)
	}
	x.h = x.tn.startNode(2, nodeOpts{dir: x.hDir, staticPeers: []string{addrOf(t, x.a), addrOf(t, x.c)}})
	if ok, what := indexMatches(x.h); !ok || len(indexedLocks(x.h)) != 2 {
		t.Fatalf("after the hub's restart: %s", what)
	}
	waitFor(t, "the restarted hub reconnects", func() bool {
		return x.h.transport.Connected(x.payer) && x.h.transport.Connected(x.payee)
	})
	for i := range 3 {
		inv := invoice(t, x.c, int64(10+i))
		if res, err := routedPay(t, x.a, x.route, int64(10+i), inv.SecretHash); err != nil || !res.Unlocked {
			t.Fatalf("routed payment %d after the restart: %+v %v", i, res, err)
		}
	}
	for _, n := range []*Node{x.a, x.h, x.c} {
		waitFor(t, "the index follows the lock sets", func() bool { ok, _ := indexMatches(n); return ok })
	}
	if got := len(indexedLocks(x.h)); got != 2 {
		t.Fatalf("hub indexes %d locks once the later payments resolved, want the 2 still held", got)
	}
	select {
	case err := <-done:
		t.Fatalf("the held payment ended: %v", err)
	default:
	}
}

// The index is shared by every channel's goroutines: concurrent updates and look-ups
// of one hash on many channels (run with -race).
func TestLockIndexConcurrentUse(t *testing.T) {
	x := newLockIndex()
	var hashes [8][32]byte
	for i := range hashes {
		rand.Read(hashes[i][:])
	}
	chans := make([]*liveChannel, 16)
	for i := range chans {
		chans[i] = &liveChannel{id: channel.ID{byte(i)}}
	}
	var wg sync.WaitGroup
	for i, lc := range chans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range 200 {
				h := hashes[(i+r)%len(hashes)]
				x.add(h, lc, r%2 == 0)
				x.add(h, lc, r%2 == 0) // a repeat adds nothing
				if got := x.holders(nil, h, r%2 == 0); !containsChannel(got, lc) {
					t.Errorf("channel %d: its lock on a hash is not indexed", i)
					return
				}
				_ = x.channels(nil, hashes[r%len(hashes)])
				x.remove(h, lc, r%2 == 0)
			}
		}()
	}
	wg.Wait()
	if x.size() != 0 {
		t.Fatalf("%d hashes left indexed after every lock was removed", x.size())
	}
}
