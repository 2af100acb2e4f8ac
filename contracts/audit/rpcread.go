package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/bindings"
)

// chainReader makes the auditor's reads in JSON-RPC batches: one round trip per batch
// instead of one per transaction or channel is what makes 10,000 channels fast on a
// remote node.
type chainReader struct {
	rpc       *rpc.Client
	contract  common.Address
	channels  *bindings.SluiceChannels
	abi       abi.ABI
	batchSize int
}

func newChainReader(c *rpc.Client, contract common.Address, batchSize int) *chainReader {
	b := bindings.NewSluiceChannels()
	return &chainReader{rpc: c, contract: contract, channels: b, abi: b.GetABI(), batchSize: batchSize}
}

// batchParallelism is how many batches are in flight at once: the node answers a batch
// one request at a time, so a few concurrent batches keep its cores busy.
const batchParallelism = 4

// batch sends elems in chunks of batchSize, a few chunks at a time. A per-element error
// is returned as the first one, naming its method.
func (c *chainReader) batch(ctx context.Context, elems []rpc.BatchElem) error {
	if err := c.batchLenient(ctx, elems); err != nil {
		return err
	}
	for _, e := range elems {
		if e.Error != nil {
			return fmt.Errorf("%s%v: %w", e.Method, e.Args, e.Error)
		}
	}
	return nil
}

