package p2p

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

func TestQUICListenAddressCarriesSessions(t *testing.T) {
	b := startNode(t, func(c *Config) { c.ListenAddrs = []string{"/ip4/127.0.0.1/udp/0/quic-v1"} })
	var quicAddrs []ma.Multiaddr
	for _, a := range b.host.Addrs() {
		if strings.Contains(a.String(), "/quic-v1") {
			quicAddrs = append(quicAddrs, a)
		}
	}
	if len(quicAddrs) == 0 {
		t.Fatalf("no quic address among %v", b.host.Addrs())
	}
	a := startNode(t, func(c *Config) { c.ListenAddrs = []string{"/ip4/127.0.0.1/udp/0/quic-v1", "/ip4/127.0.0.1/tcp/0"} })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Connect(ctx, peer.AddrInfo{ID: b.ID(), Addrs: quicAddrs}); err != nil {
		t.Fatalf("connect over quic: %v", err)
	}
	if got := a.Peers()[0].Remote.String(); !strings.Contains(got, "quic-v1") {
		t.Fatalf("session runs over %s, want quic", got)
	}
	if err := a.Send(ctx, b.Address(), &Ack{Nonce: 3}); err != nil {
		t.Fatal(err)
	}
	if r := nextMessage(t, b.h); r.msg.(*Ack).Nonce != 3 {
		t.Fatalf("got %v", r.msg)
	}
}

func TestConnectRefusesThisNodeItself(t *testing.T) {
	a := startNode(t, nil)
	if err := a.Connect(context.Background(), a.info()); err == nil {
		t.Fatal("connected to itself")
	}
}

func TestMemoryAddressBookReturnsCopies(t *testing.T) {
	var book MemoryAddressBook
	addrs := []string{"/ip4/127.0.0.1/tcp/1/p2p/x"}
	addr := testContract
	book.PutPeer(addr, addrs)
	addrs[0] = "changed"
	got, _ := book.LoadPeers()
	if got[addr][0] != "/ip4/127.0.0.1/tcp/1/p2p/x" {
		t.Fatalf("book kept the caller's slice: %v", got)
	}
	got[addr][0] = "changed"
	again, _ := book.LoadPeers()
	if again[addr][0] == "changed" {
		t.Fatal("LoadPeers returned the book's own slice")
	}
}

func TestMDNSDiscoversPeersOnTheLAN(t *testing.T) {
	withMDNS := func(c *Config) {
		c.EnableMDNS = true
		c.ListenAddrs = []string{"/ip4/0.0.0.0/tcp/0"}
	}
	a, b := startNode(t, withMDNS), startNode(t, withMDNS)
	waitFor(t, a.h.connected, b.Address(), "mDNS discovery")
}
