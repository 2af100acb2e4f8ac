package node

import (
	"context"
	"runtime"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
)

// Signature recovery is the payee's dominant cost and would otherwise run on the peer's
// single reader goroutine, so the payer's signing and the payee's checking would take
// turns on the CPU. Instead every message from a peer enters that peer's ordered inbound
// queue, the signatures of its proofs (Pay, LockedTransfer, Unlock, LockExpired) are
// recovered meanwhile by a small worker pool, and one applier goroutine per session
// handles the messages strictly in arrival order, skipping the recovery it already has
// (ADR 0034: a hub's applier otherwise recovers every lock and unlock of its partner one
// after another, under the channel's lock).

// inboundQueueLen bounds messages read but not yet applied per peer; a full queue makes
// the reader wait, which is the transport's backpressure.
const inboundQueueLen = 1024

type inboundMsg struct {
	msg p2p.Message
	// proof is the signed proof the message carries (nil for other messages); when a
	// worker recovers it, signer is the recovered address and ready is closed once it is
	// known.
	proof  *channel.SignedProof
	ready  chan struct{}
	signer common.Address
	sigErr error
	// sess is the session the message came on (nil before PeerConnected).
	sess *inbound
}

// inbound is one session's queue; it lives from PeerConnected to PeerDisconnected.
type inbound struct {
	queue chan *inboundMsg
	done  chan struct{}
	// lastUnknown is the unknown channel this session last paid into; owned by the
	// applier. A partner paying into one channel we do not know yet is penalised once,
	// a peer cycling through made-up channel ids once per id.
	lastUnknown channel.ID
}

// verifier recovers proof signers on runtime.GOMAXPROCS workers.
type verifier struct {
	jobs chan *inboundMsg
}

func (n *Node) startVerifier(ctx context.Context) {
	for range runtime.GOMAXPROCS(0) {
		n.goTrackedLocked(func() {
			h, err := channel.NewHasher(n.domain)
			if err != nil {
				n.log.Error("verifier disabled", "err", err)
				return
			}
			for {
				select {
				case <-ctx.Done():
					return
				case m := <-n.verify.jobs:
					digest, err := h.BalanceProofDigest(m.proof.BalanceProof)
					if err == nil {
						m.signer, err = h.Recover(digest, m.proof.Sig)
					}
					m.sigErr = err
					close(m.ready)
				}
			}
		})
	}
}

// enqueueInbound is called on the peer's reader goroutine.
func (n *Node) enqueueInbound(from common.Address, msg p2p.Message) {
	n.inMu.Lock()
	in := n.inbound[from]
	n.inMu.Unlock()
	if in == nil {
		n.handleInOrder(from, &inboundMsg{msg: msg})
		return
	}
	m := &inboundMsg{msg: msg, sess: in, proof: signedProof(msg)}
	if m.proof != nil && n.worthVerifying(from, m.proof) {
		m.ready = make(chan struct{})
		select {
		case n.verify.jobs <- m:
		default:
			// Workers busy: recover in order on the applier instead of waiting here.
			m.ready = nil
		}
	}
	select {
	case in.queue <- m:
	case <-n.ctx.Done():
	}
}

// openInbound starts the applier for a new session; the reader calls it from PeerConnected.
func (n *Node) openInbound(from common.Address) {
	in := &inbound{queue: make(chan *inboundMsg, inboundQueueLen), done: make(chan struct{})}
	n.inMu.Lock()
	n.inbound[from] = in
	n.inMu.Unlock()
	started := n.goTracked(func() {
		defer close(in.done)
		for {
			select {
			case <-n.ctx.Done():
				return
			case m, ok := <-in.queue:
				if !ok {
					return
				}
				if m.ready != nil {
					select {
					case <-m.ready:
					case <-n.ctx.Done():
						return
					}
				}
				n.handleInOrder(from, m)
			}
		}
	})
	if !started {
		close(in.done)
	}
}

// closeInbound drains and stops the session's applier; later sessions get a new one.
func (n *Node) closeInbound(from common.Address) {
	n.inMu.Lock()
	in := n.inbound[from]
	delete(n.inbound, from)
	n.inMu.Unlock()
	if in == nil {
		return
	}
	close(in.queue)
	<-in.done
}

// signedProof is the proof a message carries for the applier to check, if any.
func signedProof(msg p2p.Message) *channel.SignedProof {
	switch m := msg.(type) {
	case *p2p.Pay:
		return &m.Proof
	case *p2p.LockedTransfer:
		return &m.Proof
	case *p2p.Unlock:
		return &m.Proof
	case *p2p.LockExpired:
		return &m.Proof
	}
	return nil
}

// recovered reports whether a worker recovered in's proof to peer: the applier then
// checks every rule but the signature.
func (in *inboundMsg) recovered(peer common.Address) bool {
	return in != nil && in.ready != nil && in.sigErr == nil && in.signer == peer
}

type inboundState struct {
	inMu    sync.Mutex
	inbound map[common.Address]*inbound
	verify  verifier
}
