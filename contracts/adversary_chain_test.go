package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// advChain sends the adversary's transactions fast: local nonces, a fixed gas limit and no
// estimation, so a call that reverts is mined as a failed transaction, exactly as an
// attacker's would be. It keeps what each account paid for gas so ETH payouts can be read
// from balances.
type advChain struct {
	e      *evm
	hasher *channel.Hasher
	feeCap *big.Int
	tip    *big.Int
	nonces map[common.Address]uint64
	gas    map[common.Address]*big.Int
	txs    int
}

// advGasLimit covers every SluiceChannels call with room; a revert burns only what it used.
const advGasLimit = 1_000_000

func newAdvChain(e *evm) *advChain {
	e.t.Helper()
	h, err := channel.NewHasher(channel.Domain{ChainID: e.chainID, Contract: e.channels})
	if err != nil {
		e.t.Fatalf("hasher: %v", err)
	}
	head, err := e.client.HeaderByNumber(e.ctx, nil)
	if err != nil {
		e.t.Fatalf("head: %v", err)
	}
	tip := big.NewInt(1)
	// Blocks of one transaction never fill half the gas limit, so the base fee only falls.
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	return &advChain{e: e, hasher: h, feeCap: feeCap, tip: tip,
		nonces: map[common.Address]uint64{}, gas: map[common.Address]*big.Int{}}
}

// send mines one transaction and reports whether it succeeded.
func (c *advChain) send(from devchain.Account, to common.Address, value *big.Int, data []byte) (*types.Receipt, bool) {
	e := c.e
	e.t.Helper()
	if value == nil {
		value = new(big.Int)
	}
	nonce, ok := c.nonces[from.Address]
	if !ok {
		n, err := e.client.PendingNonceAt(e.ctx, from.Address)
		if err != nil {
			e.t.Fatalf("nonce of %s: %v", from.Address, err)
		}
		nonce = n
	}
	tx, err := types.SignNewTx(from.Key, types.LatestSignerForChainID(e.chainID), &types.DynamicFeeTx{
		ChainID: e.chainID, Nonce: nonce, GasTipCap: c.tip, GasFeeCap: c.feeCap,
		Gas: advGasLimit, To: &to, Value: value, Data: data,
	})
	if err != nil {
		e.t.Fatalf("sign transaction: %v", err)
	}
	if err := e.client.SendTransaction(e.ctx, tx); err != nil {
		e.t.Fatalf("send transaction from %s (nonce %d): %v", from.Address, nonce, err)
	}
	c.nonces[from.Address] = nonce + 1
	c.txs++
	rec := c.receipt(tx.Hash())
	spent := c.gas[from.Address]
	if spent == nil {
		spent = new(big.Int)
		c.gas[from.Address] = spent
	}
	spent.Add(spent, gasCost(rec))
	return rec, rec.Status == types.ReceiptStatusSuccessful
}

func (c *advChain) receipt(hash common.Hash) *types.Receipt {
	e := c.e
	for {
		rec, err := e.client.TransactionReceipt(e.ctx, hash)
		if err == nil {
			return rec
		}
		if !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress") {
			e.t.Fatalf("receipt of %s: %v", hash, err)
		}
		select {
		case <-e.ctx.Done():
			e.t.Fatalf("receipt of %s: %v", hash, e.ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
}

// gasSpent is what addr has paid for gas through this driver so far.
func (c *advChain) gasSpent(addr common.Address) *big.Int {
	if g := c.gas[addr]; g != nil {
		return new(big.Int).Set(g)
	}
	return new(big.Int)
}

// holdings is addr's balance of token (address(0) = ETH).
func (c *advChain) holdings(token, addr common.Address) *big.Int {
	if token == (common.Address{}) {
		return c.e.balance(addr)
	}
	return c.e.tokenBalance(token, addr)
}

// setNextTimestamp makes the next block carry ts (chain time never goes back).
func (c *advChain) setNextTimestamp(ts uint64) {
	if err := c.e.client.Client().CallContext(c.e.ctx, nil, "evm_setNextBlockTimestamp", ts); err != nil {
		c.e.t.Fatalf("anvil evm_setNextBlockTimestamp: %v", err)
	}
}

func (c *advChain) signDigest(key *ecdsa.PrivateKey, digest common.Hash, err error) []byte {
	if err != nil {
		c.e.t.Fatalf("digest: %v", err)
	}
	return sign(c.e.t, key, digest[:])
}

func (c *advChain) proof(key *ecdsa.PrivateKey, id [32]byte, nonce uint64, transferred *big.Int) proof {
	d, err := c.hasher.BalanceProofDigest(channel.BalanceProof{Channel: id, Nonce: nonce, Transferred: transferred})
	return proof{nonce: nonce, transferred: transferred, sig: c.signDigest(key, d, err)}
}

func (c *advChain) endorsement(key *ecdsa.PrivateKey, id [32]byte, p proof) []byte {
	d, err := c.hasher.EndorsementDigest(channel.BalanceProof{Channel: id, Nonce: p.nonce, Transferred: p.transferred})
	return c.signDigest(key, d, err)
}

func (c *advChain) settlementSig(key *ecdsa.PrivateKey, id [32]byte, balA, balB *big.Int) []byte {
	d, err := c.hasher.SettlementDigest(channel.Settlement{Channel: id, BalanceA: balA, BalanceB: balB})
	return c.signDigest(key, d, err)
}

func (c *advChain) withdrawalSig(key *ecdsa.PrivateKey, id [32]byte, who common.Address, total *big.Int, expiry uint64) []byte {
	d, err := c.hasher.WithdrawalDigest(channel.Withdrawal{Channel: id, Participant: who, TotalWithdrawn: total, Expiry: expiry})
	return c.signDigest(key, d, err)
}

// advContext outlives testContext's two minutes: a long adversary run takes hours.
func advContext(e *evm, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	e.t.Cleanup(cancel)
	e.ctx = ctx
}
