package node

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/invoicing"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Invoices over the wire (ADR 0028): a payer that has no secret hash asks the target for
// one along the quoted route. Each mediator relays the request to the next hop and the
// reply back, but only a reply from the peer it asked for a request it relayed (a bounded
// table with a TTL); the target creates a fresh invoice (a durable secret) and signs it
// (EIP-712, package invoice), so the payer can tell the target's hash from a hub's.

// Refusal codes of an InvoiceReply (Code 0 is an invoice).
const (
	invoiceRefusedRoute   uint16 = 1 // no such target here, or no channel to the next hop
	invoiceRefusedLimited uint16 = 2 // rate limited
	invoiceRefusedInvalid uint16 = 3 // malformed request
	invoiceRefusedFailed  uint16 = 4 // the target could not store the invoice
)

// Defaults of the exchange. Each request costs a mediator a table entry and the target a
// durable write and a signature, so both are limited per peer. A target's peer is usually
// a hub asking on behalf of all its wallets, hence the generous rates.
const (
	invoiceWait         = 15 * time.Second // how long a payer waits for the reply
	invoiceMaxPending   = 1024             // a payer's requests awaiting replies
	invoiceMaxIssuing   = 64               // invoices being written at once on a target
	invoiceRelayRate    = 500              // requests per second taken from each peer ...
	invoiceRelayBurst   = 1000             // ... with this burst
	invoiceCreateRate   = 200              // invoices created per second for each peer ...
	invoiceCreateBurst  = 400              // ... with this burst (a hub asks for all its wallets)
	invoiceReqNamespace = "invoicereq"     // target: hash -> who asked, request id, memo
)

var (
	// ErrInvoiceRefused: the target or a hop refused the invoice request, or no reply
	// came in time; nothing was locked.
	ErrInvoiceRefused = errors.New("invoice request refused")
	// ErrInvoiceForged: the reply is not an invoice the target signed for this request
	// (a hop substituted or altered it); nothing was locked.
	ErrInvoiceForged = errors.New("invoice reply not signed by the payee")
)

// invoiceExchange is the node's state of the exchange; nothing in it is needed after a
// restart (an unanswered request simply times out).
type invoiceExchange struct {
	relays  invoicing.Relays
	relayed invoicing.Limiter // requests taken from each peer (mediators and targets)
	created invoicing.Limiter // invoices created for each peer (targets)
	issuing chan struct{}     // semaphore of invoices being written

	mu      sync.Mutex
	pending map[[16]byte]pendingInvoice

	log routedLog // the routed payment log's live records (invoice_log.go)

	book     *invoiceBook // open invoices and their caps (invoice_book.go)
	bookOnce sync.Once
}

type pendingInvoice struct {
	via   common.Address // the first hop: the only peer a reply is taken from
	reply chan *p2p.InvoiceReply
}

func newInvoiceExchange() *invoiceExchange {
	return &invoiceExchange{
		relayed: invoicing.Limiter{Rate: invoiceRelayRate, Burst: invoiceRelayBurst},
		created: invoicing.Limiter{Rate: invoiceCreateRate, Burst: invoiceCreateBurst},
		issuing: make(chan struct{}, invoiceMaxIssuing),
		pending: map[[16]byte]pendingInvoice{},
	}
}

// invoices returns the exchange, made on first use.
func (n *Node) invoices() *invoiceExchange {
	n.invOnce.Do(func() { n.inv = newInvoiceExchange() })
	return n.inv
}

