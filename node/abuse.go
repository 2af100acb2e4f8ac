package node

import (
	"errors"
	"math/big"
	"runtime"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
)

// A peer's identity costs nothing, so everything a peer can make the node do has a
// bound (docs/abuse.md): the transport bounds its message rate, sessions and malformed
// frames; the node refuses cheaply (channel known, sender its partner, nonce plausible)
// before it spends a signature recovery, answers unsolicited requests without ever
// waiting on the peer, and reports each refusal an honest peer cannot produce in
// numbers to the transport, which bans the peer past Limits.MaxRefused.

// penalized are the refusals that count toward a ban: none of them happens to an honest
// peer more than a few times (an unknown channel is counted once per channel in a row,
// since a partner whose node lags on chain may pay into a channel we do not know yet).
var penalized = []error{
	channel.ErrUnknownChannel, channel.ErrBadSignature, channel.ErrWrongSigner,
	channel.ErrWrongDomain, channel.ErrNotParticipant, channel.ErrMalformed,
}

// refuse answers a refused message with a Reject that never waits on the peer (a peer
// that does not read loses its Rejects, counted as dropped replies), and counts it.
func (n *Node) refuse(to common.Address, ch channel.ID, nonce uint64, err error, penalize bool) {
	code := channel.Code(err)
	n.metrics.rejects.WithLabelValues(rejectLabel(code)).Inc()
	n.log.Debug("rejecting", "peer", to, "channel", ch, "nonce", nonce, "code", code, "err", err)
	if penalize {
		n.penalize(to, err)
	}
	if serr := n.transport.TrySend(to, &p2p.Reject{Channel: ch, Nonce: nonce, Code: code, Reason: truncate(err.Error(), p2p.MaxReasonSize)}); serr != nil {
		n.log.Debug("reject not sent", "peer", to, "channel", ch, "err", serr)
	}
}

// penalize reports err to the transport if it is a refusal that counts toward a ban.
func (n *Node) penalize(peer common.Address, err error) {
	for _, p := range penalized {
		if errors.Is(err, p) {
			n.transport.Penalize(peer, err.Error())
			return
		}
	}
}

// worthVerifying is the cheap check that comes before a proof's signature recovery: the
// channel is known, the sender is its partner, and the nonce is one the applier may
// still accept (above the last, within what can be queued ahead of it). Anything else
// is refused by the applier without a recovery.
func (n *Node) worthVerifying(from common.Address, proof *channel.SignedProof) bool {
	lc := n.peerChannel(from, proof.Channel)
	if lc == nil || lc.policyRefusal() != nil {
		return false // refused in order without a signature recovery
	}
	lc.mu.Lock()
	last := lc.st.Nonce(lc.us.Other())
	lc.mu.Unlock()
	return proof.Nonce > last && proof.Nonce-last <= 2*inboundQueueLen
}

// Message-rate defaults, from what this machine can verify.
const (
	// verifyRateHeadroom multiplies the measured verify rate. An honest payer is held to
	// the verify rate by backpressure (the reader stops while the verifier is behind), and
	// the rate is measured in CPU time, so a busy machine at start does not lower it: no
	// headroom is needed.
	verifyRateHeadroom = 1
	minMessageRate     = 5_000
	// minMessageBurst covers what a reader takes in before backpressure starts: the
	// inbound queue and the verifier's queue.
	minMessageBurst = 4 * inboundQueueLen
)

// peerLimits fills the message rate a Config leaves zero from the measured verify rate.
func peerLimits(l p2p.Limits, measure func() float64) p2p.Limits {
	if l.MessageRate > 0 {
		return l
	}
	l.MessageRate = max(verifyRateHeadroom*measure(), minMessageRate)
	if l.MessageBurst <= 0 {
		l.MessageBurst = max(int(l.MessageRate), minMessageBurst)
	}
	return l
}

// measureVerifyRate times signature recoveries on one core for about 20 ms of that
// thread's CPU time and scales by the cores the verifier uses: the Pays per second this
// machine can check. CPU time, not wall time, so that a machine busy at start (other
// processes, a restart storm) does not measure a rate its idle cores would exceed.
func measureVerifyRate() float64 {
	key, err := crypto.GenerateKey()
	if err != nil {
		return 0
	}
	signer, err := channel.NewKeySigner(key)
	if err != nil {
		return 0
	}
	h, err := channel.NewHasher(channel.Domain{ChainID: big.NewInt(1)})
	if err != nil {
		return 0
	}
	digest, err := h.BalanceProofDigest(channel.BalanceProof{Nonce: 1, Transferred: big.NewInt(1)})
	if err != nil {
		return 0
	}
	sig, err := signer.SignDigest(digest)
	if err != nil {
		return 0
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if _, err := h.Recover(digest, sig); err != nil { // warm up precomputed tables
		return 0
	}
	cpu0, haveCPU := threadCPU()
	start, count := time.Now(), 0
	for {
		if _, err := h.Recover(digest, sig); err != nil {
			return 0
		}
		count++
		if count%16 != 0 {
			continue
		}
		spent := time.Since(start)
		if haveCPU {
			if cpu, ok := threadCPU(); ok && cpu-cpu0 >= 20*time.Millisecond {
				spent = cpu - cpu0
			} else if spent < time.Second {
				continue
			}
		} else if spent < 20*time.Millisecond {
			continue
		}
		return float64(count) / spent.Seconds() * float64(runtime.GOMAXPROCS(0))
	}
}
