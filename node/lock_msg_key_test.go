package node

import (
	"context"
	"crypto/rand"
	"math/big"
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// lockMsgKeys lists the keys of n's stored lock messages.
func lockMsgKeys(t *testing.T, n *Node) []string {
	t.Helper()
	entries, err := n.store.(metaLister).ListMeta(lockMsgNamespace)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(entries))
	for i, e := range entries {
		keys[i] = e.Key
	}
	return keys
}

func TestLockMsgKeyRoundTrips(t *testing.T) {
	var id channel.ID
	rand.Read(id[:])
	for _, nonce := range []uint64{0, 1, 255, 256, 1 << 40, ^uint64(0)} {
		for _, legacy := range []bool{false, true} {
			m := lockMsg{nonce: nonce, legacy: legacy}
			gotID, gotNonce, gotLegacy, ok := parseLockMsgKey(m.storedKey(id))
			if !ok || gotID != id || gotNonce != nonce || gotLegacy != legacy {
				t.Fatalf("nonce %d legacy %v: parsed %x %d %v %v", nonce, legacy, gotID[:4], gotNonce, gotLegacy, ok)
			}
		}
	}
	for _, bad := range []string{"", "short", string(make([]byte, 41)), "zz" + string(make([]byte, 82))} {
		if _, _, _, ok := parseLockMsgKey(bad); ok {
			t.Fatalf("key %q parsed", bad)
		}
	}
	if a, b := lockMsgKey(id, 9), lockMsgKey(id, 10); a >= b {
		t.Fatal("one channel's lock message keys do not sort by nonce")
	}
}

// Lock messages are stored under 40-byte binary keys (ADR 0038); a datadir of an older
// node holds them under 84-character hex keys. Those are loaded, resent in nonce order
// with the new ones, and deleted once acknowledged like the new ones, so none is left
// behind to be resent on every restart.
func TestLockMsgsStoredUnderTheOldKeysAreLoadedAndDeleted(t *testing.T) {
	x := newThreeNodes(t)
	secret, done := x.holdLock(t, 70)
	for _, k := range lockMsgKeys(t, x.h) {
		if len(k) != lockMsgKeyLen {
			t.Fatalf("hub stored a lock message under a %d-byte key, want %d", len(k), lockMsgKeyLen)
		}
	}
	if err := x.h.Close(); err != nil {
		t.Fatal(err)
	}
	// Rewrite the hub's stored lock messages as an older node stored them.
	st, err := store.Open(x.hDir+"/db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := st.ListMeta(lockMsgNamespace)
	if err != nil || len(entries) == 0 {
		t.Fatalf("hub's stored lock messages: %d (%v)", len(entries), err)
	}
	b := store.NewBatch()
	for _, e := range entries {
		id, nonce, _, ok := parseLockMsgKey(e.Key)
		if !ok {
			t.Fatalf("stored key %x does not parse", e.Key)
		}
		if err := b.DeleteMeta(lockMsgNamespace, e.Key); err != nil {
			t.Fatal(err)
		}
		if err := b.PutMeta(lockMsgNamespace, legacyLockMsgKey(id, nonce), e.Value); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Commit(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	x.h = x.tn.startNode(2, nodeOpts{dir: x.hDir, staticPeers: []string{addrOf(t, x.a), addrOf(t, x.c)}})
	lc := x.h.channel(x.idHC)
	lc.mu.Lock()
	loaded := append([]lockMsg(nil), lc.lockMsgs...)
	lc.mu.Unlock()
	if len(loaded) != 1 || !loaded[0].legacy {
		t.Fatalf("restarted hub loaded %+v, want the one lock message under its old key", loaded)
	}
	waitFor(t, "the restarted hub reconnects", func() bool {
		return x.h.transport.Connected(x.payer) && x.h.transport.Connected(x.payee)
	})
	learnSecret(t, x.c, secret, big.NewInt(70))
	if err := <-done; err != nil {
		t.Fatalf("the held payment: %v", err)
	}
	inv := invoice(t, x.c, 5)
	if res, err := routedPay(t, x.a, x.route, 5, inv.SecretHash); err != nil || !res.Unlocked {
		t.Fatalf("routed payment after the restart: %+v %v", res, err)
	}
	waitFor(t, "the old keys are deleted", func() bool {
		for _, k := range lockMsgKeys(t, x.h) {
			if len(k) != lockMsgKeyLen {
				return false
			}
		}
		return true
	})
}
