package contracts

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings"
)

// ChannelView is the contract's ChannelView of one channel: what the chain knows.
// Nonces and transferred amounts are those of the best proof seen on chain, per signer.
type ChannelView struct {
	A, B            common.Address
	Token           common.Address // zero = ETH
	Status          channel.Status
	ChallengePeriod uint64 // seconds
	SettleAfter     uint64 // unix seconds; 0 while open
	DepositA        *big.Int
	DepositB        *big.Int
	WithdrawnA      *big.Int
	WithdrawnB      *big.Int
	NonceA          uint64
	NonceB          uint64
	TransferredA    *big.Int // paid by A to B
	TransferredB    *big.Int // paid by B to A
}

// Participants returns A and B indexed by channel.Party.
func (v ChannelView) Participants() [2]common.Address { return [2]common.Address{v.A, v.B} }

// PartyOf tells which side addr is on.
func (v ChannelView) PartyOf(addr common.Address) (channel.Party, bool) {
	switch addr {
	case v.A:
		return channel.PartyA, true
	case v.B:
		return channel.PartyB, true
	}
	return 0, false
}

// Params are the channel's immutable parameters as the node's state machine holds them.
func (v ChannelView) Params(id channel.ID, d channel.Domain) channel.Params {
	return channel.Params{
		ID:              id,
		Domain:          d,
		Participants:    v.Participants(),
		Token:           v.Token,
		ChallengePeriod: v.ChallengePeriod,
	}
}

func viewFromBinding(b bindings.SluiceChannelsChannelView) (ChannelView, error) {
	st := channel.Status(b.Status)
	if st > channel.StatusSettled {
		return ChannelView{}, fmt.Errorf("unknown channel status %d", b.Status)
	}
	return ChannelView{
		A: b.A, B: b.B, Token: b.Token, Status: st,
		ChallengePeriod: b.ChallengePeriod, SettleAfter: b.SettleAfter,
		DepositA: b.DepositA, DepositB: b.DepositB,
		WithdrawnA: b.WithdrawnA, WithdrawnB: b.WithdrawnB,
		NonceA: b.NonceA, NonceB: b.NonceB,
		TransferredA: b.TransferredA, TransferredB: b.TransferredB,
	}, nil
}

// Channel reads channel id. An id the contract never issued comes back with Status
// channel.StatusNone (the contract does not revert on reads).
func (c *Client) Channel(ctx context.Context, id channel.ID) (ChannelView, error) {
	out, err := c.call(ctx, c.contract, c.channels.PackChannel(id))
	if err != nil {
		return ChannelView{}, fmt.Errorf("read channel %s: %w", id, err)
	}
	raw, err := c.channels.UnpackChannel(out)
	if err != nil {
		return ChannelView{}, fmt.Errorf("read channel %s: decode: %w", id, err)
	}
	v, err := viewFromBinding(raw)
	if err != nil {
		return ChannelView{}, fmt.Errorf("read channel %s: %w", id, err)
	}
	return v, nil
}

// Claimable reads what account can claim of token (address(0) = ETH) after a failed
// payout was credited to it.
func (c *Client) Claimable(ctx context.Context, account, token common.Address) (*big.Int, error) {
	out, err := c.call(ctx, c.contract, c.channels.PackClaimable(account, token))
	if err != nil {
		return nil, fmt.Errorf("claimable %s of %s: %w", token, account, err)
	}
	v, err := c.channels.UnpackClaimable(out)
	if err != nil {
		return nil, fmt.Errorf("claimable %s of %s: decode: %w", token, account, err)
	}
	return v, nil
}

// DomainSeparator reads the contract's EIP-712 domain separator.
func (c *Client) DomainSeparator(ctx context.Context) (common.Hash, error) {
	return c.hashView(ctx, "domain separator", c.channels.PackDomainSeparator(), c.channels.UnpackDomainSeparator)
}

// Domain is the EIP-712 domain the contract signs under: the client's chain id and the
// contract address.
func (c *Client) Domain() channel.Domain {
	return channel.Domain{ChainID: c.ChainID(), Contract: c.contract}
}

