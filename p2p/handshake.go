package p2p

import (
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/network"
)

var (
	// ErrIncompatible means the peer's Hello differs from ours (version, chain id or
	// contract). The error text names the mismatch.
	ErrIncompatible = errors.New("incompatible peer")
	// ErrRefused means the peer ended the handshake with a Goodbye; the error text
	// carries its reason.
	ErrRefused = errors.New("refused by peer")
)

// handshake exchanges Hellos on a fresh stream. Both sides write first and then
// read, so neither waits for the other. On a mismatch this side sends a Goodbye
// naming it before closing, so the peer can report the reason too.
func (t *Transport) handshake(st network.Stream, remote common.Address, fr *FrameReader) error {
	st.SetDeadline(time.Now().Add(t.cfg.HandshakeTimeout))
	defer st.SetDeadline(time.Time{})
	enc := NewEncoder()
	hello := &Hello{Version: ProtocolVersion, ChainID: t.cfg.ChainID, Contract: t.cfg.Contract}
	frame, err := enc.AppendFrame(nil, hello)
	if err != nil {
		return fmt.Errorf("hello with %s: %w", remote, err)
	}
	if _, err := st.Write(frame); err != nil {
		return fmt.Errorf("hello with %s: write: %w", remote, err)
	}
	m, err := fr.ReadMessage()
	if err != nil {
		return fmt.Errorf("hello with %s: read: %w", remote, err)
	}
	switch m := m.(type) {
	case *Hello:
		if reason := helloMismatch(hello, m); reason != "" {
			bye, _ := enc.AppendFrame(nil, &Goodbye{Reason: reason})
			st.Write(bye)
			st.CloseWrite()
			return fmt.Errorf("hello with %s: %w: %s", remote, ErrIncompatible, reason)
		}
		return nil
	case *Goodbye:
		return fmt.Errorf("hello with %s: %w: %s", remote, ErrRefused, m.Reason)
	default:
		return fmt.Errorf("hello with %s: %w: first message is %s, want Hello", remote, ErrMalformed, m.Type())
	}
}

// helloMismatch describes how theirs differs from ours, or returns "".
func helloMismatch(ours, theirs *Hello) string {
	switch {
	case ours.Version != theirs.Version:
		return fmt.Sprintf("protocol version mismatch: ours %d, theirs %d", ours.Version, theirs.Version)
	case ours.ChainID.Cmp(theirs.ChainID) != 0:
		return fmt.Sprintf("chain id mismatch: ours %s, theirs %s", ours.ChainID, theirs.ChainID)
	case ours.Contract != theirs.Contract:
		return fmt.Sprintf("contract mismatch: ours %s, theirs %s", ours.Contract, theirs.Contract)
	}
	return ""
}
