package node

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/chain/follow"
	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/bindings"
)

// ChainBackend is an injected chain connection, e.g. the devchain's client.
type ChainBackend = contracts.Backend

// contractChain adapts contracts.Client to Chain. Writes use the client's two-phase API
// (PrepareTx, Broadcast, WaitTx): the node must persist a signed transaction before it
// broadcasts it, which the one-call writes (sign, send, wait) cannot offer.
type contractChain struct {
	c       *contracts.Client
	backend contracts.Backend
	from    common.Address
	abi     *bindings.SluiceChannels
	// maxFeeCap bounds the fee cap of a replacement transaction (nil: no ceiling).
	maxFeeCap *big.Int
	// timeout bounds every call but Wait (which the caller bounds): a stalled RPC must
	// show as an error within seconds, not hang the watcher or an operation.
	timeout time.Duration
}

// bound gives one chain call its deadline.
func (cc *contractChain) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, cc.timeout)
}

func dialChain(ctx context.Context, c Config) (Chain, error) {
	opts := contracts.Options{Logger: c.Logger}
	var (
		cl  *contracts.Client
		err error
	)
	if c.ChainURL != "" {
		cl, err = contracts.Dial(ctx, c.ChainURL, c.Contract, c.Key, opts)
	} else {
		cl, err = contracts.New(ctx, c.ChainBackend, c.Contract, c.Key, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("connect chain: %w", err)
	}
	// A node pointed at the wrong address used to start and log "node running"; every
	// signature it then made would have been for a contract that is not there.
	if err := cl.VerifyContract(ctx); err != nil {
		cl.Disconnect()
		return nil, fmt.Errorf("connect chain: %w", err)
	}
	return &contractChain{
		c:         cl,
		backend:   cl.Backend(),
		from:      crypto.PubkeyToAddress(c.Key.PublicKey),
		abi:       bindings.NewSluiceChannels(),
		maxFeeCap: c.MaxFeeCap,
		timeout:   c.CallTimeout,
	}, nil
}

func (cc *contractChain) Domain() channel.Domain { return cc.c.Domain() }

func (cc *contractChain) Close() error {
	cc.c.Disconnect()
	return nil
}

func (cc *contractChain) Head(ctx context.Context) (uint64, uint64, error) {
	h, err := cc.Latest(ctx)
	return h.Number, h.Time, err
}

func (cc *contractChain) Latest(ctx context.Context) (follow.Header, error) {
	return cc.header(ctx, nil)
}

func (cc *contractChain) Header(ctx context.Context, number uint64) (follow.Header, error) {
	return cc.header(ctx, new(big.Int).SetUint64(number))
}

func (cc *contractChain) header(ctx context.Context, number *big.Int) (follow.Header, error) {
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	h, err := cc.backend.HeaderByNumber(ctx, number)
	if err != nil {
		which := "head"
		if number != nil {
			which = "block " + number.String()
		}
		return follow.Header{}, fmt.Errorf("header of %s: %w", which, err)
	}
	return follow.Header{Number: h.Number.Uint64(), Hash: h.Hash(), Parent: h.ParentHash, Time: h.Time}, nil
}

func (cc *contractChain) Channel(ctx context.Context, id channel.ID) (OnChainChannel, error) {
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	v, err := cc.c.Channel(ctx, id)
	if err != nil {
		return OnChainChannel{}, err
	}
	return OnChainChannel{
		Participants: v.Participants(), Token: v.Token, Status: v.Status,
		ChallengePeriod: v.ChallengePeriod, SettleAfter: v.SettleAfter,
		Deposit:   [2]*big.Int{v.DepositA, v.DepositB},
		Withdrawn: [2]*big.Int{v.WithdrawnA, v.WithdrawnB},
		Nonce:     [2]uint64{v.NonceA, v.NonceB}, Transferred: [2]*big.Int{v.TransferredA, v.TransferredB},
	}, nil
}

func (cc *contractChain) Events(ctx context.Context, from, to uint64, q EventQuery) ([]ChainEvent, error) {
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	var (
		evs []contracts.Event
		err error
	)
	if q.Participant == (common.Address{}) && len(q.Channels) == 0 {
		evs, err = cc.c.EventsInRange(ctx, from, to)
	} else {
		evs, err = cc.c.EventsOf(ctx, from, to, q.Participant, q.Channels)
	}
	if err != nil {
		return nil, err
	}
	out := make([]ChainEvent, 0, len(evs))
	for _, e := range evs {
		if ce, ok := convertEvent(e); ok {
			out = append(out, ce)
		}
	}
	return out, nil
}

func convertEvent(e contracts.Event) (ChainEvent, bool) {
	m := e.Meta()
	ce := ChainEvent{Block: m.Block, BlockHash: m.BlockHash, LogIndex: m.LogIndex, TxHash: m.TxHash}
	switch ev := e.(type) {
	case contracts.ChannelOpened:
		ce.Kind, ce.Channel, ce.A, ce.B, ce.Token, ce.Amount, ce.ChallengePeriod = EventOpened, ev.ID, ev.A, ev.B, ev.Token, ev.Deposit, ev.ChallengePeriod
	case contracts.Deposited:
		ce.Kind, ce.Channel, ce.Participant, ce.Amount, ce.Total = EventDeposited, ev.ID, ev.Participant, ev.Amount, ev.TotalDeposit
	case contracts.Withdrawn:
		ce.Kind, ce.Channel, ce.Participant, ce.Amount, ce.Total = EventWithdrawn, ev.ID, ev.Participant, ev.Amount, ev.TotalWithdrawn
	case contracts.ChannelClosed:
		ce.Kind, ce.Channel, ce.Participant, ce.Nonce, ce.Transferred, ce.SettleAfter = EventClosed, ev.ID, ev.Closer, ev.Nonce, ev.Transferred, ev.SettleAfter
	case contracts.ProofUpdated:
		ce.Kind, ce.Channel, ce.Participant, ce.Nonce, ce.Transferred = EventProofUpdated, ev.ID, ev.Signer, ev.Nonce, ev.Transferred
	case contracts.ChannelSettled:
		ce.Kind, ce.Channel, ce.Balances, ce.Cooperative = EventSettled, ev.ID, [2]*big.Int{ev.BalanceA, ev.BalanceB}, ev.Cooperative
	case contracts.LocksHeld:
		ce.Kind, ce.Channel, ce.Participant, ce.Amount, ce.Total, ce.LocksRoot = EventLocksHeld, ev.ID, ev.Sender, ev.Locked, ev.Held, ev.LocksRoot
	case contracts.Unlocked:
		ce.Kind, ce.Channel, ce.Participant, ce.Amount, ce.Returned = EventUnlocked, ev.ID, ev.Sender, ev.ToReceiver, ev.ToSender
	default:
		return ChainEvent{}, false
	}
	return ce, true
}

// pack encodes call's calldata and the ETH it carries.
func (cc *contractChain) pack(call ChainCall) ([]byte, *big.Int, error) {
	zero := new(big.Int)
	nz := func(x *big.Int) *big.Int {
		if x == nil {
			return zero
		}
		return x
	}
	switch call.Kind {
	case CallOpen:
		d, err := cc.abi.TryPackOpen(call.Partner, call.Token, nz(call.Amount), call.ChallengePeriod)
		return d, ethValue(call.Token, nz(call.Amount)), err
	case CallDeposit:
		d, err := cc.abi.TryPackDeposit(call.Channel, call.Participant, nz(call.Amount))
		return d, ethValue(call.Token, nz(call.Amount)), err
	case CallWithdraw:
		w := call.Withdrawal
		d, err := cc.abi.TryPackWithdraw(w.Channel, w.Participant, nz(w.TotalWithdrawn), w.Expiry, call.Sigs[0][:], call.Sigs[1][:])
		return d, zero, err
	case CallCloseCooperative:
		s := call.Settlement
		d, err := cc.abi.TryPackCloseCooperative(s.Channel, nz(s.BalanceA), nz(s.BalanceB), call.Sigs[0][:], call.Sigs[1][:])
		return d, zero, err
	case CallClose:
		sig := call.Proof.Sig[:]
		if call.Proof.Nonce == 0 {
			sig = []byte{}
		}
		d, err := cc.abi.TryPackClose(call.Channel, call.Proof.Nonce, nz(call.Proof.Transferred), nz(call.Proof.Locked), call.Proof.LocksRoot, sig)
		return d, zero, err
	case CallUpdateProof:
		d, err := cc.abi.TryPackUpdateProof(call.Channel, call.Proof.Nonce, nz(call.Proof.Transferred), nz(call.Proof.Locked), call.Proof.LocksRoot, call.Proof.Sig[:])
		return d, zero, err
	case CallUpdateProofFor:
		d, err := cc.abi.TryPackUpdateProofFor(call.Channel, call.Proof.Nonce, nz(call.Proof.Transferred), nz(call.Proof.Locked), call.Proof.LocksRoot, call.Proof.Sig[:], call.Sigs[0][:])
		return d, zero, err
	case CallSettle:
		d, err := cc.abi.TryPackSettle(call.Channel)
		return d, zero, err
	}
	return cc.packClaim(call)
}

// Prepare signs through the client's two-phase API: its local nonce sequence hands out
// consecutive nonces, so two transactions in flight never take the same one (reading the
// pending nonce per transaction did), and a call that would revert fails here with the
// contract's custom error decoded (*contracts.RevertError). opRunner broadcasts in the
// order it prepares, as PrepareTx requires.
func (cc *contractChain) Prepare(ctx context.Context, call ChainCall) (SignedTx, error) {
	data, value, err := cc.pack(call)
	if err != nil {
		return SignedTx{}, fmt.Errorf("pack %s: %w", call.Kind, err)
	}
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	tx, err := cc.c.PrepareTx(ctx, data, value)
	if err != nil {
		return SignedTx{}, fmt.Errorf("prepare %s: %w", call.Kind, err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return SignedTx{}, fmt.Errorf("encode %s: %w", call.Kind, err)
	}
	return SignedTx{Hash: tx.Hash(), Raw: raw}, nil
}

func decodeTx(stx SignedTx) (*types.Transaction, error) {
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(stx.Raw); err != nil {
		return nil, fmt.Errorf("decode stored transaction %s: %w", stx.Hash, err)
	}
	return tx, nil
}

// Broadcast is idempotent: a transaction the chain already has, or has mined, succeeds.
func (cc *contractChain) Broadcast(ctx context.Context, stx SignedTx) error {
	tx, err := decodeTx(stx)
	if err != nil {
		return err
	}
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	return cc.c.Broadcast(ctx, tx)
}

// Track checks the receipts of tx and of the transactions it replaced; if none is mined
// it compares our confirmed nonce with tx's. The nonce is read before the receipts are,
// so a transaction mined in between is seen mined, never taken.
func (cc *contractChain) Track(ctx context.Context, stx SignedTx, replaced []common.Hash) (TxStatus, error) {
	tx, err := decodeTx(stx)
	if err != nil {
		return TxStatus{}, err
	}
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	confirmed, err := cc.c.ConfirmedNonce(ctx)
	if err != nil {
		return TxStatus{}, err
	}
	for _, h := range append([]common.Hash{stx.Hash}, replaced...) {
		r, err := cc.c.LookupReceipt(ctx, h)
		if err != nil {
			return TxStatus{}, err
		}
		if r == nil {
			continue
		}
		// A replaced version carries the same call, so tx stands in for it when a
		// revert has to be replayed.
		if failed := cc.c.ReceiptError(ctx, tx, r); failed != nil {
			res, _ := cc.receipt(ctx, h, r, failed)
			return TxStatus{Mined: true, Receipt: res, Err: failed}, nil
		}
		res, err := cc.receipt(ctx, h, r, nil)
		if err != nil {
			return TxStatus{}, err
		}
		return TxStatus{Mined: true, Receipt: res}, nil
	}
	if confirmed <= tx.Nonce() {
		return TxStatus{}, nil
	}
	// Our nonce moved past tx's and no receipt is at or below the head. A receipt the chain
	// node indexed before advancing its head (Anvil under load does) is ours being mined,
	// not another transaction taking the nonce: signing the call again would execute it
	// twice (a deposit counted twice). The next poll sees it mined. Without any receipt,
	// "nonce taken" is only suspected: the caller checks it with NonceUse.
	for _, h := range append([]common.Hash{stx.Hash}, replaced...) {
		known, err := cc.c.ReceiptKnown(ctx, h)
		if err != nil {
			return TxStatus{}, err
		}
		if known {
			return TxStatus{}, nil
		}
	}
	return TxStatus{NonceTaken: true}, nil
}

func (cc *contractChain) NonceUse(ctx context.Context, stx SignedTx) (NonceUse, error) {
	tx, err := decodeTx(stx)
	if err != nil {
		return NonceUse{}, err
	}
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	u, err := cc.c.FindNonceUse(ctx, tx.Nonce())
	if err != nil {
		return NonceUse{}, err
	}
	return NonceUse{Block: u.Block, TxHash: u.TxHash}, nil
}

func (cc *contractChain) Resign(ctx context.Context, call ChainCall) (SignedTx, error) {
	cc.c.ResyncNonce()
	return cc.Prepare(ctx, call)
}

func (cc *contractChain) ResyncNonce() { cc.c.ResyncNonce() }

func (cc *contractChain) Replace(ctx context.Context, stx SignedTx) (SignedTx, error) {
	tx, err := decodeTx(stx)
	if err != nil {
		return SignedTx{}, err
	}
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	rtx, err := cc.c.ReplaceTx(ctx, tx, cc.maxFeeCap)
	if err != nil {
		return SignedTx{}, err
	}
	raw, err := rtx.MarshalBinary()
	if err != nil {
		return SignedTx{}, fmt.Errorf("encode replacement of %s: %w", stx.Hash, err)
	}
	return SignedTx{Hash: rtx.Hash(), Raw: raw}, nil
}

// Wait returns the receipt with the transaction's own events. A transaction mined with
// status 0 wraps contracts.ErrTxFailed and, when a replay reproduces it, the custom error.
func (cc *contractChain) Wait(ctx context.Context, stx SignedTx) (Receipt, error) {
	tx, err := decodeTx(stx)
	if err != nil {
		return Receipt{}, err
	}
	r, err := cc.c.WaitTx(ctx, tx)
	if r == nil {
		return Receipt{}, err
	}
	return cc.receipt(ctx, stx.Hash, r, err)
}

// receipt is a mined transaction's Receipt with its events; failed (the transaction's
// revert, or nil) is returned alongside.
func (cc *contractChain) receipt(ctx context.Context, hash common.Hash, r *types.Receipt, failed error) (Receipt, error) {
	res := Receipt{TxResult: TxResult{TxHash: hash, Block: r.BlockNumber.Uint64(), GasUsed: r.GasUsed}}
	if failed != nil {
		return res, failed
	}
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	evs, err := cc.c.EventsInRange(ctx, res.Block, res.Block)
	if err != nil {
		return res, fmt.Errorf("events of transaction %s: %w", hash, err)
	}
	for _, e := range evs {
		if e.Meta().TxHash != hash {
			continue
		}
		if ce, ok := convertEvent(e); ok {
			res.Events = append(res.Events, ce)
		}
	}
	return res, nil
}

// ethValue is what a call moving amount of token sends along: the amount for ETH, nothing
// for an ERC-20 (the contract pulls it with transferFrom).
func ethValue(token common.Address, amount *big.Int) *big.Int {
	if token == (common.Address{}) {
		return amount
	}
	return new(big.Int)
}

func (cc *contractChain) EnsureAllowance(ctx context.Context, token common.Address, amount *big.Int) error {
	have, err := cc.c.Allowance(ctx, token, cc.from, cc.c.Contract())
	if err != nil {
		return fmt.Errorf("allowance of token %s: %w", token, err)
	}
	if have.Cmp(amount) >= 0 {
		return nil
	}
	if _, err := cc.c.Approve(ctx, token, cc.c.Contract(), amount); err != nil {
		return fmt.Errorf("approve token %s: %w", token, err)
	}
	return nil
}

var _ Chain = (*contractChain)(nil)
