package devcluster

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
	"github.com/sluicepay/sluice/node"
)

// WaitFor polls cond every 10 ms until it holds, fails, or ctx ends; the error names what.
func WaitFor(ctx context.Context, what string, cond func() (bool, error)) error {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		ok, err := cond()
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case <-t.C:
		}
	}
}

// WaitChannel waits until node i's view of channel id satisfies cond. An unknown
// channel counts as not yet.
func (c *Cluster) WaitChannel(ctx context.Context, i int, id channel.ID, what string, cond func(node.ChannelView) bool) error {
	return WaitFor(ctx, fmt.Sprintf("node %d: channel %s: %s", i, id, what), func() (bool, error) {
		n := c.Node(i)
		if n == nil {
			return false, fmt.Errorf("node %d is stopped", i)
		}
		v, err := n.Channel(ctx, id)
		if err != nil {
			return false, nil
		}
		return cond(v), nil
	})
}

// OpenChannel opens a channel of token (zero = ETH) from node from to node to through the
// nodes' own API (from deposits depFrom; to then tops up depTo if positive; the nodes
// approve ERC-20 transfers themselves) and waits until both nodes see both deposits.
func (c *Cluster) OpenChannel(ctx context.Context, from, to int, token common.Address, depFrom, depTo *big.Int, challenge time.Duration) (channel.ID, error) {
	a, b := c.Node(from), c.Node(to)
	if a == nil || b == nil {
		return channel.ID{}, fmt.Errorf("devcluster: open channel %d->%d: node not running", from, to)
	}
	info, err := b.Info(ctx)
	if err != nil || len(info.ListenAddrs) == 0 {
		return channel.ID{}, fmt.Errorf("devcluster: open channel %d->%d: partner address: %v", from, to, err)
	}
	cv, err := a.OpenChannel(ctx, node.OpenRequest{Peer: info.ListenAddrs[0], Token: token, Deposit: depFrom, ChallengePeriod: challenge})
	if err != nil {
		return channel.ID{}, fmt.Errorf("devcluster: open channel %d->%d: %w", from, to, err)
	}
	if err := c.WaitChannel(ctx, to, cv.ID, "partner learns the channel", func(node.ChannelView) bool { return true }); err != nil {
		return cv.ID, err
	}
	if depTo != nil && depTo.Sign() > 0 {
		if _, err := b.Deposit(ctx, cv.ID, depTo); err != nil {
			return cv.ID, fmt.Errorf("devcluster: partner deposit to %s: %w", cv.ID, err)
		}
	}
	return cv.ID, c.waitDeposits(ctx, cv.ID, from, to, depFrom, depTo)
}

// OpenTokenChannel opens an ERC-20 channel from node from to node to WITHOUT the nodes'
// API, acting on chain as both participants (approve, open; approve, deposit) through
// contracts clients of their keys, and waits until both nodes learnt the channel and both
// deposits from the chain: nodes learn every channel of theirs from its ChannelOpened
// event, whoever sent it.
func (c *Cluster) OpenTokenChannel(ctx context.Context, from, to int, token common.Address, depFrom, depTo *big.Int, challenge time.Duration) (channel.ID, error) {
	ma, mb := c.Member(from), c.Member(to)
	if ma == nil || mb == nil {
		return channel.ID{}, fmt.Errorf("devcluster: open token channel %d->%d: no such node", from, to)
	}
	ca, err := c.Client(ctx, from)
	if err != nil {
		return channel.ID{}, err
	}
	defer ca.Disconnect()
	if _, err := ca.Approve(ctx, token, c.chain.Contract(), depFrom); err != nil {
		return channel.ID{}, fmt.Errorf("devcluster: node %d approves %s: %w", from, token, err)
	}
	id, _, err := ca.Open(ctx, mb.Address, token, depFrom, uint64(challenge/time.Second))
	if err != nil {
		return channel.ID{}, fmt.Errorf("devcluster: open token channel %d->%d: %w", from, to, err)
	}
	if depTo != nil && depTo.Sign() > 0 {
		if _, err := c.DepositToken(ctx, to, id, token, depTo); err != nil {
			return id, err
		}
	}
	return id, c.waitDeposits(ctx, id, from, to, depFrom, depTo)
}

