package p2p

import (
	"context"
	"testing"
	"time"
)

// One host cycling through fresh identities gets NewConnBurst connections at once and
// NewConnRate per second after: the rest are refused before their handshake and
// counted. Without the limit every identity costs the node a Noise handshake (issue 15).
func TestNewConnectionsPerIPAreRateLimited(t *testing.T) {
	victim := startNode(t, func(c *Config) {
		c.Limits.LimitLoopback = true
		c.Limits.NewConnRate = 0.5 // one more every two seconds
		c.Limits.NewConnBurst = 3
		c.Limits.MaxSessionsPerIP = 100
	})
	connected := 0
	for range 10 {
		h := rawPeer(t)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := h.Connect(ctx, victim.info()); err == nil {
			connected++
		}
		cancel()
	}
	if connected < 3 || connected > 4 { // the burst, and at most one refill meanwhile
		t.Fatalf("%d of 10 fresh identities from one IP connected, want the burst of 3 (4 with one refill)", connected)
	}
	eventually(t, 5*time.Second, "refusals counted", func() bool {
		return victim.Stats().Refused[RefusedConnRate] >= uint64(10-connected)
	})
	// The bucket refills: a later identity connects again.
	time.Sleep(2100 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rawPeer(t).Connect(ctx, victim.info()); err != nil {
		t.Fatalf("connection after the refill: %v", err)
	}
}

// Loopback peers are exempt by default: local tests and a node's own tools are not
// rate-limited.
func TestLoopbackIsExemptFromTheConnectionRate(t *testing.T) {
	victim := startNode(t, func(c *Config) {
		c.Limits.NewConnRate = 0.5
		c.Limits.NewConnBurst = 1
	})
	for i := range 5 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := rawPeer(t).Connect(ctx, victim.info())
		cancel()
		if err != nil {
			t.Fatalf("loopback identity %d refused: %v", i, err)
		}
	}
	if n := victim.Stats().Refused[RefusedConnRate]; n != 0 {
		t.Fatalf("%d loopback connections refused for rate", n)
	}
}
