package node

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// outgoingPayment is a payment between signing and the peer's Ack.
type outgoingPayment struct {
	id     store.PaymentID
	amount *big.Int
	proof  channel.SignedProof
	memo   []byte
	client string
	start  time.Time
	done   chan struct{} // closed once err is final
	err    error
}

// Pay pays over a channel and returns once the peer acknowledged the proof, which it
// does only after storing it durably; ours was stored before it was sent.
func (n *Node) Pay(ctx context.Context, req PayRequest) (PaymentView, error) {
	if err := n.usable(); err != nil {
		return PaymentView{}, err
	}
	if req.Amount == nil || req.Amount.Sign() <= 0 {
		return PaymentView{}, fmt.Errorf("pay %v on channel %s: %w", req.Amount, req.Channel, channel.ErrInvalidAmount)
	}
	if len(req.Memo) > p2p.MaxMemoSize {
		return PaymentView{}, fmt.Errorf("pay on channel %s: memo of %d bytes exceeds %d: %w", req.Channel, len(req.Memo), p2p.MaxMemoSize, ErrMemoTooLong)
	}
	lc := n.channel(req.Channel)
	if lc == nil {
		n.metrics.rejects.WithLabelValues(rejectLabel(channel.CodeUnknownChannel)).Inc()
		return PaymentView{}, fmt.Errorf("pay on channel %s: %w", req.Channel, channel.ErrUnknownChannel)
	}
	id := store.PaymentID(req.PaymentID)
	explicit := id != (store.PaymentID{})
	if !explicit {
		if _, err := rand.Read(id[:]); err != nil {
			return PaymentView{}, fmt.Errorf("pay on channel %s: payment id: %w", req.Channel, err)
		}
	} else if v, found, err := n.repeatedPayment(ctx, lc, id, req); found || err != nil {
		return v, err
	}

	if err := n.waitPeer(ctx, lc.peer); err != nil {
		n.metrics.rejects.WithLabelValues("peer_unreachable").Inc()
		return PaymentView{}, fmt.Errorf("pay on channel %s: %w: no session with %s for %s; nothing was signed", req.Channel, err, lc.peer, n.cfg.PeerWait)
	}
	select {
	case lc.slots <- struct{}{}:
	case <-ctx.Done():
		return PaymentView{}, fmt.Errorf("pay on channel %s: waiting for a pipelining slot: %w", req.Channel, ctx.Err())
	case <-n.ctx.Done():
		return PaymentView{}, ErrClosed
	}
	p, joined, err := n.startPayment(lc, id, explicit, req)
	if err != nil || joined {
		<-lc.slots
	}
	if errors.Is(err, errPaymentRecorded) {
		// A call with the same id signed and completed it since repeatedPayment looked.
		v, _, err := n.repeatedPayment(ctx, lc, id, req)
		return v, err
	}
	if err != nil {
		n.metrics.rejects.WithLabelValues(rejectLabel(channel.Code(err))).Inc()
		return PaymentView{}, err
	}
	return n.awaitPayment(ctx, lc, p, joined)
}

// awaitPayment waits for a pending payment's Ack; repeat marks a call that joined a
// payment an earlier call started.
func (n *Node) awaitPayment(ctx context.Context, lc *liveChannel, p *outgoingPayment, repeat bool) (PaymentView, error) {
	select {
	case <-p.done:
	case <-ctx.Done():
		return PaymentView{}, fmt.Errorf("pay on channel %s: proof %d sent, waiting for ack: %w (retry with payment id %s)", lc.id, p.proof.Nonce, ctx.Err(), p.id)
	case <-n.ctx.Done():
		return PaymentView{}, fmt.Errorf("pay on channel %s: proof %d awaits the peer's ack: %w (retry with payment id %s after restart)", lc.id, p.proof.Nonce, ErrClosed, p.id)
	}
	if p.err != nil {
		return PaymentView{}, p.err
	}
	v := p.view(lc.id)
	v.Repeat = repeat
	return v, nil
}

// startPayment signs the next proof and queues it for durable storage, after which the
// durable queue sends it. joined reports a concurrent payment with the same id. A
// caller-chosen id is looked up again under the lock, so a call that completed since the
// caller's own look-up is never signed a second time (errPaymentRecorded).
func (n *Node) startPayment(lc *liveChannel, id store.PaymentID, explicit bool, req PayRequest) (p *outgoingPayment, joined bool, err error) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if other := lc.inflight[id]; other != nil {
		if other.amount.Cmp(req.Amount) != 0 {
			return nil, true, fmt.Errorf("pay on channel %s: payment %s: %w", lc.id, id, ErrPaymentIDReused)
		}
		return other, true, nil
	}
	if explicit {
		if _, found, err := n.store.GetPayment(id); err != nil {
			return nil, false, fmt.Errorf("pay on channel %s: look up payment %s: %w", lc.id, id, err)
		} else if found {
			return nil, false, errPaymentRecorded
		}
	}
	if lc.desync != nil {
		// Offer the peer our latest proof again; its answer (an Ack) clears desync.
		n.goTracked(func() { n.sendSync(lc) })
		return nil, false, fmt.Errorf("pay on channel %s: %w after: %w", lc.id, ErrAwaitingResync, lc.desync)
	}
	proof, err := lc.st.PreparePayment(lc.us, req.Amount, n.signer)
	if err != nil {
		return nil, false, WrapChannelError(lc.id, err, "pay on channel %s", lc.id)
	}
	now := time.Now()
	p = &outgoingPayment{id: id, amount: new(big.Int).Set(req.Amount), proof: proof, memo: []byte(req.Memo), client: req.Client, start: now, done: make(chan struct{})}
	rec := store.PaymentRecord{
		ID: id, Channel: lc.id, Direction: store.Outgoing, Nonce: proof.Nonce,
		Amount: p.amount, Transferred: proof.Transferred, Time: now, Memo: req.Memo, Sig: proof.Sig, Client: req.Client,
	}
	// The acked nonce rides along now and then, so a restarted node still knows most Acks.
	acked, storeAcked := lc.acked, lc.acked >= lc.ackedStored+ackedWriteStride
	fill := func(b *store.Batch) error {
		if err := b.PutProof(lc.us, &proof); err != nil {
			return err
		}
		if storeAcked {
			if err := putAcked(b, lc.id, acked); err != nil {
				return err
			}
		}
		return b.PutPayment(&rec)
	}
	if err := n.durable.enqueue(fill, afterCommit{kind: afterSendPay, ch: lc, nonce: proof.Nonce, pay: p}); err != nil {
		return nil, false, WrapChannelError(lc.id, err, "pay on channel %s", lc.id)
	}
	if storeAcked {
		lc.ackedStored = acked
	}
	if err := lc.st.CommitProof(lc.us, proof); err != nil {
		// Unreachable: PreparePayment checked the same rules under the same lock.
		return nil, false, fmt.Errorf("pay on channel %s: commit proof %d: %w", lc.id, proof.Nonce, err)
	}
	lc.pending = append(lc.pending, p)
	lc.inflight[id] = p
	lc.payments++
	lc.lastProof = time.Now()
	return p, false, nil
}

