package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

// Limits the API enforces before anything reaches the node.
const (
	maxMemoBytes       = channel.MaxMemoSize
	maxPageLimit       = 1000
	maxChallengePeriod = 30 * 24 * time.Hour // the contract's MAX_CHALLENGE_PERIOD
	maxPeerChars       = 512
)

// service holds the request/response methods of the "sluice" namespace. go-ethereum's rpc
// package exposes each exported method as sluice_<lowerCamelName>.
type service struct {
	b Backend
	// routed pays by address (sluice_pay with `to`); nil when the backend cannot.
	routed RoutedPayer
	// timeout bounds every call. HTTP calls are also bounded by the server's write
	// timeout; WebSocket calls have only this.
	timeout time.Duration
}

func (s *service) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// OpenChannelArgs are the parameters of sluice_openChannel.
type OpenChannelArgs struct {
	Peer            string          `json:"peer"`            // multiaddr ending in /p2p/<id>, or the 0x address of a known peer
	Token           *common.Address `json:"token,omitempty"` // absent or 0x0 = ETH
	Deposit         Amount          `json:"deposit"`
	ChallengePeriod uint64          `json:"challengePeriod,omitempty"` // seconds; 0 = the node's default
	// IdempotencyKey makes a retry safe: a request with a key already used joins (or
	// returns) that open instead of opening another; other parameters with it are refused.
	IdempotencyKey string `json:"idempotencyKey,omitempty"`
}

// DepositOptions are the optional third parameter of sluice_deposit.
type DepositOptions struct {
	IdempotencyKey string `json:"idempotencyKey,omitempty"` // as for sluice_openChannel
}

func checkIdempotencyKey(key string) error {
	if len(key) > node.MaxIdempotencyKeyLen {
		return invalidParams("idempotencyKey is %d bytes; at most %d", len(key), node.MaxIdempotencyKeyLen)
	}
	return nil
}

// PayArgs are the parameters of sluice_pay.
type PayArgs struct {
	Channel   *ChannelID `json:"channel"`
	Amount    Amount     `json:"amount"`
	PaymentID *PaymentID `json:"paymentId,omitempty"` // idempotency key; absent = the node picks one; all zeros is refused
	Memo      string     `json:"memo,omitempty"`
	// To pays this address over a route instead of a channel (a partner is a 1-hop
	// route); MaxFee bounds the hubs' fees. SecretHash is optional (the payee's own
	// sluice_invoice): without it the node asks the payee for a signed invoice over the
	// route, which carries Memo to the payee.
	To         *common.Address `json:"to,omitempty"`
	MaxFee     *Amount         `json:"maxFee,omitempty"`
	SecretHash *common.Hash    `json:"secretHash,omitempty"`
}

// ChannelsArgs filter sluice_channels; every field is optional.
type ChannelsArgs struct {
	Status string          `json:"status,omitempty"` // open, closing, settled; empty or "any" = all
	Peer   *common.Address `json:"peer,omitempty"`
}

// PaymentsArgs page through sluice_payments; every field is optional.
type PaymentsArgs struct {
	Channel *ChannelID `json:"channel,omitempty"`
	Cursor  string     `json:"cursor,omitempty"`
	Limit   int        `json:"limit,omitempty"` // 0 = 100, at most 1000
	// Routed lists the routed payment log instead (route, fees, lock state; admin only).
	Routed bool `json:"routed,omitempty"`
}

// NodeInfo describes the node.
func (s *service) NodeInfo(ctx context.Context) (NodeInfo, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	v, err := s.b.Info(ctx)
	if err != nil {
		return NodeInfo{}, toRPCError(err)
	}
	return nodeInfoJSON(v), nil
}