// onInvoiceRequest runs on the peer's in-order goroutine: cheap checks here, the
// target's durable write on a goroutine of its own.
func (n *Node) onInvoiceRequest(from common.Address, m *p2p.InvoiceRequest) {
	x := n.invoices()
	refuse := func(code uint16, reason string) {
		n.log.Debug("invoice request refused", "peer", from, "reason", reason)
		_ = n.transport.TrySend(from, &p2p.InvoiceReply{RequestID: m.RequestID, Code: code, Reason: reason})
	}
	if n.openChannelWith(from) == nil {
		return // only channel partners may ask: anyone else is not on a route through us
	}
	if !x.relayed.Allow(from, time.Now()) {
		refuse(invoiceRefusedLimited, "invoice requests rate limited")
		return
	}
	if m.Amount == nil || m.Amount.Sign() <= 0 || m.Amount.Cmp(channel.MaxAmount()) > 0 || m.RequestID == ([16]byte{}) {
		refuse(invoiceRefusedInvalid, "invoice request: amount or request id out of range")
		return
	}
	self := n.signer.Address()
	if len(m.Hops) == 0 {
		if m.Target != self {
			refuse(invoiceRefusedRoute, "invoice request for another target with no hop left")
			return
		}
		n.issueInvoiceFor(from, m)
		return
	}
	next := m.Hops[0]
	if m.Target != m.Hops[len(m.Hops)-1] || next == from || next == self || m.Target == self {
		refuse(invoiceRefusedInvalid, "invoice request: route does not end at its target")
		return
	}
	if n.openChannelWith(next) == nil {
		refuse(invoiceRefusedRoute, "no open channel with the next hop")
		return
	}
	if err := x.relays.Add(m.RequestID, from, next, time.Now()); err != nil {
		refuse(invoiceRefusedLimited, err.Error())
		return
	}
	fwd := *m
	fwd.Hops = append([]common.Address(nil), m.Hops[1:]...)
	if err := n.transport.TrySend(next, &fwd); err != nil {
		x.relays.Take(m.RequestID, next, time.Now())
		refuse(invoiceRefusedRoute, "next hop unreachable")
	}
}

// issueInvoiceFor creates, stores and signs an invoice for request m from peer, off the
// peer's in-order goroutine, and replies once the secret is durable. The payer's
// signature is recovered there too, after the rate limit and the issuing semaphore, so a
// flood buys no ECDSA work and never stalls the peer's other messages.
func (n *Node) issueInvoiceFor(from common.Address, m *p2p.InvoiceRequest) {
	x := n.invoices()
	reply := &p2p.InvoiceReply{RequestID: m.RequestID}
	if !x.created.Allow(from, time.Now()) {
		reply.Code, reply.Reason = invoiceRefusedLimited, "invoice creation rate limited"
		_ = n.transport.TrySend(from, reply)
		return
	}
	select {
	case x.issuing <- struct{}{}:
	default:
		reply.Code, reply.Reason = invoiceRefusedLimited, "too many invoices being created"
		_ = n.transport.TrySend(from, reply)
		return
	}
	req := *m
	started := n.goTracked(func() {
		defer func() { <-x.issuing }()
		ctx, cancel := context.WithTimeout(n.ctx, invoiceWait)
		defer cancel()
		signed, sig, err := n.issueInvoice(ctx, from, &req)
		if err != nil {
			switch {
			case errors.Is(err, invoicing.ErrBadPayerSignature):
				n.log.Info("invoice request with a forged payer signature", "peer", from, "payer", req.Payer, "err", err)
				reply.Code, reply.Reason = invoiceRefusedInvalid, "invoice request not signed by its payer"
			case errors.Is(err, ErrTooManyInvoices):
				n.log.Info("invoice refused", "peer", from, "err", err)
				reply.Code, reply.Reason = invoiceRefusedLimited, "too many open invoices"
			default:
				n.log.Warn("invoice not created", "peer", from, "err", err)
				reply.Code, reply.Reason = invoiceRefusedFailed, "invoice not created"
			}
		} else {
			reply.SecretHash, reply.Amount, reply.Expiry, reply.Sig = signed.SecretHash, signed.Amount, signed.Expiry, sig
		}
		if err := n.transport.TrySend(from, reply); err != nil {
			n.log.Debug("invoice reply not sent", "peer", from, "err", err)
		}
	})
	if !started {
		<-x.issuing
	}
}

