package p2p

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
)

func resourceTestHost(t testing.TB, rm network.ResourceManager, listen bool, extra ...libp2p.Option) host.Host {
	t.Helper()
	opts := []libp2p.Option{
		libp2p.Security(noise.ID, noise.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.DisableRelay(),
		libp2p.Ping(false),
		libp2p.DisableMetrics(),
		libp2p.ConnectionManager(connmgr.NullConnMgr{}),
	}
	if listen {
		opts = append(opts, libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	} else {
		opts = append(opts, libp2p.NoListenAddrs)
	}
	if rm != nil {
		opts = append(opts, libp2p.ResourceManager(rm))
	}
	h, err := libp2p.New(append(opts, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// More peers than libp2p's memory-scaled default admits (about 250 inbound on a 23 GB
// machine) all connect to one host and stay connected.
//
// What it proves is admission, not handshake speed: under a loaded machine (it failed once
// at load average 11) a client's dial may wait behind the hub's 16 concurrent upgrades, and
// libp2p bounds a dial to a loopback address, handshake included, by 5 s. So the clients
// dial with a generous bound, the deadline starts once the 300 clients exist, and the hub's
// peer count is awaited rather than read once: the hub registers a connection after its
// own side of the handshake, which may finish after the client's.
func TestResourceManagerAdmitsHundredsOfPeers(t *testing.T) {
	const peers = 300
	rm, err := ResourceManager(Config{MaxPeers: 1024})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rm.Close() })
	hub := resourceTestHost(t, rm, true)
	hub.SetStreamHandler(ProtocolID, func(s network.Stream) {})
	info := peer.AddrInfo{ID: hub.ID(), Addrs: hub.Addrs()}

	patient := libp2p.SwarmOpts(swarm.WithDialTimeoutLocal(2*time.Minute), swarm.WithDialTimeout(2*time.Minute))
	clients := make([]host.Host, peers)
	for i := range clients {
		clients[i] = resourceTestHost(t, nil, false, patient)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	sem := make(chan struct{}, 32)
	for _, c := range clients {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := c.Connect(ctx, info); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d of %d peers refused, first: %v", len(errs), peers, errs[0])
	}
	for len(hub.Network().Peers()) != peers && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	if got := len(hub.Network().Peers()); got != peers {
		t.Fatalf("hub holds %d peers, want %d", got, peers)
	}
	for i, c := range clients {
		if cs := c.Network().Connectedness(hub.ID()); cs != network.Connected {
			t.Fatalf("client %d is %s to the hub while the hub holds %d peers", i, cs, peers)
		}
	}
}

// MaxPeers is a real bound: a hub sized for few peers refuses the rest.
func TestResourceManagerRefusesPeersPastMaxPeers(t *testing.T) {
	const maxPeers, peers = 8, 24 // system limit is 2*MaxPeers connections
	rm, err := ResourceManager(Config{MaxPeers: maxPeers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rm.Close() })
	hub := resourceTestHost(t, rm, true)
	info := peer.AddrInfo{ID: hub.ID(), Addrs: hub.Addrs()}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	refused := 0
	for range peers {
		if err := resourceTestHost(t, nil, false).Connect(ctx, info); err != nil {
			refused++
		}
	}
	if got := len(hub.Network().Peers()); got > 2*maxPeers || refused == 0 {
		t.Fatalf("hub sized for %d peers holds %d of %d (%d refused)", maxPeers, got, peers, refused)
	}
}

// One peer cannot open more Sluice streams than the per-peer bound, however high
// MaxPeers is.
func TestResourceManagerBoundsSluiceStreamsPerPeer(t *testing.T) {
	rm, err := ResourceManager(Config{MaxPeers: 4096})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rm.Close() })
	hub := resourceTestHost(t, rm, true)
	hold := make(chan struct{})
	defer close(hold)
	hub.SetStreamHandler(ProtocolID, func(s network.Stream) {
		<-hold
		s.Reset()
	})
	client := resourceTestHost(t, nil, false)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.Connect(ctx, peer.AddrInfo{ID: hub.ID(), Addrs: hub.Addrs()}); err != nil {
		t.Fatal(err)
	}
	opened := 0
	for range 3 * sluiceStreamsPerPeer {
		s, err := client.NewStream(ctx, hub.ID(), ProtocolID)
		if err != nil {
			continue
		}
		// The hub's verdict arrives with the protocol negotiation: a refused stream is
		// reset, an accepted one stays open.
		_ = s.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		if _, err := s.Read(make([]byte, 1)); err != nil && isTimeout(err) {
			opened++
		}
	}
	if opened == 0 || opened > sluiceStreamsPerPeer {
		t.Fatalf("hub kept %d streams from one peer, want 1..%d", opened, sluiceStreamsPerPeer)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(interface{ Timeout() bool })
	return ok && ne.Timeout()
}
