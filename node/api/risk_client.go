package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node/risk"
)

// RiskEvents calls sluice_riskEvents.
func (c *Client) RiskEvents(ctx context.Context, args RiskEventsArgs) ([]risk.Event, error) {
	var out []risk.Event
	return out, c.call(ctx, &out, "riskEvents", args)
}

// RiskClients calls sluice_riskClients.
func (c *Client) RiskClients(ctx context.Context) ([]risk.ClientStatus, error) {
	var out []risk.ClientStatus
	return out, c.call(ctx, &out, "riskClients")
}

// RiskConfig calls sluice_riskConfig.
func (c *Client) RiskConfig(ctx context.Context) (risk.Config, error) {
	var out risk.Config
	return out, c.call(ctx, &out, "riskConfig")
}

// SetRiskClient calls sluice_setRiskClient.
func (c *Client) SetRiskClient(ctx context.Context, name string, cfg risk.ClientConfig) (risk.ClientConfig, error) {
	var out risk.ClientConfig
	return out, c.call(ctx, &out, "setRiskClient", name, cfg)
}

// DeleteRiskClient calls sluice_deleteRiskClient.
func (c *Client) DeleteRiskClient(ctx context.Context, name string) error {
	var out bool
	return c.call(ctx, &out, "deleteRiskClient", name)
}

// RegisterDevice calls sluice_registerDevice; an empty client means the caller itself. A
// client binding its own first device passes the operator's enrollment code; the admin
// passes "".
func (c *Client) RegisterDevice(ctx context.Context, client string, device common.Address, enrollmentCode string) error {
	var out common.Address
	if enrollmentCode == "" {
		return c.call(ctx, &out, "registerDevice", client, device)
	}
	return c.call(ctx, &out, "registerDevice", client, device, enrollmentCode)
}

// IssueEnrollmentCode calls sluice_issueEnrollmentCode; an empty ttl means 24h.
func (c *Client) IssueEnrollmentCode(ctx context.Context, client, ttl string) (EnrollmentCode, error) {
	var out EnrollmentCode
	return out, c.call(ctx, &out, "issueEnrollmentCode", client, ttl)
}

// RevokeDevice calls sluice_revokeDevice.
func (c *Client) RevokeDevice(ctx context.Context, client string) error {
	var out bool
	return c.call(ctx, &out, "revokeDevice", client)
}

// DeviceSigner signs a step-up digest with the client's registered device key.
type DeviceSigner func(digest common.Hash) (channel.Signature, error)

// PayWithStepUp pays; if the policy asks for a step-up it has sign answer the challenge
// and repeats the payment once with the answer.
func (c *Client) PayWithStepUp(ctx context.Context, args PayArgs, sign DeviceSigner) (Payment, error) {
	var out Payment
	err := c.rpc.CallContext(ctx, &out, "sluice_pay", args)
	if err == nil {
		return out, nil
	}
	ch, ok := StepUpChallengeOf(err)
	if !ok {
		return out, clientError(err)
	}
	sig, err := sign(ch.Digest)
	if err != nil {
		return out, fmt.Errorf("pay: sign step-up challenge: %w", err)
	}
	pid := ch.PaymentID
	args.PaymentID = &pid
	return out, c.call(ctx, &out, "payStepUp", args, StepUpArgs{Challenge: ch.Challenge, Signature: hexutil.Encode(sig[:])})
}

// StepUpChallengeOf extracts the challenge from a step_up_required error as the rpc client
// returns it.
func StepUpChallengeOf(err error) (StepUpChallenge, bool) {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return StepUpChallenge{}, false
	}
	raw, err := json.Marshal(de.ErrorData())
	if err != nil {
		return StepUpChallenge{}, false
	}
	var data struct {
		Kind   string           `json:"kind"`
		StepUp *StepUpChallenge `json:"stepUp"`
	}
	if json.Unmarshal(raw, &data) != nil || data.Kind != "step_up_required" || data.StepUp == nil {
		return StepUpChallenge{}, false
	}
	return *data.StepUp, true
}
