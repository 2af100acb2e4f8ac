package main

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

// stubBackend is a node with one channel and a payment log, enough to drive the client
// commands through a real API server.
type stubBackend struct {
	mu       sync.Mutex
	payments []node.PaymentView
	subs     []chan<- node.PaymentView
}

var (
	stubChannel  = channel.ID{0x42}
	stubUs       = common.HexToAddress("0x000000000000000000000000000000000000a11c")
	stubPartner  = common.HexToAddress("0x0000000000000000000000000000000000000b0b")
	stubContract = common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")
)

func (s *stubBackend) view() node.ChannelView {
	s.mu.Lock()
	defer s.mu.Unlock()
	sent := big.NewInt(0)
	var last channel.SignedProof
	for _, p := range s.payments {
		sent.Add(sent, p.Amount)
		last = p.Proof
	}
	return node.ChannelView{
		ID: stubChannel, Domain: channel.Domain{ChainID: big.NewInt(31337), Contract: stubContract},
		Participants: [2]common.Address{stubUs, stubPartner}, Us: channel.PartyA,
		ChallengePeriod: 60, Status: channel.StatusOpen,
		Deposit:   [2]*big.Int{big.NewInt(1000), big.NewInt(0)},
		Withdrawn: [2]*big.Int{big.NewInt(0), big.NewInt(0)},
		Balance:   [2]*big.Int{new(big.Int).Sub(big.NewInt(1000), sent), sent},
		Reserved:  [2]*big.Int{big.NewInt(0), big.NewInt(0)},
		Sent:      [2]channel.SignedProof{last, {}},
		Payments:  uint64(len(s.payments)),
	}
}

func (s *stubBackend) Info(context.Context) (node.NodeInfo, error) {
	return node.NodeInfo{Address: stubUs, ChainID: big.NewInt(31337), Contract: stubContract, Version: "stub"}, nil
}

func (s *stubBackend) OpenChannel(context.Context, node.OpenRequest) (node.ChannelView, error) {
	return s.view(), nil
}

func (s *stubBackend) DepositWithKey(_ context.Context, id channel.ID, _ *big.Int, _ string) (node.TxResult, error) {
	if id != stubChannel {
		return node.TxResult{}, fmt.Errorf("deposit to channel %s: %w", id, channel.ErrUnknownChannel)
	}
	return node.TxResult{TxHash: common.Hash{9}, Block: 12, GasUsed: 40000}, nil
}

func (s *stubBackend) Withdraw(ctx context.Context, id channel.ID, amount *big.Int) (node.TxResult, error) {
	return s.DepositWithKey(ctx, id, amount, "")
}

func (s *stubBackend) Pay(_ context.Context, req node.PayRequest) (node.PaymentView, error) {
	if req.Channel != stubChannel {
		return node.PaymentView{}, fmt.Errorf("pay on channel %s: %w", req.Channel, channel.ErrUnknownChannel)
	}
	v := s.view()
	if req.Amount.Cmp(v.Balance[0]) > 0 {
		return node.PaymentView{}, fmt.Errorf("pay %s on channel %s: %w", req.Amount, req.Channel, channel.ErrOverdraft)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.payments {
		if req.PaymentID != ([16]byte{}) && p.PaymentID == req.PaymentID {
			p.Repeat = true
			return p, nil
		}
	}
	nonce := uint64(len(s.payments) + 1)
	transferred := new(big.Int).Add(v.Balance[1], req.Amount)
	p := node.PaymentView{
		PaymentID: req.PaymentID, Channel: req.Channel, Direction: node.Outgoing, Amount: req.Amount, Memo: req.Memo,
		Proof: channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: req.Channel, Nonce: nonce, Transferred: transferred}},
		Time:  time.Now(), Latency: time.Millisecond,
	}
	p.Proof.Sig[64] = 27
	s.payments = append(s.payments, p)
	for _, ch := range s.subs {
		select {
		case ch <- p:
		default:
		}
	}
	return p, nil
}

func (s *stubBackend) Channels(context.Context, node.ChannelFilter) ([]node.ChannelView, error) {
	return []node.ChannelView{s.view()}, nil
}

func (s *stubBackend) Channel(_ context.Context, id channel.ID) (node.ChannelView, error) {
	if id != stubChannel {
		return node.ChannelView{}, fmt.Errorf("channel %s: %w", id, channel.ErrUnknownChannel)
	}
	return s.view(), nil
}

// Payments pages two at a time so the export has to follow cursors.
func (s *stubBackend) Payments(_ context.Context, q node.PaymentQuery) (node.PaymentPage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := 0
	if q.Cursor != "" {
		if _, err := fmt.Sscan(q.Cursor, &start); err != nil {
			return node.PaymentPage{}, fmt.Errorf("cursor %q: %w", q.Cursor, err)
		}
	}
	end := min(start+2, len(s.payments))
	page := node.PaymentPage{Payments: append([]node.PaymentView(nil), s.payments[start:end]...)}
	if end < len(s.payments) {
		page.Next = fmt.Sprint(end)
	}
	return page, nil
}

func (s *stubBackend) CloseChannel(context.Context, channel.ID, bool) (node.CloseResult, error) {
	return node.CloseResult{Cooperative: true, Balances: [2]*big.Int{big.NewInt(1), big.NewInt(2)}}, nil
}

func (s *stubBackend) Settle(ctx context.Context, id channel.ID) (node.TxResult, error) {
	return s.DepositWithKey(ctx, id, nil, "")
}

func (s *stubBackend) SubscribePayments(ch chan<- node.PaymentView) func() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subs = append(s.subs, ch)
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for i, c := range s.subs {
			if c == ch {
				s.subs = append(s.subs[:i], s.subs[i+1:]...)
				return
			}
		}
	}
}

func (s *stubBackend) subscribers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.subs)
}

func (s *stubBackend) SubscribeChannelEvents(chan<- node.ChannelEvent) func() { return func() {} }
