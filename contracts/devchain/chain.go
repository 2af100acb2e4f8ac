package devchain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/rpc"
)

// Options configure a dev chain. The zero value gives an Anvil-like chain: automine on,
// SluiceChannels deployed, 10,000 ETH per account.
type Options struct {
	// ManualMining turns automine off: blocks are then mined only by Commit, AdjustTime
	// or evm_mine, which lets a test hold transactions in the pool.
	ManualMining bool
	// BlockTime, when set, also mines a block at this interval, like Anvil's
	// --block-time. Without it an idle chain's time stands still, and a call that
	// depends on time passing (settle after a challenge period) keeps failing until
	// something is mined.
	BlockTime time.Duration
	// NoContract skips deploying SluiceChannels.
	NoContract bool
	// Balance overrides each test account's genesis balance in wei.
	Balance *big.Int
	// Logger receives the chain's own diagnostics; nil discards them.
	Logger *slog.Logger
}

// Chain is a running in-process dev chain. All methods are safe for concurrent use.
type Chain struct {
	stack    *node.Node
	eth      *eth.Ethereum
	client   *ethclient.Client
	accounts []Account
	contract common.Address
	manual   bool        // automine off
	public   *rpc.Server // what Serve exposes to other processes

	// sealMu serialises block production: the simulated beacon keeps fork-choice state
	// that is not safe for concurrent sealing.
	sealMu    sync.Mutex
	beacon    *catalyst.SimulatedBeacon
	timeShift time.Duration // total AdjustTime so far, guarded by sealMu
	stopped   bool          // set by Close under sealMu: the beacon is gone

	logger  *slog.Logger
	stopCtx context.Context    // done once Close starts
	cancel  context.CancelFunc // stops automine and every Serve
	wg      sync.WaitGroup     // automine and servers
	closeMu sync.Mutex
	closed  bool
}

