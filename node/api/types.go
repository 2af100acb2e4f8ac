package api

import (
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

// NodeInfo is the result of sluice_nodeInfo.
type NodeInfo struct {
	Address     common.Address `json:"address"`
	PeerID      string         `json:"peerId"`
	ListenAddrs []string       `json:"listenAddrs"`
	ChainID     *big.Int       `json:"chainId"`
	Contract    common.Address `json:"contract"`
	Version     string         `json:"version"`
	Peers       int            `json:"peers"`
	ChainHead   uint64         `json:"chainHead"`
	SyncedBlock uint64         `json:"syncedBlock"`
	// Chain is the chain connection's health: head, processed and confirmed blocks,
	// rpcOK, lastError, since, and the on-chain operations waiting.
	Chain node.ChainHealth `json:"chain"`
	// Tower is the watchtower link's health (state up, down or unknown, lastError, since,
	// pending channels); absent when the node has no tower.
	Tower *node.TowerHealth `json:"tower,omitempty"`
	// Balance is the node account's native balance in wei as last read (every 15 s),
	// absent before the first read; the dashboard's low-gas alert reads it.
	Balance *Amount `json:"balance,omitempty"`
}

// Domain is the EIP-712 domain every signature of a channel binds to, in the shape
// eth_signTypedData_v4 expects, so a wallet can verify proofs on its own.
type Domain struct {
	Name              string         `json:"name"`
	Version           string         `json:"version"`
	ChainID           *big.Int       `json:"chainId"`
	VerifyingContract common.Address `json:"verifyingContract"`
	// Separator is the EIP-712 domain separator hash, for clients that hash by hand.
	Separator *common.Hash `json:"separator,omitempty"`
}

// Proof is a signed balance proof: the payer's signature over
// BalanceProof(bytes32 channelId,uint64 nonce,uint256 transferred,uint256 locked,bytes32 locksRoot).
// Locked and LocksRoot are absent for a direct (lock-free) proof, where both are 0.
type Proof struct {
	Channel     ChannelID    `json:"channel"`
	Nonce       uint64       `json:"nonce"`
	Transferred Amount       `json:"transferred"`
	Locked      *Amount      `json:"locked,omitempty"`
	LocksRoot   *common.Hash `json:"locksRoot,omitempty"`
	// Locks are the pending hashlocks LocksRoot commits to, in creation order (the list
	// the contract's unlock takes); given with a channel's latest proofs, absent elsewhere.
	Locks     []Lock    `json:"locks,omitempty"`
	Signature Signature `json:"signature"`
}

// Lock is one pending hashlock: Lock(uint256 amount,uint64 expiration,bytes32 secretHash).
type Lock struct {
	Amount     Amount      `json:"amount"`
	Expiration uint64      `json:"expiration"` // unix seconds of chain time, inclusive
	SecretHash common.Hash `json:"secretHash"`
}

// Channel is one channel from this node's point of view (sluice_channel, sluice_channels).
// Pairs are indexed by party: [0] is A (the opener), [1] is B.
type Channel struct {
	ID               ChannelID         `json:"id"`
	Domain           Domain            `json:"domain"`
	Participants     [2]common.Address `json:"participants"`
	Us               string            `json:"us"` // "A" or "B"
	Partner          common.Address    `json:"partner"`
	Token            common.Address    `json:"token"` // 0x0 = ETH
	ChallengePeriod  uint64            `json:"challengePeriod"`
	Status           string            `json:"status"` // open, closing, settled
	SettleAfter      uint64            `json:"settleAfter,omitempty"`
	Deposit          [2]Amount         `json:"deposit"`
	Withdrawn        [2]Amount         `json:"withdrawn"`
	Balance          [2]Amount         `json:"balance"`
	Reserved         [2]Amount         `json:"reserved"`
	LatestProofs     [2]*Proof         `json:"latestProofs"` // latest proof signed by each party; null = none yet
	SettlementSigned bool              `json:"settlementSigned"`
	Payments         uint64            `json:"payments"`
	// OutOfPolicy says why the channel is outside the node's channel policy: payments to
	// the node on it are refused, closing it works. Absent when it is within the policy.
	OutOfPolicy string `json:"outOfPolicy,omitempty"`
	// LastProofAt is when this node last signed or accepted a proof on the channel since
	// it started; absent when it has not.
	LastProofAt *time.Time `json:"lastProofAt,omitempty"`
	// Defense is, while closing, where the watcher's defense stands: outstanding,
	// submitting, on_chain or lost; absent when there is nothing to defend.
	Defense string `json:"defense,omitempty"`
}

// Payment is one recorded payment with the proof that carried it.
type Payment struct {
	PaymentID PaymentID `json:"paymentId"`
	Channel   ChannelID `json:"channel"`
	Direction string    `json:"direction"` // sent or received
	Amount    Amount    `json:"amount"`
	Proof     Proof     `json:"proof"`
	Time      time.Time `json:"time"`
	Memo      string    `json:"memo,omitempty"`
	// Client is the API client (risk policy name) that made an outgoing payment.
	Client string `json:"client,omitempty"`
	// LatencyMicros is the time from request to the peer's Ack, for outgoing payments.
	LatencyMicros int64 `json:"latencyMicros,omitempty"`
	// Repeat is set by sluice_pay when the payment id was already used by an earlier call:
	// nothing new was signed, and the payment that call made is acknowledged by the peer.
	Repeat bool `json:"repeat,omitempty"`
	// Fee and Route are set by sluice_pay with `to`: what the hubs kept in total and the
	// route taken (Channel is then its first hop, Amount what the payee received).
	Fee   *Amount     `json:"fee,omitempty"`
	Route *RouteQuote `json:"route,omitempty"`
	// Routed is set on the routed payment log's entries (sluice_payments with routed,
	// sluice_payment, the routedPayments subscription): role, lock state, channels.
	Routed *RoutedInfo `json:"routed,omitempty"`
	// Attempts is how many routes sluice_pay with `to` tried (ADR 0026: a refused route
	// is retried on another).
	Attempts int `json:"attempts,omitempty"`
}

// PaymentPage is the result of sluice_payments; pass Next back as cursor for more.
type PaymentPage struct {
	Payments []Payment `json:"payments"`
	Next     string    `json:"next,omitempty"`
}

// TxResult reports a mined transaction.
type TxResult struct {
	TxHash  common.Hash `json:"txHash"`
	Block   uint64      `json:"block"`
	GasUsed uint64      `json:"gasUsed"`
}

// CloseResult is the result of sluice_closeChannel.
type CloseResult struct {
	TxResult
	Cooperative bool      `json:"cooperative"`
	SettleAfter uint64    `json:"settleAfter,omitempty"` // unilateral: when settle becomes possible
	Balances    [2]Amount `json:"balances"`              // cooperative: what was paid out
}

// ChannelEvent is a lifecycle change delivered to "channelEvents" subscribers.
type ChannelEvent struct {
	Channel ChannelID   `json:"channel"`
	Kind    string      `json:"kind"`
	Status  string      `json:"status"`
	Block   uint64      `json:"block,omitempty"`
	TxHash  common.Hash `json:"txHash"`
	Time    time.Time   `json:"time"`
}

func nodeInfoJSON(v node.NodeInfo) NodeInfo {
	addrs := v.ListenAddrs
	if addrs == nil {
		addrs = []string{}
	}
	out := NodeInfo{
		Address: v.Address, PeerID: v.PeerID, ListenAddrs: addrs, ChainID: v.ChainID,
		Contract: v.Contract, Version: v.Version, Peers: v.Peers,
		ChainHead: v.ChainHead, SyncedBlock: v.SyncedBlock, Chain: v.Chain, Tower: v.Tower,
	}
	if v.Balance != nil {
		b := NewAmount(v.Balance)
		out.Balance = &b
	}
	return out
}

func domainJSON(d channel.Domain) Domain {
	out := Domain{Name: "Sluice", Version: "1", ChainID: d.ChainID, VerifyingContract: d.Contract}
	if d.ChainID != nil {
		if sep, err := d.Separator(); err == nil {
			out.Separator = &sep
		}
	}
	return out
}

func proofJSON(p channel.SignedProof) Proof {
	out := Proof{
		Channel:     ChannelID(p.Channel),
		Nonce:       p.Nonce,
		Transferred: NewAmount(p.Transferred),
		Signature:   Signature(p.Sig),
	}
	if (p.Locked != nil && p.Locked.Sign() != 0) || p.LocksRoot != ([32]byte{}) {
		locked, root := NewAmount(p.Locked), common.Hash(p.LocksRoot)
		out.Locked, out.LocksRoot = &locked, &root
	}
	return out
}

func pairJSON(v [2]*big.Int) [2]Amount { return [2]Amount{NewAmount(v[0]), NewAmount(v[1])} }

func channelJSON(v node.ChannelView) Channel {
	out := Channel{
		ID:               ChannelID(v.ID),
		Domain:           domainJSON(v.Domain),
		Participants:     v.Participants,
		Us:               v.Us.String(),
		Partner:          v.Participants[v.Us.Other()],
		Token:            v.Token,
		ChallengePeriod:  v.ChallengePeriod,
		Status:           v.Status.String(),
		SettleAfter:      v.SettleAfter,
		Deposit:          pairJSON(v.Deposit),
		Withdrawn:        pairJSON(v.Withdrawn),
		Balance:          pairJSON(v.Balance),
		Reserved:         pairJSON(v.Reserved),
		SettlementSigned: v.SettlementSigned,
		Payments:         v.Payments,
		OutOfPolicy:      v.OutOfPolicy,
		Defense:          v.Defense,
	}
	if !v.LastProofAt.IsZero() {
		t := v.LastProofAt.UTC()
		out.LastProofAt = &t
	}
	for i, p := range v.Sent {
		if p.Nonce == 0 {
			continue
		}
		pj := proofJSON(p)
		for _, l := range v.Locks[i] {
			pj.Locks = append(pj.Locks, Lock{Amount: NewAmount(l.Amount), Expiration: l.Expiration, SecretHash: l.SecretHash})
		}
		out.LatestProofs[i] = &pj
	}
	return out
}

func paymentJSON(v node.PaymentView) Payment {
	return Payment{
		PaymentID:     PaymentID(v.PaymentID),
		Channel:       ChannelID(v.Channel),
		Direction:     v.Direction.String(),
		Amount:        NewAmount(v.Amount),
		Proof:         proofJSON(v.Proof),
		Time:          v.Time.UTC(),
		Memo:          v.Memo,
		Client:        v.Client,
		LatencyMicros: v.Latency.Microseconds(),
		Repeat:        v.Repeat,
	}
}

func txJSON(v node.TxResult) TxResult {
	return TxResult{TxHash: v.TxHash, Block: v.Block, GasUsed: v.GasUsed}
}

func closeJSON(v node.CloseResult) CloseResult {
	return CloseResult{
		TxResult:    txJSON(v.TxResult),
		Cooperative: v.Cooperative,
		SettleAfter: v.SettleAfter,
		Balances:    pairJSON(v.Balances),
	}
}

func channelEventJSON(v node.ChannelEvent) ChannelEvent {
	return ChannelEvent{
		Channel: ChannelID(v.Channel), Kind: v.Kind, Status: v.Status.String(),
		Block: v.Block, TxHash: v.TxHash, Time: v.Time.UTC(),
	}
}
