package node

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
)

// OpenChannel opens a channel with a peer and locks our deposit in it. The peer is
// dialled and asked first (OpenPropose, docs/adr/0011); a decline returns an
// *OpenDeclinedError and nothing goes on chain. After `open` is mined, OpenChannel waits
// until the partner shows it knows the channel (its Sync, sent once it stored the
// channel with our deposit), so a payment made right after it returns is never refused
// as an unknown channel. With req.IdempotencyKey a retry joins the first request's
// transaction (or returns its channel) instead of proposing and opening another.
func (n *Node) OpenChannel(ctx context.Context, req OpenRequest) (ChannelView, error) {
	if err := n.usable(); err != nil {
		return ChannelView{}, err
	}
	if req.Deposit == nil || req.Deposit.Sign() < 0 {
		return ChannelView{}, fmt.Errorf("open channel with %s: deposit %v: %w", req.Peer, req.Deposit, channel.ErrInvalidAmount)
	}
	partner, err := n.resolvePeer(ctx, req.Peer)
	if err != nil {
		return ChannelView{}, fmt.Errorf("open channel with %s: %w", req.Peer, err)
	}
	cp := req.ChallengePeriod
	if cp <= 0 {
		cp = n.cfg.DefaultChallengePeriod
	}
	call := ChainCall{Kind: CallOpen, Partner: partner, Token: req.Token, Amount: req.Deposit, ChallengePeriod: uint64(cp / time.Second)}
	if err := n.ownOpenAllowed(call); err != nil {
		return ChannelView{}, fmt.Errorf("open channel with %s: %w", partner, err)
	}
	how := opIdentity{salted: true, key: req.IdempotencyKey}
	known, err := n.ops.known(call, how)
	if err != nil {
		return ChannelView{}, fmt.Errorf("open channel with %s: %w", partner, err)
	}
	// A retry of a submitted open (same idempotency key) joins it; the partner has
	// agreed to it already.
	if !known {
		if err := n.proposeOpen(ctx, partner, call); err != nil {
			return ChannelView{}, fmt.Errorf("open channel with %s: %w", partner, err)
		}
	}
	// Watching starts before the transaction: the partner may confirm the channel before
	// our own watcher has seen it.
	release := n.opens.watchPartner(partner)
	defer release()
	if err := n.ops.approve(ctx, call); err != nil {
		return ChannelView{}, n.explainChainFailure(ctx, call, err)
	}
	rcpt, err := n.ops.submit(ctx, call, how)
	if err != nil {
		return ChannelView{}, fmt.Errorf("open channel with %s: %w", partner, n.explainChainFailure(ctx, call, err))
	}
	var id channel.ID
	for _, ev := range rcpt.Events {
		if ev.Kind == EventOpened {
			id = ev.Channel
		}
	}
	if id == (channel.ID{}) {
		return ChannelView{}, fmt.Errorf("open channel with %s: transaction %s emitted no ChannelOpened", partner, rcpt.TxHash)
	}
	if err := n.waitSynced(ctx, rcpt.Block); err != nil {
		return ChannelView{}, WrapChannelError(id, err, "open channel %s", id)
	}
	if known {
		// A retry of an open submitted earlier: the partner's confirmation may have come
		// while nobody was watching for it, so the retry does not wait for it again.
		return n.Channel(ctx, id)
	}
	if err := n.waitPartnerKnows(ctx, partner, id); err != nil {
		return ChannelView{}, fmt.Errorf("channel %s is open on chain, but: %w", id, err)
	}
	return n.Channel(ctx, id)
}

