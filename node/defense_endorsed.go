package node

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// Endorsed cancels on chain (ADR 0032): the store records, and the watcher's defense
// that puts our endorsed cancel proof on chain (updateProofFor) over any older proof of
// ours, whoever closed.

// Store namespaces: our best endorsed proof per channel (key: channel id), and our
// cancelled locks whose refusal waits for an endorsement (key: channel id + hash).
const (
	endorsedNamespace   = "cancelendorsed"
	cancelWaitNamespace = "cancelwait"
)

// CallUpdateProofFor records a proof of ours on the receiver's behalf: Proof is ours,
// Sigs[0] the receiver's endorsement of it.
const CallUpdateProofFor CallKind = "updateProofFor"

func channelKey(id channel.ID) string { return hex.EncodeToString(id[:]) }

const (
	proofRecordSize = 32 + 8 + 32 + 32 + 32 + 65
	lockRecordSize  = 32 + 8 + 32
	maxRecordLocks  = 1 << 12
)

// encodeEndorsed: proof, endorsement, a flag for a known lock list, its count, its locks.
func encodeEndorsed(e endorsedProof) []byte {
	out := make([]byte, 0, proofRecordSize+65+3+len(e.locks)*lockRecordSize)
	p := e.proof
	out = append(out, p.Channel[:]...)
	out = binary.BigEndian.AppendUint64(out, p.Nonce)
	out = appendWord(out, p.Transferred)
	out = appendWord(out, p.Locked)
	out = append(out, p.LocksRoot[:]...)
	out = append(out, p.Sig[:]...)
	out = append(out, e.sig[:]...)
	known := byte(0)
	if e.locksN && len(e.locks) <= maxRecordLocks {
		known = 1
	}
	out = append(out, known)
	if known == 0 {
		return binary.BigEndian.AppendUint16(out, 0)
	}
	out = binary.BigEndian.AppendUint16(out, uint16(len(e.locks)))
	for _, l := range e.locks {
		out = appendLock(out, l)
	}
	return out
}

var errBadRecord = errors.New("malformed endorsement record")

func decodeEndorsed(b []byte) (endorsedProof, error) {
	var e endorsedProof
	if len(b) < proofRecordSize+65+3 {
		return e, errBadRecord
	}
	p := &e.proof
	copy(p.Channel[:], b[:32])
	p.Nonce = binary.BigEndian.Uint64(b[32:40])
	p.Transferred = new(big.Int).SetBytes(b[40:72])
	p.Locked = new(big.Int).SetBytes(b[72:104])
	copy(p.LocksRoot[:], b[104:136])
	copy(p.Sig[:], b[136:201])
	copy(e.sig[:], b[201:266])
	e.locksN = b[266] == 1
	count := int(binary.BigEndian.Uint16(b[267:269]))
	rest := b[269:]
	if len(rest) != count*lockRecordSize {
		return e, errBadRecord
	}
	for i := 0; i < count; i++ {
		e.locks = append(e.locks, decodeLock(rest[i*lockRecordSize:]))
	}
	return e, nil
}

// encodeCancelWait: the cancelled lock and the cancel proof's nonce (0: not known yet).
func encodeCancelWait(l channel.Lock, nonce uint64) []byte {
	return binary.BigEndian.AppendUint64(appendLock(nil, l), nonce)
}

func decodeCancelWait(b []byte) (channel.Lock, uint64, bool) {
	if len(b) != lockRecordSize+8 {
		return channel.Lock{}, 0, false
	}
	return decodeLock(b), binary.BigEndian.Uint64(b[lockRecordSize:]), true
}

func appendWord(out []byte, x *big.Int) []byte {
	var w [32]byte
	if x != nil && x.Sign() > 0 && x.BitLen() <= 256 {
		x.FillBytes(w[:])
	}
	return append(out, w[:]...)
}

func appendLock(out []byte, l channel.Lock) []byte {
	out = appendWord(out, l.Amount)
	out = binary.BigEndian.AppendUint64(out, l.Expiration)
	return append(out, l.SecretHash[:]...)
}

func decodeLock(b []byte) channel.Lock {
	var l channel.Lock
	l.Amount = new(big.Int).SetBytes(b[:32])
	l.Expiration = binary.BigEndian.Uint64(b[32:40])
	copy(l.SecretHash[:], b[40:72])
	return l
}

// loadEndorsements restores our endorsed proofs and the cancelled locks still waiting
// for one (after loadRefusals). Records of channels we no longer track are deleted.
func (n *Node) loadEndorsements() error {
	n.claims.tombs.registerMetrics(n.cfg.Metrics) // ADR 0037
	ml, ok := n.store.(metaLister)
	if !ok {
		return nil
	}
	if err := n.loadChainProofs(ml); err != nil {
		return fmt.Errorf("load nonces of our proofs on chain: %w", err)
	}
	e := n.med.ref.end
	var stale [][2]string
	entries, err := ml.ListMeta(endorsedNamespace)
	if err != nil {
		return fmt.Errorf("load cancel endorsements: %w", err)
	}
	for _, en := range entries {
		ep, derr := decodeEndorsed(en.Value)
		if derr != nil || n.channel(ep.proof.Channel) == nil || channelKey(ep.proof.Channel) != en.Key {
			stale = append(stale, [2]string{endorsedNamespace, en.Key})
			continue
		}
		e.best[ep.proof.Channel] = ep
	}
	if entries, err = ml.ListMeta(cancelWaitNamespace); err != nil {
		return fmt.Errorf("load cancelled locks: %w", err)
	}
	for _, en := range entries {
		k, kok := parseRefusalKey(en.Key)
		l, nonce, lok := decodeCancelWait(en.Value)
		if !kok || !lok || n.channel(k.ch) == nil {
			stale = append(stale, [2]string{cancelWaitNamespace, en.Key})
			continue
		}
		e.waiting[k] = &cancelledLock{lock: l, nonce: nonce, since: time.Now(), done: make(chan struct{})}
	}
	if len(stale) == 0 {
		return nil
	}
	return n.durable.enqueue(func(b *store.Batch) error {
		for _, s := range stale {
			if err := b.DeleteMeta(s[0], s[1]); err != nil {
				return err
			}
		}
		return nil
	}, afterCommit{})
}