// HashBalanceProof asks the contract for the EIP-712 digest of p (the off-chain
// hashing in package channel is tested against it).
func (c *Client) HashBalanceProof(ctx context.Context, p channel.BalanceProof) (common.Hash, error) {
	data, err := c.channels.TryPackHashBalanceProof(p.Channel, p.Nonce, p.Transferred, lockedOf(p), p.LocksRoot)
	if err != nil {
		return common.Hash{}, fmt.Errorf("hash balance proof of %s: %w", p.Channel, err)
	}
	return c.hashView(ctx, "hash balance proof of "+p.Channel.String(), data, c.channels.UnpackHashBalanceProof)
}

// HashEndorsement asks the contract for the EIP-712 digest of the receiver's endorsement of p (the off-chain
// hashing in package channel is tested against it).
func (c *Client) HashEndorsement(ctx context.Context, p channel.BalanceProof) (common.Hash, error) {
	data, err := c.channels.TryPackHashEndorsement(p.Channel, p.Nonce, p.Transferred, lockedOf(p), p.LocksRoot)
	if err != nil {
		return common.Hash{}, fmt.Errorf("hash endorsement of %s: %w", p.Channel, err)
	}
	return c.hashView(ctx, "hash endorsement of "+p.Channel.String(), data, c.channels.UnpackHashEndorsement)
}

// HashSettlement asks the contract for the EIP-712 digest of s.
func (c *Client) HashSettlement(ctx context.Context, s channel.Settlement) (common.Hash, error) {
	data, err := c.channels.TryPackHashSettlement(s.Channel, s.BalanceA, s.BalanceB)
	if err != nil {
		return common.Hash{}, fmt.Errorf("hash settlement of %s: %w", s.Channel, err)
	}
	return c.hashView(ctx, "hash settlement of "+s.Channel.String(), data, c.channels.UnpackHashSettlement)
}

// HashWithdrawal asks the contract for the EIP-712 digest of w.
func (c *Client) HashWithdrawal(ctx context.Context, w channel.Withdrawal) (common.Hash, error) {
	data, err := c.channels.TryPackHashWithdrawal(w.Channel, w.Participant, w.TotalWithdrawn, w.Expiry)
	if err != nil {
		return common.Hash{}, fmt.Errorf("hash withdrawal of %s: %w", w.Channel, err)
	}
	return c.hashView(ctx, "hash withdrawal of "+w.Channel.String(), data, c.channels.UnpackHashWithdrawal)
}

func (c *Client) hashView(ctx context.Context, what string, data []byte, unpack func([]byte) ([32]byte, error)) (common.Hash, error) {
	out, err := c.call(ctx, c.contract, data)
	if err != nil {
		return common.Hash{}, fmt.Errorf("%s: %w", what, err)
	}
	h, err := unpack(out)
	if err != nil {
		return common.Hash{}, fmt.Errorf("%s: decode: %w", what, err)
	}
	return h, nil
}

// ChallengePeriodBounds reads MIN_CHALLENGE_PERIOD and MAX_CHALLENGE_PERIOD (seconds).
func (c *Client) ChallengePeriodBounds(ctx context.Context) (lo, hi uint64, err error) {
	out, err := c.call(ctx, c.contract, c.channels.PackMINCHALLENGEPERIOD())
	if err == nil {
		lo, err = c.channels.UnpackMINCHALLENGEPERIOD(out)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("min challenge period: %w", err)
	}
	out, err = c.call(ctx, c.contract, c.channels.PackMAXCHALLENGEPERIOD())
	if err == nil {
		hi, err = c.channels.UnpackMAXCHALLENGEPERIOD(out)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("max challenge period: %w", err)
	}
	return lo, hi, nil
}

// Head is the chain head as the client saw it.
type Head struct {
	Number uint64
	Time   uint64 // unix seconds; compare with ChannelView.SettleAfter
}

// Head reads the latest block's number and timestamp. Events' cursor and the settle
// timing both work from it.
func (c *Client) Head(ctx context.Context) (Head, error) {
	h, err := c.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return Head{}, fmt.Errorf("read chain head: %w", err)
	}
	return Head{Number: h.Number.Uint64(), Time: h.Time}, nil
}
