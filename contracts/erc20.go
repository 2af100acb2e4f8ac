package contracts

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// erc20ABI is the slice of ERC-20 the client uses. Written out here rather than taken
// from a token's bindings because the client talks to any token, not only ours. The
// OpenZeppelin ERC-6093 errors make token reverts name themselves too.
const erc20ABI = `[
 {"type":"function","name":"approve","stateMutability":"nonpayable","inputs":[{"name":"spender","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[{"name":"","type":"bool"}]},
 {"type":"function","name":"allowance","stateMutability":"view","inputs":[{"name":"owner","type":"address"},{"name":"spender","type":"address"}],"outputs":[{"name":"","type":"uint256"}]},
 {"type":"function","name":"balanceOf","stateMutability":"view","inputs":[{"name":"owner","type":"address"}],"outputs":[{"name":"","type":"uint256"}]},
 {"type":"error","name":"ERC20InsufficientBalance","inputs":[{"name":"sender","type":"address"},{"name":"balance","type":"uint256"},{"name":"needed","type":"uint256"}]},
 {"type":"error","name":"ERC20InsufficientAllowance","inputs":[{"name":"spender","type":"address"},{"name":"allowance","type":"uint256"},{"name":"needed","type":"uint256"}]},
 {"type":"error","name":"ERC20InvalidSpender","inputs":[{"name":"spender","type":"address"}]}
]`

func parseERC20ABI() (*abi.ABI, error) {
	a, err := abi.JSON(strings.NewReader(erc20ABI))
	if err != nil {
		return nil, fmt.Errorf("parse ERC-20 ABI: %w", err)
	}
	return &a, nil
}

// Approve lets spender (normally the SluiceChannels contract) pull amount of token from
// the client's account, as open and deposit of an ERC-20 channel need.
func (c *Client) Approve(ctx context.Context, token, spender common.Address, amount *big.Int) (*types.Receipt, error) {
	if amount == nil || amount.Sign() < 0 {
		return nil, fmt.Errorf("approve %s for %s: invalid amount %v", token, spender, amount)
	}
	data, err := c.erc20.Pack("approve", spender, amount)
	if err != nil {
		return nil, fmt.Errorf("approve %s for %s: %w", token, spender, err)
	}
	rec, err := c.transact(ctx, token, data, nil)
	if err != nil {
		return rec, fmt.Errorf("approve %s of token %s for %s: %w", amount, token, spender, err)
	}
	return rec, nil
}

// Allowance reads token.allowance(owner, spender).
func (c *Client) Allowance(ctx context.Context, token, owner, spender common.Address) (*big.Int, error) {
	return c.callERC20Uint(ctx, token, "allowance", owner, spender)
}

// TokenBalance reads token.balanceOf(owner). The zero token address reads owner's ETH
// balance instead, matching the contract's convention that address(0) is ETH.
func (c *Client) TokenBalance(ctx context.Context, token, owner common.Address) (*big.Int, error) {
	if token == (common.Address{}) {
		return c.Balance(ctx, owner)
	}
	return c.callERC20Uint(ctx, token, "balanceOf", owner)
}

// Balance reads owner's ETH balance at the head.
func (c *Client) Balance(ctx context.Context, owner common.Address) (*big.Int, error) {
	bal, err := c.backend.BalanceAt(ctx, owner, nil)
	if err != nil {
		return nil, fmt.Errorf("eth balance of %s: %w", owner, err)
	}
	return bal, nil
}

func (c *Client) callERC20Uint(ctx context.Context, token common.Address, method string, args ...any) (*big.Int, error) {
	data, err := c.erc20.Pack(method, args...)
	if err != nil {
		return nil, fmt.Errorf("token %s %s: %w", token, method, err)
	}
	out, err := c.call(ctx, token, data)
	if err != nil {
		return nil, fmt.Errorf("token %s %s: %w", token, method, err)
	}
	vals, err := c.erc20.Unpack(method, out)
	if err != nil || len(vals) != 1 {
		return nil, fmt.Errorf("token %s %s: bad return data %x: %v", token, method, out, err)
	}
	v, ok := vals[0].(*big.Int)
	if !ok {
		return nil, fmt.Errorf("token %s %s: return type %T", token, method, vals[0])
	}
	return v, nil
}
