package node

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// A retried payment (a Pay with a payment id an earlier call used) signs nothing: it
// reports the earlier payment, and only once the peer has acknowledged it. A payment
// record on disk proves that the proof was signed and stored, not that the peer holds
// it, so the answer waits for the Ack of its nonce or for the caller's deadline. The
// peer acknowledges a proof only once it is on its disk, and an Ack covers every nonce
// up to it (proofs are cumulative), so "acknowledged" is one number per channel: the
// highest nonce the peer acknowledged (liveChannel.acked). A Sync alone never counts:
// the peer's view of our proofs it carries may not be durable yet; the Sync makes the
// peer store our latest proof and acknowledge it, and that Ack counts.

// errPaymentRecorded tells Pay that another call with the same payment id completed
// between its look-up and the signing lock.
var errPaymentRecorded = errors.New("payment id already recorded")

// ackedWriteStride is how far the acked nonce may run ahead of its stored copy before a
// payment's write carries it. Close stores the exact value; after a crash a node knows
// the Acks up to the stored copy and learns the rest again from the peer, whose answer
// to our Sync on reconnect acknowledges our latest proof.
const ackedWriteStride = 256

// ackedNamespace holds, per channel, the highest nonce of ours the partner acknowledged
// (8 bytes big-endian), keyed by the channel id in hex.
const ackedNamespace = "node.acked"

func putAcked(b *store.Batch, id channel.ID, nonce uint64) error {
	return b.PutMeta(ackedNamespace, id.String(), binary.BigEndian.AppendUint64(nil, nonce))
}

// loadAcked restores a channel's acked nonce, never above the latest proof we signed.
func (n *Node) loadAcked(lc *liveChannel) error {
	v, found, err := n.store.GetMeta(ackedNamespace, lc.id.String())
	if err != nil {
		return fmt.Errorf("load acked nonce of channel %s: %w", lc.id, err)
	}
	if !found {
		return nil
	}
	if len(v) != 8 {
		// Only a lower bound is ever needed: forget it and learn it from the peer again.
		n.log.Warn("ignoring malformed acked nonce", "channel", lc.id, "bytes", len(v))
		return nil
	}
	nonce := binary.BigEndian.Uint64(v)
	lc.acked = min(nonce, lc.st.Nonce(lc.us))
	lc.ackedStored = nonce
	return nil
}

// storeAckedNonces writes every channel's acked nonce that moved since it was stored.
// Close calls it once nothing can acknowledge any more.
func (n *Node) storeAckedNonces() error {
	var b store.Batch
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		lc.mu.Lock()
		if lc.acked > lc.ackedStored {
			if putAcked(&b, lc.id, lc.acked) == nil {
				lc.ackedStored = lc.acked
			}
		}
		lc.mu.Unlock()
		return true
	})
	if b.Len() == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := n.store.Commit(ctx, &b); err != nil {
		return fmt.Errorf("store acknowledged nonces: %w", err)
	}
	return nil
}

// repeatedPayment answers a call whose payment id an earlier call already used on this
// node; found is false for a new id.
func (n *Node) repeatedPayment(ctx context.Context, lc *liveChannel, id store.PaymentID, req PayRequest) (PaymentView, bool, error) {
	lc.mu.Lock()
	p := lc.inflight[id]
	lc.mu.Unlock()
	if p != nil {
		if p.amount.Cmp(req.Amount) != 0 {
			return PaymentView{}, true, fmt.Errorf("pay on channel %s: payment %s: %w", req.Channel, id, ErrPaymentIDReused)
		}
		v, err := n.awaitPayment(ctx, lc, p, true)
		return v, true, err
	}
	rec, found, err := n.store.GetPayment(id)
	if err != nil {
		return PaymentView{}, false, fmt.Errorf("pay on channel %s: look up payment %s: %w", req.Channel, id, err)
	}
	if !found {
		return PaymentView{}, false, nil
	}
	if rec.Channel != req.Channel || rec.Direction != store.Outgoing || rec.Amount.Cmp(req.Amount) != 0 {
		return PaymentView{}, true, fmt.Errorf("pay on channel %s: payment %s: %w", req.Channel, id, ErrPaymentIDReused)
	}
	v, err := n.awaitAck(ctx, lc, rec)
	return v, true, err
}

// awaitAck reports a stored outgoing payment once the peer has acknowledged its nonce.
// It is pending in memory only while the call that signed it waits, so a retry after
// that call gave up, failed or the node restarted asks the peer with a Sync: our latest
// proof covers this one, and the peer acknowledges it once it is on its disk.
func (n *Node) awaitAck(ctx context.Context, lc *liveChannel, rec store.PaymentRecord) (PaymentView, error) {
	asked := false
	for {
		lc.mu.Lock()
		if p := lc.inflight[rec.ID]; p != nil {
			lc.mu.Unlock()
			return n.awaitPayment(ctx, lc, p, true)
		}
		if lc.acked >= rec.Nonce {
			lc.mu.Unlock()
			v := n.paymentView(rec)
			v.Repeat = true
			return v, nil
		}
		if lc.ackWake == nil {
			lc.ackWake = make(chan struct{})
		}
		wake := lc.ackWake
		lc.mu.Unlock()
		if !asked {
			asked = true
			n.goTracked(func() { n.sendSync(lc) })
		}
		select {
		case <-wake:
		case <-ctx.Done():
			lc.mu.Lock()
			refused := lc.desync
			lc.mu.Unlock()
			why := ""
			if refused != nil {
				why = fmt.Sprintf(" (the peer refused an earlier proof: %v)", refused)
			}
			return PaymentView{}, fmt.Errorf("pay on channel %s: payment %s: proof %d sent, not acknowledged by the peer yet%s: %w (retry with payment id %s)",
				lc.id, rec.ID, rec.Nonce, why, ctx.Err(), rec.ID)
		case <-n.ctx.Done():
			return PaymentView{}, fmt.Errorf("pay on channel %s: proof %d awaits the peer's ack: %w (retry with payment id %s after restart)", lc.id, rec.Nonce, ErrClosed, rec.ID)
		}
	}
}
