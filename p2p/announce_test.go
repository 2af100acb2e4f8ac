package p2p

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

func freeTCPAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", l.Addr().(*net.TCPAddr).Port)
}

// TestWalletRedialsAnAnnouncedStandby is issue 20's "peers reconnect to the new active
// without being told": the wallet only ever dialled the active hub process; the active
// announces the standby's listen address too; when the active goes and the standby (same
// key, no address book, no static peers: it dials nobody) starts listening, the wallet's
// own redial reaches it. Without the announcement the wallet knows no address of it.
func TestWalletRedialsAnAnnouncedStandby(t *testing.T) {
	listenA, listenB := freeTCPAddr(t), freeTCPAddr(t)
	hubA := startNode(t, func(c *Config) {
		c.ListenAddrs = []string{listenA}
		c.AnnounceAddrs = []string{listenA, listenB}
	})
	wallet := startNode(t, nil)
	addrA, _ := ma.NewMultiaddr(listenA)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := wallet.Connect(ctx, peer.AddrInfo{ID: hubA.ID(), Addrs: []ma.Multiaddr{addrA}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, hubA.h.connected, wallet.Address(), "the hub's session")
	waitFor(t, wallet.h.connected, hubA.Address(), "the wallet's session")
	wallet.KeepPartner(hubA.Address()) // the node does this for every channel partner
	eventually(t, 10*time.Second, "the wallet learns the standby's address by identify", func() bool {
		for _, a := range wallet.host.Peerstore().Addrs(hubA.ID()) {
			if a.String() == listenB {
				return true
			}
		}
		return false
	})

	key := hubA.key
	hubA.Close()
	waitFor(t, wallet.h.disconnected, hubA.Address(), "the wallet sees the active leave")
	hubB := startNode(t, func(c *Config) {
		c.Key = key
		c.ListenAddrs = []string{listenB}
		c.AnnounceAddrs = []string{listenA, listenB}
	})
	waitFor(t, hubB.h.connected, wallet.Address(), "the wallet redialled the standby by itself")
	peers := hubB.Peers()
	if len(peers) != 1 || peers[0].Outbound {
		t.Fatalf("standby's sessions %+v, want one the wallet dialled", peers)
	}
	if err := hubB.Send(context.Background(), wallet.Address(), &Ack{Nonce: 9}); err != nil {
		t.Fatalf("send over the new session: %v", err)
	}
	if r := nextMessage(t, wallet.h); r.msg.(*Ack).Nonce != 9 {
		t.Fatalf("wallet got %v", r.msg)
	}
}

func TestAnnounceAddrsRefusesBadInput(t *testing.T) {
	for _, bad := range []string{"not-a-multiaddr", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN"} {
		cfg := Config{Key: newKey(t), ChainID: testChainID, Contract: testContract, Handler: newTestHandler(), AnnounceAddrs: []string{bad}}
		if tr, err := New(cfg); !errors.Is(err, ErrBadAnnounceAddr) {
			if tr != nil {
				tr.Close()
			}
			t.Fatalf("announce %q: %v, want ErrBadAnnounceAddr", bad, err)
		}
	}
}
