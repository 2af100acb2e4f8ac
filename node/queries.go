package node

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// Info describes the node.
func (n *Node) Info(ctx context.Context) (NodeInfo, error) {
	addrs := n.transport.Addrs()
	info := NodeInfo{
		Address:     n.signer.Address(),
		PeerID:      n.transport.ID().String(),
		ChainID:     n.domain.ChainID,
		Contract:    n.domain.Contract,
		Version:     Version,
		Peers:       len(n.transport.Peers()),
		ChainHead:   n.head.Load(),
		SyncedBlock: n.synced.Load(),
		Chain:       n.chainHealth(),
		Tower:       n.towerHealth(),
		Balance:     n.accountBalanceNow(),
	}
	for _, a := range addrs {
		info.ListenAddrs = append(info.ListenAddrs, a.String())
	}
	return info, nil
}

// Channels lists the channels matching f, ordered by id.
func (n *Node) Channels(ctx context.Context, f ChannelFilter) ([]ChannelView, error) {
	var out []ChannelView
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		lc.mu.Lock()
		cv := lc.view()
		lc.mu.Unlock()
		if f.Status != channel.StatusNone && cv.Status != f.Status {
			return true
		}
		if f.Peer != ([20]byte{}) && lc.peer != f.Peer {
			return true
		}
		out = append(out, cv)
		return true
	})
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].ID[:], out[j].ID[:]) < 0 })
	return out, nil
}

// Channel returns one channel's snapshot.
func (n *Node) Channel(ctx context.Context, id channel.ID) (ChannelView, error) {
	lc := n.channel(id)
	if lc == nil {
		return ChannelView{}, fmt.Errorf("channel %s: %w", id, channel.ErrUnknownChannel)
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.view(), nil
}

// Payments pages through the payment log, oldest first. Without a channel it walks the
// channels in id order; the cursor is "<channel hex>:<store cursor>".
func (n *Node) Payments(ctx context.Context, q PaymentQuery) (PaymentPage, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	var ids []channel.ID
	if q.Channel != (channel.ID{}) {
		ids = []channel.ID{q.Channel}
	} else {
		n.chans.Range(func(k, _ any) bool { ids = append(ids, k.(channel.ID)); return true })
		sort.Slice(ids, func(i, j int) bool { return bytes.Compare(ids[i][:], ids[j][:]) < 0 })
	}
	startCh, inner := "", ""
	if q.Cursor != "" {
		var ok bool
		startCh, inner, ok = strings.Cut(q.Cursor, ":")
		if !ok {
			return PaymentPage{}, fmt.Errorf("payments: malformed cursor %q", q.Cursor)
		}
	}
	var page PaymentPage
	for _, id := range ids {
		hexID := hex.EncodeToString(id[:])
		if startCh != "" && hexID < startCh {
			continue
		}
		cur := ""
		if hexID == startCh {
			cur = inner
		}
		sp, err := n.store.ListPayments(id, store.PaymentQuery{Cursor: cur, Limit: limit - len(page.Payments)})
		if err != nil {
			return PaymentPage{}, fmt.Errorf("payments of channel %s: %w", id, err)
		}
		for _, r := range sp.Payments {
			page.Payments = append(page.Payments, n.paymentView(r))
		}
		if sp.Next != "" {
			page.Next = hexID + ":" + sp.Next
			return page, nil
		}
		if len(page.Payments) >= limit {
			// The next channel starts fresh; "~" sorts after the last channel's cursor.
			page.Next = hexID + "~:"
			return page, nil
		}
	}
	return page, nil
}

// paymentView rebuilds a payment's view from its record, with the payer's signature of the
// proof that carried it, so every listed payment is independently verifiable.
func (n *Node) paymentView(r store.PaymentRecord) PaymentView {
	dir := Outgoing
	if r.Direction == store.Incoming {
		dir = Incoming
	}
	return PaymentView{
		PaymentID: r.ID, Channel: r.Channel, Direction: dir, Amount: r.Amount,
		Proof: channel.SignedProof{
			BalanceProof: channel.BalanceProof{Channel: r.Channel, Nonce: r.Nonce, Transferred: r.Transferred},
			Sig:          r.Sig,
		},
		Time: r.Time, Memo: r.Memo, Client: r.Client,
	}
}