// issueInvoice draws a secret and stores it with the amount asked (what the mediation
// loop checks before revealing), its lifecycle record (counted against the caps for the
// asking peer and the verified payer, ADR 0035) and who asked with which memo (the payee's record of the
// payment), in one durable write; then signs the invoice.
func (n *Node) issueInvoice(ctx context.Context, from common.Address, m *p2p.InvoiceRequest) (invoicing.Invoice, channel.Signature, error) {
	counted, err := n.invoicePayer(m)
	if err != nil {
		return invoicing.Invoice{}, channel.Signature{}, err // forged: nothing stored or signed
	}
	var secret [32]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return invoicing.Invoice{}, channel.Signature{}, err
	}
	h := channel.SecretHash(secret)
	o := openInvoice{expiry: n.invoiceExpiry(), asker: from, payer: counted}
	inv := invoicing.Invoice{RequestID: m.RequestID, Payer: m.Payer, SecretHash: h, Amount: new(big.Int).Set(m.Amount),
		Expiry: o.expiry, MemoHash: invoicing.MemoHash(m.Memo)}
	asked := encodeInvoiceAsk(m.Payer, m.RequestID, inv.Expiry, m.Memo)
	extra := func(b *store.Batch) error { return b.PutMeta(invoiceReqNamespace, hashKey(h), asked) }
	if err := n.storeInvoice(ctx, secret, m.Amount, o, extra); err != nil {
		return inv, channel.Signature{}, fmt.Errorf("store invoice: %w", err) // past a cap: nothing signed
	}
	sig, err := inv.Sign(n.domain, n.signer)
	if err != nil {
		return inv, sig, err // stored unsigned: it expires unpaid and is swept
	}
	n.routedInvoiced(inv, m.Memo)
	return inv, sig, nil
}

// invoiceAsk is what the target kept of an invoice request.
type invoiceAsk struct {
	Payer     common.Address
	RequestID [16]byte
	Expiry    uint64
	Memo      string
}

func encodeInvoiceAsk(payer common.Address, id [16]byte, expiry uint64, memo []byte) []byte {
	b := make([]byte, 0, 20+16+8+len(memo))
	b = append(b, payer[:]...)
	b = append(b, id[:]...)
	b = binary.BigEndian.AppendUint64(b, expiry)
	return append(b, memo...)
}

func decodeInvoiceAsk(b []byte) (invoiceAsk, bool) {
	var a invoiceAsk
	if len(b) < 44 || len(b) > 44+p2p.MaxMemoSize {
		return a, false
	}
	copy(a.Payer[:], b[:20])
	copy(a.RequestID[:], b[20:36])
	a.Expiry = binary.BigEndian.Uint64(b[36:44])
	a.Memo = string(b[44:])
	return a, true
}

// onInvoiceReply delivers a reply to our own waiting request, or relays it upstream if
// we relayed its request and it came from the peer we asked; anything else is dropped.
func (n *Node) onInvoiceReply(from common.Address, m *p2p.InvoiceReply) {
	x := n.invoices()
	x.mu.Lock()
	p, mine := x.pending[m.RequestID]
	if mine && p.via == from {
		delete(x.pending, m.RequestID)
	}
	x.mu.Unlock()
	if mine {
		if p.via == from {
			p.reply <- m // buffered 1, and deleted above: never blocks
		}
		return
	}
	up, ok := x.relays.Take(m.RequestID, from, time.Now())
	if !ok {
		n.log.Debug("invoice reply for no request we relayed", "peer", from, "request", common.Bytes2Hex(m.RequestID[:]))
		return
	}
	if err := n.transport.TrySend(up, m); err != nil {
		n.log.Debug("invoice reply not relayed", "to", up, "err", err)
	}
}

// invoicePayer is the payer an invoice request is counted against (ADR 0035 amendment):
// the payer it names when the request carries that payer's signature of it; the zero
// address, one shared bucket per asking peer, when it carries none (a payer from before
// requests were signed), so unsigned requests crowd only each other. A signature that
// does not recover to the named payer is refused (invoicing.ErrBadPayerSignature).
func (n *Node) invoicePayer(m *p2p.InvoiceRequest) (common.Address, error) {
	if !m.Signed() {
		return common.Address{}, nil
	}
	req := invoicing.Request{ID: m.RequestID, Payer: m.Payer, Payee: n.signer.Address(), Amount: m.Amount, Memo: m.Memo}
	if err := req.VerifyPayer(n.domain, m.PayerSig); err != nil {
		return common.Address{}, err
	}
	return m.Payer, nil
}