// resolvePeer accepts a full multiaddr (dialled now) or the address of a connected peer.
func (n *Node) resolvePeer(ctx context.Context, s string) (common.Address, error) {
	// Bad input is invalid params (API -32602), an unreachable peer is peer_unreachable;
	// both used to surface as internal errors (issue 21, finding 2).
	self := n.signer.Address()
	if strings.HasPrefix(s, "/") {
		addr, err := ma.NewMultiaddr(s)
		if err != nil {
			return common.Address{}, fmt.Errorf("peer multiaddr %q: %v: %w", s, err, channel.ErrInvalidParams)
		}
		info, err := peer.AddrInfoFromP2pAddr(addr)
		if err != nil {
			return common.Address{}, fmt.Errorf("peer multiaddr %q must end in /p2p/<peer id>: %v: %w", s, err, channel.ErrInvalidParams)
		}
		if info.ID == n.transport.ID() {
			return common.Address{}, fmt.Errorf("peer %q is this node itself: %w", s, channel.ErrInvalidParams)
		}
		if err := n.transport.Connect(ctx, *info); err != nil {
			return common.Address{}, fmt.Errorf("connect %s: %w: %v", s, ErrPeerUnreachable, err)
		}
		return p2p.AddressFromPeerID(info.ID)
	}
	if !common.IsHexAddress(s) {
		return common.Address{}, fmt.Errorf("peer %q is neither a multiaddr nor a 0x address: %w", s, channel.ErrInvalidParams)
	}
	if a := common.HexToAddress(s); a != self {
		return a, nil
	}
	return common.Address{}, fmt.Errorf("peer %s is this node itself: %w", s, channel.ErrInvalidParams)
}

// waitSynced waits until every event up to block is applied, deposits included (they
// wait for the confirmation depth): what an open or a deposit waits for.
func (n *Node) waitSynced(ctx context.Context, block uint64) error {
	return n.waitUntil(ctx, block, func() uint64 { return n.synced.Load() })
}

// waitApplied waits until the follower has read block, which applies the events acted on
// at once (closes, withdrawals, settlements): what those operations wait for.
func (n *Node) waitApplied(ctx context.Context, block uint64) error {
	return n.waitUntil(ctx, block, func() uint64 { return n.follower.Health().Processed })
}

func (n *Node) waitUntil(ctx context.Context, block uint64, reached func() uint64) error {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for reached() < block {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for block %d to be processed: %w", block, ctx.Err())
		case <-n.ctx.Done():
			return ErrClosed
		case <-t.C:
		}
	}
	return nil
}

// Deposit tops up our side of the channel. Every call is a new deposit; see DepositWithKey.
func (n *Node) Deposit(ctx context.Context, id channel.ID, amount *big.Int) (TxResult, error) {
	return n.DepositWithKey(ctx, id, amount, "")
}

// DepositWithKey is Deposit with an idempotency key (empty: none): a retry with the same
// key joins the first deposit, or returns its result, and never deposits twice; the same
// key with another channel or amount is refused (ErrIdempotencyKeyReused).
func (n *Node) DepositWithKey(ctx context.Context, id channel.ID, amount *big.Int, key string) (TxResult, error) {
	lc := n.channel(id)
	if lc == nil {
		return TxResult{}, fmt.Errorf("deposit to channel %s: %w", id, channel.ErrUnknownChannel)
	}
	lc.mu.Lock()
	err := lc.st.ValidateDeposit(lc.us, amount)
	token := lc.st.Params().Token
	lc.mu.Unlock()
	if err != nil {
		return TxResult{}, WrapChannelError(id, err, "deposit to channel %s", id)
	}
	call := ChainCall{Kind: CallDeposit, Channel: id, Participant: n.signer.Address(), Token: token, Amount: amount}
	if err := n.ops.approve(ctx, call); err != nil {
		return TxResult{}, n.explainChainFailure(ctx, call, err)
	}
	rcpt, err := n.ops.submit(ctx, call, opIdentity{salted: true, key: key})
	if err != nil {
		return TxResult{}, n.explainChainFailure(ctx, call, err)
	}
	return rcpt.TxResult, n.waitSynced(ctx, rcpt.Block)
}

// Settle pays out a closing channel once its challenge period is over. The watcher does
// this by itself; the method is for operators who do not want to wait for a poll.
func (n *Node) Settle(ctx context.Context, id channel.ID) (TxResult, error) {
	if n.channel(id) == nil {
		return TxResult{}, fmt.Errorf("settle channel %s: %w", id, channel.ErrUnknownChannel)
	}
	rcpt, err := n.ops.submit(ctx, ChainCall{Kind: CallSettle, Channel: id}, opIdentity{})
	if err != nil {
		return TxResult{}, err
	}
	return rcpt.TxResult, n.waitApplied(ctx, rcpt.Block)
}
