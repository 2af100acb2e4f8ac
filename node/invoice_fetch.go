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
	"github.com/sluicepay/sluice/invoicing"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
)

// FetchInvoice asks the last of hops (the target) for an invoice of amount payable by
// this node, along hops, and returns it once its signature is checked: signed by the
// target for exactly this request (id, payer, amount, memo) and unexpired. Nothing is
// locked. ErrInvoiceRefused when a hop or the target refused or no reply came in time;
// ErrInvoiceForged when the reply is not the target's. The request carries this node's
// EIP-712 signature of it (invoicing.RequestType), which the target checks before it
// counts the invoice against this payer.
func (n *Node) FetchInvoice(ctx context.Context, hops []common.Address, amount *big.Int, memo []byte) (invoicing.Invoice, error) {
	if err := n.usable(); err != nil {
		return invoicing.Invoice{}, err
	}
	if amount == nil || amount.Sign() <= 0 || amount.Cmp(channel.MaxAmount()) > 0 {
		return invoicing.Invoice{}, fmt.Errorf("invoice for %v: %w", amount, channel.ErrInvalidAmount)
	}
	if len(memo) > p2p.MaxMemoSize {
		return invoicing.Invoice{}, fmt.Errorf("invoice memo of %d bytes exceeds %d: %w", len(memo), p2p.MaxMemoSize, ErrMemoTooLong)
	}
	self := n.signer.Address()
	if err := mediate.CheckRoute(self, hops); err != nil {
		return invoicing.Invoice{}, fmt.Errorf("invoice: %w: %w", err, channel.ErrInvalidParams)
	}
	target := hops[len(hops)-1]
	req := invoicing.Request{Payer: self, Payee: target, Amount: new(big.Int).Set(amount), Memo: memo}
	if _, err := rand.Read(req.ID[:]); err != nil {
		return invoicing.Invoice{}, err
	}
	if err := n.waitPeer(ctx, hops[0]); err != nil {
		return invoicing.Invoice{}, fmt.Errorf("invoice from %s via %s: %w; nothing was locked", target, hops[0], err)
	}
	x := n.invoices()
	wait := pendingInvoice{via: hops[0], reply: make(chan *p2p.InvoiceReply, 1)}
	x.mu.Lock()
	if len(x.pending) >= invoiceMaxPending {
		x.mu.Unlock()
		return invoicing.Invoice{}, fmt.Errorf("invoice from %s: %d requests already waiting: %w", target, invoiceMaxPending, ErrInvoiceRefused)
	}
	x.pending[req.ID] = wait
	x.mu.Unlock()
	defer func() {
		x.mu.Lock()
		delete(x.pending, req.ID)
		x.mu.Unlock()
	}()
	// The payer signs what it asks for (ADR 0035 amendment), with the key of its address
	// (through any signer wrapper, so the signature is counted like every other).
	payerSig, err := req.Sign(n.domain, n.signer)
	if err != nil {
		return invoicing.Invoice{}, fmt.Errorf("invoice from %s: %w; nothing was locked", target, err)
	}
	msg := &p2p.InvoiceRequest{RequestID: req.ID, Payer: self, Target: target, Amount: req.Amount,
		Hops: append([]common.Address(nil), hops[1:]...), Memo: memo, PayerSig: payerSig}
	if err := n.transport.Send(ctx, hops[0], msg); err != nil {
		return invoicing.Invoice{}, fmt.Errorf("invoice from %s via %s: %w: %w", target, hops[0], err, ErrInvoiceRefused)
	}
	timer := time.NewTimer(invoiceWait)
	defer timer.Stop()
	var reply *p2p.InvoiceReply
	select {
	case reply = <-wait.reply:
	case <-timer.C:
		return invoicing.Invoice{}, fmt.Errorf("invoice from %s: no reply in %s: %w; nothing was locked", target, invoiceWait, ErrInvoiceRefused)
	case <-ctx.Done():
		return invoicing.Invoice{}, fmt.Errorf("invoice from %s: %w; nothing was locked", target, ctx.Err())
	case <-n.ctx.Done():
		return invoicing.Invoice{}, ErrClosed
	}
	if reply.Code != 0 {
		return invoicing.Invoice{}, fmt.Errorf("invoice from %s: %s (code %d): %w; nothing was locked", target, reply.Reason, reply.Code, ErrInvoiceRefused)
	}
	inv, err := req.Check(n.domain, reply.SecretHash, reply.Amount, reply.Expiry, reply.Sig, uint64(time.Now().Unix()))
	if errors.Is(err, invoicing.ErrBadSignature) || errors.Is(err, invoicing.ErrMismatch) {
		n.log.Warn("forged invoice reply", "target", target, "via", hops[0], "err", err)
		return invoicing.Invoice{}, fmt.Errorf("invoice from %s via %s: %w: %w; nothing was locked", target, hops[0], err, ErrInvoiceForged)
	}
	if err != nil {
		return invoicing.Invoice{}, fmt.Errorf("invoice from %s: %w: %w; nothing was locked", target, err, ErrInvoiceRefused)
	}
	return inv, nil
}

// invoiceForPayTo gives a PayTo without a secret hash the target's invoice, fetched along
// the route quoted now (the payment itself may take another: the hash does not depend on
// the route). A request that brings its own hash is left alone.
func (n *Node) invoiceForPayTo(ctx context.Context, req *PayToRequest) error {
	if req.SecretHash != ([32]byte{}) {
		if req.Memo != "" {
			return fmt.Errorf("pay %s: a memo travels with the invoice request; with the payee's own secret hash it cannot: %w", req.To, channel.ErrInvalidParams)
		}
		return nil
	}
	r, err := n.QuoteRoute(ctx, RouteRequest{To: req.To, Amount: req.Amount, MaxFee: req.MaxFee})
	if err != nil {
		return fmt.Errorf("pay %s: %w; nothing was locked", req.To, err)
	}
	hops := make([]common.Address, len(r.Hops))
	for i, h := range r.Hops {
		hops[i] = h.To
	}
	inv, err := n.FetchInvoice(ctx, hops, req.Amount, []byte(req.Memo))
	if err != nil {
		return fmt.Errorf("pay %s: %w", req.To, err)
	}
	req.SecretHash = inv.SecretHash
	return nil
}