// DepositToken tops up node i's side of a token channel on chain, as node i's user
// (approve, deposit), bypassing the node.
func (c *Cluster) DepositToken(ctx context.Context, i int, id channel.ID, token common.Address, amount *big.Int) (uint64, error) {
	cl, err := c.Client(ctx, i)
	if err != nil {
		return 0, err
	}
	defer cl.Disconnect()
	ra, err := cl.Approve(ctx, token, c.chain.Contract(), amount)
	if err != nil {
		return 0, fmt.Errorf("devcluster: node %d approves %s: %w", i, token, err)
	}
	rd, err := cl.Deposit(ctx, id, cl.Address(), amount)
	if err != nil {
		return 0, fmt.Errorf("devcluster: node %d deposits to %s: %w", i, id, err)
	}
	return ra.GasUsed + rd.GasUsed, nil
}

// waitDeposits waits until both nodes see at least the given total deposits (the opener
// is party A).
func (c *Cluster) waitDeposits(ctx context.Context, id channel.ID, from, to int, depA, depB *big.Int) error {
	zero := new(big.Int)
	if depB == nil {
		depB = zero
	}
	for _, i := range []int{from, to} {
		if err := c.WaitChannel(ctx, i, id, "both deposits", func(v node.ChannelView) bool {
			return v.Deposit[channel.PartyA] != nil && v.Deposit[channel.PartyB] != nil &&
				v.Deposit[channel.PartyA].Cmp(depA) >= 0 && v.Deposit[channel.PartyB].Cmp(depB) >= 0
		}); err != nil {
			return err
		}
	}
	return nil
}

// DeployToken deploys testbindings.TestToken from account #0 and mints amount to each of
// the given nodes.
func (c *Cluster) DeployToken(ctx context.Context, name, symbol string, amount *big.Int, holders ...int) (common.Address, error) {
	tok := testbindings.NewTestToken()
	funder := c.chain.Accounts()[0]
	opts := bind.NewKeyedTransactor(funder.Key, c.chain.ChainID())
	opts.Context = ctx
	backend := c.chain.Client()
	addr, tx, err := bind.DeployContract(opts, common.FromHex(testbindings.TestTokenMetaData.Bin), backend, tok.PackConstructor(name, symbol))
	if err != nil {
		return common.Address{}, fmt.Errorf("devcluster: deploy token %s: %w", symbol, err)
	}
	// The funder's WaitReceipt follows new heads; bind's waits poll once a second.
	if rc, err := c.funder.WaitReceipt(ctx, tx.Hash()); err != nil || rc.Status != 1 {
		return common.Address{}, fmt.Errorf("devcluster: deploy token %s: tx %s: %v", symbol, tx.Hash(), err)
	}
	inst := tok.Instance(backend, addr)
	for _, h := range holders {
		m := c.Member(h)
		if m == nil {
			return addr, fmt.Errorf("devcluster: mint %s: no node %d", symbol, h)
		}
		mtx, err := bind.Transact(inst, opts, tok.PackMint(m.Address, amount))
		if err != nil {
			return addr, fmt.Errorf("devcluster: mint %s to node %d: %w", symbol, h, err)
		}
		if rc, err := c.funder.WaitReceipt(ctx, mtx.Hash()); err != nil || rc.Status != 1 {
			return addr, fmt.Errorf("devcluster: mint %s to node %d: tx %s: %v", symbol, h, mtx.Hash(), err)
		}
	}
	return addr, nil
}

// Events returns every event of the contract from block 0 to the head, read from the
// chain independently of any node.
func (c *Cluster) Events(ctx context.Context) ([]contracts.Event, error) {
	head, err := c.funder.Head(ctx)
	if err != nil {
		return nil, fmt.Errorf("devcluster: %w", err)
	}
	evs, err := c.funder.EventsInRange(ctx, 0, head.Number)
	if err != nil {
		return nil, fmt.Errorf("devcluster: events: %w", err)
	}
	return evs, nil
}

// GasUsed reads the gas a mined transaction used.
func (c *Cluster) GasUsed(ctx context.Context, tx common.Hash) (uint64, error) {
	r, err := c.chain.Client().TransactionReceipt(ctx, tx)
	if err != nil {
		return 0, fmt.Errorf("devcluster: receipt of %s: %w", tx, err)
	}
	return r.GasUsed, nil
}
