package contracts

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
)

// Every write estimates gas (a revert comes back as a decoded *RevertError before
// anything is sent), sends from the client's key and returns the mined receipt.

// errNilAmount keeps a nil *big.Int from reaching the ABI encoder, which would panic.
var errNilAmount = errors.New("amount is nil")

func checkAmounts(amounts ...*big.Int) error {
	for _, a := range amounts {
		if a == nil {
			return errNilAmount
		}
		if a.Sign() < 0 {
			return fmt.Errorf("negative amount %s", a)
		}
	}
	return nil
}

// ethValue is the msg.value of a call moving amount of token: amount for ETH, none for
// an ERC-20 (which the contract pulls with transferFrom).
func ethValue(token common.Address, amount *big.Int) *big.Int {
	if token == (common.Address{}) {
		return amount
	}
	return nil
}

// Open opens a channel with partner, funding the client's side with amount of token
// (address(0) = ETH, sent as value; an ERC-20 must be approved first, see Approve). It
// returns the new channel's id, read from the ChannelOpened event.
func (c *Client) Open(ctx context.Context, partner, token common.Address, amount *big.Int, challengePeriod uint64) (channel.ID, *types.Receipt, error) {
	if err := checkAmounts(amount); err != nil {
		return channel.ID{}, nil, fmt.Errorf("open channel with %s: %w", partner, err)
	}
	data, err := c.channels.TryPackOpen(partner, token, amount, challengePeriod)
	if err != nil {
		return channel.ID{}, nil, fmt.Errorf("open channel with %s: %w", partner, err)
	}
	rec, err := c.transact(ctx, c.contract, data, ethValue(token, amount))
	if err != nil {
		return channel.ID{}, rec, fmt.Errorf("open channel with %s: %w", partner, err)
	}
	for _, l := range rec.Logs {
		if l.Address != c.contract {
			continue
		}
		if ev, err := c.channels.UnpackChannelOpenedEvent(l); err == nil {
			return channel.ID(ev.Id), rec, nil
		}
	}
	return channel.ID{}, rec, fmt.Errorf("open channel with %s: no ChannelOpened event in transaction %s", partner, rec.TxHash)
}

// Deposit tops up participant's side of channel id by amount. It reads the channel
// first to learn its token, so ETH goes as value and ERC-20 by transferFrom.
func (c *Client) Deposit(ctx context.Context, id channel.ID, participant common.Address, amount *big.Int) (*types.Receipt, error) {
	if err := checkAmounts(amount); err != nil {
		return nil, fmt.Errorf("deposit to %s: %w", id, err)
	}
	view, err := c.Channel(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("deposit to %s: %w", id, err)
	}
	data, err := c.channels.TryPackDeposit(id, participant, amount)
	if err != nil {
		return nil, fmt.Errorf("deposit to %s: %w", id, err)
	}
	rec, err := c.transact(ctx, c.contract, data, ethValue(view.Token, amount))
	if err != nil {
		return rec, fmt.Errorf("deposit %s for %s to %s: %w", amount, participant, id, err)
	}
	return rec, nil
}

// Withdraw executes a withdrawal both participants signed, paying
// w.TotalWithdrawn minus what w.Participant already withdrew. Anyone may send it.
func (c *Client) Withdraw(ctx context.Context, w channel.Withdrawal, sigA, sigB channel.Signature) (*types.Receipt, error) {
	if err := checkAmounts(w.TotalWithdrawn); err != nil {
		return nil, fmt.Errorf("withdraw from %s: %w", w.Channel, err)
	}
	data, err := c.channels.TryPackWithdraw(w.Channel, w.Participant, w.TotalWithdrawn, w.Expiry, sigA[:], sigB[:])
	if err != nil {
		return nil, fmt.Errorf("withdraw from %s: %w", w.Channel, err)
	}
	rec, err := c.transact(ctx, c.contract, data, nil)
	if err != nil {
		return rec, fmt.Errorf("withdraw total %s for %s from %s: %w", w.TotalWithdrawn, w.Participant, w.Channel, err)
	}
	return rec, nil
}

// CloseCooperative settles a channel at once with a Settlement both signed.
func (c *Client) CloseCooperative(ctx context.Context, s channel.Settlement, sigA, sigB channel.Signature) (*types.Receipt, error) {
	if err := checkAmounts(s.BalanceA, s.BalanceB); err != nil {
		return nil, fmt.Errorf("cooperative close of %s: %w", s.Channel, err)
	}
	data, err := c.channels.TryPackCloseCooperative(s.Channel, s.BalanceA, s.BalanceB, sigA[:], sigB[:])
	if err != nil {
		return nil, fmt.Errorf("cooperative close of %s: %w", s.Channel, err)
	}
	rec, err := c.transact(ctx, c.contract, data, nil)
	if err != nil {
		return rec, fmt.Errorf("cooperative close of %s: %w", s.Channel, err)
	}
	return rec, nil
}