// OpenChannel opens a channel with a peer and locks our deposit in it.
func (s *service) OpenChannel(ctx context.Context, args OpenChannelArgs) (Channel, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	peer := strings.TrimSpace(args.Peer)
	if peer == "" {
		return Channel{}, invalidParams("peer is required (a multiaddr ending in /p2p/<id>, or a known peer's 0x address)")
	}
	if len(peer) > maxPeerChars {
		return Channel{}, invalidParams("peer is %d characters long; at most %d", len(peer), maxPeerChars)
	}
	deposit, err := requirePositive("deposit", args.Deposit)
	if err != nil {
		return Channel{}, err
	}
	period := time.Duration(args.ChallengePeriod) * time.Second
	if args.ChallengePeriod > uint64(maxChallengePeriod/time.Second) {
		return Channel{}, invalidParams("challengePeriod %d s exceeds the contract maximum of %d s (30 days)", args.ChallengePeriod, uint64(maxChallengePeriod/time.Second))
	}
	if err := checkIdempotencyKey(args.IdempotencyKey); err != nil {
		return Channel{}, err
	}
	req := node.OpenRequest{Peer: peer, Deposit: deposit, ChallengePeriod: period, IdempotencyKey: args.IdempotencyKey}
	if args.Token != nil {
		req.Token = *args.Token
	}
	v, err := s.b.OpenChannel(ctx, req)
	if err != nil {
		return Channel{}, toRPCError(err)
	}
	return channelJSON(v), nil
}

// Deposit tops up our side of an open channel; opts (optional) carries an idempotency key.
func (s *service) Deposit(ctx context.Context, id ChannelID, amount Amount, opts *DepositOptions) (TxResult, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	v, err := requirePositive("amount", amount)
	if err != nil {
		return TxResult{}, err
	}
	var key string
	if opts != nil {
		key = opts.IdempotencyKey
	}
	if err := checkIdempotencyKey(key); err != nil {
		return TxResult{}, err
	}
	res, err := s.b.DepositWithKey(ctx, channel.ID(id), v, key)
	if err != nil {
		return TxResult{}, toRPCError(err)
	}
	return txJSON(res), nil
}

// Withdraw takes amount out of our side of an open channel, co-signed by the peer.
func (s *service) Withdraw(ctx context.Context, id ChannelID, amount Amount) (TxResult, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	v, err := requirePositive("amount", amount)
	if err != nil {
		return TxResult{}, err
	}
	res, err := s.b.Withdraw(ctx, channel.ID(id), v)
	if err != nil {
		return TxResult{}, toRPCError(err)
	}
	return txJSON(res), nil
}

// Pay pays over a channel and returns once the peer acknowledged the durable proof.
func (s *service) Pay(ctx context.Context, args PayArgs) (Payment, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if args.To != nil {
		return s.payTo(ctx, args)
	}
	if args.Channel == nil {
		return Payment{}, invalidParams("channel is required (or to, an address to pay over a route)")
	}
	amount, err := requirePositive("amount", args.Amount)
	if err != nil {
		return Payment{}, err
	}
	if len(args.Memo) > maxMemoBytes {
		return Payment{}, invalidParams("memo is %d bytes; at most %d", len(args.Memo), maxMemoBytes)
	}
	req := node.PayRequest{Channel: channel.ID(*args.Channel), Amount: amount, Memo: args.Memo}
	if args.PaymentID != nil {
		if args.PaymentID.IsZero() {
			// The node reads a zero id as "none" and picks a random one, so a retry with
			// it would pay again: refuse it rather than lose the idempotency asked for.
			return Payment{}, invalidParams("paymentId %s (all zeros) is not a usable idempotency key: omit paymentId and the node picks a random one, or send your own random 16 bytes", args.PaymentID)
		}
		req.PaymentID = *args.PaymentID
	}
	v, err := s.b.Pay(ctx, req)
	if err != nil {
		return Payment{}, toRPCError(err)
	}
	return paymentJSON(v), nil
}

// Channels lists channels, optionally filtered by status and peer.
func (s *service) Channels(ctx context.Context, args *ChannelsArgs) ([]Channel, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var filter node.ChannelFilter
	if args != nil {
		st, err := ParseStatus(args.Status)
		if err != nil {
			return nil, invalidParams("%v", err)
		}
		filter.Status = st
		if args.Peer != nil {
			filter.Peer = *args.Peer
		}
	}
	views, err := s.b.Channels(ctx, filter)
	if err != nil {
		return nil, toRPCError(err)
	}
	out := make([]Channel, 0, len(views))
	for _, v := range views {
		out = append(out, channelJSON(v))
	}
	return out, nil
}

