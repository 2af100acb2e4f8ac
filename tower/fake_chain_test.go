package tower

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/tower/wire"
)

// fakeChain answers the tower's chain calls from memory and applies updateProofFor by
// the contract's rule (signer's slot, higher nonce, before settleAfter).
type fakeChain struct {
	domain channel.Domain

	mu      sync.Mutex
	head    contracts.Head
	views   map[channel.ID]contracts.ChannelView
	events  []contracts.Event
	updates []channel.SignedProof
	down    bool
	// failUpdates makes that many updateProofFor calls fail as a dropped transaction would.
	failUpdates int
	// hang makes updateProofFor wait for its context, as a transaction never mined would.
	hang    bool
	queries [][]channel.ID // ids of every EndEvents call
}

var errChainDown = errors.New("chain down")

func newFakeChain() *fakeChain {
	return &fakeChain{
		domain: channel.Domain{ChainID: big.NewInt(31337), Contract: common.HexToAddress("0x5100000000000000000000000000000000000001")},
		head:   contracts.Head{Number: 100, Time: 1_000_000},
		views:  map[channel.ID]contracts.ChannelView{},
	}
}

func (f *fakeChain) Domain() channel.Domain { return f.domain }

func (f *fakeChain) Head(context.Context) (contracts.Head, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return contracts.Head{}, errChainDown
	}
	return f.head, nil
}

func (f *fakeChain) Channel(_ context.Context, id channel.ID) (contracts.ChannelView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return contracts.ChannelView{}, errChainDown
	}
	return f.views[id], nil
}

func (f *fakeChain) EndEvents(_ context.Context, from, to uint64, ids []channel.ID) ([]contracts.Event, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return nil, errChainDown
	}
	f.queries = append(f.queries, ids)
	want := map[channel.ID]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var out []contracts.Event
	for _, ev := range f.events {
		var id channel.ID
		switch ev := ev.(type) {
		case contracts.ChannelClosed:
			id = ev.ID
		case contracts.ChannelSettled:
			id = ev.ID
		}
		if b := ev.Meta().Block; b >= from && b <= to && (len(ids) == 0 || want[id]) {
			out = append(out, ev)
		}
	}
	return out, nil
}

func (f *fakeChain) UpdateProofFor(ctx context.Context, p channel.SignedProof, endorsement channel.Signature) (*types.Receipt, error) {
	f.mu.Lock()
	if f.hang {
		f.mu.Unlock()
		<-ctx.Done()
		return nil, ctx.Err()
	}
	defer f.mu.Unlock()
	if f.failUpdates > 0 {
		f.failUpdates--
		return nil, errors.New("fake: transaction dropped")
	}
	v := f.views[p.Channel]
	if v.Status != channel.StatusClosing || f.head.Time > v.SettleAfter {
		return nil, errors.New("fake: not disputable")
	}
	payer, err := f.domain.BalanceProofDigest(p.BalanceProof)
	if err != nil {
		return nil, err
	}
	signer, err := channel.Recover(payer, p.Sig)
	if err != nil {
		return nil, err
	}
	ed, _ := f.domain.EndorsementDigest(p.BalanceProof)
	endorser, err := channel.Recover(ed, endorsement)
	if err != nil {
		return nil, err
	}
	switch {
	case signer == v.A && endorser == v.B:
		if p.Nonce <= v.NonceA {
			return nil, contracts.ErrStaleNonce
		}
		v.NonceA, v.TransferredA = p.Nonce, p.Transferred
	case signer == v.B && endorser == v.A:
		if p.Nonce <= v.NonceB {
			return nil, contracts.ErrStaleNonce
		}
		v.NonceB, v.TransferredB = p.Nonce, p.Transferred
	default:
		return nil, errors.New("fake: wrong signer or endorser")
	}
	f.views[p.Channel] = v
	f.updates = append(f.updates, p)
	return &types.Receipt{Status: 1, BlockNumber: big.NewInt(int64(f.head.Number))}, nil
}

func (f *fakeChain) set(id channel.ID, v contracts.ChannelView) {
	f.mu.Lock()
	f.views[id] = v
	f.mu.Unlock()
}

// closeChannel records a close at the next block.
func (f *fakeChain) closeChannel(id channel.ID, closer common.Address, period uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.head.Number++
	v := f.views[id]
	v.Status, v.SettleAfter = channel.StatusClosing, f.head.Time+period
	f.views[id] = v
	f.events = append(f.events, contracts.ChannelClosed{
		EventMeta: contracts.EventMeta{Block: f.head.Number}, ID: id, Closer: closer, SettleAfter: v.SettleAfter,
	})
}

// settleChannel records a settlement (cooperative or not) at the next block.
func (f *fakeChain) settleChannel(id channel.ID) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.head.Number++
	v := f.views[id]
	v.Status = channel.StatusSettled
	f.views[id] = v
	f.events = append(f.events, contracts.ChannelSettled{EventMeta: contracts.EventMeta{Block: f.head.Number}, ID: id, Cooperative: true})
}

func (f *fakeChain) updateCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.updates)
}

// party is a test participant.
type party struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

func newParty(t testing.TB) party {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return party{key: k, addr: crypto.PubkeyToAddress(k.PublicKey)}
}

func (p party) sign(t testing.TB, digest common.Hash) channel.Signature {
	t.Helper()
	s, err := channel.NewKeySigner(p.key)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := s.SignDigest(digest)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// registration builds a Register of payer's proof (nonce, amount) endorsed by endorser.
func registration(t testing.TB, d channel.Domain, id channel.ID, nonce uint64, amount int64, payer, endorser party) *wire.Register {
	t.Helper()
	return lockedRegistration(t, d, channel.BalanceProof{Channel: id, Nonce: nonce, Transferred: big.NewInt(amount)}, payer, endorser)
}

// lockedRegistration signs bp as it is, locked and locksRoot included.
func lockedRegistration(t testing.TB, d channel.Domain, bp channel.BalanceProof, payer, endorser party) *wire.Register {
	t.Helper()
	pd, err := d.BalanceProofDigest(bp)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := d.EndorsementDigest(bp)
	if err != nil {
		t.Fatal(err)
	}
	return &wire.Register{Channel: bp.Channel, Nonce: bp.Nonce, Transferred: bp.Transferred, Locked: bp.Locked, LocksRoot: bp.LocksRoot, Sig: payer.sign(t, pd), Endorsement: endorser.sign(t, ed)}
}

func openView(a, b party) contracts.ChannelView {
	return contracts.ChannelView{
		A: a.addr, B: b.addr, Status: channel.StatusOpen, ChallengePeriod: 3600,
		DepositA: big.NewInt(1e18), DepositB: big.NewInt(1e18), WithdrawnA: new(big.Int), WithdrawnB: new(big.Int),
		TransferredA: new(big.Int), TransferredB: new(big.Int),
	}
}

// mine advances the head by n empty blocks.
func (f *fakeChain) mine(n uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.head.Number += n
	f.head.Time += 12 * n
}

// reorgNonceA takes a recorded proof of a's payments off the chain, as a reorg that drops
// the block of a defense does.
func (f *fakeChain) reorgNonceA(id channel.ID, nonce uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.views[id]
	v.NonceA = nonce
	f.views[id] = v
}
