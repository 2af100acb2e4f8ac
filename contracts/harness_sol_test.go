package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/contracts/anviltest"
	"github.com/sluicepay/sluice/contracts/bindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// evm drives SluiceChannels on a real chain (the pinned Anvil) with raw
// signed transactions, so every test sees exactly what a wallet would.
type evm struct {
	t        *testing.T
	ctx      context.Context
	client   *ethclient.Client
	chainID  *big.Int
	accounts []devchain.Account
	channels common.Address
	sc       *bindings.SluiceChannels
	// advance moves chain time forward and mines a block.
	advance func(d time.Duration)
}

// newEVM starts the pinned Anvil binary for this test and deploys SluiceChannels from
// account #0. Every test gets its own chain, so no state leaks between tests.
//
// The tests ran on the embedded dev chain first; in a full -race run of this package it
// occasionally served a state without recent writes (a channel read back as unknown, a
// transaction that estimated fine reverted when mined), so behaviour is pinned on Anvil,
// a separate process, and gas equality of the two chains is checked by scripts/gasreport.
func newEVM(t *testing.T) *evm {
	t.Helper()
	url := anviltest.Start(t)
	client, err := ethclient.Dial(url)
	if err != nil {
		t.Fatalf("dial anvil %s: %v", url, err)
	}
	t.Cleanup(client.Close)
	e := &evm{
		t:        t,
		ctx:      testContext(t),
		client:   client,
		accounts: devchain.TestAccounts(),
		sc:       bindings.NewSluiceChannels(),
	}
	if e.chainID, err = client.ChainID(e.ctx); err != nil {
		t.Fatalf("anvil chain id: %v", err)
	}
	e.channels = e.deploy(e.accounts[0], &bindings.SluiceChannelsMetaData, nil)
	e.advance = func(d time.Duration) {
		raw := client.Client()
		if err := raw.CallContext(e.ctx, nil, "evm_increaseTime", int64(d/time.Second)); err != nil {
			t.Fatalf("anvil evm_increaseTime: %v", err)
		}
		if err := raw.CallContext(e.ctx, nil, "evm_mine"); err != nil {
			t.Fatalf("anvil evm_mine: %v", err)
		}
	}
	return e
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// with returns a view of the same chain that reports failures to t, for subtests.
func (e *evm) with(t *testing.T) *evm {
	c := *e
	c.t = t
	return &c
}

// deploy creates a contract from its generated metadata and constructor arguments.
func (e *evm) deploy(from devchain.Account, meta *bind.MetaData, ctorArgs []byte) common.Address {
	e.t.Helper()
	code := append(common.FromHex(meta.Bin), ctorArgs...)
	rec, err := e.transact(from, nil, nil, code)
	if err != nil {
		e.t.Fatalf("deploy: %v", err)
	}
	return rec.ContractAddress
}

// revertError is a transaction the EVM rejected, with the revert data it returned.
type revertError struct {
	data []byte
	msg  string
}

func (r *revertError) Error() string { return fmt.Sprintf("reverted (%s): 0x%x", r.msg, r.data) }

// selector returns the 4-byte custom error id of the revert, or nil.
func (r *revertError) selector() []byte {
	if len(r.data) < 4 {
		return nil
	}
	return r.data[:4]
}

// transact estimates, signs and sends a transaction and waits for its receipt. A revert
// during estimation comes back as *revertError; a mined failure is a test failure.
func (e *evm) transact(from devchain.Account, to *common.Address, value *big.Int, data []byte) (*types.Receipt, error) {
	e.t.Helper()
	if value == nil {
		value = new(big.Int)
	}
	msg := ethereum.CallMsg{From: from.Address, To: to, Value: value, Data: data}
	gas, err := e.client.EstimateGas(e.ctx, msg)
	if err != nil {
		return nil, asRevert(err)
	}
	rec := e.sendSigned(from.Key, to, value, data, gas+gas/4+10_000)
	if rec.Status != types.ReceiptStatusSuccessful {
		e.t.Fatalf("transaction %s estimated fine but failed when mined", rec.TxHash)
	}
	return rec, nil
}

// sendSigned sends with a fixed gas limit and returns the receipt whatever its status.
func (e *evm) sendSigned(key *ecdsa.PrivateKey, to *common.Address, value *big.Int, data []byte, gas uint64) *types.Receipt {
	e.t.Helper()
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := e.client.PendingNonceAt(e.ctx, from)
	if err != nil {
		e.t.Fatalf("nonce of %s: %v", from, err)
	}
	head, err := e.client.HeaderByNumber(e.ctx, nil)
	if err != nil {
		e.t.Fatalf("head: %v", err)
	}
	tip := big.NewInt(1_000_000_000)
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(e.chainID), &types.DynamicFeeTx{
		ChainID:   e.chainID,
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip),
		Gas:       gas,
		To:        to,
		Value:     value,
		Data:      data,
	})
	if err != nil {
		e.t.Fatalf("sign transaction: %v", err)
	}
	if err := e.client.SendTransaction(e.ctx, tx); err != nil {
		e.t.Fatalf("send transaction from %s: %v", from, err)
	}
	for {
		rec, err := e.client.TransactionReceipt(e.ctx, tx.Hash())
		if err == nil {
			return rec
		}
		// A fresh chain may still be indexing transactions; that is a "not yet" too.
		if !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress") {
			e.t.Fatalf("receipt of %s: %v", tx.Hash(), err)
		}
		select {
		case <-e.ctx.Done():
			e.t.Fatalf("receipt of %s: %v", tx.Hash(), e.ctx.Err())
		case <-time.After(2 * time.Millisecond):
		}
	}
}

