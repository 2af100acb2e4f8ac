package api

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
)

// Risk error codes, in their own range so they never collide with the core table.
const (
	CodeStepUpRequired = -32030 // repeat with sluice_payStepUp and the device's signature
	CodeForbidden      = -32031 // the client's token may not call this method
)

// riskLayer is the API's side of the risk engine: who is calling, and the decorator that
// consults the engine before the node signs anything.
type riskLayer struct {
	engine   *risk.Engine
	conns    wsClients
	approved approvedIDs
	// routed judges routed payments (risk_routed.go); nil when the node cannot route.
	routed RoutedPayer
}

// riskBackend decorates a Backend: every Pay is judged by the engine first, and only an
// approved payment reaches the node. Channel-moving operations are admin-only.
type riskBackend struct {
	Backend
	layer *riskLayer
	// counterparties caches channel -> partner; a channel's participants never change.
	counterparties sync.Map
}

func (r *riskBackend) Pay(ctx context.Context, req node.PayRequest) (node.PaymentView, error) {
	client, ok := r.layer.clientOf(ctx)
	if !ok {
		return node.PaymentView{}, &RiskError{Code: CodeRiskDeclined, Kind: "risk_declined", Outcome: "decline",
			Reasons: []string{"unknown_client"}, Message: "pay: the calling API client could not be identified"}
	}
	explicitID := req.PaymentID != ([16]byte{})
	if !explicitID {
		// A step-up challenge binds the payment id, so the repeat must carry the same one.
		_, _ = rand.Read(req.PaymentID[:])
	}
	req.Client = client // recorded in the payment log: which token spent
	key := payKey(client, req.Channel, req.Amount)
	if explicitID && req.Amount != nil && r.layer.approved.retry(req.PaymentID, key) {
		v, err := r.Backend.Pay(ctx, req)
		if err == nil {
			if err = otherClientsPayment(client, v); err != nil {
				return node.PaymentView{}, err
			}
		}
		return v, err
	}
	partner, err := r.counterparty(ctx, req.Channel)
	if err != nil {
		return node.PaymentView{}, err
	}
	d := r.layer.engine.Decide(risk.Request{
		Client: client, Channel: req.Channel, Counterparty: partner, Amount: req.Amount,
		PaymentID: req.PaymentID, StepUp: stepUpFrom(ctx),
	})
	if d.Outcome != risk.Approve {
		return node.PaymentView{}, r.layer.decisionError(client, req, &d)
	}
	if err := r.layer.engine.Persist(ctx, &d); err != nil {
		r.layer.engine.Release(&d)
		return node.PaymentView{}, fmt.Errorf("pay on channel %s: risk reservation not durable, nothing signed: %w", req.Channel, err)
	}
	r.layer.approved.remember(req.PaymentID, key)
	v, err := r.Backend.Pay(ctx, req)
	switch {
	case err != nil && failedBeforeSigning(err):
		r.layer.approved.forget(req.PaymentID)
		r.layer.engine.Release(&d)
	case err == nil && v.Repeat:
		// A retry of a payment an earlier call made: nothing new was signed, so it costs
		// the client nothing more (issue 22, finding 10: five calls with one id used 5,000
		// of a cap while 1,000 moved).
		r.layer.engine.Release(&d)
		if oerr := otherClientsPayment(client, v); oerr != nil {
			return node.PaymentView{}, oerr
		}
	case err == nil:
		// The payee acknowledged: the payment happened, and only now does it train the
		// client's baseline (issue 22, finding 9).
		r.layer.engine.Complete(&d)
	}
	return v, err
}