func (p *outgoingPayment) view(ch channel.ID) PaymentView {
	return PaymentView{
		PaymentID: p.id, Channel: ch, Direction: Outgoing, Amount: p.amount,
		Proof: p.proof, Time: p.start, Memo: string(p.memo), Client: p.client, Latency: time.Since(p.start),
	}
}

// sendPay runs on the durable queue's goroutine once the proof is on disk.
func (n *Node) sendPay(a *afterCommit, err error) {
	lc, p := a.ch, a.pay
	if err != nil {
		// Not inline: a payer holding lc.mu may be waiting for this goroutine's queue.
		n.goTracked(func() {
			n.failPending(lc, p.proof.Nonce, fmt.Errorf("pay on channel %s: store proof %d: %w", lc.id, p.proof.Nonce, err))
		})
		return
	}
	msg := &p2p.Pay{Proof: p.proof, PaymentID: p.id, Memo: p.memo}
	if err := n.transport.Send(n.ctx, lc.peer, msg); err != nil {
		// The proof is durable: the payment completes when the peer reconnects and Sync
		// delivers it, so it stays pending rather than failing.
		n.log.Debug("pay queued for resync", "channel", lc.id, "nonce", p.proof.Nonce, "err", err)
	}
	// Only now may a Sync carry it: after the Pay on the same ordered session.
	lc.sentDurable.Store(&p.proof)
}

// onAck completes every pending payment up to nonce: proofs are cumulative, so an Ack
// covers everything before it.
func (n *Node) onAck(lc *liveChannel, nonce uint64) {
	lc.mu.Lock()
	i := 0
	for ; i < len(lc.pending) && lc.pending[i].proof.Nonce <= nonce; i++ {
	}
	done := lc.pending[:i:i]
	lc.pending = lc.pending[i:]
	for _, p := range done {
		delete(lc.inflight, p.id)
	}
	latest := lc.st.Nonce(lc.us)
	if nonce >= latest {
		// The peer holds our latest proof: whatever it refused before is settled now.
		lc.desync = nil
	}
	if nonce > lc.acked {
		// Never above what we signed: an Ack for more is the peer's confusion, not ours.
		lc.acked = min(nonce, latest)
		if lc.ackWake != nil {
			close(lc.ackWake)
			lc.ackWake = nil
		}
	}
	lc.mu.Unlock()
	for _, p := range done {
		// Counted before Pay returns, so a caller that saw Pay succeed sees it in /metrics.
		n.metrics.observePayment(Outgoing, p.amount, time.Since(p.start))
		n.subs.publishPayment(p.view(lc.id))
		close(p.done)
		<-lc.slots
	}
}

// failPending fails pending payments from nonce on with err and returns how many. Their
// proofs stay signed and stored: a signature cannot be recalled, so the channel counts
// them as sent and waits for a Sync to learn what the peer accepted.
func (n *Node) failPending(lc *liveChannel, nonce uint64, err error) int {
	lc.mu.Lock()
	i := 0
	for ; i < len(lc.pending) && lc.pending[i].proof.Nonce < nonce; i++ {
	}
	failed := lc.pending[i:]
	lc.pending = lc.pending[:i:i]
	for _, p := range failed {
		delete(lc.inflight, p.id)
	}
	if len(failed) > 0 {
		lc.desync = err
	}
	lc.mu.Unlock()
	for _, p := range failed {
		p.err = err
		close(p.done)
		<-lc.slots
	}
	return len(failed)
}

// waitPeer gives the dialer up to PeerWait (within ctx) to bring the partner's session up:
// a new payment to a partner that is not reachable fails at once with nothing signed,
// instead of waiting minutes for an Ack (issue 21, finding 1). A payment already signed is
// not affected; Sync delivers it once the session is back.
func (n *Node) waitPeer(ctx context.Context, peer common.Address) error {
	if n.transport.Connected(peer) {
		return nil
	}
	t := time.NewTimer(n.cfg.PeerWait)
	defer t.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if n.transport.Connected(peer) {
				return nil
			}
		case <-t.C:
			return ErrPeerUnreachable
		case <-ctx.Done():
			return fmt.Errorf("%w (%w)", ErrPeerUnreachable, ctx.Err())
		case <-n.ctx.Done():
			return ErrClosed
		}
	}
}
