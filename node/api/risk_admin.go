package api

import (
	"context"
	"errors"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node/risk"
)

// installRisk wraps b in the risk decorator and registers the risk methods; without an
// engine it returns b unchanged.
func (s *Server) installRisk(b Backend) (Backend, error) {
	if s.cfg.Risk == nil {
		return b, nil
	}
	s.risk = &riskLayer{engine: s.cfg.Risk}
	wrapped := &riskBackend{Backend: b, layer: s.risk}
	admin := &riskService{layer: s.risk, pay: &service{b: wrapped, timeout: s.cfg.RequestTimeout}}
	if rp, ok := b.(RoutedPayer); ok {
		s.risk.routed = &riskRoutedPayer{RoutedPayer: rp, layer: s.risk}
		admin.pay.routed = s.risk.routed
	}
	if err := s.rpc.RegisterName("sluice", admin); err != nil {
		return nil, err
	}
	return wrapped, nil
}

// riskService holds the sluice_* methods of the risk engine.
type riskService struct {
	layer *riskLayer
	pay   *service
}

// StepUpArgs answer a step-up challenge: the device's 65-byte signature (r||s||v, v 27/28)
// of the StepUp struct.
type StepUpArgs struct {
	Challenge common.Hash `json:"challenge"`
	Signature string      `json:"signature"`
}

// PayStepUp repeats a challenged sluice_pay with the device's answer; args must be the
// same payment (channel, amount, payment id) the challenge was issued for.
func (r *riskService) PayStepUp(ctx context.Context, args PayArgs, stepUp StepUpArgs) (Payment, error) {
	sig, err := decodeSignature(stepUp.Signature)
	if err != nil {
		return Payment{}, err
	}
	if args.PaymentID == nil {
		return Payment{}, invalidParams("paymentId is required: use the one from the step-up challenge")
	}
	return r.pay.Pay(withStepUp(ctx, &risk.StepUpProof{Challenge: stepUp.Challenge, Signature: sig}), args)
}

func decodeSignature(s string) (channel.Signature, error) {
	var sig channel.Signature
	raw := common.FromHex(s)
	if len(raw) != len(sig) {
		return sig, invalidParams("signature must be 65 bytes of hex (r||s||v), got %d bytes", len(raw))
	}
	copy(sig[:], raw)
	return sig, nil
}

func (r *riskService) admin(ctx context.Context, method string) error {
	if c, ok := r.layer.clientOf(ctx); ok && c == risk.AdminClient {
		return nil
	}
	return forbidden(method)
}

// RiskConfig returns the policy in force (admin only).
func (r *riskService) RiskConfig(ctx context.Context) (risk.Config, error) {
	if err := r.admin(ctx, "riskConfig"); err != nil {
		return risk.Config{}, err
	}
	return r.layer.engine.Config(), nil
}

// RiskClients lists every client's policy, device and current windows (admin only).
func (r *riskService) RiskClients(ctx context.Context) ([]risk.ClientStatus, error) {
	if err := r.admin(ctx, "riskClients"); err != nil {
		return nil, err
	}
	return r.layer.engine.Clients(), nil
}

// SetRiskClient adds or replaces one client's policy, durably (admin only).
func (r *riskService) SetRiskClient(ctx context.Context, name string, cfg risk.ClientConfig) (risk.ClientConfig, error) {
	if err := r.admin(ctx, "setRiskClient"); err != nil {
		return risk.ClientConfig{}, err
	}
	if name == risk.AdminClient {
		return risk.ClientConfig{}, invalidParams("client %q is the node's own token; configure it in the risk file", name)
	}
	out, err := r.layer.engine.SetClient(ctx, name, cfg)
	if err != nil {
		return risk.ClientConfig{}, invalidParams("%v", err)
	}
	return out, nil
}

// DeleteRiskClient revokes a client's token at once and for good (admin only): the client
// stays deleted across restarts even if the risk file still names it, until
// setRiskClient configures it again.
func (r *riskService) DeleteRiskClient(ctx context.Context, name string) (bool, error) {
	if err := r.admin(ctx, "deleteRiskClient"); err != nil {
		return false, err
	}
	if err := r.layer.engine.DeleteClient(ctx, name); err != nil {
		return false, invalidParams("%v", err)
	}
	r.layer.conns.dropClient(name)
	return true, nil
}