// failedBeforeSigning lists the node's errors that come before any proof is signed, so
// the reservation can be given back. Anything else (a timeout waiting for the ack, a
// peer's rejection) may have moved money and stays counted. A peer's refusal carries the
// same sentinels (an "overdraft" Reject) but of a proof that was signed and sent: a
// colluding payee answering every proof with a Reject made the payer sign away 20 times
// its client's daily cap while the engine counted nothing (issue 22, finding 1).
func failedBeforeSigning(err error) bool {
	if errors.Is(err, node.ErrAwaitingResync) {
		// Refused while the channel re-syncs: nothing was signed for this payment (the
		// peer's refusal it wraps was of an earlier, still charged, proof).
		return true
	}
	if _, refusedByPeer := errors.AsType[*node.RejectError](err); refusedByPeer {
		return false
	}
	for _, s := range []error{
		channel.ErrInvalidAmount, channel.ErrAmountTooLarge, channel.ErrUnknownChannel, channel.ErrChannelNotOpen,
		channel.ErrSettlementSigned, channel.ErrOverdraft, channel.ErrNotParticipant, channel.ErrNonceExhausted,
		node.ErrMemoTooLong, node.ErrPaymentIDReused, node.ErrPeerUnreachable,
	} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func (r *riskBackend) counterparty(ctx context.Context, id channel.ID) (common.Address, error) {
	if v, ok := r.counterparties.Load(id); ok {
		return v.(common.Address), nil
	}
	view, err := r.Backend.Channel(ctx, id)
	if err != nil {
		return common.Address{}, node.WrapChannelError(id, err, "pay on channel %s", id)
	}
	partner := view.Participants[view.Us.Other()]
	r.counterparties.Store(id, partner)
	return partner, nil
}

func (r *riskBackend) requireAdmin(ctx context.Context, method string) error {
	if c, ok := r.layer.clientOf(ctx); ok && c == risk.AdminClient {
		return nil
	}
	return forbidden(method)
}

func forbidden(method string) *Error {
	return &Error{Code: CodeForbidden, Kind: "forbidden", Message: "forbidden: only the node's admin token may call sluice_" + method}
}

func (r *riskBackend) OpenChannel(ctx context.Context, req node.OpenRequest) (node.ChannelView, error) {
	if err := r.requireAdmin(ctx, "openChannel"); err != nil {
		return node.ChannelView{}, err
	}
	return r.Backend.OpenChannel(ctx, req)
}

func (r *riskBackend) DepositWithKey(ctx context.Context, id channel.ID, amount *big.Int, key string) (node.TxResult, error) {
	if err := r.requireAdmin(ctx, "deposit"); err != nil {
		return node.TxResult{}, err
	}
	return r.Backend.DepositWithKey(ctx, id, amount, key)
}

func (r *riskBackend) Withdraw(ctx context.Context, id channel.ID, amount *big.Int) (node.TxResult, error) {
	if err := r.requireAdmin(ctx, "withdraw"); err != nil {
		return node.TxResult{}, err
	}
	return r.Backend.Withdraw(ctx, id, amount)
}

func (r *riskBackend) CloseChannel(ctx context.Context, id channel.ID, force bool) (node.CloseResult, error) {
	if err := r.requireAdmin(ctx, "closeChannel"); err != nil {
		return node.CloseResult{}, err
	}
	return r.Backend.CloseChannel(ctx, id, force)
}

func (r *riskBackend) Settle(ctx context.Context, id channel.ID) (node.TxResult, error) {
	if err := r.requireAdmin(ctx, "settle"); err != nil {
		return node.TxResult{}, err
	}
	return r.Backend.Settle(ctx, id)
}

// RiskError is a declined or challenged payment: a JSON-RPC error whose data carries the
// outcome, the reasons and, for a step-up, the challenge to sign.
type RiskError struct {
	Code      int
	Kind      string
	Message   string
	Outcome   string
	Reasons   []string
	Score     int
	Challenge *StepUpChallenge
}

// StepUpChallenge is what the client's device signs: the EIP-712 StepUp struct in the
// Sluice domain, all of whose fields are given here.
type StepUpChallenge struct {
	Challenge common.Hash `json:"challenge"`
	Channel   ChannelID   `json:"channelId"`
	Amount    Amount      `json:"amount"`
	PaymentID PaymentID   `json:"paymentId"`
	ExpiresAt int64       `json:"expiresAt"` // unix seconds
	Digest    common.Hash `json:"digest"`    // the EIP-712 digest, for signers that take one
	Type      string      `json:"type"`      // the StepUp type string
}

func (e *RiskError) Error() string  { return e.Message }
func (e *RiskError) ErrorCode() int { return e.Code }

// Unwrap lets errors.Is(err, channel.ErrRiskDeclined) hold for every risk refusal.
func (e *RiskError) Unwrap() error { return channel.ErrRiskDeclined }

// ErrorData implements rpc.DataError.
func (e *RiskError) ErrorData() any {
	m := map[string]any{"kind": e.Kind, "outcome": e.Outcome, "reasons": e.Reasons, "score": e.Score}
	if e.Challenge != nil {
		m["stepUp"] = e.Challenge
	}
	return m
}

var (
	_ rpc.Error     = (*RiskError)(nil)
	_ rpc.DataError = (*RiskError)(nil)
)

func (l *riskLayer) decisionError(client string, req node.PayRequest, d *risk.Decision) *RiskError {
	e := &RiskError{Code: CodeRiskDeclined, Kind: "risk_declined", Outcome: d.Outcome.String(), Reasons: d.Reasons.Strings(), Score: d.Score}
	if d.Outcome == risk.StepUp && d.Challenge != nil {
		c := d.Challenge
		e.Code, e.Kind = CodeStepUpRequired, "step_up_required"
		e.Challenge = &StepUpChallenge{
			Challenge: c.ID, Channel: ChannelID(c.Channel), Amount: NewAmount(c.Amount.Big()), PaymentID: PaymentID(c.PaymentID),
			ExpiresAt: c.Expires.Unix(), Digest: l.engine.Digest(c), Type: risk.StepUpType,
		}
		e.Message = fmt.Sprintf("pay %s on channel %s by %s: step-up required (%v); sign the challenge with the registered device and call sluice_payStepUp",
			req.Amount, req.Channel, client, e.Reasons)
		return e
	}
	e.Message = fmt.Sprintf("pay %s on channel %s by %s: declined by risk policy (%v)", req.Amount, req.Channel, client, e.Reasons)
	return e
}

type stepUpKey struct{}

func withStepUp(ctx context.Context, p *risk.StepUpProof) context.Context {
	return context.WithValue(ctx, stepUpKey{}, p)
}

func stepUpFrom(ctx context.Context) *risk.StepUpProof {
	p, _ := ctx.Value(stepUpKey{}).(*risk.StepUpProof)
	return p
}