// Channel shows one channel, with its EIP-712 domain and the latest proofs.
func (s *service) Channel(ctx context.Context, id ChannelID) (Channel, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	v, err := s.b.Channel(ctx, channel.ID(id))
	if err != nil {
		return Channel{}, toRPCError(err)
	}
	return channelJSON(v), nil
}

// Payments pages through the payment log, oldest first, each with its signed proof.
func (s *service) Payments(ctx context.Context, args *PaymentsArgs) (PaymentPage, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var q node.PaymentQuery
	if args != nil {
		if args.Limit < 0 || args.Limit > maxPageLimit {
			return PaymentPage{}, invalidParams("limit %d is out of range 0..%d", args.Limit, maxPageLimit)
		}
		q.Limit = args.Limit
		q.Cursor = args.Cursor
		if args.Routed {
			return s.routedPayments(ctx, args)
		}
		if args.Channel != nil {
			q.Channel = channel.ID(*args.Channel)
		}
	}
	page, err := s.b.Payments(ctx, q)
	if err != nil {
		return PaymentPage{}, toRPCError(err)
	}
	out := PaymentPage{Payments: make([]Payment, 0, len(page.Payments)), Next: page.Next}
	for _, p := range page.Payments {
		out.Payments = append(out.Payments, paymentJSON(p))
	}
	return out, nil
}

// CloseChannel closes cooperatively, or unilaterally when force is true.
func (s *service) CloseChannel(ctx context.Context, id ChannelID, force *bool) (CloseResult, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	res, err := s.b.CloseChannel(ctx, channel.ID(id), force != nil && *force)
	if err != nil {
		return CloseResult{}, toRPCError(err)
	}
	return closeJSON(res), nil
}

// Settle pays out a unilaterally closed channel once its challenge period is over.
func (s *service) Settle(ctx context.Context, id ChannelID) (TxResult, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	res, err := s.b.Settle(ctx, channel.ID(id))
	if err != nil {
		return TxResult{}, s.explainEarlySettle(ctx, channel.ID(id), toRPCError(err))
	}
	return txJSON(res), nil
}

// explainEarlySettle tells the caller when a settle that failed during the challenge period
// can succeed. The contract's ChallengePeriodNotOver arrives as CodeChallengePending and is
// trusted as is; an undecoded revert is reclassified only while our view of the channel says
// the period is still running.
func (s *service) explainEarlySettle(ctx context.Context, id channel.ID, err error) error {
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		return err
	}
	pending := apiErr.Code == CodeChallengePending
	if !pending && apiErr.Code != CodeInternal && apiErr.Code != CodeChainFailure {
		return err
	}
	v, verr := s.b.Channel(ctx, id)
	if verr != nil || v.Status != channel.StatusClosing || v.SettleAfter == 0 {
		return err
	}
	after := time.Unix(int64(v.SettleAfter), 0).UTC()
	if !pending && !time.Now().Before(after) {
		return err
	}
	return &Error{Code: CodeChallengePending, Kind: "challenge_pending",
		Message: fmt.Sprintf("settle channel %s: the challenge period runs until %s (chain time); try again then (%s)", id, after.Format(time.RFC3339), apiErr.Message)}
}

// ParseStatus reads a channel status filter: open, closing, settled, or ""/"any" for all.
func ParseStatus(s string) (channel.Status, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "any", "all":
		return channel.StatusNone, nil
	case "open":
		return channel.StatusOpen, nil
	case "closing":
		return channel.StatusClosing, nil
	case "settled":
		return channel.StatusSettled, nil
	}
	return channel.StatusNone, fmt.Errorf("status %q is not one of open, closing, settled, any", truncate(s))
}