// defendEndorsed puts our best endorsed proof on chain while the chain holds an older
// proof of ours (the partner closed or updated with one, or we closed and the chain holds
// none of ours yet, so the partner could still submit an older one late in the period).
// Only a proof the partner endorsed can be submitted by us; the contract keeps the
// highest nonce, so the partner's newer proofs of ours still win if it holds any.
func (n *Node) defendEndorsed(ctx context.Context, lc *liveChannel, chainTime uint64) {
	e := n.med.ref.end
	e.mu.Lock()
	best, ok := e.best[lc.id]
	busy := e.defending[lc.id]
	e.mu.Unlock()
	if !ok || busy {
		return
	}
	lc.mu.Lock()
	closing := lc.st.Status() == channel.StatusClosing
	lc.mu.Unlock()
	if !closing {
		return
	}
	onChain, err := n.chain.Channel(ctx, lc.id)
	if err != nil {
		n.log.Warn("cannot read channel to defend our endorsed cancel", "channel", lc.id, "err", err)
		return
	}
	if onChain.Status != channel.StatusClosing || onChain.Nonce[lc.us] >= best.proof.Nonce {
		return
	}
	if chainTime > onChain.SettleAfter {
		n.log.Error("challenge period over before our endorsed cancel proof reached the chain", "channel", lc.id, "onChainNonce", onChain.Nonce[lc.us], "endorsedNonce", best.proof.Nonce)
		return
	}
	e.mu.Lock()
	if e.defending[lc.id] {
		e.mu.Unlock()
		return
	}
	e.defending[lc.id] = true
	e.mu.Unlock()
	done := func() {
		e.mu.Lock()
		delete(e.defending, lc.id)
		e.mu.Unlock()
	}
	n.log.Info("submitting our endorsed cancel proof over an older proof of ours", "channel", lc.id, "onChainNonce", onChain.Nonce[lc.us], "endorsedNonce", best.proof.Nonce, "seconds_left", onChain.SettleAfter-chainTime)
	call := ChainCall{Kind: CallUpdateProofFor, Channel: lc.id, Proof: best.proof, Sigs: [2]channel.Signature{best.sig}}
	if !n.goTracked(func() {
		defer done()
		if _, err := n.ops.submit(n.ctx, call, opIdentity{}); err != nil && n.ctx.Err() == nil {
			n.log.Error("endorsed cancel proof not recorded on chain; retrying on the next poll", "channel", lc.id, "nonce", best.proof.Nonce, "err", err)
		}
	}) {
		done()
	}
}

// endorsedLocks is the lock list of our endorsed proof on id, if we know it: the list
// the chain holds for us once that proof is the one recorded.
func (n *Node) endorsedLocks(id channel.ID) ([]channel.Lock, bool) {
	e := n.med.ref.end
	e.mu.Lock()
	defer e.mu.Unlock()
	best, ok := e.best[id]
	if !ok || !best.locksN || len(best.locks) == 0 {
		return nil, false
	}
	return append([]channel.Lock(nil), best.locks...), true
}

func sameLockList(a, b []channel.Lock) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].SecretHash != b[i].SecretHash || a[i].Expiration != b[i].Expiration || !sameBig(a[i].Amount, b[i].Amount) {
			return false
		}
	}
	return true
}

// watchCancelled looks up on chain the secrets of our cancelled locks on lc that no
// endorsement covers yet, in the window an outgoing lock's is (ADR 0027): a receiver
// that withholds its endorsement may still claim the lock with our older proof, and
// then we claim our incoming lock with the secret it registered.
func (n *Node) watchCancelled(lc *liveChannel, now uint64) {
	e := n.med.ref.end
	e.mu.Lock()
	idle := len(e.waiting) == 0 || e.learning[lc.id]
	e.mu.Unlock()
	if idle {
		return
	}
	lc.mu.Lock()
	open := lc.st.Status() == channel.StatusOpen
	lc.mu.Unlock()
	e.mu.Lock()
	if e.learning[lc.id] {
		e.mu.Unlock()
		return
	}
	var locks []channel.Lock
	for k, w := range e.waiting {
		if k.ch != lc.id || (w.nonce != 0 && e.best[lc.id].proof.Nonce >= w.nonce) {
			continue
		}
		if n.learnWindow(w.lock, open, now) {
			locks = append(locks, w.lock)
		}
	}
	if len(locks) == 0 {
		e.mu.Unlock()
		return
	}
	e.learning[lc.id] = true
	e.mu.Unlock()
	done := func() {
		e.mu.Lock()
		delete(e.learning, lc.id)
		e.mu.Unlock()
	}
	if !n.goTracked(func() {
		n.learnSecrets(n.ctx, lc, locks, open, now)
		select { // one lookup round per claimRetry
		case <-time.After(claimRetry):
		case <-n.ctx.Done():
		}
		done()
	}) {
		done()
	}
}