// New starts a dev chain. Close it when done.
func New(opts Options) (*Chain, error) {
	balance := opts.Balance
	if balance == nil {
		balance = defaultBalance()
	}
	accounts := TestAccounts()

	nodeConf := node.DefaultConfig
	nodeConf.DataDir = "" // in memory
	nodeConf.P2P = p2p.Config{NoDiscovery: true, MaxPeers: 0}
	nodeConf.HTTPHost, nodeConf.WSHost, nodeConf.IPCPath = "", "", ""

	ethConf := ethconfig.Defaults
	ethConf.Genesis = genesis(accounts, balance)
	ethConf.NetworkId = ChainID
	ethConf.SyncMode = ethconfig.FullSync
	ethConf.TxPool.NoLocals = true
	// The log index would add background indexers; dev chains are small enough to scan.
	ethConf.LogNoHistory = true
	ethConf.Miner.GasCeil = blockGasLimit

	stack, err := node.New(&nodeConf)
	if err != nil {
		return nil, fmt.Errorf("devchain: node: %w", err)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Chain{stack: stack, accounts: accounts, logger: logger, manual: opts.ManualMining}
	backend, err := eth.New(stack, &ethConf)
	if err != nil {
		_ = stack.Close()
		return nil, fmt.Errorf("devchain: eth service: %w", err)
	}
	c.eth = backend
	ownAPIs := []rpc.API{
		{Namespace: "eth", Service: filters.NewFilterAPI(filters.NewFilterSystem(backend.APIBackend, filters.Config{}))},
		{Namespace: "evm", Service: &evmAPI{chain: c}},
	}
	stack.RegisterAPIs(ownAPIs)
	public, err := publicServer(append(backend.APIs(), ownAPIs...))
	if err != nil {
		_ = stack.Close()
		return nil, err
	}
	c.public = public
	if err := stack.Start(); err != nil {
		_ = stack.Close()
		return nil, fmt.Errorf("devchain: start node: %w", err)
	}
	beacon, err := catalyst.NewSimulatedBeacon(0, common.Address{}, backend)
	if err != nil {
		_ = stack.Close()
		return nil, fmt.Errorf("devchain: simulated beacon: %w", err)
	}
	c.beacon = beacon
	if err := beacon.Fork(backend.BlockChain().GetCanonicalHash(0)); err != nil {
		_ = c.shutdown()
		return nil, fmt.Errorf("devchain: reset to genesis: %w", err)
	}
	c.client = ethclient.NewClient(stack.Attach())

	ctx, cancel := context.WithCancel(context.Background())
	c.stopCtx, c.cancel = ctx, cancel
	if !opts.ManualMining {
		c.startAutomine(ctx)
	}
	if opts.BlockTime > 0 {
		c.startIntervalMining(ctx, opts.BlockTime)
	}
	if !opts.NoContract {
		if err := c.deploy(ctx); err != nil {
			_ = c.Close()
			return nil, err
		}
	}
	return c, nil
}

// Client returns an RPC client of the chain. It satisfies bind.ContractBackend,
// bind.DeployBackend and ethereum.ChainReader; Client().Client() reaches the raw RPC
// (evm_increaseTime, evm_mine). Close the Chain, not the client.
func (c *Chain) Client() *ethclient.Client { return c.client }

// ChainID returns 31337.
func (c *Chain) ChainID() *big.Int { return big.NewInt(ChainID) }

// Accounts returns the ten funded test accounts; account #0 deployed the contract.
func (c *Chain) Accounts() []Account { return append([]Account(nil), c.accounts...) }

// Contract returns the address of SluiceChannels, or the zero address with NoContract.
// It is always 0x5FbDB2315678afecb367f032d93F642f64180aa3 (account #0, nonce 0), the
// address of the first deployment on a fresh Anvil too.
func (c *Chain) Contract() common.Address { return c.contract }

// Commit mines one block with whatever is in the pool and returns its hash. After
// Close it does nothing and returns the zero hash.
func (c *Chain) Commit() common.Hash {
	c.sealMu.Lock()
	defer c.sealMu.Unlock()
	if c.stopped {
		return common.Hash{}
	}
	return c.beacon.Commit()
}

// Pending returns how many executable transactions wait in the pool, for tests that
// hold transactions with ManualMining. (eth_getBlockTransactionCountByNumber("pending")
// reads a pending block rebuilt only every few seconds, so it lags.)
func (c *Chain) Pending() int {
	executable, _ := c.eth.TxPool().Stats()
	return executable
}

// AdjustTime moves chain time forward by d (whole seconds) and mines a block carrying
// the new time; pending transactions are mined first, in a block of their own. Later
// blocks never go back in time, so a challenge period can be skipped at once.
func (c *Chain) AdjustTime(d time.Duration) error {
	if d < time.Second {
		return fmt.Errorf("devchain: adjust time by %s: must be at least one second forward", d)
	}
	c.sealMu.Lock()
	defer c.sealMu.Unlock()
	if c.stopped {
		return errors.New("devchain: adjust time: chain closed")
	}
	c.minePendingLocked()
	if err := c.beacon.AdjustTime(d); err != nil {
		return fmt.Errorf("devchain: adjust time by %s: %w", d, err)
	}
	c.timeShift += d.Truncate(time.Second)
	return nil
}

// minePendingLocked mines until no executable transaction is left. The bound keeps a
// transaction the miner refuses (tip below its floor) from spinning forever.
func (c *Chain) minePendingLocked() {
	pool := c.eth.TxPool()
	for range 16 {
		_ = pool.Sync()
		if executable, _ := pool.Stats(); executable == 0 {
			return
		}
		c.beacon.Commit()
	}
}

// Close stops automine and every Serve endpoint, then the chain. It waits for all of
// the chain's goroutines and is safe to call more than once.
func (c *Chain) Close() error {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	c.cancel()
	c.wg.Wait()
	c.public.Stop() // also drops WebSocket connections the HTTP servers handed over
	c.sealMu.Lock()
	c.stopped = true
	c.sealMu.Unlock()
	return c.shutdown()
}

func (c *Chain) shutdown() error {
	if c.client != nil {
		c.client.Close()
	}
	var err error
	if c.beacon != nil {
		err = c.beacon.Stop()
	}
	if cerr := c.stack.Close(); cerr != nil && !errors.Is(cerr, node.ErrNodeStopped) {
		err = errors.Join(err, cerr)
	}
	if err != nil {
		return fmt.Errorf("devchain: close: %w", err)
	}
	return nil
}

func (c *Chain) log(msg string, args ...any) { c.logger.Warn(msg, args...) }
