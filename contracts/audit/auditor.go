package audit

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

// Config says what to audit.
type Config struct {
	// RPC is a connection to any node of the chain; the audit trusts it only to serve
	// the chain's data (events, transactions, state).
	RPC      *rpc.Client
	Contract common.Address
	// FromBlock is the first block scanned; 0 scans the contract's whole history. A later
	// start reads channels opened before it from channel(id) at FromBlock-1 and skips
	// the solvency check, which needs every channel.
	FromBlock uint64
	// ToBlock is the last block scanned and the block every view and balance is read
	// at; 0 means the head when the audit starts.
	ToBlock uint64
	// Proofs is an optional node export to check the settlements against.
	Proofs *ProofFile
	// Progress, when set, is called as the scan advances (from the calling goroutine).
	Progress func(Progress)
	// WindowBlocks is how many blocks are read and replayed at first (default 2,000); the
	// window halves when it holds too many events, so memory stays bounded, and doubles
	// (up to 100,000 blocks) while events are sparse.
	WindowBlocks uint64
	// MaxWindowEvents is how many events one window may hold before it is split
	// (default 100,000, about 30 MB decoded).
	MaxWindowEvents int
	// BatchSize is how many requests share one JSON-RPC batch (default 100).
	BatchSize int
}

// Progress reports how far an audit got.
type Progress struct {
	Stage    string // "scan", "views", "done"
	Block    uint64 // last block scanned
	From, To uint64
	Events   int
	Channels int
}

// Sentinel errors of the audit's preconditions, for errors.Is.
var (
	ErrUnreachable = errors.New("cannot reach the RPC endpoint")
	ErrNoContract  = errors.New("no contract code at the address")
	ErrNotSluice   = errors.New("not a SluiceChannels contract of this chain")
	ErrWrongDomain = errors.New("proof file is for another chain or contract")
)

// maxWindowBlocks bounds how far a sparse window grows.
const maxWindowBlocks = 100_000

// Run audits cfg.Contract and returns the report. An error means the audit could not
// be completed (the RPC failed, no contract); findings are in the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	started := time.Now()
	if cfg.RPC == nil {
		return nil, errors.New("audit: no RPC connection")
	}
	if cfg.WindowBlocks == 0 {
		cfg.WindowBlocks = 2_000
	}
	if cfg.MaxWindowEvents <= 0 {
		cfg.MaxWindowEvents = 100_000
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	eth := ethclient.NewClient(cfg.RPC)
	chainID, err := eth.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: eth_chainId: %v", ErrUnreachable, err)
	}
	head, err := eth.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("read head block: %w", err)
	}
	to := cfg.ToBlock
	if to == 0 {
		to = head
	}
	if to > head || cfg.FromBlock > to {
		return nil, fmt.Errorf("audit blocks [%d, %d]: the chain's head is %d", cfg.FromBlock, to, head)
	}
	domain := channel.Domain{ChainID: chainID, Contract: cfg.Contract}
	hasher, err := checkContract(ctx, eth, domain, to)
	if err != nil {
		return nil, err
	}
	if p := cfg.Proofs; p != nil && (p.ChainID != chainID.Uint64() || p.Contract != cfg.Contract) {
		return nil, fmt.Errorf("%w: file chain %d contract %s, audit chain %s contract %s", ErrWrongDomain, p.ChainID, p.Contract, chainID, cfg.Contract)
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		return nil, fmt.Errorf("audit: throwaway client key: %w", err)
	}
	// contracts.New wants a signing key; the auditor only reads events and never sends a
	// transaction, so a throwaway key is enough.
	events, err := contracts.New(ctx, eth, cfg.Contract, key, contracts.Options{})
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}

	reader := newChainReader(cfg.RPC, cfg.Contract, cfg.BatchSize)
	found := newFindings()
	sigs := newSigVerifier(reader, hasher, found)
	full := isFullScan(ctx, eth, cfg.Contract, cfg.FromBlock)
	seed := func(id channel.ID) (*rebuilt, error) { return seedChannel(ctx, reader, id, cfg.FromBlock-1) }
	timing := &timingChecker{batch: reader.batch, found: found}
	sigs.timing = timing
	l := newLedger(full, seed, sigs, timing, found)
	if err := scan(ctx, cfg, events, l, to); err != nil {
		return nil, err
	}
	report(cfg, Progress{Stage: "views", Block: to, From: cfg.FromBlock, To: to, Events: l.events, Channels: len(l.order)})
	if err := crossCheckViews(ctx, reader, l, to, found); err != nil {
		return nil, err
	}
	rep := &Report{ChainID: chainID.Uint64(), Contract: cfg.Contract, FromBlock: cfg.FromBlock, ToBlock: to, FullScan: full}
	if full {
		if rep.Holdings, err = checkSolvency(ctx, reader, l, to, found); err != nil {
			return nil, err
		}
	} else {
		found.warn(at{}.finding(CodeSkipped, "solvency not checked: the scan starts at block %d, after the contract's deployment, so channels and credits before it are unknown", cfg.FromBlock))
	}
	if cfg.Proofs != nil {
		node := cfg.Proofs.Node
		rep.ProofNode = &node
		rep.Proofs = checkProofs(cfg.Proofs, hasher, l, found)
	}
	rep.Channels, rep.Totals = l.reports(found)
	rep.Totals.Signatures = sigs.verified
	rep.Discrepancies, rep.Warnings = found.discrepancies, found.warnings
	rep.Totals.Discrepancies, rep.Totals.Warnings = len(found.discrepancies), len(found.warnings)
	rep.Elapsed = time.Since(started)
	report(cfg, Progress{Stage: "done", Block: to, From: cfg.FromBlock, To: to, Events: l.events, Channels: len(l.order)})
	return rep, nil
}

