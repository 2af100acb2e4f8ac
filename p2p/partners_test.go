package p2p

import (
	"context"
	"testing"
	"time"
)

// TestRestartedNodeDialsBackAPartnerThatHadDialledIt is issue 21, finding 8: the payee's
// address book held only peers it had dialled, so after a restart it waited for the
// payer's redial backoff (up to 30 s). Here the payer's own redials are disabled (a 1 h
// backoff), so the only way back is the restarted node dialling its partner from the
// address book: a property of the protocol, not a race against the clock.
func TestRestartedNodeDialsBackAPartnerThatHadDialledIt(t *testing.T) {
	book := &MemoryAddressBook{}
	payer := startNode(t, func(c *Config) {
		c.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0"}
		c.DialBackoffMin, c.DialBackoffMax = time.Hour, time.Hour
	})
	payee := startNode(t, func(c *Config) { c.AddressBook = book })
	connect(t, payer, payee)
	payee.KeepPartner(payer.Address()) // the node does this for every channel partner
	eventually(t, 10*time.Second, "the payee records the payer's listen address", func() bool {
		known, _ := book.LoadPeers()
		return len(known[payer.Address()]) > 0
	})
	listen, key := listenAddrOf(t, payee), payee.key
	payee.Close()
	waitFor(t, payer.h.disconnected, payee.Address(), "the payer sees the payee leave")
	time.Sleep(200 * time.Millisecond) // the payer's one immediate redial fails; the next is in an hour

	start := time.Now()
	restarted := startNode(t, func(c *Config) { c.Key = key; c.ListenAddrs = []string{listen}; c.AddressBook = book })
	waitFor(t, payer.h.connected, restarted.Address(), "the payer reconnected by the restarted payee")
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("reconnected %s after the restart, want < 2s", took)
	}
	waitFor(t, restarted.h.connected, payer.Address(), "the restarted payee's session")
	peers := restarted.Peers()
	if len(peers) != 1 || !peers[0].Outbound {
		t.Fatalf("restarted payee's sessions %+v, want one it dialled", peers)
	}
	if err := payer.Send(context.Background(), restarted.Address(), &Ack{Nonce: 7}); err != nil {
		t.Fatalf("send after the dial-back: %v", err)
	}
	if r := nextMessage(t, restarted.h); r.msg.(*Ack).Nonce != 7 {
		t.Fatalf("restarted payee got %v", r.msg)
	}
}

// TestPartnerIsRedialedWithinASecondAfterALongOutage is issue 21, finding 8 from the
// dialling side: with the default backoff (250 ms doubling to 30 s) a peer down for 10 s
// was next redialled 4-7 s after it came back; a channel partner's backoff is capped at
// about a second. The payee here has no address book, so only the payer's redial counts.
func TestPartnerIsRedialedWithinASecondAfterALongOutage(t *testing.T) {
	payer := startNode(t, func(c *Config) { c.DialBackoffMin, c.DialBackoffMax = 0, 0 }) // defaults
	payee := startNode(t, nil)
	connect(t, payer, payee)
	payer.KeepPartner(payee.Address())
	eventually(t, 5*time.Second, "the payer marks the payee as a partner", func() bool {
		payer.mu.RLock()
		k := payer.keepers[payee.Address()]
		payer.mu.RUnlock()
		return k != nil && k.partner.on.Load()
	})
	listen, key := listenAddrOf(t, payee), payee.key
	payee.Close()
	waitFor(t, payer.h.disconnected, payee.Address(), "the payer sees the payee leave")
	time.Sleep(10 * time.Second)

	start := time.Now()
	restarted := startNode(t, func(c *Config) { c.Key = key; c.ListenAddrs = []string{listen} })
	waitFor(t, restarted.h.connected, payer.Address(), "the restarted payee redialled by the payer")
	if took := time.Since(start); took > 2500*time.Millisecond {
		t.Fatalf("redialled %s after the payee came back, want at most ~1.2 s (backoff cap 1 s)", took)
	}
}
