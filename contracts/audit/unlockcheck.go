package audit

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings"
)

// unlockJob is an Unlocked event to verify against its calldata: the lock list must be the
// one settle held back for (root and sum), and the receiver's share must be the locks whose
// secret the registry had by their expiration.
type unlockJob struct {
	held       *heldLocks
	sender     common.Address
	toReceiver *big.Int
	ref        eventRef
}

// flushLocks runs the deferred hashlock checks after the window's signatures were verified
// (they supply each proof's locked and locksRoot from calldata): every hold-back against its
// sender's last proof, every unlock against its calldata and the registry's times.
func (l *ledger) flushLocks(ctx context.Context) error {
	for _, h := range l.locks.held {
		l.checkHold(h)
	}
	for _, j := range l.unlocks {
		l.checkHold(j.held)
	}
	if len(l.unlocks) == 0 || l.sigs == nil || l.sigs.chain == nil || l.sigs.chain.rpc == nil {
		l.unlocks = l.unlocks[:0]
		return nil
	}
	chain := l.sigs.chain
	wanted := make(map[uint64][]common.Hash)
	for _, j := range l.unlocks {
		wanted[j.ref.block] = append(wanted[j.ref.block], j.ref.tx)
	}
	txs, missing, err := chain.transactionsByBlock(ctx, wanted)
	if err != nil {
		return fmt.Errorf("fetch unlock calldata: %w", err)
	}
	times, err := l.secretTimes(ctx, chain)
	if err != nil {
		return err
	}
	for _, j := range l.unlocks {
		where := at{channel: &j.held.ch.id, block: j.ref.block, tx: j.ref.tx}
		tx := txs[j.ref.tx]
		if _, gone := missing[j.ref.tx]; gone || tx == nil || tx.To == nil || *tx.To != chain.contract {
			l.found.warn(where.finding(CodeUnverifiable, "unlock of %s's locks: no direct call to the contract to read its lock list from", j.sender))
			continue
		}
		locks, err := decodeUnlock(&chain.abi, tx.Input, j)
		if err != nil {
			l.found.fail(where.finding(CodeCalldataMismatch, "unlock of %s's locks: %v", j.sender, err))
			continue
		}
		root, err := channel.LocksRoot(locks)
		sum := new(big.Int)
		revealed := new(big.Int)
		for _, lk := range locks {
			sum.Add(sum, lk.Amount)
			b, ok := l.locks.secrets[lk.SecretHash]
			if ok && b <= j.ref.block && times[b] <= lk.Expiration {
				revealed.Add(revealed, lk.Amount)
			}
		}
		if err != nil || root != j.held.root || sum.Cmp(j.held.locked) != 0 {
			l.found.fail(where.finding(CodeBadUnlock, "unlock's %d locks hash to %x and sum to %s; settle held them under %x summing to %s",
				len(locks), root, sum, j.held.root, j.held.locked))
			continue
		}
		if revealed.Cmp(j.held.held) > 0 {
			revealed.Set(j.held.held)
		}
		if revealed.Cmp(j.toReceiver) != 0 {
			l.found.fail(where.finding(CodeBadUnlock, "unlock paid the receiver %s; the registry's secrets by their expirations give %s", j.toReceiver, revealed))
		}
	}
	l.unlocks = l.unlocks[:0]
	return nil
}

// checkHold compares a hold-back with the sender's last proof on chain, once its calldata
// was verified: same root, same locked, held = min(locked, the sender's balance).
func (l *ledger) checkHold(h *heldLocks) {
	if h.checked {
		return
	}
	p, ok := h.ch.partyOf(h.sender)
	if !ok || h.ch.proofLocked[p] == nil {
		return // the proof's calldata was not (yet) verified
	}
	h.checked = true
	where := at{channel: &h.ch.id, block: h.ref.block, tx: h.ref.tx}
	if h.ch.proofRoot[p] != h.root || h.ch.proofLocked[p].Cmp(h.locked) != 0 {
		l.found.fail(where.finding(CodeBadUnlock, "settle held locks under %x summing to %s; party %s's last proof carried %x summing to %s",
			h.root, h.locked, p, h.ch.proofRoot[p], h.ch.proofLocked[p]))
		return
	}
	want := h.locked
	if h.balance != nil && h.balance.Cmp(want) < 0 {
		want = h.balance
	}
	if h.held.Cmp(want) != 0 {
		l.found.fail(where.finding(CodeBadUnlock, "settle held %s of party %s's locks, min(locked %s, balance %s) is %s", h.held, p, h.locked, h.balance, want))
	}
}

// secretTimes reads the block time of every block a secret was registered in.
func (l *ledger) secretTimes(ctx context.Context, chain *chainReader) (map[uint64]uint64, error) {
	times := make(map[uint64]uint64)
	var blocks []uint64
	for _, b := range l.locks.secrets {
		if _, ok := times[b]; !ok {
			times[b] = 0
			blocks = append(blocks, b)
		}
	}
	if len(blocks) == 0 {
		return times, nil
	}
	headers := make([]*struct {
		Time hexutil.Uint64 `json:"timestamp"`
	}, len(blocks))
	elems := make([]rpc.BatchElem, len(blocks))
	for i, b := range blocks {
		elems[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.Uint64(b), false}, Result: &headers[i]}
	}
	if err := chain.batch(ctx, elems); err != nil {
		return nil, fmt.Errorf("read secret registration times: %w", err)
	}
	for i, b := range blocks {
		if headers[i] == nil {
			return nil, fmt.Errorf("read secret registration times: block %d not found", b)
		}
		times[b] = uint64(headers[i].Time)
	}
	return times, nil
}

// decodeUnlock reads the lock list of an unlock(id, sender, locks) call for j.
func decodeUnlock(a *abi.ABI, input []byte, j unlockJob) ([]channel.Lock, error) {
	if len(input) < 4 {
		return nil, fmt.Errorf("calldata of %d bytes", len(input))
	}
	m, err := a.MethodById(input[:4])
	if err != nil || m.Name != "unlock" {
		return nil, fmt.Errorf("the transaction is not an unlock call")
	}
	args, err := m.Inputs.Unpack(input[4:])
	if err != nil || len(args) != 3 {
		return nil, fmt.Errorf("decode unlock calldata: %v", err)
	}
	id, ok1 := args[0].([32]byte)
	sender, ok2 := args[1].(common.Address)
	if !ok1 || !ok2 || channel.ID(id) != j.held.ch.id || sender != j.sender {
		return nil, fmt.Errorf("the call unlocks another channel or sender than its event")
	}
	raw := *abi.ConvertType(args[2], new([]bindings.SluiceChannelsLock)).(*[]bindings.SluiceChannelsLock)
	locks := make([]channel.Lock, len(raw))
	for i, r := range raw {
		locks[i] = channel.Lock{Amount: r.Amount, Expiration: r.Expiration, SecretHash: r.SecretHash}
	}
	return locks, nil
}
