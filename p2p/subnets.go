package p2p

import (
	"fmt"
	"net"

	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// sessionSlots counts sessions (from the first byte of the handshake to the end of
// the session) per remote IP and per /24 (IPv4) or /48 (IPv6) network. libp2p bounds
// connections per IP, but every one of those connections may carry a Sluice stream
// from a fresh identity, and a session costs two goroutines and its buffers.
// Guarded by Transport.mu.
type sessionSlots struct {
	perIP, perSubnet map[string]int
}

// slot is what a session holds; release gives it back once.
type slot struct {
	ip, subnet string // empty for an exempt (loopback or unknown) address
}

// subnetOf returns the remote IP and its network, or "" for addresses the bounds do
// not apply to.
func subnetOf(remote ma.Multiaddr, limitLoopback bool) (ip, subnet string) {
	if remote == nil {
		return "", ""
	}
	addr, err := manet.ToIP(remote)
	if err != nil || (addr.IsLoopback() && !limitLoopback) {
		return "", ""
	}
	if v4 := addr.To4(); v4 != nil {
		return v4.String(), v4.Mask(net.CIDRMask(24, 32)).String() + "/24"
	}
	return addr.String(), addr.Mask(net.CIDRMask(48, 128)).String() + "/48"
}

// acquireSlot takes a session slot for a stream from remote, or says which bound it
// would break.
func (t *Transport) acquireSlot(remote ma.Multiaddr) (slot, RefusalReason, error) {
	ip, subnet := subnetOf(remote, t.cfg.Limits.LimitLoopback)
	if ip == "" {
		return slot{}, "", nil
	}
	lim := t.cfg.Limits
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.slots.perIP[ip] >= lim.MaxSessionsPerIP {
		return slot{}, RefusedIP, fmt.Errorf("%d sessions from %s already, at most %d", t.slots.perIP[ip], ip, lim.MaxSessionsPerIP)
	}
	if t.slots.perSubnet[subnet] >= lim.MaxSessionsPerSubnet {
		return slot{}, RefusedSubnet, fmt.Errorf("%d sessions from %s already, at most %d", t.slots.perSubnet[subnet], subnet, lim.MaxSessionsPerSubnet)
	}
	t.slots.perIP[ip]++
	t.slots.perSubnet[subnet]++
	return slot{ip: ip, subnet: subnet}, "", nil
}

func (t *Transport) releaseSlot(s slot) {
	if s.ip == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.slots.perIP[s.ip]--; t.slots.perIP[s.ip] <= 0 {
		delete(t.slots.perIP, s.ip)
	}
	if t.slots.perSubnet[s.subnet]--; t.slots.perSubnet[s.subnet] <= 0 {
		delete(t.slots.perSubnet, s.subnet)
	}
}