// RegisterDevice binds a client's step-up device key. The admin binds or replaces any
// client's device. A client binds only its own FIRST device, and only with the one-time
// enrollment code the operator issued (issueEnrollmentCode), so a stolen client token alone
// cannot swap in, or enrol, the thief's key.
func (r *riskService) RegisterDevice(ctx context.Context, client string, device common.Address, enrollmentCode *string) (common.Address, error) {
	caller, ok := r.layer.clientOf(ctx)
	if !ok {
		return common.Address{}, forbidden("registerDevice")
	}
	isAdmin := caller == risk.AdminClient
	if client == "" {
		client = caller
	}
	if !isAdmin && client != caller {
		return common.Address{}, forbidden("registerDevice for another client")
	}
	var err error
	if isAdmin {
		err = r.layer.engine.RegisterDevice(client, device, true)
	} else {
		code := ""
		if enrollmentCode != nil {
			code = *enrollmentCode
		}
		err = r.layer.engine.EnrollDevice(ctx, client, device, code)
	}
	switch {
	case errors.Is(err, risk.ErrDeviceBound):
		return common.Address{}, &Error{Code: CodeForbidden, Kind: "forbidden", Message: err.Error() + "; ask the node operator to replace it"}
	case errors.Is(err, risk.ErrNoEnrollmentCode), errors.Is(err, risk.ErrBadEnrollmentCode):
		return common.Address{}, &Error{Code: CodeForbidden, Kind: "forbidden", Message: err.Error() + "; ask the node operator for a new code (sluice risk enroll-code)"}
	case errors.Is(err, risk.ErrUnknownClient):
		return common.Address{}, invalidParams("%v", err)
	case err != nil:
		return common.Address{}, toRPCError(err)
	}
	return device, nil
}

// EnrollmentCode is a one-time code for a client's first device, shown once.
type EnrollmentCode struct {
	Client    string    `json:"client"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// IssueEnrollmentCode makes a one-time code with which a client binds its first device
// (admin only); ttl is a Go duration ("24h" when empty).
func (r *riskService) IssueEnrollmentCode(ctx context.Context, client string, ttl *string) (EnrollmentCode, error) {
	if err := r.admin(ctx, "issueEnrollmentCode"); err != nil {
		return EnrollmentCode{}, err
	}
	d := risk.DefaultEnrollmentTTL
	if ttl != nil && *ttl != "" {
		var err error
		if d, err = time.ParseDuration(*ttl); err != nil {
			return EnrollmentCode{}, invalidParams("ttl %q: %v", *ttl, err)
		}
	}
	code, expires, err := r.layer.engine.IssueEnrollmentCode(ctx, client, d)
	if err != nil {
		return EnrollmentCode{}, invalidParams("%v", err)
	}
	return EnrollmentCode{Client: client, Code: code, ExpiresAt: expires.UTC()}, nil
}

// RevokeDevice unbinds a client's device (admin only): its step-ups then decline.
func (r *riskService) RevokeDevice(ctx context.Context, client string) (bool, error) {
	if err := r.admin(ctx, "revokeDevice"); err != nil {
		return false, err
	}
	if err := r.layer.engine.RevokeDevice(ctx, client); err != nil {
		return false, invalidParams("%v", err)
	}
	return true, nil
}

// RiskEventsArgs filter sluice_riskEvents; every field is optional.
type RiskEventsArgs struct {
	Client  string `json:"client,omitempty"`
	Outcome string `json:"outcome,omitempty"`
	After   uint64 `json:"after,omitempty"`
	Limit   int    `json:"limit,omitempty"` // 0 = 100, at most 1000
}

// RiskEvents lists audit events, newest first. A client sees only its own decisions.
func (r *riskService) RiskEvents(ctx context.Context, args *RiskEventsArgs) ([]risk.Event, error) {
	caller, ok := r.layer.clientOf(ctx)
	if !ok {
		return nil, forbidden("riskEvents")
	}
	var f risk.EventFilter
	if args != nil {
		f = risk.EventFilter{Client: args.Client, Outcome: args.Outcome, After: args.After, Limit: args.Limit}
	}
	if f.Limit > maxPageLimit {
		return nil, invalidParams("limit %d exceeds %d", f.Limit, maxPageLimit)
	}
	if caller != risk.AdminClient {
		f.Client = caller
	}
	return r.layer.engine.Events(f), nil
}