// Close starts the challenge period of channel id, submitting the best proof the
// client holds that its partner signed, or none (nil: nonce 0, empty signature).
func (c *Client) Close(ctx context.Context, id channel.ID, partnerProof *channel.SignedProof) (*types.Receipt, error) {
	nonce, transferred, locked, root, sig := uint64(0), new(big.Int), new(big.Int), [32]byte{}, []byte{}
	if partnerProof != nil {
		if partnerProof.Channel != id {
			return nil, fmt.Errorf("close %s: proof is for channel %s", id, partnerProof.Channel)
		}
		if err := checkAmounts(partnerProof.Transferred, lockedOf(partnerProof.BalanceProof)); err != nil {
			return nil, fmt.Errorf("close %s: %w", id, err)
		}
		nonce, transferred, sig = partnerProof.Nonce, partnerProof.Transferred, partnerProof.Sig[:]
		locked, root = lockedOf(partnerProof.BalanceProof), partnerProof.LocksRoot
	}
	data, err := c.channels.TryPackClose(id, nonce, transferred, locked, root, sig)
	if err != nil {
		return nil, fmt.Errorf("close %s: %w", id, err)
	}
	rec, err := c.transact(ctx, c.contract, data, nil)
	if err != nil {
		return rec, fmt.Errorf("close %s with proof nonce %d: %w", id, nonce, err)
	}
	return rec, nil
}

// UpdateProof submits, while the channel is closing, a newer proof of the partner's
// payments to the client: the contract accepts a proof only from the party it pays (its
// receiver), so p must be signed by the client's partner.
func (c *Client) UpdateProof(ctx context.Context, p channel.SignedProof) (*types.Receipt, error) {
	if err := checkAmounts(p.Transferred, lockedOf(p.BalanceProof)); err != nil {
		return nil, fmt.Errorf("update proof of %s: %w", p.Channel, err)
	}
	data, err := c.channels.TryPackUpdateProof(p.Channel, p.Nonce, p.Transferred, lockedOf(p.BalanceProof), p.LocksRoot, p.Sig[:])
	if err != nil {
		return nil, fmt.Errorf("update proof of %s: %w", p.Channel, err)
	}
	rec, err := c.transact(ctx, c.contract, data, nil)
	if err != nil {
		return rec, fmt.Errorf("update proof of %s to nonce %d: %w", p.Channel, p.Nonce, err)
	}
	return rec, nil
}

// UpdateProofFor submits p on its receiver's behalf (a watchtower, any relayer): endorsement
// is the receiver's signature over EndorsementDigest(p). The client's own account pays gas
// and need not be a participant.
func (c *Client) UpdateProofFor(ctx context.Context, p channel.SignedProof, endorsement channel.Signature) (*types.Receipt, error) {
	if err := checkAmounts(p.Transferred, lockedOf(p.BalanceProof)); err != nil {
		return nil, fmt.Errorf("update proof of %s for its receiver: %w", p.Channel, err)
	}
	data, err := c.channels.TryPackUpdateProofFor(p.Channel, p.Nonce, p.Transferred, lockedOf(p.BalanceProof), p.LocksRoot, p.Sig[:], endorsement[:])
	if err != nil {
		return nil, fmt.Errorf("update proof of %s for its receiver: %w", p.Channel, err)
	}
	rec, err := c.transact(ctx, c.contract, data, nil)
	if err != nil {
		return rec, fmt.Errorf("update proof of %s to nonce %d for its receiver: %w", p.Channel, p.Nonce, err)
	}
	return rec, nil
}

// Settle pays out a closing channel once its challenge period is over. Anyone may call.
func (c *Client) Settle(ctx context.Context, id channel.ID) (*types.Receipt, error) {
	rec, err := c.transact(ctx, c.contract, c.channels.PackSettle(id), nil)
	if err != nil {
		return rec, fmt.Errorf("settle %s: %w", id, err)
	}
	return rec, nil
}

// Claim withdraws what the contract credited to the client's account in token after a
// failed payout.
func (c *Client) Claim(ctx context.Context, token common.Address) (*types.Receipt, error) {
	rec, err := c.transact(ctx, c.contract, c.channels.PackClaim(token), nil)
	if err != nil {
		return rec, fmt.Errorf("claim %s for %s: %w", token, c.from, err)
	}
	return rec, nil
}
