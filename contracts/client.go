package contracts

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/sluicepay/sluice/contracts/bindings"
)

// Backend is what the client needs from a chain connection. *ethclient.Client (an RPC
// endpoint such as Anvil or a real node) and the dev chain's client both satisfy it.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ethereum.BlockNumberReader
	ethereum.ChainIDReader
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
}

// Options tune a Client. The zero value is sensible everywhere.
type Options struct {
	// GasHeadroomPercent is added on top of every gas estimate (default 25).
	GasHeadroomPercent int
	// MaxPollInterval caps the receipt polling interval (default 1 s).
	MaxPollInterval time.Duration
	// LogPageBlocks is the largest block range one eth_getLogs asks for (default 2,000).
	// The client halves it when the node answers "too many results".
	LogPageBlocks uint64
	// MaxScanBlocks bounds how many blocks one Events call scans (default 100,000), so a
	// node catching up after long downtime processes events in bounded batches.
	MaxScanBlocks uint64
	// Logger receives debug diagnostics; nil discards them.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.GasHeadroomPercent <= 0 {
		o.GasHeadroomPercent = 25
	}
	if o.MaxPollInterval <= 0 {
		o.MaxPollInterval = time.Second
	}
	if o.LogPageBlocks == 0 {
		o.LogPageBlocks = 2000
	}
	if o.MaxScanBlocks == 0 {
		o.MaxScanBlocks = 100_000
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Client talks to one SluiceChannels contract and signs with one key. It is safe for
// concurrent use. Use one Client per key: its nonce sequence is local (see nonceManager),
// so two Clients sending from the same key would collide.
type Client struct {
	backend  Backend
	contract common.Address
	key      *ecdsa.PrivateKey
	from     common.Address
	chainID  *big.Int
	signer   types.Signer
	opts     Options

	channels *bindings.SluiceChannels
	erc20    *abi.ABI
	revert   *revertDecoder
	events   *eventDecoder
	nonces   *nonceManager
	owned    *ethclient.Client // set by Dial, closed by Close
}

// ErrReadOnly is returned by every write of a client made without a key.
var ErrReadOnly = errors.New("contracts client has no signing key (read-only)")

// New returns a client of the contract at address contract on backend, signing with key.
// A nil key makes a read-only client (views, events, balances; writes fail with
// ErrReadOnly), e.g. for an auditor. New asks the backend for the chain id once, to sign
// replay-protected transactions.
func New(ctx context.Context, backend Backend, contract common.Address, key *ecdsa.PrivateKey, opts Options) (*Client, error) {
	if backend == nil {
		return nil, errors.New("new contracts client: nil backend")
	}
	chainID, err := backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("new contracts client: chain id: %w", err)
	}
	channels := bindings.NewSluiceChannels()
	channelsABI := channels.GetABI()
	erc20, err := parseERC20ABI()
	if err != nil {
		return nil, err
	}
	var from common.Address
	if key != nil {
		from = crypto.PubkeyToAddress(key.PublicKey)
	}
	return &Client{
		backend:  backend,
		contract: contract,
		key:      key,
		from:     from,
		chainID:  chainID,
		signer:   types.LatestSignerForChainID(chainID),
		opts:     opts.withDefaults(),
		channels: channels,
		erc20:    erc20,
		revert:   newRevertDecoder(&channelsABI, erc20),
		events:   newEventDecoder(channels),
		nonces:   newNonceManager(from, backend),
	}, nil
}

// Dial connects to a JSON-RPC endpoint (http://, ws:// or an IPC path) and returns a
// client over it. Disconnect releases the connection.
func Dial(ctx context.Context, url string, contract common.Address, key *ecdsa.PrivateKey, opts Options) (*Client, error) {
	rpc, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	c, err := New(ctx, rpc, contract, key, opts)
	if err != nil {
		rpc.Close()
		return nil, err
	}
	c.owned = rpc
	return c, nil
}

// Disconnect releases the connection made by Dial. A backend passed to New stays open:
// its owner closes it. (Close is the contract's close.)
func (c *Client) Disconnect() {
	if c.owned != nil {
		c.owned.Close()
	}
}

// Address is the client's sending (and signing) address; zero for a read-only client.
func (c *Client) Address() common.Address { return c.from }

// Contract is the SluiceChannels address the client talks to.
func (c *Client) Contract() common.Address { return c.contract }

// ChainID is the chain id the client signs for.
func (c *Client) ChainID() *big.Int { return new(big.Int).Set(c.chainID) }

// Backend returns the chain connection, for reads the client does not wrap.
func (c *Client) Backend() Backend { return c.backend }