// batchLenient is batch that leaves per-element errors in the elements, for reads where
// one missing answer must not abort the audit.
func (c *chainReader) batchLenient(ctx context.Context, elems []rpc.BatchElem) error {
	var chunks [][]rpc.BatchElem
	for start := 0; start < len(elems); start += c.batchSize {
		chunks = append(chunks, elems[start:min(start+c.batchSize, len(elems))])
	}
	errs := make([]error, len(chunks))
	sem := make(chan struct{}, batchParallelism)
	var wg sync.WaitGroup
	for i, chunk := range chunks {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := c.rpc.BatchCallContext(ctx, chunk); err != nil {
				errs[i] = fmt.Errorf("rpc batch of %d %s: %w", len(chunk), chunk[0].Method, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// txCall is what the auditor needs of a transaction: who sent it, to whom, with what.
type txCall struct {
	From  common.Address  `json:"from"`
	To    *common.Address `json:"to"`
	Input hexutil.Bytes   `json:"input"`
	Block *hexutil.Big    `json:"blockNumber"`
}

// transactions fetches the given transactions. One the node cannot serve (not found, or
// an index still building) is reported in missing, not as an error: it makes its
// signatures unverifiable, not the whole audit impossible.
func (c *chainReader) transactions(ctx context.Context, hashes []common.Hash) (map[common.Hash]*txCall, map[common.Hash]error, error) {
	out := make([]*txCall, len(hashes))
	elems := make([]rpc.BatchElem, len(hashes))
	for i, h := range hashes {
		elems[i] = rpc.BatchElem{Method: "eth_getTransactionByHash", Args: []any{h}, Result: &out[i]}
	}
	if err := c.batchLenient(ctx, elems); err != nil {
		return nil, nil, err
	}
	found := make(map[common.Hash]*txCall, len(hashes))
	missing := make(map[common.Hash]error)
	for i, h := range hashes {
		switch {
		case elems[i].Error != nil:
			missing[h] = elems[i].Error
		case out[i] == nil:
			missing[h] = errors.New("not found")
		default:
			found[h] = out[i]
		}
	}
	return found, missing, nil
}

// denseBlock is how many wanted transactions make reading their whole block cheaper for
// the node than looking each one up (a lookup rescans the block body to find the index).
const denseBlock = 8

// transactionsByBlock fetches the wanted transactions, reading whole blocks where many of
// them share one, and looking the rest up one by one.
func (c *chainReader) transactionsByBlock(ctx context.Context, wanted map[uint64][]common.Hash) (map[common.Hash]*txCall, map[common.Hash]error, error) {
	var dense []uint64
	var single []common.Hash
	for b, hs := range wanted {
		if len(hs) >= denseBlock {
			dense = append(dense, b)
		} else {
			single = append(single, hs...)
		}
	}
	type blockTxs struct {
		Transactions []struct {
			Hash common.Hash `json:"hash"`
			txCall
		} `json:"transactions"`
	}
	blocks := make([]*blockTxs, len(dense))
	elems := make([]rpc.BatchElem, len(dense))
	for i, b := range dense {
		elems[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.Uint64(b), true}, Result: &blocks[i]}
	}
	if err := c.batchLenient(ctx, elems); err != nil {
		return nil, nil, err
	}
	found := make(map[common.Hash]*txCall)
	for i, b := range dense {
		if elems[i].Error == nil && blocks[i] != nil {
			for k := range blocks[i].Transactions {
				t := &blocks[i].Transactions[k]
				found[t.Hash] = &t.txCall
			}
		}
		for _, h := range wanted[b] {
			if found[h] == nil {
				single = append(single, h) // the block moved or was not served: ask for the transaction
			}
		}
	}
	rest, missing, err := c.transactions(ctx, single)
	if err != nil {
		return nil, nil, err
	}
	for h, t := range rest {
		found[h] = t
	}
	return found, missing, nil
}

// callFrame is one frame of go-ethereum's and Anvil's callTracer output.
type callFrame struct {
	Type  string          `json:"type"`
	From  common.Address  `json:"from"`
	To    *common.Address `json:"to"`
	Input hexutil.Bytes   `json:"input"`
	Error string          `json:"error"`
	Calls []callFrame     `json:"calls"`
}

// errNoTracer means the node cannot trace transactions (no debug namespace).
var errNoTracer = errors.New("node offers no debug_traceTransaction")

// contractCalls traces tx and returns the successful CALLs it made to the contract, for
// transactions that reached the contract through another contract (a wallet, a forwarder).
func (c *chainReader) contractCalls(ctx context.Context, tx common.Hash) ([]callFrame, error) {
	var root callFrame
	err := c.rpc.CallContext(ctx, &root, "debug_traceTransaction", tx, map[string]any{"tracer": "callTracer"})
	if err != nil {
		var re rpc.Error
		if errors.As(err, &re) && re.ErrorCode() == -32601 {
			return nil, errNoTracer
		}
		return nil, fmt.Errorf("trace transaction %s: %w", tx, err)
	}
	var out []callFrame
	var walk func(f *callFrame, reverted bool)
	walk = func(f *callFrame, reverted bool) {
		reverted = reverted || f.Error != ""
		if !reverted && f.Type == "CALL" && f.To != nil && *f.To == c.contract {
			out = append(out, callFrame{Type: f.Type, From: f.From, To: f.To, Input: f.Input})
		}
		for i := range f.Calls {
			walk(&f.Calls[i], reverted)
		}
	}
	walk(&root, false)
	return out, nil
}

// views reads channel(id) for every id at block.
func (c *chainReader) views(ctx context.Context, ids []channel.ID, block uint64) ([]contracts.ChannelView, error) {
	raw := make([]hexutil.Bytes, len(ids))
	elems := make([]rpc.BatchElem, len(ids))
	for i, id := range ids {
		elems[i] = c.callElem(c.channels.PackChannel(id), block, &raw[i])
	}
	if err := c.batch(ctx, elems); err != nil {
		return nil, fmt.Errorf("read channel views at block %d: %w", block, err)
	}
	out := make([]contracts.ChannelView, len(ids))
	for i, id := range ids {
		b, err := c.channels.UnpackChannel(raw[i])
		if err != nil {
			return nil, fmt.Errorf("read channel %s at block %d: decode: %w", id, block, err)
		}
		out[i] = contracts.ChannelView{
			A: b.A, B: b.B, Token: b.Token, Status: channel.Status(b.Status),
			ChallengePeriod: b.ChallengePeriod, SettleAfter: b.SettleAfter,
			DepositA: b.DepositA, DepositB: b.DepositB, WithdrawnA: b.WithdrawnA, WithdrawnB: b.WithdrawnB,
			NonceA: b.NonceA, NonceB: b.NonceB, TransferredA: b.TransferredA, TransferredB: b.TransferredB,
		}
	}
	return out, nil
}

// claimables reads claimable(account, token) for every key at block.
func (c *chainReader) claimables(ctx context.Context, keys []creditKey, block uint64) ([]*big.Int, error) {
	raw := make([]hexutil.Bytes, len(keys))
	elems := make([]rpc.BatchElem, len(keys))
	for i, k := range keys {
		elems[i] = c.callElem(c.channels.PackClaimable(k.account, k.token), block, &raw[i])
	}
	if err := c.batch(ctx, elems); err != nil {
		return nil, fmt.Errorf("read claimable credits at block %d: %w", block, err)
	}
	out := make([]*big.Int, len(keys))
	for i, k := range keys {
		v, err := c.channels.UnpackClaimable(raw[i])
		if err != nil {
			return nil, fmt.Errorf("claimable %s of %s: decode: %w", tokenName(k.token), k.account, err)
		}
		out[i] = v
	}
	return out, nil
}

// holdings reads what the contract holds of each token (address(0): its ETH balance) at block.
func (c *chainReader) holdings(ctx context.Context, tokens []common.Address, block uint64) ([]*big.Int, error) {
	raw := make([]json.RawMessage, len(tokens))
	elems := make([]rpc.BatchElem, len(tokens))
	for i, t := range tokens {
		if t == (common.Address{}) {
			elems[i] = rpc.BatchElem{Method: "eth_getBalance", Args: []any{c.contract, hexutil.Uint64(block)}, Result: &raw[i]}
			continue
		}
		data := append(common.FromHex("0x70a08231"), common.LeftPadBytes(c.contract[:], 32)...) // balanceOf(address)
		elems[i] = rpc.BatchElem{Method: "eth_call", Args: []any{map[string]any{"to": t, "data": hexutil.Bytes(data)}, hexutil.Uint64(block)}, Result: &raw[i]}
	}
	if err := c.batch(ctx, elems); err != nil {
		return nil, fmt.Errorf("read the contract's balances at block %d: %w", block, err)
	}
	out := make([]*big.Int, len(tokens))
	for i, t := range tokens {
		var s string
		if err := json.Unmarshal(raw[i], &s); err != nil {
			return nil, fmt.Errorf("balance of %s: %w", tokenName(t), err)
		}
		b, err := hexutil.Decode(s)
		if t == (common.Address{}) {
			v, verr := hexutil.DecodeBig(s)
			if verr != nil {
				return nil, fmt.Errorf("ETH balance of %s: %w", c.contract, verr)
			}
			out[i] = v
			continue
		}
		if err != nil || len(b) < 32 {
			return nil, fmt.Errorf("%s balanceOf(%s): bad return data %q", tokenName(t), c.contract, s)
		}
		out[i] = new(big.Int).SetBytes(b[:32])
	}
	return out, nil
}

func (c *chainReader) callElem(data []byte, block uint64, result any) rpc.BatchElem {
	return rpc.BatchElem{
		Method: "eth_call",
		Args:   []any{map[string]any{"to": c.contract, "data": hexutil.Bytes(data)}, hexutil.Uint64(block)},
		Result: result,
	}
}
