package p2p

import (
	"context"
	"encoding/binary"
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
)

// rawPeer is a plain libp2p host with a secp256k1 identity that speaks the
// Sluice protocol by hand, to send what a correct Transport never would.
func rawPeer(t *testing.T) host.Host {
	t.Helper()
	sk, err := PrivKey(newKey(t))
	if err != nil {
		t.Fatal(err)
	}
	h, err := libp2p.New(libp2p.Identity(sk), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func openRaw(t *testing.T, h host.Host, to *testNode) (network.Stream, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.Connect(ctx, to.info()); err != nil {
		return nil, err
	}
	return h.NewStream(ctx, to.ID(), ProtocolID)
}

func frameOf(t *testing.T, m Message) []byte {
	t.Helper()
	f, err := NewEncoder().AppendFrame(nil, m)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func validHello(t *testing.T) []byte {
	return frameOf(t, &Hello{Version: ProtocolVersion, ChainID: testChainID, Contract: testContract})
}

// readUntilClosed drains st and returns the last Goodbye reason seen.
func readUntilClosed(st network.Stream) (goodbye string, err error) {
	st.SetReadDeadline(time.Now().Add(10 * time.Second))
	fr := NewFrameReader(st)
	for {
		m, err := fr.ReadMessage()
		if err != nil {
			return goodbye, err
		}
		if g, ok := m.(*Goodbye); ok {
			goodbye = g.Reason
		}
	}
}

// randomBytes is seeded so that a failure reproduces.
func randomBytes(n int) []byte {
	rng := rand.NewChaCha8([32]byte{'s', 'l', 'u', 'i', 'c', 'e'})
	b := make([]byte, n)
	rng.Read(b)
	return b
}

// malformedAck is a well-framed message whose body does not decode.
func malformedAck(t *testing.T) []byte {
	payload := rawEnvelope(t, uint64(TypeAck), []byte{1, 2, 3})
	return append(binary.AppendUvarint(nil, uint64(len(payload))), payload...)
}

func TestAbusivePeersAreRefusedWithoutAffectingOthers(t *testing.T) {
	cases := []struct {
		name       string
		afterHello bool
		payload    func(t *testing.T) []byte
		wantBan    bool
		wantReason string
	}{
		{"garbage instead of hello", false, func(*testing.T) []byte { return randomBytes(4096) }, false, ""},
		{"oversized frame after hello", true, func(*testing.T) []byte { return binary.AppendUvarint(nil, MaxFrameSize+1) }, false, "frame too large"},
		{"garbage after hello", true, func(*testing.T) []byte { return append([]byte{0x05}, randomBytes(8192)...) }, false, ""},
		{"repeated malformed bodies get the peer banned", true, func(t *testing.T) []byte {
			var out []byte
			for range 40 {
				out = append(out, malformedAck(t)...)
			}
			return out
		}, true, "banned"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			victim, friend := startNode(t, func(cfg *Config) { cfg.Limits.MaxMalformed = 8 }), startNode(t, nil)
			connect(t, friend, victim)
			attacker := rawPeer(t)
			st, err := openRaw(t, attacker, victim)
			if err != nil {
				t.Fatal(err)
			}
			var out []byte
			if c.afterHello {
				out = validHello(t)
			}
			out = append(out, c.payload(t)...)
			st.Write(out)
			// Half-close so that a frame the garbage left unfinished ends in EOF
			// rather than in the victim waiting for its body.
			st.CloseWrite()
			reason, err := readUntilClosed(st)
			if err == nil || errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "deadline") {
				t.Fatalf("victim kept the abusive stream open: %v", err)
			}
			if c.wantReason != "" && !strings.Contains(reason, c.wantReason) {
				t.Fatalf("goodbye reason %q, want one naming %q", reason, c.wantReason)
			}
			if c.afterHello {
				eventually(t, 5*time.Second, "malformed input logged", func() bool {
					return strings.Contains(victim.log.String(), "malformed")
				})
			}

			// The honest peer's session is untouched.
			for i := uint64(1); i <= 20; i++ {
				if err := friend.Send(context.Background(), victim.Address(), &Ack{Nonce: i}); err != nil {
					t.Fatalf("friend send: %v", err)
				}
			}
			for i := uint64(1); i <= 20; i++ {
				r := nextMessage(t, victim.h)
				if r.from != friend.Address() || r.msg.(*Ack).Nonce != i {
					t.Fatalf("victim got %v from %s, want Ack %d from friend", r.msg, r.from, i)
				}
			}

			if c.wantBan {
				eventually(t, 5*time.Second, "banned peer's connection closed", func() bool {
					return attacker.Network().Connectedness(victim.ID()) != network.Connected
				})
			}
			_, err = openRaw(t, attacker, victim)
			if c.wantBan {
				if err == nil {
					t.Fatal("banned peer could open a new stream")
				}
				if !strings.Contains(victim.log.String(), "peer banned") {
					t.Fatalf("ban not logged; log:\n%s", victim.log.String())
				}
			} else if err != nil {
				t.Fatalf("peer below the ban threshold could not reconnect: %v", err)
			}
		})
	}
}

func TestRefusingSideSendsTheMismatchReason(t *testing.T) {
	victim := startNode(t, nil)
	st, err := openRaw(t, rawPeer(t), victim)
	if err != nil {
		t.Fatal(err)
	}
	st.Write(frameOf(t, &Hello{Version: ProtocolVersion, ChainID: big.NewInt(5), Contract: testContract}))
	fr := NewFrameReader(st)
	st.SetReadDeadline(time.Now().Add(5 * time.Second))
	if m, err := fr.ReadMessage(); err != nil || m.Type() != TypeHello {
		t.Fatalf("first message %v, %v; want the victim's Hello", m, err)
	}
	m, err := fr.ReadMessage()
	if err != nil {
		t.Fatalf("no goodbye: %v", err)
	}
	g, ok := m.(*Goodbye)
	if !ok || g.Reason != "chain id mismatch: ours 31337, theirs 5" {
		t.Fatalf("got %#v, want a Goodbye naming the chain id mismatch", m)
	}
	if _, err := fr.ReadMessage(); err == nil {
		t.Fatal("stream still open after the goodbye")
	}
}

func TestFloodingPeerIsBannedByTheRateLimit(t *testing.T) {
	victim := startNode(t, func(c *Config) {
		c.Limits.MessageRate = 200
		c.Limits.MessageBurst = 100
	})
	flooder := startNode(t, nil)
	connect(t, flooder, victim)
	for i := uint64(1); i <= 2000; i++ {
		if err := flooder.Send(context.Background(), victim.Address(), &Ack{Nonce: i}); err != nil {
			break // the victim hung up, as it should
		}
	}
	waitFor(t, flooder.h.disconnected, victim.Address(), "disconnect of the flooder")
	eventually(t, 5*time.Second, "ban logged", func() bool {
		return strings.Contains(victim.log.String(), "peer banned") && strings.Contains(victim.log.String(), "msg/s")
	})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := flooder.Connect(ctx, victim.info()); err == nil {
		t.Fatal("banned flooder reconnected")
	}
	var got int
	for len(victim.h.msgs) > 0 {
		<-victim.h.msgs
		got++
	}
	if got > 200 {
		t.Fatalf("victim delivered %d flooded messages, want at most about the burst", got)
	}
}