// scan replays the events of [cfg.FromBlock, to] window by window, verifying each
// window's signatures before reading the next, so neither raw logs nor pending
// signature checks pile up.
func scan(ctx context.Context, cfg Config, events *contracts.Client, l *ledger, to uint64) error {
	window := cfg.WindowBlocks
	for start := cfg.FromBlock; start <= to; {
		end := to
		if to-start >= window {
			end = start + window - 1
		}
		evs, err := events.EventsInRange(ctx, start, end)
		if err != nil {
			return fmt.Errorf("read events: %w", err)
		}
		if len(evs) > cfg.MaxWindowEvents && end > start {
			window = max((end-start+1)/2, 1)
			continue // re-read a smaller window rather than hold this one
		}
		for _, ev := range evs {
			l.apply(ev)
		}
		if err := l.sigs.flush(ctx); err != nil {
			return err
		}
		if err := l.timing.flush(ctx); err != nil {
			return err
		}
		if err := l.flushLocks(ctx); err != nil {
			return err
		}
		report(cfg, Progress{Stage: "scan", Block: end, From: cfg.FromBlock, To: to, Events: l.events, Channels: len(l.order)})
		if len(evs) < cfg.MaxWindowEvents/4 {
			window = min(window*2, maxWindowBlocks)
		}
		if end == to {
			break
		}
		start = end + 1
	}
	return nil
}

func report(cfg Config, p Progress) {
	if cfg.Progress != nil {
		cfg.Progress(p)
	}
}

// checkContract makes sure a SluiceChannels of this chain is at the address: code is
// there, and its EIP-712 domain separator is the one package channel computes (else no
// signature could verify and every channel would be flagged).
func checkContract(ctx context.Context, eth *ethclient.Client, d channel.Domain, block uint64) (*channel.Hasher, error) {
	b := new(big.Int).SetUint64(block)
	code, err := eth.CodeAt(ctx, d.Contract, b)
	if err != nil {
		return nil, fmt.Errorf("read code of %s: %w", d.Contract, err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w %s on chain %s at block %d (wrong --contract or wrong network?)", ErrNoContract, d.Contract, d.ChainID, block)
	}
	hasher, err := channel.NewHasher(d)
	if err != nil {
		return nil, err
	}
	reader := newChainReader(eth.Client(), d.Contract, 1)
	var out hexutil.Bytes
	err = eth.Client().CallContext(ctx, &out, "eth_call",
		map[string]any{"to": d.Contract, "data": hexutil.Bytes(reader.channels.PackDomainSeparator())}, hexutil.Uint64(block))
	if err != nil {
		return nil, fmt.Errorf("%s is %w: domainSeparator(): %v", d.Contract, ErrNotSluice, err)
	}
	sep, err := reader.channels.UnpackDomainSeparator(out)
	if err != nil {
		return nil, fmt.Errorf("%s is %w: domainSeparator() returned %x", d.Contract, ErrNotSluice, []byte(out))
	}
	if common.Hash(sep) != hasher.Separator() {
		return nil, fmt.Errorf("%s is %w: its EIP-712 domain separator %x is not Sluice/1 on chain %s", d.Contract, ErrNotSluice, sep, d.ChainID)
	}
	return hasher, nil
}

// isFullScan reports whether scanning from block from sees the contract's whole history:
// from 0, or the contract had no code yet at from-1. A node that cannot serve that old
// state makes the scan count as partial, which only skips the solvency check.
func isFullScan(ctx context.Context, eth *ethclient.Client, contract common.Address, from uint64) bool {
	if from == 0 {
		return true
	}
	code, err := eth.CodeAt(ctx, contract, new(big.Int).SetUint64(from-1))
	return err == nil && len(code) == 0
}

// seedChannel reads a channel opened before the scan from channel(id) at block.
func seedChannel(ctx context.Context, reader *chainReader, id channel.ID, block uint64) (*rebuilt, error) {
	views, err := reader.views(ctx, []channel.ID{id}, block)
	if err != nil {
		return nil, err
	}
	v := views[0]
	if v.Status == channel.StatusNone {
		return nil, nil
	}
	r := newRebuilt(id)
	r.participants, r.token, r.status = v.Participants(), v.Token, v.Status
	r.challengePeriod, r.settleAfter = v.ChallengePeriod, v.SettleAfter
	r.deposit = [2]*big.Int{v.DepositA, v.DepositB}
	r.withdrawn = [2]*big.Int{v.WithdrawnA, v.WithdrawnB}
	r.nonce = [2]uint64{v.NonceA, v.NonceB}
	r.transferred = [2]*big.Int{v.TransferredA, v.TransferredB}
	return r, nil
}
