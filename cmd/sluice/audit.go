package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/contracts/audit"
)

const (
	flagAuditRPC      = "rpc"
	flagAuditContract = "contract"
	flagAuditFrom     = "from-block"
	flagAuditTo       = "to-block"
	flagAuditProofs   = "proofs"
	flagAuditFormat   = "format"
)

// auditCommand verifies a SluiceChannels contract's settlements from the chain alone;
// it needs no node, no key and no datadir.
func auditCommand() *cli.Command {
	return &cli.Command{
		Name:  "audit",
		Usage: "verify every channel and settlement of a SluiceChannels contract from the chain alone",
		Description: "Rebuilds every channel from the contract's events, re-verifies every signature submitted on chain,\n" +
			"recomputes every settlement, cross-checks channel(id) views and the contract's balances, and, with\n" +
			"--proofs, checks that no settlement ignored a newer proof from a node's export. Exits 1 on any discrepancy.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagAuditRPC, Usage: "chain JSON-RPC URL (http://, https://, ws:// or wss://)", EnvVars: envVar("audit-rpc")},
			&cli.StringFlag{Name: flagAuditContract, Usage: "SluiceChannels contract address", EnvVars: envVar("audit-contract")},
			&cli.Uint64Flag{Name: flagAuditFrom, Usage: "first block to scan (0 = the contract's whole history, needed for the solvency check)"},
			&cli.Uint64Flag{Name: flagAuditTo, Usage: "last block to scan, and the block views and balances are read at (default: the head)"},
			&cli.StringFlag{Name: flagAuditProofs, Usage: "a node's proof export (sluice payments export) to check settlements against"},
			&cli.StringFlag{Name: flagAuditFormat, Usage: "report format: text, json or csv (default text; json with --json)"},
		},
		Action: runAudit,
	}
}

func runAudit(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	format, err := auditFormat(c)
	if err != nil {
		return err
	}
	// Checked here rather than with Required, so a config file can supply them too.
	for _, name := range []string{flagAuditRPC, flagAuditContract} {
		if c.String(name) == "" {
			return usageErrorf("--%s is required", name)
		}
	}
	endpoint := c.String(flagAuditRPC)
	if err := checkRPCURL(endpoint); err != nil {
		return err
	}
	contract := c.String(flagAuditContract)
	if !common.IsHexAddress(contract) {
		return fmt.Errorf("invalid --%s %q: want a 0x-prefixed 20-byte hex address", flagAuditContract, contract)
	}
	cfg := audit.Config{Contract: common.HexToAddress(contract), FromBlock: c.Uint64(flagAuditFrom), ToBlock: c.Uint64(flagAuditTo)}
	if path := c.String(flagAuditProofs); path != "" {
		if cfg.Proofs, err = readProofs(path); err != nil {
			return err
		}
	}
	ctx := c.Context
	dialCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	client, err := rpc.DialContext(dialCtx, endpoint)
	cancel()
	if err != nil {
		return oneLine(fmt.Errorf("audit via %s: %w: %v", endpoint, audit.ErrUnreachable, err))
	}
	defer client.Close()
	cfg.RPC = client
	cfg.Progress = progressPrinter(c.App.ErrWriter)

	rep, err := audit.Run(ctx, cfg)
	if err != nil {
		return oneLine(fmt.Errorf("audit via %s: %w", endpoint, err))
	}
	if err := rep.Write(c.App.Writer, format); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if format == audit.FormatCSV {
		_ = rep.WriteFindings(c.App.ErrWriter)
	}
	if !rep.OK() {
		return fmt.Errorf("audit found %d discrepancies in %s", len(rep.Discrepancies), cfg.Contract)
	}
	return nil
}

func auditFormat(c *cli.Context) (audit.Format, error) {
	s := c.String(flagAuditFormat)
	if s == "" {
		if c.Bool(flagJSON) {
			return audit.FormatJSON, nil
		}
		return audit.FormatText, nil
	}
	f, err := audit.ParseFormat(s)
	if err != nil {
		return "", usageErrorf("--%s: %v", flagAuditFormat, err)
	}
	return f, nil
}

// checkRPCURL refuses what go-ethereum would otherwise take for an IPC path and fail on
// with a confusing socket error.
func checkRPCURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("invalid --%s %q: %v", flagAuditRPC, s, err)
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss":
	default:
		return fmt.Errorf("invalid --%s %q: want an http://, https://, ws:// or wss:// URL", flagAuditRPC, s)
	}
	if u.Host == "" {
		return fmt.Errorf("invalid --%s %q: no host", flagAuditRPC, s)
	}
	return nil
}

func readProofs(path string) (*audit.ProofFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flagAuditProofs, err)
	}
	defer f.Close()
	pf, err := audit.ReadProofFile(f)
	if err != nil {
		return nil, fmt.Errorf("--%s %s: %w", flagAuditProofs, path, err)
	}
	return pf, nil
}

// progressPrinter reports a long scan on stderr at most once a second; a short audit
// prints nothing.
func progressPrinter(w io.Writer) func(audit.Progress) {
	start := time.Now()
	last := start
	return func(p audit.Progress) {
		now := time.Now()
		if now.Sub(last) < time.Second {
			return
		}
		last = now
		switch p.Stage {
		case "scan":
			span := max(p.To-p.From+1, 1)
			fmt.Fprintf(w, "audit: block %d of %d (%d%%), %d events, %d channels, %s\n",
				p.Block, p.To, (p.Block-p.From+1)*100/span, p.Events, p.Channels, now.Sub(start).Round(time.Second))
		case "views":
			fmt.Fprintf(w, "audit: cross-checking %d channels against the contract at block %d\n", p.Channels, p.Block)
		}
	}
}

// oneLine keeps an error to one line: RPC errors may quote a multi-line response body.
func oneLine(err error) error {
	msg := err.Error()
	if !strings.ContainsAny(msg, "\r\n") {
		return err
	}
	return errors.New(strings.Join(strings.Fields(msg), " "))
}