func asRevert(err error) error {
	var dataErr rpc.DataError
	if errors.As(err, &dataErr) {
		if s, ok := dataErr.ErrorData().(string); ok {
			if data, decErr := hexutil.Decode(s); decErr == nil {
				return &revertError{data: data, msg: err.Error()}
			}
		}
	}
	if strings.Contains(err.Error(), "revert") {
		return &revertError{msg: err.Error()}
	}
	return err
}

// mustSend is transact that fails the test on a revert.
func (e *evm) mustSend(from devchain.Account, to common.Address, value *big.Int, data []byte) *types.Receipt {
	e.t.Helper()
	rec, err := e.transact(from, &to, value, data)
	if err != nil {
		e.t.Fatalf("transaction from %s to %s: %v", from.Address, to, err)
	}
	return rec
}

// expectRevert checks that the call reverts with the custom error wantID, both when
// estimated and when actually mined with plenty of gas.
func (e *evm) expectRevert(from devchain.Account, to common.Address, value *big.Int, data []byte, wantID common.Hash) {
	e.t.Helper()
	_, err := e.transact(from, &to, value, data)
	var rev *revertError
	if !errors.As(err, &rev) {
		e.t.Fatalf("want revert %s, got %v", errorName(wantID), err)
	}
	if got := rev.selector(); got == nil || common.BytesToHash(common.RightPadBytes(got, 32)) != selectorHash(wantID) {
		e.t.Fatalf("want revert %s, got %s", errorName(wantID), errorNameOfData(rev.data))
	}
	rec := e.sendSigned(from.Key, &to, orZero(value), data, 1_000_000)
	if rec.Status != types.ReceiptStatusFailed {
		e.t.Fatalf("want mined transaction to fail with %s, it succeeded", errorName(wantID))
	}
}

func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}

// selectorHash keeps only the first four bytes of an error id, for comparison.
func selectorHash(id common.Hash) common.Hash {
	var h common.Hash
	copy(h[:4], id[:4])
	return h
}

var sluiceABI = mustABI(&bindings.SluiceChannelsMetaData)

func mustABI(meta *bind.MetaData) *abi.ABI {
	parsed, err := meta.ParseABI()
	if err != nil {
		panic(fmt.Sprintf("parse generated ABI: %v", err))
	}
	return parsed
}

func errorName(id common.Hash) string {
	for name, e := range sluiceABI.Errors {
		if e.ID == id {
			return name + "()"
		}
	}
	return id.Hex()
}

func errorNameOfData(data []byte) string {
	if len(data) < 4 {
		return fmt.Sprintf("no custom error (data 0x%x)", data)
	}
	for name, e := range sluiceABI.Errors {
		if string(e.ID[:4]) == string(data[:4]) {
			return name + "()"
		}
	}
	return fmt.Sprintf("unknown error 0x%x", data)
}

// call runs a read-only call against the latest block.
func (e *evm) call(to common.Address, data []byte) []byte {
	e.t.Helper()
	out, err := e.client.CallContract(e.ctx, ethereum.CallMsg{To: &to, Data: data}, nil)
	if err != nil {
		e.t.Fatalf("call %s: %v", to, err)
	}
	return out
}

func (e *evm) view(id [32]byte) bindings.SluiceChannelsChannelView {
	e.t.Helper()
	v, err := e.sc.UnpackChannel(e.call(e.channels, e.sc.PackChannel(id)))
	if err != nil {
		e.t.Fatalf("unpack channel view: %v", err)
	}
	return v
}

func (e *evm) claimable(account, token common.Address) *big.Int {
	e.t.Helper()
	v, err := e.sc.UnpackClaimable(e.call(e.channels, e.sc.PackClaimable(account, token)))
	if err != nil {
		e.t.Fatalf("unpack claimable: %v", err)
	}
	return v
}

func (e *evm) balance(addr common.Address) *big.Int {
	e.t.Helper()
	b, err := e.client.BalanceAt(e.ctx, addr, nil)
	if err != nil {
		e.t.Fatalf("balance of %s: %v", addr, err)
	}
	return b
}

// now returns the latest block's timestamp.
func (e *evm) now() uint64 {
	e.t.Helper()
	h, err := e.client.HeaderByNumber(e.ctx, nil)
	if err != nil {
		e.t.Fatalf("head: %v", err)
	}
	return h.Time
}

// gasCost is what a receipt's sender paid for gas, to reconcile ETH balances.
func gasCost(rec *types.Receipt) *big.Int {
	return new(big.Int).Mul(new(big.Int).SetUint64(rec.GasUsed), rec.EffectiveGasPrice)
}

func eth(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

func wantBig(t *testing.T, what string, got, want *big.Int) {
	t.Helper()
	if got.Cmp(want) != 0 {
		t.Fatalf("%s = %s, want %s", what, got, want)
	}
}
